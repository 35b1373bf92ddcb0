"""A large employer's story: the batch on a Dask cluster gives the same files as the local
pool, written by the client, with the report and skip-unchanged as usual."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA

from jobdesc.batch import run_batch

SMALL = DATA / "batches" / "small.yaml"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_a_dask_batch_writes_the_same_bytes_as_the_local_pool(tmp_path: Path, scheduler: str) -> None:
    local = run_batch(SMALL, tmp_path / "local", workers=2)
    remote = run_batch(SMALL, tmp_path / "dask", workers=2, dask=scheduler)
    assert [o.error for o in remote.failed] == []
    assert {o.variant.stem for o in remote.outcomes} == {o.variant.stem for o in local.outcomes}
    files = sorted(p.name for p in (tmp_path / "local").glob("*_*.*"))
    assert files and files == sorted(p.name for p in (tmp_path / "dask").glob("*_*.*"))
    for name in files:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
    report = json.loads((tmp_path / "dask" / "report.json").read_text(encoding="utf-8"))
    assert report


def test_a_dask_rerun_skips_what_did_not_change(tmp_path: Path, scheduler: str) -> None:
    run_batch(SMALL, tmp_path, workers=2, dask=scheduler)
    again = run_batch(SMALL, tmp_path, workers=2, dask=scheduler)
    assert {o.status for o in again.outcomes} == {"skipped"}


def test_a_variant_that_fails_on_a_worker_fails_alone(tmp_path: Path, scheduler: str) -> None:
    result = run_batch(DATA / "batches" / "one-bad.yaml", tmp_path, workers=2, dask=scheduler)
    assert [o.variant.stem for o in result.failed] == ["account-manager_bg_de-DE"]
    assert "occupation_code: missing" in result.failed[0].error
    assert len(result.outcomes) == 4
