"""The commands of sign-off and review: sign, verify and diff."""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from .bundle import Bundle
from .cli_common import fail, variant_options
from .cli_output import colour_wanted, print_json
from .errors import FileError, JobdescError, ProfileError, RenderError, UsageError
from .limits import ASSET_BYTES
from .writing import write_atomically

if TYPE_CHECKING:
    from .impact import Impact
    from .pipeline import Request


@click.command("sign")
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
        fail(exc)
    click.echo(f"signed {field} in {file}")


def _within_size(*paths: Path) -> None:
    """A document, key or certificate someone handed over is read only up to the asset size limit."""
    for path in paths:
        size = path.stat().st_size
        if size > ASSET_BYTES.value:
            raise FileError(f"{path}: the file is too large: {ASSET_BYTES.message(size)}")


@click.command("verify")
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
            fail(exc)
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


@click.command("diff")
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
        fail(UsageError(f"--format {fmt} needs -o FILE"))
    if not (from_rev or from_profiles or from_jurisdiction or from_industry):
        fail(UsageError("nothing to compare with: give --from-rev REV, --from-profiles DIR, --from-jurisdiction or "
                         "--from-industry"))  # fmt: skip
    if fmt == "docx" and not named:
        fail(UsageError("a DOCX redline tracks the changes of one document: name its variant (ROLE, --lang, "
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
            fail(named_at_revision(exc, Path(scratch), from_rev) if from_rev else exc, exit_code=2)
        except JobdescError as exc:
            fail(exc, exit_code=2)


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
