"""The sandboxed Jinja environments: one for clause text, one for the HTML page.

Clause text and page templates may come from other people, so both run in Jinja's
sandbox with StrictUndefined: a misspelt variable is an error, not a blank. On top of
the sandbox, which stops code execution but not resource exhaustion:
- ``*`` and ``**`` are checked before they run (``{{ 'x' * 10**9 }}`` is refused);
- output is counted while it is produced and stopped at the template-output limit;
- the page loader serves only files inside its folder, symlinks included.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .limits import TEMPLATE_CHARS
from .paths import TEMPLATES

MAX_POWER = 10_000


def capfirst(text: str) -> str:
    """Upper-case the first letter only ("l'account manager" -> "L'account manager")."""
    return text[:1].upper() + text[1:]


class LimitedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64 and abs(left) > 1:
            raise SecurityError(f"{left!r} ** {right!r} is too large to compute")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(count, int):
                    size = len(sequence) * count
                    if size > TEMPLATE_CHARS.value:
                        raise SecurityError(TEMPLATE_CHARS.message(size))
        return super().call_binop(context, operator, left, right)


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
    """Templates from one folder only: a name or a symlink that leads outside is refused."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        given = self.root / template
        if not given.exists():
            raise jinja2.TemplateNotFound(template)  # the next folder may have it
        path = given.resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise SecurityError(f"{given} leads outside {self.root} (a symlink?); refused")
        mtime = os.path.getmtime(path)
        return path.read_text(encoding="utf-8"), str(path), lambda: os.path.getmtime(path) == mtime


@lru_cache(maxsize=8)
def page_environment(root: Path = TEMPLATES) -> SandboxedEnvironment:
    """The page templates of ``root`` (an organisation's folder), falling back to the bundled ones."""
    loaders = [FolderLoader(root)] + ([FolderLoader(TEMPLATES)] if root != TEMPLATES else [])
    return LimitedSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
