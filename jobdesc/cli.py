"""The command line: parse, call the API, print. Nothing else. The group and the everyday
commands are here; init is in cli_init.py, sign, verify and diff in cli_review.py."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .bundle import Bundle
from .cli_common import PDF_VARIANT_OPTION, TEMPLATES_OPTION, fail, render_options, variant_options
from .cli_init import init_group
from .cli_output import diagnostic_json, paint, print_json, set_speaker, speaker
from .cli_review import diff_command, sign_command, verify_command
from .errors import JobdescError, UsageError, os_message
from .i18n import LANGUAGES
from .limits import DEPTH, MEMORY, guarded
from .paths import display
from .renderers import FORMATS

if TYPE_CHECKING:
    from .batch import Outcome
    from .model import Document

# The heavy libraries (WeasyPrint, python-docx, pyHanko, Babel, Jinja) are imported inside the
# commands that use them, so `--help`, `list` and TAB completion start at once.


class Commands(click.Group):
    """Every command ends in a message a user can act on: what they can cause is never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except JobdescError as exc:
            fail(exc)
        except OSError as exc:
            click.echo(f"error: {os_message(exc)}", err=True)
            sys.exit(1)
        except MemoryError:
            limit = f"the limit per document is {MEMORY.value:,} MB ({MEMORY.variable})"
            click.echo(f"error: out of memory; {limit}", err=True)
            sys.exit(1)
        except RecursionError:
            click.echo(f"error: nesting too deep for Python's stack; see {DEPTH.variable}", err=True)
            sys.exit(1)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jobdesc")
@click.option(
    "--profiles",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="JOBDESC_PROFILES",
    help="Your profiles folder (roles/, jurisdictions/, organisations/, industries/, batches/), searched before "
    f"the bundled library; repeatable (JOBDESC_PROFILES: folders separated by '{os.pathsep}').",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Also print where the time went, stage by stage (on stderr).")
@click.pass_context
def main(ctx: click.Context, profiles: tuple[Path, ...], quiet: bool, verbose: bool) -> None:
    """Turn YAML role profiles into signed-off job instructions (PDF, DOCX)."""
    set_speaker(ctx, quiet, verbose)
    ctx.obj = Bundle.layered(profiles)


@main.command("render")
@variant_options
@click.option(
    "--format",
    "formats",
    default="pdf,docx",
    show_default=True,
    metavar="LIST",
    help=f"Comma-separated: {', '.join(FORMATS)}.",
)
@click.option(
    "--employees",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A staff list, CSV or XLSX (columns name, position; or in the document's language) of the employees "
    "who sign the familiarization sheet.",
)
@TEMPLATES_OPTION
@PDF_VARIANT_OPTION
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into.",
)
@click.pass_obj
def render_command(
    bundle: Bundle,
    role: str,
    language: str | None,
    formats: str,
    organisation: str | None,
    jurisdiction: str | None,
    industry: str | None,
    employees: Path | None,
    templates: Path | None,
    pdf_variant: str | None,
    out_dir: Path,
) -> None:
    """Render ROLE (default: account-manager) for an organisation."""
    from .pipeline import Request, render

    request = Request(
        role=role,
        language=language,
        formats=tuple(f.strip().lower() for f in formats.split(",") if f.strip()),
        organisation=organisation,
        jurisdiction=jurisdiction,
        industry=industry,
        employees=employees,
    )
    from .timing import take

    started = time.perf_counter()
    take()
    try:
        written = render(request, out_dir, bundle, render_options(templates, pdf_variant))
    except JobdescError as exc:
        fail(exc)
    say = speaker()
    for path in written:
        say.info(f"wrote {path}")
    say.info(f"{len(written)} file(s) in {time.perf_counter() - started:.2f} s")
    say.stages(take())


@main.command("batch")
@click.argument("batch_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False, path_type=Path)
)
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), help="Worker processes. Default: all cores.")
@click.option("--force", is_flag=True, help="Render every variant, even those that did not change.")
@click.option(
    "--dask",
    metavar="ADDRESS",
    help="Render on this Dask scheduler (e.g. tcp://10.0.0.5:8786) instead of local workers; "
    "needs pip install 'jobdesc[dask]'. The workers need no shared disk.",
)
@TEMPLATES_OPTION
@PDF_VARIANT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (the report's totals and failures).")
@click.pass_obj
def batch_command(
    bundle: Bundle,
    batch_file: Path,
    out_dir: Path,
    workers: int | None,
    force: bool,
    dask: str | None,
    templates: Path | None,
    pdf_variant: str | None,
    as_json: bool,
) -> None:
    """Render every variant a BATCH_FILE names; only the changed ones unless --force."""
    from .batch import STATUSES, run_batch

    workers = workers or os.cpu_count() or 1
    say = speaker()
    chatty = not as_json and say.level >= 0
    terminal = chatty and sys.stdout.isatty()
    bar: Any = None

    def progress(outcome: Outcome) -> None:
        if bar is not None:
            bar.update(1, outcome.variant.stem)
        elif chatty and outcome.status != "skipped":
            say.info(f"{outcome.status:>9} {outcome.variant.stem} ({outcome.seconds:.2f} s)")
        if outcome.status != "skipped":
            say.stages(outcome.stages)

    def start(total: int) -> None:
        nonlocal bar
        if terminal:
            bar = click.progressbar(
                length=total, label="rendering", show_pos=True, show_eta=True, item_show_func=_shown
            )
            bar.__enter__()

    try:
        options = render_options(templates, pdf_variant)
        result = run_batch(
            batch_file, out_dir, workers, force, bundle, progress, options=options, start=start, dask=dask
        )
    except JobdescError as exc:
        fail(exc)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    totals = result.totals()
    if as_json:
        failed = [{"variant": o.variant.stem, "error": o.error} for o in result.failed]
        print_json({**totals, "workers": workers, "report": str(result.report_path), "failures": failed})
    else:
        counts = ", ".join(f"{totals[s]} {s}" for s in STATUSES)
        say.info(f"{totals['variants']} variants in {result.seconds:.1f} s with {workers} worker(s): {counts}")
        for outcome in result.failed:
            say.error(f"{paint('FAILED', 'red', sys.stderr)} {outcome.variant.stem}:")
            for line in outcome.error.splitlines():
                say.error(f"  {line}")
        say.info(f"report: {result.report_path}")
    if result.failed:
        sys.exit(1)


def _shown(stem: str | None) -> str | None:
    """The progress bar's current item: nothing before the first variant is done."""
    return stem


@main.command("explain")
@variant_options
@click.option("--json", "as_json", is_flag=True, help="Print the clauses as JSON.")
@click.pass_obj
def explain_command(
    bundle: Bundle,
    role: str,
    language: str | None,
    organisation: str | None,
    jurisdiction: str | None,
    industry: str | None,
    as_json: bool,
) -> None:
    """Print the merged clauses of ROLE with the file and line each one's text comes from."""
    from .pipeline import Request, build_document

    request = Request(role, language, (), organisation, jurisdiction, industry)
    try:
        with guarded():
            document, _ = build_document(request, bundle)
    except JobdescError as exc:
        fail(exc)
    if as_json:
        print_json(_explained(document))
        return
    for section in document.sections:
        click.echo(f"{section.numeral}. {section.heading}")
        for clause in section.walk():
            indent = "  " * (clause.level + 1)
            click.echo(f"{indent}{clause.number} [{clause.id}] {clause.layer}: {clause.origin}")
            click.echo(f"{indent}    {clause.text}")
    for clause_id, where in document.removed:
        click.echo(f"removed [{clause_id}] by {where}")


def _explained(document: Document) -> dict[str, Any]:
    """``explain --json``: the variant, then each section's clauses with where each text comes from."""
    identity = document.identity
    return {
        "role": identity.role if identity else None,
        "industry": identity.industry if identity else None,
        "jurisdiction": identity.jurisdiction if identity else None,
        "language": identity.language if identity else None,
        "content_hash": identity.content_hash if identity else None,
        "sections": [
            {
                "numeral": section.numeral,
                "heading": section.heading,
                "clauses": [
                    {
                        "number": clause.number,
                        "id": clause.id,
                        "level": clause.level,
                        "layer": clause.layer,
                        "origin": clause.origin,
                        "text": clause.text,
                    }
                    for clause in section.walk()
                ],
            }
            for section in document.sections
        ],
        "removed": [{"clause": clause_id, "by": str(where)} for clause_id, where in document.removed],
    }


@main.command("validate")
@click.option(
    "--org", "organisation", metavar="NAME|FILE",
    help="Check what this organisation will render: every role in its jurisdiction, in every language the role has.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the problems, warnings and coverage as JSON.")
@click.pass_obj
def validate_command(bundle: Bundle, organisation: str | None, as_json: bool) -> None:
    """Check every profile and every variant it makes; exit 1 listing each problem as
    file:line: field: message. Over the bundled library, the variants with your files in them."""
    from .validation import validate

    result = validate(bundle, organisation)
    kinds = ("roles", "industries", "jurisdictions", "organisations")
    layered = bool(bundle.fallbacks)
    counts = {kind: len(bundle.own_paths(kind)) for kind in kinds}
    counts["languages"] = len(LANGUAGES)
    if as_json:
        print_json(
            {
                "ok": not result.problems,
                "problems": [diagnostic_json(d) for d in result.problems],
                "warnings": [diagnostic_json(d) for d in result.warnings],
                "not_supported": result.unsupported,
                "combinations": result.combinations,
                "coverage": {code: {"have": have, "of": total} for code, (have, total) in result.coverage.items()},
                "counts": counts,
            }
        )
        if result.problems:
            sys.exit(1)
        return
    say = speaker()
    coverage = ", ".join(f"{code} {have * 100 // total}%" for code, (have, total) in result.coverage.items() if total)
    say.info(f"translation coverage of roles and industries: {coverage}")
    say.info(f"combinations checked: {result.combinations}")
    for pair in result.unsupported:
        say.info(f"not supported: {pair}")
    for warning in result.warnings:
        say.warning(str(warning))
    for problem in result.problems:
        say.error(str(problem))
    if result.problems:
        say.error(f"{paint(f'{len(result.problems)} problem(s) found', 'red', sys.stderr)}")
        sys.exit(1)
    summary = [
        f"{counts['roles']} role(s)",
        f"{counts['industries']} industries",
        f"{counts['jurisdictions']} jurisdiction(s)",
        f"{counts['organisations']} organisation(s)",
    ]
    summary.append(f"{counts['languages']} languages")
    mine = " (yours, over the bundled library)" if layered else ""
    say.info(f"{paint('ok', 'green')}: {', '.join(summary)}{mine}")


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the names as JSON.")
@click.pass_obj
def list_command(bundle: Bundle, as_json: bool) -> None:
    """Show the roles, industries, jurisdictions, organisations, languages and formats available."""
    kinds = ("roles", "industries", "jurisdictions", "organisations")
    if as_json:
        names = {kind: [p.stem for p in bundle.paths(kind)] for kind in kinds}
        folders = {kind: {p.stem: bundle.folder_of(p) for p in bundle.paths(kind)} for kind in kinds}
        profiles = [display(folder) for folder in bundle.folders]
        fixed = {"languages": list(LANGUAGES), "formats": list(FORMATS)}
        print_json({**names, **fixed, "profiles": profiles, "from": folders})
        return
    for label, values in (
        *((kind, _origins(bundle, kind)) for kind in kinds),
        ("languages", list(LANGUAGES)),
        ("formats", list(FORMATS)),
    ):
        click.echo(f"{label}: {', '.join(values)}")


def _origins(bundle: Bundle, kind: str) -> list[str]:
    """Each name, with the folder it comes from when that is not the bundled library."""
    return [p.stem if bundle.is_bundled(p) else f"{p.stem} ({bundle.folder_of(p)})" for p in bundle.paths(kind)]


main.add_command(init_group)
for command in (sign_command, verify_command, diff_command):
    main.add_command(command)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Any but this machine's loopback prints a token every request must carry.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--no-browser", is_flag=True, help="Do not open the studio in a browser.")
@click.option("-o", "--output", "out_dir", default="out", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="The output folder: the studio's renders go here, and its status reads the PDFs here.")
@click.pass_obj
def serve_command(bundle: Bundle, host: str, port: int, no_browser: bool, out_dir: Path) -> None:
    """A local web studio: pick a variant, see it as it prints, see where each clause comes from,
    edit clauses into your organisation's file, compare, download. Needs `pip install 'jobdesc[serve]'`."""
    try:
        from .serve.app import serve
    except ImportError as exc:
        fail(UsageError(f"the studio needs the serve extra ({exc.name} is missing): pip install 'jobdesc[serve]'"))
    serve(bundle, out_dir, host, port, not no_browser, click.echo)
