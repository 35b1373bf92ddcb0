"""The visible stamp of a signature: the signer's name and the date, inside the field.

pyHanko's own text stamps draw with a standard PDF font, which has no Cyrillic letters, so
a Bulgarian signer's name would vanish. The stamp is instead a one-page PDF laid out by
WeasyPrint with the bundled font (embedded, every script the eleven languages use) and
placed by pyHanko as the field's appearance, shrunk to fit the field's rectangle.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from html import escape
from pathlib import Path

from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.stamp import StaticStampStyle
from weasyprint.formatting_structure.boxes import TextBox

from .paths import TEMPLATES

PX = 0.75  # points per CSS pixel
_CSS = """
@font-face { font-family: "Liberation Serif"; src: url(fonts/LiberationSerif-Regular.ttf); }
@page { size: %(width).2fpt %(height).2fpt; margin: 0; }
html { font: 10pt/1.1 "Liberation Serif"; white-space: nowrap; color: #1a237e; }
p { margin: 0; } .when { font-size: 7pt; }
"""


def _html(name: str, when: datetime, size: tuple[float, float]) -> str:
    css = _CSS % {"width": size[0], "height": size[1]}
    text = f'<p class="name">{escape(name)}</p><p class="when">{when:%Y-%m-%d %H:%M %z}</p>'
    return f"<html><head><style>{css}</style></head><body>{text}</body></html>"


def stamp_pdf(name: str, when: datetime) -> bytes:
    """The stamp as a PDF page just the size of its text, so that it keeps its proportions
    when shrunk into the field."""
    from weasyprint import HTML

    from .renderers.pdf import AssetFetcher

    def laid_out(size: tuple[float, float]):  # type: ignore[no-untyped-def]
        html = HTML(string=_html(name, when, size), base_url=f"{TEMPLATES}/", url_fetcher=AssetFetcher(TEMPLATES))
        return html.render()

    first = laid_out((2000, 100))
    texts = [box for box in first.pages[0]._page_box.descendants() if isinstance(box, TextBox)]
    width = max(box.position_x + box.width for box in texts) * PX + 1
    height = max(box.position_y + box.height for box in texts) * PX + 1
    data: bytes = laid_out((width, height)).write_pdf()
    return data


@contextmanager
def stamp_style(name: str, when: datetime, field: tuple[float, float]) -> Iterator[StaticStampStyle]:
    """A pyHanko stamp style that draws the stamp inside a field of ``field`` (width, height) points."""
    with tempfile.TemporaryDirectory(prefix="jobdesc-stamp-") as folder:
        page = Path(folder) / "stamp.pdf"
        page.write_bytes(stamp_pdf(name, when))
        inset = min(1.0, field[1] / 10)
        yield StaticStampStyle(
            background=ImportedPdfPage(str(page)),  # type: ignore[no-untyped-call]
            border_width=0,
            background_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MIN,
                y_align=AxisAlignment.ALIGN_MID,
                margins=Margins.uniform(inset),  # type: ignore[no-untyped-call]
            ),
        )
