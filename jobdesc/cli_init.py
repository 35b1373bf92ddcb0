"""`jobdesc init` on the command line: the questions, then the files init.py writes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import completion
from .bundle import Bundle
from .cli_output import speaker
from .errors import UsageError

if TYPE_CHECKING:
    from .init import NewOrganisation

INIT_FOLDER_OPTION = click.option(
    "-o",
    "--output",
    "folder",
    default="profiles",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The profiles folder to write into (its organisations/ and roles/).",
)


def _known_jurisdiction(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A jurisdiction of the profiles: a wrong answer to the question is asked again."""
    if value is None or ctx.resilient_parsing:
        return value
    bundle = ctx.find_object(Bundle) or Bundle()
    if value not in bundle.jurisdictions():
        raise click.BadParameter(f"unknown jurisdiction {value!r}; valid: {', '.join(bundle.jurisdictions())}")
    return value


def organisation_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """What `init organisation` and `init profiles` ask: each option not given is prompted for."""
    for decorator in reversed(
        [
            click.option("--name", prompt="Organisation's name", help="As printed, e.g. 'Acme Trading Ltd'."),
            click.option(
                "--jurisdiction",
                prompt="Jurisdiction (e.g. gb; see jobdesc list)",
                callback=_known_jurisdiction,
                shell_complete=completion.names_of("jurisdictions"),
                help="The country whose employment framework applies, e.g. gb.",
            ),
            click.option(
                "--lang",
                "language",
                shell_complete=completion.languages,
                help="The documents' language. Default: the jurisdiction's.",
            ),
            click.option("--city", prompt="City", help="Printed beside the date."),
            click.option(
                "--approved-by", prompt="Approved by (POSITION: NAME)", metavar="'POSITION: NAME'", help="Who approves."
            ),
            click.option(
                "--agreed-by",
                multiple=True,
                metavar="'DIVISION=POSITION: NAME'",
                help="A head who agrees, e.g. 'legal=Head of Legal: Priya Sharma'; repeatable, in signing order.",
            ),
            click.option("--number", default="JD-001", show_default=True, help="The document's number."),
            click.option(
                "--date",
                type=click.DateTime(["%Y-%m-%d"]),
                metavar="YYYY-MM-DD",
                help="The document's date. Default: today.",
            ),
            click.option("--collective-agreement", metavar="TEXT", help="Where the jurisdiction requires one."),
            click.option(
                "--blank",
                multiple=True,
                metavar="BLANK=VALUE",
                help="A blank the jurisdiction requires of every role: professional_group=III, occupation_code=2433.",
            ),
        ]
    ):
        command = decorator(command)
    return command


def _new_organisation(bundle: Bundle, params: dict[str, Any]) -> NewOrganisation:
    """The NewOrganisation the options (and prompts for what they lack) describe."""
    from .init import NewOrganisation, Person, required_blanks

    requires = required_blanks(bundle, params["jurisdiction"])
    agreed_by = list(params["agreed_by"])
    if not agreed_by:
        agreed_by.append(click.prompt("Agreed by (DIVISION=POSITION: NAME, e.g. legal=Head of Legal: Ann Lee)"))
    agreed = {}
    for given in agreed_by:
        division, equals, person = given.partition("=")
        if not equals:
            raise UsageError(f"--agreed-by {given!r}: write it as 'DIVISION=POSITION: NAME'")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", division.strip()):
            raise UsageError(f"--agreed-by {given!r}: the division is an id of lowercase letters, digits and hyphens")
        agreed[division.strip()] = Person.parse(person, "--agreed-by")
    blanks = {}
    for given in params["blank"]:
        blank, equals, value = given.partition("=")
        if not equals or not value.strip():
            raise UsageError(f"--blank {given!r}: write it as 'BLANK=VALUE', e.g. professional_group=III")
        blanks[blank.strip()] = value.strip()
    agreement = params["collective_agreement"]
    for blank in requires:
        if blank == "collective_agreement" and not agreement:
            agreement = click.prompt(f"Collective agreement ({params['jurisdiction']} requires it)")
        elif blank != "collective_agreement" and blank not in blanks:
            blanks[blank] = click.prompt(f"{blank} of each role ({params['jurisdiction']} requires it)")
    extra = {"date": params["date"].date()} if params["date"] else {}
    return NewOrganisation(
        name=params["name"],
        jurisdiction=params["jurisdiction"],
        city=params["city"],
        approved_by=Person.parse(params["approved_by"], "--approved-by"),
        agreed_by=agreed,
        language=params["language"],
        number=params["number"],
        collective_agreement=agreement,
        blanks=blanks,
        **extra,
    )


@click.group("init")
def init_group() -> None:
    """Start your own profiles: an organisation, a role, or a folder with both.

    Init writes only your files (organisations/, roles/); the jurisdictions, industries and
    other roles come from the bundled library."""


@init_group.command("organisation")
@click.argument("file_name", metavar="NAME")
@organisation_options
@INIT_FOLDER_OPTION
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@click.pass_obj
def init_organisation_command(bundle: Bundle, /, file_name: str, folder: Path, force: bool, **params: Any) -> None:
    """Write organisations/NAME.yaml: who you are, who approves and who agrees."""
    from .init import write_organisation

    path = write_organisation(folder, file_name, _new_organisation(bundle, params), bundle, force)
    speaker().info(f"wrote {path}")
    speaker().info(f"next: jobdesc --profiles {folder} render --org {path.stem}")


ROLE_FROM_OPTION = click.option(
    "--from",
    "from_role",
    metavar="ROLE",
    shell_complete=completion.names_of("roles"),
    help="Start from a copy of this bundled role (see jobdesc list). Default: a commented skeleton.",
)
ROLE_LANGUAGES_OPTION = click.option(
    "--languages",
    metavar="LIST",
    help="The skeleton's languages, comma-separated. Default: your organisations' languages, else en.",
)


def _write_role(
    bundle: Bundle, folder: Path, name: str, from_role: str | None, languages: str | None, force: bool
) -> None:
    from .init import blanks_to_add, folder_languages, write_role

    codes = tuple(c.strip() for c in languages.split(",") if c.strip()) if languages else folder_languages(folder)
    path = write_role(folder, name, bundle, from_role, codes, force)
    say = speaker()
    say.info(f"wrote {path}")
    for note in blanks_to_add(folder, path.stem, bundle):
        say.warning(note)


@init_group.command("role")
@click.argument("name")
@ROLE_FROM_OPTION
@ROLE_LANGUAGES_OPTION
@INIT_FOLDER_OPTION
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@click.pass_obj
def init_role_command(
    bundle: Bundle, name: str, from_role: str | None, languages: str | None, folder: Path, force: bool
) -> None:
    """Write roles/NAME.yaml: a skeleton with a comment on every field, or a copy of a bundled role."""
    _write_role(bundle, folder, name, from_role, languages, force)
    speaker().info(f"next: jobdesc --profiles {folder} render {name}")


@init_group.command("profiles")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--org", "org_name", prompt="A short name for your organisation (e.g. acme)", help="Its file name.")
@click.option("--role", "role_name", prompt="Your first role's name (e.g. warehouse-keeper)", help="Its file name.")
@ROLE_FROM_OPTION
@ROLE_LANGUAGES_OPTION
@organisation_options
@click.pass_obj
def init_profiles_command(
    bundle: Bundle,
    /,
    folder: Path,
    org_name: str,
    role_name: str,
    from_role: str | None,
    languages: str | None,
    **params: Any,
) -> None:
    """Make FOLDER with your organisation and a first role; both render at once."""
    from .init import documents_language, write_organisation

    if folder.exists() and any(folder.iterdir()):
        raise UsageError(f"{folder} is not empty; use `jobdesc init organisation` or `jobdesc init role` in it")
    organisation = _new_organisation(bundle, params)
    _write_role(bundle, folder, role_name, from_role, languages or documents_language(organisation, bundle), False)
    path = write_organisation(folder, org_name, organisation, bundle)
    speaker().info(f"wrote {path}")
    speaker().info(f"next: jobdesc --profiles {folder} render {role_name} --org {org_name}")
