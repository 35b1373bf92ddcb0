"""Compare two versions of an instruction clause by clause, by id: what a lawyer reviews.

Clauses are matched by id, not by position, so renumbering is not a change. Each
clause is unchanged, added, removed, changed (with the word-level change) or moved
(its place among the clauses both versions share changed). The same comparison is
written for the terminal, as HTML (<ins>/<del>) and as a DOCX whose changes are Word
tracked changes that Word and LibreOffice can accept or reject.
"""

from __future__ import annotations

import datetime
import difflib
import html
import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from .errors import UsageError
from .model import Clause, Document

Kind = Literal["unchanged", "added", "removed", "changed", "moved"]
Piece = tuple[Literal["same", "insert", "delete"], str]


@dataclass(frozen=True)
class ClauseChange:
    kind: Kind
    id: str
    section: str  # the heading, e.g. "IV. Liability"
    number: str  # in the new version (the old one for a removed clause)
    old_text: str
    new_text: str
    words: tuple[Piece, ...]  # the text as word-level pieces

    @property
    def changed(self) -> bool:
        return self.kind != "unchanged"


def _clauses(document: Document) -> dict[str, tuple[str, Clause]]:
    return {c.id: (f"{s.numeral}. {s.heading}", c) for s in document.sections for c in s.walk()}


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """Word-level pieces; each word keeps the space that follows it."""
    a, b = old.split(" "), new.split(" ")
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", " ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", " ".join(b[j1:j2])))
    joined: list[Piece] = []
    for index, (kind, text) in enumerate(pieces):  # put the spaces back between pieces
        joined.append((kind, text + (" " if index < len(pieces) - 1 else "")))
    return tuple(joined)


def compare(old: Document, new: Document) -> list[ClauseChange]:
    """Every clause of both versions, in the new version's order, removed ones where they were."""
    before, after = _clauses(old), _clauses(new)
    common_old = [i for i in before if i in after]
    common_new = [i for i in after if i in before]
    matcher = difflib.SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    in_place = {common_new[j] for block in matcher.get_matching_blocks() for j in range(block.b, block.b + block.size)}
    changes: list[ClauseChange] = []
    for clause_id, (section, clause) in after.items():
        if clause_id not in before:
            changes.append(ClauseChange("added", clause_id, section, clause.number, "", clause.text,
                                        (("insert", clause.text),)))  # fmt: skip
            continue
        old_section, old_clause = before[clause_id]
        moved = clause_id not in in_place or old_section != section
        if old_clause.text != clause.text:
            kind: Kind = "changed"
        else:
            kind = "moved" if moved else "unchanged"
        words = word_diff(old_clause.text, clause.text) if kind == "changed" else (("same", clause.text),)
        changes.append(ClauseChange(kind, clause_id, section, clause.number, old_clause.text, clause.text, words))
    for clause_id, (section, clause) in before.items():
        if clause_id not in after:
            position = next((i for i, c in enumerate(changes) if c.section == section), len(changes))
            changes.insert(position, ClauseChange("removed", clause_id, section, clause.number, clause.text, "",
                                                  (("delete", clause.text),)))  # fmt: skip
    return changes


def as_text(changes: list[ClauseChange], colour: bool) -> str:
    """For the terminal: [-deleted-] and {+inserted+} (coloured on a terminal); changes only."""
    import click

    lines = []
    for change in (c for c in changes if c.changed):
        lines.append(f"{change.kind.upper():>9} {change.section} {change.number} [{change.id}]")
        text = ""
        for kind, piece in change.words:
            if kind == "same":
                text += piece
            elif colour:
                text += click.style(piece, fg="green" if kind == "insert" else "red", strikethrough=kind == "delete")
            else:
                text += f"{{+{piece}+}}" if kind == "insert" else f"[-{piece}-]"
        lines.append(f"          {text}")
    counts = {kind: sum(c.kind == kind for c in changes) for kind in ("added", "removed", "changed", "moved")}
    lines.append(", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return "\n".join(lines) + "\n"


def as_html(changes: list[ClauseChange], title: str) -> str:
    rows = []
    for change in changes:
        body = "".join(
            html.escape(piece)
            if kind == "same"
            else f"<{'ins' if kind == 'insert' else 'del'}>{html.escape(piece)}"
            f"</{'ins' if kind == 'insert' else 'del'}>"
            for kind, piece in change.words
        )
        rows.append(
            f'<tr class="{change.kind}"><td>{html.escape(change.section)}</td><td>{html.escape(change.number)}</td>'
            f"<td>{change.kind}</td><td>{body}</td></tr>"
        )
    style = "ins{background:#d4f7d4;text-decoration:none}del{background:#fadada}tr.unchanged{color:#777}"
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body><h1>{html.escape(title)}</h1><table>{''.join(rows)}</table></body></html>"
    )


def as_docx(changes: list[ClauseChange], title: str, language: str, date: datetime.date) -> bytes:
    """The new version with every change as a Word tracked change (insertion or deletion),
    over the reference document's styles, so a lawyer can accept or reject each one."""
    from .renderers.docx import REFERENCE, save_dated

    document = docx.Document(str(REFERENCE))
    styles = {style.name: style.style_id for style in document.styles}
    lang = quoteattr(language)
    stamp = quoteattr(f"{date.isoformat()}T00:00:00Z")
    revision = iter(range(1, 1_000_000))

    def paragraph(style: str, runs: str) -> str:
        return f"<w:p><w:pPr><w:pStyle w:val={quoteattr(styles[style])}/></w:pPr>{runs}</w:p>"

    def run(text: str, deleted: bool = False) -> str:
        tag = "w:delText" if deleted else "w:t"
        return f'<w:r><w:rPr><w:lang w:val={lang}/></w:rPr><{tag} xml:space="preserve">{escape(text)}</{tag}></w:r>'

    def tracked(kind: str, text: str) -> str:
        if kind == "same":
            return run(text)
        element = "w:ins" if kind == "insert" else "w:del"
        attributes = f'w:id="{next(revision)}" w:author="jobdesc" w:date={stamp}'
        return f"<{element} {attributes}>{run(text, deleted=kind == 'delete')}</{element}>"

    body, section = [paragraph("Title", run(title))], None
    for change in changes:
        if change.section != section:
            section = change.section
            body.append(paragraph("Heading 1", run(section)))
        body.append(paragraph("Normal", run(f"{change.number} ") + "".join(tracked(k, t) for k, t in change.words)))
    element = document.element.body
    for child in parse_xml(f"<w:body {nsdecls('w')}>{''.join(body)}</w:body>"):
        element[-1].addprevious(child)
    document.core_properties.title = title
    document.core_properties.language = language
    return save_dated(document, date)


def profiles_at(revision: str, profiles: Path, into: Path) -> Path:
    """The profiles folder as it was at a git revision, extracted into ``into``."""
    try:
        top = subprocess.run(
            ["git", "-C", str(profiles), "rev-parse", "--show-toplevel"], check=True, capture_output=True, text=True
        ).stdout.strip()
        relative = profiles.resolve().relative_to(Path(top).resolve())
        archive = subprocess.run(
            ["git", "-C", top, "archive", "--format=tar", revision, "--", str(relative)],
            check=True,
            capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or str(exc)
        detail = detail.decode(errors="replace") if isinstance(detail, bytes) else detail
        raise UsageError(f"cannot read {profiles} at revision {revision!r}: {detail.strip()}") from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / relative
