"""An archivist's story: the PDF a validator accepts, and nothing in it that could act.

veraPDF is not installable from the registries here, so full PDF/A conformance is not
validated offline; these checks cover what an archive's intake policy looks at.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import require

from jobdesc.pipeline import Request, build_document, render
from jobdesc.renderers import RenderOptions

VARIANTS = [None, "pdf/a-3b", "pdf/ua-1"]


@pytest.fixture(scope="module", params=VARIANTS, ids=["default", "pdf-a-3b", "pdf-ua-1"])
def pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str | None, Path]:
    out = tmp_path_factory.mktemp("archival")
    (path,) = render(Request(formats=("pdf",)), out, options=RenderOptions(pdf_variant=request.param))
    return request.param, path


def every_object(document: pikepdf.Pdf) -> list[pikepdf.Object]:
    return [obj for obj in document.objects if isinstance(obj, pikepdf.Dictionary)]


def test_nothing_in_the_pdf_can_act_or_carry_a_file(pdf: tuple[str | None, Path]) -> None:
    with pikepdf.open(pdf[1]) as document:
        names = document.Root.get("/Names", pikepdf.Dictionary())
        assert "/EmbeddedFiles" not in names and "/JavaScript" not in names
        assert "/OpenAction" not in document.Root and "/AA" not in document.Root
        for obj in every_object(document):
            assert "/JS" not in obj and "/AA" not in obj, obj
            assert obj.get("/S") not in (pikepdf.Name.JavaScript, pikepdf.Name.Launch, pikepdf.Name.URI)
            assert obj.get("/Type") != pikepdf.Name.Filespec


def test_the_pdf_is_tagged_with_its_language_and_metadata(pdf: tuple[str | None, Path]) -> None:
    with pikepdf.open(pdf[1]) as document:
        assert "/StructTreeRoot" in document.Root
        assert bool(document.Root.MarkInfo.Marked)
        assert str(document.Root.Lang) == "bg-BG"
        info = document.docinfo
        model, _ = build_document(Request())
        assert str(info.Title).startswith("ДЛЪЖНОСТНА ХАРАКТЕРИСТИКА")
        assert str(info.Author) == model.author  # the organisation, in the document's language
        assert model.subject.split(" — ")[-1] in str(info.Subject)


def test_an_archival_pdf_identifies_itself_and_carries_an_output_intent(pdf: tuple[str | None, Path]) -> None:
    variant, path = pdf
    with pikepdf.open(path) as document:
        xmp = document.open_metadata()
        if variant == "pdf/a-3b":
            assert (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")) == ("3", "B")
            (intent,) = document.Root.OutputIntents
            assert intent.S == pikepdf.Name.GTS_PDFA1 and "/DestOutputProfile" in intent
        elif variant == "pdf/ua-1":
            assert xmp.get("pdfuaid:part") == "1"
            assert bool(document.Root.ViewerPreferences.DisplayDocTitle)
        else:
            assert xmp.get("pdfaid:part") is None


def test_qpdf_finds_no_damage_and_every_font_is_embedded(pdf: tuple[str | None, Path]) -> None:
    path = pdf[1]
    check = subprocess.run([require("qpdf"), "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    fonts = subprocess.run([require("pdffonts"), str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)
