"""HTML: the page template over the model; the PDF renderer lays this out."""

from __future__ import annotations

import traceback
from pathlib import Path
from xml.etree.ElementTree import Element

import jinja2
from markupsafe import Markup

from ..errors import JobdescError, RenderError
from ..limits import DEPTH
from ..model import SIGNATURE_BLANK, Bilingual, Document, FooterPart
from ..nesting import deepest
from ..paths import display
from ..policy import check_page
from ..templating import page_environment, render_limited
from ..timing import timed
from . import Output, RenderOptions
from .inline import self_contained

TEMPLATE = "document.html.j2"
BILINGUAL_TEMPLATE = "bilingual.html.j2"  # two languages side by side: a table row per clause pair


def template_name(document: Document | Bilingual) -> str:
    return BILINGUAL_TEMPLATE if isinstance(document, Bilingual) else TEMPLATE


def css_string(text: str) -> str:
    """A CSS string literal; ``<`` is escaped so the text cannot close the <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{escaped}"'


def footer_css(parts: tuple[FooterPart, ...]) -> Markup:
    pieces = [css_string(p.text) if p.kind == "text" else f"counter({p.kind})" for p in parts]
    return Markup(" ".join(pieces))


def render_html(document: Document | Bilingual, options: RenderOptions) -> str:
    """The page; a template error names the template file and line."""
    name = template_name(document)
    with timed("template"):
        try:
            template = page_environment(options.templates.resolve()).get_template(name)
            identity = css_string(document.identity.label()) if document.identity else '""'
            html = render_limited(
                template,
                doc=document,
                blank=SIGNATURE_BLANK,
                footer_css=footer_css(document.footer),
                identity_css=Markup(identity),
                zip=zip,  # bilingual.html.j2 pairs the two languages' labels
            )
        except jinja2.TemplateError as exc:
            where = _template_location(exc, options.template_file(name))
            raise RenderError(f"{where}: {type(exc).__name__}: {exc.message or exc}") from None
        except RecursionError as exc:
            where = _template_location(exc, options.template_file(name))
            message = (
                "templates include or call each other deeper than Python's stack allows; the nesting depth "
                f"limit is {DEPTH.value:,} levels ({DEPTH.variable})"
            )
            raise RenderError(f"{where}: {message}") from None
        except (MemoryError, JobdescError):
            raise
        except Exception as exc:  # the template's own code failed: {{ 1/0 }}, a macro called wrongly
            where = _template_location(exc, options.template_file(name))
            raise RenderError(f"{where}: {type(exc).__name__}: {exc}") from None
    depth, _ = deepest(html)
    if depth > DEPTH.value:
        where = display(options.template_file(name))
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


def check_policy(html: str, document: Document | Bilingual, options: RenderOptions, tree: Element) -> None:
    """The output policy over the page, which is also the page the PDF is printed from;
    ``tree`` is the page as WeasyPrint parsed it for layout, so that it is parsed once."""
    ours = frozenset({document.style.logo.uri} if document.style.logo else ())
    with timed("output policy"):
        check_page(html, options.template_file(template_name(document)), options.templates, tree, ours)


def render(document: Document | Bilingual, options: RenderOptions) -> Output:
    from .screen import screen_text  # WeasyPrint, and the PDF module that imports this one

    html = render_html(document, options)
    second = document.second.language if isinstance(document, Bilingual) else None
    text, hidden = screen_text(html, options, lambda tree: check_policy(html, document, options, tree), second)
    page = self_contained(html, options)  # opens on its own, with nothing beside it
    return Output(page.encode("utf-8"), text, numbered=True, hidden=hidden, by_column=second is not None)
