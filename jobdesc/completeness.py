"""Nothing is lost silently: every clause must appear in an output, whole, in order and readable."""

from __future__ import annotations

import re

from .errors import RenderError
from .model import Bilingual, Document
from .renderers import Output

# Line breaks, hyphenation and soft hyphens differ per format; words and their order do not.
_LAYOUT_NOISE = re.compile(r"[\s\u00ad\u2010\u2011-]+")

Span = tuple[int, int, str]  # a hidden stretch of the squashed text: start, end, why


def _squash(text: str) -> str:
    return _LAYOUT_NOISE.sub("", text)


def _squashed(output: Output) -> tuple[str, list[Span]]:
    """The output's text without layout noise, and its hidden stretches in that text's offsets."""
    pieces: list[str] = []
    spans: list[Span] = []
    length = cursor = 0
    for hidden in output.hidden:
        before, inside = _squash(output.text[cursor : hidden.start]), _squash(output.text[hidden.start : hidden.end])
        spans.append((length + len(before), length + len(before) + len(inside), hidden.reason))
        pieces += [before, inside]
        length += len(before) + len(inside)
        cursor = hidden.end
    pieces.append(_squash(output.text[cursor:]))
    return "".join(pieces), spans


def _why_hidden(spans: list[Span], start: int, end: int) -> str | None:
    return next((reason for first, last, reason in spans if first < end and last > start), None)


def check_complete(document: Document | Bilingual, output: Output, fmt: str) -> None:
    """Raise RenderError naming the first clause that is missing, cut, out of order or that
    cannot be read where it is drawn (the renderer says why)."""
    haystack, spans = _squashed(output)
    position = 0
    if isinstance(document, Bilingual):
        expected = document.expected_text(output.numbered, output.by_column)
    else:
        expected = document.expected_text(output.numbered)
    for what, text in expected:
        needle = _squash(text)
        found = haystack.find(needle, position)
        unreadable = None
        while found >= 0 and (reason := _why_hidden(spans, found, found + len(needle))):
            unreadable = unreadable or reason
            found = haystack.find(needle, found + 1)
        if found < 0:
            if unreadable:
                raise RenderError(f"{fmt}: {what} is {unreadable}; nothing was written")
            state = "out of order" if needle in haystack else "missing or cut short"
            raise RenderError(f"{fmt}: {what} is {state} in the rendered output; nothing was written")
        position = found + len(needle)
