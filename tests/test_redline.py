"""A lawyer's story: what changed between two versions, clause by clause, in the form they
review in: the terminal, HTML, and a DOCX of Word tracked changes."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DATA, edit_clause_text, require

from jobdesc.cli import main
from jobdesc.i18n import catalog
from jobdesc.paths import PROFILES
from jobdesc.pipeline import Request, build_document

EN = catalog("en")


def diff(*args: str, profiles: Path | None = None) -> Result:
    base = ["--profiles", str(profiles)] if profiles else []
    return CliRunner().invoke(main, [*base, "diff", *args])


def number_of(clause: str, **request: str | None) -> str:
    document, _ = build_document(Request(**request))  # type: ignore[arg-type]
    return next(c.number for c in document.clauses() if c.id == clause)


def test_an_industry_overlay_as_a_redline() -> None:
    result = diff("--lang", "en", "--jurisdiction", "gb", "--industry", "banking", "--from-industry", "none")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "2 added, 1 removed, 2 changed, 0 moved"
    duties, rights = EN.gettext("Duties"), EN.gettext("Rights")
    kyc = number_of("know-your-customer", language="en", jurisdiction="gb", industry="banking")
    funds = number_of("representation-funds", language="en", jurisdiction="gb")
    assert f"   ADDED II. {duties} {kyc} [know-your-customer]" in result.output
    assert f" REMOVED III. {rights} {funds} [representation-funds]" in result.output
    assert "CHANGED I." in result.output and "[-" in result.output and "{+" in result.output


def test_a_clause_moved_to_another_section_is_reported_as_moved() -> None:
    result = diff("clerk", "--lang", "en", "--industry", "moves-a-duty", "--from-industry", "none",
                  profiles=DATA / "overlays")  # fmt: skip
    assert f"   MOVED III. {EN.gettext('Rights')} 2. [register-mail]" in result.output
    assert f"   ADDED II. {EN.gettext('Duties')} 1. [sort-mail]" in result.output


def test_two_profile_folders_and_the_word_level_change(tmp_path: Path) -> None:
    edited = Path(shutil.copytree(PROFILES, tmp_path / "profiles"))
    edit_clause_text(edited / "jurisdictions" / "pl.yaml", "material-damage", "pl", "(zmienione)")
    result = diff("--lang", "pl", "--jurisdiction", "pl", "--from-profiles", str(PROFILES), profiles=edited)
    assert result.output.splitlines()[-1] == "0 added, 0 removed, 1 changed, 0 moved"
    assert "{+(zmienione)+}" in result.output


def test_a_git_revision_of_the_profiles(tmp_path: Path) -> None:
    git = [require("git"), "-c", "user.name=jobdesc", "-c", "user.email=jobdesc@example.invalid", "-C", str(tmp_path)]
    profiles = Path(shutil.copytree(PROFILES, tmp_path / "profiles"))
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "profiles"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "profiles"], check=True)
    edit_clause_text(profiles / "jurisdictions" / "bg.yaml", "material-damage", "bg", "(изменено)")
    result = diff("--from-rev", "HEAD", profiles=profiles)
    assert result.exit_code == 0, result.output
    number = number_of("material-damage")
    assert f"CHANGED IV. {catalog('bg').gettext('Liability')} {number} [material-damage]" in result.output
    assert "{+(изменено)+}" in result.output


def test_html_marks_insertions_and_deletions(tmp_path: Path) -> None:
    out = tmp_path / "redline.html"
    result = diff(
        "--lang", "en", "--jurisdiction", "gb", "--from-jurisdiction", "bg", "--format", "html", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<ins>" in page and "<del>" in page


def test_the_docx_redline_is_tracked_changes_libreoffice_counts(tmp_path: Path) -> None:
    out = tmp_path / "redline.docx"
    result = diff("--lang", "en", "--industry", "banking", "--from-industry", "none", "--jurisdiction", "gb",
                  "--format", "docx", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    insertions, deletions = xml.count("<w:ins "), xml.count("<w:del ")
    assert insertions >= 4 and deletions >= 3
    # LibreOffice, a real client, reads them as tracked changes: one changed region per insertion or deletion.
    subprocess.run(
        [require("soffice"), f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
         "--convert-to", "fodt", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    flat = (tmp_path / "redline.fodt").read_text(encoding="utf-8")
    assert len(re.findall(r"<text:changed-region ", flat)) == insertions + deletions
    assert len(re.findall(r"<text:insertion>", flat)) == insertions
    assert len(re.findall(r"<text:deletion>", flat)) == deletions


def test_a_file_format_needs_an_output_file() -> None:
    result = diff("--format", "docx")
    assert result.exit_code == 2 and "--format docx needs -o FILE" in result.output


@pytest.mark.parametrize("rev", ["no-such-revision"])
def test_an_unknown_revision_is_a_clear_error(rev: str) -> None:
    result = diff("--from-rev", rev)
    assert result.exit_code == 2 and f"at revision {rev!r}" in result.output
