"""A pair of languages, the binding one first: two documents of one variant, side by side.

Each language's document is built exactly as on its own (its catalogs, dates, typography and
the output lint), then paired clause by clause; the clause that says which version prevails
is added in both languages: the binding language's own wording (``locales/<lang>/language.yaml``,
``prevailing_clause``) beside the jurisdiction's translation notice in the other language.
"""

from __future__ import annotations

import dataclasses

from .errors import RenderError, UsageError
from .i18n import parse_language
from .languages import prevailing_clause
from .model import Bilingual, Document
from .typography import typeset


def split_pair(language: str) -> tuple[str, str] | None:
    """``pl+en`` -> (``pl``, ``en``); None for one language. Both are checked by parse_language."""
    if "+" not in language:
        return None
    first, _, second = language.partition("+")
    if not first.strip() or not second.strip() or "+" in second:
        raise UsageError(f"--lang {language!r}: give one language, or a pair like pl+en (the binding one first)")
    if parse_language(first).code == parse_language(second).code:
        raise UsageError(f"--lang {language!r}: the two languages of a pair must differ")
    return first.strip(), second.strip()


def pair(first: Document, second: Document, stem: str) -> Bilingual:
    """The two documents side by side; ``stem`` names the variant in a message."""
    code = first.language.split("-")[0]
    if first.notice is not None:  # a translation: the first language is not the jurisdiction's
        raise UsageError(
            f"--lang {first.language}+{second.language}: the first language of a pair is the one that binds, "
            "the jurisdiction's own; put it first"
        )
    ids = [c.id for c in first.clauses()], [c.id for c in second.clauses()]
    if ids[0] != ids[1]:  # one variant: cannot differ, unless a language's build dropped a clause
        raise RenderError(f"{stem}: the two languages' clauses differ; they cannot be paired")
    if second.notice is None:
        raise RenderError(f"{stem}: the jurisdiction has no translation notice in {second.language}")
    prevails = (typeset(prevailing_clause(code), code), second.notice)
    # Under the title of the second column, the notice would say twice what the pair's clause says.
    document = Bilingual(first, dataclasses.replace(second, notice=None), prevails)
    assert first.identity is not None and second.identity is not None  # set by build_document
    identity = dataclasses.replace(
        first.identity,
        language=f"{first.language}+{second.language}",
        content_hash=f"{first.identity.content_hash}+{second.identity.content_hash}",
    )
    return dataclasses.replace(document, identity=identity)
