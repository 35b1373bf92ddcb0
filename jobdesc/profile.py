"""Load and validate one profile file into typed objects. No merging, no rendering.

Three kinds of file live under ``profiles/``: roles (the clauses of a position),
jurisdictions (the labour code a liability clause points to) and organisations
(who approves, who agrees, the number and date).
"""

from __future__ import annotations

import datetime
import functools
import re
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
from .nesting import nesting_problem
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
        stat = path.lstat()  # a symbolic link is refused when read, not followed here
        return load(path.absolute(), stat.st_mtime_ns, stat.st_size)

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
    lines: tuple[tuple[str, int], ...] = ()  # (language, line) of each translation

    def where(self, language: str) -> Location:
        """The line of this language's own text, for messages that name it."""
        return Location(self.loc.path, dict(self.lines).get(language, self.loc.line))

    def get(self, language: str) -> str | Diagnostic:
        value = self.values.get(language, self.values.get(ANY_LANGUAGE))
        if value is None:
            have = ", ".join(sorted(self.values))
            return Diagnostic(self.loc, self.field, f"no {language!r} translation (has: {have})")
        return value


def translated(value: YValue, name: str, ctx: Ctx) -> Any:
    """A mapping of language code to text."""
    values = schema.mapping_of(language_code, schema.text)(value, name, ctx)
    if values is INVALID:
        return INVALID
    assert isinstance(value, YMap)
    return Text(values, value.loc, name, tuple((k, value[k].loc.line) for k in values))


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
        nested = nesting_problem(source, value[language].loc)
        if nested:
            ctx.error(nested.location, f"{name}.{language}", nested.message)
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


def _checked_fields(path: Path, fields: dict[str, Field]) -> tuple[str, dict[str, Any], YMap]:
    """Read a file and check it against ``fields``: its display name, the converted values and
    the mapping as read (for the lines of its keys), or ProfileError with every problem of the
    file at once."""
    name = display(path)
    ctx = Ctx()
    data = load_yaml(path, name)
    result = schema.record(fields, dict)(data, "", ctx)
    if ctx.diagnostics:
        raise ProfileError(ctx.diagnostics)
    return name, result, data


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
    removed: tuple[Removal, ...] = ()  # what overlays took out, for explain and the batch report
    lineage: tuple[str, ...] = ()  # the roles it extends, nearest first

    def clauses(self) -> tuple[ClauseSource, ...]:
        return tuple(c for key in SECTIONS for clause in self.sections[key] for c in clause.walk())


@dataclass(frozen=True)
class Removal:
    clause: str  # the id of the clause removed
    by: Location  # the overlay's remove operation


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
# A role's liability section holds only its own, job-specific items; the statutory clauses come
# from the jurisdiction's framework, so the section may be left out.
_ROLE_FIELDS = {
    **_ROLE_TEXT_FIELDS,
    **{key: Field(schema.list_of(_clause(0), min_items=1)) for key in SECTIONS if key != "liability"},
    "liability": Field(schema.list_of(_clause(0)), required=False, default=[]),
}
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
    roles: tuple[str, ...] = ()  # the roles whose clause ids its operations name (and roles extending them)
    roles_loc: Location | None = None


_INDUSTRY_FIELDS = {
    "name": Field(translated),
    "roles": Field(schema.list_of(slug, min_items=1), required=False, default=[]),
    "clauses": Field(operations("industry")),
}


@cached_by_file
def load_industry(path: Path) -> Industry:
    name, fields, data = _checked_fields(path, _INDUSTRY_FIELDS)
    where = data.key_locs.get("roles")
    return Industry(path.stem, name, fields["name"], tuple(fields["clauses"]), tuple(fields["roles"]), where)


# --- jurisdictions -----------------------------------------------------------

# The customary sign-off: an APPROVED/AGREED block top right of page one (BG); APPROVED top
# right with the internal agreement as visas after the text (RU, UA); or a table of approval
# signatures after the last section (ES, IT, PT, FR, DE, GB, PL, RO).
SIGN_OFF_FORMS = ("approval-block", "approval-with-visas", "signature-table")
sign_off_form = schema.choice(SIGN_OFF_FORMS, "sign-off form")
# How the employee acknowledges the document: a familiarization sheet with a row per employee
# (the Eastern form) or the employee's own receipt and signature (the Western form).
ACKNOWLEDGEMENT_FORMS = ("familiarization-sheet", "receipt")
acknowledgement_form = schema.choice(ACKNOWLEDGEMENT_FORMS, "acknowledgement form")
# The blanks a jurisdiction's framework may ask the organisation to fill, and where each lives in
# the organisation file: once for the organisation, or per position (role).
BLANKS = {"collective_agreement": "organisation", "professional_group": "position", "occupation_code": "position"}
blank_name = schema.choice(tuple(BLANKS), "blank")


@dataclass(frozen=True)
class Framework:
    """What the country puts around any role: the first and last clauses of the general
    provisions (how the employment starts, classification, the rules followed) and the
    statutory liability clauses, printed before the role's own."""

    opening: tuple[ClauseSource, ...]
    closing: tuple[ClauseSource, ...]
    liability: tuple[ClauseSource, ...]


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    path: str
    language: str
    sign_off: str
    acknowledgement: str
    tradition: str  # eastern (RU, UA, BG: category, order, internal labour rules are native) or western
    requires: tuple[str, ...]  # blanks the organisation must fill
    requires_loc: Location
    country: Text
    in_country: Text  # "in Bulgaria", with the preposition each language needs
    labour_code: Text  # the code's name
    labour_code_citation: Text
    translation_notice: Text  # printed when the document is not in the jurisdiction's language
    framework: Framework
    operations: tuple[Operation, ...]  # further changes to the role's clauses, by id


# The Eastern form of the job instruction (category, appointment by order, internal labour
# rules, familiarization sheet) is native in RU, UA and BG; in a western jurisdiction each
# language's struck formulas (locales/<lang>/language.yaml) are errors.
TRADITIONS = ("eastern", "western")


def _framework_clauses() -> Field:
    return Field(schema.list_of(_clause(0, "jurisdiction")), required=False, default=[])


_JURISDICTION_FIELDS = {
    "language": Field(language_code),
    "sign_off": Field(sign_off_form),
    "acknowledgement": Field(acknowledgement_form),
    "tradition": Field(schema.choice(TRADITIONS, "tradition")),
    "requires": Field(schema.list_of(blank_name), required=False, default=[]),
    "country": Field(translated),
    "in_country": Field(translated),
    "labour_code": Field(translated),
    "labour_code_citation": Field(translated),
    "translation_notice": Field(translated),
    "opening": _framework_clauses(),
    "closing": _framework_clauses(),
    "liability": _framework_clauses(),
    "clauses": Field(operations("jurisdiction"), required=False, default=[]),
}


@cached_by_file
def load_jurisdiction(path: Path) -> Jurisdiction:
    name, fields, data = _checked_fields(path, _JURISDICTION_FIELDS)
    framework = Framework(*(tuple(fields.pop(key)) for key in ("opening", "closing", "liability")))
    requires_loc = data.key_locs.get("requires", data.loc)
    return Jurisdiction(
        id=path.stem,
        path=name,
        framework=framework,
        operations=tuple(fields.pop("clauses")),
        requires=tuple(fields.pop("requires")),
        requires_loc=requires_loc,
        **fields,
    )


# --- organisations -----------------------------------------------------------


@dataclass(frozen=True)
class PersonName:
    """A person's name: either as written (``full``) or in parts, so that each language can
    print it its own way (initials, surname in capitals). Each part is a text by language."""

    loc: Location
    full: Text | None = None
    given: Text | None = None
    middle: Text | None = None
    family: Text | None = None


@dataclass(frozen=True)
class Person:
    position: Text
    name: PersonName


_NAME_PARTS = ("given", "middle", "family")


def person_name(value: YValue, name: str, ctx: Ctx) -> Any:
    """``Ivan Petrov``, ``{bg: ..., en: ...}`` or ``{given: ..., middle: ..., family: ...}``."""
    if isinstance(value, YMap) and set(value) & set(_NAME_PARTS):
        fields = {part: Field(text_or_translated, required=part != "middle") for part in _NAME_PARTS}
        parts = schema.record(fields, dict)(value, name, ctx)
        return INVALID if parts is INVALID else PersonName(value.loc, **parts)
    full = text_or_translated(value, name, ctx)
    return INVALID if full is INVALID else PersonName(value.loc, full=full)


@dataclass(frozen=True)
class Organisation:
    path: str
    name: Text
    city: Text
    language: str
    jurisdiction: str
    number: Text
    date: datetime.date
    approved_by: Person
    agreed_by: dict[str, Person]  # division -> head, in signing order
    collective_agreement: Text | None
    positions: dict[str, dict[str, Text]]  # role id -> blank -> value
    positions_loc: Location
    familiarization_rows: int
    sign_off: str | None  # None: the jurisdiction's customary form
    acknowledgement: str | None  # None: the jurisdiction's customary form
    operations: tuple[Operation, ...]  # the organisation's own changes, applied last
    logo: Located | None = None  # a PNG or SVG file, relative to the organisation file's folder
    style: StyleSettings | None = None


@dataclass(frozen=True)
class Located:
    """A text with the place it was written, for a message about what it names."""

    text: str
    loc: Location


@dataclass(frozen=True)
class StyleSettings:
    """The house style an organisation file asks for (house_style.py applies it)."""

    loc: Location
    font: Located | None = None
    size: float | None = None  # points
    accent: str | None = None  # #rrggbb


def _located(validator: schema.Validator) -> schema.Validator:
    def check(value: YValue, name: str, ctx: Ctx) -> Any:
        result = validator(value, name, ctx)
        return result if result is INVALID else Located(result, value.loc)

    return check


def _points(value: YValue, name: str, ctx: Ctx) -> Any:
    result = schema.text(value, name, ctx)
    if result is INVALID:
        return result
    number = float(result) if re.fullmatch(r"[0-9]{1,2}(\.[0-9])?", result) else 0.0
    if not 7 <= number <= 18:
        return ctx.error(value.loc, name, f"expected a size in points from 7 to 18 (like 11 or 10.5), found {result!r}")
    return number


def _colour(value: YValue, name: str, ctx: Ctx) -> Any:
    result = schema.pattern(r"#[0-9a-fA-F]{6}", "a colour written #rrggbb (like #1f4e79)")(value, name, ctx)
    return result if result is INVALID else result.lower()


_font_family = schema.pattern(r"[A-Za-z0-9][A-Za-z0-9 -]{0,62}", "a font family name (letters, digits, spaces, -)")
_style = schema.record(
    {
        "font": Field(_located(_font_family), required=False),
        "size": Field(_points, required=False),
        "accent": Field(_colour, required=False),
    },
    dict,
)


def _style_settings(value: YValue, name: str, ctx: Ctx) -> Any:
    fields = _style(value, name, ctx)
    return fields if fields is INVALID else StyleSettings(value.loc, **fields)


_person = schema.record({"position": Field(text_or_translated), "name": Field(person_name)}, Person)
_position_blanks = schema.mapping_of(
    schema.choice(tuple(k for k, scope in BLANKS.items() if scope == "position"), "blank"),
    text_or_translated,
    min_items=0,
)
_ORGANISATION_FIELDS = {
    "name": Field(text_or_translated),
    "city": Field(text_or_translated),
    "language": Field(language_code),
    "jurisdiction": Field(slug),
    "number": Field(text_or_translated),
    "date": Field(schema.iso_date),
    "approved_by": Field(_person),
    "agreed_by": Field(schema.mapping_of(slug, _person)),
    "collective_agreement": Field(text_or_translated, required=False),
    "positions": Field(schema.mapping_of(slug, _position_blanks), required=False, default={}),
    "familiarization_rows": Field(schema.integer(1, 500), required=False, default=12),
    "sign_off": Field(sign_off_form, required=False),
    "acknowledgement": Field(acknowledgement_form, required=False),
    "clauses": Field(operations("organisation"), required=False, default=[]),
    "logo": Field(_located(schema.text), required=False),
    "style": Field(_style_settings, required=False),
}


@cached_by_file
def load_organisation(path: Path) -> Organisation:
    name, fields, data = _checked_fields(path, _ORGANISATION_FIELDS)
    operations_ = tuple(fields.pop("clauses"))
    positions_loc = data.key_locs.get("positions", data.loc)
    return Organisation(path=name, operations=operations_, positions_loc=positions_loc, **fields)
