"""The organisation's house style in the DOCX: the same logo, font, size and accent as the page.

- The font replaces the font the reference document's styles name.
- The size is the body text's: the styles of the texts the page prints at its base size
  take it; headings, the approval block and tables keep their own, as on the page.
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
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from ..model import HouseStyle, Logo

ACCENTED = ("Title", "Heading 1")  # the page's h1 and section headings
# The styles of the texts the page prints at its base size (print.css gives the others their own).
BODY_STYLES = ("Normal", "Subtitle", "Document Number", "Intro", "Clause", "Clause 2", "Sheet Statement")
_SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def apply_house_style(document: DocxDocument, style: HouseStyle) -> None:
    if not (style.font or style.size or style.accent):
        return  # the reference document's own look
    styles = document.styles.element
    if style.font:
        for fonts in styles.iter(qn("w:rFonts")):
            if fonts.attrib or fonts.getparent().getparent().tag == qn("w:rPrDefault"):
                for side, theme in (
                    ("ascii", "asciiTheme"),
                    ("hAnsi", "hAnsiTheme"),
                    ("eastAsia", "eastAsiaTheme"),
                    ("cs", "cstheme"),
                ):
                    fonts.set(qn(f"w:{side}"), style.font)
                    fonts.attrib.pop(qn(f"w:{theme}"), None)  # a theme font would win over the name
    named = {s.name: s for s in document.styles}
    if style.size:
        for body in (named[name] for name in BODY_STYLES if name in named):
            body.font.size = Pt(style.size)  # w:sz, in its place in the run properties
            sz = body.element.rPr.find(qn("w:sz"))
            for old in body.element.rPr.findall(qn("w:szCs")):
                body.element.rPr.remove(old)
            sz.addnext(parse_xml(f'<w:szCs {nsdecls("w")} w:val="{sz.get(qn("w:val"))}"/>'))  # complex scripts
    if style.accent:
        for heading in (named[name] for name in ACCENTED if name in named):
            heading.font.color.rgb = RGBColor.from_string(style.accent[1:].upper())  # the theme colour goes


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
