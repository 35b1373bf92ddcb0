"""The reference .docx: the named styles and list numbering the DOCX renderer uses.

An organisation restyles every DOCX by editing ``templates/reference.docx`` in
Word or LibreOffice (fonts, sizes, indents) as long as the style names below
stay. This module checks a reference and, for maintainers, rebuilds the
bundled one: ``python -m jobdesc.renderers.docx_reference templates/reference.docx``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from ..errors import RenderError

FONT = "Times New Roman"  # Liberation Serif, the PDF's font, is its metric twin
NUMBERING_NAME = "jobdesc clauses"
PARAGRAPH_STYLES = (
    "Normal", "Approval Label", "Approval", "Title", "Subtitle", "Document Number",
    "Heading 1", "Intro", "Clause", "Clause 2", "Sheet Heading", "Sheet Statement",
    "Table Text", "Footer",
)  # fmt: skip
TABLE_STYLES = ("Table Grid",)
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def check_reference(document: DocxDocument, source: str) -> str:
    """Refuse a reference that lacks a style or the clause numbering; return the numbering's id."""
    names = {style.name for style in document.styles}
    missing = [name for name in PARAGRAPH_STYLES + TABLE_STYLES if name not in names]
    if missing:
        raise RenderError(f"{source}: the reference document lacks the style(s) {', '.join(missing)}")
    numbering = document.part.numbering_part.element
    for abstract in numbering.findall(qn("w:abstractNum")):
        name = abstract.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) == NUMBERING_NAME:
            return str(abstract.get(qn("w:abstractNumId")))
    raise RenderError(f"{source}: the reference document lacks the list numbering {NUMBERING_NAME!r}")


def set_fonts(r_pr: Any, name: str) -> None:
    """Set the font for every script slot: python-docx sets only the Latin ones, and a
    theme font attribute would override them, so Cyrillic could fall back elsewhere."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        r_pr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def build_reference() -> DocxDocument:
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2.2)
    section.footer_distance = Cm(1)

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), FONT)
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)

    def paragraph_style(name: str, size: float = 12, bold: bool = False, base: str = "Normal") -> Any:
        names = {s.name for s in document.styles}
        style = document.styles[name] if name in names else document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if name != "Normal":
            style.base_style = document.styles[base]
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.color.rgb = None
        style.font.name = FONT
        set_fonts(style.element.get_or_add_rPr(), FONT)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.15
        fmt.left_indent = fmt.first_line_indent = None
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        r_pr = style.element.get_or_add_rPr()
        for tag in ("w:spacing", "w:color", "w:kern"):  # built-in Title/Subtitle letter-spacing and colour
            for element in r_pr.findall(qn(tag)):
                r_pr.remove(element)
        p_pr = style.element.get_or_add_pPr()
        for border in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(border)
        return style

    normal = paragraph_style("Normal")
    normal.paragraph_format.widow_control = True
    for name in ("Approval Label", "Approval"):
        style = paragraph_style(name, 11, bold=name == "Approval Label")
        style.paragraph_format.left_indent = Cm(8.5)
        style.paragraph_format.keep_together = True
    document.styles["Approval Label"].paragraph_format.space_before = Pt(8)
    title = paragraph_style("Title", 14, bold=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(24)
    title.paragraph_format.keep_with_next = True
    for name in ("Subtitle", "Document Number"):
        style = paragraph_style(name, 12)
        style.font.italic = False
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style.paragraph_format.keep_with_next = True
    document.styles["Document Number"].paragraph_format.space_after = Pt(12)
    heading = paragraph_style("Heading 1", 12, bold=True)
    heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12), Pt(6)
    heading.paragraph_format.keep_with_next = True
    intro = paragraph_style("Intro")
    intro.paragraph_format.keep_with_next = True
    intro.paragraph_format.space_after = Pt(3)
    for name, left, hanging in (("Clause", 1.0, 1.0), ("Clause 2", 2.2, 1.2)):  # as in print.css
        style = paragraph_style(name)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        style.paragraph_format.left_indent = Cm(left)
        style.paragraph_format.first_line_indent = Cm(-hanging)
        style.paragraph_format.space_after = Pt(3)
    sheet = paragraph_style("Sheet Heading", 12, bold=True)
    sheet.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sheet.paragraph_format.page_break_before = True
    sheet.paragraph_format.space_after = Pt(12)
    sheet.paragraph_format.keep_with_next = True
    statement = paragraph_style("Sheet Statement")
    statement.paragraph_format.space_after = Pt(12)
    statement.paragraph_format.keep_with_next = True
    paragraph_style("Table Text", 11)
    footer = paragraph_style("Footer", 9)
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f"""<w:abstractNum {nsdecls("w")} w:abstractNumId="900">
          <w:multiLevelType w:val="multilevel"/>
          <w:name w:val="{NUMBERING_NAME}"/>
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>
            <w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="567"/></w:tabs>
            <w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/>
            <w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="1247"/></w:tabs>
            <w:ind w:left="1247" w:hanging="680"/></w:pPr></w:lvl>
        </w:abstractNum>"""
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)

    props = document.core_properties
    props.author = props.last_modified_by = "jobdesc"
    props.title = props.subject = props.keywords = props.comments = ""
    return document


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else Path("templates/reference.docx")
    build_reference().save(str(target))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
