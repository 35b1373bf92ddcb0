"""DOCX through python-docx over the reference document's named styles.

Clause numbers are real Word list numbering (one list per section, restarting
at 1), the footer's page numbers are real PAGE / NUMPAGES fields, and the
document language is set on the styles and on every run.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from functools import lru_cache

import docx
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..model import SIGNATURE_BLANK, Clause, Document, FooterPart
from ..paths import TEMPLATES
from ..timing import timed
from . import Output
from .docx_reference import check_reference

REFERENCE = TEMPLATES / "reference.docx"


@lru_cache(maxsize=1)
def _reference_bytes() -> bytes:
    return REFERENCE.read_bytes()


class _Writer:
    def __init__(self, document: Document):
        self.model = document
        self.docx: DocxDocument = docx.Document(io.BytesIO(_reference_bytes()))
        self.abstract_id = check_reference(self.docx, str(REFERENCE))
        self.lang = document.language
        # python-docx looks a style name up by scanning every style, each time: do it once.
        self.style_ids = {style.name: style.style_id for style in self.docx.styles}

    def paragraph(self, text: str, style: str, keep_with_next: bool = False) -> Paragraph:
        paragraph = self.docx.add_paragraph()
        paragraph._p.style = self.style_ids[style]
        if text:
            self.run(paragraph, text)
        if keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def run(self, paragraph: Paragraph, text: str) -> None:
        run = paragraph.add_run(text)
        run._r.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{self.lang}"/>'))

    def set_language(self) -> None:
        defaults = self.docx.styles.element.find(qn("w:docDefaults"))
        r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
            r_pr.append(lang)
        lang.set(qn("w:val"), self.lang)

    def approval(self) -> None:
        block = self.model.approval
        if block.form == "signature-table":
            return
        lines = [
            (block.approved_label, "Approval Label"),
            (block.approver.position, "Approval"),
            (block.organisation, "Approval"),
            (f"{SIGNATURE_BLANK} {block.approver.name}", "Approval"),
            (block.approver.date or "", "Approval"),
            (block.agreed_label, "Approval Label"),
        ]
        for signatory in block.agreed:
            lines += [
                (signatory.position, "Approval"),
                (f"{SIGNATURE_BLANK} {signatory.name}", "Approval"),
                (f"{block.date_label}: {SIGNATURE_BLANK}", "Approval"),
            ]
        # The whole block is kept on one page: every line keeps with the next.
        for index, (text, style) in enumerate(lines):
            self.paragraph(text, style, keep_with_next=index < len(lines) - 1)

    def new_list(self) -> str:
        """A list instance restarting at 1, so each section numbers its clauses from 1."""
        numbering = self.docx.part.numbering_part.element
        ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        num_id = str(max(ids, default=0) + 1)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{self.abstract_id}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )
        return num_id

    def clause(self, clause: Clause, num_id: str) -> None:
        style = "Clause" if clause.level == 0 else "Clause 2"
        paragraph = self.paragraph(clause.text, style, keep_with_next=bool(clause.children))
        p_pr = paragraph._p.get_or_add_pPr()
        p_pr.insert(
            1 if p_pr.find(qn("w:pStyle")) is not None else 0,
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{clause.level}"/><w:numId w:val="{num_id}"/></w:numPr>'),
        )
        for child in clause.children:
            self.clause(child, num_id)

    def sections(self) -> None:
        for section in self.model.sections:
            self.paragraph(f"{section.numeral}. {section.heading}", "Heading 1")
            if section.intro:
                self.paragraph(section.intro, "Intro", keep_with_next=True)
            num_id = self.new_list()
            for clause in section.clauses:
                self.clause(clause, num_id)

    def signature_table(self) -> None:
        block = self.model.approval
        if block.form != "signature-table":
            return
        rows = [
            block.columns,
            (block.approved_label, block.approver.position, block.approver.name, "", block.approver.date or ""),
        ]
        rows += [(block.agreed_label, s.position, s.name, "", "") for s in block.agreed]
        self.table(rows, (Cm(2.6), Cm(4.9), Cm(4), Cm(3), Cm(3)), row_height=Cm(1.1), keep_together=True)

    def table(
        self, rows: list[tuple[str, ...]], widths: tuple[Cm, ...], row_height: Cm, keep_together: bool = False
    ) -> None:
        """A grid whose first row is a header repeated on each page; rows never split."""
        table: Table = self.docx.add_table(rows=len(rows), cols=len(widths))
        table.style = self.docx.styles["Table Grid"]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid: what LibreOffice lays out by
            for cell in column.cells:
                cell.width = width  # the cells: what Word lays out by
        for row_index, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            if row_index == 0:
                tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
            else:
                row.height = row_height
            for cell, text in zip(row.cells, texts, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph._p.style = self.style_ids["Table Text"]
                if keep_together and row_index < len(rows) - 1:
                    paragraph.paragraph_format.keep_with_next = True
                if text:
                    self.run(paragraph, text)
                    if row_index == 0:
                        paragraph.runs[0].bold = True

    def familiarization(self) -> None:
        sheet = self.model.familiarization
        self.paragraph(sheet.heading, "Sheet Heading")
        self.paragraph(sheet.statement, "Sheet Statement")
        rows = [sheet.columns, *((str(n), "", "", "") for n in range(1, sheet.rows + 1))]
        self.table(rows, (Cm(1.2), Cm(8.3), Cm(4), Cm(3)), row_height=Cm(0.9))

    def footer(self, parts: tuple[FooterPart, ...]) -> None:
        footer = self.docx.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph._p.style = self.style_ids["Footer"]
        for part in parts:
            if part.kind == "text":
                self.run(paragraph, part.text)
            else:
                self.field(paragraph, "PAGE" if part.kind == "page" else "NUMPAGES")

    def field(self, paragraph: Paragraph, instruction: str) -> None:
        """A complex field (begin, instruction, separate, cached result, end) that Word and
        LibreOffice update when the pages are laid out."""
        w = nsdecls("w")
        lang = f'<w:rPr><w:lang w:val="{self.lang}"/></w:rPr>'
        for xml in (
            f'<w:r {w}>{lang}<w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r {w}>{lang}<w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
            f'<w:r {w}>{lang}<w:fldChar w:fldCharType="separate"/></w:r>',
            f"<w:r {w}>{lang}<w:t>1</w:t></w:r>",
            f'<w:r {w}>{lang}<w:fldChar w:fldCharType="end"/></w:r>',
        ):
            paragraph._p.append(parse_xml(xml))

    def properties(self) -> None:
        props = self.docx.core_properties
        created = datetime.datetime.combine(self.model.created, datetime.time(), datetime.UTC)
        props.title = f"{self.model.title} {self.model.subtitle}"
        props.subject = self.model.subject
        props.author = self.model.author
        props.language = self.model.language
        props.created = props.modified = created
        props.last_modified_by = "jobdesc"
        props.revision = 1

    def write(self) -> Output:
        self.set_language()
        self.approval()
        self.paragraph(self.model.title, "Title")
        self.paragraph(self.model.subtitle, "Subtitle")
        self.paragraph(f"{self.model.number}, {self.model.place}", "Document Number")
        self.sections()
        self.signature_table()
        self.familiarization()
        self.footer(self.model.footer)
        self.properties()
        buffer = io.BytesIO()
        self.docx.save(buffer)
        text = " ".join(p.text for p in self.docx.paragraphs)
        return Output(_dated_zip(buffer.getvalue(), self.model.created), text, numbered=False)


def _dated_zip(data: bytes, date: datetime.date) -> bytes:
    """The same package with every entry dated ``date``: python-docx stamps the current time,
    which would make two renders of the same inputs differ."""
    stamp = (date.year, date.month, date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(entry))
    return out.getvalue()


def render(document: Document) -> Output:
    with timed("docx"):
        return _Writer(document).write()
