"""HR's story: the account-manager instruction in each language, as PDF and as DOCX.

What is checked is what a reader sees: the PDF's text layer, and the DOCX as
LibreOffice lays it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from conftest import JURISDICTION_OF, Rendered, pdf_pages, pdf_text

from jobdesc.i18n import LANGUAGES
from jobdesc.merge import with_framework
from jobdesc.paths import PROFILES
from jobdesc.profile import Role, load_jurisdiction, load_role

FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Golden:
    """What a native reader expects to see, written out by hand."""

    approved: str  # the approval label (block) or "approved by" (signature table)
    date: str  # the approval date, CLDR long format
    page: str  # "page {} of {}"
    sheet: str  # the acknowledgement's heading: the familiarization sheet or the employee's receipt
    sections: str  # the five section headings, "|"-separated


GOLDEN = {
    "bg": Golden("УТВЪРЖДАВАМ:", "23 ноември 2026 г.", "Страница {} от {}", "ЛИСТ ЗА ЗАПОЗНАВАНЕ",
                 "I. Общи положения|II. Длъжностни задължения|III. Права|IV. Отговорност|V. Критерии за оценка"),
    "de": Golden("Freigegeben von", "23. November 2026", "Seite {} von {}", "EMPFANGSBESTÄTIGUNG",
                 "I. Allgemeines|II. Aufgaben|III. Befugnisse|IV. Verantwortung und Haftung|V. Beurteilungskriterien"),
    "en": Golden("Approved by", "23 November 2026", "Page {} of {}", "EMPLOYEE ACKNOWLEDGEMENT",
                 "I. General|II. Main duties|III. Authority|IV. Responsibility and liability|V. Performance criteria"),
    "es": Golden("Aprobado por", "23 de noviembre de 2026", "Página {} de {}", "ACUSE DE RECIBO",
                 "I. Disposiciones generales|II. Funciones|III. Derechos|IV. Responsabilidad|"
                 "V. Criterios de evaluación"),
    "fr": Golden("Approuvé par", "23 novembre 2026", "Page {} sur {}", "ACCUSÉ DE RÉCEPTION DU SALARIÉ",
                 "I. Dispositions générales|II. Missions|III. Prérogatives|IV. Responsabilités|"
                 "V. Critères d’évaluation"),
    "it": Golden("Approvato da", "23 novembre 2026", "Pagina {} di {}", "PER RICEVUTA E PRESA VISIONE",
                 "I. Disposizioni generali|II. Mansioni|III. Diritti|IV. Responsabilità|V. Criteri di valutazione"),
    "pl": Golden("Zatwierdził(a)", "23 listopada 2026 r.", "Strona {} z {}", "OŚWIADCZENIE PRACOWNIKA",
                 "I. Postanowienia ogólne|II. Obowiązki|III. Uprawnienia|IV. Odpowiedzialność|V. Kryteria oceny"),
    "pt": Golden("Aprovado por", "23 de novembro de 2026", "Página {} de {}", "DECLARAÇÃO DE RECEÇÃO",
                 "I. Disposições gerais|II. Funções|III. Direitos|IV. Responsabilidade|V. Critérios de avaliação"),
    "ro": Golden("Aprobat", "23 noiembrie 2026", "Pagina {} din {}", "TITULARUL POSTULUI",
                 "I. Dispoziții generale|II. Atribuții|III. Drepturi|IV. Răspundere|V. Criterii de evaluare"),
    "ru": Golden("УТВЕРЖДАЮ", "23 ноября 2026 г.", "Страница {} из {}", "ЛИСТ ОЗНАКОМЛЕНИЯ",
                 "I. Общие положения|II. Должностные обязанности|III. Права|IV. Ответственность|V. Критерии оценки"),
    "uk": Golden("ЗАТВЕРДЖУЮ", "23 листопада 2026 р.", "Сторінка {} з {}", "АРКУШ ОЗНАЙОМЛЕННЯ",
                 "I. Загальні положення|II. Завдання та обов’язки|III. Права|IV. Відповідальність|"
                 "V. Критерії оцінювання"),
}  # fmt: skip

both = pytest.mark.parametrize("fmt", FORMATS)
every_language = pytest.mark.parametrize("language", LANGUAGES)


def squash(text: str) -> str:
    """Drop what layout changes (line breaks, hyphenation); keep words and their order."""
    return re.sub(r"[\s\u00ad\u2010\u2011-]+", "", text)


def squash_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def assert_in_order(text: str, expected: list[str]) -> None:
    haystack, position = squash(text), 0
    for item in expected:
        found = haystack.find(squash(item), position)
        assert found >= 0, f"not found (in order) after position {position}: {item!r}"
        position = found + len(squash(item))


@every_language
def test_every_profile_clause_reaches_the_document(rendered: dict[str, Rendered], language: str) -> None:
    """The role's clauses inside its jurisdiction's framework, each once, in order."""
    role = load_role(PROFILES / "roles" / "account-manager.yaml")
    assert isinstance(role, Role)
    jurisdiction = load_jurisdiction(PROFILES / "jurisdictions" / f"{JURISDICTION_OF[language]}.yaml")
    merged = with_framework(role, jurisdiction)
    assert [c.id for c in rendered[language].document.clauses()] == [c.id for c in merged.clauses()]
    assert {c.id for c in role.clauses()} <= {c.id for c in merged.clauses()}


@every_language
@both
def test_every_clause_is_printed_in_order_with_its_number(
    rendered: dict[str, Rendered], language: str, fmt: str
) -> None:
    result = rendered[language]
    expected = [f"{c.number} {c.text}" for c in result.document.clauses()]
    assert len(expected) >= 12 + 6 + 3 + 10 + 4
    assert_in_order(pdf_text(result.read_back(fmt), body_only=True), expected)


@every_language
@both
def test_sections_come_in_their_fixed_order(rendered: dict[str, Rendered], language: str, fmt: str) -> None:
    text = pdf_text(rendered[language].read_back(fmt))
    assert_in_order(text, [*GOLDEN[language].sections.split("|"), GOLDEN[language].sheet])


@every_language
@both
def test_the_sign_off_is_where_the_jurisdiction_puts_it(rendered: dict[str, Rendered], language: str, fmt: str) -> None:
    """APPROVED top right of page one with the reviewers' visas after the text (BG, RU, UA),
    or a signature table after the last section (ES, IT, PT, DE, FR, GB, PL, RO); either way
    with every name and the date."""
    result = rendered[language]
    approval, golden = result.document.approval, GOLDEN[language]
    approver = [approval.approver.position, approval.approver.name, golden.date]
    reviewers = [text for s in approval.agreed for text in (s.position, s.name)]
    path = result.read_back(fmt)
    first_page = pdf_text(path, first=1, last=1)
    last_clause = result.document.clauses()[-1].text
    everything = pdf_text(path, mode="-raw")
    if approval.form == "approval-with-visas":
        assert_in_order(first_page, [golden.approved, *approver, result.document.title])
        assert_in_order(everything, [last_clause, approval.agreed_label, *reviewers, golden.sheet])
    else:
        assert approval.form == "signature-table"  # reviewers first, the approver last
        assert_in_order(everything, [last_clause, *reviewers, golden.approved, *approver, golden.sheet])
        assert golden.approved not in first_page


@every_language
@both
def test_every_page_says_page_x_of_y(rendered: dict[str, Rendered], language: str, fmt: str) -> None:
    path = rendered[language].read_back(fmt)
    pages = pdf_pages(path)
    assert pages >= 3
    for page in range(1, pages + 1):
        assert GOLDEN[language].page.format(page, pages) in squash_spaces(pdf_text(path, first=page, last=page))


@every_language
@both
def test_the_employee_acknowledges_last(rendered: dict[str, Rendered], language: str, fmt: str) -> None:
    """The Eastern familiarization sheet on its own last page, numbered rows; the Western
    receipt after the sign-off, on the last page."""
    path = rendered[language].read_back(fmt)
    sheet = rendered[language].document.familiarization
    last_page = pdf_text(path, first=pdf_pages(path), last=pdf_pages(path))
    if sheet.form == "familiarization-sheet":
        assert_in_order(last_page, [sheet.heading, sheet.statement, *sheet.columns, "1", "2", str(sheet.rows)])
        assert sheet.heading not in pdf_text(path, last=pdf_pages(path) - 1)
    else:
        assert_in_order(last_page, [sheet.heading, sheet.statement, *sheet.columns])
