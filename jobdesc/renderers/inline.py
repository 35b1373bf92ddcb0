"""A page that stands on its own: its stylesheets, fonts and images inlined.

``--format html`` is opened from wherever it was saved or mailed to, without the templates
folder beside it. So every ``<link rel="stylesheet">`` becomes a ``<style>`` with the
stylesheet's text, every ``url(...)`` in a stylesheet (fonts, images) and every ``src`` or
``href`` of the page's images and links a ``data:`` URI. The files are read as the PDF
renderer reads them: inside the templates folder (the bundled one for what it lacks), by
inode, capped in size. A remote or absolute reference is refused, so the page loads nothing.
The text of the page does not change.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from ..errors import ProfileError, RenderError
from ..limits import ASSET_BYTES, DEPTH, FILE_BYTES
from ..nesting import check_nesting
from ..paths import TEMPLATES, display
from ..safeio import read_inside
from . import RenderOptions

_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2", ".svg": "image/svg+xml"}
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)["']?\s*\)?[^;]*;""", re.IGNORECASE)
_REFERENCES = {"link": "href", "img": "src", "image": "href", "source": "src", "script": "src", "iframe": "src"}


def self_contained(html: str, options: RenderOptions) -> str:
    """``html`` with everything it references inlined; RenderError names what cannot be."""
    inliner = _Inliner(options)
    try:
        return inliner.page(html)
    except ProfileError as exc:
        raise RenderError(f"HTML not written: {exc}") from None


class _Tags(HTMLParser):
    """The start tags that reference a file, with their offsets in the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str, dict[str, str | None]]] = []  # (line, column, tag text, attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _REFERENCES and values.get(_REFERENCES[tag]) or tag == "style" or values.get("style"):
            line, column = self.getpos()
            self.found.append((line, column, self.get_starttag_text() or "", values))

    handle_startendtag = handle_starttag


class _Inliner:
    def __init__(self, options: RenderOptions):
        self.roots = [options.templates.resolve(), TEMPLATES.resolve()]
        self.template = display(options.template_file("document.html.j2"))

    def page(self, html: str) -> str:
        parser = _Tags()
        parser.feed(html)
        parser.close()
        starts = [0, *(m.end() for m in re.finditer("\n", html))]  # where each line begins, as the parser counts
        pieces, done = [], 0
        for line, column, text, attrs in parser.found:
            offset = starts[line - 1] + column
            tag = text[1:].split(None, 1)[0].rstrip("/>").lower()
            replacement = self.tag(tag, text, attrs)
            pieces += [html[done:offset], replacement]
            done = offset + len(text)
        pieces.append(html[done:])
        page = "".join(pieces)
        return re.sub(r"<style\b[^>]*>(.*?)</style>", lambda m: self.style_element(m.group(0)), page, flags=re.S)

    def tag(self, tag: str, text: str, attrs: dict[str, str | None]) -> str:
        if tag == "style":
            return text
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").lower().split():
            href = attrs.get("href") or ""
            return f"<style>{self.stylesheet(self.relative(href, PurePosixPath()), 0)}</style>"
        result = self.css_urls(text, PurePosixPath()) if "url(" in (attrs.get("style") or "") else text
        reference = _REFERENCES.get(tag)
        value = attrs.get(reference) if reference else None
        if value and not value.startswith(("data:", "#")):
            uri = self.data_uri(self.relative(value, PurePosixPath()))
            result = re.sub(rf"""(\s{reference}\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", rf'\1"{uri}"', result, count=1)
        return result

    def style_element(self, element: str) -> str:
        """A ``<style>`` in the page: its ``url(...)`` inlined too, relative to the page."""
        start = element.index(">") + 1
        body = element[start : -len("</style>")]
        return element[:start] + self.css_urls(body, PurePosixPath()) + "</style>"

    def relative(self, reference: str, folder: PurePosixPath) -> PurePosixPath:
        """A reference as a path inside the templates folder, or a refusal."""
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", reference) or reference.startswith(("/", "\\")):
            raise RenderError(
                f"{self.template}: HTML not written: {reference[:80]!r} is not a file of the templates folder; "
                "a self-contained page loads nothing from elsewhere"
            )
        path = PurePosixPath(folder, reference.split("#", 1)[0].split("?", 1)[0])
        parts: list[str] = []
        for part in path.parts:
            if part == "..":
                if not parts:
                    raise RenderError(f"{self.template}: HTML not written: {reference!r} leads outside the templates")
                parts.pop()
            elif part != ".":
                parts.append(part)
        return PurePosixPath(*parts)

    def read(self, path: PurePosixPath, text: bool) -> bytes:
        limit = FILE_BYTES if text else ASSET_BYTES
        for root in self.roots:
            candidate = root / path
            if candidate.exists() or candidate.is_symlink():
                return read_inside(root, path.as_posix(), limit=limit)
        raise RenderError(f"{self.template}: HTML not written: no file {path.as_posix()!r} in the templates folder")

    def stylesheet(self, path: PurePosixPath, depth: int) -> str:
        if depth > DEPTH.value:
            raise RenderError(f"{path}: stylesheets import each other too deep: {DEPTH.message(depth)}")
        css = self.read(path, text=True).decode("utf-8", "replace")
        check_nesting(css, display(Path(self.roots[0], path)))
        folder = path.parent

        def imported(match: re.Match[str]) -> str:
            return self.stylesheet(self.relative(match.group(1), folder), depth + 1)

        css = self.css_urls(_CSS_IMPORT.sub(imported, css), folder)
        if "</style" in css.lower():
            raise RenderError(f"{path}: HTML not written: the stylesheet contains '</style'")
        return css

    def css_urls(self, css: str, folder: PurePosixPath) -> str:
        def inlined(match: re.Match[str]) -> str:
            reference = next(group for group in match.groups() if group is not None)
            if not reference or reference.startswith(("#", "data:")):
                return match.group(0)
            return f"url({self.data_uri(self.relative(reference, folder))})"  # base64: no quotes needed

        return _CSS_URL.sub(inlined, css)

    def data_uri(self, path: PurePosixPath) -> str:
        kind = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = self.read(path, text=kind.startswith("text/"))
        return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
