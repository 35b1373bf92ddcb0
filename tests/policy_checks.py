"""The output policy read back from written files, independently of jobdesc.policy: the PDF
with pikepdf (qpdf's parser), the DOCX as a zip of XML parts. Each returns what it found."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pikepdf

PDF_KEYS = {"/EmbeddedFiles", "/EF", "/JS", "/JavaScript", "/XFA", "/AA", "/RichMediaContent"}
PDF_ACTIONS = {"/URI", "/Launch", "/GoToR", "/GoToE", "/JavaScript", "/SubmitForm", "/ImportData", "/ResetForm"}
PDF_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}


def pdf_violations(path: Path) -> list[str]:
    """Every dictionary of the file (the trailer, every object, those in object streams
    included, and the dictionaries inside them) against the PDF rules. qpdf's JSON keeps
    names ("/URI") apart from strings ("u:…"), so a clause's text cannot look like a name."""
    with pikepdf.open(path) as pdf:
        buffer = io.BytesIO()
        pdf.write_qpdf_json(
            buffer, json_stream_data=pikepdf.JSONStreamData.none, decode_level=pikepdf.StreamDecodeLevel.none
        )
    objects = json.loads(buffer.getvalue())["qpdf"][1].values()
    pending: list[Any] = [entry.get("value", entry.get("stream", {}).get("dict")) for entry in objects]
    found: list[str] = []
    while pending:
        value = pending.pop()
        if isinstance(value, list):
            pending += value
        elif isinstance(value, dict):
            found += [f"key {key}" for key in sorted(value.keys() & PDF_KEYS)]
            if "/OpenAction" in value and not isinstance(value["/OpenAction"], list):  # a destination is an array
                found.append("/OpenAction that is an action")
            if value.get("/S") in PDF_ACTIONS:
                found.append(f"action {value['/S']}")
            if value.get("/Subtype") in PDF_ANNOTATIONS:
                found.append(f"annotation {value['/Subtype']}")
            pending += value.values()
    return found


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
            if _MACRO_PARTS.search(name):
                found.append(f"part {name}")
            if name.endswith(".rels"):
                found += [f"{name}: {m.group().decode()}" for m in _EXTERNAL.finditer(data)]
            if any(
                word in data for word in (b"attachedTemplate", b"macroEnabled", b"altChunk", b":object", b":control")
            ):
                found += [f"{name}: {m.group().decode()}" for m in _EMBEDDING.finditer(data)]
            if b"instr" in data:
                found += [f"{name}: field {m.group(1).decode()}" for m in _FETCHING_FIELD.finditer(data)]
    return found
