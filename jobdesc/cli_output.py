"""How the command line speaks: quiet or verbose, colour only where it shows, JSON for scripts.

- ``-q`` prints errors only; ``-v`` adds where the time went, on stderr.
- Colour only on a terminal, and never when ``NO_COLOR`` is set to anything (https://no-color.org).
- ``--json`` prints one JSON document on stdout; messages and errors still go to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from typing import IO, Any

import click

from .errors import Diagnostic

QUIET, NORMAL, VERBOSE = -1, 0, 1
_KEY = "jobdesc.output"


def colour_wanted(stream: IO[str] | None = None) -> bool:
    """Colour only on a terminal and never with ``NO_COLOR``."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream if stream is not None else sys.stdout
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass(frozen=True)
class Speaker:
    """What the user asked to hear: ``level`` is QUIET, NORMAL or VERBOSE."""

    level: int = NORMAL

    def info(self, message: str) -> None:
        """A normal message on stdout (not with -q)."""
        if self.level > QUIET:
            click.echo(message, color=colour_wanted())

    def detail(self, message: str) -> None:
        """A -v message (timings, stages) on stderr."""
        if self.level >= VERBOSE:
            click.echo(message, err=True, color=colour_wanted(sys.stderr))

    def warning(self, message: str) -> None:
        if self.level > QUIET:
            self.error(f"{paint('warning', 'yellow', sys.stderr)}: {message}")

    def error(self, message: str) -> None:
        """Always printed, -q or not."""
        click.echo(message, err=True, color=colour_wanted(sys.stderr))

    def stages(self, seconds: dict[str, float]) -> None:
        """-v: where the time went, one stage a line, slowest first."""
        for stage, spent in sorted(seconds.items(), key=lambda item: -item[1]):
            self.detail(f"  {stage}: {spent * 1000:.0f} ms")


def paint(text: str, colour: str, stream: IO[str] | None = None) -> str:
    """``text`` in ``colour`` where colour is wanted, else as it is."""
    return click.style(text, fg=colour) if colour_wanted(stream) else text


def set_speaker(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    ctx.meta[_KEY] = Speaker(QUIET if quiet else VERBOSE if verbose else NORMAL)


def speaker() -> Speaker:
    """The current command's speaker (normal when called outside a command)."""
    ctx = click.get_current_context(silent=True)
    found = ctx.meta.get(_KEY) if ctx is not None else None
    return found if isinstance(found, Speaker) else Speaker()


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """One problem as scripts read it: the same parts as ``path:line:column: field: message``."""
    where = diagnostic.location
    return {
        "path": where.path,
        "line": where.line or None,
        "column": where.column or None,
        "field": diagnostic.field or None,
        "message": diagnostic.message,
        "text": str(diagnostic),
    }


def print_json(data: Any) -> None:
    """One JSON document on stdout, UTF-8 as written (``--json``)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
