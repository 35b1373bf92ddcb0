"""The document model: everything a renderer prints, already translated and numbered.

Renderers only lay this out. No renderer reads YAML or catalogs, so the PDF
and the DOCX cannot differ in content.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import functools
import json
from dataclasses import dataclass
from typing import Literal

from .errors import Diagnostic, Location


@dataclass(frozen=True)
class Clause:
    id: str
    number: str  # "4." or "4.2."
    text: str
    children: tuple[Clause, ...] = ()
    origin: str = ""  # file:line the text was written at
    layer: str = "role"  # role, industry, jurisdiction or organisation

    @property
    def level(self) -> int:
        return self.number.count(".") - 1

    def walk(self) -> tuple[Clause, ...]:
        return (self,) + tuple(c for child in self.children for c in child.walk())


@dataclass(frozen=True)
class Section:
    key: str  # general, duties, rights, liability, evaluation
    numeral: str  # "I"
    heading: str
    intro: str | None
    clauses: tuple[Clause, ...]

    def walk(self) -> tuple[Clause, ...]:
        return tuple(c for clause in self.clauses for c in clause.walk())


@dataclass(frozen=True)
class Signatory:
    """One signature line: who signs, and the date written or left blank to fill in."""

    role: str  # approved-by, agreed-by-legal, ...
    position: str
    name: str
    date: str | None  # None: a blank for the handwritten date


@dataclass(frozen=True)
class ApprovalBlock:
    """Who approves and who agrees, in the jurisdiction's customary form: an APPROVED /
    AGREED block top right of page one, or a table of signatures after the last section."""

    form: Literal["approval-block", "approval-with-visas", "signature-table"]
    approved_label: str
    organisation: str
    approver: Signatory
    agreed_label: str
    agreed: tuple[Signatory, ...]
    date_label: str  # "Date:", before a blank for the handwritten date
    columns: tuple[str, ...]  # of the signature table: role, position, name, signature, date


@dataclass(frozen=True)
class FamiliarizationSheet:
    """The employee's acknowledgement: a sheet with a row per employee (the Eastern form) or
    the employee's own receipt, name, signature and date (the Western form), once per
    employee listed."""

    form: Literal["familiarization-sheet", "receipt"]
    heading: str
    statement: str
    columns: tuple[str, ...]  # No., full name, [position,] signature, date
    rows: int
    people: tuple[tuple[str, str], ...] = ()  # (full name, position) per row, when HR listed them


@dataclass(frozen=True)
class FooterPart:
    """A piece of the localized "page X of Y" line: literal text or a page counter."""

    kind: Literal["text", "page", "pages"]
    text: str = ""


@dataclass(frozen=True)
class Identity:
    """What a document was made from, and a short hash of its merged content: printed in the
    footer and stored in the PDF and DOCX metadata, so a file can be checked against the
    current profiles after someone changes a clause.

    It records what came from outside the profiles too, so that `verify` rebuilds the same
    document with no options repeated: the organisation (a bundled one by name; a file of
    one's own as read, comments left out) and the employees listed, each with its hash."""

    role: str
    industry: str | None
    jurisdiction: str
    language: str
    content_hash: str
    organisation: str = ""  # the bundled organisation's name, or the stem of the file given
    organisation_hash: str = ""
    organisation_source: str = ""  # the organisation file as read (JSON) when it is not a bundled one
    employees: tuple[tuple[str, str], ...] = ()  # (name, position) of each employee listed
    employees_hash: str = ""

    def encode(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, separators=(",", ":"))

    def short(self) -> str:
        """What the document is and its hash, without what it was made for (a DOCX identifier
        holds 255 characters)."""
        fields = [("role", self.role), ("industry", self.industry), ("jurisdiction", self.jurisdiction)]
        fields += [("language", self.language), ("hash", self.content_hash)]
        return ";".join(f"{key}={value or ''}" for key, value in fields)

    @classmethod
    def decode(cls, text: str) -> Identity | None:
        """The identity as encoded, or as files made before organisations and employees were
        recorded encoded it (``role=...;industry=...;...``); None for anything else."""
        try:
            fields = json.loads(text)
        except ValueError:
            fields = dict(part.partition("=")[::2] for part in text.split(";"))
            fields = {"content_hash" if k == "hash" else k: v for k, v in fields.items()}
        if not isinstance(fields, dict):
            return None
        strings = ("role", "jurisdiction", "language", "content_hash")
        optional = ("organisation", "organisation_hash", "organisation_source", "employees_hash")
        if not all(isinstance(fields.get(k), str) for k in strings):
            return None
        if not all(isinstance(fields.get(k) or "", str) for k in (*optional, "industry")):
            return None
        employees = fields.get("employees", [])
        if not (isinstance(employees, list) and all(_pair(e) for e in employees)):
            return None
        return cls(
            **{k: fields[k] for k in strings},
            industry=fields.get("industry") or None,
            **{k: fields.get(k) or "" for k in optional},
            employees=tuple((name, position) for name, position in employees),
        )

    def label(self) -> str:
        parts = [self.role, *([self.industry] if self.industry else []), self.jurisdiction, self.language]
        return " · ".join(parts) + f" · #{self.content_hash}"


def _pair(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)


@dataclass(frozen=True)
class Logo:
    """The organisation's logo, checked and read (house_style.py): what the page shows top left."""

    data: bytes
    media_type: Literal["image/png", "image/svg+xml"]
    width: float  # its proportions, in pixels or SVG user units
    height: float

    def fitted(self, width: float = 5.0, height: float = 2.0) -> tuple[float, float]:
        """Its size in cm, as large as fits in ``width`` x ``height`` cm, proportions kept:
        the same box in the PDF and the DOCX."""
        scale = min(width / self.width, height / self.height)
        return round(self.width * scale, 3), round(self.height * scale, 3)

    @functools.cached_property
    def uri(self) -> str:
        """A data: URI: the page, the PDF and a lone HTML file carry the image itself (encoded once)."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True)
class HouseStyle:
    """The organisation's look, over the templates' own: None keeps the templates' choice."""

    font: str | None = None  # a font family the templates' stylesheet declares
    size: float | None = None  # the body text, in points
    accent: str | None = None  # "#1f4e79": the title and the section headings
    logo: Logo | None = None
    origin: str = ""  # file:line of the font setting, for a message

    @property
    def css(self) -> str:
        """The stylesheet that applies it after print.css (its values are checked when read: a
        family name of letters, digits, spaces and hyphens, a number, a #rrggbb colour)."""
        rules = []
        if self.font:
            family = f'"{self.font}", serif'
            rules.append(f"html {{ font-family: {family}; }}")
            margins = " ".join(f"{box} {{ font-family: {family}; }}" for box in ("@bottom-center", "@bottom-left"))
            rules.append(f"@page {{ {margins} }}")
        if self.size:
            rules.append(f"html {{ font-size: {self.size:g}pt; }}")
        if self.accent:
            rules.append(f".doc-title h1, .part h2 {{ color: {self.accent}; }}")
        return "\n".join(rules)


@dataclass(frozen=True)
class Document:
    language: str  # BCP 47 tag, e.g. "bg-BG"
    title: str  # the document kind, e.g. "JOB DESCRIPTION"
    subtitle: str  # "for the position of Account Manager"
    number: str  # "No. 14"
    place: str  # the city the document is issued in
    notice: str | None  # under the title when the language is not the jurisdiction's: "translation; X prevails"
    approval: ApprovalBlock
    sections: tuple[Section, ...]
    familiarization: FamiliarizationSheet
    footer: tuple[FooterPart, ...]
    # PDF and DOCX metadata
    author: str
    subject: str
    created: datetime.date
    identity: Identity | None = None  # set once the model is complete, from its content
    warnings: tuple[Diagnostic, ...] = ()  # for `validate`, never printed: e.g. a name in another script
    removed: tuple[tuple[str, Location], ...] = ()  # (clause id, the overlay line that removed it)
    style: HouseStyle = HouseStyle()  # the organisation's logo, font, size and accent: not content

    def clauses(self) -> tuple[Clause, ...]:
        """Every clause in reading order: what each output must contain, in this order."""
        return tuple(c for section in self.sections for c in section.walk())

    def expected_text(self, numbered: bool) -> tuple[tuple[str, str], ...]:
        """(what, text) pairs every output must show, in order: the clauses, then the people
        listed on the familiarization sheet."""
        clauses = tuple(
            (f"clause {c.number} ({c.id!r})", f"{c.number} {c.text}" if numbered else c.text) for c in self.clauses()
        )
        people = tuple((f"employee {name!r}", f"{name} {position}") for name, position in self.familiarization.people)
        return clauses + people


SIGNATURE_BLANK = "_" * 14  # the line a signature or a handwritten date goes on


@dataclass(frozen=True)
class Bilingual:
    """Two documents of one variant side by side, the binding language first: the same role,
    jurisdiction and organisation, so their sections and clauses pair one to one."""

    first: Document  # the jurisdiction's language, which binds
    second: Document  # the employee's language, beside it
    prevails: tuple[str, str]  # the clause that says which version prevails, in each language
    identity: Identity | None = None

    @property
    def language(self) -> str:
        return self.first.language

    @property
    def style(self) -> HouseStyle:
        return self.first.style

    @property
    def created(self) -> datetime.date:
        return self.first.created

    @property
    def footer(self) -> tuple[FooterPart, ...]:
        """One line in both languages: "Strona 1 z 3 / Page 1 of 3"."""
        return (*self.first.footer, FooterPart("text", " / "), *self.second.footer)

    def sections(self) -> tuple[tuple[Section, Section], ...]:
        return tuple(zip(self.first.sections, self.second.sections, strict=True))

    @staticmethod
    def pairs(first: Section, second: Section) -> tuple[tuple[Clause, Clause], ...]:
        """A section's clauses side by side, in reading order: a row each."""
        return tuple(zip(first.walk(), second.walk(), strict=True))

    def expected_text(self, numbered: bool, by_column: bool = False) -> tuple[tuple[str, str], ...]:
        """What every output must show, in order. Row by row (a row read left cell first), each
        clause in the first language, then the same clause in the second; then the people listed,
        once. ``by_column``: the first column whole (and the people), then the second column."""
        first, second = self.first.expected_text(numbered), self.second.expected_text(numbered)
        count = len(self.first.clauses())
        ours, theirs = (
            tuple((f"{what} ({doc.language})", text) for what, text in texts[:count])
            for doc, texts in ((self.first, first), (self.second, second))
        )
        if by_column:
            return ours + first[count:] + theirs
        rows = tuple(item for pair in zip(ours, theirs, strict=True) for item in pair)
        return rows + first[count:]
