"""Texts the organisation supplies, in the document's language and script.

An organisation may give a text (a company name, a person's name, a position) per language
or once. Where it gave none for the document's language, its own form is used: a Cyrillic
form in a Latin-script document is romanized with the official system of its language
(translit.py); any other form in the other script is printed as given, and ``validate``
warns, naming the field.
"""

from __future__ import annotations

import re

from .errors import Diagnostic
from .languages import SCRIPTS, latin_words, rules
from .profile import ANY_LANGUAGE, PersonName, Text
from .translit import can_romanize, romanize

_CYRILLIC = re.compile(f"[{SCRIPTS['cyrillic']}]")
class OrganisationText:
    """Resolves the organisation's texts for one document; collects the warnings."""

    def __init__(self, language: str, source_language: str):
        self.language = language
        self.source_language = source_language  # the organisation's own language
        self.script = rules(language).script
        self.warnings: list[Diagnostic] = []
        self.supplied: list[str] = []  # every text resolved: the lint lets it be in any script

    def get(self, text: Text, fallback: bool = True) -> str | Diagnostic:
        """The text for the document; without ``fallback`` a missing language is an error,
        as for any profile text."""
        value = self._get(text, fallback)
        if isinstance(value, str):
            self.supplied.append(value)
        return value

    def _get(self, text: Text, fallback: bool) -> str | Diagnostic:
        if self.language in text.values:
            return text.values[self.language]
        if ANY_LANGUAGE in text.values:
            value = text.values[ANY_LANGUAGE]
        elif fallback and self.source_language in text.values:
            value = text.values[self.source_language]
        else:
            return text.get(self.language)
        return self._in_script(value, text)

    def _in_script(self, value: str, text: Text) -> str:
        if self.script == "cyrillic" or not _CYRILLIC.search(value):
            if self.script == "cyrillic" and any(latin_words(value)):
                self._warn(text, "Latin")
            return value
        if can_romanize(self.source_language):
            return romanize(value, self.source_language)
        self._warn(text, "Cyrillic")
        return value

    def _warn(self, text: Text, script: str) -> None:
        message = f"no {self.language!r} form; printed in {script} script as given"
        self.warnings.append(Diagnostic(text.loc, text.field, message))

    def name(self, name: PersonName) -> str | Diagnostic:
        """A person's name as the language prints it in a signature line."""
        if name.full is not None:
            return self.get(name.full)
        parts = {}
        for key in ("given", "middle", "family"):
            part = getattr(name, key)
            if part is None:
                continue
            value = self.get(part)
            if isinstance(value, Diagnostic):
                return value
            parts[key] = value
        pattern = rules(self.language).name_format
        if "middle" not in parts:
            pattern = re.sub(r"\{(?:m|middle|MIDDLE)\}\.?\s?", "", pattern)
        middle = parts.get("middle", "")
        fields = {
            **parts,
            "GIVEN": parts["given"].upper(),
            "FAMILY": parts["family"].upper(),
            "MIDDLE": middle.upper(),
            "g": parts["given"][:1],
            "m": middle[:1],
        }
        return " ".join(pattern.format(**fields).split())
