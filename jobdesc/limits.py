"""Limits that keep one bad or hostile file from starving a run or a batch.

Each limit has a default and an environment variable that raises it; every error
that hits one names the limit, the amount and how to raise it.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .errors import RenderError


@dataclass(frozen=True)
class Limit:
    name: str
    variable: str
    default: int
    unit: str

    @property
    def value(self) -> int:
        raw = os.environ.get(self.variable, "")
        return int(raw) if raw.isdigit() and int(raw) > 0 else self.default

    def message(self, amount: int | str) -> str:
        shown = f"{amount:,}" if isinstance(amount, int) else amount
        return (
            f"{shown} {self.unit} is over the {self.name} limit of {self.value:,} {self.unit}; "
            f"to allow more, set {self.variable}"
        )


FILE_BYTES = Limit("file size", "JOBDESC_MAX_FILE_BYTES", 1_000_000, "bytes")
CLAUSE_CHARS = Limit("clause length", "JOBDESC_MAX_CLAUSE_CHARS", 5_000, "characters")
CLAUSES = Limit("clauses per document", "JOBDESC_MAX_CLAUSES", 500, "clauses")
TEMPLATE_CHARS = Limit("template output", "JOBDESC_MAX_TEMPLATE_CHARS", 2_000_000, "characters")
SECONDS = Limit("time per document", "JOBDESC_TIME_LIMIT", 120, "seconds")


@contextmanager
def time_limit(limit: Limit = SECONDS) -> Iterator[None]:
    """Stop the work inside after ``limit`` seconds (main thread, Unix: a batch worker or the CLI)."""
    seconds = limit.value

    def expire(signum: int, frame: object) -> None:
        raise RenderError(f"the document took too long: {limit.message(f'over {seconds}')}")

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield  # a timer signal reaches only the main thread: a worker thread (Dask) runs unlimited
        return
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
