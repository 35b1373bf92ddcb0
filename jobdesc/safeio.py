"""Read a file from other people's folders: inside the folder, by inode, and capped in size.

A path's spelling proves little: ``roles/../../x``, a symbolic link or a hard link can all
name a file elsewhere. So a file inside a folder is opened one component at a time from
the folder's own descriptor (``openat``), never following a symbolic link, and then
checked by ``fstat``: a regular file (not a FIFO that would block, not a device), with no
other name (a hard link may be a file from anywhere; the bundled data is exempt, as
installers such as uv hard-link it from their cache), and no larger than its limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

from .errors import Diagnostic, Location, ProfileError
from .limits import FILE_BYTES, Limit
from .paths import LOCALES, PROFILES, TEMPLATES, display

_BUNDLED = tuple(folder.resolve() for folder in (TEMPLATES, PROFILES, LOCALES))

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
_AT = os.open in os.supports_dir_fd and bool(_NOFOLLOW)


class UnsafeFile(ProfileError):
    """A file that is not plainly inside its folder, or too large to read."""

    def __init__(self, shown: str, message: str):
        super().__init__([Diagnostic(Location(shown, 0), "", message)])


def read_inside(root: Path, relative: str, *, trusted: bool = False, limit: Limit = FILE_BYTES) -> bytes:
    """The bytes of ``root/relative``, refusing anything that leaves ``root``."""
    trusted = trusted or root.resolve() in _BUNDLED
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    shown = f"{display(root)}/{relative}"
    if not parts or PurePosixPath(relative).is_absolute() or any(p in ("..", ".") for p in parts):
        raise UnsafeFile(display(root), f"{relative!r} is not a file name inside this folder")
    if not _AT:  # Windows: no openat; resolve and compare instead
        path = (root / relative).resolve()
        if not path.is_relative_to(root.resolve()):
            raise UnsafeFile(shown, f"leads outside {display(root)}; refused")
        return read_file(path, trusted=trusted, limit=limit)
    folder = _open(root, _DIRECTORY, shown, root)
    try:
        for part in parts[:-1]:
            inner = _open(part, _DIRECTORY | _NOFOLLOW, shown, root, folder)
            os.close(folder)
            folder = inner
        handle = _open(parts[-1], _NOFOLLOW | _NONBLOCK, shown, root, folder)
    finally:
        os.close(folder)
    return _read(handle, shown, trusted, limit)


def read_file(path: Path, *, trusted: bool = False, limit: Limit = FILE_BYTES) -> bytes:
    """The bytes of one file a user named: not through a symbolic link, regular, capped."""
    trusted = trusted or any(path.resolve().is_relative_to(folder) for folder in _BUNDLED)
    return _read(_open(path, _NOFOLLOW | _NONBLOCK, display(path), path.parent), display(path), trusted, limit)


def _open(name: str | Path, flags: int, shown: str, root: Path, folder: int | None = None) -> int:
    try:
        return os.open(name, os.O_RDONLY | flags, dir_fd=folder)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) or (exc.errno == errno.ENOTDIR and folder is not None):
            message = f"a symbolic link, which may lead outside {display(root)}; refused (copy the file in instead)"
            raise UnsafeFile(shown, message) from None
        raise UnsafeFile(shown, f"cannot be read: {exc.strerror or exc}") from None


def _read(handle: int, shown: str, trusted: bool, limit: Limit) -> bytes:
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(shown, "not a regular file; refused")
        if info.st_nlink > 1 and not trusted:
            message = f"has {info.st_nlink} names (a hard link), so it may be a file from outside the folder; refused"
            raise UnsafeFile(shown, f"{message} (copy the file in instead)")
        if info.st_size > limit.value:
            raise UnsafeFile(shown, f"the file is too large: {limit.message(info.st_size)}")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(limit.value + 1)
    except OSError as exc:
        raise UnsafeFile(shown, f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(handle)
    if len(data) > limit.value:
        raise UnsafeFile(shown, f"the file is too large: {limit.message(f'over {limit.value:,}')}")
    return data
