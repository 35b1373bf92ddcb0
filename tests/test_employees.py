"""HR's story at signing time: the familiarization sheet lists every employee, one row each,
on as many pages as it takes, its header repeated on each."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, libreoffice_to_pdf, pdf_pages, pdf_text

from jobdesc.cli import main

FORTY = DATA / "employees" / "forty.csv"


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def with_staff(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("staff")
    result = CliRunner().invoke(main, ["render", "--employees", str(FORTY), "-o", str(out)])
    assert result.exit_code == 0, result.output
    pdf, docx = out / "account-manager_bg_bg-BG.pdf", out / "account-manager_bg_bg-BG.docx"
    libreoffice_to_pdf([docx], out / "lo", tmp_path_factory.mktemp("lo-profile"))
    return {"pdf": pdf, "docx": out / "lo" / "account-manager_bg_bg-BG.pdf"}


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_every_employee_has_a_row_in_order(with_staff: dict[str, Path], fmt: str) -> None:
    with FORTY.open(encoding="utf-8") as handle:
        staff = list(csv.DictReader(handle))
    text = squash(pdf_text(with_staff[fmt], mode="-raw"))
    position = 0
    for number, person in enumerate(staff, start=1):
        found = text.find(squash(f"{number} {person['name']} {person['position']}"), position)
        assert found >= 0, person["name"]
        position = found


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_sheet_spills_over_pages_with_its_header_on_each(with_staff: dict[str, Path], fmt: str) -> None:
    path = with_staff[fmt]
    pages = range(1, pdf_pages(path) + 1)
    first = next(page for page in pages if "ЛИСТ ЗА ЗАПОЗНАВАНЕ" in pdf_text(path, page, page))
    sheet_pages = range(first, pdf_pages(path) + 1)
    assert len(sheet_pages) >= 2
    for page in sheet_pages:
        assert squash("№ Име и фамилия Длъжност Подпис Дата") in squash(pdf_text(path, page, page, mode="-raw"))


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no-position", "no-position.csv:1: the header row lacks the column(s) position; it has: name, department"),
        ("empty-cells", "empty-cells.csv:3: row 3, column A (name): is empty"),
    ],
)
def test_a_broken_staff_list_is_reported_with_its_line(case: str, message: str, tmp_path: Path) -> None:
    path = DATA / "employees" / f"{case}.csv"
    result = CliRunner().invoke(main, ["render", "--employees", str(path), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert message in result.output
    assert "empty-cells.csv:4: row 4, column B (position): is empty" in result.output or case != "empty-cells"
    assert list(tmp_path.iterdir()) == []


def test_without_a_list_the_sheet_has_blank_rows(tmp_path: Path) -> None:
    CliRunner().invoke(main, ["render", "--format", "pdf", "-o", str(tmp_path)])
    (pdf,) = tmp_path.glob("*.pdf")
    last = pdf_text(pdf, pdf_pages(pdf), pdf_pages(pdf))
    assert "Длъжност" not in last and "12" in last
