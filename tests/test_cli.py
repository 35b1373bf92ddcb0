"""The command line as a user types it: what it writes, what it says, its exit code."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DATA

from jobdesc.cli import main
from jobdesc.paths import PROFILES

BROKEN = DATA / "profiles_broken"
Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run jobdesc in an empty working folder."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), prog_name="jobdesc", catch_exceptions=False)

    return invoke


def test_render_with_no_arguments_writes_the_default_pdf_and_docx(run: Run, tmp_path: Path) -> None:
    result = run("render")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["account-manager_bg_bg-BG.docx", "account-manager_bg_bg-BG.pdf"]
    assert (tmp_path / "out" / written[1]).read_bytes().startswith(b"%PDF-")


def test_render_normalises_the_language_tag(run: Run, tmp_path: Path) -> None:
    result = run("render", "account-manager", "--lang", "pt_br", "--jurisdiction", "pt", "--format", "html", "-o", "x")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "x" / "account-manager_pt_pt-BR.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR">' in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "xx"], "unknown language 'xx'; valid: bg, de, en, es, fr, it, pl, pt, ro, ru, uk"),
        (["nobody"], "unknown role 'nobody'; valid: account-manager"),
        (["--format", "pdf,odt"], "unknown format 'odt'; valid: pdf, docx, html"),
        (["--jurisdiction", "mars"], "unknown jurisdiction 'mars'; valid: bg, de, es, fr, gb, it, pl, pt, ro, ru, ua"),
        (["--industry", "mining"], "unknown industry 'mining'; valid: "),
    ],
)
def test_an_unknown_name_exits_2_names_the_valid_ones_and_writes_nothing(
    run: Run, tmp_path: Path, args: list[str], message: str
) -> None:
    result = run("render", *args)
    assert result.exit_code == 2
    assert f"error: {message}" in result.output
    assert list(tmp_path.iterdir()) == []


def test_validate_accepts_the_bundled_profiles(run: Run) -> None:
    result = run("validate")
    assert result.exit_code == 0, result.output
    coverage = ", ".join(f"{code} 100%" for code in ("bg", "de", "en", "es", "fr", "it", "pl", "pt", "ro", "ru", "uk"))
    assert f"translation coverage of roles and industries: {coverage}" in result.output
    every_pair = 2 * 11 * 11  # each role in each jurisdiction and language
    industries = 2 * 5 * 11  # the bundled batch's industry variants, in each jurisdiction's language
    assert f"combinations checked: {every_pair + industries}" in result.output
    assert "ok: 2 role(s), 5 industries, 11 jurisdiction(s), 11 organisation(s), 11 languages" in result.output
    assert "warning:" not in result.output


def test_validate_fails_where_a_batch_requests_what_the_organisation_cannot_fill(run: Run, tmp_path: Path) -> None:
    profiles = Path(shutil.copytree(PROFILES, tmp_path / "profiles"))
    (profiles / "batches" / "spanish-company-in-bulgaria.yaml").write_text(
        "roles: [account-manager]\njurisdictions: [bg]\norganisation: es\n", encoding="utf-8"
    )
    result = run("--profiles", str(profiles), "validate")
    assert result.exit_code == 1
    expected = "positions.account-manager.occupation_code: missing; jurisdiction 'bg' requires it"
    assert "organisations/es.yaml" in result.output and expected in result.output


def test_validate_reports_each_problem_as_file_line_field(run: Run) -> None:
    result = run("--profiles", str(BROKEN), "validate")
    assert result.exit_code == 1
    assert "roles/clerk.yaml:23: duties[1].text: no 'bg' translation (has: en)" in result.output
    assert "problem(s) found" in result.output


def test_a_failed_render_leaves_the_output_folder_as_it_was(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "clerk_bg_bg-BG.pdf"
    earlier.write_bytes(b"an earlier, signed version")
    result = run("--profiles", str(BROKEN), "render", "clerk", "--lang", "bg")
    assert result.exit_code == 1
    assert "error: " in result.output and "no 'bg' translation" in result.output
    assert os.listdir(out) == ["clerk_bg_bg-BG.pdf"]
    assert earlier.read_bytes() == b"an earlier, signed version"


def test_an_output_path_that_is_a_file_is_refused(run: Run, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    result = run("render", "--format", "html")
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_an_output_folder_that_cannot_be_made_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    result = run("render", "--format", "html", "-o", "out/sub")
    assert result.exit_code == 1
    assert "error: cannot write into out/sub: Not a directory" in result.output


def test_list_names_what_is_available(run: Run) -> None:
    result = run("list")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "roles: account-manager, key-account-manager",
        "industries: advertising, banking, hospitality, saas, trade",
        "jurisdictions: bg, de, es, fr, gb, it, pl, pt, ro, ru, ua",
        "organisations: bg, de, es, fr, gb, it, pl, pt, ro, ru, ua",
        "languages: bg, de, en, es, fr, it, pl, pt, ro, ru, uk",
        "formats: pdf, docx, html",
    ]


@pytest.mark.parametrize("command", ["render", "validate", "list"])
def test_every_command_has_help(run: Run, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"Usage: jobdesc {command}" in result.output


@pytest.mark.parametrize("org", ["es", str(PROFILES / "organisations" / "es.yaml")])
def test_org_takes_a_bundled_name_or_a_file(run: Run, org: str, tmp_path: Path) -> None:
    result = run("render", "--org", org, "--format", "html", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "account-manager_es_es-ES.html").is_file()  # the organisation's jurisdiction and language


def test_a_jurisdiction_without_org_uses_its_own_sample_organisation(run: Run, tmp_path: Path) -> None:
    result = run("render", "--jurisdiction", "it", "--format", "html", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "account-manager_it_it-IT.html").read_text(encoding="utf-8")
    assert "S.r.l." in html


def test_a_language_other_than_the_jurisdictions_says_it_is_a_translation(run: Run, tmp_path: Path) -> None:
    for language, jurisdiction in (("es", "bg"), ("en", "de")):
        args = ("--lang", language, "--jurisdiction", jurisdiction, "--format", "html", "-o", str(tmp_path))
        result = run("render", *args)
        assert result.exit_code == 0, result.output
    html = (tmp_path / "account-manager_bg_es-ES.html").read_text(encoding="utf-8")
    assert 'class="notice"' in html
