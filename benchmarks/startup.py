"""How long the command line takes to answer when it renders nothing: ``--help``, ``list``,
``--version`` and one TAB completion, each as a new process, as a shell starts it.

    .venv/bin/python benchmarks/startup.py [--runs 15] [--root ANOTHER_CHECKOUT]

Prints the median and the fastest wall time of each, its median CPU time (less disturbed by
other work on the machine), and the bare interpreter's start for comparison,
then the modules a ``--help`` imports that it should not (WeasyPrint, python-docx, pyHanko,
Babel, Jinja). Nothing is asserted: it prints what it saw.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("weasyprint", "docx", "pyhanko", "babel", "jinja2", "yaml", "multiprocessing")
COMPLETION = {"_JOBDESC_COMPLETE": "bash_complete", "COMP_WORDS": "jobdesc render --jurisdiction ", "COMP_CWORD": "3"}
CASES: dict[str, tuple[list[str], dict[str, str]]] = {
    "python -c pass": (["-c", "pass"], {}),
    "jobdesc --help": (["-m", "jobdesc", "--help"], {}),
    "jobdesc --version": (["-m", "jobdesc", "--version"], {}),
    "jobdesc list": (["-m", "jobdesc", "list"], {}),
    "TAB: render --jurisdiction": (["-m", "jobdesc"], COMPLETION),
}


def seconds(args: list[str], extra: dict[str, str], root: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system; 0 where the platform does not count a child's)."""
    env = {**os.environ, "PYTHONPATH": str(root), **extra}
    before, started = os.times(), time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL, env=env, cwd=root)
    wall, after = time.perf_counter() - started, os.times()
    return wall, after.children_user + after.children_system - before.children_user - before.children_system


def imported_by_help(root: Path) -> list[str]:
    """The heavy top-level packages that are in sys.modules after ``jobdesc --help``."""
    script = (
        "import sys\nfrom jobdesc.cli import main\n"
        "try:\n    main(['--help'], prog_name='jobdesc')\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True, cwd=root)
    return done.stdout.splitlines()[-1].split()  # the last line: the help text comes first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--root", type=Path, default=ROOT, help="The checkout to measure (e.g. an older one).")
    given = parser.parse_args()
    runs, root = given.runs, given.root.resolve()
    print(f"{'command':<30} {'median':>8} {'fastest':>8} {'CPU':>8}   ({runs} runs each, {os.cpu_count()} cores)")
    for label, (args, extra) in CASES.items():
        try:
            seconds(args, extra, root)  # a warm file cache, as for a user's second command
        except subprocess.CalledProcessError:
            print(f"{label:<30} fails in {root}")
            continue
        times = [seconds(args, extra, root) for _ in range(runs)]
        wall, cpu = [t for t, _ in times], statistics.median(c for _, c in times)
        median, fastest = statistics.median(wall) * 1000, min(wall) * 1000
        print(f"{label:<30} {median:>5.0f} ms {fastest:>5.0f} ms {cpu * 1000:>5.0f} ms")
    heavy = imported_by_help(root)
    print(f"heavy modules imported by --help: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
