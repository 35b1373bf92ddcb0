"""PDF through WeasyPrint, fetching nothing but the templates' own files.

WeasyPrint's default fetcher reads any local file and any URL: a template's
``<link rel="attachment" href="file:///etc/passwd">`` would embed that file in the
PDF. Ours serves files inside the templates folders only and refuses everything else
with an error (its refusal derives from BaseException, so it is caught by name).
"""

from __future__ import annotations

import logging
import mimetypes
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pydyf
from weasyprint import HTML
from weasyprint.document import Document as LaidOut
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..errors import ProfileError, RenderError, os_message
from ..house_style import decode_image_uri
from ..hyphenation import install_exceptions
from ..limits import ASSET_BYTES, FILE_BYTES
from ..model import Bilingual, Document
from ..nesting import check_nesting
from ..paths import TEMPLATES, display
from ..policy import check_pdf
from ..safeio import read_inside
from ..timing import timed
from . import Output, RenderOptions
from .drawn import drawn_text
from .fields import signature_fields, signature_places
from .html import check_policy, render_html


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """Serves files inside the given folders, in order (an organisation's folder, then ours: a
    file the first lacks comes from the next), read by safeio.read_inside (no link out, a size
    cap); refuses every other path and scheme."""

    def __init__(self, *roots: Path):
        super().__init__(fail_on_errors=True)
        self.roots = [root.resolve() for root in roots or (TEMPLATES,)]

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme == "data":  # the logo, which the page carries (house_style.py)
            return _inline_image(url)
        if parsed.scheme != "file":
            raise PermissionError(f"refused to fetch {url!r}: only the template's own files are allowed")
        asked = Path(unquote(parsed.path))
        relative = next((asked.relative_to(root) for root in self.roots if asked.is_relative_to(root)), None)
        if relative is None or ".." in relative.parts:
            raise PermissionError(f"refused to fetch {url!r}: not a file in the templates folder")
        for root in self.roots:
            candidate = root / relative
            if candidate.exists() or candidate.is_symlink():
                break
        else:
            raise PermissionError(f"refused to fetch {url!r}: no such file in the templates folder")
        content_type = mimetypes.guess_type(relative.name)[0] or "application/octet-stream"
        limit = FILE_BYTES if content_type.startswith("text/") else ASSET_BYTES
        try:
            data = read_inside(root, relative.as_posix(), limit=limit)
            if content_type == "text/css":
                check_nesting(data.decode("utf-8", "replace"), display(root / relative))
        except ProfileError as exc:
            raise PermissionError(f"refused to fetch {url!r}: {exc}") from None
        return URLFetcherResponse(url, data, {"Content-Type": content_type})


def _inline_image(url: str) -> URLFetcherResponse:
    try:
        media_type, data = decode_image_uri(url)
    except ValueError as exc:
        raise PermissionError(str(exc)) from None
    return URLFetcherResponse(url, data, {"Content-Type": media_type})


class _Problems(logging.Handler):
    """WeasyPrint only logs a resource it could not load (an error) or text its fonts cannot
    draw (a warning, and a box printed instead of the letter): we treat both as errors."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            self.messages.append(message)
        elif ".notdef glyph" in message:
            self.messages.append(f"the fonts have no letter for {message.split(': ', 1)[-1]}")


LAYOUT_HYPHEN = "\u2010"  # print.css: hyphenate-character; typography keeps it out of the texts
SOFT_HYPHEN = "\u00ad"


def soft_hyphens(laid_out: LaidOut, pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher: the hyphens layout adds at line ends read as soft hyphens.

    They are drawn with U+2010's glyph, which only layout uses, and its ToUnicode entry
    becomes U+00AD, as ISO 32000-1 (14.8.2.2.3) asks: a reader joins the word again, so
    "обслуж-ването" is found by a search and copied whole."""
    drawn, read = LAYOUT_HYPHEN.encode("utf-16-be").hex(), SOFT_HYPHEN.encode("utf-16-be").hex()
    old, new = f" <{drawn}>".encode(), f" <{read}>".encode()
    for obj in pdf.objects:
        lines = getattr(obj, "stream", None)
        if isinstance(obj, pydyf.Stream) and lines and b"/CMapName /Adobe-Identity-UCS def" in lines:
            obj.stream = [line.replace(old, new) if line.endswith(old) else line for line in lines]


@lru_cache(maxsize=1)
def tag_languages() -> None:
    """Give each structure element the language of its HTML element (``/Lang``, ISO 32000-1
    14.9.2), so a screen reader and a spell checker follow each column of a bilingual document.

    WeasyPrint 70 writes the document's language only. Its tag builder yields, for each box, the
    structure element made for it; the wrapper adds the box element's own ``lang`` attribute."""
    from weasyprint.pdf import tags

    build = tags._build_box_tree

    def with_language(box: Any, *args: Any) -> Any:
        element = getattr(box, "element", None)
        own = element.get("lang") if element is not None and box.element_tag not in ("html", "body") else None
        for made in build(box, *args):
            if own and made["S"] != "/NonStruct":
                made["Lang"] = pydyf.String(own)
            yield made

    tags._build_box_tree = with_language


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()


def render(document: Document | Bilingual, options: RenderOptions) -> Output:
    install_exceptions()
    tag_languages()
    html = render_html(document, options)
    problems = _Problems()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(problems)
    fetcher = AssetFetcher(options.templates, TEMPLATES)
    try:
        with timed("pdf layout"):
            page = HTML(string=html, base_url=f"{options.templates.resolve()}/", url_fetcher=fetcher)
            check_policy(html, document, options, page.etree_element)  # the tree about to be laid out
            # Tagged, so a screen reader follows the headings, lists and tables.
            laid_out = page.render(
                font_config=_font_config(), pdf_tags=True, pdf_variant=options.pdf_variant, custom_metadata=True
            )
        with timed("pdf write"):
            fields = signature_fields(signature_places(laid_out))

            def finish(laid_out: LaidOut, pdf: pydyf.PDF) -> None:
                soft_hyphens(laid_out, pdf)
                fields(laid_out, pdf)
                with timed("output policy"):  # last: what is checked is what is written
                    check_pdf([*pdf.objects, pdf.info], options.templates)

            data = laid_out.write_pdf(
                pdf_variant=options.pdf_variant, pdf_tags=True, custom_metadata=True, finisher=finish
            )
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"PDF not written: {cause}") from None
    except OSError as exc:  # e.g. WeasyPrint's temporary folder for the fonts
        raise RenderError(f"PDF not written: {os_message(exc)} (is TMPDIR writable?)") from None
    finally:
        logger.removeHandler(problems)
    if problems.messages:
        shown = "; ".join(dict.fromkeys(problems.messages[:5]))
        raise RenderError(f"PDF not written: {shown}" + ("; …" if len(problems.messages) > 5 else ""))
    second = document.second.language if isinstance(document, Bilingual) else None
    text, hidden = drawn_text(laid_out, second=second)
    return Output(data, text, numbered=True, hidden=hidden, by_column=second is not None)
