"""The output policy read back from written files, independently of jobdesc.policy: the PDF
with pikepdf (qpdf's parser), the DOCX as a zip of XML parts. Each returns what it found."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf

PDF_KEYS = {"/EmbeddedFiles", "/EF", "/JS", "/JavaScript", "/XFA", "/AA", "/RichMediaContent"}
PDF_ACTIONS = {"/URI", "/Launch", "/GoToR", "/GoToE", "/JavaScript", "/SubmitForm", "/ImportData", "/ResetForm"}
PDF_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}


def pdf_violations(path: Path) -> list[str]:
    """Every dictionary of the file, direct or in an object stream, against the PDF rules."""
    found: list[str] = []
    with pikepdf.open(path) as pdf:
        pending = [pdf.trailer, *pdf.objects]
        while pending:
            obj = pending.pop()
            if isinstance(obj, pikepdf.Stream):
                obj = obj.stream_dict
            if isinstance(obj, pikepdf.Array):
                pending += [item for item in obj if _direct_container(item)]
            elif isinstance(obj, pikepdf.Dictionary):
                keys = set(obj.keys())
                found += [f"key {key}" for key in keys & PDF_KEYS]
                if "/OpenAction" in keys and not isinstance(obj.OpenAction, pikepdf.Array):
                    found.append("/OpenAction that is an action")
                if "/S" in keys and str(obj.S) in PDF_ACTIONS:
                    found.append(f"action {obj.S}")
                if "/Subtype" in keys and str(obj.Subtype) in PDF_ANNOTATIONS:
                    found.append(f"annotation {obj.Subtype}")
                pending += [value for value in obj.values() if _direct_container(value)]
    return found


def _direct_container(value: object) -> bool:
    """Indirect objects are visited from the object table; numbers and names hold nothing."""
    return isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect


_EXTERNAL = re.compile(rb"<Relationship\b[^>]*TargetMode=[\"']External[\"'][^>]*>")
_MACRO_PARTS = re.compile(r"vbaProject|vbaData|embeddings/|activeX/", re.IGNORECASE)
_EMBEDDING = re.compile(rb"attachedTemplate|macroEnabled|<w:(?:altChunk|object|control)\b")
_FETCHING_FIELD = re.compile(
    rb"(?:instrText[^>]*>|instr=[\"'])\s*(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|DDE|DDEAUTO|IMPORT|HYPERLINK)\b"
)


def docx_violations(path: Path) -> list[str]:
    """External relationships in any part, an attached template, macros, embeddings and
    fields that fetch (read from the raw XML, whatever python-docx made of it)."""
    found: list[str] = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            data = package.read(name)
            found += [f"{name}: {m.group().decode()}" for m in _EXTERNAL.finditer(data)]
            if _MACRO_PARTS.search(name):
                found.append(f"part {name}")
            found += [f"{name}: {m.group().decode()}" for m in _EMBEDDING.finditer(data)]
            found += [f"{name}: field {m.group(1).decode()}" for m in _FETCHING_FIELD.finditer(data)]
    return found
