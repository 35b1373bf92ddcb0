"""The text a jobdesc PDF's pages show, read from their content streams.

Enough for ``verify`` to compare what the metadata says with what a reader sees: WeasyPrint
writes each run of text as glyph codes (``<03d4> Tj``, ``[<03d4>0<03d3>] TJ``) in fonts
that carry a ToUnicode map. Whitespace is left out of the result, so that line breaks,
justification and no-break spaces do not count; so are the soft hyphens of line-end breaks.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

_TOKEN = re.compile(rb"/([^\s/\[\]<>()]+)|<([0-9A-Fa-f\s]*)>|(\[)|\b(Tf|TJ|Tj)\b")
_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.DOTALL)


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, in the order drawn, without whitespace or soft hyphens."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    texts = []
    for page_number in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(page_number)[0].get_object()  # type: ignore[no-untyped-call]
        # [] dereferences an indirect object; pyHanko's .get() would return it unresolved
        resources = page["/Resources"] if "/Resources" in page else {}  # noqa: SIM401
        fonts = resources["/Font"] if "/Font" in resources else {}  # noqa: SIM401
        maps = {str(name)[1:]: _unicode_map(fonts[name]) for name in fonts}
        contents = page["/Contents"] if "/Contents" in page else None  # noqa: SIM401
        if isinstance(contents, generic.ArrayObject):
            streams = [contents[i] for i in range(len(contents))]
        else:
            streams = [contents] if contents is not None else []
        data = b"\n".join(stream.data for stream in streams)
        texts.append(_show(data, maps))
    return texts


def _show(data: bytes, maps: dict[str, dict[int, str]]) -> str:
    shown: list[str] = []
    font: dict[int, str] = {}
    name, strings = "", []
    for match in _TOKEN.finditer(data):
        token_name, hexa, bracket, operator = match.groups()
        if token_name is not None:
            name = token_name.decode("latin-1")
        elif hexa is not None:
            strings.append(bytes.fromhex(hexa.decode("ascii")))
        elif bracket is not None:
            strings = []
        elif operator == b"Tf":
            font = maps.get(name, {})
        elif operator in (b"TJ", b"Tj"):
            for string in strings:
                codes = (int.from_bytes(string[i : i + 2], "big") for i in range(0, len(string) - 1, 2))
                shown.extend(font.get(code, "") for code in codes)
            strings = []
    return plain("".join(shown))


def _unicode_map(font: Any) -> dict[int, str]:
    if "/ToUnicode" not in font:
        return {}
    cmap: bytes = font["/ToUnicode"].data
    mapping: dict[int, str] = {}
    for kind, body in _SECTION.findall(cmap):
        if kind == b"bfchar":
            for source, target in _PAIR.findall(body):
                mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be", "replace")
        else:
            for low, high, target in _RANGE.findall(body):
                first = int.from_bytes(bytes.fromhex(target.decode()), "big")
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    mapping[code] = chr(first + offset)
    return mapping


def plain(text: str) -> str:
    """Text without the spaces and soft hyphens that layout adds or moves: what is compared."""
    return "".join(c for c in text if not c.isspace() and c != "\u00ad")
