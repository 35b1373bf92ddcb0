"""HTML: the page template over the model; the PDF renderer lays this out."""

from __future__ import annotations

import traceback
from html.parser import HTMLParser
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..errors import JobdescError, RenderError
from ..limits import DEPTH
from ..model import SIGNATURE_BLANK, Document, FooterPart
from ..nesting import deepest
from ..paths import display
from ..templating import page_environment, render_limited
from ..timing import timed
from . import Output, RenderOptions
from .inline import self_contained

TEMPLATE = "document.html.j2"


def css_string(text: str) -> str:
    """A CSS string literal; ``<`` is escaped so the text cannot close the <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{escaped}"'


def footer_css(parts: tuple[FooterPart, ...]) -> Markup:
    pieces = [css_string(p.text) if p.kind == "text" else f"counter({p.kind})" for p in parts]
    return Markup(" ".join(pieces))


def render_html(document: Document, options: RenderOptions) -> str:
    """The page; a template error names the template file and line."""
    with timed("template"):
        try:
            template = page_environment(options.templates.resolve()).get_template(TEMPLATE)
            identity = css_string(document.identity.label()) if document.identity else '""'
            html = render_limited(
                template,
                doc=document,
                blank=SIGNATURE_BLANK,
                footer_css=footer_css(document.footer),
                identity_css=Markup(identity),
            )
        except jinja2.TemplateError as exc:
            where = _template_location(exc, options.template_file(TEMPLATE))
            raise RenderError(f"{where}: {type(exc).__name__}: {exc.message or exc}") from None
        except RecursionError as exc:
            where = _template_location(exc, options.template_file(TEMPLATE))
            message = (
                "templates include or call each other deeper than Python's stack allows; the nesting depth "
                f"limit is {DEPTH.value:,} levels ({DEPTH.variable})"
            )
            raise RenderError(f"{where}: {message}") from None
        except (MemoryError, JobdescError):
            raise
        except Exception as exc:  # the template's own code failed: {{ 1/0 }}, a macro called wrongly
            where = _template_location(exc, options.template_file(TEMPLATE))
            raise RenderError(f"{where}: {type(exc).__name__}: {exc}") from None
    depth, _ = deepest(html)
    if depth > DEPTH.value:
        where = display(options.template_file(TEMPLATE))
        raise RenderError(f"{where}: the page it makes nests elements too deep: {DEPTH.message(depth)}")
    return html


def _template_location(exc: BaseException, path: Path) -> str:
    """file:line of the failing template line: from the error, or from the traceback's frames
    (Jinja gives a template's frames the template's file name and line)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{display(Path(exc.filename)) if exc.filename else path}:{exc.lineno}"
    for frame, line in reversed(list(traceback.walk_tb(exc.__traceback__))):
        if frame.f_code.co_filename.endswith(".j2"):
            return f"{display(Path(frame.f_code.co_filename))}:{line}"
    return display(path)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("head", "style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("head", "style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)


def visible_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return " ".join(parser.chunks)


def render(document: Document, options: RenderOptions) -> Output:
    html = render_html(document, options)
    page = self_contained(html, options)  # opens on its own, with nothing beside it
    return Output(page.encode("utf-8"), visible_text(html), numbered=True)
