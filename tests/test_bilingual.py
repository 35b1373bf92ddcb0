"""Bilingual job instructions: an HR department renders the binding language and the employee's
side by side (``--lang pl+en``), in PDF and DOCX, and hands them over as they are.

Level means: the first word of a clause (its number) in the left column and the same clause's
number in the right column stand on one baseline, on the same page, within ``LEVEL_PT``. Both
columns use one font size, so equal word bottoms (pdfplumber) are equal baselines; a clause
that starts a line lower than its partner is 12pt or more off, so 1pt catches it.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import test_signing
from conftest import edit_clause_text, libreoffice_to_pdf, pdf_text
from test_signing import field_line, sign, verify

from jobdesc.batch import load_batch, run_batch
from jobdesc.bundle import Bundle
from jobdesc.errors import ProfileError, UsageError
from jobdesc.layout import check_pdf as check_layout
from jobdesc.model import Bilingual
from jobdesc.paths import PROFILES
from jobdesc.pipeline import Request, build_any, render
from jobdesc.translit import can_romanize, romanize
from jobdesc.versions import check_version

signers = test_signing.pki  # the signing tests' CA and signers' keys, as a fixture here

LEVEL_PT = 1.0
FOOTER_PT = 62.0  # the bottom margin (2.2cm): the footer's words are no clause's
# Each jurisdiction with its own language and English; Great Britain's English with Polish.
PAIRS = {
    "bg": "bg+en", "de": "de+en", "es": "es+en", "fr": "fr+en", "gb": "en+pl", "it": "it+en",
    "pl": "pl+en", "pt": "pt+en", "ro": "ro+en", "ru": "ru+en", "ua": "uk+en",
}  # fmt: skip
THROUGH_LIBREOFFICE = ("pl", "bg", "de")  # Latin, Cyrillic, and the much longer German


@dataclass(frozen=True)
class Pair:
    document: Bilingual
    pdf: Path
    docx: Path


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pair]:
    out = tmp_path_factory.mktemp("bilingual")
    made = {}
    for jurisdiction, languages in PAIRS.items():
        request = Request(language=languages, jurisdiction=jurisdiction, formats=("pdf", "docx"))
        document, _ = build_any(request)
        assert isinstance(document, Bilingual)
        files = {path.suffix: path for path in render(request, out)}
        made[jurisdiction] = Pair(document, files[".pdf"], files[".docx"])
    return made


@pytest.fixture(scope="module")
def docx_as_pdf(pairs: dict[str, Pair], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The DOCX of a few pairs as LibreOffice lays it out: one soffice call."""
    converted = tmp_path_factory.mktemp("bilingual-lo")
    files = [pairs[j].docx for j in THROUGH_LIBREOFFICE]
    libreoffice_to_pdf(files, converted, tmp_path_factory.mktemp("bilingual-lo-profile"))
    return {j: converted / f"{pairs[j].docx.stem}.pdf" for j in THROUGH_LIBREOFFICE}


@dataclass(frozen=True)
class Start:
    page: int
    bottom: float  # the baseline, as the word's bottom
    x: float


def clause_starts(pdf: Path, numbers: list[str], left: bool) -> list[Start]:
    """Where each clause's number stands in one column, in reading order: the leftmost word of
    its line in the column, near the column's edge, found one after the other."""
    every: list[tuple[int, dict[str, float | str]]] = []
    with pdfplumber.open(pdf) as document:
        for index, page in enumerate(document.pages):
            half = page.width / 2
            for word in page.extract_words(keep_blank_chars=False, use_text_flow=False):
                if word["bottom"] < page.height - FOOTER_PT:
                    every.append((index, word))
    # The columns part where the second one's first clause number stands (a dash may hang past the middle).
    parting = min(float(word["x0"]) for _, word in every if word["text"] == numbers[0] and word["x0"] > half) - 5
    words = [(page, word) for page, word in every if (float(word["x0"]) < parting) == left]
    edge = min(float(word["x0"]) for _, word in words if word["text"] == numbers[0])  # the column's edge
    first_on_line = [
        (page, word)
        for page, word in words
        if float(word["x0"]) < edge + 30
        and not any(
            other_page == page and abs(other["bottom"] - word["bottom"]) < 1 and other["x0"] < word["x0"]
            for other_page, other in words
        )
    ]
    starts = []
    candidates = iter(sorted(first_on_line, key=lambda item: (item[0], item[1]["top"])))
    for number in numbers:
        for page, word in candidates:
            if word["text"] == number:
                starts.append(Start(page, float(word["bottom"]), float(word["x0"])))
                break
        else:
            raise AssertionError(f"{pdf.name}: clause {number} not found at the start of a line in the {left=} column")
    return starts


def assert_level(pdf: Path, document: Bilingual) -> list[tuple[Start, Start]]:
    numbers = [clause.number for clause in document.first.clauses()]
    assert numbers == [clause.number for clause in document.second.clauses()]
    rows = list(zip(clause_starts(pdf, numbers, True), clause_starts(pdf, numbers, False), strict=True))
    for number, (one, two) in zip(numbers, rows, strict=True):
        assert one.page == two.page, f"{pdf.name}: clause {number} starts on pages {one.page + 1} and {two.page + 1}"
        assert abs(one.bottom - two.bottom) <= LEVEL_PT, f"{pdf.name}: clause {number} is not level: {one} {two}"
        assert one.x < two.x
    return rows


@pytest.mark.parametrize("jurisdiction", PAIRS)
def test_each_clause_pair_starts_level_on_one_page_in_the_pdf(pairs: dict[str, Pair], jurisdiction: str) -> None:
    pair = pairs[jurisdiction]
    rows = assert_level(pair.pdf, pair.document)
    assert len({one.page for one, _ in rows}) > 1, "the clauses fill more than one page"
    assert check_layout(pair.pdf) == [], "every word inside the page's text area, no line crowding another"


@pytest.mark.parametrize("jurisdiction", THROUGH_LIBREOFFICE)
def test_the_docx_as_libreoffice_lays_it_out_keeps_pairs_level(
    pairs: dict[str, Pair], docx_as_pdf: dict[str, Path], jurisdiction: str
) -> None:
    assert_level(docx_as_pdf[jurisdiction], pairs[jurisdiction].document)


def squash(text: str) -> str:
    return re.sub(r"[\s\u00ad\u2010\u2011-]+", "", text)


@pytest.mark.parametrize("jurisdiction", THROUGH_LIBREOFFICE)
def test_the_docx_opened_by_libreoffice_has_every_clause_in_both_languages_in_order(
    pairs: dict[str, Pair], docx_as_pdf: dict[str, Path], jurisdiction: str
) -> None:
    text = squash(pdf_text(docx_as_pdf[jurisdiction], mode="-raw", body_only=True))
    document = pairs[jurisdiction].document
    for side in (document.first, document.second):
        position = 0
        for clause in side.clauses():
            found = text.find(squash(clause.text), position)
            assert found >= 0, f"{side.language}: clause {clause.number} ({clause.id}) missing or out of order"
            position = found


@pytest.mark.parametrize("jurisdiction", ["pl", "bg", "ua", "gb"])
def test_both_languages_fixed_wording_dates_and_prevailing_clause_are_printed(
    pairs: dict[str, Pair], jurisdiction: str
) -> None:
    document = pairs[jurisdiction].document
    text = squash(pdf_text(pairs[jurisdiction].pdf, mode="-raw"))
    first, second = document.first, document.second
    for side in (first, second):
        for printed in (side.title, side.subtitle, side.approval.approved_label, side.familiarization.heading):
            assert squash(printed) in text, f"{side.language}: {printed!r}"
        assert squash(side.approval.approver.date or "") in text  # "22 listopada 2026 r." and "22 November 2026"
        assert squash("".join(part.text for part in side.footer if part.kind == "text")[:4]) in text
    for prevails in document.prevails:
        assert squash(prevails) in text
    # The prevailing clause comes after the last clause, before the signatures, in both columns.
    assert text.index(squash(document.prevails[0])) > text.index(squash(first.clauses()[-1].text))
    assert text.index(squash(document.prevails[1])) < text.index(squash(first.approval.approved_label))


@pytest.mark.parametrize("jurisdiction", sorted(PAIRS))
def test_one_document_one_number_one_table_of_signatures_dates_kept_whole(
    pairs: dict[str, Pair], jurisdiction: str
) -> None:
    """What the native readings asked of every pair: the binding number in both columns; the
    table's labels, never the Eastern block's ("УТВЪРЖДАВАМ:"); where and when the approver
    signs broken only after its comma; a name printed once when only its capitals differ."""
    document = pairs[jurisdiction].document
    first, second = document.first, document.second
    number = first.number.split()[-1].split("\u00a0")[-1]
    romanized = romanize(number, first.language[:2]) if can_romanize(first.language[:2]) else number
    assert number in second.number or romanized in second.number  # "PI-014" beside "ПІ-014"
    for side in (first, second):
        assert side.approval.approved_label.rstrip(":").lower() == side.approval.approved_label.lower()
        date = side.approval.approver.date or ""
        assert all(" " not in part and "-" not in part for part in date.split(", "))
    layout = pdf_text(pairs[jurisdiction].pdf)
    assert "None" not in layout  # an Eastern approver's date is left blank, not printed as a missing value
    for name in {p.name for p in (*first.approval.agreed, first.approval.approver)}:
        twin = next(q.name for q in (*second.approval.agreed, second.approval.approver) if q.role in
                    {p.role for p in (*first.approval.agreed, first.approval.approver) if p.name == name})  # fmt: skip
        if twin.lower() == name.lower() and twin != name:
            assert twin not in layout, f"{twin!r} printed beside {name!r}"


def test_polish_with_english_names_the_polish_version_binding(pairs: dict[str, Pair]) -> None:
    polish, english = pairs["pl"].document.prevails
    assert "wersja w\u00a0języku polskim" in polish  # the one-letter word bound to the next
    assert "Polish version prevails" in english


def _languages_of_cells(pdf: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with pikepdf.open(pdf) as document:
        stack = [document.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            if isinstance(element, pikepdf.Array):
                stack.extend(element)
                continue
            if not isinstance(element, pikepdf.Dictionary):
                continue
            if element.get("/S") == "/TD" and "/Lang" in element:
                counts[str(element.Lang)] = counts.get(str(element.Lang), 0) + 1
            if "/K" in element:
                stack.append(element.K)
    return counts


@pytest.mark.parametrize("jurisdiction", ["pl", "ua", "gb"])
def test_each_column_is_tagged_with_its_language(pairs: dict[str, Pair], jurisdiction: str) -> None:
    document = pairs[jurisdiction].document
    counts = _languages_of_cells(pairs[jurisdiction].pdf)
    clauses = len(document.first.clauses())
    assert counts.get(document.first.language, 0) > clauses
    assert counts.get(document.second.language, 0) > clauses


def _docx_run_languages(docx: Path) -> dict[str, int]:
    import zipfile

    package = zipfile.ZipFile(docx)
    parts = [name for name in package.namelist() if name == "word/document.xml" or name.startswith("word/footer")]
    xml = "".join(package.read(name).decode() for name in parts)
    counts: dict[str, int] = {}
    for run in re.findall(r"<w:r>.*?</w:r>", xml):
        if "<w:t" in run:
            lang = re.search(r'<w:lang w:val="([^"]+)"', run)
            key = lang.group(1) if lang else "none"
            counts[key] = counts.get(key, 0) + 1
    return counts


@pytest.mark.parametrize("jurisdiction", ["pl", "bg"])
def test_every_docx_run_says_its_language_footer_included(pairs: dict[str, Pair], jurisdiction: str) -> None:
    document = pairs[jurisdiction].document
    counts = _docx_run_languages(pairs[jurisdiction].docx)
    assert "none" not in counts
    assert set(counts) == {document.first.language, document.second.language}


@pytest.mark.parametrize("variant", ["pdf/a-3b", "pdf/ua-1"])
def test_archival_and_accessible_variants_keep_signature_fields_and_languages(tmp_path: Path, variant: str) -> None:
    from jobdesc.renderers import RenderOptions

    request = Request(language="uk+pl", jurisdiction="ua", formats=("pdf",))
    [pdf] = render(request, tmp_path, options=RenderOptions(pdf_variant=variant))
    document, _ = build_any(request)
    assert isinstance(document, Bilingual)
    with pikepdf.open(pdf) as opened:
        fields = {str(field.T) for field in opened.Root.AcroForm.Fields}
        metadata = str(opened.open_metadata())
    approval = document.first.approval
    assert {approval.approver.role, *(s.role for s in approval.agreed)} <= fields
    assert "familiarization-1" in fields
    assert ("pdfaid" if variant.startswith("pdf/a") else "pdfuaid") in metadata
    counts = _languages_of_cells(pdf)
    assert counts.get("uk-UA") and counts.get("pl-PL")


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        ("en+pl", "the first language of a pair is the one that binds"),
        ("pl+pl", "must differ"),
        ("pl+", "a pair like pl+en"),
        ("pl+en+de", "a pair like pl+en"),
        ("pl+xx", "unknown language"),
    ],
)
def test_a_pair_that_cannot_be_rendered_is_a_usage_error(languages: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        build_any(Request(language=languages, jurisdiction="pl"))


LONGER = (
    "Dabei sind insbesondere die Preisgestaltung, die Zahlungsziele, die Rabattstaffeln, die Liefer- und "
    "Leistungsfristen, die Haftungsregelungen sowie etwaige Sonderkonditionen im Einzelnen darzulegen und "
    "schriftlich zu begründen; die Abstimmung ist vor Abgabe eines verbindlichen Angebots abzuschließen und "
    "im Kundenverwaltungssystem nachvollziehbar zu dokumentieren."
)


@pytest.fixture(scope="module")
def longer_german(tmp_path_factory: pytest.TempPathFactory) -> tuple[Bilingual, Path]:
    """de+en where one German clause runs many times as long as its English, and another runs
    longer than a page."""
    profiles = Path(shutil.copytree(PROFILES, tmp_path_factory.mktemp("longer") / "profiles"))
    role = profiles / "roles" / "account-manager.yaml"
    edit_clause_text(role, "key-customer-terms", "de", LONGER)
    edit_clause_text(role, "customer-database", "de", " ".join([LONGER] * 12))
    bundle = Bundle(profiles)
    request = Request(language="de+en", jurisdiction="de", formats=("pdf",))
    document, _ = build_any(request, bundle)
    assert isinstance(document, Bilingual)
    [pdf] = render(request, tmp_path_factory.mktemp("longer-out"), bundle)
    return document, pdf


def test_a_much_longer_german_clause_keeps_the_next_pair_level(longer_german: tuple[Bilingual, Path]) -> None:
    document, pdf = longer_german
    rows = assert_level(pdf, document)
    numbers = [c.id for c in document.first.clauses()]
    after = numbers.index("key-customer-terms") + 1
    (one, _), (two, _) = rows[after - 1], rows[after]
    if one.page == two.page:  # the English column waits for the German: a gap of several lines
        assert two.bottom - one.bottom > 6 * 12


def test_a_clause_longer_than_a_page_splits_with_both_starts_together(longer_german: tuple[Bilingual, Path]) -> None:
    document, pdf = longer_german
    rows = assert_level(pdf, document)
    index = [c.id for c in document.first.clauses()].index("customer-database")
    (start, _), (following, _) = rows[index], rows[index + 1]
    assert following.page > start.page, "the long clause runs onto the next page"
    text = pdf_text(pdf, first=start.page + 1, last=start.page + 1, mode="-raw")
    english = document.second.clauses()[index].text
    assert squash(english) in squash(text), "the English half is whole on the page where both halves start"


def test_a_batch_renders_each_jurisdiction_beside_english(tmp_path: Path) -> None:
    batch = tmp_path / "bilingual.yaml"
    batch.write_text("roles: [account-manager]\njurisdictions: [pl, bg]\nlanguages: [own+en]\nformats: [docx]\n")
    result = run_batch(batch, tmp_path / "out", workers=1)
    assert [o.status for o in result.outcomes] == ["rendered", "rendered"], [o.error for o in result.outcomes]
    names = sorted(path.name for path in (tmp_path / "out").glob("*.docx"))
    assert names == ["account-manager_bg_bg-BG+en-GB.docx", "account-manager_pl_pl-PL+en-GB.docx"]


@pytest.mark.parametrize(
    ("languages", "message"),
    [("own+xx", "unknown language 'own+xx'"), ("pl+pl", "must differ"), ("en+own", "unknown language")],
)
def test_a_batch_names_a_pair_it_cannot_read(tmp_path: Path, languages: str, message: str) -> None:
    batch = tmp_path / "bilingual.yaml"
    batch.write_text(f"roles: [account-manager]\njurisdictions: [pl]\nlanguages: [{languages}]\n")
    with pytest.raises(ProfileError, match=re.escape(message)) as raised:
        load_batch(batch, Bundle())
    assert "bilingual.yaml:3" in str(raised.value)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_verify_finds_a_bilingual_file_up_to_date(pairs: dict[str, Pair], fmt: str) -> None:
    pair = pairs["pl"]
    check = check_version(pair.pdf if fmt == "pdf" else pair.docx)
    assert check.identity.language == "pl-PL+en-GB"
    assert check.up_to_date
    assert check.disagreement == ""


def test_the_approver_signs_a_bilingual_pdf_once_and_verify_trusts_it(
    pairs: dict[str, Pair], signers: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = Path(shutil.copy(pairs["pl"].pdf, tmp_path / pairs["pl"].pdf.name))
    assert sign(pdf, "approved-by", signers["director"], monkeypatch).exit_code == 0
    result = verify(pdf, signers)
    assert result.exit_code == 0, result.output
    approved = field_line(result, "approved-by")
    assert "intact, trusted" in approved and "NOT VALID" not in approved
    assert "up to date with the current profiles" in result.output


def test_the_html_page_marks_each_clause_cell_with_its_language(tmp_path: Path) -> None:
    request = Request(language="bg+en", jurisdiction="bg", formats=("html",))
    [page] = render(request, tmp_path)
    document, _ = build_any(request)
    assert isinstance(document, Bilingual)
    html = page.read_text(encoding="utf-8")
    assert "<link" not in html, "the page opens on its own: both stylesheets inlined"
    for clause in document.first.clauses():
        row = re.search(rf'<tr class="clause level-\d" id="{re.escape(clause.id)}">(.*?)</tr>', html, re.DOTALL)
        assert row, clause.id
        languages = re.findall(r'<td lang="([^"]+)">', row.group(1))
        assert languages == ["bg-BG", "en-GB"], clause.id
