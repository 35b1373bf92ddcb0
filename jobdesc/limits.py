"""Limits that keep one bad or hostile file from starving a run or a batch.

Each limit has a default and an environment variable that raises it; every error
that hits one names the limit, the amount and how to raise it.
"""

from __future__ import annotations

import os
import signal  # on every platform; only its Unix parts (SIGALRM, setitimer) are looked up before use
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import RenderError
from .paths import display


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
# Fonts, images, a reference.docx, a PDF to sign or verify: binary files, larger than texts.
ASSET_BYTES = Limit("asset file size", "JOBDESC_MAX_ASSET_BYTES", 50_000_000, "bytes")
CLAUSE_CHARS = Limit("clause length", "JOBDESC_MAX_CLAUSE_CHARS", 5_000, "characters")
CLAUSES = Limit("clauses per document", "JOBDESC_MAX_CLAUSES", 500, "clauses")
TEMPLATE_CHARS = Limit("template output", "JOBDESC_MAX_TEMPLATE_CHARS", 2_000_000, "characters")
SECONDS = Limit("time per document", "JOBDESC_TIME_LIMIT", 120, "seconds")
# YAML nesting, templates including or calling themselves, elements inside elements: Python's
# own stack ends at about 150 levels of a template macro and 200 of HTML in WeasyPrint.
DEPTH = Limit("nesting depth", "JOBDESC_MAX_DEPTH", 50, "levels")
MEMORY = Limit("memory per document", "JOBDESC_MAX_MEMORY_MB", 1024, "MB")


def unenforced() -> list[str]:
    """What this platform cannot enforce, each with the reason: the CLI and the API say so once."""
    missing = []
    if not hasattr(signal, "setitimer"):
        missing.append(f"the {SECONDS.name} limit ({SECONDS.variable}): this platform has no interval timer")
    try:
        import resource  # noqa: F401  (not on Windows)
    except ImportError:
        missing.append(f"the {MEMORY.name} limit ({MEMORY.variable}): this platform has no data-size limit")
    else:
        if not _data_bytes():  # macOS and the BSDs: no /proc to measure what the process holds
            missing.append(f"the {MEMORY.name} limit ({MEMORY.variable}): this platform does not report data size")
    if not hasattr(os, "O_NOFOLLOW"):
        missing.append("refusing symbolic links: this platform cannot open a file without following them")
    return missing


_warned = False


def warn_unenforced() -> None:
    """Say once per run, on stderr, which limits this platform cannot enforce. A worker process
    leaves it to the process that started it."""
    global _warned
    if _warned:
        return
    _warned = True
    import multiprocessing  # here: the CLI starts without it

    if multiprocessing.parent_process() is not None:
        return
    for what in unenforced():
        print(f"warning: not enforced on {sys.platform}: {what}", file=sys.stderr)


@contextmanager
def guarded() -> Iterator[None]:
    """One document's work under the time and memory limits; running out of memory or of
    Python's stack becomes the limit's message, not a traceback."""
    warn_unenforced()
    try:
        with time_limit(), memory_limit():
            yield
    except MemoryError as exc:
        where = _template_line(exc)
        message = f"the document needed too much memory: {MEMORY.message(f'over {MEMORY.value:,}')}"
        raise RenderError(f"{where}: {message}" if where else message) from None
    except RecursionError:
        raise RenderError(
            "the profiles or templates nest deeper than Python's stack allows; the nesting depth "
            f"limit is {DEPTH.value:,} levels ({DEPTH.variable}): lower it or the nesting"
        ) from None


def _template_line(exc: BaseException) -> str:
    """file:line of the template running when ``exc`` was raised (Jinja names a template's frames
    after its file), or ""."""
    for frame, line in reversed(list(traceback.walk_tb(exc.__traceback__))):
        if frame.f_code.co_filename.endswith(".j2"):
            return f"{display(Path(frame.f_code.co_filename))}:{line}"
    return ""


def peak_memory_kb() -> int:
    """The most memory this process has held (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _data_bytes() -> int:
    """The process's private writable memory now (what RLIMIT_DATA counts), from /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


@contextmanager
def memory_limit(limit: Limit = MEMORY) -> Iterator[None]:
    """Let the work inside allocate at most ``limit`` MB more than the process holds now.

    An address-space limit would count the fonts and libraries mapped into memory; the data
    limit counts what a render allocates, and an allocation past it raises MemoryError.
    Only on Linux (where RLIMIT_DATA counts mmap too) and in the main thread, like the timer."""
    try:
        import resource  # not on Windows
    except ImportError:
        yield
        return
    held = _data_bytes()
    if not held or threading.current_thread() is not threading.main_thread():
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    wanted = held + limit.value * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        yield  # a tighter limit set outside jobdesc stays
        return
    resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


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
