"""HR's story: the account-manager instruction in each language, as PDF and as DOCX.

What is checked is what a reader sees: the PDF's text layer, and the DOCX as
LibreOffice lays it out.
"""

from __future__ import annotations

import re

import pytest
from conftest import Rendered, pdf_pages, pdf_text

from jobdesc.i18n import LANGUAGES
from jobdesc.paths import PROFILES
from jobdesc.profile import load_role

FORMATS = ("pdf", "docx")
# Golden values: what a native reader expects to see.
APPROVED = {"bg": "УТВЪРЖДАВАМ:", "en": "APPROVED", "es": "APROBADO", "it": "APPROVATO", "pt": "APROVADO"}
AGREED = {"bg": "СЪГЛАСУВАНО:", "en": "AGREED", "es": "CONFORME", "it": "VISTO", "pt": "VISTO"}
APPROVAL_DATE = {
    "bg": "22 ноември 2026 г.",
    "en": "22 November 2026",
    "es": "22 de noviembre de 2026",
    "it": "22 novembre 2026",
    "pt": "22 de novembro de 2026",
}
PAGE_X_OF_Y = {
    "bg": "Страница {} от {}",
    "en": "Page {} of {}",
    "es": "Página {} de {}",
    "it": "Pagina {} di {}",
    "pt": "Página {} de {}",
}
SHEET_HEADING = {
    "bg": "ЛИСТ ЗА ЗАПОЗНАВАНЕ",
    "en": "FAMILIARIZATION SHEET",
    "es": "ACUSE DE RECIBO",
    "it": "RICEVUTA DI CONSEGNA E PRESA VISIONE",
    "pt": "DECLARAÇÃO DE RECEÇÃO",
}
SECTION_HEADINGS = {
    "bg": "I. Общи положения|II. Длъжностни задължения|III. Права|IV. Отговорност|V. Критерии за оценка",
    "en": "I. General provisions|II. Duties|III. Rights|IV. Liability|V. Evaluation criteria",
    "es": "I. Disposiciones generales|II. Funciones|III. Derechos|IV. Responsabilidad|V. Criterios de evaluación",
    "it": "I. Disposizioni generali|II. Mansioni|III. Diritti|IV. Responsabilità|V. Criteri di valutazione",
    "pt": "I. Disposições gerais|II. Funções|III. Direitos|IV. Responsabilidade|V. Critérios de avaliação",
}

both = pytest.mark.parametrize("fmt", FORMATS)
every_language = pytest.mark.parametrize("language", LANGUAGES)


def squash(text: str) -> str:
    """Drop what layout changes (line breaks, hyphenation); keep words and their order."""
    return re.sub(r"[\s\u00ad\u2010\u2011-]+", "", text)


def assert_in_order(text: str, expected: list[str]) -> None:
    haystack, position = squash(text), 0
    for item in expected:
        found = haystack.find(squash(item), position)
        assert found >= 0, f"not found (in order) after position {position}: {item!r}"
        position = found + len(squash(item))


@every_language
def test_every_profile_clause_reaches_the_document(rendered: dict[str, Rendered], language: str) -> None:
    role = load_role(PROFILES / "roles" / "account-manager.yaml")
    assert [c.id for c in rendered[language].document.clauses()] == [c.id for c in role.clauses()]


@every_language
@both
def test_every_clause_is_printed_in_order_with_its_number(
    rendered: dict[str, Rendered], language: str, fmt: str
) -> None:
    result = rendered[language]
    expected = [f"{c.number} {c.text}" for c in result.document.clauses()]
    assert len(expected) >= 12 + 6 + 3 + 10 + 4
    assert_in_order(pdf_text(result.read_back(fmt)), expected)


@every_language
@both
def test_sections_come_in_their_fixed_order(rendered: dict[str, Rendered], language: str, fmt: str) -> None:
    text = pdf_text(rendered[language].read_back(fmt))
    assert_in_order(text, [*SECTION_HEADINGS[language].split("|"), SHEET_HEADING[language]])


@every_language
@both
def test_approval_block_with_localized_date_is_on_page_one(
    rendered: dict[str, Rendered], language: str, fmt: str
) -> None:
    result = rendered[language]
    approval = result.document.approval
    first_page = pdf_text(result.read_back(fmt), first=1, last=1)
    expected = [APPROVED[language], approval.approver.position, approval.approver.name, APPROVAL_DATE[language]]
    expected.append(AGREED[language])
    for signatory in approval.agreed:
        expected += [signatory.position, signatory.name]
    assert_in_order(first_page, expected)
    # The approval block comes before the title.
    assert_in_order(first_page, [APPROVED[language], result.document.title])


@every_language
@both
def test_every_page_says_page_x_of_y(rendered: dict[str, Rendered], language: str, fmt: str) -> None:
    path = rendered[language].read_back(fmt)
    pages = pdf_pages(path)
    assert pages >= 3
    for page in range(1, pages + 1):
        assert PAGE_X_OF_Y[language].format(page, pages) in pdf_text(path, first=page, last=page)


@every_language
@both
def test_familiarization_sheet_is_the_last_page(rendered: dict[str, Rendered], language: str, fmt: str) -> None:
    path = rendered[language].read_back(fmt)
    sheet = rendered[language].document.familiarization
    last_page = pdf_text(path, first=pdf_pages(path), last=pdf_pages(path))
    assert_in_order(last_page, [sheet.heading, sheet.statement, *sheet.columns, "1", "2", str(sheet.rows)])
    assert sheet.heading not in pdf_text(path, last=pdf_pages(path) - 1)
