"""How deep elements nest in a page or a template: WeasyPrint lays boxes out recursively, and
Python's stack ends near 200 levels, so a page nested deeper is refused before layout."""

from __future__ import annotations

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


def check_nesting(markup: str, path: str) -> None:
    """Raise ProfileError at the line where ``markup`` (a template or a page) nests too deep."""
    depth, line = deepest(markup)
    if depth > DEPTH.value:
        message = f"elements nest too deep: {DEPTH.message(depth)}"
        raise ProfileError([Diagnostic(Location(path, line), "", message)])
