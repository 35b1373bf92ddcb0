"""A DOCX's identity record, in a custom document property (docProps/custom.xml).

The core properties' ``identifier`` holds 255 characters at most, too few for the employees
and the organisation a document records; a custom property has no such limit, and Word and
LibreOffice keep it (File > Properties > Custom).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

NAME = "jobdesc-identity"
_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id every custom property uses


def write_identity(document: DocxDocument, text: str) -> None:
    blob = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_PROPERTIES}" xmlns:vt="{_TYPES}">'
        f'<property fmtid="{_FMTID}" pid="2" name="{NAME}"><vt:lpwstr>{escape(text)}</vt:lpwstr></property>'
        f"</Properties>"
    ).encode()
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def read_identity(document: DocxDocument) -> str:
    """The recorded identity, or "" when the file has none."""
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            properties = parse_xml(rel.target_part.blob)
            for prop in properties.iter(f"{{{_PROPERTIES}}}property"):
                if prop.get("name") == NAME:
                    return "".join(prop.itertext())
    return ""
