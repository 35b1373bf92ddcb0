"""HR's story after a lawyer's edit: every file carries what it was made from, and
`jobdesc verify` says whether it still matches the current profiles."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from conftest import DATA, Rendered, pdf_text

from jobdesc import pipeline
from jobdesc.bundle import Bundle
from jobdesc.cli import main
from jobdesc.paths import PROFILES
from jobdesc.pipeline import Request, build_document, render
from jobdesc.versions import read_identity


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("language", ["bg", "de"])
def test_the_footer_shows_what_the_document_was_made_from(
    rendered: dict[str, Rendered], language: str, fmt: str
) -> None:
    identity = rendered[language].document.identity
    assert identity is not None and len(identity.content_hash) == 12
    footer_line = " ".join(pdf_text(rendered[language].read_back(fmt), first=1, last=1).split())
    assert identity.label() in footer_line


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of the profiles a lawyer may edit, and one instruction rendered from it."""
    profiles = Path(shutil.copytree(PROFILES, tmp_path / "profiles"))
    result = CliRunner().invoke(main, ["--profiles", str(profiles), "render", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    return profiles


def verify(profiles: Path, *files: Path) -> Result:
    return CliRunner().invoke(main, ["--profiles", str(profiles), "verify", *map(str, files)])


def rendered_files(profiles: Path) -> list[Path]:
    return sorted((profiles.parent / "out").glob("account-manager_bg_bg-BG.*"))


def test_a_fresh_file_is_up_to_date(library: Path) -> None:
    result = verify(library, *rendered_files(library))
    assert result.exit_code == 0, result.output
    assert result.output.count("up to date with the current profiles") == 2


def test_changing_a_clause_makes_the_signed_file_out_of_date(library: Path) -> None:
    pdf, docx_file = rendered_files(library)[1], rendered_files(library)[0]
    before = verify(library, pdf).output
    jurisdiction = library / "jurisdictions" / "bg.yaml"
    text = jurisdiction.read_text(encoding="utf-8")
    jurisdiction.write_text(text.replace("уговореното месечно", "уговореното брутно месечно"), encoding="utf-8")
    result = verify(library, pdf, docx_file)
    assert result.exit_code == 1
    made = before.splitlines()[0].rsplit("#", 1)[1]
    assert f"OUT OF DATE: made from content #{made}; the current profiles give #" in result.output
    assert result.output.count("OUT OF DATE") == 2


def test_a_change_in_another_language_leaves_it_up_to_date(library: Path) -> None:
    jurisdiction = library / "jurisdictions" / "bg.yaml"
    text = jurisdiction.read_text(encoding="utf-8")
    jurisdiction.write_text(text.replace("up to the agreed monthly wage", "up to one agreed monthly wage"), "utf-8")
    assert verify(library, *rendered_files(library)).exit_code == 0


def test_a_file_jobdesc_did_not_make_is_a_clear_error(library: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.docx"
    docx.Document().save(str(other))
    result = verify(library, other)
    assert result.exit_code == 1
    assert "other.docx: carries no jobdesc identity" in result.output


def test_the_same_file_reads_the_same_from_any_folder_and_any_copy_of_the_profiles(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the profiles and the file were read from, and the lines the texts stand on, are
    not what the document says."""
    pdf = rendered_files(library)[1].resolve()
    elsewhere = Path(shutil.copytree(library, tmp_path / "elsewhere" / "profiles"))
    jurisdiction = elsewhere / "jurisdictions" / "bg.yaml"
    jurisdiction.write_text("# reviewed by legal, 2026\n" + jurisdiction.read_text("utf-8"), encoding="utf-8")
    outputs = []
    for folder, profiles in ((library.parent, library), (tmp_path / "elsewhere", elsewhere)):
        monkeypatch.chdir(folder)
        result = verify(profiles, pdf)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1] and "up to date with the current profiles" in outputs[0]


@pytest.fixture
def made_for_a_company(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """HR's files: rendered in their own folder for their own organisation file and staff list."""
    hr = tmp_path / "hr"
    hr.mkdir()
    own = (PROFILES / "organisations" / "bg.yaml").read_text(encoding="utf-8").replace("Сердика", "Пример")
    (hr / "primer.yaml").write_text(own, encoding="utf-8")
    shutil.copy(DATA / "employees" / "forty.csv", hr / "staff.csv")
    monkeypatch.chdir(hr)
    args = ["render", "--jurisdiction", "bg", "--org", "primer.yaml", "--employees", "staff.csv", "-o", "out"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return sorted((hr / "out").resolve().glob("account-manager_bg_*"))


def test_a_file_made_with_options_is_up_to_date_with_no_options_from_another_folder(
    made_for_a_company: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the organisation file and the staff list are not found from here
    result = CliRunner().invoke(main, ["verify", *map(str, made_for_a_company)])
    assert result.exit_code == 0, result.output
    assert result.output.count("up to date with the current profiles") == 2
    identity = read_identity(made_for_a_company[0])
    assert identity.organisation == "primer" and len(identity.employees) == 40
    assert identity.employees[0] == ("Иван Петров 1", "Мениджър по работа с клиенти")


def test_a_file_made_with_options_goes_out_of_date_when_its_jurisdiction_changes(
    made_for_a_company: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profiles = Path(shutil.copytree(PROFILES, tmp_path / "profiles"))
    jurisdiction = profiles / "jurisdictions" / "bg.yaml"
    text = jurisdiction.read_text(encoding="utf-8")
    jurisdiction.write_text(text.replace("уговореното месечно", "уговореното брутно месечно"), encoding="utf-8")
    result = verify(profiles, *made_for_a_company)
    assert result.exit_code == 1 and result.output.count("OUT OF DATE") == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("role", "../../../etc/passwd"), ("organisation", "/tmp/evil"), ("jurisdiction", "bg.yaml")],
)
def test_names_read_from_a_document_are_names_never_paths(
    library: Path, tmp_path: Path, field: str, value: str
) -> None:
    original = rendered_files(library)[0]
    identity = read_identity(original)
    forged = tmp_path / "forged.docx"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(forged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "docProps/custom.xml":
                recorded = f'"{field}":"{getattr(identity, field)}"'.encode()
                assert recorded in data
                data = data.replace(recorded, f'"{field}":"{value}"'.encode())
            target.writestr(item, data)
    result = verify(library, forged)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"forged.docx: its identity names the {field} {value!r}, which is not a name" in result.output


def test_a_file_whose_pages_say_other_than_its_claimed_content_is_not_valid(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forged file: its footer and metadata carry the current content hash, its pages the old clause."""
    jurisdiction = library / "jurisdictions" / "bg.yaml"
    old = jurisdiction.read_text(encoding="utf-8")
    jurisdiction.write_text(old.replace("уговореното месечно", "уговореното брутно месечно"), encoding="utf-8")
    current, _ = build_document(Request(), Bundle(library))
    assert current.identity is not None
    jurisdiction.write_text(old, encoding="utf-8")
    monkeypatch.setattr(pipeline, "content_hash", lambda document: current.identity.content_hash)  # type: ignore[union-attr]
    render(Request(formats=("pdf",)), tmp_path / "forged", Bundle(library))
    monkeypatch.undo()
    jurisdiction.write_text(old.replace("уговореното месечно", "уговореното брутно месечно"), encoding="utf-8")
    result = verify(library, tmp_path / "forged" / "account-manager_bg_bg-BG.pdf")
    assert result.exit_code == 1
    assert "up to date with the current profiles" in result.output  # what the metadata claims...
    assert "THE PAGES CONTRADICT THE METADATA: the pages do not show clause " in result.output  # ...and the pages deny
