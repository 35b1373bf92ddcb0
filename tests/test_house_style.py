"""An organisation's own look: HR puts the company logo beside the organisation file and names
it, with the house font, body size and accent colour; the PDF and the DOCX both carry them, the
logo inside each file. The bundled font stays the default and covers all eleven languages."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import libreoffice_to_pdf, require
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw

from jobdesc.batch import run_batch
from jobdesc.bundle import Bundle
from jobdesc.cli import main
from jobdesc.paths import PROFILES, TEMPLATES

ACCENT = (0x1F, 0x4E, 0x79)
RED = (200, 30, 30)
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80">'
    '<rect x="0" y="0" width="200" height="80" fill="#1f4e79"/><circle cx="40" cy="40" r="25" fill="#ffcc00"/></svg>'
)
CM = 72 / 2.54  # points


def organisation(
    folder: Path, logo: str, style: str = '{font: Liberation Serif, size: "11", accent: "#1F4E79"}'
) -> Path:
    """The bundled Bulgarian sample as a company's own file, in its own folder, with a logo and a style."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (PROFILES / "organisations" / "bg.yaml").read_text(encoding="utf-8")
    path = folder / "acme.yaml"
    path.write_text(f"{text.rstrip()}\nlogo: {logo}\nstyle: {style}\n", encoding="utf-8")
    return path


def red_png(path: Path) -> Path:
    image = Image.new("RGB", (400, 160), RED)
    ImageDraw.Draw(image).rectangle([150, 40, 250, 120], fill="white")
    image.save(path)
    return path


def render(org: Path, out: Path, formats: str = "pdf,docx") -> dict[str, Path]:
    result = CliRunner().invoke(main, ["render", "--org", str(org), "--format", formats, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return {path.suffix[1:]: path for path in out.iterdir()}


@pytest.fixture(scope="module")
def styled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """The same company with a PNG logo and with an SVG logo, each rendered to PDF and DOCX;
    the DOCX files also laid out by LibreOffice (one run)."""
    root = tmp_path_factory.mktemp("company")
    for kind in ("png", "svg"):
        (root / kind).mkdir()
    red_png(root / "png" / "logo.png")
    (root / "svg" / "logo.svg").write_text(SVG, encoding="utf-8")
    made = {kind: render(organisation(root / kind, f"logo.{kind}"), root / f"out-{kind}") for kind in ("png", "svg")}
    for kind, files in made.items():
        renamed = files["docx"].with_name(f"{kind}.docx")
        files["docx"].rename(renamed)
        files["docx"] = renamed
    libreoffice_to_pdf([files["docx"] for files in made.values()], root / "lo", tmp_path_factory.mktemp("lo-profile"))
    for kind, files in made.items():
        files["docx-laid-out"] = root / "lo" / f"{kind}.pdf"
    return made


def page_image(pdf: Path, folder: Path) -> Image.Image:
    """Page 1 at 72 dpi: one pixel per point."""
    subprocess.run(
        [require("pdftoppm"), "-r", "72", "-f", "1", "-l", "1", "-png", str(pdf), str(folder / "p")], check=True
    )
    (png,) = folder.glob("p*.png")
    return Image.open(png).convert("RGB")


def coloured_share(image: Image.Image, box: tuple[float, float, float, float], colour: tuple[int, int, int]) -> float:
    """The share of the pixels in ``box`` (points) that are near ``colour``."""
    crop = image.crop(tuple(round(v) for v in box))
    near = sum(count for count, pixel in crop.getcolors(crop.width * crop.height) or [] if _near(pixel, colour))
    return near / max(crop.width * crop.height, 1)


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


def test_the_pdf_shows_the_png_logo_top_left(styled: dict[str, dict[str, Path]], tmp_path: Path) -> None:
    pdf = styled["png"]["pdf"]
    listed = subprocess.run([require("pdfimages"), "-list", str(pdf)], check=True, capture_output=True, text=True)
    assert re.search(r"^\s+1\s+0\s+image\s+400\s+160\s", listed.stdout, re.MULTILINE), listed.stdout
    with pdfplumber.open(pdf) as document:
        (image,) = document.pages[0].images
    box = (image["x0"], image["top"], image["x1"], image["bottom"])
    assert box[0] == pytest.approx(2.5 * CM, abs=1) and box[1] == pytest.approx(2 * CM, abs=1)  # the page's margins
    assert box[2] - box[0] == pytest.approx(5 * CM, abs=1)  # 400 x 160 fits 5 x 2 cm exactly
    assert coloured_share(page_image(pdf, tmp_path), box, RED) > 0.8  # the red frame around a white square


def test_the_pdf_shows_the_svg_logo_in_the_same_box(styled: dict[str, dict[str, Path]], tmp_path: Path) -> None:
    box = (2.5 * CM + 2, 2 * CM + 2, 7.5 * CM - 2, 4 * CM - 2)
    image = page_image(styled["svg"]["pdf"], tmp_path)
    assert coloured_share(image, box, ACCENT) > 0.6
    assert coloured_share(image, box, (0xFF, 0xCC, 0x00)) > 0.05


def test_the_pdf_uses_the_style(styled: dict[str, dict[str, Path]]) -> None:
    with pdfplumber.open(styled["png"]["pdf"]) as document:
        words = document.pages[0].extract_words(extra_attrs=["size", "non_stroking_color", "fontname"])
    title = next(w for w in words if w["text"] == "ДЛЪЖНОСТНА")
    assert tuple(round(c * 255) for c in title["non_stroking_color"]) == ACCENT
    body = [w for w in words if w["text"] == "Длъжността"]
    assert body and all(w["size"] == pytest.approx(11, abs=0.01) for w in body), [w["size"] for w in body]
    assert {w["fontname"].split("+")[-1] for w in words} <= {"Liberation-Serif", "Liberation-Serif-Bold"}


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_the_docx_embeds_the_logo_and_links_nothing(styled: dict[str, dict[str, Path]], kind: str) -> None:
    with zipfile.ZipFile(styled[kind]["docx"]) as package:
        media = [name for name in package.namelist() if name.startswith("word/media/")]
        relations = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".rels"))
        body = package.read("word/document.xml").decode()
    assert any(name.endswith(f".{kind}") for name in media)
    assert "TargetMode" not in relations  # every relationship is to a part inside the package
    assert "<w:drawing>" in body and ("svgBlip" in body) == (kind == "svg")


def test_the_docx_logo_is_on_page_one_in_libreoffice(styled: dict[str, dict[str, Path]], tmp_path: Path) -> None:
    laid_out = styled["png"]["docx-laid-out"]
    listed = subprocess.run(
        [require("pdfimages"), "-f", "1", "-l", "1", "-list", str(laid_out)], capture_output=True, text=True
    )
    assert re.search(r"^\s+1\s+\d+\s+image\s+400\s+160\s", listed.stdout, re.MULTILINE), listed.stdout
    with pdfplumber.open(laid_out) as document:
        (image,) = document.pages[0].images
        words = document.pages[0].extract_words(extra_attrs=["non_stroking_color"])
    box = (image["x0"], image["top"], image["x1"], image["bottom"])
    assert box[2] - box[0] == pytest.approx(5 * CM, abs=1)
    assert coloured_share(page_image(laid_out, tmp_path), box, RED) > 0.8
    title = next(w for w in words if w["text"] == "ДЛЪЖНОСТНА")
    assert tuple(round(c * 255) for c in title["non_stroking_color"]) == ACCENT


def test_the_docx_styles_take_the_font_and_size(styled: dict[str, dict[str, Path]]) -> None:
    with zipfile.ZipFile(styled["png"]["docx"]) as package:
        styles = package.read("word/styles.xml").decode()
    assert "Times New Roman" not in styles and 'w:ascii="Liberation Serif"' in styles
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S)
    assert normal and '<w:sz w:val="22"/>' in normal.group(0)


# --- what HR can get wrong, each named at its line -------------------------------------------


def bad_case(tmp_path: Path, logo: str, style: str, files: dict[str, str | bytes]) -> str:
    folder = tmp_path / "company"
    org = organisation(folder, logo, style)
    for name, content in files.items():
        target = folder / name if not name.startswith("../") else tmp_path / name[3:]
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", "--org", str(org), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not out.exists()
    return result.output


STYLE = '{accent: "#1f4e79"}'
BAD = [
    ("outside", "../logo.png", STYLE, {"../logo.png": SVG}, "logo: ",
     "'../logo.png' is not a file name inside this folder"),
    ("missing", "logo.png", STYLE, {}, "logo: ", "logo.png: cannot be read: No such file or directory"),
    ("not-an-image", "logo.png", STYLE, {"logo.png": "hello"}, "logo: logo.png: ", "not a PNG or SVG image"),
    ("script", "logo.svg", STYLE, {"logo.svg": SVG.replace("</svg>", "<script>alert(1)</script></svg>")},
     "logo: logo.svg: ", "an SVG with a <script> element"),
    ("remote-image", "logo.svg", STYLE, {"logo.svg": SVG.replace("</svg>", '<image href="http://x/a.png"/></svg>')},
     "logo: logo.svg: ", "an SVG referring to 'http://x/a.png'"),
    ("file-in-css", "logo.svg", STYLE, {"logo.svg": SVG.replace('fill="#ffcc00"', 'fill="url(file:///etc/x)"')},
     "logo: logo.svg: ", "an SVG referring to url(file:///etc/x)"),
    ("entities", "logo.svg", STYLE, {"logo.svg": '<!DOCTYPE svg [<!ENTITY a "b">]>' + SVG},
     "logo: logo.svg: ", "an SVG with a DOCTYPE or entities"),
    ("no-size", "logo.svg", STYLE, {"logo.svg": SVG.replace(' viewBox="0 0 200 80"', "")},
     "logo: logo.svg: ", "an SVG without a size"),
    ("huge-png", "logo.png", STYLE, {"logo.png": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\1\0\0\0\1\0\0\x08\x02\0\0\0"},
     "logo: logo.png: ", "65536 x 65536 pixels is over 40,000,000"),
    ("colour", "logo.svg", '{accent: red}', {"logo.svg": SVG}, "style.accent: ",
     "'red' is not a colour written #rrggbb"),
    ("size", "logo.svg", '{size: "40"}', {"logo.svg": SVG}, "style.size: ", "expected a size in points from 7 to 18"),
    ("font", "logo.svg", "{font: Comic Sans}", {"logo.svg": SVG}, "style.font: ",
     "the templates have no font 'Comic Sans'; their fonts: Liberation Serif"),
]  # fmt: skip


@pytest.mark.parametrize(("logo", "style", "files", "field", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_a_bad_logo_or_style_is_named_at_its_line(
    tmp_path: Path, logo: str, style: str, files: dict[str, str | bytes], field: str, message: str
) -> None:
    output = bad_case(tmp_path, logo, style, files)
    line = len((PROFILES / "organisations" / "bg.yaml").read_text(encoding="utf-8").rstrip().splitlines()) + 1
    line += field.startswith("style")
    assert re.search(rf"acme\.yaml:{line}(:\d+)?: {re.escape(field)}", output), output
    assert message in output


# --- the bundled font -----------------------------------------------------------------------

LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
CYRILLIC = "".join(chr(c) for c in range(0x410, 0x450))
ALPHABETS = {
    "bg": CYRILLIC, "ru": CYRILLIC + "Ёё", "uk": CYRILLIC + "ЄєІіЇїҐґ'",
    "de": LATIN + "ÄÖÜäöüß", "en": LATIN, "es": LATIN + "ÁÉÍÓÚÑÜáéíóúñü¿¡ªº",
    "fr": LATIN + "ÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸàâæçéèêëîïôœùûüÿ", "it": LATIN + "ÀÈÉÌÍÎÒÓÙÚàèéìíîòóùú",
    "pl": LATIN + "ĄĆĘŁŃÓŚŹŻąćęłńóśźż", "pt": LATIN + "ÀÁÂÃÇÉÊÍÓÔÕÚàáâãçéêíóôõú",
    "ro": LATIN + "ĂÂÎȘȚăâîșțŞŢşţ",
}  # fmt: skip
PUNCTUATION = "„“”«»‹›‚‘’–—…№§°\u00a0\u202f\u2009\u00ad\u2010"


@pytest.mark.parametrize("face", ["LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"])
@pytest.mark.parametrize("language", sorted(ALPHABETS))
def test_the_bundled_font_has_every_letter_of_each_language(face: str, language: str) -> None:
    cmap = TTFont(TEMPLATES / "fonts" / face).getBestCmap()
    missing = [ch for ch in ALPHABETS[language] + PUNCTUATION + "0123456789" if ord(ch) not in cmap]
    assert missing == []


def test_a_batch_renders_again_when_only_the_logo_changed(tmp_path: Path) -> None:
    """The logo is an input of each variant like the organisation file itself: a new logo is
    not skipped as unchanged."""
    profiles = tmp_path / "profiles"
    shutil.copytree(PROFILES, profiles)
    org = organisation(profiles / "organisations", "acme-logo.png", STYLE)
    org.rename(profiles / "organisations" / "acme.yaml")
    logo = red_png(profiles / "organisations" / "acme-logo.png")
    batch = tmp_path / "acme.yaml"
    batch.write_text("roles: [account-manager]\njurisdictions: [bg]\nformats: [html]\norganisation: acme\n")
    out = tmp_path / "out"
    statuses = []
    for change in (None, None, "blue"):
        if change:
            Image.new("RGB", (300, 100), change).save(logo)
        result = run_batch(batch, out, workers=1, bundle=Bundle(profiles))
        statuses.append([o.status for o in result.outcomes])
    assert statuses == [["rendered"], ["skipped"], ["rendered"]]
    (page,) = out.glob("*.html")
    assert base64.b64encode(logo.read_bytes()).decode() in page.read_text(encoding="utf-8")
