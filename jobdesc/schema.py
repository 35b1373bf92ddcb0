"""Declarative validators that collect every problem of a file at once.

Each validator is a callable ``(value, field, ctx) -> converted value``; on a
problem it records a Diagnostic in ``ctx`` and returns ``INVALID`` so that the
caller can carry on and report the file's other problems too (unlike MkDocs,
which stops at the first).
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from .characters import describe, first_problem
from .errors import Diagnostic, Location
from .yamlsource import YList, YMap, YStr, YValue


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


@dataclass
class Ctx:
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: Location, field_name: str, message: str) -> Any:
        self.diagnostics.append(Diagnostic(loc, field_name, message))
        return INVALID


Validator = Callable[[YValue, str, Ctx], Any]

_KINDS: dict[type, str] = {YStr: "a text", YList: "a list", YMap: "a mapping"}


def _wrong_kind(kind: type, value: YValue, name: str, ctx: Ctx) -> Any:
    return ctx.error(value.loc, name, f"expected {_KINDS[kind]}, found {_KINDS[type(value)]}")


def text(value: YValue, name: str, ctx: Ctx) -> Any:
    """A non-empty string of printable text."""
    if not isinstance(value, YStr):
        return _wrong_kind(YStr, value, name, ctx)
    if not value.strip():
        return ctx.error(value.loc, name, "must not be empty")
    problem = first_problem(value)
    if problem:
        return ctx.error(value.loc, name, problem)
    return str(value).strip()


def pattern(regex: str, hint: str) -> Validator:
    compiled = re.compile(regex)

    def check(value: YValue, name: str, ctx: Ctx) -> Any:
        result = text(value, name, ctx)
        if result is not INVALID and not compiled.fullmatch(result):
            return ctx.error(value.loc, name, f"{result!r} is not {hint}")
        return result

    return check


def integer(minimum: int, maximum: int) -> Validator:
    def check(value: YValue, name: str, ctx: Ctx) -> Any:
        result = text(value, name, ctx)
        if result is INVALID:
            return result
        if not re.fullmatch(r"[0-9]+", result):
            return ctx.error(value.loc, name, f"expected a whole number, found {result!r}")
        number = int(result)
        if not minimum <= number <= maximum:
            return ctx.error(value.loc, name, f"must be between {minimum} and {maximum}, found {number}")
        return number

    return check


def iso_date(value: YValue, name: str, ctx: Ctx) -> Any:
    """A calendar date written YYYY-MM-DD."""
    result = text(value, name, ctx)
    if result is INVALID:
        return result
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", result):
        return ctx.error(value.loc, name, f"expected a date as YYYY-MM-DD, found {result!r}")
    try:
        return datetime.date.fromisoformat(result)
    except ValueError as exc:
        return ctx.error(value.loc, name, f"{result!r} is not a real date ({exc})")


def choice(options: Collection[str], what: str) -> Validator:
    def check(value: YValue, name: str, ctx: Ctx) -> Any:
        result = text(value, name, ctx)
        if result is INVALID:
            return result
        if result not in options:
            valid = ", ".join(sorted(options))
            return ctx.error(value.loc, name, f"unknown {what} {result!r}; valid: {valid}")
        return result

    return check


def list_of(item: Validator, min_items: int = 0) -> Validator:
    """A list; its items are named from 1 (``duties[1]``), as the document numbers them."""

    def check(value: YValue, name: str, ctx: Ctx) -> Any:
        if not isinstance(value, YList):
            return _wrong_kind(YList, value, name, ctx)
        if len(value) < min_items:
            return ctx.error(value.loc, name, f"needs at least {min_items} item(s), found {len(value)}")
        items = [item(element, f"{name}[{i}]", ctx) for i, element in enumerate(value, start=1)]
        return INVALID if any(x is INVALID for x in items) else items

    return check


def mapping_of(key: Validator, item: Validator, min_items: int = 1) -> Validator:
    """A mapping with free keys (e.g. language codes), each checked by ``key``."""

    def check(value: YValue, name: str, ctx: Ctx) -> Any:
        if not isinstance(value, YMap):
            return _wrong_kind(YMap, value, name, ctx)
        if len(value) < min_items:
            return ctx.error(value.loc, name, "must not be empty")
        result = {}
        for raw_key, element in value.items():
            k = key(YStr(raw_key, value.key_locs[raw_key]), f"{name}.{raw_key}", ctx)
            v = item(element, f"{name}.{raw_key}", ctx)
            if k is not INVALID and v is not INVALID:
                result[k] = v
        return result if len(result) == len(value) else INVALID

    return check


@dataclass(frozen=True)
class Field:
    validator: Validator
    required: bool = True
    default: Any = None


def _lookalikes(key: str) -> str:
    """Field names are ASCII: name the letters of a key that only look like it (a Cyrillic і)."""
    odd = [f"{describe(ch)} at position {i}" for i, ch in enumerate(key, start=1) if not ch.isascii()]
    return f" (it has {', '.join(odd[:3])}: type the name in plain Latin letters)" if odd else ""


def record(fields: Mapping[str, Field], build: Callable[..., Any]) -> Validator:
    """A mapping with a fixed set of fields; unknown fields are errors with a suggestion."""

    def check(value: YValue, name: str, ctx: Ctx) -> Any:
        if not isinstance(value, YMap):
            return _wrong_kind(YMap, value, name, ctx)
        prefix = f"{name}." if name else ""
        ok = True
        for key in value:
            if key not in fields:
                close = difflib.get_close_matches(key, list(fields), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; known fields: {', '.join(fields)}"
                ctx.error(value.key_locs[key], f"{prefix}{key}", f"unknown field{_lookalikes(key)}{hint}")
                ok = False
        kwargs = {}
        for key, spec in fields.items():
            if key not in value:
                if spec.required:
                    ctx.error(value.loc, f"{prefix}{key}", "required field is missing")
                    ok = False
                kwargs[key] = spec.default
                continue
            converted = spec.validator(value[key], f"{prefix}{key}", ctx)
            ok = ok and converted is not INVALID
            kwargs[key] = converted
        return build(**kwargs) if ok else INVALID

    return check
