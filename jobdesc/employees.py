"""The employees who sign the familiarization sheet, from a CSV file HR keeps.

The file has a header row naming at least the columns ``name`` and ``position``
(other columns are ignored), then one employee per row, UTF-8.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, Location, ProfileError
from .limits import CLAUSES
from .paths import display


@dataclass(frozen=True)
class Employee:
    name: str
    position: str


REQUIRED = ("name", "position")


def load_employees(path: Path) -> tuple[Employee, ...]:
    name = display(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError(
            [Diagnostic(Location(name, 0), "", "not valid UTF-8 text; save the file as UTF-8")]
        ) from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise ProfileError([Diagnostic(Location(name, 0), "", "the file is empty")])
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        message = f"the header row lacks the column(s) {', '.join(missing)}; it has: {', '.join(header)}"
        raise ProfileError([Diagnostic(Location(name, 1), "", message)])
    problems, employees = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
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
