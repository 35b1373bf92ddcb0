"""Is a rendered file still what the current profiles say?

Every PDF and DOCX carries its identity (role, industry, jurisdiction, language, what it was
made for: the organisation and the employees listed) and a short hash of its merged content.
Re-building the document from the current profiles for that identity and comparing the hashes
tells HR that a signed instruction is out of date once a lawyer changed a clause.

A signed PDF's identity is read from the revision its last signature covers: anything a later
update writes into the metadata is nobody's word.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import docx
from pyhanko.pdf_utils.reader import PdfFileReader

from .bundle import Bundle
from .employees import Employee
from .errors import FileError, JobdescError
from .i18n import parse_language
from .model import Bilingual, Document, Identity
from .pagetext import page_texts, plain
from .pipeline import Request, build_any
from .renderers.docx_identity import read_identity as read_docx_identity

NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # a role, industry, jurisdiction or organisation: a name, never a path


@dataclass(frozen=True)
class VersionCheck:
    path: Path
    identity: Identity
    current_hash: str
    disagreement: str = ""  # a PDF: how its pages contradict its metadata ("" when they agree)

    @property
    def up_to_date(self) -> bool:
        return self.identity.content_hash == self.current_hash


def read_identity(path: Path, pdf: bytes | None = None) -> Identity:
    """The identity a jobdesc PDF (``pdf``: the bytes to read it from, e.g. a signed revision)
    or DOCX carries in its metadata, its names checked to be names."""
    try:
        if path.suffix.lower() == ".pdf" or pdf is not None:
            reader = PdfFileReader(BytesIO(pdf if pdf is not None else path.read_bytes()), strict=False)
            # [] dereferences the indirect object; .get() would return it unresolved
            info = reader.trailer_view["/Info"] if "/Info" in reader.trailer_view else {}  # noqa: SIM401
            raw = str(info.get("/jobdescidentity", ""))
        elif path.suffix.lower() == ".docx":
            document = docx.Document(str(path))
            raw = read_docx_identity(document) or document.core_properties.identifier or ""
        else:
            raise FileError(f"{path}: not a PDF or DOCX file")
    except JobdescError:
        raise
    except Exception as exc:  # a damaged file: OSError, and pyHanko and python-docx raise their own kinds
        raise FileError(f"{path}: a damaged or truncated file ({type(exc).__name__}: {exc})") from None
    identity = Identity.decode(raw) if raw else None
    if identity is None:
        raise FileError(f"{path}: carries no jobdesc identity (made by another tool, or before versions)")
    names = {"role": identity.role, "industry": identity.industry or "x", "jurisdiction": identity.jurisdiction}
    names["organisation"] = identity.organisation or "x"
    for what, name in names.items():
        if not NAME.fullmatch(name):
            raise FileError(f"{path}: its identity names the {what} {name!r}, which is not a name")
    try:
        for language in identity.language.split("+", 1):  # a bilingual document's pair: pl-PL+en-GB
            parse_language(language)
    except JobdescError:
        raise FileError(f"{path}: its identity names the language {identity.language!r}, which is not one") from None
    return identity


def check_version(
    path: Path, bundle: Bundle | None = None, organisation: Path | str | None = None, pdf: bytes | None = None
) -> VersionCheck:
    """Re-build the document the file's identity describes from the current profiles, for the
    organisation and employees it records (``organisation`` overrides), and compare the hashes."""
    bundle = bundle or Bundle()
    identity = read_identity(path, pdf)
    with tempfile.TemporaryDirectory(prefix="jobdesc-verify-") as scratch:
        if organisation is None and identity.organisation_source:
            organisation = Path(scratch) / f"{identity.organisation}.yaml"
            organisation.write_text(identity.organisation_source, encoding="utf-8")
        elif organisation is None and identity.organisation:
            organisation = bundle.organisation_path(identity.organisation)
        request = Request(
            role=identity.role,
            language=identity.language,
            formats=(),
            organisation=organisation,
            jurisdiction=identity.jurisdiction,
            industry=identity.industry,
            staff=tuple(Employee(name, position) for name, position in identity.employees),
        )
        document, _ = build_any(request, bundle)
    assert document.identity is not None
    current = document.identity.content_hash
    disagreement = ""
    if pdf is not None or path.suffix.lower() == ".pdf":
        pages = page_texts(pdf if pdf is not None else path.read_bytes())
        disagreement = _pages_disagree(pages, identity, document if identity.content_hash == current else None)
    return VersionCheck(path, identity, current, disagreement)


def _pages_disagree(pages: list[str], identity: Identity, document: Document | Bilingual | None) -> str:
    """How the pages contradict the metadata: each page's footer must show the identity and,
    when the metadata claims the current content (``document``), the pages must show its
    clauses and employees, in order."""
    label = plain(identity.label())
    for number, text in enumerate(pages, start=1):
        if label not in text:
            return f"page {number} does not show {identity.label()} in its footer"
    if document is None:
        return ""
    body = "".join(
        text.replace(label, "").replace(_footer(document, n, len(pages)), "") for n, text in enumerate(pages, 1)
    )
    position = 0
    for what, expected in document.expected_text(numbered=True):
        found = body.find(plain(expected), position)
        if found < 0:
            return f"the pages do not show {what} as the current profiles have it"
        position = found + len(plain(expected))
    return ""


def _footer(document: Document | Bilingual, page: int, pages: int) -> str:
    numbers = {"page": str(page), "pages": str(pages)}
    return plain("".join(numbers.get(part.kind, part.text) for part in document.footer))


