"""A lawyer's story: what changed between two versions, clause by clause, in the form they
review in: the terminal, HTML, and a DOCX of Word tracked changes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from itertools import takewhile
from pathlib import Path

import docx
import pdfplumber
import pytest
from click.testing import CliRunner, Result
from conftest import DATA, edit_clause_text, pdf_text, require
from docx.oxml.ns import qn

from jobdesc.batch import Variant
from jobdesc.bundle import Bundle
from jobdesc.cli import main
from jobdesc.i18n import LANGUAGES, catalog
from jobdesc.model import Document
from jobdesc.paths import PROFILES
from jobdesc.pipeline import Request, build_document
from jobdesc.profile import load_role
from jobdesc.redline import approval_lines

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
    assert "[-trzymiesięcznego-]{+dwumiesięcznego+}" in result.output
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


def test_a_jurisdiction_taken_out_is_every_variant_of_it_gone(tmp_path: Path) -> None:
    """The firm kept its own Ukrainian-law variant (as jurisdiction "xu") in its folder, then took it out."""
    old, new = tmp_path / "old", tmp_path / "new"
    for kind in ("jurisdictions", "organisations"):
        (old / kind).mkdir(parents=True)
        (new / kind).mkdir(parents=True)
    shutil.copy(PROFILES / "jurisdictions" / "ua.yaml", old / "jurisdictions" / "xu.yaml")
    organisation = (PROFILES / "organisations" / "ua.yaml").read_text(encoding="utf-8")
    (old / "organisations" / "xu.yaml").write_text(organisation.replace("jurisdiction: ua", "jurisdiction: xu"))
    result = diff("--from-profiles", str(old), profiles=new)
    assert result.exit_code == 1, result.output
    bundle = Bundle(PROFILES)
    gone = {
        Variant(r, i, "xu", code).stem
        for r in bundle.roles()
        for i in [None, *bundle.industries()]
        for code in LANGUAGES
    }
    assert f"GONE {len(gone)} variant(s), only the old profiles have:" in result.output
    assert set(STEM.findall(result.output)) == gone


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
    assert f"[-{before.number}-]{{+{after.number}+}}" in result.output
    assert "[-Tomasz Wiśniewski,-]{+Ewa Wiśniewska,+}" in result.output
    # Documents in Cyrillic spell the approver from their own entry, which the lawyer left alone.
    listed = set().union(*changes.values())
    assert listed and not any(v.endswith(("bg-BG", "ru-RU", "uk-UA")) for v in listed)


def break_a_file(profiles: Path) -> None:
    """A duplicate key in pl.yaml: a profile error."""
    replace_once(
        profiles / "jurisdictions" / "pl.yaml", "  - id: material-damage\n", "  - id: material-damage\n    id: x\n"
    )


def commit_a_broken_file(profiles: Path) -> None:
    """The revision compared with has the error; the working copy is fine again."""
    break_a_file(profiles)
    git = [require("git"), "-C", str(profiles)]
    subprocess.run([*git, "commit", "-q", "-am", "broken"], check=True)
    subprocess.run([*git, "checkout", "-q", "HEAD~1", "--", "."], check=True)


@pytest.mark.parametrize(
    ("args", "edit", "message"),
    [
        (["--from-rev", "no-such-revision"], None, "at revision 'no-such-revision'"),
        (["--from-rev", "HEAD", "--jurisdiction", "xx"], None, "unknown jurisdiction 'xx'"),
        (["--from-rev", "HEAD", "--from-jurisdiction", "xx"], None, "unknown jurisdiction 'xx'"),
        (["--from-rev", "HEAD"], break_a_file, "jurisdictions/pl.yaml:"),
        (["--from-rev", "HEAD"], commit_a_broken_file, "error: HEAD:profiles/jurisdictions/pl.yaml:"),
        (["--from-rev", "HEAD", "--format", "html", "-o", "/no/such/folder/r.html"], None, "cannot write"),
    ],
    ids=[
        "bad-revision",
        "unknown-jurisdiction",
        "unknown-old-jurisdiction",
        "profile-error",
        "error-in-the-revision",
        "unwritable-output",
    ],
)
def test_trouble_exits_2_with_a_message_and_no_traceback(
    checkout: Path, args: list[str], edit: Callable[[Path], None] | None, message: str
) -> None:
    if edit:
        edit(checkout)
    result = diff(*args, profiles=checkout)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert "error: " in result.output and message in result.output


def marking(pdf: Path, word: str) -> tuple[tuple[float, ...], str]:
    """The colour ``word`` is printed in, and where the line drawn across it runs: through or under it."""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for found in page.extract_words(extra_attrs=["non_stroking_color"]):
                top, bottom = found["top"], found["bottom"]
                lines = [
                    line["top"]
                    for line in page.lines
                    if line["x0"] <= found["x0"] + 1 and line["x1"] >= found["x1"] - 1 and top < line["top"] < bottom
                ]
                if found["text"] == word and lines:
                    where = "through" if lines[0] < top + 0.75 * (bottom - top) else "under"
                    return tuple(found["non_stroking_color"]), where
    raise AssertionError(f"{word!r} with a line across it is not in {pdf}")


@pytest.mark.parametrize(
    "variant", [["--lang", "pl", "--jurisdiction", "pl"], []], ids=["one-variant", "every-variant"]
)
def test_the_pdf_redline_shows_inserted_and_deleted_words(checkout: Path, tmp_path: Path, variant: list[str]) -> None:
    lower_the_polish_liability_cap(checkout)
    out = tmp_path / "redline.pdf"
    result = diff(*variant, "--from-rev", "HEAD", "--format", "pdf", "-o", str(out), profiles=checkout)
    assert result.exit_code == 1, result.output
    text = " ".join(pdf_text(out).split())
    assert "trzymiesięcznego dwumiesięcznego wynagrodzenia" in text
    # Not by colour alone: the deleted word is red and struck through, the inserted one green and underlined.
    (red, green, blue), line = marking(out, "trzymiesięcznego")
    assert red > 0.5 > green + blue and line == "through"
    (red, green, blue), line = marking(out, "dwumiesięcznego")
    assert green > 0.3 > red + blue and line == "under"
    if not variant:
        assert all(stem in text for stem in polish_variants(Bundle(checkout), "pl"))


# --- the DOCX redline, accepted and rejected in LibreOffice ---------------------------------

SETTLE = Path(__file__).parent / "settle_changes.py"


def uno_python() -> str:
    """A Python with LibreOffice's UNO bridge (Debian's python3-uno), to drive soffice."""
    for python in ("/usr/bin/python3", "/usr/lib/libreoffice/program/python"):
        if Path(python).is_file() and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0:
            return python
    raise AssertionError("no Python with LibreOffice's UNO bridge: run 'bash scripts/setup --test' (python3-uno)")


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path, str], list[str]]:
    """Accept or reject every tracked change of a DOCX in LibreOffice (tests/settle_changes.py runs
    Edit > Track Changes > Accept All / Reject All through UNO); the paragraphs of the result."""
    python, profile = uno_python(), tmp_path_factory.mktemp("lo-profile")

    def settle(docx: Path, action: str) -> list[str]:
        copy = tmp_path_factory.mktemp(action) / docx.name  # a fresh folder: no lock file of an earlier run
        shutil.copy(docx, copy)
        command = [python, str(SETTLE), action, str(copy), str(profile)]
        lines = subprocess.run(command, check=True, capture_output=True, text=True, timeout=300).stdout.splitlines()
        assert lines[-1] == "redlines left: 0", lines[-5:]
        return lines[:-1]

    return settle


def reading(document: Document, title: str) -> list[str]:
    """The paragraphs a redline of ``document`` must come to: its approval data, headings, numbered
    clauses, and the empty last paragraph no tracked change may remove."""
    lines = [title, *(f"{label}: {text}" for label, text in approval_lines(document).values())]
    for section in document.sections:
        lines += [f"{section.numeral}. {section.heading}", *(f"{c.number} {c.text}" for c in section.walk())]
    return [*lines, ""]


def reviewed_duties(profiles: Path) -> tuple[Path, dict[str, str]]:
    """An overlay that removes a duty from the middle of its section, moves another further down
    and adds a word to it, and changes a third: the clauses after them are renumbered."""
    document, _ = build_document(Request(language="en", jurisdiction="gb"), Bundle(profiles))
    duties = [c.id for c in document.sections[1].clauses]
    source = {c.id: c.text.values["en"] for c in load_role(profiles / "roles" / "account-manager.yaml").clauses()}
    picked = {"removed": duties[1], "moved": duties[2], "after": duties[6], "changed": duties[4]}
    overlay = profiles / "industries" / "review.yaml"
    overlay.write_text(
        "name: {en: Review}\nclauses:\n"
        f"  - remove: {picked['removed']}\n"
        f"  - remove: {picked['moved']}\n"
        f"  - insert_after: {picked['after']}\n    id: {picked['moved']}\n"
        f"    text: {{en: {json.dumps(source[picked['moved']] + ' Promptly.', ensure_ascii=False)}}}\n"
        f"  - replace: {picked['changed']}\n"
        f"    text: {{en: {json.dumps(source[picked['changed']] + ' Weekly.', ensure_ascii=False)}}}\n",
        encoding="utf-8",
    )
    return overlay, picked


CASES = ["duties-reviewed", "industry-overlay", "moved-to-another-section", "approval-data"]


@pytest.fixture(params=CASES)
def redline(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Document, Document]:
    """A DOCX redline and the two documents it compares."""
    profiles, args = PROFILES, ["--lang", "en", "--jurisdiction", "gb"]
    new = old = Request(language="en", jurisdiction="gb")
    if request.param == "duties-reviewed":
        profiles = Path(shutil.copytree(PROFILES, tmp_path / "profiles"))
        reviewed_duties(profiles)
        new = Request(language="en", jurisdiction="gb", industry="review")
        args += ["--industry", "review", "--from-industry", "none"]
    elif request.param == "industry-overlay":
        new = Request(language="en", jurisdiction="gb", industry="banking")
        args += ["--industry", "banking", "--from-industry", "none"]
    elif request.param == "moved-to-another-section":
        profiles = DATA / "overlays"
        old = Request("clerk", "en")
        new = Request("clerk", "en", industry="moves-a-duty")
        args = ["clerk", "--lang", "en", "--industry", "moves-a-duty", "--from-industry", "none"]
    else:
        profiles = Path(shutil.copytree(PROFILES, tmp_path / "profiles"))
        organisation = profiles / "organisations" / "pl.yaml"
        replace_once(organisation, "pl: ZO-014", "pl: ZO-015")
        replace_once(organisation, "given: {pl: Tomasz,", "given: {pl: Ewa,")
        replace_once(organisation, "family: {pl: Wiśniewski,", "family: {pl: Wiśniewska,")
        new = old = Request(language="pl", jurisdiction="pl")
        args = ["--lang", "pl", "--jurisdiction", "pl", "--from-profiles", str(PROFILES)]
    out = tmp_path / "redline.docx"
    result = diff(*args, "--format", "docx", "-o", str(out), profiles=profiles)
    assert result.exit_code == 1, result.output
    old_bundle = PROFILES if request.param == "approval-data" else profiles
    return out, build_document(old, Bundle(old_bundle))[0], build_document(new, Bundle(profiles))[0]


def test_accepting_all_gives_the_new_document_and_rejecting_all_the_old(
    redline: tuple[Path, Document, Document], libreoffice: Callable[[Path, str], list[str]]
) -> None:
    out, old, new = redline
    title = f"{new.title} {new.subtitle}"
    assert reading(old, title) != reading(new, title)
    assert libreoffice(out, "accept") == reading(new, title)
    assert libreoffice(out, "reject") == reading(old, title)


def test_a_removed_clause_stands_where_it_stood_and_a_move_is_a_move(tmp_path: Path) -> None:
    profiles = Path(shutil.copytree(PROFILES, tmp_path / "profiles"))
    _, picked = reviewed_duties(profiles)
    out = tmp_path / "redline.docx"
    args = ["--lang", "en", "--jurisdiction", "gb", "--industry", "review", "--from-industry", "none"]
    assert diff(*args, "--format", "docx", "-o", str(out), profiles=profiles).exit_code == 1
    new, _ = build_document(Request(language="en", jurisdiction="gb", industry="review"), Bundle(profiles))
    number = next(c.number for c in new.clauses() if c.id == picked["moved"])
    moved = f"CHANGED II. {EN.gettext('Duties')} {number} [{picked['moved']}] (moved)"
    assert moved in diff(*args, profiles=profiles).output
    body = docx.Document(str(out)).element.body
    paragraphs = [p for p in body.iter(qn("w:p"))]
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"), qn("w:delText"))) for p in paragraphs]
    old, _ = build_document(Request(language="en", jurisdiction="gb"), Bundle(profiles))
    duties = [c for c in old.sections[1].clauses]
    removed = next(i for i, text in enumerate(texts) if text.startswith(f"{duties[1].number} {duties[1].text}"))
    assert texts[removed - 1].startswith(f"{duties[0].number} ")  # between its old neighbours, not at the top
    assert paragraphs[removed].find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}") is not None  # its mark too
    moves = {tag: [p for p in paragraphs if p.find(f".//{qn(tag)}") is not None] for tag in ("w:moveFrom", "w:moveTo")}
    assert [len(found) for found in moves.values()] == [1, 1]
    names = [p.find(f".//{qn(tag + 'RangeStart')}").get(qn("w:name")) for tag, (p,) in moves.items()]
    assert names[0] == names[1]
    assert texts[paragraphs.index(moves["w:moveFrom"][0])] == f"{duties[2].number} {duties[2].text}"


@pytest.mark.parametrize("given", [None, "Maria Rossi"])
def test_the_revisions_author(checkout: Path, tmp_path: Path, given: str | None) -> None:
    lower_the_polish_liability_cap(checkout)
    out = tmp_path / "redline.docx"
    author = ["--author", given] if given else []
    args = ["--lang", "pl", "--jurisdiction", "pl", "--from-rev", "HEAD", *author, "--format", "docx", "-o", str(out)]
    assert diff(*args, profiles=checkout).exit_code == 1
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    authors = set(re.findall(r'w:author="([^"]*)"', xml))
    assert authors == {given or "Anna Nowak"}  # default: git's user.name in the profiles' repository


def test_a_clause_moved_unchanged_is_a_move_paragraph_mark_and_all(tmp_path: Path) -> None:
    out = tmp_path / "redline.docx"
    args = ["clerk", "--lang", "en", "--industry", "moves-a-duty", "--from-industry", "none"]
    assert diff(*args, "--format", "docx", "-o", str(out), profiles=DATA / "overlays").exit_code == 1
    body = docx.Document(str(out)).element.body
    for side in ("moveFrom", "moveTo"):
        (paragraph,) = [
            p for p in body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:' + side)}") is not None
        ]
        assert "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).endswith(" Register incoming mail.")
        assert paragraph.find(qn(f"w:{side}RangeStart")).get(qn("w:name")) == "move1"
