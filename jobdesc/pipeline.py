"""The importable API: load -> validate -> assemble one model -> render each format -> write.

Every format is rendered and checked in memory before anything is written, and
each file is written under a temporary name and renamed into place, so a failed
run never leaves a half-written document.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import product
from pathlib import Path
from typing import TypeVar

from .assemble import assemble
from .bundle import Bundle
from .completeness import check_complete
from .employees import load_employees
from .errors import Diagnostic, Location, ProfileError, RenderError, UsageError
from .house_style import check_font, house_style
from .i18n import LANGUAGES, parse_language
from .limits import guarded
from .merge import merge, resolve_role
from .model import Clause, Document, HouseStyle, Identity
from .profile import Role, RoleExtension, Text, load_industry, load_jurisdiction, load_organisation, load_role
from .renderers import FORMATS, Output, Renderer, RenderOptions, get_renderer
from .timing import timed
from .writing import write_atomically as write_atomically  # re-exported: the API writes as it renders

DEFAULT_ROLE = "account-manager"
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
    employees = load_employees(request.employees, header_languages) if request.employees else ()
    parts = [role.id, *([industry.id] if industry else []), jurisdiction.id, language.tag]
    stem = "_".join(parts)
    document = assemble(role, org, jurisdiction, language, employees, variant=stem)
    document = dataclasses.replace(document, style=house_style(org, org_path))
    identity = Identity(
        role.id, industry.id if industry else None, jurisdiction.id, language.tag, content_hash(document)
    )
    return dataclasses.replace(document, identity=identity), stem


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
    return hashlib.sha256(repr(said).encode("utf-8")).hexdigest()[:12]


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
        document, stem = build_document(request, bundle)
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


def render_outputs(document: Document, renderers: dict[str, Renderer], options: RenderOptions) -> dict[str, Output]:
    """Every format in memory, each checked for every clause, whole and in order."""
    check_font(document.style, options)
    outputs = {}
    for fmt, renderer in renderers.items():
        output = renderer(document, options)
        check_complete(document, output, fmt)
        outputs[fmt] = output
    return outputs


@dataclass
class Validation:
    problems: list[Diagnostic]
    coverage: dict[str, tuple[int, int]]  # language -> (texts present, texts in roles and industries)
    combinations: int  # role x industry x jurisdiction x language checked
    warnings: list[Diagnostic] = dataclasses.field(default_factory=list)  # e.g. a name in another script


def validate(bundle: Bundle | None = None) -> Validation:
    """Every problem in a profiles folder: each file on its own, then every role in every
    jurisdiction and language (with the jurisdiction's sample organisation) and every
    combination the batch files under ``batches/`` request, merged, assembled and linted as
    a render would."""
    from .batch import expand, load_batch, organisation_of  # batch builds on this module

    bundle = bundle or Bundle()
    problems: set[Diagnostic] = set()
    warnings: set[Diagnostic] = set()

    def attempt(action: Callable[[], T]) -> T | None:
        try:
            return action()
        except ProfileError as exc:
            problems.update(exc.diagnostics)
        except (UsageError, RenderError) as exc:
            problems.add(Diagnostic(Location(str(bundle.root), 0), "", str(exc)))
        return None

    roles = [r for path in bundle.paths("roles") if (r := attempt(partial(load_role, path)))]
    industries = [i for path in bundle.paths("industries") if (i := attempt(partial(load_industry, path)))]
    jurisdictions = {j.id: j for p in bundle.paths("jurisdictions") if (j := attempt(partial(load_jurisdiction, p)))}
    organisations = [o for p in bundle.paths("organisations") if (o := attempt(partial(load_organisation, p)))]
    for org in organisations:
        if org.jurisdiction not in jurisdictions:
            message = f"unknown jurisdiction {org.jurisdiction!r}; valid: {', '.join(sorted(jurisdictions))}"
            problems.add(Diagnostic(Location(org.path, 0), "jurisdiction", message))

    requests: dict[Request, None] = {}
    for role, jurisdiction, code in product(bundle.roles(), jurisdictions, LANGUAGES):
        organisation = attempt(partial(bundle.organisation_for, jurisdiction))
        requests[Request(role, code, (), organisation, jurisdiction)] = None
    batches = [b for p in bundle.paths("batches") if (b := attempt(partial(load_batch, p, bundle)))]
    for spec in batches:
        for v in attempt(partial(expand, spec, bundle)) or []:
            organisation = organisation_of(spec, v, bundle)
            requests[Request(v.role, v.language, (), organisation, v.jurisdiction, v.industry)] = None
    for request in requests:
        built = attempt(partial(_guarded_build, request, bundle))
        if built:
            warnings.update(built[0].warnings)

    texts = [t for role in roles for t in _role_texts(role)]
    texts += [op.clause.text for industry in industries for op in industry.operations if op.clause]
    texts += [i.name for i in industries]
    coverage = {code: (sum(code in t.values for t in texts), len(texts)) for code in LANGUAGES}
    ordered = sorted(problems, key=lambda d: (d.location, d.field, d.message))
    return Validation(ordered, coverage, len(requests), sorted(warnings, key=lambda d: (d.location, d.field)))


def _guarded_build(request: Request, bundle: Bundle) -> tuple[Document, str]:
    with guarded():  # each combination under the limits of one document
        return build_document(request, bundle)


def _role_texts(role: Role | RoleExtension) -> list[Text]:
    if isinstance(role, RoleExtension):
        fields = [v for v in role.overrides.values() if isinstance(v, Text)]
        return fields + [c.text for op in role.operations if op.clause for c in op.clause.walk()]
    fields = [role.title, role.subject, role.supervisor, role.education]
    return fields + [c.text for c in role.clauses()]
