"""The employees who sign the familiarization sheet, from the staff list HR keeps.

The list is a CSV file (UTF-8, its delimiter a comma, semicolon, tab or pipe, found from the
header row) or an Excel workbook (``.xlsx``, its first sheet: staff_xlsx.py). Its first
non-blank row is the header: it names at least the employee's name and position, in English
or in the document's (or the organisation's) language, with the words each language lists
under ``staff_columns`` in ``locales/<lang>/language.yaml`` ("Име"/"Длъжност",
"Nombre"/"Puesto"); other columns are ignored. Then one employee per row. A cell written
over several lines is one line on the sheet. Every problem names the file, the row and
the column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .characters import read_text
from .errors import Diagnostic, Location, ProfileError
from .languages import rules
from .limits import ASSET_BYTES, CLAUSE_CHARS, CLAUSES, FILE_BYTES
from .paths import display
from .safeio import read_file


@dataclass(frozen=True)
class Employee:
    name: str
    position: str


REQUIRED = ("name", "position")
DELIMITERS = (",", ";", "\t", "|")
_ZIP = b"PK\x03\x04"  # an .xlsx is a zip archive
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass(frozen=True)
class Table:
    """A staff list's rows as read, each with its number as a spreadsheet shows it (the header
    is row 1 when it is the first), and how to point at one of its cells."""

    rows: tuple[tuple[int, tuple[str, ...]], ...]
    where: Callable[[int, int, str], tuple[Location, str]]  # (row, column from 0, header) -> location, field


def column_letter(index: int) -> str:
    """A (0), B (1), …, Z, AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def load_employees(path: Path, languages: Iterable[str] = ()) -> tuple[Employee, ...]:
    """The employees listed in ``path``; headers may be in English or any of ``languages``."""
    name = display(path)
    data = read_file(path, limit=ASSET_BYTES)
    if data.startswith(_OLE):
        message = "an old Excel workbook (.xls); save it as .xlsx or as CSV (UTF-8)"
        raise ProfileError([Diagnostic(Location(name, 0), "", message)])
    words = header_words(("en", *languages))
    if data.startswith(_ZIP):
        from .staff_xlsx import read_workbook  # openpyxl only when a workbook is given

        table = read_workbook(data, name)
    else:
        table = read_csv(data, name, words)
    return employees_of(table, name, words)


def header_words(languages: Iterable[str]) -> dict[str, dict[str, str]]:
    """For each required column, the header words that name it (normalized) -> the language."""
    words: dict[str, dict[str, str]] = {column: {} for column in REQUIRED}
    for code in dict.fromkeys(languages):
        columns = dict(rules(code).staff_columns)
        for column in REQUIRED:
            for word in (*columns.get(column, ()), column):
                words[column].setdefault(normalize(word), word)
    return words


def normalize(header: str) -> str:
    """A header as compared: case, spacing, a final colon and the Romanian cedilla forms aside."""
    text = unicodedata.normalize("NFC", header).casefold().replace("ş", "ș").replace("ţ", "ț")
    text = text.replace("\u2019", "'").replace("\u02bc", "'")
    text = re.sub(r"\s*\.\s*", ".", " ".join(text.split()))
    return text.rstrip(":*").strip()


def read_csv(data: bytes, name: str, words: dict[str, dict[str, str]]) -> Table:
    if len(data) > FILE_BYTES.value:
        message = f"the file is too large: {FILE_BYTES.message(len(data))}"
        raise ProfileError([Diagnostic(Location(name, 0), "", message)])
    text = read_text(data, name)
    delimiter = sniff(text, words)
    lines: dict[int, int] = {}  # row -> the file line it starts on
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            lines[number] = _start_line(reader.line_num, row)
            rows.append((number, tuple(row)))
    except csv.Error as exc:
        raise ProfileError([Diagnostic(Location(name, reader.line_num), "", f"not readable as CSV: {exc}")]) from None

    def where(row: int, column: int, header: str) -> tuple[Location, str]:
        named = f" ({header})" if header else ""
        return Location(name, lines[row]), f"row {row}, column {column_letter(column)}{named}"

    return Table(tuple(rows), where)


def _start_line(end_line: int, row: list[str]) -> int:
    """The line a record starts on, from the line it ends on and the line breaks in its cells."""
    return end_line - sum(cell.count("\n") for cell in row)


def sniff(text: str, words: dict[str, dict[str, str]]) -> str:
    """The delimiter of the header row: the one that splits it into the most known headers
    ("Фамилия, имя, отчество;Должность" is two), then into the most cells. A comma, the
    semicolon a spreadsheet writes where the comma is the decimal mark, a tab or a pipe."""

    def score(delimiter: str) -> tuple[int, int]:
        first = next((r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if any(r)), [])
        known = {normalize(cell) for cell in first}
        return sum(bool(known & set(words[c])) for c in REQUIRED), len(first)

    try:
        return max(DELIMITERS, key=score)  # the first of equals: the comma
    except csv.Error:
        return ","


def employees_of(table: Table, name: str, words: dict[str, dict[str, str]]) -> tuple[Employee, ...]:
    """The employees of a table; every bad row and column is reported at once."""
    rows = [(number, cells) for number, cells in table.rows if any(cell.strip() for cell in cells)]
    if not rows:
        raise ProfileError([Diagnostic(Location(name, 0), "", "the file is empty")])
    header_row, header = rows[0]
    columns, problems = _columns(table, header_row, header, words)
    if problems:
        raise ProfileError(problems)
    employees = []
    for number, cells in rows[1:]:
        values = {}
        for column, index in columns.items():
            # A cell written over several lines in a spreadsheet is one line on the sheet.
            value = " ".join(cells[index].split()) if index < len(cells) else ""
            location, field = table.where(number, index, header[index].strip())
            if not value:
                problems.append(Diagnostic(location, field, "is empty"))
            elif len(value) > CLAUSE_CHARS.value:
                problems.append(Diagnostic(location, field, CLAUSE_CHARS.message(len(value))))
            values[column] = value
        for index, cell in enumerate(cells):
            if cell.strip() and (index >= len(header) or not header[index].strip()):
                location, field = table.where(number, index, "")
                problems.append(Diagnostic(location, field, "has a value, but its column has no header"))
        employees.append(Employee(values["name"], values["position"]))
    if len(employees) > CLAUSES.value:
        problems.append(Diagnostic(Location(name, 0), "", CLAUSES.message(len(employees)).replace("clauses", "rows")))
    if problems:
        raise ProfileError(problems)
    if not employees:
        raise ProfileError([Diagnostic(Location(name, 0), "", "no employees listed after the header row")])
    return tuple(employees)


def _columns(
    table: Table, row: int, header: tuple[str, ...], words: dict[str, dict[str, str]]
) -> tuple[dict[str, int], list[Diagnostic]]:
    """Which column holds each required field, or the header's problems."""
    found: dict[str, list[int]] = {column: [] for column in REQUIRED}
    for index, cell in enumerate(header):
        for column in REQUIRED:
            if normalize(cell) in words[column]:
                found[column].append(index)
    location, _ = table.where(row, 0, "")
    problems = []
    missing = [column for column in REQUIRED if not found[column]]
    if missing:
        have = ", ".join(cell.strip() for cell in header if cell.strip())
        hints = "; ".join(f"{column}: {', '.join(dict.fromkeys(words[column].values()))}" for column in missing)
        message = f"the header row lacks the column(s) {', '.join(missing)}; it has: {have} (headers known: {hints})"
        problems.append(Diagnostic(location, "", message))
    for column, indexes in found.items():
        if len(indexes) > 1:
            named = " and ".join(f"{column_letter(i)} ({header[i].strip()})" for i in indexes)
            problems.append(Diagnostic(location, "", f"two columns are the {column}: {named}; keep one"))
    return {column: indexes[0] for column, indexes in found.items() if indexes}, problems
