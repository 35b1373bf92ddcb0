"""What a reader of the DOCX sees of each run: its effective look, through the style chain.

A custom reference.docx can hide a clause in its styles while the text stays in the file. Each
run's properties are resolved the way Word layers them (ECMA-376 17.7.2): the document defaults,
the table's style (its conditional formats each tried in turn), the list level's paragraph
properties, the paragraph's style chain (``basedOn``), then the run's style and its own. A run
is hidden when it is

- hidden text: ``w:vanish``, ``w:specVanish`` or ``w:webHidden``;
- smaller than the minimum size (``w:sz``), squeezed (``w:w`` under ``MIN_SCALE``, ``w:fitText``)
  or with its letters run together (``w:spacing`` under -0.1 em);
- in a colour without the minimum contrast against what is under it: the highlight, else the
  run's shading, the paragraph's, the table cell's, the page colour (``w:background``), the
  paper. Theme colours are read from the theme; ``auto`` text is black or white, whichever
  reads;
- in a frame (``w:framePr``), or indented off the page or into a line under ``MIN_LINE``;
- set in a font of symbols (``w:rFonts``, the theme's fonts included).

The thresholds are jobdesc.legibility's. Shapes are not read: a drawing anchored over the text
area (in the body, a header or a footer; in front of the text or behind it) or a positioned
VML shape hides all of the text, since the check cannot tell what it covers.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ..legibility import MIN_LETTER_SPACING_EM, PAPER, RGBA, SYMBOL_FONTS, Hidden, contrast, illegible

MIN_SCALE = 50  # percent: w:w, the run's width scale
MIN_LINE = 1134  # twips (2 cm): the narrowest line a paragraph may be given
_HIDING = ("w:vanish", "w:specVanish", "w:webHidden")
_HIGHLIGHTS = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF",
    "red": "FF0000", "yellow": "FFFF00", "white": "FFFFFF", "darkBlue": "000080", "darkCyan": "008080",
    "darkGreen": "008000", "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000",
    "darkGray": "808080", "lightGray": "C0C0C0",
}  # fmt: skip
_THEME_SLOTS = {
    "dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2", "text1": "dk1", "background1": "lt1",
    "text2": "dk2", "background2": "lt2", "hyperlink": "hlink", "followedHyperlink": "folHlink",
    **{f"accent{n}": f"accent{n}" for n in range(1, 7)},
}  # fmt: skip
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
EMU_PER_TWIP = 635

Props = dict[str, Any]  # tag -> the last element that set it


def _on(element: Any) -> bool:
    return element is not None and str(element.get(qn("w:val"), "1")).lower() not in ("0", "false", "off")


def _layer(props: Props, container: Any) -> None:
    if container is not None:
        for child in container:
            props[child.tag] = child


def _twips(element: Any, attribute: str) -> int:
    try:
        return int(element.get(qn(attribute), 0)) if element is not None else 0
    except ValueError:
        return 0


def _hex(value: str | None) -> RGBA | None:
    if not value or len(value) != 6:
        return None
    try:
        red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    return (red, green, blue, 1.0)


class Looks:
    """The reference's styles, numbering, theme and page, read once per document."""

    def __init__(self, document: DocxDocument):
        styles = document.styles.element
        self.styles = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
        self.default_style = next(
            (s for s in self.styles.values() if s.get(qn("w:type")) == "paragraph" and _on_attr(s, "w:default")),
            None,
        )
        defaults = styles.find(qn("w:docDefaults"))
        self.defaults: Props = {}
        self.paragraph_defaults: Props = {}
        if defaults is not None:
            _layer(self.defaults, defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"))
            _layer(self.paragraph_defaults, defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}"))
        self.theme = _theme(document)
        body = document.element.body
        background = document.element.find(qn("w:background"))
        self.page = self.colour(background, "w:color", "w:themeColor") or PAPER
        section = body.find(qn("w:sectPr"))
        size = section.find(qn("w:pgSz")) if section is not None else None
        margins = section.find(qn("w:pgMar")) if section is not None else None
        self.width = _twips(size, "w:w") or 11906
        self.margins = (_twips(margins, "w:left"), _twips(margins, "w:right"))
        height = _twips(size, "w:h") or 16838
        top, bottom = _twips(margins, "w:top"), _twips(margins, "w:bottom")
        self.page_box = (0, 0, self.width, height)
        self.text_area = (self.margins[0], top, self.width - self.margins[1], height - bottom)
        self.shapes = self._floating_shapes(document)
        numbering = document.part.numbering_part.element
        abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
        self.levels: dict[tuple[str, str], Any] = {}
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            abstract = abstracts.get(ref.get(qn("w:val"))) if ref is not None else None
            for level in abstract.findall(qn("w:lvl")) if abstract is not None else ():
                self.levels[(num.get(qn("w:numId")), level.get(qn("w:ilvl")))] = level.find(qn("w:pPr"))
        self.seen: dict[tuple[str | None, str | None, bytes, bytes, bytes], str | None] = {}

    def colour(self, element: Any, value: str, theme: str) -> RGBA | None:
        """A colour attribute (theme colour first, with its tint or shade); None for auto or none."""
        if element is None:
            return None
        slot = _THEME_SLOTS.get(element.get(qn(theme), ""))
        base = _hex(self.theme.get(slot, "")) if slot else None
        if base is None:
            return _hex(element.get(qn(value)))
        prefix = "w:theme" if theme == "w:themeColor" else theme  # w:themeTint, w:themeFillShade, ...
        tint, shade = (element.get(qn(f"{prefix}{kind}")) for kind in ("Tint", "Shade"))
        if tint and len(tint) == 2:
            base = _tinted(base, 1 - int(tint, 16) / 255, towards=1.0)
        if shade and len(shade) == 2:
            base = _tinted(base, 1 - int(shade, 16) / 255, towards=0.0)
        return base

    def shading(self, shd: Any) -> RGBA | None:
        """What a w:shd paints: its fill, its pattern colour (solid) or a mix of both (pctN)."""
        if shd is None or shd.get(qn("w:val")) == "nil":
            return None
        fill = self.colour(shd, "w:fill", "w:themeFill")
        pattern = self.colour(shd, "w:color", "w:themeColor") or (0.0, 0.0, 0.0, 1.0)
        kind = shd.get(qn("w:val"), "clear")
        if kind == "clear":
            return fill
        share = (
            1.0 if kind == "solid" else int(kind[3:]) / 100 if kind.startswith("pct") and kind[3:].isdigit() else 0.5
        )
        red, green, blue = (c * (1 - share) + p * share for c, p in zip((fill or PAPER)[:3], pattern[:3], strict=True))
        return (red, green, blue, 1.0)

    def chain(self, style_id: str | None) -> list[Any]:
        """A style and the styles it is based on, the base first."""
        styles: list[Any] = []
        seen: set[int] = set()
        style = self.styles.get(style_id) if style_id else None
        while style is not None and id(style) not in seen and len(styles) < 32:
            seen.add(id(style))
            styles.insert(0, style)
            based = style.find(qn("w:basedOn"))
            style = self.styles.get(based.get(qn("w:val"))) if based is not None else None
        return styles

    def reason(
        self, paragraph_style: str | None, table_style: str | None, cell: Any, paragraph: Any, run: Any
    ) -> str | None:
        """Why a run cannot be read, or None: given its paragraph's style, its table's style and the
        direct properties of its cell, paragraph and run (w:tcPr, w:pPr, w:rPr or None). Runs that
        look alike are judged once."""
        key = (paragraph_style, table_style, _xml(cell), _xml(paragraph), _xml(run))
        if key not in self.seen:
            variants: list[str | None] = [None]
            table = self.chain(table_style)
            for style in table:
                variants += [p.get(qn("w:type")) for p in style.findall(qn("w:tblStylePr"))]
            looks = (self._look(paragraph_style, table, v, cell, paragraph, run) for v in dict.fromkeys(variants))
            self.seen[key] = next((found for found in looks if found), None)
        return self.seen[key]

    def _look(
        self, paragraph_style: str | None, table: list[Any], variant: str | None, cell: Any, paragraph: Any, run: Any
    ) -> str | None:
        run_props, paragraph_props, cell_props = dict(self.defaults), dict(self.paragraph_defaults), Props()
        for style in table:
            parts = [style, *(p for p in style.findall(qn("w:tblStylePr")) if p.get(qn("w:type")) == variant)]
            for part in parts:
                _layer(run_props, part.find(qn("w:rPr")))
                _layer(paragraph_props, part.find(qn("w:pPr")))
                _layer(cell_props, part.find(qn("w:tcPr")))
                _layer(cell_props, part.find(qn("w:tblPr")))
        numbering = paragraph.find(qn("w:numPr")) if paragraph is not None else None
        if numbering is not None:  # the list level's indents, under the paragraph style's (ECMA-376 17.7.2)
            key = (_val(numbering.find(qn("w:numId"))) or "", _val(numbering.find(qn("w:ilvl"))) or "0")
            _layer(paragraph_props, self.levels.get(key))
        styles = self.chain(paragraph_style) if paragraph_style else [self.default_style]
        for style in styles:
            if style is not None:
                _layer(run_props, style.find(qn("w:rPr")))
                _layer(paragraph_props, style.find(qn("w:pPr")))
        _layer(paragraph_props, paragraph)
        _layer(cell_props, cell)
        run_style = run_props.get(qn("w:rStyle"))
        if run is not None and run.find(qn("w:rStyle")) is not None:
            run_style = run.find(qn("w:rStyle"))
        for style in self.chain(_val(run_style)):
            _layer(run_props, style.find(qn("w:rPr")))
        _layer(run_props, run)
        return self._judge(run_props, paragraph_props, cell_props, in_table=cell is not None or bool(table))

    def _judge(self, run: Props, paragraph: Props, cell: Props, in_table: bool) -> str | None:
        for tag in _HIDING:
            if _on(run.get(qn(tag))):
                return f"hidden text ({tag})"
        if paragraph.get(qn("w:framePr")) is not None:
            return "placed in a frame (w:framePr), which the check cannot follow"
        if not in_table and (off := self._off_page(paragraph.get(qn("w:ind")))):
            return off
        fonts: Any = run.get(qn("w:rFonts"))
        for slot in ("ascii", "hAnsi") if fonts is not None else ():  # where Latin and Cyrillic letters are set
            theme = fonts.get(qn(f"w:{slot}Theme"), "")  # majorHAnsi, minorAscii, ...: the theme's typeface
            name = self.theme.get(theme[:5], "") if theme else fonts.get(qn(f"w:{slot}"), "")
            if name.lower() in SYMBOL_FONTS:
                return f"set in {name}, a font of symbols, not letters"
        size = _twips(run.get(qn("w:sz")), "w:val") or 20
        scale = _twips(run.get(qn("w:w")), "w:val") or 100
        if scale < MIN_SCALE:
            return f"squeezed to {scale}% of its width (w:w; need {MIN_SCALE}% or more)"
        if run.get(qn("w:fitText")) is not None:
            return "squeezed into a fixed width (w:fitText)"
        spacing = _twips(run.get(qn("w:spacing")), "w:val")
        if spacing < MIN_LETTER_SPACING_EM * size * 10:  # twips against half-points: 1 em is size x 10 twips
            return f"drawn with its letters run together (w:spacing {spacing / 20:.1f} pt)"
        background = self.page
        for layer in (cell.get(qn("w:shd")), paragraph.get(qn("w:shd")), run.get(qn("w:shd"))):
            background = self.shading(layer) or background
        highlight = _HIGHLIGHTS.get(_val(run.get(qn("w:highlight"))) or "")
        background = _hex(highlight) or background
        text = self.colour(run.get(qn("w:color")), "w:val", "w:themeColor")
        if text is None:  # auto: black or white, whichever reads
            black, white = (0.0, 0.0, 0.0, 1.0), PAPER
            text = black if contrast(black, background) >= contrast(white, background) else white
        return illegible(text, background, size / 2)

    def _floating_shapes(self, document: DocxDocument) -> str | None:
        """Why a floating shape may hide the body's text, or None: a drawing anchored over the text
        area (in front of the text or behind it, where its colours are the background) in the
        body, a header or a footer, or a positioned VML shape. A header's logo above the text
        area is fine."""
        parts = [("word/document.xml", document.element)]
        parts += [
            (str(rel.target_part.partname).lstrip("/"), etree.fromstring(rel.target_part.blob))
            for rel in document.part.rels.values()
            if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external
        ]
        for name, root in parts:
            for anchor in root.iter(f"{_WP}anchor"):
                rect = self._anchor_rect(anchor)
                if rect is None or _overlaps(rect, self.text_area):
                    return f"next to a floating shape over the text area ({name}), which the check cannot see through"
            for shape in root.iter(qn("w:pict")):
                if "absolute" in etree.tostring(shape).decode("utf-8", "replace"):
                    return f"next to a positioned VML shape ({name}), which the check cannot see through"
        return None

    def _anchor_rect(self, anchor: Any) -> tuple[float, float, float, float] | None:
        """An anchored drawing's box in twips on the page, or None where it cannot be placed:
        aligned, or positioned against a paragraph, line or character."""
        extent = anchor.find(f"{_WP}extent")
        origins = {
            "page": (0, 0), "margin": self.text_area[:2], "leftMargin": (0, 0), "topMargin": (0, 0),
            "rightMargin": (self.text_area[2], 0), "bottomMargin": (0, self.text_area[3]),
        }  # fmt: skip
        corner = []
        for axis, index in (("positionH", 0), ("positionV", 1)):
            position = anchor.find(f"{_WP}{axis}")
            offset = position.find(f"{_WP}posOffset") if position is not None else None
            origin = origins.get(position.get("relativeFrom", "")) if position is not None else None
            if offset is None or origin is None or extent is None:
                return None
            try:
                corner.append(origin[index] + int(offset.text or "0") / EMU_PER_TWIP)
            except ValueError:
                return None
        try:
            width, height = (int(extent.get(axis, "0")) / EMU_PER_TWIP for axis in ("cx", "cy"))
        except ValueError:
            return None
        return (corner[0], corner[1], corner[0] + width, corner[1] + height)

    def _off_page(self, indent: Any) -> str | None:
        left = _twips(indent, "w:left") or _twips(indent, "w:start")
        right = _twips(indent, "w:right") or _twips(indent, "w:end")
        first = _twips(indent, "w:firstLine") - _twips(indent, "w:hanging")
        start = self.margins[0] + min(left, left + first)
        end = self.width - self.margins[1] - right
        if start < 0 or end > self.width:
            return "indented off the page (w:ind)"
        if end - (self.margins[0] + max(left, left + first)) < MIN_LINE:
            return (
                f"given a line of {(end - self.margins[0] - max(left, left + first)) / 567:.1f} cm (w:ind; need 2 cm)"
            )
        return None


def _tinted(colour: RGBA, share: float, towards: float) -> RGBA:
    """``colour`` moved by ``share`` towards white (1.0) or black (0.0)."""
    red, green, blue = (c + (towards - c) * share for c in colour[:3])
    return (red, green, blue, 1.0)


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _on_attr(element: Any, attribute: str) -> bool:
    return str(element.get(qn(attribute), "0")).lower() in ("1", "true", "on")


def _val(element: Any) -> str | None:
    return None if element is None else element.get(qn("w:val"))


def _theme(document: DocxDocument) -> dict[str, str]:
    """The theme's colour scheme, slot (dk1, lt1, accent1, …) -> RRGGBB, and its two Latin
    typefaces, major and minor -> name."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.THEME and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            scheme = root.find(f"{_A}themeElements/{_A}clrScheme")
            colours = {}
            for slot in scheme if scheme is not None else ():
                value = next(iter(slot), None)
                if value is not None:
                    colours[slot.tag.removeprefix(_A)] = (
                        value.get("val") if value.tag == f"{_A}srgbClr" else value.get("lastClr", "")
                    )
            for kind in ("major", "minor"):
                latin = root.find(f"{_A}themeElements/{_A}fontScheme/{_A}{kind}Font/{_A}latin")
                if latin is not None:
                    colours[kind] = latin.get("typeface", "")
            return colours
    return {}


def _xml(element: Any) -> bytes:
    return b"" if element is None else bytes(etree.tostring(element))


_P, _R, _T, _TC, _TBL = (qn(f"w:{tag}") for tag in ("p", "r", "t", "tc", "tbl"))
_PPR, _RPR, _TCPR, _PSTYLE = (qn(f"w:{tag}") for tag in ("pPr", "rPr", "tcPr", "pStyle"))
_TABLE_STYLE = f"{qn('w:tblPr')}/{qn('w:tblStyle')}"


def readable_text(document: DocxDocument) -> tuple[str, tuple[Hidden, ...]]:
    """The body's text, paragraph by paragraph, and the stretches of it a reader cannot read."""
    looks = Looks(document)
    pieces: list[str] = []
    hidden: list[Hidden] = []
    offset = 0
    for paragraph in document.element.body.iter(_P):
        if pieces:
            offset += 1
        p_pr = paragraph.find(_PPR)
        style = _val(p_pr.find(_PSTYLE)) if p_pr is not None else None
        cell = next(paragraph.iterancestors(_TC), None)
        table = next(paragraph.iterancestors(_TBL), None)
        table_style = _val(table.find(_TABLE_STYLE)) if table is not None else None
        cell_properties = cell.find(_TCPR) if cell is not None else None
        texts = []
        for run in paragraph.iter(_R):
            text = "".join(t.text or "" for t in run.iter(_T))
            if not text:
                continue
            reason = looks.shapes or looks.reason(style, table_style, cell_properties, p_pr, run.find(_RPR))
            if reason:
                hidden.append(Hidden(offset, offset + len(text), reason))
            texts.append(text)
            offset += len(text)
        pieces.append("".join(texts))
    return " ".join(pieces), tuple(hidden)
