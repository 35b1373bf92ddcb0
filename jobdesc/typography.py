"""Each language's typography, applied in one place to every text that reaches a page.

The rules are data (``locales/<lang>/language.yaml``, explained in that folder's README);
this module only knows how to apply them. Every step is idempotent: a clause that prints a
variable already typeset is typeset again without change.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from typing import Any, TypeVar

from .languages import LanguageRules, rules

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: French ; : ! ? and « »
T = TypeVar("T")

# Only the spaces a YAML file folds: U+00A0 and U+202F written by an author are kept.
_FOLDED = re.compile(r"[ \t\r\n]+")
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]*)"')
_NUMBER_WORD = re.compile(r"(?<=\d) (?=[^\W\d_]|%)")
_INITIAL = re.compile(r"(?<![^\W\d_])([^\W\d_]\.) (?=[^\W\d_])")  # "И. П. Иванов", "т. 4" stays whole
_SPACED_DASH = re.compile(r" [-–—] ")
_ABBREVIATION_DOT = re.compile(r"(?<=[^\W\d_]\.)\.(?!\.)")  # "S.L." + "." ends a sentence once
_FRENCH_BEFORE = re.compile(r"(?<=\S)[ \u00a0]?([;!?]|:(?!\d))")
_FRENCH_OPEN = re.compile(r"«[ \u00a0\u202f]?")
_FRENCH_CLOSE = re.compile(r"[ \u00a0\u202f]?»")
_POLISH_ONE_LETTER = re.compile(r"(?<![\w\-])([aiouwzAIOUWZ]) ")
_CYRILLIC_FORM = re.compile(r"(?<![\w])([А-ЯЁІЇЄҐ]{2,5}) (?=[«„])")  # ООО «…», ТОВ «…»
_DASHES = {"ru": "—", "uk": "—", "bg": "—"}


def _fold(text: str) -> str:
    """Fold the line breaks and indentation of the source; keep the author's no-break spaces.
    U+2010 becomes "-": the PDF reserves its glyph for the hyphens layout adds (renderers/pdf.py)."""
    return _FOLDED.sub(" ", text).replace("\u2010", "-")


def collapse(text: str) -> str:
    """A clause's text, folded and without the spaces around it."""
    return _fold(text).strip(" ")


@cache
def _nbsp_after(tokens: tuple[str, ...]) -> re.Pattern[str] | None:
    if not tokens:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])({alternatives}) ")


def typeset(text: str, language: str) -> str:
    """``text`` as the language prints it."""
    lang = rules(language)
    text = _fold(text)  # no strip: a footer piece ends in its space
    opening, closing = lang.quotes
    text = _STRAIGHT_QUOTES.sub(lambda m: f"{opening}{m.group(1)}{closing}", text)
    text = _ABBREVIATION_DOT.sub("", text)
    text = _SPACED_DASH.sub(f"{NBSP}{_DASHES.get(language, '–')} ", text)
    pattern = _nbsp_after(lang.nbsp_after)
    if pattern:
        text = pattern.sub(rf"\1{NBSP}", text)
    text = _NUMBER_WORD.sub(NBSP, text)
    text = _INITIAL.sub(rf"\1{NBSP}", text)
    text = _language_rules(text, lang)
    return text


def _language_rules(text: str, lang: LanguageRules) -> str:
    if lang.code == "fr":
        text = _FRENCH_BEFORE.sub(rf"{NNBSP}\1", text)
        text = _FRENCH_OPEN.sub(f"«{NNBSP}", text)
        text = _FRENCH_CLOSE.sub(f"{NNBSP}»", text)
    elif lang.code == "pl":
        text = _POLISH_ONE_LETTER.sub(rf"\1{NBSP}", text)
    if lang.script == "cyrillic":
        text = _CYRILLIC_FORM.sub(rf"\1{NBSP}", text)
    return text


# Fields of the model that are identifiers or layout words, never printed as prose.
_NOT_TEXT = frozenset(
    {"id", "origin", "layer", "key", "numeral", "kind", "form", "role", "language", "identity", "warnings"}
)


def typeset_all(value: T, language: str) -> T:
    """Every printed string of a model object (a dataclass tree), typeset."""
    return _walk(value, language)  # type: ignore[no-any-return]


def _walk(value: Any, language: str) -> Any:
    if isinstance(value, str):
        return typeset(value, language) if value else value
    if isinstance(value, tuple):
        return tuple(_walk(v, language) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (f.name for f in dataclasses.fields(value) if f.name not in _NOT_TEXT)
        changes = {name: _walk(getattr(value, name), language) for name in fields}
        return dataclasses.replace(value, **changes)
    return value
