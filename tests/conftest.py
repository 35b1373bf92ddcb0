"""Shared fixtures: every language rendered once, and read back by real clients.

The PDF is read with poppler's pdftotext; the DOCX is opened by LibreOffice
(headless), laid out and saved as PDF, then read the same way, so the DOCX
checks see what a Word/LibreOffice user sees, page numbers and list numbers
included. scripts/setup --test installs both tools.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from jobdesc.i18n import LANGUAGES
from jobdesc.model import Document
from jobdesc.pipeline import Request, build_document, render

TESTS = Path(__file__).parent
DATA = TESTS / "data"
# Each language with the jurisdiction it is usually written for.
JURISDICTION_OF = {
    "bg": "bg", "de": "de", "en": "gb", "es": "es", "fr": "fr", "it": "it",
    "pl": "pl", "pt": "pt", "ro": "ro", "ru": "ru", "uk": "ua",
}  # fmt: skip


def require(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is missing: run 'bash scripts/setup --test'"
    return path


A4_BODY = ["-x", "0", "-y", "0", "-W", "595", "-H", "780"]  # points: the page without its footer


def pdf_text(
    path: Path, first: int | None = None, last: int | None = None, mode: str = "-layout", body_only: bool = False
) -> str:
    """The text as laid out on the page (``-layout``) or in the order it was drawn (``-raw``,
    which keeps a table cell's wrapped lines together). ``body_only`` leaves out the footer,
    which would otherwise stand inside a clause that runs onto the next page."""
    args = [require("pdftotext"), mode, "-enc", "UTF-8", *(A4_BODY if body_only else [])]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run([require("pdfinfo"), str(path)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def libreoffice_to_pdf(files: list[Path], out_dir: Path, profile: Path) -> None:
    """One soffice call for the whole set (its start-up costs seconds)."""
    command = [
        require("soffice"),
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=600)


@dataclass(frozen=True)
class Rendered:
    language: str
    document: Document
    pdf: Path  # ours, from WeasyPrint
    docx: Path  # ours, from python-docx
    docx_as_pdf: Path  # the DOCX as LibreOffice lays it out

    def read_back(self, fmt: str) -> Path:
        """The PDF a reader of that format sees."""
        return self.pdf if fmt == "pdf" else self.docx_as_pdf


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    out = tmp_path_factory.mktemp("out")
    made = {}
    for language in LANGUAGES:
        request = Request(language=language, jurisdiction=JURISDICTION_OF[language], formats=("pdf", "docx"))
        document, _ = build_document(request)
        files = {path.suffix: path for path in render(request, out)}
        made[language] = (document, files[".pdf"], files[".docx"])
    converted = tmp_path_factory.mktemp("libreoffice")
    libreoffice_to_pdf([docx for _, _, docx in made.values()], converted, tmp_path_factory.mktemp("lo-profile"))
    return {
        language: Rendered(language, document, pdf, docx, converted / f"{docx.stem}.pdf")
        for language, (document, pdf, docx) in made.items()
    }


@pytest.fixture(scope="session")
def bundled_batches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every bundled batch file rendered once (two workers), for the checks that read the
    whole matrix: its output folder by batch name. A failed variant fails the fixture."""
    from jobdesc.batch import run_batch
    from jobdesc.paths import PROFILES

    folders = {}
    for batch in sorted((PROFILES / "batches").glob("*.yaml")):
        out = tmp_path_factory.mktemp(batch.stem)
        result = run_batch(batch, out, workers=2)
        assert [o.error for o in result.failed] == [], batch.name
        folders[batch.stem] = out
    return folders


def edit_clause_text(path: Path, clause: str, language: str, added: str) -> None:
    """Add ``added`` at the end of one clause's text in one language, as a lawyer editing
    the file would (the line after ``- id: clause`` or ``- replace: clause`` that holds it)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() in (f"- id: {clause}", f"- replace: {clause}"))
    line = next(i for i in range(start, len(lines)) if lines[i].strip().startswith(f"{language}:"))
    text = lines[line].rstrip()
    quoted = text[-1] in "'\""
    body, end = (text[:-1], text[-1]) if quoted else (text, "")
    lines[line] = f"{body} {added}{end}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
