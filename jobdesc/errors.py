"""Diagnostics and the exceptions that carry them to the user.

Every message a user sees about their files reads ``path:line: field: message``,
the way compilers and Sphinx report, so editors can jump to the place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int  # 1-based; 0 when the whole file is meant
    column: int = 0  # 1-based, in characters; 0 when the whole line is meant

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class JobdescError(Exception):
    """Base of every error jobdesc reports to a user. ``exit_code`` follows Click:
    1 for bad data, 2 for a bad command line."""

    exit_code = 1


class UsageError(JobdescError):
    """The command line names something that does not exist (a role, language, format)."""

    exit_code = 2


class ProfileError(JobdescError):
    """One or more problems in the user's YAML files, each with its location."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.location, d.field))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class RenderError(JobdescError):
    """A document could not be rendered completely; nothing was written."""


class FileError(JobdescError):
    """A file given to sign or verify is damaged, truncated or not one jobdesc made."""


def os_message(exc: OSError) -> str:
    """``cannot use out/x.pdf: No space left on device``: the file and the system's reason."""
    where = f" {exc.filename}" if exc.filename else ""
    return f"cannot use{where}: {exc.strerror or exc}"
