"""The command line: parse, call the API in pipeline.py, print. Nothing else."""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from click.core import ParameterSource

from . import __version__, completion
from .bundle import DEFAULT_ROLE, Bundle
from .cli_init import init_group
from .cli_output import colour_wanted, diagnostic_json, paint, print_json, set_speaker, speaker
from .errors import FileError, JobdescError, ProfileError, RenderError, UsageError
from .i18n import LANGUAGES
from .limits import ASSET_BYTES, DEPTH, MEMORY, guarded
from .paths import TEMPLATES, display
from .renderers import FORMATS, PDF_VARIANTS, RenderOptions
from .writing import write_atomically

if TYPE_CHECKING:
    from .batch import Outcome
    from .impact import Impact
    from .model import Document
    from .pipeline import Request

# The heavy libraries (WeasyPrint, python-docx, pyHanko, Babel, Jinja) are imported inside the
# commands that use them, so `--help`, `list` and TAB completion start at once.

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
                help=f"Document language: {', '.join(LANGUAGES)} (e.g. pt-BR). Default: the organisation's.",
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


def _options(templates: Path | None, pdf_variant: str | None) -> RenderOptions:
    return RenderOptions(templates or TEMPLATES, pdf_variant)


def _fail(exc: JobdescError, exit_code: int | None = None) -> NoReturn:
    lines = [str(d) for d in exc.diagnostics] if isinstance(exc, ProfileError) else [str(exc)]
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(exc.exit_code if exit_code is None else exit_code)


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
        written = render(request, out_dir, bundle, _options(templates, pdf_variant))
    except JobdescError as exc:
        _fail(exc)
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
    from .batch import run_batch

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
        options = _options(templates, pdf_variant)
        result = run_batch(
            batch_file, out_dir, workers, force, bundle, progress, options=options, start=start, dask=dask
        )
    except JobdescError as exc:
        _fail(exc)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    totals = result.totals()
    if as_json:
        failed = [{"variant": o.variant.stem, "error": o.error} for o in result.failed]
        print_json({**totals, "workers": workers, "report": str(result.report_path), "failures": failed})
    else:
        counts = ", ".join(f"{totals[s]} {s}" for s in ("rendered", "unchanged", "skipped", "failed"))
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

        _within_size(file, key)
        sign(file, field, key, passphrase)
    except JobdescError as exc:
        _fail(exc)
    click.echo(f"signed {field} in {file}")


def _within_size(*paths: Path) -> None:
    """A document, key or certificate someone handed over is read only up to the asset size limit."""
    for path in paths:
        size = path.stat().st_size
        if size > ASSET_BYTES.value:
            raise FileError(f"{path}: the file is too large: {ASSET_BYTES.message(size)}")


@main.command("verify")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--org", "organisation", metavar="NAME|FILE",
    help="Compare against this organisation instead of the one the document records it was made for.",
)  # fmt: skip
@click.option(
    "--trust", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CA certificate (PEM or DER) that signers' certificates must chain to; repeatable.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print each file's verdict and fields as JSON.")
@click.pass_obj
def verify_command(
    bundle: Bundle, files: tuple[Path, ...], organisation: str | None, trust: tuple[Path, ...], as_json: bool
) -> None:
    """Tell whether each file still matches the current profiles and, for a PDF, the state of
    every signature field; exit 1 if a file is out of date, a signature is not valid or the
    document was changed after its last signature."""
    from .signing import Inspection, inspect
    from .versions import check_version

    verdicts = []
    for path in files:
        try:
            _within_size(path, *trust)
            report = inspect(path, list(trust)) if path.suffix.lower() == ".pdf" else Inspection([], None, None, ())
            result = check_version(path, bundle, organisation, report.signed_revision)
        except JobdescError as exc:
            _fail(exc)
        fields = [
            {
                "name": state.name,
                "signed": state.signed,
                **(
                    {
                        "signer": state.signer,
                        "signed_at": state.signed_at.isoformat(timespec="seconds") if state.signed_at else None,
                        "intact": state.intact,
                        "trusted": state.trusted,
                        "changed_after": state.changed_after,
                        "valid": state.valid,
                    }
                    if state.signed
                    else {}
                ),
            }
            for state in report.fields
        ]
        valid = (
            result.up_to_date
            and not result.disagreement
            and not report.changes_after
            and all(f["valid"] for f in fields if f["signed"])
        )
        verdicts.append(
            {
                "file": str(path),
                "identity": result.identity.label(),
                "signed_revision": report.last_signed,
                "up_to_date": result.up_to_date,
                "made_from": result.identity.content_hash,
                "current": result.current_hash,
                "pages_contradict": result.disagreement or None,
                "changed_after_last_signature": list(report.changes_after),
                "fields": fields,
                "valid": valid,
            }
        )
    if as_json:
        print_json({"files": verdicts, "valid": all(v["valid"] for v in verdicts)})
    else:
        for verdict in verdicts:
            _print_verdict(verdict)
    if not all(v["valid"] for v in verdicts):
        sys.exit(1)


def _print_verdict(verdict: dict[str, Any]) -> None:
    click.echo(f"{verdict['file']}: {verdict['identity']}")
    if verdict["signed_revision"]:
        click.echo(f"  signed: read as the last signature ({verdict['signed_revision']}) covers it")
    else:
        click.echo("  unsigned: read from the document's metadata")
    if verdict["up_to_date"]:
        click.echo("  up to date with the current profiles")
    else:
        click.echo(
            f"  OUT OF DATE: made from content #{verdict['made_from']}; "
            f"the current profiles give #{verdict['current']} (see jobdesc explain)"
        )
    if verdict["pages_contradict"]:
        click.echo(f"  THE PAGES CONTRADICT THE METADATA: {verdict['pages_contradict']}; NOT VALID")
    if verdict["changed_after_last_signature"]:
        changes = ", ".join(verdict["changed_after_last_signature"])
        click.echo(f"  CHANGED AFTER THE LAST SIGNATURE: {changes}; NOT VALID")
    for field in verdict["fields"]:
        if not field["signed"]:
            click.echo(f"  {field['name']}: empty")
            continue
        click.echo(
            f"  {field['name']}: signed by {field['signer']} at {field['signed_at'] or 'unknown time'}; "
            f"{'intact' if field['intact'] else 'NOT INTACT'}, {'trusted' if field['trusted'] else 'not trusted'}, "
            f"changed after: {field['changed_after']}; {'VALID' if field['valid'] else 'NOT VALID'}"
        )


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
@click.option("--format", "fmt", type=click.Choice(["text", "html", "pdf", "docx"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File for html, pdf or docx.")
@click.option(
    "-j", "--jobs", "workers", type=click.IntRange(min=1),
    help="Processes that compare the variants (with no variant named). Default: all cores.",
)  # fmt: skip
@click.option(
    "--author",
    help="The revisions' author in a DOCX redline. Default: git's user.name in the profiles' repository, "
    "else your user name.",
)
@click.pass_context
def diff_command(
    ctx: click.Context,
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
    workers: int | None,
    author: str | None,
) -> None:
    """Compare two versions clause by clause: added, removed, changed (word by word), moved, and
    the approval data. With no variant named, every variant the change touches, each change
    once with its variants listed. Exit 0: no change, 1: changes, 2: trouble."""
    from .impact import impact
    from .pipeline import Request
    from .redline import named_at_revision, profiles_at

    bundle: Bundle = ctx.obj
    variant = ("role", "language", "organisation", "jurisdiction", "industry", "from_jurisdiction", "from_industry")
    named = any(ctx.get_parameter_source(name) is not ParameterSource.DEFAULT for name in variant)
    if fmt != "text" and output is None:
        _fail(UsageError(f"--format {fmt} needs -o FILE"))
    if not (from_rev or from_profiles or from_jurisdiction or from_industry):
        _fail(UsageError("nothing to compare with: give --from-rev REV, --from-profiles DIR, --from-jurisdiction or "
                         "--from-industry"))  # fmt: skip
    if fmt == "docx" and not named:
        _fail(UsageError("a DOCX redline tracks the changes of one document: name its variant (ROLE, --lang, "
                         "--jurisdiction, --industry, --org); without them `jobdesc diff` lists the variants a "
                         "change touches"))  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        try:
            old_bundle = bundle
            if from_rev:
                old_bundle = bundle.with_root(profiles_at(from_rev, bundle.root, Path(scratch)))
            elif from_profiles:
                old_bundle = bundle.with_root(from_profiles)
            if named:
                _diff_one(bundle, old_bundle, Request(role, language, (), organisation, jurisdiction, industry),
                          from_jurisdiction, from_industry, fmt, output, author)  # fmt: skip
            else:
                result = impact(old_bundle, bundle, workers or os.cpu_count() or 1)
                since = f"--from-rev {from_rev}" if from_rev else f"--from-profiles {from_profiles}"
                _diff_report(result, fmt, output, f"jobdesc diff {since}")
                sys.exit(1 if result.changed else 0)
        except ProfileError as exc:
            _fail(named_at_revision(exc, Path(scratch), from_rev) if from_rev else exc, exit_code=2)
        except JobdescError as exc:
            _fail(exc, exit_code=2)


def _diff_one(
    bundle: Bundle,
    old_bundle: Bundle,
    new: Request,
    from_jurisdiction: str | None,
    from_industry: str | None,
    fmt: str,
    output: Path | None,
    author: str | None,
) -> None:
    """One variant's redline in any format; exits 1 if anything changed."""
    from .pipeline import build_document
    from .redline import as_html, as_pdf, as_text, compare, git_author
    from .redline_docx import as_docx

    old_industry = (None if from_industry == "none" else from_industry) if from_industry else new.industry
    old = dataclasses.replace(new, jurisdiction=from_jurisdiction or new.jurisdiction, industry=old_industry)
    before, _ = build_document(old, old_bundle)
    after, _ = build_document(new, bundle)
    changes = compare(before, after)
    title = f"{after.title} {after.subtitle}"
    if fmt == "text":
        click.echo(as_text(changes, colour=colour_wanted()), nl=False)
    else:
        assert output is not None
        writers: dict[str, Callable[[], bytes]] = {
            "html": lambda: as_html(changes, title).encode(),
            "pdf": lambda: as_pdf(as_html(changes, title)),
            "docx": lambda: as_docx(changes, title, after.language, after.created, author or git_author(bundle.root)),
        }
        _write(output, writers[fmt]())
    sys.exit(1 if any(c.changed for c in changes) else 0)


def _diff_report(result: Impact, fmt: str, output: Path | None, title: str) -> None:
    """Every variant a change touches, on the terminal, as HTML or as PDF."""
    from .impact import as_html, as_text
    from .redline import as_pdf

    if fmt == "text":
        click.echo(as_text(result, colour=colour_wanted()), nl=False)
        return
    assert output is not None
    page = as_html(result, title)
    _write(output, page.encode() if fmt == "html" else as_pdf(page))


def _write(output: Path, data: bytes) -> None:
    try:
        write_atomically(output, data)
    except OSError as exc:
        raise RenderError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}")


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
        _fail(exc)
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
    counts = {kind: len([p for p in bundle.paths(kind) if not (layered and bundle.is_bundled(p))]) for kind in kinds}
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
        _fail(UsageError(f"the studio needs the serve extra ({exc.name} is missing): pip install 'jobdesc[serve]'"))
    serve(bundle, out_dir, host, port, not no_browser, click.echo)
