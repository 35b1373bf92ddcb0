"""How deep elements and brackets nest in a page, a template or a stylesheet.

WeasyPrint lays boxes out recursively, Jinja parses expressions and tinycss2 parses blocks
recursively, and Python's stack ends near 200 levels: anything nested past the depth limit
is refused where it is written, before any of them recurses."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .errors import Diagnostic, Location, ProfileError
from .limits import DEPTH

_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)
# Elements whose end tag may be left out: a second one closes the first.
_SELF_CLOSING_SIBLINGS = frozenset(
    ["p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "rt", "rp", "colgroup"]
)


class _Depth(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.deepest = 0
        self.line = 0  # where the deepest element starts

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _VOID:
            return
        if tag in _SELF_CLOSING_SIBLINGS and self.open and self.open[-1] == tag:
            self.open.pop()
        self.open.append(tag)
        if len(self.open) > self.deepest:
            self.deepest, self.line = len(self.open), self.getpos()[0]

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        pass  # <x/> opens nothing

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass


def deepest(markup: str) -> tuple[int, int]:
    """The deepest nesting of elements in ``markup`` and the line where it is reached."""
    parser = _Depth()
    parser.feed(markup)
    parser.close()
    return parser.deepest, parser.line


def deepest_brackets(text: str) -> tuple[int, int, int]:
    """The deepest nesting of (), [] and {} in ``text``, and the line and column it is reached at."""
    depth = deepest = deepest_line = deepest_column = 0
    line, column = 1, 0
    for ch in text:
        column += 1
        if ch == "\n":
            line, column = line + 1, 0
        elif ch in "([{":
            depth += 1
            if depth > deepest:
                deepest, deepest_line, deepest_column = depth, line, column
        elif ch in ")]}" and depth:
            depth -= 1
    return deepest, deepest_line, deepest_column


_STATEMENT = re.compile(r"\{%[-+]?\s*(\w+)([^%]*)")
_BLOCKS = frozenset(["if", "for", "macro", "call", "filter", "block", "with", "raw", "autoescape", "trans"])


def deepest_statements(text: str) -> tuple[int, int, int]:
    """The deepest nesting of Jinja's block statements ({% if %} … {% endif %} and the like)."""
    depth = deepest = deepest_line = deepest_column = 0
    for match in _STATEMENT.finditer(text):
        word, rest = match.group(1), match.group(2)
        if word in _BLOCKS or (word == "set" and "=" not in rest):
            depth += 1
            if depth > deepest:
                line = text.count("\n", 0, match.start()) + 1
                deepest, deepest_line = depth, line
                deepest_column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        elif word.startswith("end") and depth:
            depth -= 1
    return deepest, deepest_line, deepest_column


def nesting_problem(text: str, loc: Location) -> Diagnostic | None:
    """Brackets or template statements nested past the limit in a text that starts at ``loc``
    (a clause, a template, a stylesheet)."""
    for what, (depth, line, column) in (
        ("brackets", deepest_brackets(text)),
        ("template statements", deepest_statements(text)),
    ):
        if depth > DEPTH.value:
            where = Location(loc.path, loc.line + line - 1, column) if loc.line else Location(loc.path, line, column)
            return Diagnostic(where, "", f"{what} nest too deep: {DEPTH.message(depth)}")
    return None


def check_nesting(markup: str, path: str) -> None:
    """Raise ProfileError at the line where ``markup`` (a template or a page) nests too deep."""
    depth, line = deepest(markup)
    if depth > DEPTH.value:
        message = f"elements nest too deep: {DEPTH.message(depth)}"
        raise ProfileError([Diagnostic(Location(path, line), "", message)])
    problem = nesting_problem(markup, Location(path, 0))
    if problem:
        raise ProfileError([problem])
