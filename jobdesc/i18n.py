"""Languages, locales and the gettext catalogs of the document's fixed wording.

Two audiences, as in Sphinx: the *document* is translated through these
catalogs; messages for the person at the terminal stay in English.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache

from .errors import RenderError, UsageError
from .paths import LOCALES

DOMAIN = "jobdesc"
# Language -> the CLDR locale used when no region is given.
DEFAULT_LOCALES = {
    "bg": "bg_BG",
    "de": "de_DE",
    "en": "en_GB",
    "es": "es_ES",
    "fr": "fr_FR",
    "it": "it_IT",
    "pl": "pl_PL",
    "pt": "pt_PT",
    "ro": "ro_RO",
    "ru": "ru_RU",
    "uk": "uk_UA",
}
LANGUAGES = tuple(sorted(DEFAULT_LOCALES))


@dataclass(frozen=True)
class Language:
    code: str  # the key of profile texts and catalogs, e.g. "pt"
    locale: str  # the CLDR locale for dates and plural rules, e.g. "pt_BR"

    @property
    def tag(self) -> str:
        """BCP 47 form for HTML ``lang`` and DOCX ``w:lang``, e.g. ``pt-BR``."""
        return self.locale.replace("_", "-")


def parse_language(tag: str) -> Language:
    """Accept ``pt``, ``pt-BR``, ``pt_BR`` or ``PT-br``; refuse what we cannot render."""
    match = re.fullmatch(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|[0-9]{3}))?", tag.strip())
    valid = ", ".join(LANGUAGES)
    if not match:
        raise UsageError(f"unknown language {tag!r}; valid: {valid} (optionally with a region, e.g. pt-BR)")
    code = match.group(1).lower()
    if code not in DEFAULT_LOCALES:
        raise UsageError(f"unknown language {tag!r}; valid: {valid}")
    if match.group(2) is None:
        return Language(code, DEFAULT_LOCALES[code])
    locale = f"{code}_{match.group(2).upper()}"
    from babel import Locale, UnknownLocaleError  # here, not at import: the CLI starts without Babel

    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        raise UsageError(
            f"unknown region in language {tag!r}; e.g. {DEFAULT_LOCALES[code].replace('_', '-')}"
        ) from None
    return Language(code, locale)


class _MissingMessage(gettext.NullTranslations):
    """Fallback of a catalog: a message it lacks is an error, never English by accident."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def gettext(self, message: str) -> str:
        raise RenderError(f"{self.path}: no translation for {message!r}; add it and run 'pybabel compile'")

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1)


@cache
def catalog(code: str) -> gettext.NullTranslations:
    """The compiled catalog of one language. English has one too: the msgids are the
    code's, the msgstrs what a British document says."""
    path = LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po_path = path.with_suffix(".po")
    try:
        with path.open("rb") as handle:
            translations = gettext.GNUTranslations(handle)
    except FileNotFoundError:
        raise RenderError(f"{path}: catalog missing; run 'pybabel compile -d locales -D {DOMAIN}'") from None
    translations.add_fallback(_MissingMessage(str(po_path)))
    return translations
