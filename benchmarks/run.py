"""Benchmark the batch over the bundled matrix and print the figures.

    .venv/bin/python benchmarks/run.py [--batch profiles/batches/all.yaml]

Measures, for PDF and for DOCX separately: documents per second with 1 worker and
with every core, the scaling ratio, the median per-document time split into stages,
and peak memory per worker; then the time of a no-change re-run, and LibreOffice's
headless conversion of our own DOCX outputs to PDF (one soffice call for the set),
the route most users take today, side by side with ours: per document, per variant
(PDF + DOCX) and for a cold one-document run. Nothing here is asserted: it prints what it saw.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from jobdesc.batch import BatchResult, run_batch
from jobdesc.paths import PROFILES

STAGES = ("load and merge", "template", "pdf layout", "pdf write", "docx")


def batch_for(source: Path, fmt: str, folder: Path) -> Path:
    """The same matrix, one format only."""
    text = source.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("formats:")]
    path = folder / f"{source.stem}-{fmt}.yaml"
    path.write_text("\n".join([*lines, f"formats: [{fmt}]"]) + "\n", encoding="utf-8")
    return path


def run(batch: Path, out: Path, workers: int) -> BatchResult:
    result = run_batch(batch, out, workers, force=True)
    failed = result.failed
    if failed:
        raise SystemExit(f"{len(failed)} variant(s) failed, e.g. {failed[0].variant.stem}: {failed[0].error}")
    return result


def stage_medians(result: BatchResult) -> dict[str, float]:
    per_stage: dict[str, list[float]] = defaultdict(list)
    for outcome in result.outcomes:
        for stage in STAGES:
            per_stage[stage].append(outcome.stages.get(stage, 0.0))
        per_stage["whole variant"].append(outcome.seconds)
    return {stage: statistics.median(values) for stage, values in per_stage.items() if any(values)}


def peak_memory_mb(result: BatchResult) -> tuple[float, float]:
    """Peak RSS of the largest worker, and the most any worker grew from its 10th job (after
    fonts and caches are loaded) to its last: flat memory means about zero."""
    by_pid: dict[int, list[int]] = defaultdict(list)
    for outcome in result.outcomes:
        by_pid[outcome.pid].append(outcome.peak_rss_kb)
    peak = max(max(v) for v in by_pid.values()) / 1024
    growth = max((v[-1] - v[min(9, len(v) - 1)]) / 1024 for v in by_pid.values())
    return peak, growth


def memory_over_passes(batch: Path, passes: int = 3) -> list[float]:
    """Resident memory of one process after each pass over the whole matrix (DOCX): the caches
    fill in the first pass; flat memory means the later passes add nothing."""
    from jobdesc.batch import expand, load_batch
    from jobdesc.bundle import Bundle
    from jobdesc.pipeline import Request, build_document
    from jobdesc.renderers import RenderOptions, get_renderer

    bundle = Bundle()
    variants = expand(load_batch(batch, bundle), bundle)
    render, options = get_renderer("docx"), RenderOptions()
    sizes = []
    for _ in range(passes):
        for v in variants:
            render(
                build_document(Request(v.role, v.language, (), None, v.jurisdiction, v.industry), bundle)[0], options
            )
        status = Path("/proc/self/status").read_text()
        sizes.append(int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=Path, default=PROFILES / "batches" / "all.yaml")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        print(f"matrix: {args.batch} on {cores} core(s)")
        rates: dict[tuple[str, int], float] = {}
        pdf_result = docx_result = None
        for fmt in ("pdf", "docx"):
            batch = batch_for(args.batch, fmt, root)
            for workers in dict.fromkeys((1, cores)):
                result = run(batch, root / f"{fmt}-{workers}", workers)
                count = len(result.outcomes)
                rates[fmt, workers] = count / result.seconds
                print(f"{fmt:>4}, {workers} worker(s): {count} documents in {result.seconds:6.1f} s = "
                      f"{rates[fmt, workers]:5.1f} documents/s")  # fmt: skip
                if workers == cores:
                    pdf_result, docx_result = (result, docx_result) if fmt == "pdf" else (pdf_result, result)
            print(f"{fmt:>4}: scaling {rates[fmt, cores] / rates[fmt, 1]:.2f}x on {cores} cores")
        assert pdf_result and docx_result
        for fmt, result in (("pdf", pdf_result), ("docx", docx_result)):
            medians = stage_medians(result)
            print(f"{fmt:>4} median per document: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in medians.items()))
            if fmt == "pdf":
                weasyprint = medians.get("pdf layout", 0) + medians.get("pdf write", 0)
                outside = 1 - weasyprint / medians["whole variant"]
                print(f" pdf: time outside WeasyPrint's own work: {outside:.0%} of a document")
            peak, growth = peak_memory_mb(result)
            print(f"{fmt:>4}: peak memory per worker {peak:.0f} MB; growth after its 10th job {growth:+.0f} MB")

        if Path("/proc/self/status").exists():
            sizes = memory_over_passes(args.batch)
            print(
                "docx: one process's memory after each pass over the matrix: " + ", ".join(f"{s:.0f} MB" for s in sizes)
            )

        both = root / "both"
        run(args.batch, both, cores)
        started = time.perf_counter()
        rerun = run_batch(args.batch, both, cores)
        print(f"no-change re-run of {len(rerun.outcomes)} variants: {time.perf_counter() - started:.2f} s "
              f"({rerun.count('skipped')} skipped)")  # fmt: skip

        soffice = shutil.which("soffice")
        if not soffice:
            print("LibreOffice: soffice not found, comparison skipped (bash scripts/setup --test installs it)")
            return
        docx_files = sorted((root / f"docx-{cores}").glob("*.docx"))
        converted = root / "libreoffice"
        profile = root / "lo-profile"
        started = time.perf_counter()
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(converted), *map(str, docx_files)],
            check=True, capture_output=True,
        )  # fmt: skip
        lo_seconds = time.perf_counter() - started
        lo_per_doc = lo_seconds / len(docx_files)
        ours_per_doc = 1 / rates["pdf", 1]
        lo_ms, ours_ms = lo_per_doc * 1000, ours_per_doc * 1000
        print(f"LibreOffice DOCX->PDF: {len(docx_files)} documents in {lo_seconds:.1f} s = {lo_ms:.0f} ms each "
              f"(one soffice call, 1 process)")  # fmt: skip
        print(f"our PDF per document (1 worker) / LibreOffice's: {ours_ms:.0f} / {lo_ms:.0f} ms "
              f"= {ours_per_doc / lo_per_doc:.2f}")  # fmt: skip
        # A whole variant per core: our PDF and DOCX, against a DOCX template route (our DOCX
        # writer standing in for docxtpl's) followed by LibreOffice's conversion.
        docx_per_doc = 1 / rates["docx", 1]
        ours_variant, route_variant = ours_per_doc + docx_per_doc, docx_per_doc + lo_per_doc
        print(f"a variant (PDF + DOCX) per core: ours {ours_variant * 1000:.0f} ms / DOCX + LibreOffice "
              f"{route_variant * 1000:.0f} ms = {ours_variant / route_variant:.2f}")  # fmt: skip
        cold_ours = cold(["jobdesc", "render", "--format", "pdf", "-o", str(root / "cold")])
        one_docx = docx_files[0]
        cold_lo = cold([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(root / "cold-lo"), str(one_docx)])  # fmt: skip
        print(f"cold start, one PDF: jobdesc render {cold_ours:.2f} s / soffice --convert-to pdf {cold_lo:.2f} s "
              f"= {cold_ours / cold_lo:.2f}")  # fmt: skip


def cold(command: list[str], runs: int = 3) -> float:
    """Median wall time of a fresh process running ``command``."""
    if command[0] == "jobdesc":
        command = [str(Path(sys.executable).with_name("jobdesc")), *command[1:]]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


if __name__ == "__main__":
    main()
