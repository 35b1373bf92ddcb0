"""Sign-off on the PDF itself: PAdES signatures applied one at a time to the empty fields
the renderer left at the signature lines (renderers/fields.py), and a report of every
field's state.

The procedure: the heads in AGREED sign their fields, then the head in APPROVED signs,
then employees sign their rows of the familiarization sheet. Each signature is an
incremental update, so it leaves the earlier ones valid. pyHanko does the PDF work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from .errors import RenderError, UsageError


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
