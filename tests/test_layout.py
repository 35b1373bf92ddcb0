"""The layout check (jobdesc/layout.py): one fixture that breaks each rule, one that breaks none,
and every PDF of every bundled batch.

The fixtures in tests/data/layout/ are small HTML pages in the template's list markup, styled by
the bundled templates/print.css (and its Liberation Serif); each is rendered here to tmp_path.
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import DATA
from weasyprint import HTML

from jobdesc.layout import RULES, Finding, Margins, check_pdf, css_margins, print_css_margins
from jobdesc.paths import TEMPLATES

FIXTURES = DATA / "layout"
CM = 72 / 2.54


def render_fixture(name: str, folder: Path) -> Path:
    pdf = folder / f"{name}.pdf"
    HTML(filename=str(FIXTURES / f"{name}.html"), base_url=f"{TEMPLATES}/").write_pdf(pdf)
    return pdf


@pytest.mark.parametrize(
    ("rule", "page", "quoted"),
    [
        ("stranded-word", 1, '"2. Contact"'),
        ("number-alone", 1, '"1."'),
        ("near-empty-page", 1, '"1. Sales targets met."'),
        ("outside-content-box", 1, '"weekly-sales-reports-for-the-head-of-sales'),
    ],
)
def test_each_fixture_breaks_its_rule_alone(rule: str, page: int, quoted: str, tmp_path: Path) -> None:
    findings = check_pdf(render_fixture(rule, tmp_path))
    assert [(f.page, f.rule) for f in findings] == [(page, rule)], findings
    assert quoted in findings[0].message


def test_every_rule_has_a_fixture() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.html")) == sorted([*RULES, "passing"])


def test_a_right_document_has_no_findings(tmp_path: Path) -> None:
    """Two pages of clauses, nested ones and German justified text: nothing to report."""
    pdf = render_fixture("passing", tmp_path)
    assert check_pdf(pdf) == []
    assert len(HTML(filename=str(FIXTURES / "passing.html"), base_url=f"{TEMPLATES}/").render().pages) == 2


def test_the_geometry_is_print_css() -> None:
    assert print_css_margins() == pytest.approx(Margins(2 * CM, 2 * CM, 2.2 * CM, 2.5 * CM))


@pytest.mark.parametrize(
    ("css", "margins"),
    [
        ("@page { margin: 1cm }", Margins(CM, CM, CM, CM)),
        ("@page { size: A4; margin: 10pt 20pt; }", Margins(10, 20, 10, 20)),
        ("@page{margin:1in 2pt 3px}", Margins(72, 2, 2.25, 2)),
        ("@page { @bottom-center { margin: 9cm } margin: 1pt 2pt 3pt 4pt }", None),
    ],
)
def test_css_margins_reads_the_page_rule(css: str, margins: Margins | None) -> None:
    if margins is None:  # the page rule's own margin comes after a margin box: not read
        with pytest.raises(ValueError, match="sets no margin"):
            css_margins(css)
    else:
        assert css_margins(css) == pytest.approx(margins)


def test_a_finding_reads_as_one_line() -> None:
    finding = Finding(3, "number-alone", '"4." has no text beside it')
    assert str(finding) == 'page 3: number-alone: "4." has no text beside it'


def test_rendering_never_imports_pdfplumber() -> None:
    code = "import sys, jobdesc.cli, jobdesc.layout; assert 'pdfplumber' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_bundled_pdf_is_right(bundled_batches: dict[str, Path]) -> None:
    pdfs = sorted(pdf for folder in bundled_batches.values() for pdf in folder.glob("*.pdf"))
    assert pdfs, "the bundled batches wrote no PDF"
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        found = dict(zip(pdfs, pool.map(check_pdf, pdfs), strict=True))
    report = [f"{pdf.name}: {finding}" for pdf, findings in found.items() for finding in findings]
    print("\n".join(report))
    assert report == [], f"{len(report)} layout finding(s) in {len(pdfs)} PDFs:\n" + "\n".join(report)
