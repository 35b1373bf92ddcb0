"""The command line: parse, call the API in pipeline.py, print. Nothing else."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .batch import Outcome, run_batch
from .bundle import Bundle
from .errors import JobdescError, ProfileError, UsageError
from .i18n import LANGUAGES
from .limits import DEPTH, MEMORY, guarded
from .paths import TEMPLATES
from .pipeline import DEFAULT_ROLE, Request, build_document, render, validate
from .renderers import FORMATS, PDF_VARIANTS, RenderOptions
from .writing import write_atomically

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
            click.argument("role", default=DEFAULT_ROLE),
            click.option(
                "--lang",
                "language",
                metavar="LANG",
                help=f"Document language: {', '.join(LANGUAGES)} (e.g. pt-BR). Default: the organisation's.",
            ),
            click.option(
                "--org",
                "organisation",
                metavar="NAME|FILE",
                help="Organisation: a bundled one by name (see `jobdesc list`) or a file. "
                "Default: the jurisdiction's sample organisation (bg without --jurisdiction).",
            ),
            click.option("--jurisdiction", metavar="CODE", help="Jurisdiction, e.g. bg. Default: the organisation's."),
            click.option("--industry", metavar="NAME", help="Industry overlay, e.g. banking. Default: none."),
        ]
    ):
        command = decorator(command)
    return command


def _options(templates: Path | None, pdf_variant: str | None) -> RenderOptions:
    return RenderOptions(templates or TEMPLATES, pdf_variant)


def _fail(exc: JobdescError) -> None:
    lines = [str(d) for d in exc.diagnostics] if isinstance(exc, ProfileError) else [str(exc)]
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(exc.exit_code)


def os_message(exc: OSError) -> str:
    """``cannot write out/x.pdf: No space left on device``: the file and the system's reason."""
    where = f" {exc.filename}" if exc.filename else ""
    return f"cannot use{where}: {exc.strerror or exc}"


class Commands(click.Group):
    """Every command ends in a message a user can act on: what they can cause is never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except JobdescError as exc:
            _fail(exc)
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
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="JOBDESC_PROFILES",
    help="Profiles folder (roles/, jurisdictions/, organisations/). Default: the bundled one.",
)
@click.pass_context
def main(ctx: click.Context, profiles: Path | None) -> None:
    """Turn YAML role profiles into signed-off job instructions (PDF, DOCX)."""
    ctx.obj = Bundle(profiles) if profiles else Bundle()


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
    request = Request(
        role=role,
        language=language,
        formats=tuple(f.strip().lower() for f in formats.split(",") if f.strip()),
        organisation=organisation,
        jurisdiction=jurisdiction,
        industry=industry,
        employees=employees,
    )
    started = time.perf_counter()
    try:
        written = render(request, out_dir, bundle, _options(templates, pdf_variant))
    except JobdescError as exc:
        _fail(exc)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(written)} file(s) in {time.perf_counter() - started:.2f} s")


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
) -> None:
    """Render every variant a BATCH_FILE names; only the changed ones unless --force."""
    workers = workers or os.cpu_count() or 1
    terminal = sys.stdout.isatty()
    bar: Any = None

    def progress(outcome: Outcome) -> None:
        if bar is not None:
            bar.update(1, outcome.variant.stem)
        elif outcome.status != "skipped":
            click.echo(f"{outcome.status:>9} {outcome.variant.stem} ({outcome.seconds:.2f} s)")

    def start(total: int) -> None:
        nonlocal bar
        if terminal:
            bar = click.progressbar(length=total, label="rendering", show_pos=True, show_eta=True, item_show_func=str)
            bar.__enter__()

    try:
        options = _options(templates, pdf_variant)
        result = run_batch(
            batch_file, out_dir, workers, force, bundle, progress, options=options, start=start, dask=dask
        )
    except JobdescError as exc:
        _fail(exc)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    counts = ", ".join(f"{result.count(s)} {s}" for s in ("rendered", "unchanged", "skipped", "failed"))
    click.echo(f"{len(result.outcomes)} variants in {result.seconds:.1f} s with {workers} worker(s): {counts}")
    for outcome in result.failed:
        click.echo(f"FAILED {outcome.variant.stem}:", err=True)
        for line in outcome.error.splitlines():
            click.echo(f"  {line}", err=True)
    click.echo(f"report: {result.report_path}")
    if result.failed:
        sys.exit(1)


@main.command("sign")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--field", required=True, help="The signature field: approved-by, agreed-by-legal, familiarization-3, ..."
)
@click.option(
    "--key", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="PKCS#12 file."
)
@click.option("--passphrase-env", metavar="VAR", help="Read the key's passphrase from this environment variable.")
def sign_command(file: Path, field: str, key: Path, passphrase_env: str | None) -> None:
    """Sign one signature field of a jobdesc PDF (PAdES), keeping earlier signatures valid."""
    passphrase = os.environ.get(passphrase_env, "").encode() if passphrase_env else None
    try:
        from .signing import sign  # pyHanko: only the commands that sign or verify import it

        sign(file, field, key, passphrase)
    except JobdescError as exc:
        _fail(exc)
    click.echo(f"signed {field} in {file}")


@main.command("verify")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--org", "organisation", metavar="NAME|FILE",
    help="The organisation the documents were made for. Default: the jurisdiction's sample organisation.",
)  # fmt: skip
@click.option(
    "--trust", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CA certificate (PEM or DER) that signers' certificates must chain to; repeatable.",
)  # fmt: skip
@click.pass_obj
def verify_command(bundle: Bundle, files: tuple[Path, ...], organisation: str | None, trust: tuple[Path, ...]) -> None:
    """Tell whether each file still matches the current profiles and, for a PDF, the state of
    every signature field; exit 1 if a file is out of date or a signature is not valid."""
    from .signing import signature_report
    from .versions import check_version

    stale = 0
    for path in files:
        try:
            result = check_version(path, bundle, organisation)
            signatures = signature_report(path, list(trust)) if path.suffix.lower() == ".pdf" else []
        except JobdescError as exc:
            _fail(exc)
        click.echo(f"{path}: {result.identity.label()}")
        if result.up_to_date:
            click.echo("  up to date with the current profiles")
        else:
            stale += 1
            click.echo(
                f"  OUT OF DATE: made from content #{result.identity.content_hash}; "
                f"the current profiles give #{result.current_hash} (see jobdesc explain)"
            )
        for state in signatures:
            if not state.signed:
                click.echo(f"  {state.name}: empty")
                continue
            stale += not state.valid
            when = state.signed_at.isoformat(timespec="seconds") if state.signed_at else "unknown time"
            click.echo(
                f"  {state.name}: signed by {state.signer} at {when}; "
                f"{'intact' if state.intact else 'NOT INTACT'}, {'trusted' if state.trusted else 'not trusted'}, "
                f"changed after: {state.changed_after}; {'VALID' if state.valid else 'NOT VALID'}"
            )
    if stale:
        sys.exit(1)


@main.command("diff")
@variant_options
@click.option(
    "--from-profiles",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The old version is this profiles folder.",
)
@click.option("--from-rev", metavar="REV", help="The old version is the profiles at this git revision.")
@click.option("--from-jurisdiction", metavar="CODE", help="The old version is for this jurisdiction.")
@click.option("--from-industry", metavar="NAME", help="The old version is for this industry ('none' for none).")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "docx"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File for html or docx.")
@click.pass_obj
def diff_command(
    bundle: Bundle,
    role: str,
    language: str | None,
    organisation: str | None,
    jurisdiction: str | None,
    industry: str | None,
    from_profiles: Path | None,
    from_rev: str | None,
    from_jurisdiction: str | None,
    from_industry: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Compare two versions of ROLE clause by clause: added, removed, changed (word by word), moved."""
    from .redline import as_docx, as_html, as_text, compare, profiles_at

    if fmt != "text" and output is None:
        _fail(UsageError(f"--format {fmt} needs -o FILE"))
    new = Request(role, language, (), organisation, jurisdiction, industry)
    old_industry = (None if from_industry == "none" else from_industry) if from_industry else industry
    old = Request(role, language, (), organisation, from_jurisdiction or jurisdiction, old_industry)
    with tempfile.TemporaryDirectory() as scratch:
        try:
            old_bundle = bundle
            if from_rev:
                old_bundle = Bundle(profiles_at(from_rev, bundle.root, Path(scratch)))
            elif from_profiles:
                old_bundle = Bundle(from_profiles)
            before, _ = build_document(old, old_bundle)
            after, _ = build_document(new, bundle)
        except JobdescError as exc:
            _fail(exc)
    changes = compare(before, after)
    title = f"{after.title} {after.subtitle}"
    if fmt == "text":
        click.echo(as_text(changes, colour=sys.stdout.isatty()), nl=False)
        return
    assert output is not None
    data = as_html(changes, title).encode() if fmt == "html" else as_docx(changes, title, after.language, after.created)
    write_atomically(output, data)
    click.echo(f"wrote {output}")


@main.command("explain")
@variant_options
@click.pass_obj
def explain_command(
    bundle: Bundle,
    role: str,
    language: str | None,
    organisation: str | None,
    jurisdiction: str | None,
    industry: str | None,
) -> None:
    """Print the merged clauses of ROLE with the file and line each one's text comes from."""
    request = Request(role, language, (), organisation, jurisdiction, industry)
    try:
        with guarded():
            document, _ = build_document(request, bundle)
    except JobdescError as exc:
        _fail(exc)
    for section in document.sections:
        click.echo(f"{section.numeral}. {section.heading}")
        for clause in section.walk():
            indent = "  " * (clause.level + 1)
            click.echo(f"{indent}{clause.number} [{clause.id}] {clause.layer}: {clause.origin}")
            click.echo(f"{indent}    {clause.text}")
    for clause_id, where in document.removed:
        click.echo(f"removed [{clause_id}] by {where}")


@main.command("validate")
@click.pass_obj
def validate_command(bundle: Bundle) -> None:
    """Check every profile; exit 1 listing each problem as file:line: field: message."""
    result = validate(bundle)
    coverage = ", ".join(f"{code} {have * 100 // total}%" for code, (have, total) in result.coverage.items() if total)
    click.echo(f"translation coverage of roles and industries: {coverage}")
    click.echo(f"combinations checked: {result.combinations}")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if result.problems:
        click.echo(f"{len(result.problems)} problem(s) found", err=True)
        sys.exit(1)
    counts = [
        f"{len(bundle.roles())} role(s)",
        f"{len(bundle.industries())} industries",
        f"{len(bundle.jurisdictions())} jurisdiction(s)",
        f"{len(bundle.organisations())} organisation(s)",
        f"{len(LANGUAGES)} languages",
    ]
    click.echo(f"ok: {', '.join(counts)}")


@main.command("list")
@click.pass_obj
def list_command(bundle: Bundle) -> None:
    """Show the roles, industries, jurisdictions, organisations, languages and formats available."""
    for label, values in (
        ("roles", bundle.roles()),
        ("industries", bundle.industries()),
        ("jurisdictions", bundle.jurisdictions()),
        ("organisations", bundle.organisations()),
        ("languages", list(LANGUAGES)),
        ("formats", list(FORMATS)),
    ):
        click.echo(f"{label}: {', '.join(values)}")
