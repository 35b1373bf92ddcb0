"""Hostile inputs the one-render catalogue (test_bad_inputs.py) cannot show: batches, leftovers
of killed runs, a broken temporary folder, what overlays removed, who may read the outputs."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DATA

from jobdesc.cli import main
from jobdesc.hyphenation import install_exceptions
from jobdesc.renderers import pdf

OVERLAYS = DATA / "overlays"


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert isinstance(result.exception, SystemExit | type(None)), result.exception  # never a traceback
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    return Path(shutil.copytree(OVERLAYS, tmp_path / "profiles"))


def batch_file(profiles: Path, text: str) -> Path:
    path = profiles / "batch.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("roles: [clerk]\njurisdictions: [bg]\nformats: [html]\nx: " + "[" * 200 + "]" * 200,
         "batch.yaml:4: YAML syntax: lists and mappings nest too deep: 51 levels is over the nesting depth limit"),
        ("roles: [clerk]\njurisdictions: [bg\u0085]\nformats: [html]\n",
         "batch.yaml:2:19: jurisdictions[1]: U+0085 NEXT LINE (NEL) is a line or paragraph separator"),
        ("roles: [../roles/clerk]\njurisdictions: [bg]\nformats: [html]\n", "roles[1]: unknown role '../roles/clerk'"),
    ],
    ids=["deep", "invisible", "path-for-a-name"],
)  # fmt: skip
def test_a_hostile_batch_file_is_refused_with_its_line(
    profiles: Path, tmp_path: Path, text: str, expected: str
) -> None:
    result = run("--profiles", str(profiles), "batch", str(batch_file(profiles, text)), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert expected in result.output.replace("\n", " ")


def test_a_batch_worker_out_of_memory_fails_its_variant_with_the_limit(
    profiles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    page = (pdf.TEMPLATES / "document.html.j2").read_text(encoding="utf-8")
    hungry = "{% set s = 'x' * 1000000 %}{% set ns = namespace(a=[]) %}"
    hungry += "{% for i in range(100000) %}{% set _ = ns.a.append(s ~ i) %}{% endfor %}"
    (templates / "document.html.j2").write_text(page.replace("<body>", "<body>" + hungry, 1), encoding="utf-8")
    monkeypatch.setenv("JOBDESC_MAX_MEMORY_MB", "200")  # spawned workers inherit it
    batch = batch_file(profiles, "roles: [clerk]\njurisdictions: [bg]\nlanguages: [en]\nformats: [html]\n")
    out = tmp_path / "out"
    result = run(
        "--profiles", str(profiles), "batch", str(batch), "-o", str(out), "-j", "1", "--templates", str(templates)
    )
    assert result.exit_code == 1
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    error = report["variants"][0]["error"]
    assert (
        "over 200 MB is over the memory per document limit of 200 MB; to allow more, set JOBDESC_MAX_MEMORY_MB" in error
    )
    assert "internal error" not in error


def test_a_killed_runs_temporary_file_is_removed_and_a_live_ones_kept(profiles: Path, tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".clerk_bg_en-GB.pdf.k1ll3d_x.part"
    stale.write_bytes(b"half a PDF")
    live = out / ".clerk_bg_en-GB.docx.wr1t1ng_.part"
    live.write_bytes(b"being written")
    theirs = out / ".notes.part"  # not of our naming: not ours to remove
    theirs.write_bytes(b"keep")
    with live.open("rb") as writer:
        fcntl.flock(writer, fcntl.LOCK_EX)  # a run in progress holds its file
        result = run("--profiles", str(profiles), "render", "clerk", "--lang", "en", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert live.exists() and theirs.exists()


def test_outputs_are_readable_as_the_umask_says(profiles: Path, tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        run(
            "--profiles", str(profiles), "render", "clerk", "--lang", "en", "--format", "html,docx", "-o", str(tmp_path)
        )
    finally:
        os.umask(previous)
    for path in tmp_path.glob("clerk_*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_an_unwritable_temporary_folder_is_a_message(
    profiles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_exceptions()  # our own temporary folder is made; WeasyPrint's is the one to break
    pdf._font_config.cache_clear()  # a fresh font configuration makes its temporary folder again
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "no-such-folder"))
    try:
        result = run(
            "--profiles", str(profiles), "render", "clerk", "--lang", "en", "--format", "pdf", "-o", str(tmp_path)
        )
    finally:
        pdf._font_config.cache_clear()
    assert result.exit_code == 1
    assert "PDF not written: cannot use" in result.output and "no-such-folder" in result.output
    assert "(is TMPDIR writable?)" in result.output


def test_what_an_overlay_removed_is_listed_by_explain_and_the_batch_report(profiles: Path, tmp_path: Path) -> None:
    result = run("--profiles", str(profiles), "explain", "clerk", "--industry", "every-operation", "--lang", "en")
    assert "removed [request-documents] by " in result.output
    assert "industries/every-operation.yaml:20" in result.output

    batch = batch_file(profiles, "roles: [clerk]\nindustries: [every-operation]\njurisdictions: [bg]\n"
                       "languages: [en]\nformats: [html]\n")  # fmt: skip
    out = tmp_path / "out"
    for _ in range(2):  # rendered, then skipped as unchanged: the report keeps saying it
        assert run("--profiles", str(profiles), "batch", str(batch), "-o", str(out), "-j", "1").exit_code == 0
        (variant,) = json.loads((out / "report.json").read_text(encoding="utf-8"))["variants"]
        assert [r["clause"] for r in variant["removed"]] == ["request-documents"]
        assert variant["removed"][0]["by"].endswith("industries/every-operation.yaml:20")
    assert variant["status"] == "skipped"


def test_a_document_too_large_to_verify_or_sign_is_refused_by_the_limit(
    profiles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("--profiles", str(profiles), "render", "clerk", "--lang", "en", "--format", "pdf", "-o", str(tmp_path))
    monkeypatch.setenv("JOBDESC_MAX_ASSET_BYTES", "1000")
    pdf = str(tmp_path / "clerk_bg_en-GB.pdf")
    for command in (["verify", pdf], ["sign", pdf, "--field", "approved-by", "--key", pdf]):
        result = run(*command)
        assert result.exit_code == 1
        assert "the file is too large:" in result.output and "JOBDESC_MAX_ASSET_BYTES" in result.output
