"""A lawyer's story: what changed between two versions, clause by clause, in the form they
review in: the terminal, HTML, and a DOCX of Word tracked changes."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from itertools import takewhile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DATA, edit_clause_text, pdf_text, require

from jobdesc.batch import Variant
from jobdesc.bundle import Bundle
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
    assert result.exit_code == 1, result.output
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
    result = diff("--jurisdiction", "bg", "--from-rev", "HEAD", profiles=profiles)
    assert result.exit_code == 1, result.output
    number = number_of("material-damage")
    assert f"CHANGED IV. {catalog('bg').gettext('Liability')} {number} [material-damage]" in result.output
    assert "{+(изменено)+}" in result.output


def test_html_marks_insertions_and_deletions(tmp_path: Path) -> None:
    out = tmp_path / "redline.html"
    result = diff(
        "--lang", "en", "--jurisdiction", "gb", "--from-jurisdiction", "bg", "--format", "html", "-o", str(out)
    )
    assert result.exit_code == 1, result.output
    page = out.read_text(encoding="utf-8")
    assert "<ins>" in page and "<del>" in page


def test_a_file_format_needs_an_output_file() -> None:
    result = diff("--format", "docx")
    assert result.exit_code == 2 and "--format docx needs -o FILE" in result.output



# --- every variant a change touches --------------------------------------------------------


def lawyers_checkout(root: Path) -> Path:
    """The bundled profiles committed in a new git repository: the signed version a lawyer edits."""
    git = [require("git"), "-C", str(root)]
    profiles = Path(shutil.copytree(PROFILES, root / "profiles"))
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "config", "user.name", "Anna Nowak"], check=True)
    subprocess.run([*git, "config", "user.email", "anna.nowak@example.invalid"], check=True)
    subprocess.run([*git, "add", "profiles"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "signed version"], check=True)
    return profiles


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return lawyers_checkout(tmp_path)


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


STEM = re.compile(r"[a-z-]+(?:_[a-z]+)?_[a-z]{2}_[a-z]{2}-[A-Z]{2}")


def reported(output: str) -> dict[str, set[str]]:
    """Each change's first line -> the variants listed under it (after the line of its words)."""
    lines = output.splitlines()
    return {
        line.strip(): set(STEM.findall(" ".join(takewhile(lambda v: v.startswith(" " * 10), lines[i + 2 :]))))
        for i, line in enumerate(lines)
        if re.match(r" *(ADDED|REMOVED|CHANGED|MOVED) ", line)
    }


def polish_variants(bundle: Bundle, language: str) -> set[str]:
    """Every role, without an industry and in each, for Poland in ``language``."""
    return {Variant(r, i, "pl", language).stem for r in bundle.roles() for i in [None, *bundle.industries()]}


def lower_the_polish_liability_cap(profiles: Path) -> None:
    """The lawyer's edit: the Polish text of one liability clause of pl.yaml."""
    replace_once(profiles / "jurisdictions" / "pl.yaml", "kwoty trzymiesięcznego", "kwoty dwumiesięcznego")


def test_one_edit_to_a_jurisdiction_is_one_change_listed_with_every_variant_it_touches(checkout: Path) -> None:
    lower_the_polish_liability_cap(checkout)
    result = diff("--from-rev", "HEAD", profiles=checkout)
    assert result.exit_code == 1, result.output
    # Every role, with and without each industry, in Polish for Poland: the only texts that changed.
    touched = polish_variants(Bundle(checkout), "pl")
    number = number_of("material-damage", language="pl", jurisdiction="pl")
    heading = f"CHANGED IV. {catalog('pl').gettext('Liability')} {number} [material-damage]"
    assert reported(result.output) == {heading: touched}
    assert len(touched) == 12 and f"in {len(touched)} variant(s): " in result.output
    assert "[-trzymiesięcznego -]{+dwumiesięcznego +}" in result.output
    assert result.output.splitlines()[-1].startswith("1 change(s) in 12 of ")


@pytest.mark.parametrize(
    ("variant", "exit_code", "last_line"),
    [
        (["--lang", "pl", "--jurisdiction", "pl"], 1, "0 added, 0 removed, 1 changed, 0 moved"),
        (["key-account-manager", "--lang", "en", "--jurisdiction", "pl"], 0, "0 added, 0 removed, 0 changed, 0 moved"),
    ],
    ids=["touched", "untouched"],
)
def test_naming_a_variant_compares_that_one(checkout: Path, variant: list[str], exit_code: int, last_line: str) -> None:
    lower_the_polish_liability_cap(checkout)
    result = diff(*variant, "--from-rev", "HEAD", profiles=checkout)
    assert (result.exit_code, result.output.splitlines()[-1]) == (exit_code, last_line), result.output


def test_no_edit_is_no_change(checkout: Path) -> None:
    result = diff("--from-rev", "HEAD", profiles=checkout)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("0 change(s) in 0 of ")


def test_a_changed_approval_number_and_approver_are_changes_too(checkout: Path) -> None:
    organisation = checkout / "organisations" / "pl.yaml"
    replace_once(organisation, "pl: ZO-014", "pl: ZO-015")
    replace_once(organisation, "given: {pl: Tomasz,", "given: {pl: Ewa,")
    replace_once(organisation, "family: {pl: Wiśniewski,", "family: {pl: Wiśniewska,")
    result = diff("--from-rev", "HEAD", profiles=checkout)
    assert result.exit_code == 1, result.output
    before = build_document(Request(language="pl", jurisdiction="pl"))[0]
    after = build_document(Request(language="pl", jurisdiction="pl"), Bundle(checkout))[0]
    changes = reported(result.output)
    polish = polish_variants(Bundle(checkout), "pl")
    assert changes[f"CHANGED {after.title} [document-number]"] == polish
    assert changes[f"CHANGED {after.approval.approved_label} [approved-by]"] == polish
    assert f"[-{before.number} -]{{+{after.number}+}}" in result.output
    assert "[-Tomasz Wiśniewski, -]{+Ewa Wiśniewska, +}" in result.output
    # Documents in Cyrillic spell the approver from their own entry, which the lawyer left alone.
    listed = set().union(*changes.values())
    assert listed and not any(v.endswith(("bg-BG", "ru-RU", "uk-UA")) for v in listed)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from-rev", "no-such-revision"], "at revision 'no-such-revision'"),
        (["--from-rev", "HEAD", "--jurisdiction", "xx"], "unknown jurisdiction 'xx'"),
        (["--from-rev", "HEAD", "--from-jurisdiction", "xx"], "unknown jurisdiction 'xx'"),
        (["--from-rev", "HEAD", "--broken"], "pl.yaml:"),
    ],
    ids=["bad-revision", "unknown-jurisdiction", "unknown-old-jurisdiction", "profile-error"],
)
def test_trouble_exits_2_with_a_message_and_no_traceback(checkout: Path, args: list[str], message: str) -> None:
    if "--broken" in args:
        args.remove("--broken")
        replace_once(checkout / "jurisdictions" / "pl.yaml", "  - id: material-damage\n", "  - id: material-damage\n    id: twice\n")
    result = diff(*args, profiles=checkout)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert "error: " in result.output and message in result.output


def test_the_pdf_redline_shows_inserted_and_deleted_words(checkout: Path, tmp_path: Path) -> None:
    lower_the_polish_liability_cap(checkout)
    for args in (["--lang", "pl", "--jurisdiction", "pl"], []):
        out = tmp_path / f"redline{len(args)}.pdf"
        result = diff(*args, "--from-rev", "HEAD", "--format", "pdf", "-o", str(out), profiles=checkout)
        assert result.exit_code == 1, result.output
        text = " ".join(pdf_text(out).split())
        assert "trzymiesięcznego" in text and "dwumiesięcznego" in text
