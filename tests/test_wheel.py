"""A user's install: the wheel carries templates, profiles and catalogs, and renders from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(out),
        str(ROOT),
    ]
    subprocess.run(command, check=True, capture_output=True)
    (built,) = out.glob("jobdesc-*.whl")
    return built


def test_the_wheel_carries_the_bundled_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "jobdesc/_data/templates/document.html.j2",
        "jobdesc/_data/templates/print.css",
        "jobdesc/_data/templates/reference.docx",
        "jobdesc/_data/templates/fonts/LiberationSerif-Regular.ttf",
        "jobdesc/_data/profiles/roles/account-manager.yaml",
        "jobdesc/_data/profiles/organisations/bg.yaml",
        "jobdesc/_data/locales/bg/LC_MESSAGES/jobdesc.mo",
        "jobdesc/serve/static/studio.html",  # the studio works offline: its page ships in the package
        "jobdesc/serve/static/studio.js",
        "jobdesc/serve/static/studio.css",
    ):
        assert expected in names


def test_the_installed_package_renders_from_an_empty_folder(wheel: Path, tmp_path: Path) -> None:
    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)
    workdir = tmp_path / "empty"
    workdir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed)}
    where = subprocess.run(
        [sys.executable, "-c", "import jobdesc.paths as p; print(p.TEMPLATES)"],
        cwd=workdir, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    assert where == str(installed / "jobdesc" / "_data" / "templates")
    result = subprocess.run(
        [sys.executable, "-m", "jobdesc", "render", "--lang", "es", "--jurisdiction", "es", "--format", "pdf,docx"],
        cwd=workdir, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (workdir / "out").iterdir()) == [
        "account-manager_es_es-ES.docx",
        "account-manager_es_es-ES.pdf",
    ]
