"""One check for every text a user gives: characters a reader cannot see, or that move text.

Profiles, organisations, batch files, templates, the employees list and the names given on
the command line all pass through ``check_text`` before anything reads them, so each hidden
character is reported once, with its file, line and column and its Unicode name:

- control characters other than tab and line feed (a CR only before a line feed), C1 ones
  included: NEL (U+0085) is a line break to YAML and a space on the page;
- the line and paragraph separators U+2028 and U+2029, for the same reason;
- bidirectional controls (U+202E shows "0001" as "1000");
- characters that draw nothing: zero-width spaces and joiners, the word joiner, invisible
  operators, a byte-order mark inside the text, variation selectors, tag characters,
  Hangul fillers;
- lone surrogates, noncharacters, private-use and unassigned code points.

Soft hyphens (U+00AD) and the visible spaces (no-break, narrow no-break, thin) are allowed:
typography uses them and a reader sees their effect.
"""

from __future__ import annotations

import unicodedata

from .errors import Diagnostic, Location, ProfileError

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SEPARATORS = frozenset("\u0085\u2028\u2029")
# Format characters (Cf) that draw nothing and have no use in the eleven languages' texts.
INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0\ufff9\ufffa\ufffb"
)
MAX_REPORTED = 20  # per file: the first ones are enough to find the rest


def hidden_character(ch: str) -> str | None:
    """Why ``ch`` may not appear in a text, or None."""
    code = ord(ch)
    if ch in "\t\n":
        return None
    if ch in SEPARATORS:
        return "a line or paragraph separator (shown as a space or a line break, never as written)"
    if ch in BIDI_CONTROLS:
        return "a bidirectional control (it reorders the text around it)"
    if ch in INVISIBLE or 0xFE00 <= code <= 0xFE0F or 0xE0000 <= code <= 0xE01EF:
        return "an invisible character"
    category = unicodedata.category(ch)
    if category == "Cc":
        return "a control character"
    if category == "Cs":
        return "a lone surrogate (not a character)"
    if category == "Co":
        return "a private-use character (no font shows it the same way)"
    if code & 0xFFFE == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
        return "a noncharacter"
    if category == "Cn":
        return "an unassigned code point"
    return None


def describe(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: what a reader needs to find and delete it."""
    name = unicodedata.name(ch, "") or {"\u0085": "NEXT LINE (NEL)"}.get(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


def check_text(text: str, path: str, first_line: int = 1) -> list[Diagnostic]:
    """Every hidden character in ``text`` (read from ``path``), located by line and column."""
    problems: list[Diagnostic] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if line.endswith("\r"):
            line = line[:-1]  # a Windows line end
        for column, ch in enumerate(line, start=1):
            why = hidden_character(ch)
            if why:
                problems.append(Diagnostic(Location(path, number, column), "", f"{describe(ch)} is {why}; delete it"))
                if len(problems) >= MAX_REPORTED:
                    return problems
    return problems


def first_problem(text: str) -> str | None:
    """The first hidden character of a short text (a name, a field), described with its position."""
    for position, ch in enumerate(text, start=1):
        why = hidden_character(ch)
        if why:
            return f"{describe(ch)} at character {position} is {why}"
    return None


def decode(data: bytes, path: str) -> str:
    """A file's text: UTF-8 (a leading byte-order mark dropped), or ProfileError at the line
    where it stops being UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "not valid UTF-8 text; save the file as UTF-8"
        raise ProfileError([Diagnostic(Location(path, line), "", message)]) from None


def read_text(data: bytes, path: str) -> str:
    """A file's text, decoded and checked for hidden characters (ProfileError naming each)."""
    text = decode(data, path)
    problems = check_text(text, path)
    if problems:
        raise ProfileError(problems)
    return text
