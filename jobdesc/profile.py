"""Load and validate one profile file into typed objects. No merging, no rendering.

Three kinds of file live under ``profiles/``: roles (the clauses of a position),
jurisdictions (the labour code a liability clause points to) and organisations
(who approves, who agrees, the number and date).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from . import schema
from .errors import Diagnostic, Location, ProfileError
from .i18n import LANGUAGES
from .limits import CLAUSE_CHARS
from .paths import display
from .schema import INVALID, Ctx, Field
from .templating import clause_environment
from .yamlsource import YMap, YStr, YValue, load_yaml

SECTIONS = ("general", "duties", "rights", "liability", "evaluation")
T = TypeVar("T")


def cached_by_file(loader: Callable[[Path], T]) -> Callable[[Path], T]:
    """Parse a file once per process while it is unchanged: a batch worker renders many
    variants from the same few files. The loaded objects are frozen."""

    @lru_cache(maxsize=512)
    def load(path: Path, mtime_ns: int, size: int) -> T:
        return loader(path)

    @functools.wraps(loader)
    def wrapper(path: Path) -> T:
        stat = path.stat()
        return load(path.resolve(), stat.st_mtime_ns, stat.st_size)

    return wrapper


ANY_LANGUAGE = "*"

slug = schema.pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*", "an id of lowercase letters, digits and hyphens")
language_code = schema.choice(LANGUAGES, "language")


@dataclass(frozen=True)
class Text:
    """A text in several languages, with the place it was written for error messages."""

    values: dict[str, str]
    loc: Location
    field: str

    def get(self, language: str) -> str | Diagnostic:
        value = self.values.get(language, self.values.get(ANY_LANGUAGE))
        if value is None:
            have = ", ".join(sorted(self.values))
            return Diagnostic(self.loc, self.field, f"no {language!r} translation (has: {have})")
        return value


def translated(value: YValue, name: str, ctx: Ctx) -> Any:
    """A mapping of language code to text."""
    values = schema.mapping_of(language_code, schema.text)(value, name, ctx)
    return INVALID if values is INVALID else Text(values, value.loc, name)


def text_or_translated(value: YValue, name: str, ctx: Ctx) -> Any:
    """A plain text (the same in every language, e.g. a proper name) or a translation mapping."""
    if isinstance(value, YStr):
        plain = schema.text(value, name, ctx)
        return INVALID if plain is INVALID else Text({ANY_LANGUAGE: plain}, value.loc, name)
    return translated(value, name, ctx)


def template_text(value: YValue, name: str, ctx: Ctx) -> Any:
    """Translated clause text whose every translation is a valid Jinja template."""
    result = translated(value, name, ctx)
    if result is INVALID:
        return result
    assert isinstance(value, YMap)
    env = clause_environment()
    for language, source in result.values.items():
        if len(source) > CLAUSE_CHARS.value:
            ctx.error(value[language].loc, f"{name}.{language}", CLAUSE_CHARS.message(len(source)))
            result = INVALID
            continue
        try:
            env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            loc = value[language].loc
            ctx.error(
                Location(loc.path, loc.line + (exc.lineno or 1) - 1),
                f"{name}.{language}",
                f"template syntax: {exc.message}",
            )
            result = INVALID
    return result


def _checked_fields(path: Path, fields: dict[str, Field]) -> tuple[str, dict[str, Any]]:
    """Read a file and check it against ``fields``: its display name and the converted values,
    or ProfileError with every problem of the file at once."""
    name = display(path)
    ctx = Ctx()
    result = schema.record(fields, dict)(load_yaml(path, name), "", ctx)
    if ctx.diagnostics:
        raise ProfileError(ctx.diagnostics)
    return name, result


# --- roles -------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseSource:
    id: str
    text: Text
    items: tuple[ClauseSource, ...]
    loc: Location
    layer: str = "role"  # which file kind set the text: role, industry, jurisdiction, organisation

    def walk(self) -> tuple[ClauseSource, ...]:
        return (self,) + tuple(c for item in self.items for c in item.walk())


def _clause(depth: int, layer: str = "role") -> schema.Validator:
    fields = {"id": Field(slug), "text": Field(template_text)}
    if depth == 0:  # one level of sub-items: 4. knowledge -> 4.1, 4.2 ...
        fields["items"] = Field(schema.list_of(_clause(depth + 1, layer), min_items=1), required=False, default=[])

    def check(value: YValue, name: str, ctx: Ctx) -> Any:
        fields_found = schema.record(fields, dict)(value, name, ctx)
        if fields_found is INVALID:
            return INVALID
        items = tuple(fields_found.get("items") or ())
        return ClauseSource(fields_found["id"], fields_found["text"], items, value.loc, layer)

    return check


# --- overlay operations ------------------------------------------------------

OPERATIONS = ("replace", "remove", "insert_before", "insert_after", "append")


@dataclass(frozen=True)
class Operation:
    """One change an overlay makes to a role's clauses, addressed by clause id."""

    kind: str  # one of OPERATIONS
    target: str  # a clause id; for append, a section name or the id of a clause with items
    clause: ClauseSource | None  # the new clause; for replace, the new text (and items, if replaces_items)
    loc: Location
    replaces_items: bool = False


def operations(layer: str) -> schema.Validator:
    """The ``clauses:`` list of an overlay file."""
    new_clause = _clause(0, layer)
    replacement = schema.record(
        {
            "text": Field(template_text),
            "items": Field(schema.list_of(_clause(1, layer), min_items=1), required=False, default=None),
        },
        dict,
    )

    def one(value: YValue, name: str, ctx: Ctx) -> Any:
        if not isinstance(value, YMap):
            return ctx.error(value.loc, name, "expected a mapping like 'replace: <clause id>'")
        kinds = [k for k in OPERATIONS if k in value]
        if len(kinds) != 1:
            found = ", ".join(kinds) or "none"
            return ctx.error(value.loc, name, f"needs exactly one of {', '.join(OPERATIONS)} (found: {found})")
        kind = kinds[0]
        target = slug(value[kind], f"{name}.{kind}", ctx)
        rest = YMap((k, v) for k, v in value.items() if k != kind)
        rest.loc, rest.key_locs = value.loc, {k: v for k, v in value.key_locs.items() if k != kind}
        clause: Any = None
        replaces_items = False
        if kind == "remove":
            for key in rest:
                clause = ctx.error(rest.key_locs[key], f"{name}.{key}", "remove takes only the id to remove")
        elif kind == "replace":
            fields = replacement(rest, name, ctx)
            if fields is not INVALID:
                replaces_items = fields["items"] is not None
                clause = ClauseSource(target, fields["text"], tuple(fields["items"] or ()), value.loc, layer)
            else:
                clause = INVALID
        else:
            clause = new_clause(rest, name, ctx)
        if target is INVALID or clause is INVALID:
            return INVALID
        return Operation(kind, target, clause, value.loc, replaces_items)

    return schema.list_of(one)


@dataclass(frozen=True)
class Role:
    id: str
    path: str
    title: Text
    subject: Text
    supervisor: Text
    education: Text
    experience_years: int | None
    sections: dict[str, tuple[ClauseSource, ...]]

    def clauses(self) -> tuple[ClauseSource, ...]:
        return tuple(c for key in SECTIONS for clause in self.sections[key] for c in clause.walk())


@dataclass(frozen=True)
class RoleExtension:
    """A role written as changes to another (``extends: account-manager``)."""

    id: str
    path: str
    extends: str
    extends_loc: Location
    overrides: dict[str, Any]  # the role fields it sets anew: title, subject, ...
    operations: tuple[Operation, ...]


_ROLE_TEXT_FIELDS = {
    "title": Field(translated),
    "subject": Field(translated),
    "supervisor": Field(translated),
    "education": Field(translated),
    "experience_years": Field(schema.integer(1, 50), required=False),
}
_ROLE_FIELDS = {**_ROLE_TEXT_FIELDS, **{key: Field(schema.list_of(_clause(0), min_items=1)) for key in SECTIONS}}
_EXTENSION_FIELDS = {
    "extends": Field(slug),
    **{key: Field(spec.validator, required=False) for key, spec in _ROLE_TEXT_FIELDS.items()},
    "clauses": Field(operations("role"), required=False, default=[]),
}


@cached_by_file
def load_role(path: Path) -> Role | RoleExtension:
    name = display(path)
    data = load_yaml(path, name)
    ctx = Ctx()
    if "extends" in data:
        fields = schema.record(_EXTENSION_FIELDS, dict)(data, "", ctx)
        if ctx.diagnostics:
            raise ProfileError(ctx.diagnostics)
        overrides = {k: v for k, v in fields.items() if k in _ROLE_TEXT_FIELDS and k in data}
        return RoleExtension(
            path.stem, name, fields["extends"], data["extends"].loc, overrides, tuple(fields["clauses"])
        )
    fields = schema.record(_ROLE_FIELDS, dict)(data, "", ctx)
    if fields is not INVALID:
        seen: dict[str, ClauseSource] = {}
        for key in SECTIONS:
            for clause in (c for top in fields[key] for c in top.walk()):
                if clause.id in seen:
                    first = seen[clause.id].loc.line
                    message = f"clause id {clause.id!r} is used twice (first on line {first})"
                    ctx.error(clause.loc, f"{key}: id", message)
                seen[clause.id] = clause
    if ctx.diagnostics:
        raise ProfileError(ctx.diagnostics)
    sections = {key: tuple(fields.pop(key)) for key in SECTIONS}
    return Role(id=path.stem, path=name, sections=sections, **fields)


# --- industries --------------------------------------------------------------


@dataclass(frozen=True)
class Industry:
    id: str
    path: str
    name: Text
    operations: tuple[Operation, ...]


_INDUSTRY_FIELDS = {"name": Field(translated), "clauses": Field(operations("industry"))}


@cached_by_file
def load_industry(path: Path) -> Industry:
    name, fields = _checked_fields(path, _INDUSTRY_FIELDS)
    return Industry(path.stem, name, fields["name"], tuple(fields["clauses"]))


# --- jurisdictions -----------------------------------------------------------

# The customary sign-off: an APPROVED/AGREED block top right of page one (RU, BG, UA,
# RO, PL), or a plain table of approval signatures after the last section (ES, IT, ...).
SIGN_OFF_FORMS = ("approval-block", "signature-table")
sign_off_form = schema.choice(SIGN_OFF_FORMS, "sign-off form")


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    path: str
    language: str
    sign_off: str
    country: Text
    in_country: Text  # "in Bulgaria", with the preposition each language needs
    labour_code: Text  # the code's name
    labour_code_citation: str  # in the jurisdiction's own language
    operations: tuple[Operation, ...]  # its own liability clauses, by id


_JURISDICTION_FIELDS = {
    "language": Field(language_code),
    "sign_off": Field(sign_off_form),
    "country": Field(translated),
    "in_country": Field(translated),
    "labour_code": Field(translated),
    "labour_code_citation": Field(schema.text),
    "clauses": Field(operations("jurisdiction"), required=False, default=[]),
}


@cached_by_file
def load_jurisdiction(path: Path) -> Jurisdiction:
    name, fields = _checked_fields(path, _JURISDICTION_FIELDS)
    operations_ = tuple(fields.pop("clauses"))
    return Jurisdiction(id=path.stem, path=name, operations=operations_, **fields)


# --- organisations -----------------------------------------------------------


@dataclass(frozen=True)
class Person:
    position: Text
    name: str


@dataclass(frozen=True)
class Organisation:
    path: str
    name: Text
    city: Text
    language: str
    jurisdiction: str
    number: str
    date: datetime.date
    approved_by: Person
    agreed_by: dict[str, Person]  # division -> head, in signing order
    familiarization_rows: int
    sign_off: str | None  # None: the jurisdiction's customary form
    operations: tuple[Operation, ...]  # the organisation's own changes, applied last


_person = schema.record({"position": Field(text_or_translated), "name": Field(schema.text)}, Person)
_ORGANISATION_FIELDS = {
    "name": Field(text_or_translated),
    "city": Field(text_or_translated),
    "language": Field(language_code),
    "jurisdiction": Field(slug),
    "number": Field(schema.text),
    "date": Field(schema.iso_date),
    "approved_by": Field(_person),
    "agreed_by": Field(schema.mapping_of(slug, _person)),
    "familiarization_rows": Field(schema.integer(1, 500), required=False, default=12),
    "sign_off": Field(sign_off_form, required=False),
    "clauses": Field(operations("organisation"), required=False, default=[]),
}


@cached_by_file
def load_organisation(path: Path) -> Organisation:
    name, fields = _checked_fields(path, _ORGANISATION_FIELDS)
    operations_ = tuple(fields.pop("clauses"))
    return Organisation(path=name, operations=operations_, **fields)
