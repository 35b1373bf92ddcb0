"""Shell completion of the names a command takes: roles, jurisdictions, languages, industries,
organisations. Click calls these while the shell waits, before any command runs, so they
only list file names and never import what renders."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress

import click
from click.shell_completion import CompletionItem

from .bundle import Bundle
from .errors import JobdescError
from .i18n import LANGUAGES

Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]


def _bundle(ctx: click.Context) -> Bundle:
    """The profiles the command would use. Completion parses the command line without running
    the group's callback, which builds them: run it here, as the command would."""
    root = ctx.find_root()
    if not isinstance(root.obj, Bundle) and root.command.callback is not None:
        with suppress(click.ClickException, JobdescError, OSError):  # then complete from the bundled library
            root.invoke(root.command.callback, **root.params)
    return root.obj if isinstance(root.obj, Bundle) else Bundle()


def _matching(names: Iterable[str], incomplete: str) -> list[CompletionItem]:
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


def names_of(kind: str) -> Completer:
    """A completer of the names in one folder of the profiles: ``roles``, ``industries``, ..."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        return _matching((p.stem for p in _bundle(ctx).paths(kind)), incomplete)

    return complete


def languages(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    return _matching(LANGUAGES, incomplete)


def organisations(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """A bundled organisation's name, or (once it looks like a path) a file."""
    if "/" in incomplete or "\\" in incomplete or incomplete.startswith("."):
        return [CompletionItem(incomplete, type="file")]
    return _matching((p.stem for p in _bundle(ctx).paths("organisations")), incomplete)
