"""The HTML as a browser shows it, for the completeness check of ``--format html``.

The page is laid out by WeasyPrint for the screen (``@media screen`` rules apply, ``@media
print`` ones do not) with the same fetcher as the PDF, and its text is read like the PDF's
(renderers/drawn.py): a clause counts only where it is drawn readable. Checking the computed
styles of the clause elements instead would miss what only layout shows (text pushed off the
page, clipped by an ancestor, covered by a later box), so the check lays the page out; it costs
about what a PDF's layout costs, and only when HTML is asked for.

A browser honours more than WeasyPrint: CSS WeasyPrint ignores (an unknown property such as
``-webkit-text-fill-color``, a value it cannot parse such as ``clamp()``, a media query on the
window's width, ``@supports``) could hide a clause in a browser while the check sees it. So every
warning WeasyPrint logs while reading the page is an error here: the HTML may only use CSS the
check understands. Elements that a browser hides and WeasyPrint shows (a closed ``<details>``
or ``<dialog>``, ``<noscript>``, a ``popover``) hide what is in them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from ..errors import RenderError
from ..legibility import Hidden
from ..paths import TEMPLATES
from ..timing import timed
from . import RenderOptions
from .drawn import drawn_text
from .pdf import AssetFetcher, _font_config


class _Warnings(logging.Handler):
    """Every warning, and the prefixed properties (``-webkit-…``) WeasyPrint drops with a debug
    message only: browsers apply many of them."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING or "prefixed selectors are ignored" in message:
            self.messages.append(message.replace(", prefixed selectors are ignored", ", a prefixed property"))


def _hides(element: Any) -> str | None:
    """Why a browser does not show what is inside ``element``, or None."""
    tag, attributes = element.tag, element.attrib
    if tag in ("details", "dialog") and "open" not in attributes:
        return f"inside a closed <{tag}>, which a browser does not show"
    if tag == "noscript":
        return "inside <noscript>, which a browser with scripts on does not show"
    if "popover" in attributes:
        return f"inside a popover <{tag}>, which a browser does not show"
    return None


def screen_text(
    html: str, options: RenderOptions, check: Callable[[Element], None], second: str | None = None
) -> tuple[str, tuple[Hidden, ...]]:
    """The page's text as laid out for the screen, and the stretches a reader cannot read;
    ``check`` sees the parsed page before it is laid out (the output policy: nothing is fetched
    before it passes); ``second``: a bilingual page's second language, read after the rest."""
    warnings = _Warnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(warnings)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    fetcher = AssetFetcher(options.templates, TEMPLATES)
    try:
        with timed("html check"):
            page = HTML(
                string=html, base_url=f"{options.templates.resolve()}/", url_fetcher=fetcher, media_type="screen"
            )
            check(page.etree_element)
            laid_out = page.render(font_config=_font_config())
    except FatalURLFetchingError as exc:
        raise RenderError(f"HTML not written: {exc.__cause__ or exc}") from None
    finally:
        logger.setLevel(level)
        logger.removeHandler(warnings)
    if warnings.messages:
        shown = "; ".join(dict.fromkeys(warnings.messages[:5])) + ("; …" if len(warnings.messages) > 5 else "")
        raise RenderError(
            f"HTML not written: the page uses CSS or HTML the visibility check cannot follow, "
            f"which a browser may apply: {shown}"
        )
    return drawn_text(laid_out, browser_hidden(page.etree_element), second)


def browser_hidden(root: Any) -> Callable[[Any], str | None]:
    """Why a browser does not show an element of the page, or None: a lookup made once from the
    document tree, since an inline element (a ``<noscript>``) around blocks is split into
    anonymous boxes and no box of the layout stands for it."""
    hidden: dict[int, str] = {}
    for element in root.iter():
        if id(element) not in hidden and (reason := _hides(element)):
            hidden.update((id(inner), reason) for inner in element.iter())
    return lambda element: hidden.get(id(element))
