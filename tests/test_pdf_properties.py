"""What a printer, an archive and a reader's PDF viewer rely on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import Rendered, require

from jobdesc.i18n import LANGUAGES

every_language = pytest.mark.parametrize("language", LANGUAGES)


@every_language
def test_every_font_is_embedded(rendered: dict[str, Rendered], language: str) -> None:
    table = subprocess.run(
        [require("pdffonts"), str(rendered[language].pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert table, "no fonts listed"
    for row in table:
        assert row.split()[-5] == "yes", row  # the "emb" column


@every_language
def test_the_pdf_is_structurally_sound(rendered: dict[str, Rendered], language: str) -> None:
    check = subprocess.run([require("qpdf"), "--check", str(rendered[language].pdf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@every_language
def test_title_author_and_language_are_in_the_pdf(rendered: dict[str, Rendered], language: str, tmp_path: Path) -> None:
    result = rendered[language]
    info = subprocess.run([require("pdfinfo"), str(result.pdf)], check=True, capture_output=True, text=True).stdout
    assert f"Author:          {result.document.author}" in info
    assert result.document.title in info
    # The document catalog sits in a compressed object stream: let qpdf write it out plainly.
    plain = tmp_path / "plain.pdf"
    subprocess.run([require("qpdf"), "--qdf", "--object-streams=disable", str(result.pdf), str(plain)], check=True)
    assert f"/Lang ({result.document.language})".encode() in plain.read_bytes()
