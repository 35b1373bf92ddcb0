"""The importable API: load -> validate -> assemble one model -> render each format -> write.

Every format is rendered and checked in memory before anything is written, and
each file is written under a temporary name and renamed into place, so a failed
run never leaves a half-written document.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .assemble import assemble
from .bilingual import pair, split_pair
from .bundle import DEFAULT_ROLE as DEFAULT_ROLE  # re-exported: the API's default role
from .bundle import Bundle
from .completeness import check_complete
from .employees import Employee, load_employees
from .errors import RenderError, UsageError
from .house_style import check_font, house_style
from .i18n import parse_language
from .limits import guarded
from .merge import merge, resolve_role
from .model import Bilingual, Clause, Document, HouseStyle, Identity
from .paths import display
from .profile import (
    cached_by_file,
    load_industry,
    load_jurisdiction,
    load_organisation,
)
from .renderers import FORMATS, Output, Renderer, RenderOptions, get_renderer
from .timing import timed
from .writing import write_atomically as write_atomically  # re-exported: the API writes as it renders
from .yamlsource import load_yaml

T = TypeVar("T")


@dataclass(frozen=True)
class Request:
    role: str = DEFAULT_ROLE
    language: str | None = None  # None: the organisation's language
    formats: tuple[str, ...] = ("pdf", "docx")
    organisation: Path | str | None = None  # a file or a bundled one's name; None: the jurisdiction's sample
    jurisdiction: str | None = None  # None: the organisation's jurisdiction
    industry: str | None = None  # None: no industry overlay
    employees: Path | None = None  # a staff list (CSV or XLSX) of the employees who sign the familiarization sheet
    staff: tuple[Employee, ...] = ()  # the employees, when not read from a file (verify: as the document lists them)


def build_document(request: Request, bundle: Bundle | None = None) -> tuple[Document, str]:
    """The document model and the base name its files get (unique per variant)."""
    with timed("load and merge"):
        return _build_document(request, bundle or Bundle())


def _build_document(request: Request, bundle: Bundle) -> tuple[Document, str]:
    _refuse_empty(request)
    language = parse_language(request.language) if request.language is not None else None
    bundle.role_path(request.role)  # an unknown role is a usage error before any file is read
    industry = load_industry(bundle.industry_path(request.industry)) if request.industry is not None else None
    org_path = bundle.organisation(request.organisation, request.jurisdiction)
    org = load_organisation(org_path)
    jurisdiction = load_jurisdiction(bundle.jurisdiction_path(request.jurisdiction or org.jurisdiction))
    role = merge(resolve_role(request.role, bundle), industry, jurisdiction, org)
    language = language or parse_language(jurisdiction.language if request.jurisdiction else org.language)
    # The staff list's headers may be in English, the document's or the organisation's language.
    header_languages = (language.code, org.language, jurisdiction.language)
    employees = load_employees(request.employees, header_languages) if request.employees else request.staff
    parts = [role.id, *([industry.id] if industry else []), jurisdiction.id, language.tag]
    stem = "_".join(parts)
    document = assemble(role, org, jurisdiction, language, employees, variant=stem)
    document = dataclasses.replace(document, style=house_style(org, org_path))
    source = organisation_source(org_path)
    # One of the library's organisations is recorded by name; a file given by path, whole.
    bundled = any(org_path.resolve().parent == (folder / "organisations").resolve() for folder in bundle.folders)
    listed = tuple((e.name, e.position) for e in employees)
    identity = Identity(
        role.id,
        industry.id if industry else None,
        jurisdiction.id,
        language.tag,
        content_hash(document),
        organisation=org_path.stem,
        organisation_hash=_short_hash(source),
        organisation_source="" if bundled else source,
        employees=listed,
        employees_hash=_short_hash(json.dumps(listed, ensure_ascii=False)) if listed else "",
    )
    return dataclasses.replace(document, identity=identity), stem


def build_any(request: Request, bundle: Bundle | None = None) -> tuple[Document | Bilingual, str]:
    """One document, or for a pair of languages (``pl+en``) the two side by side; and the base
    name of its files (``account-manager_pl_pl-PL+en-GB``)."""
    languages = split_pair(request.language) if request.language is not None else None
    if languages is None:
        return build_document(request, bundle)
    bundle = bundle or Bundle()
    first, stem = build_document(dataclasses.replace(request, language=languages[0]), bundle)
    second, _ = build_document(dataclasses.replace(request, language=languages[1]), bundle)
    stem = f"{stem.rpartition('_')[0]}_{first.language}+{second.language}"
    return pair(first, second, stem), stem


def _refuse_empty(request: Request) -> None:
    """An option given empty (``--lang ''``) is a mistake, never a quiet default."""
    for option, value in (
        ("role", request.role),
        ("--lang", request.language),
        ("--org", request.organisation),
        ("--jurisdiction", request.jurisdiction),
        ("--industry", request.industry),
    ):
        if isinstance(value, str) and not value.strip():
            raise UsageError(f"{option} is empty: give a value, or leave it out for the default")


@cached_by_file
def organisation_source(path: Path) -> str:
    """The organisation file as read, without its comments and layout: what the document
    records when the organisation is not a bundled one, and what its hash covers."""
    return json.dumps(load_yaml(path, display(path)), ensure_ascii=False, separators=(",", ":"))


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def content_hash(document: Document) -> str:
    """A short fingerprint of everything the document says, never of where it was read from:
    the same profiles give the same hash from any folder or machine."""
    said = dataclasses.replace(
        document,
        identity=None,
        style=HouseStyle(),  # a new logo or colour says nothing new
        warnings=(),
        removed=(),
        sections=tuple(
            dataclasses.replace(section, clauses=tuple(_without_origin(c) for c in section.clauses))
            for section in document.sections
        ),
    )
    return _short_hash(repr(said))


def _without_origin(clause: Clause) -> Clause:
    return dataclasses.replace(clause, origin="", children=tuple(_without_origin(c) for c in clause.children))


def render(
    request: Request, out_dir: Path, bundle: Bundle | None = None, options: RenderOptions | None = None
) -> list[Path]:
    """Render the requested formats into ``out_dir``; returns the files written."""
    renderers = {fmt: get_renderer(fmt) for fmt in request.formats}  # unknown format: fail first
    if not renderers:
        raise UsageError(f"no format given; valid: {', '.join(FORMATS)}")
    with guarded():
        document, stem = build_any(request, bundle)
        outputs = render_outputs(document, renderers, options or RenderOptions())
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


def render_outputs(
    document: Document | Bilingual, renderers: dict[str, Renderer], options: RenderOptions
) -> dict[str, Output]:
    """Every format in memory, each checked for every clause, whole and in order."""
    check_font(document.style, options)
    outputs = {}
    for fmt, renderer in renderers.items():
        output = renderer(document, options)
        check_complete(document, output, fmt)
        outputs[fmt] = output
    return outputs
