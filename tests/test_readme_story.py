"""The README's first section, run as written: a new user goes from nothing to their own
company's signed and verified instruction with init, validate, render, sign and verify.

The transcript is read from README.md itself, so the README cannot drift from what works.
What a reader brings is made here: their logo (~/acme-logo.png), their company CA and the
two signers' keys (legal.p12, director.p12, company-ca.pem), and the passphrase they type."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from PIL import Image
from test_signing import PASSPHRASE, certificate

README = Path(__file__).resolve().parent.parent / "README.md"


def transcript() -> list[str]:
    """The console session of the first section: its second ```console block."""
    section = README.read_text(encoding="utf-8").split("\n## ")[1]
    assert section.startswith("From nothing to your own signed-off instruction")
    blocks = re.findall(r"```console\n(.*?)```", section, re.S)
    return blocks[1].splitlines()


def keys(folder: Path) -> None:
    """The company's CA and the keys of its head of legal and managing director."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = certificate("Acme Trading CA", root_key, None, root_key)
    (folder / "company-ca.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    for who, name in (("legal", "Priya Sharma"), ("director", "Jane Smith")):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        encryption = serialization.BestAvailableEncryption(PASSPHRASE.encode())
        data = pkcs12.serialize_key_and_certificates(who.encode(), key, certificate(name, key, root, root_key), [root],
                                                     encryption)  # fmt: skip
        (folder / f"{who}.p12").write_bytes(data)


def test_the_first_section_runs_as_written(tmp_path: Path) -> None:
    home, checkout, brought = tmp_path / "home", tmp_path / "checkout", tmp_path / "brought"
    for folder in (home, checkout, brought):
        folder.mkdir()
    Image.new("RGB", (400, 160), (200, 30, 30)).save(home / "acme-logo.png")
    keys(brought)
    lines = transcript()
    commands = [line[2:] for line in lines if line.startswith("$ ")]
    script = ["set -euo pipefail", f'jobdesc() {{ "{sys.executable}" -m jobdesc "$@"; }}']
    for command in commands:
        script.append(command)
        if command.startswith("mkdir ../acme-hr && cd ../acme-hr"):
            script.append(f"cp {brought}/* .")  # what the company's CA handed over
    result = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=checkout,
        input=f"{PASSPHRASE}\n",
        capture_output=True,
        text=True,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(README.parent)},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    shown = [line for line in lines if line.startswith(("wrote ", "signed ", "  up to date"))]
    for line in shown:
        assert line in result.stdout.splitlines(), line
    verdicts = [line for line in result.stdout.splitlines() if "; VALID" in line]
    assert len(verdicts) == 2 and all("intact, trusted" in line for line in verdicts), result.stdout
    pdf = tmp_path / "acme-hr" / "out" / "sales-rep_gb_en-GB.pdf"
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert " 400   160 " in images  # the logo, on the page
