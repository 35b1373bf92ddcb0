"""What the commands share: the options that pick a variant or a rendering, and how an error ends a command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from . import completion
from .bundle import DEFAULT_ROLE
from .errors import JobdescError, ProfileError
from .i18n import LANGUAGES
from .paths import TEMPLATES
from .renderers import PDF_VARIANTS, RenderOptions

TEMPLATES_OPTION = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Your templates folder (document.html.j2, print.css, reference.docx, fonts); "
    "what it lacks comes from the bundled one.",
)
PDF_VARIANT_OPTION = click.option(
    "--pdf-variant", type=click.Choice(PDF_VARIANTS), help="Write an archival (PDF/A) or accessible (PDF/UA) PDF."
)


def variant_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """ROLE and the options that pick one variant of it, shared by render, explain and diff."""
    for decorator in reversed(
        [
            click.argument("role", default=DEFAULT_ROLE, shell_complete=completion.names_of("roles")),
            click.option(
                "--lang",
                "language",
                metavar="LANG",
                shell_complete=completion.languages,
                help=f"Document language: {', '.join(LANGUAGES)} (e.g. pt-BR); for render, a pair such as pl+en puts "
                "the binding language first and a second beside it. Default: the organisation's.",
            ),
            click.option(
                "--org",
                "organisation",
                metavar="NAME|FILE",
                shell_complete=completion.organisations,
                help="Organisation: a bundled one by name (see `jobdesc list`) or a file. "
                "Default: your own organisation of that jurisdiction (or your only one), else the bundled sample "
                "of the jurisdiction (bg without --jurisdiction).",
            ),
            click.option(
                "--jurisdiction",
                metavar="CODE",
                shell_complete=completion.names_of("jurisdictions"),
                help="Jurisdiction, e.g. bg. Default: the organisation's.",
            ),
            click.option(
                "--industry",
                metavar="NAME",
                shell_complete=completion.names_of("industries"),
                help="Industry overlay, e.g. banking. Default: none.",
            ),
        ]
    ):
        command = decorator(command)
    return command


def render_options(templates: Path | None, pdf_variant: str | None) -> RenderOptions:
    return RenderOptions(templates or TEMPLATES, pdf_variant)


def fail(exc: JobdescError, exit_code: int | None = None) -> NoReturn:
    lines = [str(d) for d in exc.diagnostics] if isinstance(exc, ProfileError) else [str(exc)]
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(exc.exit_code if exit_code is None else exit_code)


