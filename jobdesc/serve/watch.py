"""Notice a changed profile, template or catalog: the modification times of every file under
the watched folders, read a few times a second (a few hundred small files; no dependency)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

INTERVAL = 0.3  # seconds between looks: a saved file shows within a second


def fingerprint(folders: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    """Every file's path, modification time and size."""
    seen = []
    for folder in folders:
        for top, _, files in os.walk(folder):
            for name in files:
                path = os.path.join(top, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # removed while we looked
                seen.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(seen))


async def changes(folders: Sequence[Path], interval: float = INTERVAL) -> AsyncIterator[None]:
    """Yield once each time anything under ``folders`` changes."""
    last = await asyncio.to_thread(fingerprint, folders)
    while True:
        await asyncio.sleep(interval)
        now = await asyncio.to_thread(fingerprint, folders)
        if now != last:
            last = now
            yield None
