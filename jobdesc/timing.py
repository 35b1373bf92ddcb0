"""Where a render's time goes, for the batch report and the benchmark.

Stages add their wall time to a per-process counter; the batch worker reads and
resets it around each variant.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

_totals: defaultdict[str, float] = defaultdict(float)  # seconds per stage


@contextmanager
def timed(stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        _totals[stage] += time.perf_counter() - started


def take() -> dict[str, float]:
    """The seconds per stage since the last call, and reset."""
    result: dict[str, float] = dict(_totals)
    _totals.clear()
    return result
