"""Each language's typography reaches the page: no-break spaces where its rules put them,
kept from the source and never split at a line end, in the PDF's text and the DOCX's XML."""

from __future__ import annotations

import zipfile

import pytest
from conftest import Rendered

from jobdesc.i18n import LANGUAGES
from jobdesc.languages import rules
from jobdesc.pipeline import Request, build_document
from jobdesc.typography import NBSP, NNBSP, typeset

RULES = [
    ("fr", "Connaissances requises :", f"requises{NNBSP}:"),
    ("fr", "Pourquoi ? Parce que ; enfin !", f"Pourquoi{NNBSP}? Parce que{NNBSP}; enfin{NNBSP}!"),
    ("fr", "la « fiche de poste »", f"«{NNBSP}fiche de poste{NNBSP}»"),
    ("pl", "w zakresie i z klientem", f"w{NBSP}zakresie i{NBSP}z{NBSP}klientem"),
    ("pl", "art. 108 Kodeksu pracy", f"art.{NBSP}108{NBSP}Kodeksu"),
    ("ru", "ООО «Ромашка», № 197-ФЗ", f"ООО{NBSP}«Ромашка», №{NBSP}197-ФЗ"),
    ("ru", "И. П. Иванов", f"И.{NBSP}П.{NBSP}Иванов"),
    ("uk", "ТОВ «Карпати Трейд»", f"ТОВ{NBSP}«Карпати"),
    ("bg", "чл. 186, ал. 1, т. 4", f"чл.{NBSP}186, ал.{NBSP}1, т.{NBSP}4"),
    ("es", "art. 58 y N.º 14", f"N.º{NBSP}14"),
    ("es", "según el art. 58", f"art.{NBSP}58"),
    ("it", "art. 2104 c.c.", f"art.{NBSP}2104"),
    ("de", "nach § 619a BGB", f"§{NBSP}619a"),
    ("en", "No. 14 and s. 13", f"No.{NBSP}14"),
    ("en", "under s. 13", f"s.{NBSP}13"),
    ("bg", "тест - тест", f"тест{NBSP}— тест"),
    ("es", "Primerna, S.L..", "Primerna, S.L."),
]


@pytest.mark.parametrize(("language", "source", "expected"), RULES)
def test_each_language_rule_binds_what_it_names(language: str, source: str, expected: str) -> None:
    assert expected in typeset(source, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_number_stays_with_its_word_and_an_authors_no_break_space_is_kept(language: str) -> None:
    assert typeset("at least 2 years", language) == f"at least 2{NBSP}years"
    assert typeset(f"5{NBSP}%\n and  more", language).startswith(f"5{NBSP}% and more")


@pytest.mark.parametrize("language", LANGUAGES)
def test_straight_quotes_become_the_languages_own(language: str) -> None:
    opening, closing = rules(language).quotes
    assert typeset('the "Example" company', language).replace(NNBSP, "") == f"the {opening}Example{closing} company"


def test_polish_dates_end_in_r() -> None:
    document, _ = build_document(Request(jurisdiction="pl"))
    date = document.approval.approver.date
    assert date and date.endswith(f"2026{NBSP}r.")  # "23 listopada 2026 r.", the year kept with its "r."


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_break_spaces_reach_the_pdf_text_and_the_docx_xml(rendered: dict[str, Rendered], language: str) -> None:
    import pdfplumber

    made = rendered[language]
    requirements = next(c.text for c in made.document.clauses() if c.id == "requirements")
    assert f"2{NBSP}" in requirements  # "at least 2 years": the number keeps its word
    with pdfplumber.open(made.pdf) as pdf:
        text = "".join(char["text"] for page in pdf.pages for char in page.chars)
    with zipfile.ZipFile(made.docx) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    for output in (text, xml):
        assert f"2{NBSP}" in output
        if language == "fr":
            assert f"{NNBSP}:" in output
