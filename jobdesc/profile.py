"""Load and validate one profile file into typed objects. No merging, no rendering.

Three kinds of file live under ``profiles/``: roles (the clauses of a position),
jurisdictions (the labour code a liability clause points to) and organisations
(who approves, who agrees, the number and date).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from . import schema
from .errors import Diagnostic, Location, ProfileError
from .i18n import LANGUAGES
from .paths import display
from .schema import INVALID, Ctx, Field
from .templating import clause_environment
from .yamlsource import YMap, YStr, YValue, load_yaml

SECTIONS = ("general", "duties", "rights", "liability", "evaluation")
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


# --- roles -------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseSource:
    id: str
    text: Text
    items: tuple[ClauseSource, ...]
    loc: Location

    def walk(self) -> tuple[ClauseSource, ...]:
        return (self,) + tuple(c for item in self.items for c in item.walk())


def _clause(depth: int) -> schema.Validator:
    fields = {"id": Field(slug), "text": Field(template_text)}
    if depth == 0:  # one level of sub-items: 4. knowledge -> 4.1, 4.2 ...
        fields["items"] = Field(schema.list_of(_clause(depth + 1), min_items=1), required=False, default=[])

    def check(value: YValue, name: str, ctx: Ctx) -> Any:
        fields_found = schema.record(fields, dict)(value, name, ctx)
        if fields_found is INVALID:
            return INVALID
        items = tuple(fields_found.get("items") or ())
        return ClauseSource(fields_found["id"], fields_found["text"], items, value.loc)

    return check


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


_ROLE_FIELDS = {
    "title": Field(translated),
    "subject": Field(translated),
    "supervisor": Field(translated),
    "education": Field(translated),
    "experience_years": Field(schema.integer(1, 50), required=False),
    **{key: Field(schema.list_of(_clause(0), min_items=1)) for key in SECTIONS},
}


def load_role(path: Path) -> Role:
    name = display(path)
    data = load_yaml(path, name)
    ctx = Ctx()

    def build(**fields: Any) -> dict[str, Any]:
        return fields

    fields = schema.record(_ROLE_FIELDS, build)(data, "", ctx)
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


# --- jurisdictions -----------------------------------------------------------


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    path: str
    language: str
    country: Text
    in_country: Text  # "in Bulgaria", with the preposition each language needs
    labour_code: Text  # the code's name as it reads after "set by"
    labour_code_citation: str  # in the jurisdiction's own language


def load_jurisdiction(path: Path) -> Jurisdiction:
    name = display(path)
    fields = {
        "language": Field(language_code),
        "country": Field(translated),
        "in_country": Field(translated),
        "labour_code": Field(translated),
        "labour_code_citation": Field(schema.text),
    }
    ctx = Ctx()
    result = schema.record(fields, lambda **kw: Jurisdiction(id=path.stem, path=name, **kw))(
        load_yaml(path, name), "", ctx
    )
    if ctx.diagnostics:
        raise ProfileError(ctx.diagnostics)
    assert isinstance(result, Jurisdiction)
    return result


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
}


def load_organisation(path: Path) -> Organisation:
    name = display(path)
    ctx = Ctx()
    result = schema.record(_ORGANISATION_FIELDS, lambda **kw: Organisation(path=name, **kw))(
        load_yaml(path, name), "", ctx
    )
    if ctx.diagnostics:
        raise ProfileError(ctx.diagnostics)
    assert isinstance(result, Organisation)
    return result
