"""Render every bundled batch and run the layout check (jobdesc/layout.py) on each PDF.

    .venv/bin/python benchmarks/layout.py [--templates DIR] [--keep DIR]

Prints each finding, the count per rule and how long the check took per PDF; exits 1 if there is
any finding or a variant failed to render. ``--templates`` renders with another templates folder
(to try a stylesheet); ``--keep`` writes the PDFs there instead of a temporary folder. Needs the
``layout`` extra (pdfplumber).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jobdesc.batch import run_batch
from jobdesc.layout import RULES, Finding, check_pdf
from jobdesc.paths import PROFILES
from jobdesc.renderers import RenderOptions

WORKERS = 2


def timed_check(pdf: Path) -> tuple[list[Finding], float]:
    started = time.perf_counter()
    findings = check_pdf(pdf)
    return findings, time.perf_counter() - started


def check_batches(out: Path, options: RenderOptions) -> int:
    pdfs: list[Path] = []
    failed = 0
    for batch in sorted((PROFILES / "batches").glob("*.yaml")):
        started = time.perf_counter()
        result = run_batch(batch, out / batch.stem, WORKERS, force=True, options=options)
        for outcome in result.failed:
            print(f"FAILED {outcome.variant.stem}: {outcome.error}")
        failed += len(result.failed)
        found = sorted((out / batch.stem).glob("*.pdf"))
        seconds = time.perf_counter() - started
        print(f"{batch.name}: {len(result.outcomes)} variants, {len(found)} PDFs, rendered in {seconds:.1f} s")
        pdfs += found
    if not pdfs:
        print("no PDF to check")
        return 1
    started = time.perf_counter()
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(timed_check, pdfs))
    wall = time.perf_counter() - started
    counts: Counter[str] = Counter()
    for pdf, (findings, _) in zip(pdfs, results, strict=True):
        for finding in findings:
            print(f"{pdf.parent.name}/{pdf.name}: {finding}")
            counts[finding.rule] += 1
    print("findings per rule: " + ", ".join(f"{rule} {counts[rule]}" for rule in RULES))
    seconds = [s for _, s in results]
    print(f"check: {len(pdfs)} PDFs in {wall:.1f} s with {WORKERS} workers; per PDF median "
          f"{statistics.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms")  # fmt: skip
    return 1 if counts or failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--templates", type=Path, help="templates folder to render with (default: the bundled one)")
    parser.add_argument("--keep", type=Path, help="write the PDFs into this folder and keep them")
    args = parser.parse_args()
    options = RenderOptions(templates=args.templates) if args.templates else RenderOptions()
    if args.keep:
        sys.exit(check_batches(args.keep, options))
    with tempfile.TemporaryDirectory() as scratch:
        sys.exit(check_batches(Path(scratch), options))


if __name__ == "__main__":
    main()
