"""The redline as a DOCX of Word tracked changes, over the reference document's styles.

Every paragraph of both versions stands where it stood: a removed clause at its old place,
a moved one at both places as a move (w:moveFrom / w:moveTo), an added one at its new place.
Numbers are text inside the tracked runs, and a paragraph that only one version has carries
its paragraph mark as an insertion, deletion or move too, so that accepting every change
leaves exactly the new version's approval data, headings, clause numbers and texts, and
rejecting every change the old version's, with no stray number or empty paragraph.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from itertools import count, groupby
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from .redline import APPROVAL, ClauseChange, Piece

_MARK = {"insert": "w:ins", "delete": "w:del"}


class _Writer:
    def __init__(self, styles: dict[str, str], language: str, author: str, date: datetime.date):
        self.styles, self.lang = styles, quoteattr(language)
        self.stamp = f"w:author={quoteattr(author)} w:date={quoteattr(f'{date.isoformat()}T00:00:00Z')}"
        self.ids: Iterator[int] = count(1)
        self.moves: dict[str, int] = {}  # clause id -> the number of its move's name

    def revision(self) -> str:
        return f'w:id="{next(self.ids)}" {self.stamp}'

    def run(self, text: str, deleted: bool = False) -> str:
        tag = "w:delText" if deleted else "w:t"
        properties = f"<w:rPr><w:lang w:val={self.lang}/></w:rPr>"
        return f'<w:r>{properties}<{tag} xml:space="preserve">{escape(text)}</{tag}></w:r>'

    def tracked(self, kind: str, text: str) -> str:
        """A piece of text: plain, inserted, deleted, or part of a move ("moveFrom"/"moveTo")."""
        if not text:
            return ""
        if kind == "same":
            return self.run(text)
        element = _MARK.get(kind, f"w:{kind}")
        return f"<{element} {self.revision()}>{self.run(text, deleted=kind == 'delete')}</{element}>"

    def paragraph(self, style: str, content: str, mark: str | None = None, move: tuple[str, str] | None = None) -> str:
        """``mark`` tracks the paragraph mark itself ("insert", "delete", "moveFrom", "moveTo"); ``move``
        is the side ("moveFrom" or "moveTo") and name of the move whose range this paragraph is."""
        mark_xml = ""
        if mark:
            element = _MARK.get(mark, f"w:{mark}")
            mark_xml = f"<w:rPr><{element} {self.revision()}/></w:rPr>"
        if move:
            side, name = move
            number = next(self.ids)
            start = f'<w:{side}RangeStart w:id="{number}" w:name="{name}" {self.stamp}/>'
            content = f'{start}{content}<w:{side}RangeEnd w:id="{number}"/>'
        return f"<w:p><w:pPr><w:pStyle w:val={quoteattr(self.styles[style])}/>{mark_xml}</w:pPr>{content}</w:p>"

    def entry(self, change: ClauseChange, style: str, label: str) -> str:
        """One clause (or approval line) with its number, tracked by where it stands."""
        if change.source or (change.moved and change.kind in ("moved", "changed")):
            return self.moved(change, style, label)
        if change.kind in ("added", "removed"):
            kind = "insert" if change.kind == "added" else "delete"
            pieces = self.tracked(kind, label) + self.tracked(kind, _num(change.number)) + self.words(change.words)
            return self.paragraph(style, pieces, kind)
        number = self.run(_num(change.number))
        if change.number != change.old_number:
            number = self.tracked("delete", _num(change.old_number)) + self.tracked("insert", _num(change.number))
        return self.paragraph(style, self.run(label) + number + self.words(change.words))

    def moved(self, change: ClauseChange, style: str, label: str) -> str:
        name = f"move{self.moves.setdefault(change.id, len(self.moves) + 1)}"
        if change.source:
            body = self.tracked("moveFrom", label + _num(change.old_number) + change.old_text)
            return self.paragraph(style, body, "moveFrom", ("moveFrom", name))
        # At the new place: the new text; the words it lost show in the old place's moveFrom. A changed
        # clause's paragraph mark is an insertion: LibreOffice leaves an empty paragraph when it rejects
        # a moved-to paragraph that holds an insertion too.
        pieces = self.tracked("moveTo", label + _num(change.number))
        kept = [("moveTo" if kind == "same" else "insert", text) for kind, text in change.words if kind != "delete"]
        pieces += "".join(self.tracked(kind, text) for kind, text in kept)
        return self.paragraph(style, pieces, "moveTo" if change.kind == "moved" else "insert", ("moveTo", name))

    def words(self, pieces: tuple[Piece, ...]) -> str:
        return "".join(self.tracked(kind, text) for kind, text in pieces)


def _num(number: str) -> str:
    return f"{number} " if number else ""


def as_docx(changes: list[ClauseChange], title: str, language: str, date: datetime.date, author: str) -> bytes:
    """The redline of one document; ``author`` and ``date`` are the revisions'."""
    from .renderers.docx import REFERENCE, save_dated

    document = docx.Document(str(REFERENCE))
    writer = _Writer({style.name: style.style_id for style in document.styles}, language, author, date)
    body = [writer.paragraph("Title", writer.run(title))]
    body += [writer.entry(c, "Approval", f"{c.section}: ") for c in changes if c.part == APPROVAL]
    clauses = [c for c in changes if c.part != APPROVAL]
    for section, group in groupby(clauses, key=lambda c: c.section):
        entries = list(group)
        places = {c.place for c in entries}
        # A heading only one version has goes and comes with its clauses.
        mark = "delete" if places == {"old"} else "insert" if places == {"new"} else None
        body.append(writer.paragraph("Heading 1", writer.tracked(mark or "same", section), mark))
        body += [writer.entry(c, "Normal", "") for c in entries]
    body.append(writer.paragraph("Normal", ""))  # the last mark, which no change may remove (Word keeps it)
    element = document.element.body
    for child in parse_xml(f"<w:body {nsdecls('w')}>{''.join(body)}</w:body>"):
        element[-1].addprevious(child)
    document.core_properties.title = title
    document.core_properties.language = language
    document.core_properties.author = author
    return save_dated(document, date)
