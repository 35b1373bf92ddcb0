"""One small renderer per format, all over the same document model (like Sphinx's builders)."""

from __future__ import annotations

import importlib
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


FORMATS = ("pdf", "docx", "html")


def get_renderer(name: str) -> Renderer:
    """The renderer of a format, importing only its module: a DOCX-only batch worker
    then starts without loading WeasyPrint."""
    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r}; valid: {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{name}")
    renderer: Renderer = module.render
    return renderer
