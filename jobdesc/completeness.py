"""Nothing is lost silently: every clause must appear in an output, whole and in order."""

from __future__ import annotations

import re

from .errors import RenderError
from .model import Document
from .renderers import Output

# Line breaks, hyphenation and soft hyphens differ per format; words and their order do not.
_LAYOUT_NOISE = re.compile(r"[\s\u00ad\u2010\u2011-]+")


def _squash(text: str) -> str:
    return _LAYOUT_NOISE.sub("", text)


def check_complete(document: Document, output: Output, fmt: str) -> None:
    """Raise RenderError naming the first clause that is missing, cut or out of order."""
    haystack = _squash(output.text)
    position = 0
    for what, text in document.expected_text(output.numbered):
        needle = _squash(text)
        found = haystack.find(needle, position)
        if found < 0:
            state = "out of order" if needle in haystack else "missing or cut short"
            raise RenderError(f"{fmt}: {what} is {state} in the rendered output; nothing was written")
        position = found + len(needle)
