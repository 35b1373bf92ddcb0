"""Empty signature fields, written by WeasyPrint's finisher while it writes the PDF.

Each signature line of the page (an element marked ``data-signature``) becomes an empty
signature field at its laid-out place: a widget annotation with an empty appearance, as
PDF/A asks, listed in the document's AcroForm. Writing them in the same pass, instead of a
second pyHanko update, keeps ``jobdesc render`` free of pyHanko, which only ``sign`` and
``verify`` need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pydyf
from weasyprint.document import Document as LaidOut
from weasyprint.formatting_structure.boxes import TableCellBox, TextBox

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


def signature_places(laid_out: LaidOut) -> list[FieldPlace]:
    """Each element marked data-signature, as laid out: a signature line (the field sits on
    it, with room above) or a table cell (the field fills it)."""
    places: dict[str, FieldPlace] = {}
    for number, page in enumerate(laid_out.pages):
        height = page.height * PX
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            name = element.get("data-signature") if element is not None else None
            if not name or name in places or isinstance(box, TextBox):
                continue
            x, y = box.border_box_x() * PX, box.border_box_y() * PX
            width, box_height = box.border_width() * PX, box.border_height() * PX
            bottom = height - (y + box_height)
            top = bottom + (box_height if isinstance(box, TableCellBox) else SIGNATURE_HEIGHT)
            places[name] = FieldPlace(name, number, (round(x), round(bottom), round(x + width), round(top)))
    return list(places.values())


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
                    "Rect": pydyf.Array(place.box),
                    "F": PRINT,
                    "P": page.reference,
                    "AP": pydyf.Dictionary({"N": appearance.reference}),
                }
            )
            pdf.add_object(widget)
            page.setdefault("Annots", pydyf.Array()).append(widget.reference)
            fields.append(widget.reference)
        pdf.catalog["AcroForm"] = pydyf.Dictionary({"Fields": fields})

    return finish
