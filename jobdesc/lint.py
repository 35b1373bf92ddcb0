"""Nothing foreign reaches a page: the output lint.

It reads the document model after substitution and typography, which is exactly what
every output prints (the completeness check proves each output shows it), and refuses
text no one wrote for the reader:
- template code: ``{{ }}``, ``{% %}``, ``{# #}``;
- doubled sentence punctuation (``..``, ``,,``), a space before punctuation, empty brackets,
  straight double quotes;
- letters of a script the document's language does not use (Cyrillic in a Latin-script
  document; Latin words in a Cyrillic one, except Roman numerals and the words the
  language's rules allow). Text the organisation supplies is exempt here: ``validate``
  warns about it instead, naming the field;
- in a western jurisdiction, the Eastern formulas the language's lawyers strike there
  ("appointed and dismissed by order", "category of specialists", ...).
Each finding names the variant, the clause and the source file and line of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from .errors import Diagnostic, Location
from .languages import SCRIPTS, LanguageRules, latin_words, rules
from .model import Document

_TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_DOUBLED = re.compile(r"(?<!\.)\.\.(?!\.)|([,;:!?])\1")
_SPACE_BEFORE = re.compile(r"[ \u00a0](?=[,.;:!?](?:\s|$))")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_STRAIGHT_QUOTE = re.compile(r'"')
_CYRILLIC_WORD = re.compile(f"[{SCRIPTS['cyrillic']}]+")


@dataclass(frozen=True)
class Printed:
    """One text as printed, and where it was written."""

    text: str
    where: Location
    what: str  # "clause 'negotiate' (II.5.)", "the title", ...
    supplied: bool = False  # by the organisation (or the employees list), not by the library


def lint(
    document: Document, printed: list[Printed], supplied_words: set[str], western: bool, variant: str
) -> list[Diagnostic]:
    """Every finding in ``printed`` as a diagnostic naming the variant, what and where."""
    lang = rules(document.language.split("-")[0])
    findings = []
    for item in printed:
        for problem in _problems(item, lang, supplied_words, western):
            findings.append(Diagnostic(item.where, f"{variant}: {item.what}", problem))
    return findings


def _problems(item: Printed, lang: LanguageRules, supplied: set[str], western: bool) -> Iterator[str]:
    text = item.text
    if match := _TEMPLATE.search(text):
        yield f"template code {match.group(0)!r} in the printed text: {_around(text, match.start())}"
    if match := _DOUBLED.search(text):
        yield f"doubled punctuation {match.group(0)!r}: {_around(text, match.start())}"
    if lang.code != "fr" and (match := _SPACE_BEFORE.search(text)):
        yield f"a space before punctuation: {_around(text, match.start())}"
    if match := _EMPTY_BRACKETS.search(text):
        yield f"empty brackets: {_around(text, match.start())}"
    if match := _STRAIGHT_QUOTE.search(text):
        yield f"a straight quotation mark (this language uses {''.join(lang.quotes)}): {_around(text, match.start())}"
    if not item.supplied:
        for word in _foreign_words(text, lang):
            if word.lower() not in supplied:
                yield f"{word!r} is not in the {lang.script} script of {lang.code!r} documents"
                break
        if western:
            lowered = text.lower()
            for formula in lang.struck_formulas:
                if formula in lowered:
                    yield f"{formula!r} is the Eastern job-instruction form, wrong in a western jurisdiction"


def _foreign_words(text: str, lang: LanguageRules) -> Iterator[str]:
    if lang.script == "latin":
        yield from (m.group(0) for m in _CYRILLIC_WORD.finditer(text))
        return
    allowed = _allowed_terms(lang.allowed_foreign_words)
    if allowed:
        text = allowed.sub(" ", text)
    yield from latin_words(text)


@cache
def _allowed_terms(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """The terms a language allows in the other script, whole (a product name, the official
    title of a foreign act): "de" alone in prose is still an error if only "Estatuto de los
    Trabajadores" is allowed."""
    if not terms:
        return None
    spaced = (r"[ \u00a0]+".join(re.escape(word) for word in term.split()) for term in terms)
    alternatives = "|".join(sorted(spaced, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def words(texts: list[str]) -> set[str]:
    """The lowercased words of ``texts``: what the organisation may print in any script."""
    return {w.lower() for text in texts for w in re.findall(r"[\w'-]+", text)}


def _around(text: str, index: int) -> str:
    start, end = max(0, index - 30), min(len(text), index + 30)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
