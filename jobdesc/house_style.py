"""The organisation's house style: its logo, font, base size and accent colour.

One place for both formats: the organisation file names them (``logo:``, ``style:``), this
module checks and reads them into the model's HouseStyle, and the page template (PDF, HTML)
and renderers/docx_style.py (DOCX) apply the same values.

The logo is a file beside the organisation file, read inside that folder like every other
file (safeio.read_inside: no way out, no link, a size cap). It travels inside each output,
never as a reference: a data: URI in the page, an image part in the DOCX.
- PNG: its header is read for the proportions; at most ``MAX_PIXELS`` pixels, so that
  decoding it cannot exhaust memory.
- SVG: parsed without a DOCTYPE (no entities), and refused if it could run or fetch
  anything: scripts, event attributes, foreign objects, and any reference other than to
  its own elements (``href="#id"``, ``url(#id)``).
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from .errors import Diagnostic, JobdescError, ProfileError, RenderError
from .limits import ASSET_BYTES, DEPTH, FILE_BYTES
from .model import HouseStyle, Logo
from .profile import Located, Organisation, load_organisation
from .renderers import RenderOptions
from .safeio import read_inside

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 40_000_000
_SVG = "{http://www.w3.org/2000/svg}"
_ACTIVE = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "handler", "listener"}
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*?font-family\s*:\s*(?:\"([^\"]+)\"|'([^']+)'|([^;}]+))", re.IGNORECASE)
_IMAGE_TYPES = ("image/png", "image/svg+xml")


def house_style(org: Organisation, org_path: Path) -> HouseStyle:
    """The house style ``org`` (read from ``org_path``) asks for; ProfileError names its line."""
    settings = org.style
    font = settings.font if settings else None
    return HouseStyle(
        font=font.text if font else None,
        size=settings.size if settings else None,
        accent=settings.accent if settings else None,
        logo=read_logo(org.logo, org_path) if org.logo else None,
        origin=f"{font.loc}" if font else "",
    )


def style_files(org_path: Path) -> list[Path]:
    """The files an organisation's house style reads (its logo), for a batch's fingerprints and
    a Dask worker's archive; none when the file cannot be read (the render reports that)."""
    try:
        org = load_organisation(org_path)
    except JobdescError:
        return []
    if not org.logo or ".." in PurePosixPath(org.logo.text).parts or PurePosixPath(org.logo.text).is_absolute():
        return []
    path = org_path.parent / org.logo.text
    return [path] if path.is_file() else []


def read_logo(logo: Located, org_path: Path) -> Logo:
    try:
        data = read_inside(org_path.parent, logo.text, limit=ASSET_BYTES)
    except ProfileError as exc:
        raise ProfileError([Diagnostic(logo.loc, "logo", str(exc))]) from None
    try:
        if data.startswith(PNG_SIGNATURE):
            return _png(data)
        if logo.text.lower().endswith(".svg") or data.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg>"):
            return _svg(data)
        raise ValueError("not a PNG or SVG image")
    except ValueError as exc:
        raise ProfileError([Diagnostic(logo.loc, "logo", f"{logo.text}: {exc}")]) from None


def _png(data: bytes) -> Logo:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ValueError("a damaged PNG (no IHDR header)")
    width, height = struct.unpack(">II", data[16:24])
    if not width or not height:
        raise ValueError("a PNG of no size")
    if width * height > MAX_PIXELS:
        raise ValueError(f"{width} x {height} pixels is over {MAX_PIXELS:,}; scale the logo down")
    return Logo(data, "image/png", float(width), float(height))


def _svg(data: bytes) -> Logo:
    if len(data) > FILE_BYTES.value:
        raise ValueError(f"the SVG is too large: {FILE_BYTES.message(len(data))}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("an SVG that is not UTF-8 text") from None
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ValueError("an SVG with a DOCTYPE or entities (they can expand without end); remove them")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise ValueError(f"not a well-formed SVG ({exc})") from None
    if root.tag != f"{_SVG}svg":
        raise ValueError("not an SVG image (its root is not <svg> in the SVG namespace)")
    _check_svg(root)
    return Logo(data, "image/svg+xml", *_svg_size(root))


def _check_svg(root: ElementTree.Element) -> None:
    """Nothing in the image may run, or fetch anything from outside it."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > DEPTH.value:
            raise ValueError(f"its elements nest too deep: {DEPTH.message(depth)}")
        name = element.tag.rsplit("}", 1)[-1]
        if name in _ACTIVE:
            raise ValueError(f"an SVG with a <{name}> element, which may run code or load content; refused")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                raise ValueError(f"an SVG with an event attribute ({local}); refused")
            if local == "href" and not value.strip().startswith("#"):
                raise ValueError(f"an SVG referring to {value[:60]!r}; only its own elements (#id) may be referenced")
            _check_urls(value)
        _check_urls(element.text or "")
        if name == "style" and "@import" in (element.text or ""):
            raise ValueError("an SVG whose style imports another stylesheet; refused")
        stack += [(child, depth + 1) for child in element]


def _check_urls(text: str) -> None:
    for target in _URL.findall(text):
        if not target.startswith("#"):
            raise ValueError(f"an SVG referring to url({target[:60]}); only its own elements (#id) may be referenced")


def _svg_size(root: ElementTree.Element) -> tuple[float, float]:
    """The image's proportions: from its viewBox, or its width and height."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        if len(box) == 4 and float(box[2]) > 0 and float(box[3]) > 0:
            return float(box[2]), float(box[3])
        width, height = (float(re.sub(r"(px|pt)?\s*$", "", root.get(side) or "0")) for side in ("width", "height"))
    except ValueError:
        width = height = 0
    if width <= 0 or height <= 0:
        raise ValueError("an SVG without a size: give its <svg> a viewBox (or a width and height in px)")
    return width, height


def check_font(style: HouseStyle, options: RenderOptions) -> None:
    """The house font must be one the templates bring (an @font-face of their print.css): a
    font of the machine would make the PDF differ from machine to machine."""
    if not style.font:
        return
    stylesheet = options.template_file("print.css")
    css = read_inside(stylesheet.parent, stylesheet.name).decode("utf-8", "replace")
    families = {next(g for g in match.groups() if g).strip() for match in _FONT_FACE.finditer(css)}
    if style.font.casefold() not in {family.casefold() for family in families}:
        known = ", ".join(sorted(families)) or "none"
        raise RenderError(
            f"{style.origin}: style.font: the templates have no font {style.font!r}; their fonts: {known} "
            "(add one to your templates' fonts/ and print.css, and give --templates)"
        )


def decode_image_uri(url: str) -> tuple[str, bytes]:
    """The media type and bytes of a base64 ``data:`` URI of a PNG or SVG image (the logo's,
    which the page carries); ValueError for anything else."""
    match = re.fullmatch(r"data:([a-z+/]+);base64,([A-Za-z0-9+/=\s]*)", url, re.IGNORECASE)
    if not match or match.group(1).lower() not in _IMAGE_TYPES:
        raise ValueError(f"refused to fetch {url[:40]!r}: only PNG and SVG images may be given inline")
    try:
        return match.group(1).lower(), base64.b64decode(match.group(2), validate=False)
    except binascii.Error as exc:
        raise ValueError(f"a damaged data: URI ({exc})") from None
