"""Compare two versions of an instruction clause by clause, by id: what a lawyer reviews.

Clauses are matched by id, not by position, so renumbering alone is not a change. Each
clause is unchanged, added, removed, changed (with the word-level change) or moved (its
place among the clauses both versions share changed). The approval data (the document
number, who approves and agrees, the date) is compared the same way. The comparison is
written for the terminal and as HTML (<ins>/<del>); ``redline_docx`` writes it as Word
tracked changes and ``redline_pdf`` prints the HTML.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import io
import re
import subprocess
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import Location, ProfileError, UsageError
from .model import Clause, Document
from .profile import SECTIONS

Kind = Literal["unchanged", "added", "removed", "changed", "moved"]
Piece = tuple[Literal["same", "insert", "delete"], str]
APPROVAL = "approval"  # the part of a ClauseChange about the approval data, not a clause


@dataclass(frozen=True)
class ClauseChange:
    kind: Kind
    id: str  # a clause id, or for the approval data "document-number", "approved-by", "agreed-by-…"
    section: str  # the heading, e.g. "IV. Liability"; for the approval data its label, e.g. "APPROVED"
    number: str  # in the new version (the old one for a removed clause); "" for the approval data
    old_text: str
    new_text: str
    words: tuple[Piece, ...]  # the text as word-level pieces
    old_number: str = ""  # in the old version; "" for an added clause
    moved: bool = False  # it stands elsewhere among the clauses both versions share (a changed one too)
    source: bool = False  # where a moved clause stood in the old version: only the DOCX shows this place
    part: str = "clause"  # or APPROVAL

    @property
    def changed(self) -> bool:
        """A change to report (the old place of a moved clause is reported with its new one)."""
        return self.kind != "unchanged" and not self.source

    @property
    def place(self) -> Literal["old", "new", "both"]:
        """Which version this entry stands in: "old" ones go when all changes are accepted, "new" ones
        when all are rejected."""
        if self.source or self.kind == "removed":
            return "old"
        return "new" if self.kind == "added" or self.moved else "both"


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """Word-level pieces that join up exactly: the same and deleted ones give ``old``, the same and
    inserted ones ``new``. Each word carries the spaces before it; a replaced word's space is kept."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        deleted, inserted = "".join(a[i1:i2]), "".join(b[j1:j2])
        space = deleted[: len(deleted) - len(deleted.lstrip(" "))]
        if deleted and inserted and space and inserted.startswith(space):
            pieces.append(("same", space))
            deleted, inserted = deleted[len(space) :], inserted[len(space) :]
        pieces += [piece for piece in (("delete", deleted), ("insert", inserted)) if piece[1]]
    merged: list[Piece] = []
    for kind, text in pieces:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return tuple(merged)


_WORDS = re.compile(r" *[^ ]+| +$")  # a word with the spaces before it; no-break spaces stay inside words


def compare(old: Document, new: Document) -> list[ClauseChange]:
    """The approval data, then every clause of both versions in reading order: a removed clause
    where it stood, a moved one at its new place (and, as a ``source`` entry, at its old one)."""
    return [*_approval_changes(old, new), *_clause_changes(old, new)]


def _sections(document: Document) -> dict[str, tuple[str, dict[str, Clause]]]:
    """Section key -> (heading, clause id -> clause in reading order)."""
    return {s.key: (f"{s.numeral}. {s.heading}", {c.id: c for c in s.walk()}) for s in document.sections}


def _clause_changes(old: Document, new: Document) -> list[ClauseChange]:
    """Section by section, so each section's clauses of both versions stand together under its heading."""
    before, after = _sections(old), _sections(new)
    old_ids = {i: key for key, (_, clauses) in before.items() for i in clauses}
    new_ids = {i: key for key, (_, clauses) in after.items() for i in clauses}
    order = {key: index for index, key in enumerate(SECTIONS)}
    changes: list[ClauseChange] = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: order.get(k, len(order))):
        heading = (after.get(key) or before[key])[0]
        was, now = before.get(key, ("", {}))[1], after.get(key, ("", {}))[1]
        a, b = list(was), list(now)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op == "equal":
                changes += [_kept(heading, was[i], now[i], moved=False) for i in a[i1:i2]]
                continue
            changes += [_gone(heading, was[clause_id], moved=clause_id in new_ids) for clause_id in a[i1:i2]]
            for clause_id in b[j1:j2]:
                clause = now[clause_id]
                if clause_id in old_ids:
                    changes.append(_kept(heading, before[old_ids[clause_id]][1][clause_id], clause, moved=True))
                else:
                    changes.append(ClauseChange("added", clause_id, heading, clause.number, "", clause.text,
                                                (("insert", clause.text),)))  # fmt: skip
    return changes


def _gone(heading: str, clause: Clause, moved: bool) -> ClauseChange:
    """A clause at its old place: removed, or moved (this entry is then the move's source)."""
    if moved:
        words: tuple[Piece, ...] = (("same", clause.text),)
        return ClauseChange("moved", clause.id, heading, clause.number, clause.text, clause.text, words,
                            clause.number, moved=True, source=True)  # fmt: skip
    return ClauseChange("removed", clause.id, heading, clause.number, clause.text, "", (("delete", clause.text),),
                        clause.number)  # fmt: skip


def _kept(heading: str, old: Clause, new: Clause, moved: bool) -> ClauseChange:
    """A clause both versions have, at its new place."""
    if old.text != new.text:
        kind: Kind = "changed"
        words = word_diff(old.text, new.text)
    else:
        kind, words = ("moved" if moved else "unchanged"), (("same", new.text),)
    return ClauseChange(kind, new.id, heading, new.number, old.text, new.text, words, old.number, moved=moved)


def approval_lines(document: Document) -> dict[str, tuple[str, str]]:
    """What the approval block says, as ``verify`` compares it: id -> (label, text)."""
    block = document.approval
    lines = {"document-number": (document.title, document.number)}
    for signatory in (block.approver, *block.agreed):
        label = block.approved_label if signatory is block.approver else block.agreed_label
        lines[signatory.role] = (label, ", ".join(p for p in (signatory.position, signatory.name, signatory.date) if p))
    return lines


def _approval_changes(old: Document, new: Document) -> list[ClauseChange]:
    before, after = approval_lines(old), approval_lines(new)
    changes = []
    for key, (label, text) in after.items():
        was = before.get(key, (label, ""))[1]
        kind: Kind = "added" if key not in before else "changed" if was != text else "unchanged"
        words = word_diff(was, text) if kind == "changed" else (("insert" if was == "" else "same", text),)
        changes.append(ClauseChange(kind, key, label, "", was, text, words, part=APPROVAL))
    for key, (label, text) in before.items():
        if key not in after:
            changes.append(ClauseChange("removed", key, label, "", text, "", (("delete", text),), part=APPROVAL))
    return changes


COUNTED: tuple[Kind, ...] = ("added", "removed", "changed", "moved")


def counts(changes: Iterable[ClauseChange]) -> str:
    """ "1 added, 0 removed, 2 changed, 0 moved"."""
    reported = [c for c in changes if c.changed]
    return ", ".join(f"{sum(c.kind == kind for c in reported)} {kind}" for kind in COUNTED)


def heading(change: ClauseChange) -> str:
    """``CHANGED IV. Liability 3. [material-damage]``, the first line of a change on the terminal."""
    where = f"{change.section} {change.number}".strip()
    moved = " (moved)" if change.kind == "changed" and change.moved else ""
    return f"{change.kind.upper():>9} {where} [{change.id}]{moved}"


def marked(change: ClauseChange, colour: bool) -> str:
    """The words with [-deleted-] and {+inserted+}, or coloured (and struck through) on a terminal."""
    import click

    text = ""
    for kind, piece in change.words:
        if kind == "same":
            text += piece
            continue
        text += piece[: len(piece) - len(piece.lstrip(" "))]
        piece = piece.lstrip(" ")
        if colour:
            text += click.style(piece, fg="green" if kind == "insert" else "red", strikethrough=kind == "delete")
        else:
            text += f"{{+{piece}+}}" if kind == "insert" else f"[-{piece}-]"
    return text


def as_text(changes: list[ClauseChange], colour: bool) -> str:
    """For the terminal: the changes only, then their counts."""
    lines = []
    for change in (c for c in changes if c.changed):
        lines += [heading(change), f"          {marked(change, colour)}"]
    lines.append(counts(changes))
    return "\n".join(lines) + "\n"


STYLE = (
    "@page{size:A4;margin:2cm}body{font-family:'Liberation Serif',serif}"
    "ins{color:#006400;text-decoration:underline;background:#d4f7d4}"
    "del{color:#b00000;text-decoration:line-through;background:#fadada}"
    "del+ins,ins+del{margin-left:.3em}tr.unchanged{color:#777}td{vertical-align:top;padding:2pt 4pt}"
)


def marked_html(change: ClauseChange) -> str:
    """The words with <ins> and <del>: coloured, and underlined or struck through (not colour alone)."""
    return "".join(
        html.escape(piece)
        if kind == "same"
        else f"{' ' * (len(piece) - len(piece.lstrip(' ')))}<{tag}>{html.escape(piece.lstrip(' '))}</{tag}>"
        for kind, piece in change.words
        for tag in ["ins" if kind == "insert" else "del"]
    )


def page(title: str, body: str) -> str:
    """A whole HTML page around a redline's body, styled for a browser and for print."""
    fonts = "".join(
        f"@font-face{{font-family:'Liberation Serif';font-weight:{weight};src:url(fonts/LiberationSerif-{name}.ttf)}}"
        for weight, name in (("normal", "Regular"), ("bold", "Bold"))
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{fonts}{STYLE}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def as_html(changes: list[ClauseChange], title: str) -> str:
    rows = [
        f'<tr class="{c.kind}"><td>{html.escape(c.section)}</td><td>{html.escape(c.number)}</td>'
        f"<td>{c.kind}{' (moved)' if c.kind == 'changed' and c.moved else ''}</td><td>{marked_html(c)}</td></tr>"
        for c in changes
        if not c.source
    ]
    return page(title, f"<table>{''.join(rows)}</table><p>{html.escape(counts(changes))}</p>")


def profiles_at(revision: str, profiles: Path, into: Path) -> Path:
    """The profiles folder as it was at a git revision, extracted into ``into``."""
    if revision.startswith("-"):  # git would read it as an option (git archive --output=FILE writes a file)
        raise UsageError(f"{revision!r} is not a git revision: a revision never starts with '-'")
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


def named_at_revision(exc: ProfileError, scratch: Path, revision: str) -> ProfileError:
    """The same problems, with the old revision's files named as git names them
    (``HEAD:profiles/roles/x.yaml``), not by the folder ``profiles_at`` extracted them into."""
    prefixes = tuple(f"{folder}/" for folder in {str(scratch), str(scratch.resolve())})

    def named(location: Location) -> Location:
        for prefix in prefixes:
            if location.path.startswith(prefix):
                return dataclasses.replace(location, path=f"{revision}:{location.path.removeprefix(prefix)}")
        return location

    return ProfileError(dataclasses.replace(d, location=named(d.location)) for d in exc.diagnostics)


def git_author(profiles: Path) -> str:
    """Who a revision is by: the git user of the profiles' repository, else the user's login name."""
    import getpass

    try:
        name = subprocess.run(
            ["git", "-C", str(profiles), "config", "user.name"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "jobdesc"


def as_pdf(page_html: str) -> bytes:
    """The HTML redline printed for a board that reads PDFs, by WeasyPrint with the renderer's
    fetcher: nothing but the bundled templates' files (the fonts) is read."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    from .errors import RenderError
    from .paths import TEMPLATES
    from .renderers.pdf import AssetFetcher

    try:
        fonts = FontConfiguration()
        laid_out = HTML(string=page_html, base_url=f"{TEMPLATES.resolve()}/", url_fetcher=AssetFetcher(TEMPLATES))
        data: bytes = laid_out.write_pdf(font_config=fonts)
    except FatalURLFetchingError as exc:
        raise RenderError(f"PDF not written: {exc.__cause__ or exc}") from None
    return data
