"""``jobdesc init``: a new user's own organisation and roles, written so that they validate and
render at once.

Init writes only the user's own files, ``organisations/NAME.yaml`` and ``roles/NAME.yaml``,
into a profiles folder; the jurisdictions, industries and the other roles come from the
bundled library. Each file is read back with the same loader a render uses before init says
it is done, so what it writes is never a file the next command refuses.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .bundle import Bundle, check_name
from .errors import JobdescError, UsageError
from .i18n import LANGUAGES, parse_language
from .paths import display
from .profile import BLANKS, SECTIONS, Role, load_jurisdiction, load_organisation, load_role

TEMPLATE_ROLE = "account-manager"  # the bundled role whose first clauses show a new role's shape


@dataclass(frozen=True)
class Person:
    position: str
    name: str

    @classmethod
    def parse(cls, given: str, what: str) -> Person:
        """``Managing Director: Jane Smith``: the position, a colon, the name."""
        position, colon, name = given.rpartition(":")
        if not colon or not position.strip() or not name.strip():
            raise UsageError(f"{what} {given!r}: write it as 'POSITION: NAME', e.g. 'Managing Director: Jane Smith'")
        return cls(position.strip(), name.strip())


@dataclass(frozen=True)
class NewOrganisation:
    """What a user tells init about their organisation. Texts are the same in every language;
    the file says how to give one per language."""

    name: str
    jurisdiction: str
    city: str
    approved_by: Person
    agreed_by: dict[str, Person]  # division (legal, hr, ...) -> head, in signing order
    language: str | None = None  # None: the jurisdiction's own
    number: str = "JD-001"
    date: datetime.date = field(default_factory=datetime.date.today)
    collective_agreement: str | None = None
    blanks: dict[str, str] = field(default_factory=dict)  # professional_group / occupation_code of every role


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _commented(line: str, comment: str) -> str:
    """A line with its comment, the comments of a file in one column where the lines allow."""
    return f"{line.ljust(36)}  # {comment}"


def _refuse_existing(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise UsageError(f"{display(path)} exists; edit it, or give --force to write it anew")


def _write_checked(path: Path, text: str, check: Callable[[Path], object]) -> Path:
    """Write ``text`` and read it back with the loader a render uses; a file the loader refuses is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        check(path)
    except JobdescError:
        path.unlink()
        raise
    return path


def organisation_yaml(org: NewOrganisation, language: str, requires: tuple[str, ...], roles: list[str]) -> str:
    """The organisation file, with a comment on every field."""
    lines = [
        f"# {org.name}: written by `jobdesc init organisation`; edit it freely.",
        "# Every printed text is one text for all languages, or a text per language:",
        "#   city: {en: Seville, es: Sevilla, bg: Севиля}",
        _commented(f"name: {_quoted(org.name)}", "as printed"),
        _commented(f"city: {_quoted(org.city)}", "printed beside the date"),
        _commented(f"language: {language}", "the documents' language unless --lang says otherwise"),
        _commented(f"jurisdiction: {org.jurisdiction}", "the country's employment framework (jobdesc list)"),
        _commented(f"number: {_quoted(org.number)}", "the document's number, without the 'No.' label"),
        _commented(f"date: {org.date.isoformat()}", "the document's date, YYYY-MM-DD"),
        _commented("approved_by:", "who approves the instruction"),
        f"  position: {_quoted(org.approved_by.position)}",
        _commented(f"  name: {_quoted(org.approved_by.name)}", "or in parts: {given: Jane, family: Smith}"),
        _commented("agreed_by:", "the heads who agree it, in signing order"),
    ]
    for division, person in org.agreed_by.items():
        lines.append(f"  {division}: {{position: {_quoted(person.position)}, name: {_quoted(person.name)}}}")
    if org.collective_agreement:
        agreement = f"collective_agreement: {_quoted(org.collective_agreement)}"
        lines.append(_commented(agreement, f"{org.jurisdiction} requires it"))
    per_role = {blank: org.blanks[blank] for blank in requires if BLANKS[blank] == "position"}
    if per_role:
        lines.append(_commented("positions:", f"per role, the blanks {org.jurisdiction} requires"))
        values = ", ".join(f"{blank}: {_quoted(value)}" for blank, value in per_role.items())
        lines += [f"  {role}: {{{values}}}" for role in roles]
    lines += [
        "# Optional: sign_off (approval-block, approval-with-visas, signature-table),",
        "# acknowledgement (familiarization-sheet, receipt), familiarization_rows (blank rows),",
        "# clauses (your own changes to every role's clauses: replace, remove, insert_after, ...).",
    ]
    return "\n".join(lines) + "\n"


def write_organisation(
    folder: Path, file_name: str, org: NewOrganisation, bundle: Bundle, force: bool = False
) -> Path:
    """``folder/organisations/FILE_NAME.yaml``, checked; every blank the jurisdiction requires
    must be given (for every role of the bundle and of the folder)."""
    path = folder / "organisations" / f"{check_name('organisation', file_name)}.yaml"
    _refuse_existing(path, force)
    jurisdiction = load_jurisdiction(bundle.jurisdiction_path(org.jurisdiction))
    language = documents_language(org, bundle)
    missing = [
        blank
        for blank in jurisdiction.requires
        if not (org.collective_agreement if blank == "collective_agreement" else org.blanks.get(blank))
    ]
    if missing:
        options = ", ".join(_option_of(blank) for blank in missing)
        raise UsageError(f"jurisdiction {org.jurisdiction!r} requires {', '.join(missing)}: give {options}")
    roles = sorted({*bundle.roles(), *(p.stem for p in (folder / "roles").glob("*.yaml"))})
    text = organisation_yaml(org, language, jurisdiction.requires, roles)
    return _write_checked(path, text, load_organisation)


def documents_language(org: NewOrganisation, bundle: Bundle) -> str:
    """The language code the organisation's documents are in: as given (pt-BR is pt), else the jurisdiction's."""
    if org.language:
        return parse_language(org.language).code
    return load_jurisdiction(bundle.jurisdiction_path(org.jurisdiction)).language


def _option_of(blank: str) -> str:
    return "--collective-agreement TEXT" if blank == "collective_agreement" else f"--blank {blank}=VALUE"


def role_copy(source: Path, name: str, source_name: str) -> str:
    """A bundled role, as written, to edit: its comments say what each field is."""
    header = f"# {name}: a copy of the bundled role {source_name!r} made by `jobdesc init role --from`; edit freely.\n"
    return header + source.read_text(encoding="utf-8")


def role_skeleton(name: str, template: Role, languages: tuple[str, ...]) -> str:
    """A new role: every field with a comment, each section with one example clause (taken from
    the bundled account-manager) to replace, in ``languages``."""

    def texts(values: dict[str, str], indent: str) -> list[str]:
        return [f"{indent}{code}: {_quoted(values[code])}" for code in languages if code in values]

    lines = [
        f"# {name}: a new role written by `jobdesc init role`. Replace every text with your own.",
        f"# Each text is a mapping by language ({', '.join(languages)} here; add the languages you need:",
        f"# {', '.join(LANGUAGES)}). The examples are the bundled account-manager's.",
        "# Clause text may use: {{ organisation }}, {{ role }}, {{ role_title }}, {{ supervisor }},",
        "# {{ education }}, {{ min_experience }}, {{ country }}, {{ in_country }}, {{ labour_code }}.",
        "# The jurisdiction adds its own framework: how the employment starts, statutory liability, sign-off.",
    ]
    fields = {
        "title": "the role's title, as printed under the document's name",
        "subject": "the role as a sentence's subject, with its article",
        "supervisor": "who the role reports to, as the clauses need it",
        "education": "the education the role requires",
    }
    for key, comment in fields.items():
        lines += [_commented(f"{key}:", comment), *texts(getattr(template, key).values, "  ")]
    lines.append(_commented(f"experience_years: {template.experience_years or 1}", "years of experience required"))
    headings = {
        "general": "section I: the role's purpose and requirements (the jurisdiction frames them)",
        "duties": "section II: the duties, one clause each; a clause may have items (4.1, 4.2, ...)",
        "rights": "section III: the rights",
        "liability": "section IV: the role's own liability items, after the statutory ones (may be left out)",
        "evaluation": "section V: how the work is evaluated",
    }
    for section in SECTIONS:
        clauses = template.sections[section]
        lines += ["", _commented(f"{section}:" if clauses else f"{section}: []", headings[section])]
        if not clauses:
            continue
        first = clauses[0]
        lines.append(_commented(f"  - id: {first.id}", "unique in the role: lowercase letters, digits, hyphens"))
        lines.append("    text:")
        lines += texts(first.text.values, "      ")
    return "\n".join(lines) + "\n"


def write_role(
    folder: Path,
    name: str,
    bundle: Bundle,
    from_role: str | None = None,
    languages: tuple[str, ...] = ("en",),
    force: bool = False,
) -> Path:
    """``folder/roles/NAME.yaml``: a copy of ``from_role`` or a commented skeleton, checked."""
    path = folder / "roles" / f"{check_name('role', name)}.yaml"
    _refuse_existing(path, force)
    if from_role is not None:
        return _write_checked(path, role_copy(bundle.role_path(from_role), name, from_role), load_role)
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown or not languages:
        raise UsageError(f"unknown language {', '.join(unknown) or '(none)'}; valid: {', '.join(LANGUAGES)}")
    template = load_role(bundle.role_path(TEMPLATE_ROLE))
    assert isinstance(template, Role)  # the bundled account-manager is written out in full
    return _write_checked(path, role_skeleton(name, template, languages), load_role)


def blanks_to_add(folder: Path, role: str, bundle: Bundle) -> list[str]:
    """``organisations/x.yaml: positions.ROLE.professional_group`` for every organisation of the
    folder whose jurisdiction requires a blank per role that it does not give for ``role``."""
    notes = []
    for path in sorted((folder / "organisations").glob("*.yaml")):
        org = load_organisation(path)
        requires = load_jurisdiction(bundle.jurisdiction_path(org.jurisdiction)).requires
        for blank in requires:
            if BLANKS[blank] == "position" and blank not in org.positions.get(role, {}):
                notes.append(f"{display(path)}: add positions.{role}.{blank} ({org.jurisdiction} requires it)")
    return notes


def required_blanks(bundle: Bundle, jurisdiction: str) -> tuple[str, ...]:
    """The blanks an organisation in ``jurisdiction`` must fill (collective_agreement, ...)."""
    return load_jurisdiction(bundle.jurisdiction_path(jurisdiction)).requires


def folder_languages(folder: Path) -> tuple[str, ...]:
    """The languages of the folder's organisations, for a new role's texts; English if none."""
    found = {load_organisation(path).language for path in sorted((folder / "organisations").glob("*.yaml"))}
    return tuple(sorted(found)) or ("en",)
