"""The sign-off procedure: agree, approve, verify, and notice any change made after signing.

A throw-away certificate authority issues the signers' keys. Validity is judged by
pyHanko's overall verdict, not only 'intact': an edit appended after a signature leaves
the signed bytes intact while the document is no longer what was signed.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner, Result
from conftest import edit_clause_text, require
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from jobdesc.bundle import Bundle
from jobdesc.cli import main
from jobdesc.model import Document
from jobdesc.paths import PROFILES
from jobdesc.pipeline import Request, build_document

PASSPHRASE = "correct horse"


def certificate(
    name: str, key: rsa.RSAPrivateKey, issuer: x509.Certificate | None, issuer_key: rsa.RSAPrivateKey
) -> x509.Certificate:
    """A root CA certificate (no issuer) or a signer's certificate issued by it."""
    now = datetime.datetime.now(datetime.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    usage = dict.fromkeys(
        ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
         "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"), False,
    )  # fmt: skip
    if issuer is None:
        usage.update(key_cert_sign=True, crl_sign=True)
    else:
        usage.update(digital_signature=True, content_commitment=True)
    builder = builder.add_extension(x509.KeyUsage(**usage), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A root CA and three signers' PKCS#12 files: the heads of legal and HR, and the managing director."""
    folder = tmp_path_factory.mktemp("pki")
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = certificate("jobdesc test CA", root_key, None, root_key)
    (folder / "ca.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    paths = {"ca": folder / "ca.pem"}
    signers = (("legal", "Мария Стоянова Иванова"), ("director", "Иван Петров Георгиев"), ("hr", "Zoë Ðurić-Łęcka"))
    for who, name in signers:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = certificate(name, key, root, root_key)
        encryption = serialization.BestAvailableEncryption(PASSPHRASE.encode())
        data = pkcs12.serialize_key_and_certificates(who.encode(), key, cert, [root], encryption)
        paths[who] = folder / f"{who}.p12"
        paths[who].write_bytes(data)
    return paths


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Bulgarian instruction as rendered, with its empty signature fields: rendered once."""
    out = tmp_path_factory.mktemp("draft")
    result = CliRunner().invoke(main, ["render", "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out / "account-manager_bg_bg-BG.pdf"


@pytest.fixture
def instruction(draft: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(draft, tmp_path / draft.name))


def sign(path: Path, field: str, key: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.setenv("TEST_PASSPHRASE", PASSPHRASE)
    args = ["sign", str(path), "--field", field, "--key", str(key), "--passphrase-env", "TEST_PASSPHRASE"]
    return CliRunner().invoke(main, args)


def verify(path: Path, pki: dict[str, Path]) -> Result:
    return CliRunner().invoke(main, ["verify", str(path), "--trust", str(pki["ca"])])


def field_line(result: Result, field: str) -> str:
    return next(line.strip() for line in result.output.splitlines() if line.strip().startswith(f"{field}:"))


def test_every_signature_line_is_an_empty_field_at_its_place(instruction: Path) -> None:
    with pikepdf.open(instruction) as pdf:
        places = {}
        for number, page in enumerate(pdf.pages):
            for annot in page.get("/Annots", []):
                if annot.get("/FT") == pikepdf.Name.Sig:
                    places[str(annot.T)] = (number, [float(v) for v in annot.Rect], float(page.mediabox[2]))
        last = len(pdf.pages) - 1
    expected = ["approved-by", "agreed-by-legal", "agreed-by-hr", "agreed-by-sales"]
    assert list(places)[:4] == expected and len(places) == 4 + 12  # and one per familiarization row
    page, (x1, y1, _x2, _y2), width = places["approved-by"]
    assert page == 0 and x1 > width / 2 and y1 > 600  # top right of page one
    assert places["familiarization-1"][0] == places["familiarization-12"][0] == last  # the sheet, the last page


def test_agree_then_approve_and_both_signatures_stay_valid(
    instruction: Path, pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sign(instruction, "agreed-by-legal", pki["legal"], monkeypatch).exit_code == 0
    assert sign(instruction, "approved-by", pki["director"], monkeypatch).exit_code == 0
    result = verify(instruction, pki)
    assert result.exit_code == 0, result.output
    legal, approved = field_line(result, "agreed-by-legal"), field_line(result, "approved-by")
    assert "signed by Common Name: Мария Стоянова Иванова" in legal and "VALID" in legal and "NOT VALID" not in legal
    assert "signed by Common Name: Иван Петров Георгиев" in approved and "intact, trusted" in approved
    assert field_line(result, "agreed-by-hr") == "agreed-by-hr: empty"
    # The same verdict for a script.
    scripted = CliRunner().invoke(main, ["verify", str(instruction), "--trust", str(pki["ca"]), "--json"])
    assert scripted.exit_code == 0, scripted.output
    (verdict,) = json.loads(scripted.output)["files"]
    fields = {f["name"]: f for f in verdict["fields"]}
    assert verdict["valid"] and verdict["up_to_date"] and verdict["signed_revision"] == "approved-by"
    assert fields["approved-by"]["signer"] == "Common Name: Иван Петров Георгиев" and fields["approved-by"]["valid"]
    assert fields["agreed-by-hr"] == {"name": "agreed-by-hr", "signed": False}


def test_one_changed_byte_breaks_the_signature(
    instruction: Path, pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sign(instruction, "approved-by", pki["director"], monkeypatch).exit_code == 0
    data = bytearray(instruction.read_bytes())
    position = data.index(b"/Creator (jobdesc)") + len(b"/Creator (")
    data[position] = ord("J")  # inside the signed bytes
    instruction.write_bytes(bytes(data))
    result = verify(instruction, pki)
    assert result.exit_code == 1
    assert "NOT INTACT" in field_line(result, "approved-by") and "NOT VALID" in field_line(result, "approved-by")


def test_an_edit_appended_after_signing_makes_it_not_valid(
    instruction: Path, pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sign(instruction, "approved-by", pki["director"], monkeypatch).exit_code == 0
    with instruction.open("rb") as stream:
        writer = IncrementalPdfFileWriter(stream)
        page = writer.root["/Pages"]["/Kids"][0]
        page["/Rotate"] = generic.NumberObject(90)  # a real change to the signed document, in a new revision
        writer.update_container(page)
        edited = instruction.with_name("edited.pdf")
        with edited.open("wb") as out:
            writer.write(out)
    result = verify(edited, pki)
    line = field_line(result, "approved-by")
    assert result.exit_code == 1
    assert "intact" in line and "NOT INTACT" not in line  # the signed bytes are untouched...
    assert "NOT VALID" in line  # ...but the document is no longer what was signed


def test_a_signed_field_cannot_be_signed_again_and_names_are_checked(
    instruction: Path, pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sign(instruction, "approved-by", pki["director"], monkeypatch).exit_code == 0
    again = sign(instruction, "approved-by", pki["legal"], monkeypatch)
    assert again.exit_code == 2 and "the field 'approved-by' is signed already" in again.output
    unknown = sign(instruction, "approved-by-ceo", pki["legal"], monkeypatch)
    assert unknown.exit_code == 2
    assert "no signature field 'approved-by-ceo'; fields: approved-by, agreed-by-legal" in unknown.output


def test_without_the_trust_root_a_signature_is_not_trusted(
    instruction: Path, pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy = Path(shutil.copy(instruction, tmp_path / "copy.pdf"))
    assert sign(copy, "approved-by", pki["director"], monkeypatch).exit_code == 0
    result = CliRunner().invoke(main, ["verify", str(copy)])
    assert result.exit_code == 1 and "not trusted" in field_line(result, "approved-by")


# --- a forger's ways around verify -------------------------------------------------


def appended_update(path: Path, change: Callable[[IncrementalPdfFileWriter], None]) -> Path:
    """``path`` with one more revision, written by someone without any signing key."""
    with path.open("rb") as stream:
        writer = IncrementalPdfFileWriter(stream)
        change(writer)
        forged = path.with_name(f"forged-{path.name}")
        with forged.open("wb") as out:
            writer.write(out)
    return forged


def rewrite_info(writer: IncrementalPdfFileWriter) -> None:
    info = writer.trailer["/Info"]
    info["/Title"] = generic.TextStringObject("Длъжностна характеристика (окончателна)")
    writer.update_container(info)


def add_note(writer: IncrementalPdfFileWriter) -> None:
    page = writer.root["/Pages"]["/Kids"][0]
    note = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(n) for n in (50, 50, 70, 70)]),
            generic.NameObject("/Contents"): generic.TextStringObject("заплатата е 10 000 лв."),
        }
    )
    page["/Annots"].append(writer.add_object(note))
    writer.update_container(page)


def add_page(writer: IncrementalPdfFileWriter) -> None:
    pages = writer.root["/Pages"]
    blank = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/Parent"): writer.root.raw_get("/Pages"),
            generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
        }
    )
    pages["/Kids"].append(writer.add_object(blank))
    pages["/Count"] = generic.NumberObject(int(pages["/Count"]) + 1)
    writer.update_container(pages)


@pytest.mark.parametrize(
    ("change", "touched"),
    [
        (rewrite_info, "the Info dictionary (/Title)"),
        (add_note, "an annotation on page 1 (/Text)"),
        (add_page, "page "),
    ],
    ids=["info-dictionary", "annotation", "page"],
)
def test_a_change_after_the_last_signature_is_named_and_not_valid(
    instruction: Path,
    pki: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[IncrementalPdfFileWriter], None],
    touched: str,
) -> None:
    assert sign(instruction, "agreed-by-legal", pki["legal"], monkeypatch).exit_code == 0
    assert sign(instruction, "approved-by", pki["director"], monkeypatch).exit_code == 0
    result = verify(appended_update(instruction, change), pki)
    assert result.exit_code == 1, result.output
    changed = next(line for line in result.output.splitlines() if "CHANGED AFTER THE LAST SIGNATURE" in line)
    assert touched in changed and changed.endswith("NOT VALID")
    assert "NOT VALID" in field_line(result, "approved-by")


def test_rewritten_xmp_metadata_after_signing_is_not_valid(
    tmp_path: Path, pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    render = ["render", "--format", "pdf", "--pdf-variant", "pdf/a-3b", "-o", str(tmp_path)]
    assert CliRunner().invoke(main, render).exit_code == 0
    archival = tmp_path / "account-manager_bg_bg-BG.pdf"
    assert sign(archival, "approved-by", pki["director"], monkeypatch).exit_code == 0

    def rewrite_xmp(writer: IncrementalPdfFileWriter) -> None:
        xmp = writer.root["/Metadata"].data.replace("Сердика".encode(), "Сердика Холдинг".encode())
        assert xmp != writer.root["/Metadata"].data
        metadata = generic.StreamObject({generic.NameObject("/Type"): generic.NameObject("/Metadata")}, stream_data=xmp)
        writer.root["/Metadata"] = writer.add_object(metadata)
        writer.update_root()

    result = verify(appended_update(archival, rewrite_xmp), pki)
    assert result.exit_code == 1
    assert "CHANGED AFTER THE LAST SIGNATURE: the XMP metadata; NOT VALID" in result.output


def stale_draft(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the profiles and the Bulgarian instruction rendered from it, made stale by the
    lawyer's later change of one liability clause."""
    profiles = Path(shutil.copytree(PROFILES, tmp_path / "profiles"))
    render = ["--profiles", str(profiles), "render", "--format", "pdf", "-o", str(tmp_path)]
    assert CliRunner().invoke(main, render).exit_code == 0
    edit_clause_text(profiles / "jurisdictions" / "bg.yaml", "material-damage", "bg", "Изменено.")
    return profiles, tmp_path / "account-manager_bg_bg-BG.pdf"


def current_identity(profiles: Path) -> tuple[Document, Callable[[IncrementalPdfFileWriter], None]]:
    """What the current profiles make, and the forger's update writing its identity into a file's Info."""
    current, _ = build_document(Request(), Bundle(profiles))
    assert current.identity is not None

    def look_up_to_date(writer: IncrementalPdfFileWriter) -> None:
        info = writer.trailer["/Info"]
        info["/jobdescidentity"] = generic.TextStringObject(current.identity.encode())  # type: ignore[union-attr]
        writer.update_container(info)

    return current, look_up_to_date


def test_a_stale_signed_copy_cannot_be_made_to_look_up_to_date(
    tmp_path: Path, pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lawyer changed a clause after signing; a forger copies the new identity (with the
    current content hash) into the Info dictionary of the old signed file."""
    profiles, signed = stale_draft(tmp_path)
    assert sign(signed, "approved-by", pki["director"], monkeypatch).exit_code == 0
    current, look_up_to_date = current_identity(profiles)
    forged = appended_update(signed, look_up_to_date)
    result = CliRunner().invoke(main, ["--profiles", str(profiles), "verify", str(forged), "--trust", str(pki["ca"])])
    assert result.exit_code == 1
    assert "OUT OF DATE" in result.output and f"#{current.identity.content_hash}" in result.output.splitlines()[2]
    assert "CHANGED AFTER THE LAST SIGNATURE: the Info dictionary (/jobdescidentity); NOT VALID" in result.output


def test_an_unsigned_draft_says_so_and_is_compared_as_it_stands(instruction: Path, pki: dict[str, Path]) -> None:
    result = verify(instruction, pki)
    assert result.exit_code == 0, result.output
    assert "unsigned: read from the document's metadata" in result.output
    assert "up to date with the current profiles" in result.output


# --- ordinary mistakes: one message, a documented exit code, no traceback ----------------


def jobdesc(*args: str, passphrase: str = PASSPHRASE) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it: everything it prints, pyHanko's logging included."""
    environment = {**os.environ, "TEST_PASSPHRASE": passphrase, "PYTHONPATH": str(Path(__file__).parents[1])}
    command = [sys.executable, "-m", "jobdesc", *args]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)


def test_a_wrong_passphrase_is_one_message(instruction: Path, pki: dict[str, Path]) -> None:
    args = ["sign", str(instruction), "--field", "approved-by", "--key", str(pki["director"])]
    result = jobdesc(*args, "--passphrase-env", "TEST_PASSPHRASE", passphrase="wrong horse")
    assert result.returncode == 2
    assert (
        result.stderr
        == f"error: {pki['director']}: wrong passphrase for this key (give it with --passphrase-env VAR)\n"
    )


def test_a_key_file_that_is_not_pkcs12_is_one_message(instruction: Path, pki: dict[str, Path]) -> None:
    result = jobdesc("sign", str(instruction), "--field", "approved-by", "--key", str(pki["ca"]))
    assert result.returncode == 2 and result.stderr == f"error: {pki['ca']}: not a PKCS#12 (.p12, .pfx) file\n"


def test_a_truncated_pdf_is_one_message(instruction: Path, pki: dict[str, Path], tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(instruction.read_bytes()[:30_000])
    for command in (
        ["sign", str(truncated), "--field", "approved-by", "--key", str(pki["director"])],
        ["verify", str(truncated)],
    ):
        result = jobdesc(*command)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"error: {truncated}: a damaged or truncated PDF")


def test_a_docx_given_to_sign_is_one_message(tmp_path: Path, pki: dict[str, Path]) -> None:
    assert CliRunner().invoke(main, ["render", "--format", "docx", "-o", str(tmp_path)]).exit_code == 0
    document = tmp_path / "account-manager_bg_bg-BG.docx"
    result = jobdesc("sign", str(document), "--field", "approved-by", "--key", str(pki["director"]))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == (
        f"error: {document}: a DOCX (or another ZIP) file; only a PDF carries signature fields "
        "(render it with --format pdf)\n"
    )


def test_an_untrusted_signer_is_reported_without_a_traceback(
    instruction: Path, pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sign(instruction, "approved-by", pki["director"], monkeypatch).exit_code == 0
    result = jobdesc("verify", str(instruction))
    assert result.returncode == 1 and result.stderr == ""
    assert "intact, not trusted" in result.stdout and "NOT VALID" in result.stdout


# --- the stamps ------------------------------------------------------------------------


STAMP_BLUE = (0x1A, 0x23, 0x7E)  # stamp.py: the stamp's ink, unlike the page's black


def blue_pixels(pdf: Path, page: int, box: list[float], folder: Path) -> int:
    """The stamp's ink inside ``box`` (PDF points) of a page rendered at 150 dpi."""
    folder.mkdir()
    subprocess.run(
        [
            require("pdftoppm"),
            "-r",
            "150",
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            "-png",
            str(pdf),
            str(folder / "p"),
        ],
        check=True,
    )
    image = Image.open(next(folder.glob("p-*.png"))).convert("RGB")
    scale = 150 / 72
    x1, y1, x2, y2 = box
    height = image.height / scale
    crop = image.crop((int(x1 * scale), int((height - y2) * scale), int(x2 * scale), int((height - y1) * scale)))
    pixels = crop.tobytes()
    rgb = zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True)
    return sum(1 for r, g, b in rgb if b > 90 and b - r > 40 and b - g > 40)


@pytest.mark.parametrize(
    ("field", "who"), [("approved-by", "legal"), ("agreed-by-hr", "hr")], ids=["cyrillic", "latin"]
)
def test_the_stamp_shows_the_signers_name_inside_its_field_and_nothing_else_under_it(
    instruction: Path, pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, field: str, who: str
) -> None:
    def widget() -> tuple[int, list[float]]:
        with pikepdf.open(instruction) as pdf:
            for number, page in enumerate(pdf.pages):
                for annot in page.get("/Annots", []):
                    if str(annot.get("/T", "")) == field:
                        return number, [float(v) for v in annot.Rect]
        raise AssertionError(field)

    page, box = widget()
    before = blue_pixels(instruction, page, box, tmp_path / "before")
    assert sign(instruction, field, pki[who], monkeypatch).exit_code == 0
    assert widget() == (page, box)  # the stamp is drawn in the field's own rectangle
    assert before == 0 and blue_pixels(instruction, page, box, tmp_path / "after") > 60
    x1, y1, x2, y2 = box
    with pdfplumber.open(instruction) as pdf:
        height = float(pdf.pages[page].height)
        words = pdf.pages[page].extract_words()
    covered = [
        w["text"]
        for w in words
        if w["x0"] < x2 and w["x1"] > x1 and height - w["bottom"] < y2 and height - w["top"] > y1
    ]
    assert all(set(word) <= {"_"} for word in covered), covered  # only the signature line itself
    with pikepdf.open(instruction) as pdf:
        annot = next(a for p in pdf.pages for a in p.get("/Annots", []) if str(a.get("/T", "")) == field)
        fonts = [f for _, xobject in annot.AP.N.Resources.XObject.items() for f in _fonts(xobject)]
        assert fonts and all("/FontFile2" in font.FontDescriptor for font in fonts)  # embedded, not a standard font


def _fonts(xobject: pikepdf.Object) -> list[pikepdf.Object]:
    resources = xobject.get("/Resources", pikepdf.Dictionary())
    found = [
        descendant
        for font in resources.get("/Font", pikepdf.Dictionary()).values()
        for descendant in (font.DescendantFonts if "/DescendantFonts" in font else [font])
    ]
    return found + [f for _, inner in resources.get("/XObject", pikepdf.Dictionary()).items() for f in _fonts(inner)]


def test_in_an_accessible_pdf_every_field_is_described_and_tagged(tmp_path: Path) -> None:
    render = ["render", "--format", "pdf", "--pdf-variant", "pdf/ua-1", "-o", str(tmp_path)]
    assert CliRunner().invoke(main, render).exit_code == 0
    with pikepdf.open(tmp_path / "account-manager_bg_bg-BG.pdf") as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        widgets = [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/FT") == pikepdf.Name.Sig]
        assert len(widgets) == 16
        for widget in widgets:
            assert str(widget.TU).startswith(f"{widget.T}")
            element = parents[int(widget.StructParent)]
            assert pikepdf.Name.Form == element.S and element.K.Obj.objgen == widget.objgen
        approved = next(w for w in widgets if str(w.T) == "approved-by")
        assert str(approved.TU) == "approved-by: Иван Георгиев"
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == max(parents) + 1


def test_an_identity_rewritten_before_signing_is_contradicted_by_the_pages(
    tmp_path: Path, pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forger rewrites the stale draft's metadata to the current identity before it goes
    to the director, who signs what the pages show."""
    profiles, stale = stale_draft(tmp_path)
    current, look_up_to_date = current_identity(profiles)
    draft = appended_update(stale, look_up_to_date)
    assert sign(draft, "approved-by", pki["director"], monkeypatch).exit_code == 0
    result = CliRunner().invoke(main, ["--profiles", str(profiles), "verify", str(draft), "--trust", str(pki["ca"])])
    assert result.exit_code == 1
    assert "CHANGED AFTER" not in result.output and "VALID" in field_line(result, "approved-by")  # signed as it is
    label = current.identity.label()
    assert f"THE PAGES CONTRADICT THE METADATA: page 1 does not show {label} in its footer; NOT VALID" in result.output
