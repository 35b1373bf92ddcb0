"""Writing output files: whole or not at all, readable as the umask says, no litter left.

Each file is written under a temporary name (``.<name>.<random>.part``) beside it and renamed
into place, so a reader never sees half a document. The writer holds a lock on its temporary
file while it writes; a ``.part`` file of our naming that nobody holds is what a killed run
left behind, and the first write into a folder removes those.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; only old temporaries count as stale
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".part"
_OURS = re.compile(r"\..+\.[a-z0-9_]{8}\.part")
_STALE_WITHOUT_LOCKS = 24 * 3600  # seconds
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_cleaned: set[Path] = set()


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole, with the permissions a new file gets from the umask."""
    folder = target.parent
    if folder not in _cleaned:
        remove_stale(folder)
        _cleaned.add(folder)
    handle, temporary = _locked_temporary(target)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes 0600: colleagues on a shared drive could not open it
            os.fchmod(handle, 0o666 & ~_UMASK)
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    finally:
        os.close(handle)  # releases the lock


def _locked_temporary(target: Path) -> tuple[int, str]:
    while True:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=SUFFIX)
        if fcntl is None:
            return handle, temporary
        fcntl.flock(handle, fcntl.LOCK_EX)
        if os.fstat(handle).st_nlink:  # not removed as stale between its creation and the lock
            return handle, temporary
        os.close(handle)


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary files of writers that are gone; returns those removed."""
    removed: list[Path] = []
    try:
        candidates = [p for p in folder.iterdir() if _OURS.fullmatch(p.name)]
    except OSError:
        return removed
    for path in candidates:
        try:
            handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            elif time.time() - os.fstat(handle).st_mtime < _STALE_WITHOUT_LOCKS:
                continue
            os.unlink(path)
            removed.append(path)
        except OSError:
            continue  # a writer holds it: in use
        finally:
            os.close(handle)
    return removed
