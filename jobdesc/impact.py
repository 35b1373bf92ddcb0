"""Which variants a change to the profiles touches, and how: the lawyer's view of one edit.

The variants are every role in every jurisdiction and language, each with the jurisdiction's
sample organisation, without an industry and in each industry, plus every variant a batch file
under ``batches/`` asks for. Each is compared clause by clause between the old and the new
profiles, as assembled documents (nothing is rendered); a variant whose input files are the
same in both is not even built. The same change seen in many variants (same clause, same old
and new text) is one change with its variants listed.
"""

from __future__ import annotations

import hashlib
import html
import multiprocessing
import textwrap
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import product
from pathlib import Path

from .batch import OWN_ORGANISATION, expand, load_batch
from .bundle import Bundle
from .errors import Diagnostic, JobdescError, ProfileError, UsageError
from .i18n import LANGUAGES, parse_language
from .merge import industry_fits
from .pipeline import Request, build_document
from .redline import COUNTED, ClauseChange, compare, heading, marked, marked_html, page


@dataclass(frozen=True)
class Target:
    """One variant: what `jobdesc render` would be asked for."""

    role: str
    industry: str | None
    jurisdiction: str
    language: str
    organisation: str | None = None  # a bundled organisation's name; None: the jurisdiction's sample

    def request(self) -> Request:
        return Request(self.role, self.language, (), self.organisation, self.jurisdiction, self.industry)

    @property
    def label(self) -> str:
        """As its files are named, with the organisation when it is not the jurisdiction's own."""
        parts = [self.role, *([self.industry] if self.industry else []), self.jurisdiction]
        stem = "_".join([*parts, parse_language(self.language).tag])
        return stem + (f" (--org {self.organisation})" if self.organisation else "")


@dataclass
class Group:
    """One change, and every variant it shows in with the clause's number there."""

    change: ClauseChange
    variants: list[tuple[Target, str]] = field(default_factory=list)


@dataclass
class Impact:
    groups: list[Group]
    new_variants: list[Target]  # only the new profiles have them
    gone_variants: list[Target]  # only the old profiles have them
    variants: int  # in the matrix
    compared: int  # built and compared (the others' input files are the same in both)
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.groups or self.new_variants or self.gone_variants)


def targets(bundle: Bundle) -> list[Target]:
    found: dict[Target, None] = {}
    industries: list[str | None] = [None, *bundle.industries()]
    # Whether an industry fits a role does not depend on the jurisdiction or language: asked once per pair.
    fitting = [(r, i) for r in bundle.roles() for i in industries if i is None or industry_fits(bundle, r, i)]
    for (role, industry), jurisdiction, language in product(fitting, bundle.jurisdictions(), LANGUAGES):
        found[Target(role, industry, jurisdiction, language)] = None
    for path in bundle.paths("batches"):
        spec = load_batch(path, bundle)
        for v in expand(spec, bundle):
            own = spec.organisation in (OWN_ORGANISATION, bundle.organisation_for(v.jurisdiction).stem)
            named = str(spec.organisation_file) if spec.organisation_file else None if own else spec.organisation
            found[Target(v.role, v.industry, v.jurisdiction, v.language, named)] = None
    return list(found)


class _Inputs:
    """The files a variant is made from, by name and content: all roles (one may extend any
    other), its jurisdiction, organisation and industry."""

    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.digests: dict[Path, str] = {}
        self.roles = bundle.paths("roles")  # listed once: every variant depends on all of them
        self.organisations: dict[tuple[str | None, str], Path] = {}

    def organisation(self, target: Target) -> Path:
        key = (target.organisation, target.jurisdiction)
        if key not in self.organisations:
            self.organisations[key] = self.bundle.organisation(target.organisation, target.jurisdiction)
        return self.organisations[key]

    def digest(self, path: Path) -> str:
        if path not in self.digests:
            self.digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self.digests[path]

    def of(self, target: Target) -> tuple[tuple[str, str], ...] | None:
        """None when the profiles lack one of them: the variant is not in this version."""
        bundle = self.bundle
        try:
            paths = [
                *self.roles,
                bundle.role_path(target.role),
                bundle.jurisdiction_path(target.jurisdiction),
                self.organisation(target),
                *([bundle.industry_path(target.industry)] if target.industry else []),
            ]
        except UsageError:
            return None
        return tuple((bundle.key(p), self.digest(p)) for p in paths)


def impact(old: Bundle, new: Bundle, workers: int = 1) -> Impact:
    """Every variant of either version compared, in ``workers`` processes; a profile error in
    either version is raised."""
    started = time.perf_counter()
    before, after = _Inputs(old), _Inputs(new)
    matrix = list(dict.fromkeys([*targets(new), *targets(old)]))
    pending: list[Target] = []
    new_variants: list[Target] = []
    gone_variants: list[Target] = []
    for target in matrix:
        was, now = before.of(target), after.of(target)
        if was is None or now is None:
            if was != now:
                (new_variants if was is None else gone_variants).append(target)
        elif was != now:
            pending.append(target)
    groups: dict[tuple[str, str, str, str, str], Group] = {}
    for target, changes in zip(pending, _compare_all(old, new, pending, workers), strict=True):
        for change in changes:
            key = (change.part, change.kind, change.id, change.old_text, change.new_text)
            groups.setdefault(key, Group(change)).variants.append((target, change.number))
    return Impact(list(groups.values()), new_variants, gone_variants, len(matrix), len(pending),
                  time.perf_counter() - started)  # fmt: skip


@dataclass(frozen=True)
class _Answer:
    """A worker's answer for one variant: its changes, or what went wrong (a ProfileError does not
    pickle, its diagnostics do)."""

    changes: tuple[ClauseChange, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    error: JobdescError | None = None


def _compare_one(old: Bundle, new: Bundle, target: Target) -> _Answer:
    try:
        changes = compare(build_document(target.request(), old)[0], build_document(target.request(), new)[0])
    except ProfileError as exc:
        return _Answer(diagnostics=tuple(exc.diagnostics))
    except JobdescError as exc:
        return _Answer(error=exc)
    return _Answer(tuple(c for c in changes if c.changed))


def _compare_all(old: Bundle, new: Bundle, targets: list[Target], workers: int) -> Iterator[tuple[ClauseChange, ...]]:
    """Each variant's changes, in order. Forked workers start with the files the parent already read."""
    work = partial(_compare_one, old, new)
    answers: Iterable[_Answer] = map(work, targets)
    if workers > 1 and len(targets) >= 4 * workers:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            answers = list(pool.map(work, targets, chunksize=max(1, len(targets) // (8 * workers))))
    for answer in answers:
        if answer.diagnostics:
            raise ProfileError(answer.diagnostics)
        if answer.error:
            raise answer.error
        yield answer.changes


def _variant_list(group: Group) -> list[str]:
    """Each variant's label, with the clause's number where it differs from the one shown."""
    shown = group.change.number
    return [target.label + (f" (as {number})" if number != shown else "") for target, number in group.variants]


def summary(result: Impact) -> str:
    touched = len({t for g in result.groups for t, _ in g.variants} | {*result.new_variants, *result.gone_variants})
    counts = ", ".join(f"{sum(g.change.kind == k for g in result.groups)} {k}" for k in COUNTED)
    return (
        f"{len(result.groups)} change(s) in {touched} of {result.variants} variants: {counts} "
        f"({result.compared} compared in {result.seconds:.1f} s)"
    )


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, 110, initial_indent=" " * 10, subsequent_indent=" " * 12, break_on_hyphens=False)


def as_text(result: Impact, colour: bool) -> str:
    lines = []
    for group in result.groups:
        variants = _variant_list(group)
        lines += [heading(group.change), f"          {marked(group.change, colour)}"]
        lines += _wrapped(f"in {len(variants)} variant(s): {', '.join(variants)}")
    for kind, found in (("NEW", result.new_variants), ("GONE", result.gone_variants)):
        if found:
            lines.append(
                f"{kind:>9} {len(found)} variant(s), only the {kind == 'NEW' and 'new' or 'old'} profiles have:"
            )
            lines += _wrapped(", ".join(t.label for t in found))
    return "\n".join([*lines, summary(result)]) + "\n"


def as_html(result: Impact, title: str) -> str:
    rows = []
    for group in result.groups:
        change = group.change
        variants = "".join(f"<li>{html.escape(v)}</li>" for v in _variant_list(group))
        rows.append(
            f'<tr class="{change.kind}"><td>{html.escape(change.section)}</td><td>{html.escape(change.number)}</td>'
            f"<td>{change.kind}</td><td>{marked_html(change)}<ul>{variants}</ul></td></tr>"
        )
    for kind, found in (("new variant", result.new_variants), ("gone variant", result.gone_variants)):
        rows += [f"<tr><td></td><td></td><td>{kind}</td><td>{html.escape(t.label)}</td></tr>" for t in found]
    return page(title, f"<table>{''.join(rows)}</table><p>{html.escape(summary(result))}</p>")
