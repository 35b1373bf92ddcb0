"""HR's story after a lawyer's edit: every file carries what it was made from, and
`jobdesc verify` says whether it still matches the current profiles."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from conftest import Rendered, pdf_text

from jobdesc.cli import main
from jobdesc.paths import PROFILES


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
