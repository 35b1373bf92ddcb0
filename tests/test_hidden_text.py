"""What the reader sees is what was checked: an organisation's own templates cannot hide a clause.

Each case is a templates folder (``--templates``) with one trick that keeps a clause in the
text layer while no reader sees it: a print.css rule (PDF and HTML), a page template (HTML) or a
reference.docx style (DOCX). Each must end like any other incomplete render: exit 1, the clause
named with the reason, nothing written, no traceback. The thresholds are jobdesc.legibility's.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from conftest import DATA, JURISDICTION_OF
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from jobdesc.cli import main
from jobdesc.paths import TEMPLATES

CSS = (TEMPLATES / "print.css").read_text(encoding="utf-8")
PAGE = (TEMPLATES / "document.html.j2").read_text(encoding="utf-8")
DUTY = "clause 1. ('register-mail')"  # the clerk's only duty, targeted by id in the stylesheets
FIRST = "clause 1. ('requirements')"  # the first clause: hidden when the whole body is
EARLIER = "clerk_bg_en-GB.pdf"  # an earlier, signed file the PDF would replace: it must stay as it was


def render(tmp_path: Path, fmt: str, templates: dict[str, str | bytes], *more: str) -> tuple[Result, list[str]]:
    """``jobdesc render clerk`` with a templates folder holding ``templates``; the result and
    the output folder's files afterwards."""
    root = Path(shutil.copytree(DATA / "overlays", tmp_path / "profiles"))
    folder = tmp_path / "templates"
    folder.mkdir()
    for name, content in templates.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / EARLIER).write_bytes(b"signed earlier")
    args = ["--profiles", str(root), "render", "clerk", "--lang", "en", "--format", fmt]
    result = CliRunner().invoke(main, [*args, *more, "--templates", str(folder), "-o", str(out)])
    return result, sorted(p.name for p in out.iterdir())


def assert_refused(result: Result, files: list[str], clause: str, reason: str) -> None:
    message = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a message, not a crash
    assert "Traceback" not in result.output
    assert f"{clause} is {reason}" in message, result.output
    assert "nothing was written" in message
    assert files == [EARLIER]


@dataclass(frozen=True)
class Trick:
    id: str
    css: str
    reason: str  # what the message says after "is"
    clause: str = DUTY


CSS_TRICKS = [
    Trick("visibility-hidden", "#register-mail { visibility: hidden }", "hidden (visibility: hidden)"),
    Trick("off-page", "#register-mail { position: absolute; left: -100cm }", "drawn wholly or partly outside the page"),
    Trick("nowrap-past-the-edge", "#register-mail { white-space: nowrap; padding-left: 19cm }",
          "drawn wholly or partly outside the page"),
    Trick("negative-text-indent", "#register-mail { text-indent: -30cm }", "drawn wholly or partly outside the page"),
    Trick("white-text", "#register-mail { color: white }", "drawn in white on white (contrast 1.0:1, need 3:1)"),
    Trick("pale-text", "#register-mail { color: #ddd }", "drawn in #dddddd on white (contrast 1.4:1, need 3:1)"),
    Trick("transparent-text", "#register-mail { color: transparent }", "drawn in white on white (contrast 1.0:1"),
    Trick("faint-alpha", "#register-mail { color: rgba(0, 0, 0, 0.2) }", "drawn in #cccccc on white (contrast 1.6:1"),
    Trick("zero-opacity", "#register-mail { opacity: 0 }", "drawn in white on white (contrast 1.0:1"),
    Trick("ancestor-opacity", "#duties { opacity: 0.15 }", "drawn in #d9d9d9 on white (contrast 1.4:1"),
    Trick("dark-background", "body { background: #111 } .part li { color: black }", "drawn in black on #111111",
          FIRST),
    Trick("tiny-font", "#register-mail { font-size: 2pt }", "drawn at 2.0 pt (need 6 pt or more)"),
    Trick("transform", "#register-mail { transform: scale(0.05) }", "transformed (transform on <li id='register"),
    Trick("ancestor-transform", "#duties { transform: translateX(-30cm) }", "transformed (transform on <section"),
    Trick("overflow-clipped", "#duties ol { height: 1px; overflow: hidden }", "cut off by an ancestor's overflow"),
    Trick("clip-rect", "#register-mail { position: absolute; top: 0; left: 0; clip: rect(0, 0, 0, 0) }",
          "cut off by an ancestor's overflow"),
    Trick("covering-box", 'body::before { content: ""; position: absolute; top: 0; left: 0; width: 100%; '
          "height: 100%; background: white }", "covered by <body::before>, painted over it", FIRST),
    Trick("veil", '#duties { position: relative } #duties::after { content: ""; position: absolute; top: 0; left: 0; '
          "width: 100%; height: 100%; background: rgba(255, 255, 255, 0.9) }", "drawn in #e6e6e6 on white"),
    Trick("outline-over-the-next-clause", "#requirements { outline: 20cm solid white }",
          "covered by the outline of <li id='requirements'>, painted over it"),
    Trick("under-a-background", "#register-mail { position: relative; z-index: -1 } #duties { background: white }",
          "painted beneath the boxes around it (z-index -1 on <li id='register-mail'>)"),
    Trick("inset-shadow", "#register-mail { box-shadow: inset 0 0 0 20cm black }", "drawn in black on black"),
    Trick("background-image", "#duties { background-image: linear-gradient(black, black) }",
          "drawn on a background image (on <section id='duties'>), whose contrast cannot be checked"),
    Trick("thick-line-through", "#register-mail { text-decoration: line-through; text-decoration-thickness: 20px }",
          "struck through by a 15.0 pt text decoration"),
    Trick("symbol-font", "#register-mail { font-family: Wingdings, serif }",
          "set in Wingdings, a font of symbols, not letters"),
    Trick("over-other-text", "#register-mail { margin-top: -20pt }", "drawn over other text"),
    Trick("letters-run-together", "#register-mail { letter-spacing: -0.4em }", "drawn with its letters run together"),
]  # fmt: skip


@pytest.mark.parametrize("fmt", ["pdf", "html"])
@pytest.mark.parametrize("trick", CSS_TRICKS, ids=[t.id for t in CSS_TRICKS])
def test_a_stylesheet_that_hides_a_clause_is_refused(trick: Trick, fmt: str, tmp_path: Path) -> None:
    result, files = render(tmp_path, fmt, {"print.css": f"{CSS}\n{trick.css}\n"})
    assert_refused(result, files, trick.clause, trick.reason)


BROWSER_ONLY = [
    Trick("webkit-fill-colour", "#register-mail { -webkit-text-fill-color: transparent }",
          "-webkit-text-fill-color: transparent"),
    Trick("width-media-query", "@media (min-width: 1000px) { #register-mail { display: none } }",
          "Expected a media type, got '(min-width: 1000px)'"),
    Trick("supports-rule", "@supports (display: grid) { #register-mail { display: none } }", "Unknown rule"),
    Trick("newer-colour-function", "#register-mail { color: color-mix(in srgb, white 100%, black) }",
          "Ignored `color: color-mix(in srgb, white 100%, black) ` at"),
    Trick("content-visibility", "#register-mail { content-visibility: hidden }", "unknown property"),
]  # fmt: skip


@pytest.mark.parametrize("trick", BROWSER_ONLY, ids=[t.id for t in BROWSER_ONLY])
def test_css_a_browser_may_apply_but_the_check_cannot_follow_is_refused_in_html(trick: Trick, tmp_path: Path) -> None:
    result, files = render(tmp_path, "html", {"print.css": f"{CSS}\n{trick.css}\n"})
    message = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert "HTML not written: the page uses CSS or HTML the visibility check cannot follow" in message, message
    assert trick.reason in message, message
    assert files == [EARLIER]


@pytest.mark.parametrize(
    ("wrapper", "reason"),
    [
        ("details", "inside a closed <details>, which a browser does not show"),
        ("dialog", "inside a closed <dialog>, which a browser does not show"),
        ("noscript", "inside <noscript>"),
        ("div popover", "inside a popover <div>"),
    ],
)
def test_an_element_a_browser_keeps_closed_hides_its_clauses_in_html(wrapper: str, reason: str, tmp_path: Path) -> None:
    tag = wrapper.split()[0]
    page = PAGE.replace("<body>", f"<body><{wrapper}>", 1).replace("</body>", f"</{tag}></body>", 1)
    result, files = render(tmp_path, "html", {"document.html.j2": page})
    assert_refused(result, files, "clause 1. ('requirements')", reason)


def reference_with(style: str = "Clause", run: str = "", paragraph: str = "", page_colour: str | None = None) -> bytes:
    """The bundled reference.docx with WordprocessingML added to one style's run and paragraph
    properties (replacing what they set), and a page colour."""
    document = docx.Document(str(TEMPLATES / "reference.docx"))
    element = document.styles[style].element
    for properties, xml in ((element.get_or_add_rPr(), run), (element.get_or_add_pPr(), paragraph)):
        for child in parse_xml(f"<w:x {nsdecls('w')}>{xml}</w:x>"):
            for old in properties.findall(child.tag):
                properties.remove(old)
            properties.append(child)
    if page_colour:
        document.element.insert(0, parse_xml(f'<w:background {nsdecls("w")} w:color="{page_colour}"/>'))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


@dataclass(frozen=True)
class Style:
    id: str
    reference: bytes
    reason: str


BLACK = '<w:color w:val="000000"/>'
DOCX_TRICKS = [
    Style("vanish", reference_with(run="<w:vanish/>"), "hidden text (w:vanish)"),
    Style("spec-vanish", reference_with(run="<w:specVanish/>"), "hidden text (w:specVanish)"),
    Style("web-hidden", reference_with(run="<w:webHidden/>"), "hidden text (w:webHidden)"),
    Style("vanish-in-based-on-style", reference_with("Normal", run="<w:vanish/>"), "hidden text (w:vanish)"),
    Style("white-text", reference_with(run='<w:color w:val="FFFFFF"/>'), "drawn in white on white (contrast 1.0:1"),
    Style("theme-background-colour", reference_with(run='<w:color w:val="000000" w:themeColor="background1"/>'),
          "drawn in white on white"),
    Style("tiny-size", reference_with(run='<w:sz w:val="4"/>'), "drawn at 2.0 pt (need 6 pt or more)"),
    Style("black-highlight", reference_with(run=BLACK + '<w:highlight w:val="black"/>'), "drawn in black on black"),
    Style("run-shading", reference_with(run=BLACK + '<w:shd w:val="clear" w:color="auto" w:fill="000000"/>'),
          "drawn in black on black"),
    Style("paragraph-shading", reference_with(run=BLACK, paragraph='<w:shd w:val="solid" w:color="000000"/>'),
          "drawn in black on black"),
    Style("page-colour", reference_with(run='<w:color w:val="F0F0F0"/>', page_colour="FFFFFF"),
          "drawn in #f0f0f0 on white (contrast 1.1:1"),
    Style("symbol-font", reference_with(run='<w:rFonts w:ascii="Webdings" w:hAnsi="Webdings"/>'),
          "set in Webdings, a font of symbols, not letters"),
    Style("squeezed", reference_with(run='<w:w w:val="10"/>'), "squeezed to 10% of its width"),
    Style("fit-text", reference_with(run='<w:fitText w:val="20" w:id="1"/>'), "squeezed into a fixed width"),
    Style("condensed", reference_with(run='<w:spacing w:val="-40"/>'), "drawn with its letters run together"),
    Style("indented-off-page", reference_with(paragraph='<w:ind w:left="-9000"/>'), "indented off the page"),
    Style("narrow-line", reference_with(paragraph='<w:ind w:left="0" w:right="9000"/>'), "given a line of 0.6 cm"),
    Style("frame", reference_with(paragraph='<w:framePr w:w="100" w:x="-5000"/>'), "placed in a frame"),
]  # fmt: skip


@pytest.mark.parametrize("trick", DOCX_TRICKS, ids=[t.id for t in DOCX_TRICKS])
def test_a_reference_document_that_hides_a_clause_is_refused(trick: Style, tmp_path: Path) -> None:
    result, files = render(tmp_path, "docx", {"reference.docx": trick.reference})
    assert_refused(result, files, FIRST, trick.reason)


def test_a_table_style_that_hides_the_employees_is_refused(tmp_path: Path) -> None:
    """The familiarization sheet's table: a banded-row format in white names the employee."""
    document = docx.Document(str(TEMPLATES / "reference.docx"))
    document.styles["Table Grid"].element.append(
        parse_xml(f'<w:tblStylePr {nsdecls("w")} w:type="band2Horz"><w:rPr><w:color w:val="FFFFFF"/></w:rPr>'
                  "</w:tblStylePr>")
    )  # fmt: skip
    stream = io.BytesIO()
    document.save(stream)
    staff = tmp_path / "staff.csv"
    staff.write_text("name,position\nIvan Petrov,Clerk\n", encoding="utf-8")
    result, files = render(tmp_path, "docx", {"reference.docx": stream.getvalue()}, "--employees", str(staff))
    assert_refused(result, files, "employee 'Ivan Petrov'", "drawn in white on white")


def reference_with_header_shape(top_cm: float, height_cm: float) -> bytes:
    """The bundled reference.docx with a white rectangle anchored in its header, in front of the
    text, across the page from ``top_cm`` down."""
    document = docx.Document(str(TEMPLATES / "reference.docx"))
    emu = 360000  # per cm
    wp = 'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    drawing = (
        f'<w:r {nsdecls("w")} {wp} {a}><w:drawing><wp:anchor behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1" simplePos="0" relativeHeight="1" distT="0" distB="0" distL="0" distR="0">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{int(top_cm * emu)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{21 * emu}" cy="{int(height_cm * emu)}"/><wp:wrapNone/><wp:docPr id="1" name="cover"/>'
        f'<a:graphic><a:graphicData uri="{wps}"/></a:graphic></wp:anchor></w:drawing></w:r>'
    )
    document.sections[0].header.paragraphs[0]._p.append(parse_xml(drawing))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def test_a_shape_floating_over_the_text_in_the_reference_header_is_refused(tmp_path: Path) -> None:
    result, files = render(tmp_path, "docx", {"reference.docx": reference_with_header_shape(0, 29.7)})
    assert_refused(result, files, FIRST, "next to a floating shape over the text area (word/header")


def test_a_logo_in_the_header_above_the_text_is_fine(tmp_path: Path) -> None:
    result, files = render(tmp_path, "docx", {"reference.docx": reference_with_header_shape(0.5, 1.2)})
    assert result.exit_code == 0, result.output
    assert files == sorted([EARLIER, "clerk_bg_en-GB.docx"])


RESTYLED = """
.part li { color: #555; font-size: 9pt; }
.part h2 { outline: 1px solid #999; outline-offset: 2px; text-decoration: underline 2px; }
.approval { position: relative; box-shadow: 2px 2px 4px #ccc; }
body { background: #fffbe6; }
.sheet td { font-size: 6pt; }
@media screen { body { background: #f4f4f4; } }
"""


@pytest.mark.parametrize("fmt", ["pdf", "html", "docx"])
def test_a_restyled_but_readable_document_is_written(fmt: str, tmp_path: Path) -> None:
    """Grey 9 pt clauses on cream, outlined headings, a shadowed approval block, 6 pt table text, a
    grey 6 pt reference document on a cream page: all readable."""
    reference = reference_with(run='<w:color w:val="595959"/><w:sz w:val="12"/>', page_colour="FFFBE6")
    result, files = render(tmp_path, fmt, {"print.css": CSS + RESTYLED, "reference.docx": reference})
    assert result.exit_code == 0, result.output
    assert files == sorted({EARLIER, f"clerk_bg_en-GB.{fmt}"})


@pytest.mark.parametrize("language", sorted(JURISDICTION_OF))
def test_the_bundled_page_passes_the_browser_check_in_every_language(language: str, tmp_path: Path) -> None:
    """The PDF and DOCX of every language are checked by tests/test_matrix.py; the HTML, laid out
    for the screen, here."""
    args = ["render", "--lang", language, "--jurisdiction", JURISDICTION_OF[language], "--format", "html"]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.html"))) == 1
