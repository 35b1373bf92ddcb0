"""One small renderer per format, all over the same document model (like Sphinx's builders)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..paths import TEMPLATES

if TYPE_CHECKING:
    from ..legibility import Hidden
    from ..model import Bilingual, Document

PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")


@dataclass(frozen=True)
class RenderOptions:
    """How to render, as opposed to what: the same model, other templates or PDF flavour."""

    templates: Path = TEMPLATES  # an organisation's folder; files it lacks come from the bundled one
    pdf_variant: str | None = None  # one of PDF_VARIANTS

    def __post_init__(self) -> None:
        if self.pdf_variant is not None and self.pdf_variant not in PDF_VARIANTS:
            raise UsageError(f"unknown PDF variant {self.pdf_variant!r}; valid: {', '.join(PDF_VARIANTS)}")

    def template_file(self, name: str) -> Path:
        own = self.templates / name
        return own if own.is_file() else TEMPLATES / name


@dataclass(frozen=True)
class Output:
    data: bytes
    text: str  # what a reader sees, in reading order: checked for every clause
    numbered: bool  # whether clause numbers are part of ``text`` (DOCX numbers are list fields)
    hidden: tuple[Hidden, ...] = ()  # stretches of ``text`` that are there but cannot be read, in order
    by_column: bool = False  # a bilingual document's ``text``: each column whole, the first one first


Renderer = Callable[["Document | Bilingual", RenderOptions], Output]


FORMATS = ("pdf", "docx", "html")


def get_renderer(name: str) -> Renderer:
    """The renderer of a format, importing only its module: a DOCX-only batch worker
    then starts without loading WeasyPrint."""
    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r}; valid: {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{name}")
    renderer: Renderer = module.render
    return renderer
