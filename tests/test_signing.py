"""The sign-off procedure: agree, approve, verify, and notice any change made after signing.

A throw-away certificate authority issues the signers' keys. Validity is judged by
pyHanko's overall verdict, not only 'intact': an edit appended after a signature leaves
the signed bytes intact while the document is no longer what was signed.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner, Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from jobdesc.cli import main

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
    """A root CA and two signers' PKCS#12 files: the head of legal and the managing director."""
    folder = tmp_path_factory.mktemp("pki")
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = certificate("jobdesc test CA", root_key, None, root_key)
    (folder / "ca.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    paths = {"ca": folder / "ca.pem"}
    for who, name in (("legal", "Мария Стоянова Иванова"), ("director", "Иван Петров Георгиев")):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = certificate(name, key, root, root_key)
        encryption = serialization.BestAvailableEncryption(PASSPHRASE.encode())
        data = pkcs12.serialize_key_and_certificates(who.encode(), key, cert, [root], encryption)
        paths[who] = folder / f"{who}.p12"
        paths[who].write_bytes(data)
    return paths


@pytest.fixture
def instruction(tmp_path: Path) -> Path:
    result = CliRunner().invoke(main, ["render", "--format", "pdf", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    return tmp_path / "account-manager_bg_bg-BG.pdf"


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
