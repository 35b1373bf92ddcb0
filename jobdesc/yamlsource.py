"""Load YAML the strict way: every value a located string, list or mapping.

Profiles come from other people, so the loader is deliberately small:
- the pure-Python SafeLoader only (the C loader has crashed on deep nesting);
- no implicit typing: ``NO``, ``01234`` and ``12:30`` stay strings, the schema converts;
- no tags, anchors, aliases, merge keys or multiple documents;
- duplicate keys are an error naming both lines;
- a size limit per file and nesting at most to the depth limit (the composer recurses);
- no hidden characters (characters.py), each reported with its line, column and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn, Union, cast

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .characters import check_text, decode
from .errors import Diagnostic, Location, ProfileError
from .limits import DEPTH
from .safeio import read_file

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class YStr(str):
    """A string that remembers where it was written."""

    loc: Location

    def __new__(cls, value: str, loc: Location) -> YStr:
        obj = super().__new__(cls, value)
        obj.loc = loc
        return obj


class YList(list["YValue"]):
    loc: Location


class YMap(dict[str, "YValue"]):
    """A mapping with the location of itself and of each key."""

    loc: Location
    key_locs: dict[str, Location]


YValue = Union[YStr, YList, YMap]  # noqa: UP007 (a runtime alias on Python 3.10)


class _StrictLoader(yaml.SafeLoader):
    yaml_implicit_resolvers: dict[str, Any] = {}  # every plain scalar is a string
    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, CollectionStartEvent):
            if self.depth >= DEPTH.value:
                message = f"lists and mappings nest too deep: {DEPTH.message(self.depth + 1)}"
                raise yaml.MarkedYAMLError(None, None, message, cast(Any, event.start_mark))
            self.depth += 1
            try:
                return self._compose_checked(event, parent, index)
            finally:
                self.depth -= 1
        return self._compose_checked(event, parent, index)

    def _compose_checked(self, event: Any, parent: Node | None, index: int) -> Node | None:
        if isinstance(event, AliasEvent):
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed; write the value out", cast(Any, event.start_mark)
            )
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor is not None:
            raise yaml.MarkedYAMLError(
                None, None, "anchors (&name) are not allowed; write the value out", cast(Any, event.start_mark)
            )
        return super().compose_node(parent, index)


def load_yaml(path: Path, display: str | None = None) -> YMap:
    """Read one YAML file whose top level is a mapping. Raises ProfileError (or UnsafeFile)."""
    name = display or str(path)
    data = read_file(path)
    text = decode(data, name)  # a byte-order mark, as some editors on Windows write, is dropped
    hidden = check_text(text, name)
    if hidden:
        raise ProfileError(_with_fields(hidden, text))
    loader = _StrictLoader(text)  # what its reader refuses, check_text has refused already, with the column
    try:
        node = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        if exc.context and "single document" in exc.context:
            line = exc.problem_mark.line + 1 if exc.problem_mark else 0
            _fail(name, line, "only one YAML document per file (remove the '---' separator)")
        raise _from_yaml_error(name, exc) from None
    except yaml.MarkedYAMLError as exc:
        raise _from_yaml_error(name, exc) from None
    except yaml.YAMLError as exc:  # any other kind PyYAML may raise
        mark = getattr(exc, "problem_mark", None)
        _fail(name, mark.line + 1 if mark else 0, str(exc).splitlines()[0])
    finally:
        loader.dispose()
    if node is None:
        _fail(name, 0, "file is empty")
    diagnostics: list[Diagnostic] = []
    value = _convert(node, name, diagnostics, "")
    if diagnostics:
        raise ProfileError(diagnostics)
    if not isinstance(value, YMap):
        _fail(name, node.start_mark.line + 1, "the top level must be a mapping of field: value")
    return value


def _convert(node: Node, name: str, diags: list[Diagnostic], field: str) -> YValue:
    """Turn a composed node into located values; ``field`` is its path, e.g. ``duties[2].text``."""
    loc = Location(name, node.start_mark.line + 1)
    expected = {ScalarNode: _STR, SequenceNode: _SEQ, MappingNode: _MAP}[type(node)]
    if node.tag != expected:
        diags.append(Diagnostic(loc, field, f"YAML tags like {node.tag!r} are not allowed"))
    if isinstance(node, ScalarNode):
        return YStr(node.value, loc)
    if isinstance(node, SequenceNode):
        seq = YList(_convert(item, name, diags, f"{field}[{i}]") for i, item in enumerate(node.value, start=1))
        seq.loc = loc
        return seq
    assert isinstance(node, MappingNode)
    mapping = YMap()
    mapping.loc = loc
    mapping.key_locs = {}
    for key_node, value_node in node.value:
        key_loc = Location(name, key_node.start_mark.line + 1)
        if not isinstance(key_node, ScalarNode):
            diags.append(Diagnostic(key_loc, "", "a key must be a plain word, not a list or mapping"))
            continue
        key = key_node.value
        path = f"{field}.{key}" if field else key
        if key == "<<":
            diags.append(Diagnostic(key_loc, path, "merge keys are not allowed; write the fields out"))
            continue
        if key in mapping:
            first = mapping.key_locs[key]
            diags.append(Diagnostic(key_loc, path, f"duplicate key: already set on line {first.line}"))
            continue
        mapping.key_locs[key] = key_loc
        mapping[key] = _convert(value_node, name, diags, path)
    return mapping


def _with_fields(problems: list[Diagnostic], text: str) -> list[Diagnostic]:
    """Name the field each hidden character is in, where the file parses once they are blanked."""
    lines = text.split("\n")
    blanked = list(lines)
    for problem in problems:
        row = blanked[problem.location.line - 1]
        column = problem.location.column - 1
        blanked[problem.location.line - 1] = row[:column] + "_" + row[column + 1 :]
    try:
        node = _StrictLoader("\n".join(blanked)).get_single_node()
    except yaml.YAMLError:
        return problems
    if node is None:
        return problems
    return [
        Diagnostic(p.location, _field_at(node, p.location.line - 1, p.location.column - 1, ""), p.message)
        for p in problems
    ]


def _field_at(node: Node, line: int, column: int, field: str) -> str:
    """The path of the innermost value whose text spans (line, column), 0-based."""
    if isinstance(node, SequenceNode):
        for i, item in enumerate(node.value, start=1):
            if _spans(item, line, column):
                return _field_at(item, line, column, f"{field}[{i}]")
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            name = f"{field}.{key.value}" if field else str(key.value)
            if _spans(key, line, column) or _spans(value, line, column):
                return _field_at(value, line, column, name)
    return field


def _spans(node: Node, line: int, column: int) -> bool:
    start, end = node.start_mark, node.end_mark
    return (start.line, start.column) <= (line, column) < (end.line, end.column)


def _from_yaml_error(name: str, exc: yaml.MarkedYAMLError) -> ProfileError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    message = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
    return ProfileError([Diagnostic(Location(name, line), "", f"YAML syntax: {message}")])


def _fail(name: str, line: int, message: str) -> NoReturn:
    raise ProfileError([Diagnostic(Location(name, line), "", message)])
