"""The employees who sign the familiarization sheet, from a CSV file HR keeps.

The file has a header row naming at least the columns ``name`` and ``position``
(other columns are ignored), then one employee per row, UTF-8.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .characters import check_text
from .errors import Diagnostic, Location, ProfileError
from .limits import CLAUSES
from .paths import display
from .safeio import read_file


@dataclass(frozen=True)
class Employee:
    name: str
    position: str


REQUIRED = ("name", "position")


def load_employees(path: Path) -> tuple[Employee, ...]:
    name = display(path)
    data = read_file(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "not valid UTF-8 text; save the file as UTF-8"
        raise ProfileError([Diagnostic(Location(name, line), "", message)]) from None
    hidden = check_text(text, name)
    if hidden:
        raise ProfileError(hidden)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    rows = [(reader.line_num, row) for row in reader]
    if not rows:
        raise ProfileError([Diagnostic(Location(name, 0), "", "the file is empty")])
    header = [cell.strip().lower() for cell in rows[0][1]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        message = f"the header row lacks the column(s) {', '.join(missing)}; it has: {', '.join(header)}"
        raise ProfileError([Diagnostic(Location(name, 1), "", message)])
    problems, employees = [], []
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        # A cell written over several lines in a spreadsheet is one line on the sheet.
        cells = dict(zip(header, (" ".join(cell.split()) for cell in row), strict=False))
        for column in REQUIRED:
            if not cells.get(column):
                problems.append(Diagnostic(Location(name, line), column, "is empty"))
        employees.append(Employee(cells.get("name", ""), cells.get("position", "")))
    if len(employees) > CLAUSES.value:
        problems.append(Diagnostic(Location(name, 0), "", CLAUSES.message(len(employees)).replace("clauses", "rows")))
    if problems:
        raise ProfileError(problems)
    if not employees:
        raise ProfileError([Diagnostic(Location(name, 0), "", "no employees listed after the header row")])
    return tuple(employees)


def _dialect(text: str) -> type[csv.Dialect]:
    """Commas, or the semicolons a spreadsheet writes where the comma is the decimal mark."""
    header = text.split("\n", 1)[0]
    return _Semicolons if header.count(";") > header.count(",") else csv.excel


class _Semicolons(csv.excel):
    delimiter = ";"
