"""Is a rendered file still what the current profiles say?

Every PDF and DOCX carries its identity (role, industry, jurisdiction, language) and a
short hash of its merged content. Re-merging the current profiles for that identity and
comparing the hashes tells HR that a signed instruction is out of date once a lawyer
changed a clause.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
from pyhanko.pdf_utils.reader import PdfFileReader

from .bundle import Bundle
from .errors import JobdescError, RenderError
from .model import Identity
from .pipeline import Request, build_document


@dataclass(frozen=True)
class VersionCheck:
    path: Path
    identity: Identity
    current_hash: str

    @property
    def up_to_date(self) -> bool:
        return self.identity.content_hash == self.current_hash


def read_identity(path: Path) -> Identity:
    """The identity a jobdesc PDF or DOCX carries in its metadata."""
    try:
        if path.suffix.lower() == ".pdf":
            with path.open("rb") as stream:
                reader = PdfFileReader(stream, strict=False)
                # [] dereferences the indirect object; .get() would return it unresolved
                info = reader.trailer_view["/Info"] if "/Info" in reader.trailer_view else {}  # noqa: SIM401
                raw = str(info.get("/jobdescidentity", ""))
        elif path.suffix.lower() == ".docx":
            raw = docx.Document(str(path)).core_properties.identifier or ""
        else:
            raise RenderError(f"{path}: not a PDF or DOCX file")
    except (OSError, ValueError, KeyError) as exc:
        raise RenderError(f"{path}: cannot be read ({exc})") from None
    except JobdescError:
        raise
    except Exception as exc:  # a damaged file: pyHanko and python-docx raise their own kinds
        raise RenderError(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from None
    identity = Identity.decode(raw) if raw else None
    if identity is None:
        raise RenderError(f"{path}: carries no jobdesc identity (made by another tool, or before versions)")
    return identity


def check_version(path: Path, bundle: Bundle | None = None, organisation: Path | str | None = None) -> VersionCheck:
    """Re-merge the current profiles for the file's identity and compare the content hashes."""
    identity = read_identity(path)
    request = Request(
        role=identity.role,
        language=identity.language,
        formats=(),
        organisation=organisation,
        jurisdiction=identity.jurisdiction,
        industry=identity.industry,
    )
    document, _ = build_document(request, bundle)
    assert document.identity is not None
    return VersionCheck(path, identity, document.identity.content_hash)
