"""The organisation's house style in the DOCX: the same logo, font, size and accent as the page.

- The font replaces the font the reference document's styles name.
- The size is the body text's: the styles at the reference's body size (its Normal style)
  take it, as the page's text does; headings and tables keep their own.
- The accent colours the title and the section headings, as on the page.
- The logo is an image part of the package, shown top left in a box of at most 5 x 2 cm
  like the page's, never a link to a file. An SVG logo is stored as SVG (Word 2016 and
  later, LibreOffice show it) with a blank PNG for older readers, as Word itself does.
"""

from __future__ import annotations

import io
import struct
import zlib
from xml.sax.saxutils import quoteattr

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from lxml import etree

from ..model import HouseStyle, Logo

ACCENTED = ("Title", "Heading 1")  # the page's h1 and section headings
_SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def apply_house_style(document: DocxDocument, style: HouseStyle) -> None:
    styles = document.styles.element
    if style.font:
        for fonts in styles.iter(qn("w:rFonts")):
            if fonts.get(qn("w:ascii")) or fonts.getparent().getparent().tag == qn("w:rPrDefault"):
                for side in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                    fonts.set(qn(side), style.font)
    if style.size:
        body = _size_of(document, "Normal")
        half_points = str(round(style.size * 2))
        for size in [*styles.iter(qn("w:sz")), *styles.iter(qn("w:szCs"))]:
            if size.get(qn("w:val")) == body:
                size.set(qn("w:val"), half_points)
    if style.accent:
        for name in ACCENTED:
            r_pr = document.styles[name].element.get_or_add_rPr()
            for old in r_pr.findall(qn("w:color")):
                r_pr.remove(old)
            r_pr.append(parse_xml(f'<w:color {nsdecls("w")} w:val="{style.accent.lstrip("#").upper()}"/>'))


def _size_of(document: DocxDocument, name: str) -> str | None:
    size = document.styles[name].element.find(f"{qn('w:rPr')}/{qn('w:sz')}")
    return size.get(qn("w:val")) if size is not None else None


def logo_paragraph(document: DocxDocument, logo: Logo) -> str:
    """WordprocessingML of a left-aligned paragraph holding the logo, its image a part of the package."""
    width, height = (Cm(length) for length in logo.fitted())
    part = document.part
    if logo.media_type == "image/png":
        inline = part.new_pic_inline(io.BytesIO(logo.data), width, height)
    else:
        inline = part.new_pic_inline(io.BytesIO(blank_png()), width, height)
        svg = Part(PackURI(f"/word/media/logo{part.next_id}.svg"), "image/svg+xml", logo.data, part.package)
        svg_id = part.relate_to(svg, RT.IMAGE)
        blip = inline.find(".//" + qn("a:blip"))
        extensions = parse_xml(
            f"<a:extLst {nsdecls('a', 'r')}><a:ext uri={quoteattr(_SVG_BLIP)}>"
            f'<asvg:svgBlip xmlns:asvg="{_ASVG}" r:embed={quoteattr(svg_id)}/></a:ext></a:extLst>'
        )
        blip.append(extensions)
    drawing = etree.tostring(inline, encoding="unicode")
    return (
        f'<w:p {nsdecls("w")}><w:pPr><w:spacing w:after="120"/><w:jc w:val="left"/></w:pPr>'
        f"<w:r><w:drawing>{drawing}</w:drawing></w:r></w:p>"
    )


def blank_png() -> bytes:
    """A 1 x 1 transparent PNG: the fallback image an SVG picture carries for older readers."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0\0"))
        + chunk(b"IEND", b"")
    )
