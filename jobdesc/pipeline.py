"""The importable API: load -> validate -> assemble one model -> render each format -> write.

Every format is rendered and checked in memory before anything is written, and
each file is written under a temporary name and renamed into place, so a failed
run never leaves a half-written document.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import TypeVar

from .assemble import assemble
from .bundle import Bundle
from .completeness import check_complete
from .errors import Diagnostic, Location, ProfileError, RenderError, UsageError
from .i18n import parse_language
from .merge import merge, resolve_role
from .model import Document
from .profile import Industry, load_industry, load_jurisdiction, load_organisation, load_role
from .renderers import FORMATS, get_renderer
from .timing import timed

DEFAULT_ROLE = "account-manager"
DEFAULT_ORGANISATION = "sample"
T = TypeVar("T")


@dataclass(frozen=True)
class Request:
    role: str = DEFAULT_ROLE
    language: str | None = None  # None: the organisation's language
    formats: tuple[str, ...] = ("pdf", "docx")
    organisation: Path | None = None  # None: the bundled sample organisation
    jurisdiction: str | None = None  # None: the organisation's jurisdiction
    industry: str | None = None  # None: no industry overlay


def build_document(request: Request, bundle: Bundle | None = None) -> tuple[Document, str]:
    """The document model and the base name its files get (unique per variant)."""
    with timed("load and merge"):
        return _build_document(request, bundle or Bundle())


def _build_document(request: Request, bundle: Bundle) -> tuple[Document, str]:
    language = parse_language(request.language) if request.language else None
    bundle.role_path(request.role)  # an unknown role is a usage error before any file is read
    industry = load_industry(bundle.industry_path(request.industry)) if request.industry else None
    org = load_organisation(request.organisation or bundle.organisation_path(DEFAULT_ORGANISATION))
    jurisdiction = load_jurisdiction(bundle.jurisdiction_path(request.jurisdiction or org.jurisdiction))
    role = merge(resolve_role(request.role, bundle), industry, jurisdiction, org)
    language = language or parse_language(org.language)
    document = assemble(role, org, jurisdiction, language)
    parts = [role.id, *([industry.id] if industry else []), jurisdiction.id, language.tag]
    return document, "_".join(parts)


def render(request: Request, out_dir: Path, bundle: Bundle | None = None) -> list[Path]:
    """Render the requested formats into ``out_dir``; returns the files written."""
    renderers = {fmt: get_renderer(fmt) for fmt in request.formats}  # unknown format: fail first
    if not renderers:
        raise UsageError(f"no format given; valid: {', '.join(FORMATS)}")
    document, stem = build_document(request, bundle)
    outputs = {}
    for fmt, renderer in renderers.items():
        output = renderer(document)
        check_complete(document, output, fmt)
        outputs[fmt] = output
    written = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for fmt, output in outputs.items():
            target = out_dir / f"{stem}.{fmt}"
            write_atomically(target, output.data)
            written.append(target)
    except OSError as exc:
        raise RenderError(f"cannot write into {out_dir}: {exc.strerror or exc}") from None
    return written


def write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def validate(bundle: Bundle | None = None) -> list[Diagnostic]:
    """Every problem in the bundled profiles: each file on its own, then each role with
    each jurisdiction and organisation in every language (missing translations,
    unknown variables)."""
    bundle = bundle or Bundle()
    problems: set[Diagnostic] = set()

    def load(loader: Callable[[Path], T], kind: str) -> list[T]:
        loaded = []
        for path in bundle.paths(kind):
            try:
                loaded.append(loader(path))
            except ProfileError as exc:
                problems.update(exc.diagnostics)
        return loaded

    load(load_role, "roles")
    roles = []
    for name in bundle.roles():
        try:
            roles.append(resolve_role(name, bundle))
        except ProfileError as exc:
            problems.update(exc.diagnostics)
    industries: list[Industry | None] = [None, *load(load_industry, "industries")]
    jurisdictions = load(load_jurisdiction, "jurisdictions")
    organisations = load(load_organisation, "organisations")
    known = {j.id for j in jurisdictions}
    for org in organisations:
        if org.jurisdiction not in known:
            message = f"unknown jurisdiction {org.jurisdiction!r}; valid: {', '.join(sorted(known))}"
            problems.add(Diagnostic(Location(org.path, 0), "jurisdiction", message))
    for role, industry, jurisdiction, org in product(roles, industries, jurisdictions, organisations):
        for code in dict.fromkeys((jurisdiction.language, "en")):
            try:
                assemble(merge(role, industry, jurisdiction, org), org, jurisdiction, parse_language(code))
            except ProfileError as exc:
                problems.update(exc.diagnostics)
    return sorted(problems, key=lambda d: (d.location, d.field, d.message))
