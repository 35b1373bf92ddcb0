"""A bilingual DOCX: the two languages side by side in a borderless two-column table, a row per
clause pair, each row kept on one page when it fits; every run carries its own language (w:lang)
so Word's and LibreOffice's spelling and hyphenation follow each column.

Clause numbers are printed text here (as in the PDF), not list numbering: two lists in the
cells of one table would be numbered as one by Word.
"""

from __future__ import annotations

import datetime
from xml.sax.saxutils import escape, quoteattr

from docx.shared import Cm, Length

from ..model import Bilingual, Clause, Document
from ..timing import timed
from . import Output, RenderOptions
from .docx import _twips, _Writer
from .docx_identity import write_identity

COLUMN = Cm(8.25)  # half the reference's text width
Texts = tuple[tuple[str, str], ...]  # (text, language) of each run of a paragraph


class _BilingualWriter(_Writer):
    def __init__(self, document: Bilingual, options: RenderOptions):
        super().__init__(document.first, options)  # styles, page and document language: the binding one's
        self.pair = self.whole = document

    def runs(self, texts: Texts, bold: bool = False) -> str:
        return "".join(
            "<w:r><w:br/></w:r>"
            if text == "\n"
            else f"<w:r><w:rPr>{'<w:b/>' if bold else ''}<w:lang w:val={quoteattr(lang)}/></w:rPr>"
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
            for text, lang in texts
            if text
        )

    def para(self, texts: Texts, style: str, extra: str = "", bold: bool = False) -> str:
        style_id = quoteattr(self.style_ids[style])
        return f"<w:p><w:pPr><w:pStyle w:val={style_id}/>{extra}</w:pPr>{self.runs(texts, bold)}</w:p>"

    def both(self, one: str, other: str) -> Texts:
        """One label in both languages; once when they are the same (a name)."""
        first, second = self.pair.first.language, self.pair.second.language
        return ((one, first),) if one.lower() == other.lower() else ((one, first), (" / ", first), (other, second))

    def stacked(self, one: str, other: str) -> Texts:
        """Where and when, a line for each language."""
        first, second = self.pair.first.language, self.pair.second.language
        return ((one, first),) if one.lower() == other.lower() else ((one, first), ("\n", first), (other, second))

    def grid(
        self,
        rows: list[tuple[list[str], bool]],
        widths: tuple[Length, ...],
        borders: str,
        height: Length | None = None,
        header: bool = False,
    ) -> None:
        """A table of (cells' paragraphs, keep with the next row) rows; no row splits unless it is
        longer than a page."""
        grid = "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths)
        xml = [
            f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>{borders}'
            '<w:tblCellMar><w:left w:w="100" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ]
        for index, (cells, _) in enumerate(rows):
            tall = f'<w:trHeight w:val="{_twips(height)}"/>' if height and not (header and index == 0) else ""
            head = "<w:tblHeader/>" if header and index == 0 else ""
            xml.append(f"<w:tr><w:trPr><w:cantSplit/>{tall}{head}</w:trPr>")
            for paragraphs, width in zip(cells, widths, strict=True):
                xml.append(f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width)}" w:type="dxa"/></w:tcPr>{paragraphs}</w:tc>')
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.body.append("".join(xml))

    def columns(self, rows: list[tuple[str, str, bool]]) -> None:
        """Rows of (first language's paragraphs, second's, keep with next): a line between columns."""
        line = '<w:tblBorders><w:insideV w:val="single" w:sz="4" w:space="0" w:color="999999"/></w:tblBorders>'
        self.grid([([one, two], keep) for one, two, keep in rows], (COLUMN, COLUMN), line)

    def title(self, document: Document) -> str:
        lang = document.language
        return "".join(
            (
                self.para(((document.approval.organisation, lang),), "Document Number", "<w:keepNext/>"),
                self.para(((document.title, lang),), "Title", "<w:keepNext/>"),
                self.para(((document.subtitle, lang),), "Subtitle", "<w:keepNext/>"),
                self.para(((f"{document.number}, {document.place}", lang),), "Document Number", "<w:keepNext/>"),
            )
        )

    def clause_paragraph(self, clause: Clause, lang: str) -> str:
        indent = (
            '<w:ind w:left="510" w:hanging="510"/>' if clause.level == 0 else '<w:ind w:left="1134" w:hanging="624"/>'
        )
        tab = f'<w:tabs><w:tab w:val="left" w:pos="{510 if clause.level == 0 else 1134}"/></w:tabs>'
        run = (
            f"<w:r><w:rPr><w:lang w:val={quoteattr(lang)}/></w:rPr><w:t>{escape(clause.number)}</w:t></w:r>"
            f"<w:r><w:rPr><w:lang w:val={quoteattr(lang)}/></w:rPr><w:tab/></w:r>{self.runs(((clause.text, lang),))}"
        )
        style = quoteattr(self.style_ids["Table Text"])
        return f"<w:p><w:pPr><w:pStyle w:val={style}/>{tab}{indent}</w:pPr>{run}</w:p>"

    def text_rows(self) -> None:
        f, s = self.pair.first, self.pair.second
        rows = [(self.title(f), self.title(s), False)]
        for one, two in self.pair.sections():
            heads = [
                self.para(((f"{sec.numeral}. {sec.heading}", d.language),), "Heading 1", "<w:keepNext/>")
                + (self.para(((sec.intro, d.language),), "Intro", "<w:keepNext/>") if sec.intro else "")
                for sec, d in ((one, f), (two, s))
            ]
            rows.append((heads[0], heads[1], True))
            rows += [
                (self.clause_paragraph(c, f.language), self.clause_paragraph(d, s.language), False)
                for c, d in self.pair.pairs(one, two)
            ]
        prevails = [
            self.para(((text, d.language),), "Table Text") for text, d in zip(self.pair.prevails, (f, s), strict=True)
        ]
        rows.append((prevails[0], prevails[1], False))
        self.columns(rows)

    def signatures(self) -> None:
        a, b = self.pair.first.approval, self.pair.second.approval
        cell = "Table Text"
        rows = [
            ([self.para(self.both(x, y), cell, bold=True) for x, y in zip(a.columns, b.columns, strict=True)], True)
        ]
        for p, q in zip(a.agreed, b.agreed, strict=True):
            texts: tuple[Texts, ...] = (
                self.both(a.agreed_label, b.agreed_label),
                self.both(p.position, q.position),
                self.both(p.name, q.name),
                (),
                (),
            )
            rows.append(([self.para(t, cell) for t in texts], True))
        x, y = a.approver, b.approver
        last: tuple[Texts, ...] = (
            self.both(a.approved_label, b.approved_label),
            self.both(x.position, y.position),
            self.both(x.name, y.name),
            (),
            self.stacked(x.date or "", y.date or ""),
        )
        rows.append(([self.para(t, cell) for t in last], False))
        self.body.append(self.para((), "Intro"))
        self.grid(rows, (Cm(3.3), Cm(4.0), Cm(3.4), Cm(2.4), Cm(3.4)), self.lines(), Cm(1.1), header=True)

    def lines(self) -> str:
        sides = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        return f"<w:tblBorders>{sides}</w:tblBorders>"

    def acknowledgement(self) -> None:
        f, s = self.pair.first, self.pair.second
        sheet, other = f.familiarization, s.familiarization
        page = "<w:pageBreakBefore/>" if sheet.form != "receipt" else ""
        self.body.append(self.para((), "Intro", page))
        halves = [
            self.para(((x.heading, d.language),), "Heading 1", "<w:keepNext/>")
            + self.para(((x.statement, d.language),), "Intro", "<w:keepNext/>")
            for x, d in ((sheet, f), (other, s))
        ]
        self.columns([(halves[0], halves[1], True)])
        cell = "Table Text"
        numbered = sheet.form != "receipt"
        rows = [
            (
                [
                    self.para(self.both(x, y), cell, bold=True)
                    for x, y in zip(sheet.columns, other.columns, strict=True)
                ],
                False,
            )
        ]
        if sheet.people:
            for n, (name, job) in enumerate(sheet.people, 1):
                rows.append(
                    (
                        [
                            *([self.para(((str(n), f.language),), cell)] if numbered else []),
                            self.para(((name, f.language),), cell),
                            self.para(((job, f.language),), cell),
                            self.para((), cell),
                            self.para((), cell),
                        ],
                        False,
                    )
                )
        else:
            for n in range(1, sheet.rows + 1):
                rows.append(
                    (
                        [
                            *([self.para(((str(n), f.language),), cell)] if numbered else []),
                            *(self.para((), cell) for _ in range(3)),
                        ],
                        False,
                    )
                )
        count = len(sheet.columns)
        widths = {
            3: (Cm(8.5), Cm(5), Cm(3)),
            4: (Cm(1.5), Cm(8.0), Cm(4), Cm(3)) if numbered else (Cm(5), Cm(4.5), Cm(4), Cm(3)),
            5: (Cm(1.5), Cm(4.5), Cm(3.5), Cm(4), Cm(3)),
        }[count]
        self.grid(rows, widths, self.lines(), Cm(1.1), header=True)

    def properties(self) -> None:
        f, s = self.pair.first, self.pair.second
        props = self.docx.core_properties
        props.title = f"{f.title} {f.subtitle} / {s.title} {s.subtitle}"
        props.subject = f"{f.subject} / {s.subject}"
        props.author = f.author
        props.language = f"{f.language}, {s.language}"
        props.created = props.modified = datetime.datetime.combine(f.created, datetime.time(), datetime.UTC)
        props.last_modified_by = "jobdesc"
        props.revision = 1
        if self.pair.identity:
            props.identifier = self.pair.identity.short()
            write_identity(self.docx, self.pair.identity.encode())

    numbered = True  # the clause numbers are typed in the table's cells

    def content(self) -> None:
        self.text_rows()
        self.signatures()
        self.acknowledgement()

    def footer_languages(self) -> tuple[str, ...]:
        """"Strona 1 z 3 / Page 1 of 3": each part in its language, the " / " in the first's."""
        f, s = self.pair.first, self.pair.second
        return (*(f.language for _ in f.footer), f.language, *(s.language for _ in s.footer))


def render(document: Bilingual, options: RenderOptions) -> Output:
    with timed("docx"):
        return _BilingualWriter(document, options).write()
