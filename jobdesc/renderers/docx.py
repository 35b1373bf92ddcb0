"""DOCX over the reference document's named styles.

python-docx opens the reference (styles, numbering, page set-up), writes the footer and
the core properties and saves the package. The body is written as WordprocessingML and
parsed once: python-docx's element-by-element API spent most of a render searching for
each child's place in the schema.

Clause numbers are real Word list numbering (one list per section, restarting at 1), the
footer's page numbers are real PAGE / NUMPAGES fields, and the document language is set
on the styles and on every run.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Length

from ..errors import RenderError
from ..limits import ASSET_BYTES
from ..model import SIGNATURE_BLANK, Bilingual, Clause, Document, FooterPart
from ..paths import TEMPLATES, display
from ..policy import check_docx
from ..safeio import read_inside
from ..timing import timed
from . import Output, RenderOptions
from .docx_identity import write_identity
from .docx_reference import check_reference
from .docx_style import apply_house_style, logo_paragraph
from .docx_visible import readable_text

REFERENCE = TEMPLATES / "reference.docx"  # the bundled one
_W = nsdecls("w")
# docProps/app.xml: the reference file's says which Word saved it; ours says what made this one.
APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>jobdesc</Application><DocSecurity>0</DocSecurity></Properties>"
)


@lru_cache(maxsize=8)
def _reference_bytes(path: Path, mtime_ns: int) -> bytes:
    return read_inside(path.parent, path.name, limit=ASSET_BYTES)


def _twips(length: Length) -> int:
    return int(length.twips)


class _Writer:
    numbered = False  # whether the text read back holds the clause numbers (typed, not list fields)

    def __init__(self, document: Document, options: RenderOptions):
        self.model = document  # whose styles, page and language the file takes
        self.whole: Document | Bilingual = document  # what the file is: its look, footer and identity
        reference = options.template_file("reference.docx")  # an organisation's own, or ours
        self.reference = reference
        raw = _reference_bytes(reference, reference.stat().st_mtime_ns)
        try:
            self.docx: DocxDocument = docx.Document(io.BytesIO(raw))
        except Exception as exc:  # a damaged file: zipfile, lxml and python-docx each raise their own kinds
            if zipfile.is_zipfile(io.BytesIO(raw)):
                check_docx(raw, reference)  # a .docm: its macros are named as such
            raise RenderError(f"{display(reference)}: not a Word document that can be read ({exc})") from None
        self.abstract_id = check_reference(self.docx, str(reference))
        self.style_ids = {style.name: style.style_id for style in self.docx.styles}
        self.lang = quoteattr(document.language)
        self.body: list[str] = []  # WordprocessingML of the body, in order
        self.next_list_id = 1 + max(
            (int(n.get(qn("w:numId"))) for n in self.docx.part.numbering_part.element.findall(qn("w:num"))),
            default=0,
        )

    # --- WordprocessingML pieces ---------------------------------------------

    def run(self, text: str, bold: bool = False) -> str:
        props = f"{'<w:b/>' if bold else ''}<w:lang w:val={self.lang}/>"
        return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'

    def paragraph_xml(
        self, text: str, style: str, keep_with_next: bool = False, numbering: tuple[str, int] | None = None
    ) -> str:
        props = f"<w:pStyle w:val={quoteattr(self.style_ids[style])}/>"
        if keep_with_next:
            props += "<w:keepNext/>"
        if numbering:
            num_id, level = numbering
            props += f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        return f"<w:p><w:pPr>{props}</w:pPr>{self.run(text) if text else ''}</w:p>"

    def paragraph(self, text: str, style: str, keep_with_next: bool = False) -> None:
        self.body.append(self.paragraph_xml(text, style, keep_with_next))

    def table(
        self, rows: list[tuple[str, ...]], widths: tuple[Length, ...], row_height: Length, keep_together: bool = False
    ) -> None:
        """A grid whose first row is a header repeated on each page; rows never split.
        The widths go on the grid (what LibreOffice lays out by) and on each cell (Word)."""
        style = quoteattr(self.style_ids["Table Grid"])
        grid = "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths)
        xml = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val={style}/><w:tblW w:w="0" w:type="auto"/>'
            f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        ]
        for index, texts in enumerate(rows):
            header = index == 0
            height = "" if header else f'<w:trHeight w:val="{_twips(row_height)}"/>'
            xml.append(f"<w:tr><w:trPr><w:cantSplit/>{height}{'<w:tblHeader/>' if header else ''}</w:trPr>")
            keep = "<w:keepNext/>" if keep_together and index < len(rows) - 1 else ""
            for text, width in zip(texts, widths, strict=True):
                run = self.run(text, bold=header) if text else ""
                xml.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width)}" w:type="dxa"/></w:tcPr>'
                    f"<w:p><w:pPr><w:pStyle w:val={quoteattr(self.style_ids['Table Text'])}/>{keep}</w:pPr>"
                    f"{run}</w:p></w:tc>"
                )
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.body.append("".join(xml))

    # --- the document's parts, in reading order --------------------------------

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
        ]
        if block.form == "approval-block":
            lines += self.agreed_lines()
        self.kept_together(lines)

    def agreed_lines(self) -> list[tuple[str, str]]:
        block = self.model.approval
        lines = [(block.agreed_label, "Approval Label")]
        for signatory in block.agreed:
            lines += [
                (signatory.position, "Approval"),
                (f"{SIGNATURE_BLANK} {signatory.name}", "Approval"),
                (f"{block.date_label} {SIGNATURE_BLANK}", "Approval"),
            ]
        return lines

    def kept_together(self, lines: list[tuple[str, str]]) -> None:
        """Paragraphs kept on one page: every line keeps with the next."""
        for index, (text, style) in enumerate(lines):
            self.paragraph(text, style, keep_with_next=index < len(lines) - 1)

    def visas(self) -> None:
        """The internal agreement after the text (RU, UA)."""
        if self.model.approval.form == "approval-with-visas":
            self.paragraph("", "Approval")
            self.kept_together(self.agreed_lines())

    def new_list(self) -> str:
        """A list instance restarting at 1, so each section numbers its clauses from 1."""
        num_id = str(self.next_list_id)
        self.next_list_id += 1
        self.docx.part.numbering_part.element.append(
            parse_xml(
                f'<w:num {_W} w:numId="{num_id}"><w:abstractNumId w:val="{self.abstract_id}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )
        return num_id

    def clause(self, clause: Clause, num_id: str) -> None:
        style = "Clause" if clause.level == 0 else "Clause 2"
        self.body.append(self.paragraph_xml(clause.text, style, bool(clause.children), (num_id, clause.level)))
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
        approver = block.approver
        rows = [block.columns, *((block.agreed_label, s.position, s.name, "", "") for s in block.agreed)]
        rows.append((block.approved_label, approver.position, approver.name, "", approver.date or ""))  # approved last
        self.paragraph("", "Intro")  # the table stands apart from the last clause
        widths = (Cm(3.3), Cm(4.5), Cm(3.9), Cm(2.4), Cm(3.4))  # "Freigegeben von", "23. November 2026" fit
        self.table(rows, widths, row_height=Cm(1.1), keep_together=True)

    def receipt(self) -> None:
        """The employee's own receipt (the Western form), after the text, kept whole."""
        sheet = self.model.familiarization
        self.paragraph(sheet.heading, "Intro", keep_with_next=True)
        self.paragraph(sheet.statement, "Intro", keep_with_next=True)
        if sheet.people:
            rows = [sheet.columns, *((name, job, "", "") for name, job in sheet.people)]
            widths: tuple[Length, ...] = (Cm(5), Cm(4.5), Cm(4), Cm(3))
        else:
            rows = [sheet.columns, ("", "", "")]
            widths = (Cm(8.5), Cm(5), Cm(3))
        self.table(rows, widths, row_height=Cm(1.1), keep_together=True)

    def familiarization(self) -> None:
        sheet = self.model.familiarization
        if sheet.form == "receipt":
            self.receipt()
            return
        self.paragraph(sheet.heading, "Sheet Heading")
        self.paragraph(sheet.statement, "Sheet Statement")
        if sheet.people:
            rows = [sheet.columns, *((str(n), name, job, "", "") for n, (name, job) in enumerate(sheet.people, 1))]
            widths: tuple[Length, ...] = (Cm(1.5), Cm(4.5), Cm(3.5), Cm(4), Cm(3))  # "№ п/п" fits
        else:
            rows = [sheet.columns, *((str(n), "", "", "") for n in range(1, sheet.rows + 1))]
            widths = (Cm(1.5), Cm(8.0), Cm(4), Cm(3))
        self.table(rows, widths, row_height=Cm(0.9))

    def footer(self, parts: tuple[FooterPart, ...], languages: tuple[str, ...] = ()) -> None:
        """Literal text and complex fields (begin, instruction, separate, cached result, end)
        that Word and LibreOffice update when they lay the pages out; ``languages``, each part's
        when they differ (a bilingual footer)."""
        runs = []
        for index, part in enumerate(parts):
            language = quoteattr(languages[index]) if languages else self.lang
            lang = f"<w:rPr><w:lang w:val={language}/></w:rPr>"
            if part.kind == "text":
                runs.append(f'<w:r>{lang}<w:t xml:space="preserve">{escape(part.text)}</w:t></w:r>')
                continue
            instruction = "PAGE" if part.kind == "page" else "NUMPAGES"
            runs += [
                f'<w:r>{lang}<w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r>{lang}<w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
                f'<w:r>{lang}<w:fldChar w:fldCharType="separate"/></w:r>',
                f"<w:r>{lang}<w:t>1</w:t></w:r>",
                f'<w:r>{lang}<w:fldChar w:fldCharType="end"/></w:r>',
            ]
        footer = self.docx.sections[0].footer._element
        for paragraph in footer.findall(qn("w:p")):
            footer.remove(paragraph)
        style = quoteattr(self.style_ids["Footer"])
        footer.append(parse_xml(f"<w:p {_W}><w:pPr><w:pStyle w:val={style}/></w:pPr>{''.join(runs)}</w:p>"))
        if self.whole.identity:  # what the document was made from: see `jobdesc verify`
            small = f'<w:rPr><w:color w:val="555555"/><w:sz w:val="13"/><w:lang w:val={self.lang}/></w:rPr>'
            label = escape(self.whole.identity.label())
            identity_xml = (
                f"<w:p {_W}><w:pPr><w:pStyle w:val={style}/></w:pPr><w:r>{small}<w:t>{label}</w:t></w:r></w:p>"
            )
            footer.append(parse_xml(identity_xml))

    def package(self) -> None:
        """Word and LibreOffice hyphenate as the PDF does (justified lines do not gape); the
        reference file's application name and thumbnail do not travel with the document."""
        settings = self.docx.settings.element
        if settings.find(qn("w:autoHyphenation")) is None:
            settings.insert(0, parse_xml(f"<w:autoHyphenation {_W}/>"))
        package = self.docx.part.package
        for rel_id, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[rel_id]
            elif rel.reltype == RT.EXTENDED_PROPERTIES:
                rel.target_part._blob = APP_XML

    def set_language(self) -> None:
        defaults = self.docx.styles.element.find(qn("w:docDefaults"))
        r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = parse_xml(f"<w:lang {_W}/>")
            r_pr.append(lang)
        lang.set(qn("w:val"), self.model.language)

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
        if self.model.identity:  # see `jobdesc verify`: in short for a reader, in full for verify
            props.identifier = self.model.identity.short()
            write_identity(self.docx, self.model.identity.encode())

    def write(self) -> Output:
        self.package()
        self.set_language()
        apply_house_style(self.docx, self.whole.style)
        if self.whole.style.logo:
            self.body.append(logo_paragraph(self.docx, self.whole.style.logo))
        self.content()
        body = self.docx.element.body
        section_properties = body[-1]  # the reference's page set-up stays last
        for element in parse_xml(f"<w:body {_W}>{''.join(self.body)}</w:body>"):
            section_properties.addprevious(element)
        self.footer(self.whole.footer, self.footer_languages())
        self.properties()
        # What a reader of the file sees, read back from the document as written.
        text, hidden = readable_text(self.docx)
        data = save_dated(self.docx, self.whole.created)
        with timed("output policy"):
            check_docx(data, self.reference)
        return Output(data, text, numbered=self.numbered, hidden=hidden)

    def footer_languages(self) -> tuple[str, ...]:
        """Each footer part's language when they differ; none for one language."""
        return ()

    def content(self) -> None:
        """The body: sign-off, title, sections, signatures and the acknowledgement, in order."""
        self.approval()
        self.paragraph(self.model.approval.organisation, "Document Number")  # the employer, above the title
        self.paragraph(self.model.title, "Title")
        self.paragraph(self.model.subtitle, "Subtitle")
        eastern = self.model.approval.form != "signature-table"  # the table puts the place with the date
        self.paragraph(f"{self.model.number}, {self.model.place}" if eastern else self.model.number, "Document Number")
        if self.model.notice:
            self.paragraph(self.model.notice, "Document Number")
        self.sections()
        self.signature_table()
        self.visas()
        self.familiarization()


class _DatedZip:
    """python-docx's package writer, but every entry is dated ``date``: python-docx stamps
    the current time, which would make two renders of the same inputs differ."""

    def __init__(self, stream: io.BytesIO, date: datetime.date):
        self._zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)
        self._stamp = (date.year, date.month, date.day, 0, 0, 0)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def save_dated(document: DocxDocument, date: datetime.date) -> bytes:
    """What ``document.save()`` writes, dated: the same three steps as python-docx's
    PackageWriter.write (private helpers; python-docx is pinned below 2)."""
    package = document.part.package
    parts = list(package.iter_parts())
    stream = io.BytesIO()
    writer: Any = _DatedZip(stream, date)
    PackageWriter._write_content_types_stream(writer, parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return stream.getvalue()


def render(document: Document | Bilingual, options: RenderOptions) -> Output:
    if isinstance(document, Bilingual):
        from .docx_bilingual import render as render_pair

        return render_pair(document, options)
    with timed("docx"):
        return _Writer(document, options).write()
