"""The sandboxed Jinja environments: one for clause text, one for the HTML page.

Clause text and page templates may come from other people, so both run in Jinja's
sandbox with StrictUndefined: a misspelt variable is an error, not a blank. On top of
the sandbox, which stops code execution but not resource exhaustion:
- ``*``, ``**`` and ``%`` are checked before they run (``{{ 'x' * 10**9 }}`` is refused), and
  so are widths and counts given to string methods and filters (``'x'.ljust(10**9)``,
  ``'{:>999999999}'.format(x)``, ``|center(10**9)``); the memory limit (limits.py) is the
  real bound, these only refuse the obvious early and by name;
- includes, macros and recursive loops nest at most to the depth limit;
- output is counted while it is produced and stopped at the template-output limit;
- the page loader serves only files inside its folder (by inode: safeio.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import lru_cache, update_wrapper
from pathlib import Path
from types import FrameType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .characters import read_text
from .limits import DEPTH, TEMPLATE_CHARS
from .nesting import check_nesting
from .paths import TEMPLATES, display
from .safeio import read_inside

MAX_POWER = 10_000


def capfirst(text: str) -> str:
    """Upper-case the first letter only ("l'account manager" -> "L'account manager")."""
    return text[:1].upper() + text[1:]


_NUMBER = re.compile(r"[0-9]+")
# Filters whose integer arguments are widths or counts of the text they return.
_SIZED_FILTERS = ("center", "indent", "format", "replace", "truncate", "wordwrap", "batch", "slice", "join")


def _check_sizes(what: str, *values: Any) -> None:
    """Refuse a width, count or format width larger than the template output may be."""
    limit = TEMPLATE_CHARS.value
    for value in values:
        numbers = [value] if isinstance(value, int) and not isinstance(value, bool) else []
        if isinstance(value, str) and "%" in value or isinstance(value, str) and "{" in value:
            numbers = [int(n) for n in _NUMBER.findall(value) if len(n) < 30]  # a format's widths
        for number in numbers:
            if abs(number) > limit:
                raise SecurityError(f"{what}: {TEMPLATE_CHARS.message(abs(number))}")


def _check_replace(what: str, text: str, old: Any, new: Any) -> None:
    """Refuse a replacement whose result would pass the template output limit."""
    old, new = str(old), str(new)
    size = len(text) + (text.count(old) if old else len(text) + 1) * max(len(new) - len(old), 0)
    if size > TEMPLATE_CHARS.value:
        raise SecurityError(f"{what}: {TEMPLATE_CHARS.message(size)}")


def _sized(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def checked(*args: Any, **kwargs: Any) -> Any:
        given = args if name == "format" else args[1:]  # the format filter's value is its format
        _check_sizes(f"the {name} filter", *given, *kwargs.values())
        if name == "replace" and len(args) >= 3 and isinstance(args[0], str):
            _check_replace("the replace filter", *args[:3])
        return function(*args, **kwargs)

    return update_wrapper(checked, function)


def _template_depth(environment: jinja2.Environment) -> int:
    """How many template frames (a template, an include, a macro, a recursive loop) are running."""
    depth = 0
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("environment") is environment and "__jinja_template__" not in frame.f_locals:
            depth += frame.f_code.co_name in ("root", "macro", "loop") or frame.f_code.co_name.startswith("block_")
        frame = frame.f_back
    return depth


class LimitedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in _SIZED_FILTERS:
            self.filters[name] = _sized(name, self.filters[name])

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64 and abs(left) > 1:
            raise SecurityError(f"{left!r} ** {right!r} is too large to compute")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(count, int):
                    size = len(sequence) * count
                    if size > TEMPLATE_CHARS.value:
                        raise SecurityError(TEMPLATE_CHARS.message(size))
        if operator == "%" and isinstance(left, str):
            _check_sizes("the % format", left, *(right if isinstance(right, tuple) else (right,)))
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_sizes(f"calling {getattr(__obj, '__name__', 'a function')}", *args, *kwargs.values())
        receiver = getattr(__obj, "__self__", None)
        if getattr(__obj, "__name__", "") == "replace" and isinstance(receiver, str) and len(args) >= 2:
            _check_replace("the replace filter", receiver, *args[:2])
        __self._check_depth()
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_sizes("str.format", fmt, *args, *kwargs.values())
            return wrapped(*args, **kwargs)

        return checked

    def _load_template(self, name: str, globals: Any) -> jinja2.Template:
        self._check_depth()  # an include or extends inside the templates running now
        return super()._load_template(name, globals)

    def _check_depth(self) -> None:
        depth = _template_depth(self)
        if depth > DEPTH.value:
            raise SecurityError(
                "templates nest too deep (includes, macros or recursive loops; one that includes or calls "
                f"itself?): {DEPTH.message(depth)}"
            )


def render_limited(template: jinja2.Template, **variables: Any) -> str:
    """Render, stopping as soon as the output passes the template-output limit."""
    limit, size, chunks = TEMPLATE_CHARS.value, 0, []
    for chunk in template.generate(**variables):
        size += len(chunk)
        if size > limit:
            raise SecurityError(TEMPLATE_CHARS.message(f"over {size:,}"))
        chunks.append(chunk)
    return "".join(chunks)


@lru_cache(maxsize=1)
def clause_environment() -> SandboxedEnvironment:
    """Clause text renders to plain text; the page template escapes it later."""
    env = LimitedSandbox(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters["capfirst"] = capfirst
    return env


@lru_cache(maxsize=4096)
def clause_template(source: str) -> jinja2.Template:
    """Compiled once per distinct text: a batch renders the same clauses many times."""
    return clause_environment().from_string(source)


class FolderLoader(jinja2.BaseLoader):
    """Templates from one folder only (safeio.read_inside), each checked for hidden characters
    and for elements nested past the depth limit before it is compiled."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        path = self.root / template
        if not path.exists() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)  # the next folder may have it
        data = read_inside(self.root, template)
        name = display(path)
        source = read_text(data, name)
        check_nesting(source, name)
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.stat().st_mtime == mtime


def _never_none(value: Any) -> Any:
    """A page prints what the document has: a value it lacks (None) is an error, never "None"."""
    if value is None:
        raise jinja2.TemplateRuntimeError("a value the document does not have (None) would be printed")
    return value


@lru_cache(maxsize=8)
def page_environment(root: Path = TEMPLATES) -> SandboxedEnvironment:
    """The page templates of ``root`` (an organisation's folder), falling back to the bundled ones."""
    loaders = [FolderLoader(root)] + ([FolderLoader(TEMPLATES)] if root != TEMPLATES else [])
    return LimitedSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=_never_none,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
