"""HR's story with their own spreadsheet: the staff list comes as the spreadsheet saved it (a
semicolon, tab or pipe CSV, or the .xlsx itself), headed in the document's language, with a
position written over two lines in one cell; every employee gets a row on the sheet, and every
bad row is named by file, row and column."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import pdf_text

from jobdesc.cli import main
from jobdesc.pipeline import Request, build_document

STAFF = [("Иван Петров Георгиев", "Мениджър\nпо продажби"), ("Мария Стоянова", "Счетоводител")]
ON_THE_SHEET = [("Иван Петров Георгиев", "Мениджър по продажби"), ("Мария Стоянова", "Счетоводител")]


def write_csv(path: Path, delimiter: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Path:
    """As a spreadsheet saves it: cells with a line break or the delimiter quoted, CRLF line ends."""

    def cell(text: str) -> str:
        return f'"{text}"' if "\n" in text or delimiter in text or '"' in text else text

    lines = [delimiter.join(cell(c) for c in row) for row in [header, *rows]]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def write_xlsx(
    path: Path, header: tuple[str, ...], rows: list[tuple[str | None, ...]], title: str = "Персонал"
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in [header, *rows]:
        sheet.append(list(row))
    workbook.save(path)
    return path


def sheet_people(staff: Path, **request: str) -> list[tuple[str, str]]:
    document, _ = build_document(Request(employees=staff, **request))
    return list(document.familiarization.people)


@pytest.mark.parametrize(("delimiter", "kind"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe"), (",", "comma")])
def test_a_csv_with_any_common_delimiter_lists_every_employee(delimiter: str, kind: str, tmp_path: Path) -> None:
    staff = write_csv(
        tmp_path / f"{kind}.csv", delimiter, ("Име", "Длъжност", "Отдел"), [(*p, "Продажби") for p in STAFF]
    )
    assert sheet_people(staff) == ON_THE_SHEET


def test_a_header_with_the_delimiter_of_another_list_inside_it_is_still_found(tmp_path: Path) -> None:
    # "Фамилия, имя, отчество" holds commas: the semicolons are the delimiter.
    staff = write_csv(tmp_path / "ru.csv", ";", ("Фамилия, имя, отчество", "Должность"), [("Иванов Иван", "Менеджер")])
    assert sheet_people(staff, jurisdiction="ru") == [("Иванов Иван", "Менеджер")]


@pytest.mark.parametrize(
    ("jurisdiction", "header"),
    [
        ("bg", ("Име и фамилия", "Длъжност")),
        ("es", ("Nombre y apellidos", "Puesto")),
        ("it", ("Nome e cognome", "Mansione")),
        ("de", ("Vor- und Nachname", "Funktion")),
        ("fr", ("Nom et prénom", "Poste")),
        ("pl", ("Imię i nazwisko", "Stanowisko")),
        ("pt", ("Nome completo", "Função")),
        ("ro", ("Nume şi prenume", "Funcţie")),  # the cedilla forms old keyboards type
        ("ru", ("Ф.И.О.", "Должность")),
        ("ua", ("ПІБ", "Посада")),
        ("gb", ("Full name:", "Job title:")),
        ("es", ("NAME", "POSITION")),  # English works in every language
    ],
)
def test_headers_in_the_documents_language(jurisdiction: str, header: tuple[str, str], tmp_path: Path) -> None:
    staff = write_csv(tmp_path / "staff.csv", ";", header, [("Ana López", "Gestora\nde cuentas")])
    assert sheet_people(staff, jurisdiction=jurisdiction) == [("Ana López", "Gestora de cuentas")]


def test_the_organisations_language_works_for_a_translation(tmp_path: Path) -> None:
    staff = write_csv(tmp_path / "staff.csv", ";", ("Име", "Длъжност"), [("Иван Петров", "Мениджър")])
    assert sheet_people(staff, language="en") == [("Иван Петров", "Мениджър")]


@pytest.fixture(scope="module")
def rendered_lists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same staff as a semicolon CSV and as an XLSX with Bulgarian headers, each rendered to PDF."""
    folder = tmp_path_factory.mktemp("lists")
    lists = {
        "csv": write_csv(folder / "staff.csv", ";", ("Име", "Длъжност"), list(STAFF)),
        "xlsx": write_xlsx(folder / "staff.xlsx", ("Име", "Длъжност"), list(STAFF)),
    }
    pdfs = {}
    for kind, staff in lists.items():
        out = folder / f"out-{kind}"
        result = CliRunner().invoke(main, ["render", "--employees", str(staff), "--format", "pdf", "-o", str(out)])
        assert result.exit_code == 0, result.output
        (pdfs[kind],) = out.glob("*.pdf")
    return pdfs


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_sheet_in_the_pdf_has_each_employee_and_the_two_line_cell_as_one(
    rendered_lists: dict[str, Path], kind: str
) -> None:
    text = " ".join(pdf_text(rendered_lists[kind], mode="-raw").split())
    for number, (name, position) in enumerate(ON_THE_SHEET, start=1):
        assert f"{number} {name} {position}" in text
    assert "Мениджърпо" not in text


def test_an_xlsx_staff_list_with_spanish_headers_in_a_spanish_document(tmp_path: Path) -> None:
    staff = write_xlsx(
        tmp_path / "plantilla.xlsx", ("Nombre", "Puesto"), [("Ana López", "Gestora\nde cuentas")], "Hoja1"
    )
    assert sheet_people(staff, jurisdiction="es") == [("Ana López", "Gestora de cuentas")]


def xlsx_bytes(tmp_path: Path, header: tuple[str, ...], rows: list[tuple[str | None, ...]]) -> bytes:
    return write_xlsx(tmp_path / "made.xlsx", header, rows).read_bytes()


def doctype_workbook(tmp_path: Path) -> bytes:
    """A workbook whose shared strings declare a DOCTYPE with entities (a "billion laughs")."""
    made = tmp_path / "made.xlsx"
    write_xlsx(made, ("Име", "Длъжност"), [("Иван", "Мениджър")])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + data
            target.writestr(item, data)
    return bomb.read_bytes()


def unpacks_too_far(tmp_path: Path) -> bytes:
    """A small workbook with a part that unpacks to 60 MB."""
    made = tmp_path / "made.xlsx"
    write_xlsx(made, ("Име", "Длъжност"), [("Иван", "Мениджър")])
    with zipfile.ZipFile(made, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * 60_000_000)
    return made.read_bytes()


BAD_LISTS = [
    ("empty-cell.csv", lambda t: "Име;Длъжност\r\nИван Петров;\r\n;Счетоводител\r\n", [
        "empty-cell.csv:2: row 2, column B (Длъжност): is empty",
        "empty-cell.csv:3: row 3, column A (Име): is empty",
    ]),
    # The row after a two-line cell starts on line 4: the line an editor jumps to.
    ("after-two-lines.csv", lambda t: 'Име\tДлъжност\nИван\t"Мениджър\nпо продажби"\nМария\t\n', [
        "after-two-lines.csv:4: row 3, column B (Длъжност): is empty",
    ]),
    ("no-header.csv", lambda t: "Имена;Отдел\r\nИван;Продажби\r\n", [
        "no-header.csv:1: the header row lacks the column(s) position; it has: Имена, Отдел "
        "(headers known: position: Position, Job title, Role, Длъжност)",
    ]),
    ("stray.csv", lambda t: "name;position\r\nAna;Clerk;Madrid\r\n", [
        "stray.csv:2: row 2, column C: has a value, but its column has no header",
    ]),
    ("two-names.csv", lambda t: "Name;Име;Длъжност\r\nAna;Ана;Clerk\r\n", [
        "two-names.csv:1: two columns are the name: A (Name) and B (Име); keep one",
    ]),
    ("hidden.csv", lambda t: "Име;Длъжност\r\nИван\u202e Петров;Мениджър\r\n", [
        "hidden.csv:2:5: U+202E RIGHT-TO-LEFT OVERRIDE is a bidirectional control",
    ]),
    ("empty-cell.xlsx", lambda t: xlsx_bytes(t, ("Име", "Длъжност"), [("Иван", None), (None, "Счетоводител")]), [
        "empty-cell.xlsx:Персонал!B2: Длъжност: is empty",
        "empty-cell.xlsx:Персонал!A3: Име: is empty",
    ]),
    ("hidden.xlsx", lambda t: xlsx_bytes(t, ("Име", "Длъжност"), [("Иван\u200b Петров", "Мениджър")]), [
        "hidden.xlsx:Персонал!A2:1:5: U+200B ZERO WIDTH SPACE is an invisible character",
    ]),
    ("entities.xlsx", doctype_workbook, [
        "entities.xlsx: xl/worksheets/sheet1.xml declares a DOCTYPE or entities",
    ]),
    ("bomb.xlsx", unpacks_too_far, [
        "bomb.xlsx: the workbook unpacks to more than it may: over 50,000,000 bytes is over the asset file size limit",
    ]),
    ("damaged.xlsx", lambda t: b"PK\x03\x04" + b"\0" * 100, [
        "damaged.xlsx: not an Excel workbook that can be read",
    ]),
    ("old.xls", lambda t: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, [
        "old.xls: an old Excel workbook (.xls); save it as .xlsx or as CSV (UTF-8)",
    ]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "messages"), BAD_LISTS, ids=[case[0] for case in BAD_LISTS])
def test_every_bad_row_is_named_by_file_row_and_column(
    name: str, content: object, messages: list[str], tmp_path: Path
) -> None:
    made = content(tmp_path)  # type: ignore[operator]
    staff = tmp_path / name
    if isinstance(made, str):
        staff.write_text(made, encoding="utf-8", newline="")
    else:
        staff.write_bytes(made)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", "--employees", str(staff), "-o", str(out)])
    assert result.exit_code == 1, result.output
    for message in messages:
        assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
