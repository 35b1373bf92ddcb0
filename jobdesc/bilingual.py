"""A pair of languages, the binding one first: two documents of one variant, side by side.

Each language's document is built exactly as on its own (its catalogs, dates, typography and
the output lint), then paired clause by clause; the clause that says which version prevails
is added in both languages: the binding language's own wording (``locales/<lang>/language.yaml``,
``prevailing_clause``) beside the jurisdiction's translation notice in the other language.
"""

from __future__ import annotations

import dataclasses
import re

from .errors import RenderError, UsageError
from .i18n import catalog, parse_language
from .languages import prevailing_clause, rules
from .model import Bilingual, Document
from .translit import can_romanize, romanize
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
    second_code = second.language.split("-")[0]
    # One document carries one number: the binding one's, in both columns.
    value = _number(first.number, code)
    if rules(code).script != rules(second_code).script and can_romanize(code):
        value = romanize(value, code)  # "PI-014" beside "ПІ-014": the same number in the reader's script
    number = _label(second_code, "No. %(number)s") % {"number": value}
    second = dataclasses.replace(second, number=typeset(number, second_code))
    # Under the title of the second column, the notice would say twice what the pair's clause says.
    first, second = _as_table(first, code), _as_table(dataclasses.replace(second, notice=None), second_code)
    document = Bilingual(first, second, prevails)
    assert first.identity is not None and second.identity is not None  # set by build_document
    identity = dataclasses.replace(
        first.identity,
        language=f"{first.language}+{second.language}",
        content_hash=f"{first.identity.content_hash}+{second.identity.content_hash}",
    )
    return dataclasses.replace(document, identity=identity)


def _label(code: str, message: str) -> str:
    return catalog(code).gettext(message)


def _number(printed: str, code: str) -> str:
    """The organisation's number inside the binding language's "No. 14" as printed."""
    before, _, after = _label(code, "No. %(number)s").partition("%(number)s")
    pattern = re.escape(before.strip()) + r"\s*(.+?)\s*" + re.escape(after.strip())
    found = re.fullmatch(pattern, printed.strip())
    return found.group(1) if found else printed


def _as_table(document: Document, code: str) -> Document:
    """Every sign-off is one table of signatures in a bilingual document: the table's labels
    (Bulgarian "Утвърдено", not the block's "УТВЪРЖДАВАМ:"), and where and when the approver
    signs kept whole on its lines: a break only after the comma, never inside the date or a
    hyphenated place name ("Cluj-Napoca")."""
    approval = document.approval
    date = approval.approver.date
    if approval.form != "signature-table":
        date = None  # the Eastern approver dates it by hand, as the visas are: not before the heads agreed
    if date:
        date = ", ".join(part.replace(" ", "\u00a0").replace("-", "\u2011") for part in date.split(", "))
    approval = dataclasses.replace(
        approval,
        approved_label=typeset(_label(code, "Approved by"), code),
        agreed_label=typeset(_label(code, "Reviewed by"), code),
        approver=dataclasses.replace(approval.approver, date=date),
    )
    return dataclasses.replace(document, approval=approval)
