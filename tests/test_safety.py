"""Profiles come from other people: their text is printed, never run or fetched."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import DATA

from jobdesc.assemble import assemble
from jobdesc.completeness import check_complete
from jobdesc.errors import RenderError
from jobdesc.i18n import parse_language
from jobdesc.model import Document
from jobdesc.paths import TEMPLATES
from jobdesc.profile import load_jurisdiction, load_organisation, load_role
from jobdesc.renderers import Output, RenderOptions, get_renderer
from jobdesc.renderers.pdf import AssetFetcher


def document_with_duty(tmp_path: Path, text: str) -> Document:
    source = (DATA / "roles" / "minimal.yaml").read_text(encoding="utf-8")
    role_path = tmp_path / "role.yaml"
    role_path.write_text(source.replace("Register incoming mail.", text), encoding="utf-8")
    return assemble(
        load_role(role_path),
        load_organisation(DATA / "orgs" / "valid.yaml"),
        load_jurisdiction(DATA / "overlays" / "jurisdictions" / "bg.yaml"),
        parse_language("en"),
    )


def test_markup_in_a_clause_is_printed_not_interpreted(tmp_path: Path) -> None:
    document = document_with_duty(tmp_path, "'<b>Bold</b> <img src=http://example.com/x.png> <!--'")
    html = get_renderer("html")(document, RenderOptions()).data.decode("utf-8")
    assert "&lt;b&gt;Bold&lt;/b&gt; &lt;img src=http://example.com/x.png&gt; &lt;!--" in html
    pdf = get_renderer("pdf")(document, RenderOptions())
    check_complete(document, pdf, "pdf")  # the clauses after the "<!--" are all there


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://example.com/logo.png", "data:text/plain,hello", f"file://{TEMPLATES}/../README.md"],
)
def test_the_pdf_fetcher_serves_only_template_assets(url: str) -> None:
    with pytest.raises(PermissionError, match="refused to fetch"):
        AssetFetcher().fetch(url)


def test_the_pdf_fetcher_serves_the_bundled_fonts() -> None:
    response = AssetFetcher().fetch(f"file://{TEMPLATES}/fonts/LiberationSerif-Regular.ttf")
    assert response.read(4) == b"\x00\x01\x00\x00"


def test_a_missing_clause_stops_the_run(tmp_path: Path) -> None:
    document = document_with_duty(tmp_path, "Register incoming mail.")
    full = get_renderer("html")(document, RenderOptions())
    dropped = dataclasses.replace(full, text=full.text.replace("Register incoming mail.", ""))
    with pytest.raises(RenderError, match=r"clause 1\. \('register-mail'\) is missing or cut short"):
        check_complete(document, dropped, "html")


def test_a_clause_out_of_order_stops_the_run(tmp_path: Path) -> None:
    document = document_with_duty(tmp_path, "Register incoming mail.")
    clauses = document.clauses()
    swapped = " ".join(f"{c.number} {c.text}" for c in (clauses[1], clauses[0], *clauses[2:]))
    with pytest.raises(RenderError, match="is out of order"):
        check_complete(document, Output(b"", swapped, numbered=True), "pdf")
