"""A batch user's story: every variant at once, only what changed on a re-run, and a
report that says what failed and why, even when a worker process dies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from batch_helpers import DOOMED, dying_worker
from click.testing import CliRunner
from conftest import DATA, edit_clause_text

from jobdesc.batch import run_batch
from jobdesc.bundle import Bundle
from jobdesc.cli import main
from jobdesc.errors import ProfileError
from jobdesc.paths import PROFILES

SMALL = DATA / "batches" / "small.yaml"
SMALL_STEMS = [
    "account-manager_bg_bg-BG",
    "account-manager_gb_en-GB",
    "account-manager_banking_bg_bg-BG",
    "account-manager_banking_gb_en-GB",
]


@pytest.fixture
def profiles(tmp_path: Path) -> Bundle:
    """A copy of the bundled profiles that a test may edit."""
    return Bundle(Path(shutil.copytree(PROFILES, tmp_path / "profiles")))


def statuses(result: object) -> dict[str, str]:
    return {o.variant.stem: o.status for o in result.outcomes}  # type: ignore[attr-defined]


def test_a_batch_renders_every_variant_and_writes_a_report(tmp_path: Path) -> None:
    result = run_batch(SMALL, tmp_path, workers=2)
    assert statuses(result) == dict.fromkeys(SMALL_STEMS, "rendered")
    written = sorted(p.name for p in tmp_path.glob("*.*") if p.suffix in (".pdf", ".docx"))
    assert written == sorted(f"{stem}.{fmt}" for stem in SMALL_STEMS for fmt in ("pdf", "docx"))
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [v["status"] for v in report["variants"]] == ["rendered"] * 4
    assert report["variants"][2] == {**report["variants"][2], "role": "account-manager", "industry": "banking"}


def test_a_rerun_skips_what_did_not_change_and_force_renders_all(tmp_path: Path) -> None:
    run_batch(SMALL, tmp_path, workers=2)
    assert set(statuses(run_batch(SMALL, tmp_path, workers=2)).values()) == {"skipped"}
    assert set(statuses(run_batch(SMALL, tmp_path, workers=2, force=True)).values()) == {"rendered"}


def test_changing_one_jurisdiction_rerenders_only_its_variants(tmp_path: Path, profiles: Bundle) -> None:
    run_batch(SMALL, tmp_path / "out", workers=2, bundle=profiles)
    edit_clause_text(profiles.jurisdiction_path("gb"), "material-damage", "en", "(as amended)")
    result = run_batch(SMALL, tmp_path / "out", workers=2, bundle=profiles)
    assert statuses(result) == {
        "account-manager_bg_bg-BG": "skipped",
        "account-manager_gb_en-GB": "rendered",
        "account-manager_banking_bg_bg-BG": "skipped",
        "account-manager_banking_gb_en-GB": "rendered",
    }


def test_a_change_an_overlay_hides_leaves_those_outputs_untouched(tmp_path: Path, profiles: Bundle) -> None:
    """Banking replaces key-customer-terms: editing its English text in the role re-renders only the
    English variant without banking; the others' merged models are the same, so they stay."""
    run_batch(SMALL, tmp_path / "out", workers=2, bundle=profiles)
    edit_clause_text(profiles.role_path("account-manager"), "key-customer-terms", "en", "(as amended)")
    result = run_batch(SMALL, tmp_path / "out", workers=2, bundle=profiles)
    assert statuses(result) == {
        "account-manager_bg_bg-BG": "unchanged",
        "account-manager_gb_en-GB": "rendered",
        "account-manager_banking_bg_bg-BG": "unchanged",
        "account-manager_banking_gb_en-GB": "unchanged",
    }


def test_outputs_are_byte_identical_across_runs(tmp_path: Path) -> None:
    run_batch(SMALL, tmp_path / "first", workers=2)
    run_batch(SMALL, tmp_path / "second", workers=1)
    for first in (tmp_path / "first").glob("*_*.*"):
        assert first.read_bytes() == (tmp_path / "second" / first.name).read_bytes(), first.name


def test_one_bad_variant_does_not_stop_the_others(tmp_path: Path) -> None:
    result = run_batch(DATA / "batches" / "one-bad.yaml", tmp_path, workers=2)
    assert statuses(result) == {
        "account-manager_es_es-ES": "rendered",
        "account-manager_gb_en-GB": "rendered",
        "account-manager_pl_pl-PL": "rendered",
        "account-manager_bg_de-DE": "failed",
    }
    (failed,) = result.failed
    assert "profiles/organisations/es.yaml" in failed.error
    assert "positions.account-manager.occupation_code: missing; jurisdiction 'bg' requires it" in failed.error
    assert not (tmp_path / "account-manager_bg_de-DE.docx").exists()


def test_a_worker_that_dies_fails_only_its_own_variant(tmp_path: Path) -> None:
    result = run_batch(SMALL, tmp_path, workers=2, worker=dying_worker)
    expected = dict.fromkeys(SMALL_STEMS, "rendered") | {DOOMED: "failed"}
    assert statuses(result) == expected
    assert result.failed[0].error == "the worker process died rendering this variant"


def test_a_batch_file_naming_unknown_things_is_refused_with_lines() -> None:
    with pytest.raises(ProfileError) as caught:
        run_batch(DATA / "batches" / "unknown-names.yaml", Path("unused"), workers=1)
    error = str(caught.value)
    assert "unknown-names.yaml:2: jurisdictions[2]: unknown jurisdiction 'atlantis'" in error
    assert "unknown-names.yaml:3: formats[2]: unknown format 'odt'" in error


def test_the_cli_prints_plain_lines_off_a_terminal_and_fails_when_a_variant_fails(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["batch", str(DATA / "batches" / "one-bad.yaml"), "-o", str(tmp_path), "-j", "2"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.strip().startswith("rendered account-manager_pl_pl-PL (") for line in lines)
    assert "4 variants in" in result.output and "3 rendered, 0 unchanged, 0 skipped, 1 failed" in result.output
    assert "FAILED account-manager_bg_de-DE:" in result.output
    assert f"report: {tmp_path / 'report.json'}" in result.output
