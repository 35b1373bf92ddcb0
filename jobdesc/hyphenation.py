"""Hyphenation exceptions: the words a language's dictionary breaks wrongly, broken right.

WeasyPrint hyphenates with pyphen's Liang-pattern dictionaries, which split some words
badly (German "Zusammena-rbeit"). Each language lists its exceptions, with hyphens at the
allowed breaks, under ``hyphenation:`` in ``locales/<lang>/language.yaml``. They become
whole-word patterns appended to a copy of the language's dictionary (an odd digit allows
a break, an even one forbids it, and 8 and 9 outrank every pattern of the bundled
dictionaries), which pyphen then loads in its place. Soft hyphens in the text would do the
same for the word, but WeasyPrint then stops hyphenating the rest of the paragraph.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import pyphen

from .i18n import LANGUAGES
from .languages import rules

ALLOW, FORBID = "9", "8"


def exception_pattern(word: str) -> str:
    """``Zu-sam-men-ar-beit`` -> ``.z8u9s8a8m9m8e8n9a8r9b8e8i8t.``"""
    letters = word.lower().split("-")
    out = []
    for index, part in enumerate(letters):
        out.append(FORBID.join(part))
        if index < len(letters) - 1:
            out.append(ALLOW)
    return "." + "".join(out) + "."


@cache
def install_exceptions() -> None:
    """Point pyphen at dictionaries with each language's exceptions, once per process."""
    folder = Path(tempfile.mkdtemp(prefix="jobdesc-hyphenation-"))
    for code in LANGUAGES:
        words = rules(code).hyphenation
        if not words:
            continue
        # Every dictionary of the language (de_DE, de_AT, pt_PT, pt_BR ...): the document's region picks one.
        keys = [key for key in pyphen.LANGUAGES if key == code or key.startswith(f"{code}_")]
        for original in {Path(pyphen.LANGUAGES[key]) for key in keys}:
            merged = folder / original.name
            merged.write_bytes(_with_exceptions(original.read_bytes(), words))
            for key in keys:
                if Path(pyphen.LANGUAGES[key]) == original:
                    pyphen.LANGUAGES[key] = merged


def _with_exceptions(dictionary: bytes, words: tuple[str, ...]) -> bytes:
    lines = dictionary.split(b"\n")
    encoding = lines[0].strip().decode("ascii") or "utf-8"
    patterns = []
    for word in words:
        try:
            patterns.append(exception_pattern(word).encode(encoding))
        except UnicodeEncodeError:
            continue  # a letter the dictionary's charset cannot hold: it cannot hyphenate the word either
    return b"\n".join([*lines, *patterns]) + b"\n"
