"""Sign-off on the PDF itself: PAdES signatures applied one at a time to the empty fields
the renderer left at the signature lines (renderers/fields.py), and a report of every
field's state.

The procedure: the heads in AGREED sign their fields, then the head in APPROVED signs,
then employees sign their rows of the familiarization sheet. Each signature is an
incremental update, so it leaves the earlier ones valid. pyHanko does the PDF work.

What a signature vouches for is the revision it covers. ``inspect`` hands back that revision
of the last signature (verify reads the document's identity from it, never from later
updates) and names whatever was changed after it, beyond what PAdES allows to follow a
signature: further signatures, document timestamps and validation data (DSS, VRI).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from .errors import FileError, UsageError
from .stamp import stamp_style


@contextmanager
def _quiet() -> Iterator[None]:
    """pyHanko logs a traceback for ordinary outcomes (a wrong passphrase, a signer no trust root
    vouches for); the user gets one message from us instead."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    saved = [(logger.propagate, logger.handlers[:]) for logger in loggers]
    for logger in loggers:
        logger.propagate, logger.handlers = False, [logging.NullHandler()]
    try:
        yield
    finally:
        for logger, (propagate, handlers) in zip(loggers, saved, strict=True):
            logger.propagate, logger.handlers = propagate, handlers


def _open_pdf(path: Path) -> PdfFileReader:
    """A reader over ``path``'s bytes, or a FileError saying what is wrong with the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not data.startswith(b"%PDF-"):
        kind = "a DOCX (or another ZIP) file" if data.startswith(b"PK") else "not a PDF file"
        raise UsageError(f"{path}: {kind}; only a PDF carries signature fields (render it with --format pdf)")
    try:
        with _quiet():
            reader = PdfFileReader(BytesIO(data), strict=False)
            reader.embedded_signatures  # noqa: B018 - parses every revision: a damaged file fails here
    except Exception as exc:  # pyHanko raises its own kinds (PdfReadError, ...) for a damaged file
        raise FileError(f"{path}: a damaged or truncated PDF ({exc}); use a complete copy of the file") from None
    return reader


def _load_signer(key: Path, passphrase: bytes | None) -> signers.SimpleSigner:
    """The signer in a PKCS#12 file: its key, its certificate and the chain it carries."""
    data = key.read_bytes()
    try:
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 - parses the whole structure
    except Exception:  # asn1crypto raises ValueError, TypeError, ... on anything that is not PKCS#12
        raise UsageError(f"{key}: not a PKCS#12 (.p12, .pfx) file") from None
    try:
        private_key, certificate, _ = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError:
        raise UsageError(f"{key}: wrong passphrase for this key (give it with --passphrase-env VAR)") from None
    if private_key is None or certificate is None:
        raise UsageError(f"{key}: holds no private key and certificate to sign with")
    with _quiet():
        signer: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12_data(data, [], passphrase)
    assert signer is not None  # the passphrase opened it above
    return signer


def sign(path: Path, field: str, key: Path, passphrase: bytes | None, signer_name: str | None = None) -> None:
    """Apply a PAdES signature to the empty field ``field`` of ``path``, in place (atomically),
    with a visible stamp of the signer's name and the date inside the field."""
    from .pipeline import write_atomically

    reader = _open_pdf(path)
    states = {name: (value, ref) for name, value, ref in fields.enumerate_sig_fields(reader)}
    if field not in states:
        raise UsageError(f"{path}: no signature field {field!r}; fields: {', '.join(states) or '(none)'}")
    if states[field][0] is not None:
        raise UsageError(f"{path}: the field {field!r} is signed already")
    signer = _load_signer(key, passphrase)
    certificate = signer.signing_cert
    assert certificate is not None  # _load_signer checked it
    name = signer_name or str(certificate.subject.native.get("common_name", ""))
    widget = states[field][1].get_object()
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    metadata = signers.PdfSignatureMetadata(
        field_name=field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256", name=signer_name
    )
    with _quiet(), stamp_style(name, datetime.now().astimezone(), (x2 - x1, y2 - y1)) as style:
        writer = IncrementalPdfFileWriter(BytesIO(reader.stream.getvalue()), strict=False)
        out = signers.PdfSigner(metadata, signer=signer, stamp_style=style).sign_pdf(writer)
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
    valid: bool = False  # pyHanko's overall verdict, and for the last signature nothing changed after it


@dataclass(frozen=True)
class Inspection:
    """A PDF's signature fields, and what its last signature vouches for."""

    fields: list[FieldState]
    last_signed: str | None  # the field of the last signature; None: the document is unsigned
    signed_revision: bytes | None  # the file as the last signature covers it
    changes_after: tuple[str, ...]  # what was touched after the last signature (beyond PAdES's allowance)


def inspect(path: Path, trust_roots: list[Path]) -> Inspection:
    """Every signature field of ``path`` with its state, judged by pyHanko's overall validity (a
    signature reads intact even after an appended edit, though the document is no longer what
    was signed), and what was changed after the last signature."""
    try:
        roots = [load_cert_from_pemder(str(p)) for p in trust_roots]
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot load a trust root: {exc}") from None
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    reader = _open_pdf(path)
    signatures = [s for s in reader.embedded_signatures if s.sig_object_type == "/Sig"]
    with _quiet():
        statuses = {sig.field_name: (sig, validate_pdf_signature(sig, context)) for sig in signatures}
    last = max(signatures, key=lambda s: s.signed_revision, default=None)
    changes: tuple[str, ...] = ()
    revision = None
    if last is not None:
        changes = _changes_after(reader, last.signed_revision, statuses[last.field_name][1].modification_level)
        start, length = int(last.byte_range[2]), int(last.byte_range[3])
        revision = reader.stream.getvalue()[: start + length]
    report = []
    for name, value, _ in fields.enumerate_sig_fields(reader):
        if value is None or name not in statuses:
            report.append(FieldState(name, signed=False))
            continue
        signature, status = statuses[name]
        level = status.modification_level
        changed_after = "nothing" if level in (None, ModificationLevel.NONE) else level.name.lower()
        valid = status.bottom_line
        if signature is last and changes:
            changed_after, valid = ", ".join(changes), False
        report.append(
            FieldState(
                name,
                signed=True,
                signer=status.signing_cert.subject.human_friendly,
                signed_at=status.signer_reported_dt,
                intact=status.intact,
                trusted=status.trusted,
                changed_after=changed_after.replace("_", " "),
                valid=valid,
            )
        )
    return Inspection(report, last.field_name if last else None, revision, changes)


ALLOWED_AFTER_LAST = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
REFRESHED_INFO = {"/ModDate", "/Producer"}  # every PDF writer refreshes these, a DSS update included
_REFRESHED_XMP = re.compile(
    rb"<(xmp:ModifyDate|xmp:MetadataDate|pdf:Producer)>[^<]*</\1>|(xmp:ModifyDate|xmp:MetadataDate|pdf:Producer)=\"[^\"]*\""
)


def _changes_after(reader: PdfFileReader, revision: int, level: ModificationLevel | None) -> tuple[str, ...]:
    """What the updates after ``revision`` touched that PAdES does not allow after a signature.

    pyHanko's diff policy judges the structure but lets the Info dictionary and the XMP
    metadata change freely; those hold the document's identity, so they are compared here
    (except the modification date and producer a validation-data update refreshes)."""
    final = reader.get_historical_resolver(reader.xrefs.total_revisions - 1)
    signed = reader.get_historical_resolver(revision)
    changes = []
    old_info, new_info = _info(signed), _info(final)
    keys = sorted(k for k in old_info.keys() | new_info.keys() if old_info.get(k) != new_info.get(k))
    if keys:
        changes.append(f"the Info dictionary ({', '.join(keys)})")
    if _xmp(signed) != _xmp(final):
        changes.append("the XMP metadata")
    if level is not None and level not in ALLOWED_AFTER_LAST:
        later = {ref for r in range(revision + 1, reader.xrefs.total_revisions) for ref in _refs_in(reader, r)}
        touched = _describe(final, later)
        changes += touched or [f"{len(later)} object(s) of the document"]
    return tuple(dict.fromkeys(changes))


def _refs_in(reader: PdfFileReader, revision: int) -> set[generic.Reference]:
    return set(reader.xrefs.explicit_refs_in_revision(revision))


def _info(resolver: Any) -> dict[str, str]:
    """The Info dictionary as of ``resolver``'s revision (the trailer's own [] would read the latest)."""
    reference = resolver.trailer_view.raw_get("/Info") if "/Info" in resolver.trailer_view else None
    info = resolver.get_object(reference.reference) if reference is not None else {}
    return {str(k): str(v) for k, v in info.items() if k not in REFRESHED_INFO}


def _xmp(resolver: Any) -> bytes:
    root = resolver.root
    if "/Metadata" not in root:
        return b""
    metadata = root.raw_get("/Metadata")
    stream = resolver.get_object(metadata.reference) if isinstance(metadata, generic.IndirectObject) else metadata
    return bytes(_REFRESHED_XMP.sub(b"", stream.data))


def _describe(resolver: Any, refs: set[generic.Reference]) -> list[str]:
    """Name the changed objects a reader sees: pages, their content, their annotations, the catalog."""
    named = []
    for number, (page_ref, page) in enumerate(_leaves(resolver.root.raw_get("/Pages")), start=1):
        contents = page.get("/Contents")
        content_refs = _references(page.raw_get("/Contents")) if contents is not None else set()
        if page_ref in refs:
            named.append(f"page {number}")
        elif content_refs & refs:
            named.append(f"the content of page {number}")
        for annot_ref in _references(page.raw_get("/Annots")) if "/Annots" in page else set():
            if annot_ref in refs:
                annot = resolver.get_object(annot_ref)
                field = annot.get("/Parent", annot)
                if annot.get("/Subtype") != "/Widget" or field.get("/FT") != "/Sig":
                    named.append(f"an annotation on page {number} ({annot.get('/Subtype', 'unknown')})")
    if resolver.root_ref in refs and not named:
        named.append("the document catalog")
    return named


def _leaves(node: generic.IndirectObject) -> Iterator[tuple[generic.Reference, Any]]:
    """Each page of a page tree with its reference, in order."""
    kids = node.get_object()["/Kids"]
    for kid in (kids.raw_get(i) for i in range(len(kids))):
        target = kid.get_object()
        if target.get("/Type") == "/Pages":
            yield from _leaves(kid)
        else:
            yield kid.reference, target


def _references(value: Any) -> set[generic.Reference]:
    """The references in a value that is a reference or an array of them (/Contents, /Annots)."""
    if isinstance(value, generic.IndirectObject):
        target = value.get_object()
        return {value.reference} | (_references(target) if isinstance(target, generic.ArrayObject) else set())
    if isinstance(value, generic.ArrayObject):
        return {ref for i in range(len(value)) for ref in _references(value.raw_get(i))}
    return set()
