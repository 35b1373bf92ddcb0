"""Sign-off on the PDF itself: empty signature fields where the signature lines are, PAdES
signatures applied to them one at a time, and a report of every field's state.

The procedure: the heads in AGREED sign their fields, then the head in APPROVED signs,
then employees sign their rows of the familiarization sheet. Each signature is an
incremental update, so it leaves the earlier ones valid. pyHanko does the PDF work.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from .errors import RenderError, UsageError

SIGNATURE_HEIGHT = 28.0  # points above a signature line: room for a visible signature


@dataclass(frozen=True)
class FieldPlace:
    """Where a signature goes: a field name (approved-by, agreed-by-legal, familiarization-3)
    and a box in PDF points, origin bottom left, on a 0-based page."""

    name: str
    page: int
    box: tuple[int, int, int, int]


class _ReproducibleWriter(IncrementalPdfFileWriter):
    """pyHanko's incremental writer without its two sources of change: the modification date
    (adding empty fields changes no content, so the document's own dates stay) and a random
    second file id (derived from the first instead). The same inputs give the same bytes.
    Both are private methods of pyHanko, whose version is pinned for that reason."""

    def __init__(self, pdf: bytes):
        super().__init__(io.BytesIO(pdf))
        digest = hashlib.sha256(pdf).digest()
        trailer = self.prev.trailer
        first = trailer["/ID"][0] if "/ID" in trailer else generic.ByteStringObject(digest[:16])
        self._document_id = generic.ArrayObject([first, generic.ByteStringObject(digest[16:])])

    def _update_meta(self) -> None:
        return


def add_signature_fields(pdf: bytes, places: list[FieldPlace]) -> bytes:
    """The PDF with an empty signature field at each place, as one incremental update."""
    if not places:
        return pdf
    writer = _ReproducibleWriter(pdf)
    for place in places:
        spec = fields.SigFieldSpec(sig_field_name=place.name, on_page=place.page, box=place.box)
        fields.append_signature_field(writer, spec)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign(path: Path, field: str, key: Path, passphrase: bytes | None, signer_name: str | None = None) -> None:
    """Apply a PAdES signature to the empty field ``field`` of ``path``, in place (atomically)."""
    from .pipeline import write_atomically

    try:
        signer = signers.SimpleSigner.load_pkcs12(pfx_file=str(key), passphrase=passphrase)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{key}: cannot load the signing key ({exc})") from None
    if signer is None:
        raise UsageError(f"{key}: cannot load the signing key (wrong passphrase, or not a PKCS#12 file)")
    with path.open("rb") as stream:
        reader = PdfFileReader(stream, strict=False)
        states = {name: value for name, value, _ in fields.enumerate_sig_fields(reader)}
        if field not in states:
            raise UsageError(f"{path}: no signature field {field!r}; fields: {', '.join(states) or '(none)'}")
        if states[field] is not None:
            raise UsageError(f"{path}: the field {field!r} is signed already")
        writer = IncrementalPdfFileWriter(stream, strict=False)
        metadata = signers.PdfSignatureMetadata(
            field_name=field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256", name=signer_name
        )
        out = signers.sign_pdf(writer, metadata, signer=signer)
        write_atomically(path, out.getvalue())


@dataclass(frozen=True)
class FieldState:
    name: str
    signed: bool
    signer: str = ""
    signed_at: datetime | None = None
    intact: bool = False  # the signed bytes are unchanged
    trusted: bool = False  # the certificate chains to a given trust root
    changed_after: str = ""  # what was changed after the signature: nothing, form filling, or more
    valid: bool = False  # pyHanko's overall verdict: intact, trusted, and nothing but signing after it


def signature_report(path: Path, trust_roots: list[Path]) -> list[FieldState]:
    """Every signature field of ``path`` with its state. Judged by pyHanko's overall validity: a
    signature reads intact even after an appended edit, though the document is no longer what was signed."""
    try:
        roots = [load_cert_from_pemder(str(p)) for p in trust_roots]
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot load a trust root: {exc}") from None
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    with path.open("rb") as stream:
        reader = PdfFileReader(stream, strict=False)
        embedded = {sig.field_name: sig for sig in reader.embedded_signatures}
        report = []
        for name, value, _ in fields.enumerate_sig_fields(reader):
            if value is None or name not in embedded:
                report.append(FieldState(name, signed=False))
                continue
            status = validate_pdf_signature(embedded[name], context)
            level = status.modification_level
            report.append(
                FieldState(
                    name,
                    signed=True,
                    signer=status.signing_cert.subject.human_friendly,
                    signed_at=status.signer_reported_dt,
                    intact=status.intact,
                    trusted=status.trusted,
                    changed_after="nothing" if level is None else level.name.lower().replace("_", " "),
                    valid=status.bottom_line,
                )
            )
    if not report:
        raise RenderError(f"{path}: has no signature fields")
    return report
