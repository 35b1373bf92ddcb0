"""HTML: the page template over the model; the PDF renderer lays this out."""

from __future__ import annotations

import traceback
from html.parser import HTMLParser
from pathlib import Path
from xml.etree.ElementTree import Element

import jinja2
from markupsafe import Markup

from ..errors import RenderError
from ..model import SIGNATURE_BLANK, Document, FooterPart
from ..policy import check_page
from ..templating import page_environment, render_limited
from ..timing import timed
from . import Output, RenderOptions

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
            return render_limited(
                template,
                doc=document,
                blank=SIGNATURE_BLANK,
                footer_css=footer_css(document.footer),
                identity_css=Markup(identity),
            )
        except jinja2.TemplateError as exc:
            where = _template_location(exc, options.template_file(TEMPLATE))
            raise RenderError(f"{where}: {type(exc).__name__}: {exc.message or exc}") from None


def _template_location(exc: jinja2.TemplateError, path: Path) -> str:
    """file:line of the failing template line: from the error, or from the traceback's frames."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or path}:{exc.lineno}"
    for frame, line in reversed(list(traceback.walk_tb(exc.__traceback__))):
        if frame.f_code.co_filename == str(path.resolve()):
            return f"{path}:{line}"
    return str(path)


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


def check_policy(html: str, options: RenderOptions, tree: Element | None = None) -> None:
    """The output policy over the page, which is also the page the PDF is printed from;
    ``tree`` is the page as WeasyPrint parsed it, so that the PDF parses it once."""
    with timed("output policy"):
        check_page(html, options.template_file(TEMPLATE), options.templates, tree)


def render(document: Document, options: RenderOptions) -> Output:
    html = render_html(document, options)
    check_policy(html, options)
    return Output(html.encode("utf-8"), visible_text(html), numbered=True)
