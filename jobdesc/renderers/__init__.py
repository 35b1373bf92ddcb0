"""One small renderer per format, all over the same document model (like Sphinx's builders)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import UsageError
from ..model import Document


@dataclass(frozen=True)
class Output:
    data: bytes
    text: str  # what a reader sees, in reading order: checked for every clause
    numbered: bool  # whether clause numbers are part of ``text`` (DOCX numbers are list fields)


Renderer = Callable[[Document], Output]


def _registry() -> dict[str, Renderer]:
    from . import docx, html, pdf

    return {"pdf": pdf.render, "docx": docx.render, "html": html.render}


FORMATS = ("pdf", "docx", "html")


def get_renderer(name: str) -> Renderer:
    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r}; valid: {', '.join(FORMATS)}")
    return _registry()[name]
