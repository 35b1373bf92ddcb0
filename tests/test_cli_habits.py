"""The command line's habits: --version, -q and -v, colour only on a terminal and never with
NO_COLOR, --json for scripts, TAB completion of names, the batch report's totals, a progress
bar that never shows "None", and a Python API whose documented snippet runs as written."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DATA

from jobdesc import __version__, limits
from jobdesc.cli import main
from jobdesc.paths import PROFILES

ROOT = Path(__file__).parent.parent
BROKEN = DATA / "profiles_broken"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
TWO_VARIANTS = "roles: [account-manager]\njurisdictions: [de, fr]\nformats: [docx]\n"


def jobdesc(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="jobdesc", env=env, catch_exceptions=False)


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def in_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run jobdesc with a terminal as its stdout and stderr, as a user at a shell does."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "jobdesc", *args], stdout=terminal, stderr=terminal, env={**ENV, **(env or {})}
    )
    os.close(terminal)
    seen = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 120)
        try:
            chunk = os.read(controller, 65536) if ready else b""
        except OSError:  # the terminal closed: the process is done
            chunk = b""
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    return process.wait(timeout=60), seen.decode("utf-8", "replace")


def test_version() -> None:
    result = jobdesc("--version")
    assert result.exit_code == 0
    assert result.stdout == f"jobdesc, version {__version__}\n"


# --- -q and -v ---------------------------------------------------------------------------


def test_quiet_prints_nothing_when_all_is_well_and_errors_when_not(tmp_path: Path) -> None:
    done = jobdesc("-q", "render", "--format", "html")
    assert done.exit_code == 0
    assert (done.stdout, done.stderr) == ("", "")
    assert (tmp_path / "out" / "account-manager_bg_bg-BG.html").is_file()

    broken = jobdesc("-q", "--profiles", str(BROKEN), "validate")
    assert broken.exit_code == 1
    assert broken.stdout == ""
    assert "roles/clerk.yaml:23: duties[1].text: no 'bg' translation (has: en)" in broken.stderr


def test_verbose_says_where_the_time_went() -> None:
    result = jobdesc("-v", "render", "--format", "html")
    assert result.exit_code == 0
    assert "wrote out/account-manager_bg_bg-BG.html" in result.stdout
    stages = [line.strip().split(":")[0] for line in result.stderr.splitlines()]
    assert "load and merge" in stages


# --- colour ------------------------------------------------------------------------------


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    args = ("--profiles", str(BROKEN), "validate")
    code, coloured = in_terminal(*args, env={"NO_COLOR": ""})
    assert code == 1
    assert "\x1b[31m" in coloured and "problem(s) found" in coloured
    code, plain = in_terminal(*args, env={"NO_COLOR": "1"})
    assert code == 1
    assert "\x1b[" not in plain and "problem(s) found" in plain
    piped = subprocess.run([sys.executable, "-m", "jobdesc", *args], capture_output=True, text=True, env=ENV)
    assert "\x1b[" not in piped.stderr and "problem(s) found" in piped.stderr


# --- --json ------------------------------------------------------------------------------


def test_list_json() -> None:
    result = jobdesc("list", "--json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert listed["roles"] == ["account-manager", "key-account-manager"]
    assert listed["jurisdictions"] == ["bg", "de", "es", "fr", "gb", "it", "pl", "pt", "ro", "ru", "ua"]
    assert listed["languages"] == ["bg", "de", "en", "es", "fr", "it", "pl", "pt", "ro", "ru", "uk"]
    assert listed["formats"] == ["pdf", "docx", "html"]


def test_validate_json_gives_each_problem_in_parts() -> None:
    result = jobdesc("--profiles", str(BROKEN), "validate", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    problem = next(p for p in report["problems"] if p["text"].endswith("duties[1].text: no 'bg' translation (has: en)"))
    assert problem["path"].endswith("roles/clerk.yaml")
    assert (problem["line"], problem["field"]) == (23, "duties[1].text")
    assert problem["message"] == "no 'bg' translation (has: en)"
    assert report["counts"] == {"roles": 1, "industries": 0, "jurisdictions": 1, "organisations": 1, "languages": 11}
    assert set(report["coverage"]) == {"bg", "de", "en", "es", "fr", "it", "pl", "pt", "ro", "ru", "uk"}


def test_explain_json_numbers_each_clause_and_names_its_origin() -> None:
    result = jobdesc("explain", "--lang", "en", "--jurisdiction", "gb", "--industry", "banking", "--json")
    assert result.exit_code == 0, result.output
    explained = json.loads(result.stdout)
    assert (explained["role"], explained["industry"], explained["language"]) == (
        "account-manager", "banking", "en-GB",
    )  # fmt: skip
    assert [s["numeral"] for s in explained["sections"]] == ["I", "II", "III", "IV", "V"]
    liability = explained["sections"][3]["clauses"]
    assert liability[0]["number"] == "1."
    assert liability[0]["layer"] == "jurisdiction"
    assert liability[0]["origin"].startswith("profiles/jurisdictions/gb.yaml:")
    layers = {c["layer"] for s in explained["sections"] for c in s["clauses"]}
    assert {"role", "jurisdiction", "industry"} <= layers


def test_batch_json_summary_and_report_totals(tmp_path: Path) -> None:
    (tmp_path / "two.yaml").write_text(TWO_VARIANTS, encoding="utf-8")
    first = jobdesc("batch", "two.yaml", "-j", "1", "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    totals = {"variants": 2, "rendered": 2, "unchanged": 0, "skipped": 0, "failed": 0, "files": 2}
    assert {key: summary[key] for key in totals} == totals
    assert (summary["report"], summary["failures"]) == (str(Path("out") / "report.json"), [])
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert {key: report["totals"][key] for key in totals} == totals
    assert report["totals"]["seconds"] > 0

    again = jobdesc("batch", "two.yaml", "-j", "1")
    assert again.stdout.startswith("2 variants in ")
    assert "0 rendered, 0 unchanged, 2 skipped, 0 failed" in again.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert (report["totals"]["skipped"], report["totals"]["files"]) == (2, 2)


def test_the_progress_bar_never_shows_none(tmp_path: Path) -> None:
    (tmp_path / "two.yaml").write_text(TWO_VARIANTS, encoding="utf-8")
    code, shown = in_terminal("batch", "two.yaml", "-j", "1")
    assert code == 0, shown
    assert "rendering" in shown and "2/2" in shown
    assert "None" not in shown


# --- completion --------------------------------------------------------------------------


def complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash's TAB offers after ``words`` (the last word is the one being completed)."""
    typed = words.split(" ")
    variables = {"_JOBDESC_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(typed) - 1)}
    result = CliRunner().invoke(main, [], prog_name="jobdesc", env={**variables, **(env or {})})
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("jobdesc render ", ["account-manager", "key-account-manager"]),
        ("jobdesc explain key", ["key-account-manager"]),
        ("jobdesc render --jurisdiction p", ["pl", "pt"]),
        ("jobdesc render --lang u", ["uk"]),
        ("jobdesc diff --industry ba", ["banking"]),
        ("jobdesc render --org g", ["gb"]),
        ("jobdesc init role clerk --from acc", ["account-manager"]),
    ],
)
def test_tab_completes_names(words: str, offered: list[str]) -> None:
    assert complete(words) == offered


def test_tab_completes_the_users_own_roles() -> None:
    assert complete(f"jobdesc --profiles {BROKEN} render ") == ["account-manager", "clerk", "key-account-manager"]
    offered = complete("jobdesc explain --jurisdiction ", env={"JOBDESC_PROFILES": str(BROKEN)})
    assert offered == sorted(p.stem for p in (PROFILES / "jurisdictions").glob("*.yaml"))  # BROKEN's bg replaces ours


# --- every platform ----------------------------------------------------------------------

POSIX_ONLY = ("resource", "fcntl", "pwd", "grp", "termios")


def test_every_module_imports_and_help_runs_without_posix_only_modules() -> None:
    """As on Windows: each POSIX-only module is made to fail on import."""
    script = f"""
import pkgutil, sys, importlib
for name in {POSIX_ONLY!r}:
    sys.modules[name] = None
import jobdesc
for module in pkgutil.walk_packages(jobdesc.__path__, "jobdesc."):
    if module.name not in ("jobdesc.__main__", "jobdesc.dask_batch"):
        importlib.import_module(module.name)
from jobdesc.cli import main
main(["--help"], prog_name="jobdesc")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr
    assert "Usage: jobdesc" in result.stdout


def test_a_limit_the_platform_cannot_enforce_is_said_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delattr(limits.signal, "setitimer")  # as on Windows
    monkeypatch.setitem(sys.modules, "resource", None)
    monkeypatch.setattr(limits, "_warned", False)
    for _ in range(3):
        with limits.guarded():
            pass
    said = capsys.readouterr().err.splitlines()
    assert said == [
        f"warning: not enforced on {sys.platform}: the time per document limit (JOBDESC_TIME_LIMIT): "
        "this platform has no interval timer",
        f"warning: not enforced on {sys.platform}: the memory per document limit (JOBDESC_MAX_MEMORY_MB): "
        "this platform has no data-size limit",
    ]


# --- the Python API ----------------------------------------------------------------------


def test_the_api_snippet_runs_as_written(tmp_path: Path) -> None:
    snippet = ROOT / "docs" / "api_example.py"
    result = subprocess.run(
        [sys.executable, str(snippet)], cwd=tmp_path, capture_output=True, text=True, env=ENV, timeout=300
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        f"wrote {Path('out') / 'account-manager_it_it-IT.pdf'}",
        f"wrote {Path('out') / 'account-manager_it_it-IT.docx'}",
        "problems: 0",
    ]
    assert lines[3].startswith("{'variants': 2, 'rendered': 2, 'unchanged': 0, 'skipped': 0, 'failed': 0, 'files': 2")
    written = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert written == [
        "account-manager_de_de-DE.docx",
        "account-manager_fr_fr-FR.docx",
        "account-manager_it_it-IT.docx",
        "account-manager_it_it-IT.pdf",
        "report.json",
    ]
