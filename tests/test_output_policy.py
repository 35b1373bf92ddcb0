"""Nothing attached, linked out, scripted or fetched, in any format.

An organisation's templates folder (``--templates``) tries one trick at a time through the
command line: in the page template (checked for the HTML and for the PDF printed from it)
and in the reference document (for the DOCX). Each is refused with exit code 1, a message
naming the template file (and, in the page, the line) and what to remove, no traceback, and
an output folder left as it was.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from policy_checks import docx_violations, pdf_violations
from weasyprint import HTML

from jobdesc.cli import main
from jobdesc.paths import TEMPLATES
from jobdesc.pipeline import Request, build_document
from jobdesc.policy import css_addresses, outside, pdf_problems
from jobdesc.renderers import RenderOptions
from jobdesc.renderers.html import render_html
from jobdesc.renderers.pdf import AssetFetcher

BUNDLED_PAGE = (TEMPLATES / "document.html.j2").read_text(encoding="utf-8")
BODY_LINE = BUNDLED_PAGE.splitlines().index("<body>") + 1  # where each trick goes
PAGE = f"templates/document.html.j2:{BODY_LINE}"
REFERENCE = "templates/reference.docx"
LINK_OUT = "leads out of the document; only links inside it"
FETCH = "a page may use only the templates folder's own files"


@dataclass(frozen=True)
class PageTrick:
    id: str
    snippet: str  # put right after <body>, on the template's line BODY_LINE
    expected: str  # after "templates/document.html.j2:LINE: "


PAGE_TRICKS = [
    PageTrick("script", "<script>alert(1)</script>", "<script>: runs code; remove the <script> element"),
    PageTrick("svg-script", "<svg><script>alert(1)</script></svg>", "<script>: runs code"),
    PageTrick("event-handler", '<p onmouseover="alert(1)">x</p>', "<p onmouseover>: an event handler runs code"),
    PageTrick("svg-event-handler", '<svg onload="alert(1)"></svg>', "<svg onload>: an event handler runs code"),
    PageTrick("javascript-link", '<a href="javascript:alert(1)">x</a>',
              f"<a href>: a link to 'javascript:alert(1)' {LINK_OUT}"),
    PageTrick("remote-link", '<a href="https://example.com/">x</a>',
              f"<a href>: a link to 'https://example.com/' {LINK_OUT}"),
    PageTrick("relative-link", '<a href="notes.txt">notes</a>', f"<a href>: a link to 'notes.txt' {LINK_OUT}"),
    PageTrick("svg-link", '<svg><a xlink:href="https://example.com/"><text>x</text></a></svg>', "<a href>: a link to"),
    PageTrick("link-attachment", '<link rel="attachment" href="notes.txt">',
              '<link rel="attachment">: attaches a file to the PDF, and documents carry no attachments; remove'),
    PageTrick("anchor-attachment", '<a rel="attachment" href="notes.txt">notes</a>', '<a rel="attachment">: attaches'),
    PageTrick("remote-image", '<img src="https://example.com/logo.png">',
              f"<img src>: refused to fetch 'https://example.com/logo.png': {FETCH}"),
    PageTrick("host-relative-image", '<img src="//example.com/logo.png">',
              "<img src>: refused to fetch '//example.com/logo.png'"),
    PageTrick("data-image", '<img src="data:image/png;base64,iVBORw0KGgo=">', "<img src>: refused to fetch 'data:"),
    PageTrick("image-outside-folder", '<img src="../notes.txt">', "<img src>: refused to fetch '../notes.txt'"),
    PageTrick("image-absolute-path", '<img src="/etc/passwd">', "<img src>: refused to fetch '/etc/passwd'"),
    PageTrick("srcset", '<img src="notes.txt" srcset="https://example.com/big.png 2x">',
              "<img srcset>: refused to fetch 'https://example.com/big.png'"),
    PageTrick("link-ping", '<a href="#duties" ping="https://example.com/seen">x</a>',
              "<a ping>: refused to fetch 'https://example.com/seen'"),
    PageTrick("svg-image", '<svg><image href="https://example.com/x.png"/></svg>', "<image href>: refused to fetch"),
    PageTrick("video-poster", '<video poster="https://example.com/x.png"></video>', "<video poster>: refused to fetch"),
    PageTrick("iframe", '<iframe src="notes.txt"></iframe>', "<iframe>: shows another page inside this one; remove"),
    PageTrick("object", '<object data="notes.txt"></object>', "<object>: embeds content"),
    PageTrick("embed", '<embed src="notes.txt">', "<embed>: embeds content"),
    PageTrick("base", '<base href="https://example.com/">', "<base>: changes where every relative address points"),
    PageTrick("form", '<form action="https://example.com/"><input name="q"></form>', "<form>: sends what is typed"),
    PageTrick("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://example.com/">',
              '<meta http-equiv="refresh">: tells a browser to reload, go elsewhere'),
    PageTrick("meta-pdf-script", '<meta name="JS" content="app.alert(1)">',
              '<meta name="JS">: would become a PDF entry'),
    PageTrick("style-attribute-url", '<p style="background: url(https://example.com/x.png)">x</p>',
              "<p style>: refused to fetch 'https://example.com/x.png'"),
    PageTrick("style-import", '<style>@import "https://example.com/x.css";</style>',
              "<style>: refused to fetch 'https://example.com/x.css'"),
    PageTrick("style-escaped-url", r"<style>p { background: u\72 l(https://example.com/x.png) }</style>",
              "<style>: refused to fetch 'https://example.com/x.png'"),
    PageTrick("style-image-set", '<style>p { background: image-set("https://example.com/x.png" 1x) }</style>',
              "<style>: refused to fetch 'https://example.com/x.png'"),
]  # fmt: skip


def run(tmp_path: Path, fmt: str, setup: Callable[[Path], None]) -> tuple[int, str, Path]:
    """`jobdesc render --templates templates --format FMT -o out` over an organisation's
    folder that ``setup`` fills; out/ holds an earlier signed file."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "notes.txt").write_text("notes from the templates folder", encoding="utf-8")
    setup(templates)
    out = tmp_path / "out"
    out.mkdir()
    (out / "account-manager_bg_bg-BG.pdf").write_bytes(b"an earlier, signed version")
    result = CliRunner().invoke(main, ["render", "--templates", "templates", "--format", fmt, "-o", "out"])
    return result.exit_code, result.output, out


def assert_refused(exit_code: int, output: str, out: Path, expected: str) -> None:
    assert exit_code == 1, output
    assert expected in output, output
    assert "Traceback" not in output
    assert [p.name for p in out.iterdir()] == ["account-manager_bg_bg-BG.pdf"]
    assert (out / "account-manager_bg_bg-BG.pdf").read_bytes() == b"an earlier, signed version"


@pytest.mark.parametrize("fmt", ["html", "pdf"])
@pytest.mark.parametrize("trick", PAGE_TRICKS, ids=[t.id for t in PAGE_TRICKS])
def test_a_page_template_that_runs_attaches_links_or_fetches_is_refused(
    trick: PageTrick, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    def page(templates: Path) -> None:
        page = BUNDLED_PAGE.replace("<body>", f"<body>{trick.snippet}", 1)
        (templates / "document.html.j2").write_text(page, encoding="utf-8")

    assert_refused(*run(tmp_path, fmt, page), f"{PAGE}: {trick.expected}")


def test_markup_a_template_computes_is_reported_at_the_line_of_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The template builds the tag from pieces: no template line holds it, so the message
    names the template and the line of the rendered page."""
    monkeypatch.chdir(tmp_path)

    def page(templates: Path) -> None:
        snippet = "{{ ('<scr' ~ 'ipt>alert(1)</scr' ~ 'ipt>') | safe }}"
        page = BUNDLED_PAGE.replace("<body>", f"<body>{snippet}", 1)
        (templates / "document.html.j2").write_text(page, encoding="utf-8")

    exit_code, output, out = run(tmp_path, "html", page)
    assert_refused(exit_code, output, out, "templates/document.html.j2: <script>: runs code; remove the <script>")
    line = re.search(r"\(line (\d+) of the page it renders\)", output)
    assert line, output
    document, _ = build_document(Request())  # the same page, no trick, before its styles are inlined
    page = render_html(document, RenderOptions()).splitlines()
    assert page[int(line.group(1)) - 1] == "<body>"


# --- the reference document (DOCX) ------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


@dataclass(frozen=True)
class ReferenceTrick:
    id: str
    expected: str  # after "templates/reference.docx: "
    body: str = ""  # WordprocessingML put into the reference's body
    relationships: dict[str, str] | None = None  # part name -> Relationship elements to add to its .rels
    parts: dict[str, bytes] | None = None  # new parts
    types: str = ""  # Default or Override elements for [Content_Types].xml
    settings: str = ""  # put into word/settings.xml


def relationship(rel_id: str, kind: str, target: str, external: bool = True) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rel_id}" Type="{RELS}/{kind}" Target="{target}"{mode}/>'


def run_of(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def complex_field(*instruction: str) -> str:
    """A field as Word writes it: begin, the instruction in several runs, separate, result, end."""
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{piece}</w:instrText></w:r>' for piece in instruction)
    return (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'{run_of("result")}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


SETTINGS = "word/settings.xml"
DOCUMENT = "word/document.xml"
REFERENCE_TRICKS = [
    ReferenceTrick(
        "attached-template",
        "word/settings.xml: an attached template to 'file:///C:/Templates/Corporate.dotm' outside the document; "
        "delete w:attachedTemplate",
        settings='<w:attachedTemplate r:id="rIdTemplate"/>',
        relationships={
            SETTINGS: relationship("rIdTemplate", "attachedTemplate", "file:///C:/Templates/Corporate.dotm")
        },
    ),
    ReferenceTrick(
        "remote-hyperlink",
        "word/document.xml: a hyperlink to 'https://example.com/' outside the document; remove the hyperlink",
        body=f'<w:p><w:hyperlink r:id="rIdLink">{run_of("site")}</w:hyperlink></w:p>',
        relationships={DOCUMENT: relationship("rIdLink", "hyperlink", "https://example.com/")},
    ),
    ReferenceTrick(
        "linked-picture",
        "word/document.xml: a linked picture to 'https://example.com/logo.png' outside the document; insert",
        relationships={DOCUMENT: relationship("rIdPicture", "image", "https://example.com/logo.png")},
    ),
    ReferenceTrick(
        "includepicture-field",
        "word/document.xml: field 'INCLUDEPICTURE \"https://example.com/x.png\" \\\\d' fetches a picture; "
        "delete the field",
        body="<w:p><w:fldSimple w:instr=' INCLUDEPICTURE \"https://example.com/x.png\" \\d '/></w:p>",
    ),
    ReferenceTrick(
        "includetext-field-in-pieces",
        "word/document.xml: field 'INCLUDETEXT \"C:\\\\\\\\secret.txt\"' fetches text from a file",
        body=complex_field(" INCLUDE", 'TEXT "C:\\\\secret.txt" '),
    ),
    ReferenceTrick(
        "ddeauto-field",
        "word/document.xml: field 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/c calc\"' asks another program",
        body=complex_field(' DDEAUTO c:\\windows\\system32\\cmd.exe "/c calc" '),
    ),
    ReferenceTrick(
        "hyperlink-field",
        "word/document.xml: field 'HYPERLINK \"https://example.com/\"' links out of the document",
        body="<w:p><w:fldSimple w:instr=' HYPERLINK \"https://example.com/\" '/></w:p>",
    ),
    ReferenceTrick(
        "alt-chunk",
        "word/document.xml: an imported file (w:altChunk); delete it",
        body='<w:altChunk r:id="rIdChunk"/>',
        relationships={DOCUMENT: relationship("rIdChunk", "aFChunk", "chunk.html", external=False)},
        parts={"word/chunk.html": b"<html><body><script>alert(1)</script></body></html>"},
        types='<Default Extension="html" ContentType="text/html"/>',
    ),
    ReferenceTrick(
        "linked-ole-object",
        "word/document.xml: an OLE object to 'file:///C:/secret.xlsx' outside the document; delete the object",
        body='<w:p><w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" Type="Link" '
        'ProgID="Excel.Sheet.12" r:id="rIdOle" UpdateMode="Always"/></w:object></w:r></w:p>',
        relationships={DOCUMENT: relationship("rIdOle", "oleObject", "file:///C:/secret.xlsx")},
    ),
    ReferenceTrick(
        "activex-control",
        "word/document.xml: an ActiveX control; delete it",
        body='<w:p><w:r><w:object><w:control r:id="rIdControl" w:name="Button1"/></w:object></w:r></w:p>',
    ),
    ReferenceTrick(
        "macros",
        "word/vbaProject.bin: macros or an embedded object; save the reference as a plain .docx",
        relationships={
            DOCUMENT: '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
            'vbaProject" Target="vbaProject.bin"/>'
        },
        parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really a macro project"},
        types='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
    ),
]


def reference_with(trick: ReferenceTrick) -> Callable[[Path], None]:
    """A templates folder whose reference.docx is the bundled one with the trick added."""

    def setup(templates: Path) -> None:
        with zipfile.ZipFile(TEMPLATES / "reference.docx") as bundled:
            parts = {name: bundled.read(name) for name in bundled.namelist()}
        parts[DOCUMENT] = parts[DOCUMENT].replace(b"<w:sectPr", trick.body.encode() + b"<w:sectPr", 1)
        if trick.settings:
            parts[SETTINGS] = parts[SETTINGS].replace(b"</w:settings>", trick.settings.encode() + b"</w:settings>")
        for part, added in (trick.relationships or {}).items():
            folder, _, name = part.rpartition("/")
            rels = f"{folder}/_rels/{name}.rels"
            empty = f'<?xml version="1.0"?><Relationships xmlns="{TYPES.replace("content-types", "relationships")}">'
            existing = parts.get(rels, (empty + "</Relationships>").encode())
            parts[rels] = existing.replace(b"</Relationships>", added.encode() + b"</Relationships>")
        parts.update(trick.parts or {})
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", trick.types.encode() + b"</Types>"
        )
        with zipfile.ZipFile(templates / "reference.docx", "w") as reference:
            for name, data in parts.items():
                reference.writestr(name, data)

    return setup


@pytest.mark.parametrize("trick", REFERENCE_TRICKS, ids=[t.id for t in REFERENCE_TRICKS])
def test_a_reference_document_that_links_out_embeds_or_runs_is_refused(
    trick: ReferenceTrick, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert_refused(*run(tmp_path, "docx", reference_with(trick)), f"{REFERENCE}: {trick.expected}")
    assert docx_violations(tmp_path / "templates" / "reference.docx")  # the tests' own reading sees it too


def test_a_macro_enabled_reference_is_refused_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    main_part = "wordprocessingml.document.main+xml"

    def docm(templates: Path) -> None:
        reference_with(REFERENCE_TRICKS[-1])(templates)  # the macro project, and the .docm content type
        path = templates / "reference.docx"
        with zipfile.ZipFile(path) as package:
            parts = {name: package.read(name) for name in package.namelist()}
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            f"application/vnd.openxmlformats-officedocument.{main_part}".encode(),
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        )
        with zipfile.ZipFile(path, "w") as package:
            for name, data in parts.items():
                package.writestr(name, data)

    exit_code, output, out = run(tmp_path, "docx", docm)
    assert_refused(exit_code, output, out, f"{REFERENCE}: [Content_Types].xml: a content type of macroEnabled")


# --- the PDF check, on what WeasyPrint really writes ------------------------------


def test_the_pdf_check_finds_weasyprints_own_links_and_attachments(tmp_path: Path) -> None:
    """Behind the page check: a PDF laid out without it carries a link out, an attached file
    and a file-attachment annotation; the render-time check and pikepdf both find them."""
    (tmp_path / "notes.txt").write_text("notes", encoding="utf-8")
    page = (
        '<link rel="attachment" href="notes.txt"><a href="https://example.com/">x</a>'
        '<a rel="attachment" href="notes.txt">notes</a>'
    )
    objects: list[object] = []
    data = HTML(string=page, base_url=f"{tmp_path}/", url_fetcher=AssetFetcher(tmp_path)).write_pdf(
        finisher=lambda _, pdf: objects.extend([*pdf.objects, pdf.info])
    )
    problems = " ".join(pdf_problems(objects))
    assert "a link out of the document to 'https://example.com/' (/S /URI)" in problems
    assert "attached files (/EmbeddedFiles)" in problems
    assert "an attached file (/Subtype /FileAttachment)" in problems
    (tmp_path / "attack.pdf").write_bytes(data)
    found = pdf_violations(tmp_path / "attack.pdf")
    assert {"action /URI", "key /EmbeddedFiles", "annotation /FileAttachment"} <= set(found)


def test_behind_the_page_check_the_pdf_check_refuses_the_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were the page check to miss a link and an attachment, the PDF's own check stops the
    render before anything is written, naming the templates folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("jobdesc.renderers.pdf.check_policy", lambda *_: None)

    def page(templates: Path) -> None:
        snippet = '<a href="https://example.com/">x</a><link rel="attachment" href="notes.txt">'
        page = BUNDLED_PAGE.replace("<body>", f"<body>{snippet}", 1)
        (templates / "document.html.j2").write_text(page, encoding="utf-8")

    exit_code, output, out = run(tmp_path, "pdf", page)
    assert_refused(
        exit_code, output, out, "templates: PDF: would carry a link out of the document to 'https://example.com/'"
    )
    assert "templates: PDF: would carry attached files (/EmbeddedFiles)" in output


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("fonts/LiberationSerif-Regular.ttf", False),
        ("./logo.png", False),
        ("#clause-3", False),
        ("logo.png?v=2", False),
        ("HTTPS://example.com/x.png", True),
        ("  javascript:alert(1)", True),
        ("java\tscript:alert(1)", True),  # a browser drops the tab
        ("data:image/png;base64,AAAA", True),
        ("//example.com/x.png", True),
        ("\\\\server\\share\\x.png", True),
        ("/\\example.com/x.png", True),
        ("/etc/passwd", True),
        ("../secret.png", True),
        ("fonts/..\\..\\secret.png", True),
        ("%2e%2e/secret.png", True),
    ],
)
def test_an_address_is_a_relative_path_inside_the_templates_folder_or_refused(address: str, refused: bool) -> None:
    assert outside(address) is refused


def test_every_address_in_css_is_found_however_it_is_written() -> None:
    css = r"""
        @import "a.css"; @import url('b.css');
        p { background: url( c.png ) } q { background: URL("d.png") }
        r { background: u\72 l(e.png) } /* url(commented.png) */
        s { background: image-set("f.png" 1x, 'g.png' 2x) }
    """
    assert sorted(css_addresses(css)) == ["a.css", "b.css", "c.png", "d.png", "e.png", "f.png", "g.png"]


def test_the_bundled_templates_pass_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    def copy(templates: Path) -> None:
        shutil.copytree(TEMPLATES, templates, dirs_exist_ok=True)

    exit_code, output, out = run(tmp_path, "pdf,docx,html", copy)
    assert exit_code == 0, output
    assert pdf_violations(out / "account-manager_bg_bg-BG.pdf") == []
    assert docx_violations(out / "account-manager_bg_bg-BG.docx") == []
    html = (out / "account-manager_bg_bg-BG.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert re.findall(r"(?:src|href)=\"([^\"]*)\"", html) == []  # self-contained: print.css is inlined
