"""The sandboxed Jinja environments: one for clause text, one for the HTML page.

Clause text and templates may come from other people, so both run in Jinja's
sandbox with StrictUndefined: a misspelt variable is an error, not a blank.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .paths import TEMPLATES


def capfirst(text: str) -> str:
    """Upper-case the first letter only ("l'account manager" -> "L'account manager")."""
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=1)
def clause_environment() -> SandboxedEnvironment:
    """Clause text renders to plain text; the page template escapes it later."""
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters["capfirst"] = capfirst
    return env


@lru_cache(maxsize=4096)
def clause_template(source: str) -> jinja2.Template:
    """Compiled once per distinct text: a batch renders the same clauses many times."""
    return clause_environment().from_string(source)


@lru_cache(maxsize=1)
def page_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
