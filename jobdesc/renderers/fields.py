"""Empty signature fields, written by WeasyPrint's finisher while it writes the PDF.

Each signature line of the page (an element marked ``data-signature``) becomes an empty
signature field at its laid-out place: a widget annotation with an empty appearance, as
PDF/A asks, listed in the document's AcroForm. Writing them in the same pass, instead of a
second pyHanko update, keeps ``jobdesc render`` free of pyHanko, which only ``sign`` and
``verify`` need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pydyf
from weasyprint.document import Document as LaidOut
from weasyprint.formatting_structure.boxes import BlockBox, Box, TableCellBox, TableRowBox, TextBox

SIGNATURE_HEIGHT = 28.0  # points above a signature line: room for a visible signature
PX = 0.75  # points per CSS pixel
PRINT = 4  # annotation flag: printed with the page


@dataclass(frozen=True)
class FieldPlace:
    """Where a signature goes: a field name (approved-by, agreed-by-legal, familiarization-3)
    and a box in PDF points, origin bottom left, on a 0-based page."""

    name: str
    page: int
    box: tuple[int, int, int, int]
    description: str = ""  # what is signed there, for /TU: the line's or the row's text


def signature_places(laid_out: LaidOut) -> list[FieldPlace]:
    """Each element marked data-signature, as laid out: a signature line (the field sits on
    it, with room above) or a table cell (the field fills it)."""
    places: dict[str, FieldPlace] = {}
    for number, page in enumerate(laid_out.pages):
        height = page.height * PX
        boxes = dict(_with_context(page._page_box, page._page_box))
        texts = [box for box in boxes if isinstance(box, TextBox) and box.text.strip()]
        for box, context in boxes.items():
            element = getattr(box, "element", None)
            name = element.get("data-signature") if element is not None else None
            if not name or name in places or isinstance(box, TextBox):
                continue
            x, y = box.border_box_x() * PX, box.border_box_y() * PX
            width, box_height = box.border_width() * PX, box.border_height() * PX
            bottom = height - (y + box_height)
            if isinstance(box, TableCellBox):
                top = bottom + box_height
            else:  # the room above the line, up to the text above it (a position, an organisation)
                above = [
                    t.border_box_y() + t.border_height()
                    for t in texts
                    if t.border_box_y() + t.border_height() <= box.border_box_y() + 0.5
                    and t.border_box_x() < box.border_box_x() + box.border_width()
                    and t.border_box_x() + t.border_width() > box.border_box_x()
                ]
                top = min(bottom + SIGNATURE_HEIGHT, height - max(above) * PX if above else height)
            said = " ".join(t.text for t in context.descendants() if isinstance(t, TextBox)).replace("_", "")
            description = f"{name}: {' '.join(said.split())}" if said.strip() else name
            places[name] = FieldPlace(name, number, (round(x), round(bottom), round(x + width), int(top)), description)
    return list(places.values())


def _with_context(box: Box, context: Box) -> Iterator[tuple[Box, Box]]:
    """Every box with its context: the table row or block (paragraph) it is part of."""
    yield box, context
    if isinstance(box, TableRowBox) or (isinstance(box, BlockBox) and not isinstance(box, TableCellBox)):
        context = box
    for child in getattr(box, "children", ()):
        yield from _with_context(child, context)


def signature_fields(places: list[FieldPlace]) -> Callable[[LaidOut, pydyf.PDF], None]:
    """A WeasyPrint finisher that adds an empty signature field at each place."""

    def finish(laid_out: LaidOut, pdf: pydyf.PDF) -> None:
        if not places:
            return
        pages = [pdf.objects[number] for number in pdf.pages["Kids"][::3]]
        fields = pydyf.Array()
        for place in places:
            page = pages[place.page]
            x1, y1, x2, y2 = place.box
            appearance = pydyf.Stream(
                [], {"Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array([0, 0, x2 - x1, y2 - y1])}
            )
            pdf.add_object(appearance)
            widget = pydyf.Dictionary(
                {
                    "Type": "/Annot",
                    "Subtype": "/Widget",
                    "FT": "/Sig",
                    "T": pydyf.String(place.name),
                    "TU": pydyf.String(place.description),
                    "Rect": pydyf.Array(place.box),
                    "F": PRINT,
                    "P": page.reference,
                    "AP": pydyf.Dictionary({"N": appearance.reference}),
                }
            )
            pdf.add_object(widget)
            page.setdefault("Annots", pydyf.Array()).append(widget.reference)
            fields.append(widget.reference)
            _tag(pdf, widget, page, place.description)
        pdf.catalog["AcroForm"] = pydyf.Dictionary({"Fields": fields})

    return finish


def _tag(pdf: pydyf.PDF, widget: pydyf.Dictionary, page: pydyf.Dictionary, description: str) -> None:
    """Put the field in the structure tree, as PDF/UA asks of every annotation: a Form element
    holding a reference to the widget, and the widget's StructParent entry in the parent tree."""
    if "StructTreeRoot" not in pdf.catalog:
        return  # an untagged PDF
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    document = _object(pdf, root["K"][0])
    parents = _object(pdf, root["ParentTree"])
    key = max(parents["Nums"][::2], default=-1) + 1
    element = pydyf.Dictionary(
        {
            "Type": "/StructElem",
            "S": "/Form",
            "P": document.reference,
            "Alt": pydyf.String(description),
            "K": pydyf.Dictionary({"Type": "/OBJR", "Obj": widget.reference, "Pg": page.reference}),
        }
    )
    pdf.add_object(element)
    document["K"].append(element.reference)
    parents["Nums"].extend([key, element.reference])
    widget["StructParent"] = key
    root["ParentTreeNextKey"] = key + 1


def _object(pdf: pydyf.PDF, reference: bytes | str) -> pydyf.Dictionary:
    number = int((reference.decode() if isinstance(reference, bytes) else reference).split()[0])
    found: pydyf.Dictionary = pdf.objects[number]
    return found
