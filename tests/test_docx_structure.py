"""What Word users rely on in the DOCX: named styles, real lists and fields, language, fonts.

LibreOffice's reading of the file is checked in test_documents.py; these tests
look at the structures Word itself depends on.
"""

from __future__ import annotations

import docx
import pytest
from conftest import Rendered
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from jobdesc.i18n import LANGUAGES
from jobdesc.renderers.docx import REFERENCE
from jobdesc.renderers.docx_reference import PARAGRAPH_STYLES, check_reference

every_language = pytest.mark.parametrize("language", LANGUAGES)


@every_language
def test_clauses_are_a_real_numbered_list_restarting_in_each_section(
    rendered: dict[str, Rendered], language: str
) -> None:
    document = docx.Document(str(rendered[language].docx))
    clauses = [p for p in document.paragraphs if p.style.name in ("Clause", "Clause 2")]
    assert len(clauses) == len(rendered[language].document.clauses())
    lists = []
    for paragraph in clauses:
        num_pr = paragraph._p.pPr.find(qn("w:numPr"))
        assert num_pr is not None, paragraph.text
        level = int(num_pr.find(qn("w:ilvl")).get(qn("w:val")))
        assert level == (0 if paragraph.style.name == "Clause" else 1)
        lists.append(num_pr.find(qn("w:numId")).get(qn("w:val")))
    assert len(dict.fromkeys(lists)) == 5  # one list per section, I to V


@every_language
def test_only_named_styles_from_the_reference_are_used(rendered: dict[str, Rendered], language: str) -> None:
    document = docx.Document(str(rendered[language].docx))
    used = {p.style.name for p in document.paragraphs}
    assert used <= set(PARAGRAPH_STYLES)
    assert {"Title", "Heading 1", "Clause", "Clause 2"} <= used
    if rendered[language].document.familiarization.form == "familiarization-sheet":
        assert "Sheet Heading" in used
    if rendered[language].document.approval.form != "signature-table":
        assert {"Approval Label", "Approval"} <= used


@every_language
def test_footer_holds_page_and_numpages_fields(rendered: dict[str, Rendered], language: str) -> None:
    footer = docx.Document(str(rendered[language].docx)).sections[0].footer
    instructions = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]


@every_language
def test_language_is_set_on_styles_and_runs(rendered: dict[str, Rendered], language: str) -> None:
    result = rendered[language]
    document = docx.Document(str(result.docx))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == result.document.language
    runs = [r for p in document.paragraphs for r in p.runs]
    assert runs and all(r._r.rPr.find(qn("w:lang")).get(qn("w:val")) == result.document.language for r in runs)
    assert document.core_properties.language == result.document.language


def test_fonts_are_set_for_every_script_without_theme_overrides() -> None:
    document = docx.Document(str(REFERENCE))
    fonts = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(slot)) == "Times New Roman"
    themed = [f for f in document.styles.element.iter(qn("w:rFonts")) if f.get(qn("w:asciiTheme"))]
    assert themed == []


def test_the_bundled_reference_has_every_style_and_the_list_numbering() -> None:
    assert check_reference(docx.Document(str(REFERENCE)), str(REFERENCE))


@every_language
def test_familiarization_rows_do_not_split_and_the_header_repeats(rendered: dict[str, Rendered], language: str) -> None:
    table = docx.Document(str(rendered[language].docx)).tables[-1]
    assert len(table.rows) == rendered[language].document.familiarization.rows + 1
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


@every_language
def test_the_sign_off_is_kept_on_one_page(rendered: dict[str, Rendered], language: str) -> None:
    document = docx.Document(str(rendered[language].docx))
    if rendered[language].document.approval.form == "approval-with-visas":
        # Two blocks, each kept whole: APPROVED before the title, the visas after the clauses.
        blocks: list[list[Paragraph]] = [[]]
        for paragraph in document.paragraphs:
            if paragraph.style.name in ("Approval Label", "Approval") and paragraph.text:
                blocks[-1].append(paragraph)
            elif blocks[-1]:
                blocks.append([])
        blocks = [block for block in blocks if block]
        assert len(blocks) == 2
    else:  # the signature table: every row keeps with the next, and no row splits
        rows = document.tables[0].rows
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        blocks = [[row.cells[0].paragraphs[0] for row in rows]]
    for lines in blocks:
        assert lines and all(p.paragraph_format.keep_with_next for p in lines[:-1])


@every_language
def test_core_properties_carry_title_author_and_date(rendered: dict[str, Rendered], language: str) -> None:
    result = rendered[language]
    props = docx.Document(str(result.docx)).core_properties
    assert props.title == f"{result.document.title} {result.document.subtitle}"
    assert props.author == result.document.author
    assert props.created.date() == result.document.created
