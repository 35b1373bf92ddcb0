"""Each language's rules for the page: its script, quotation marks, no-break spaces, the
foreign words it allows, the formulas its lawyers strike and how a name is signed.

They live beside the catalog, in ``locales/<lang>/language.yaml``, with the reasons and
sources in ``locales/<lang>/README.md``: one place per language, read by the typography,
the names and the output lint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import yaml

from .errors import RenderError
from .paths import LOCALES

SCRIPTS = {
    "latin": r"A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ",
    "cyrillic": r"\u0400-\u04FF\u0500-\u052F",
}
# A Latin word, not a letter that is part of a number ("§ 619a", "art. 3b").
_LATIN_WORD = re.compile(f"(?<![0-9])[{SCRIPTS['latin']}]+(?:[-'][{SCRIPTS['latin']}]+)*")
_ROMAN = re.compile(r"[IVXLCDM]+")


def latin_words(text: str) -> Iterator[str]:
    """The Latin words of ``text`` other than Roman numerals, which Cyrillic texts use too ("група III")."""
    return (m.group(0) for m in _LATIN_WORD.finditer(text) if not _ROMAN.fullmatch(m.group(0)))


@dataclass(frozen=True)
class LanguageRules:
    code: str
    script: str  # latin or cyrillic
    quotes: tuple[str, str]  # opening and closing
    nbsp_after: tuple[str, ...]  # words and signs a no-break space always follows (№, art., n.º)
    allowed_foreign_words: tuple[str, ...]  # terms in the other script, as printed (CRM, "Code du travail")
    struck_formulas: tuple[str, ...]  # lowercased; never in a document of a Western jurisdiction
    name_format: str  # "{g}. {m}. {family}", "{given} {FAMILY}", ...
    date_suffix: str  # after a long date: Polish " r."
    hyphenation: tuple[str, ...]  # words a dictionary breaks wrongly, at their breaks: Zu-sam-men-ar-beit
    staff_columns: tuple[tuple[str, tuple[str, ...]], ...] = ()  # a staff list's headers: (column, its words)
    prevailing_clause: str = ""  # a bilingual document's clause: this language's version prevails
    place_and_date: str = "{place}, {date}"  # where and when the approver signs: French "Fait à {place}, le {date}"


@cache
def rules(code: str) -> LanguageRules:
    path = LOCALES / code / "language.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError(f"{path}: the language's rules are missing") from None
    try:
        opening, closing = data["quotes"]
        return LanguageRules(
            code=code,
            script=data["script"],
            quotes=(opening, closing),
            nbsp_after=tuple(data.get("nbsp_after") or ()),
            allowed_foreign_words=tuple(str(w) for w in data.get("allowed_foreign_words") or ()),
            struck_formulas=tuple(str(f).lower() for f in data.get("struck_formulas") or ()),
            name_format=data["name_format"],
            date_suffix=data.get("date_suffix") or "",
            hyphenation=tuple(data.get("hyphenation") or ()),
            staff_columns=tuple((str(k), tuple(map(str, v))) for k, v in (data.get("staff_columns") or {}).items()),
            prevailing_clause=str(data.get("prevailing_clause") or ""),
            place_and_date=str(data.get("place_and_date") or "{place}, {date}"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RenderError(f"{path}: malformed language rules ({exc})") from None


def prevailing_clause(code: str) -> str:
    """The clause of a bilingual document whose binding language is ``code``."""
    text = rules(code).prevailing_clause
    if not text:
        raise RenderError(f"{LOCALES / code / 'language.yaml'}: no prevailing_clause for a bilingual document")
    return text
