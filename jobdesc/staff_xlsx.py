"""A staff list from an Excel workbook (.xlsx): the first sheet's cells, as text.

A workbook is a zip of XML parts, so a small file can unpack to gigabytes or carry XML
entities that expand without end. Before openpyxl reads it, the archive is checked: at most
``MAX_PARTS`` parts, unpacking (as counted while unpacking, not as the archive claims) to at
most the asset size limit, and no part with a DOCTYPE (Excel writes none; entity expansion
needs one). openpyxl then streams the sheet (read-only mode), at most ``MAX_ROWS`` rows of
``MAX_COLUMNS`` columns; the memory limit of each document still bounds what it holds.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from .characters import check_text
from .employees import Table, column_letter
from .errors import Diagnostic, Location, ProfileError
from .limits import ASSET_BYTES, CLAUSES

MAX_PARTS = 1_000
MAX_COLUMNS = 50
MAX_ROWS_OVER_LIMIT = 1_000  # blank or formatted rows a spreadsheet keeps below the list
_CHUNK = 1 << 16


def read_workbook(data: bytes, name: str) -> Table:
    """The first sheet of the workbook ``data`` (read from ``name``) as a table of texts."""
    _check_archive(data, name)
    import openpyxl  # only here: it is not needed to start the CLI

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl's own errors: a damaged or foreign file
        raise _error(name, f"not an Excel workbook that can be read ({type(exc).__name__}: {exc})") from None
    try:
        sheet = workbook.worksheets[0]
        title = sheet.title
        rows, problems = [], []
        limit = CLAUSES.value + MAX_ROWS_OVER_LIMIT
        for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if number > limit:
                raise _error(
                    name,
                    f"the sheet {title!r} has over {limit:,} rows; the staff list may have "
                    f"{CLAUSES.value:,} employees ({CLAUSES.variable})",
                )
            cells = tuple(_text(value) for value in values)
            for column, cell in enumerate(cells):
                problems += check_text(cell, f"{name}:{title}!{column_letter(column)}{number}")
            rows.append((number, cells))
    except ProfileError:
        raise
    except Exception as exc:
        raise _error(name, f"not an Excel workbook that can be read ({type(exc).__name__}: {exc})") from None
    finally:
        workbook.close()
    if problems:
        raise ProfileError(problems)

    def where(row: int, column: int, header: str) -> tuple[Location, str]:
        return Location(f"{name}:{title}!{column_letter(column)}{row}", 0), header

    return Table(tuple(rows), where)


def _text(value: Any) -> str:
    """A cell as text; a line break inside a cell (Alt+Enter) is kept for the caller to join."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _check_archive(data: bytes, name: str) -> None:
    limit = ASSET_BYTES.value
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise _error(name, f"the workbook has {len(parts):,} parts, over {MAX_PARTS:,}; refused")
            unpacked = 0
            for part in parts:
                tail = b""
                with archive.open(part) as stream:
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > limit:
                            amount = ASSET_BYTES.message(f"over {limit:,}")
                            raise _error(name, f"the workbook unpacks to more than it may: {amount}")
                        if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                            raise _error(
                                name,
                                f"{part.filename} declares a DOCTYPE or entities, which Excel never "
                                "writes (they can expand without end); refused",
                            )
                        tail = chunk[-16:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
        raise _error(name, f"not an Excel workbook that can be read (a damaged archive: {exc})") from None


def _error(name: str, message: str) -> ProfileError:
    return ProfileError([Diagnostic(Location(name, 0), "", message)])
