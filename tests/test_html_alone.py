"""A preview mailed to a colleague: the HTML file is saved into a folder with nothing else in
it and opened there. It must look as it does beside the templates: its stylesheet, fonts and
images are inside it, and it asks for nothing from anywhere else."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import pdf_text, require
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from jobdesc.pipeline import Request, build_document, render
from jobdesc.renderers import RenderOptions
from jobdesc.renderers.html import render_html

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


class BodyText(HTMLParser):
    """The text a reader sees: everything outside <head>, <style> and <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("head", "style", "script")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("head", "style", "script")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.chunks.append(data)


def body_text(html: str) -> str:
    parser = BodyText()
    parser.feed(html)
    return " ".join(" ".join(parser.chunks).split())


class References(HTMLParser):
    """Every src and href of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value or "" for name, value in attrs if name in ("src", "href")]


class DataOnly(URLFetcher):  # type: ignore[misc]
    """Serves data: URIs; records and refuses every other URL."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []
        self.served: list[str] = []  # the media types of the data: URIs served

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if not url.startswith("data:"):
            self.asked.append(url)
            raise PermissionError(url)
        self.served.append(url[5:].split(";", 1)[0])
        return super().fetch(url, headers)


@pytest.fixture(scope="module", params=[("bg", "bg"), ("es", "es")], ids=["bg", "es"])
def alone(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Request, Path]:
    """The page rendered, then copied alone into an empty folder."""
    language, jurisdiction = request.param
    job = Request(language=language, jurisdiction=jurisdiction, formats=("html",))
    (page,) = render(job, tmp_path_factory.mktemp("out"))
    folder = tmp_path_factory.mktemp("alone")
    shutil.copy(page, folder / page.name)
    return job, folder / page.name


def test_the_page_references_no_file(alone: tuple[Request, Path]) -> None:
    html = alone[1].read_text(encoding="utf-8")
    parser = References()
    parser.feed(html)
    assert [ref for ref in parser.found if not ref.startswith(("data:", "#"))] == []
    assert [u for u in re.findall(r"url\(\s*['\"]?([^'\")]*)", html) if not u.startswith(("data:", "#"))] == []
    assert "@import" not in html
    assert "<style>" in html and "@font-face" in html


def test_its_text_is_the_text_the_pdf_is_printed_from(alone: tuple[Request, Path]) -> None:
    job, page = alone
    document, _ = build_document(job)
    assert body_text(page.read_text(encoding="utf-8")) == body_text(render_html(document, RenderOptions()))


def test_opened_alone_it_has_its_fonts_and_styles(alone: tuple[Request, Path], tmp_path: Path) -> None:
    """Laid out by WeasyPrint from the lone file, with a fetcher that serves data: URIs only:
    the bundled fonts are used (bold headings included) and the print styles hold (A4, the footer)."""
    pdf = tmp_path / "alone.pdf"
    fetcher = DataOnly()
    HTML(filename=str(alone[1]), url_fetcher=fetcher).write_pdf(pdf)
    assert fetcher.asked == []
    assert fetcher.served.count("font/ttf") == 2  # the regular and the bold face, from the page itself
    fonts = subprocess.run([require("pdffonts"), str(pdf)], check=True, capture_output=True, text=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert names == {"Liberation-Serif", "Liberation-Serif-Bold"}
    info = subprocess.run([require("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    first = pdf_text(pdf, 1, 1)
    assert re.search(r"(Страница|Página) 1 (от|de) \d", first)


def test_a_headless_browser_prints_it_with_its_fonts(alone: tuple[Request, Path], tmp_path: Path) -> None:
    browser = next((b for b in BROWSERS if shutil.which(b)), None) or require("chromium")
    pdf = tmp_path / "browser.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
         alone[1].as_uri()],  # fmt: skip
        check=True,
        capture_output=True,
        timeout=120,
    )
    fonts = subprocess.run([require("pdffonts"), str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "LiberationSerif" in fonts
    # What the browser printed holds every clause, whole and in order.
    document, _ = build_document(alone[0])
    printed = re.sub(r"[\s\u00ad-]+", "", pdf_text(pdf, mode="-raw", body_only=True))  # without the footers
    position = 0
    for clause in document.clauses():
        found = printed.find(re.sub(r"[\s\u00ad-]+", "", clause.text), position)
        assert found >= 0, f"{clause.number} {clause.id} is not in what the browser printed"
        position = found
