"""`jobdesc validate`: every problem a render of your profiles would meet, found before it.

Each file is checked on its own; then every role in every jurisdiction, in every language
the role has, with the organisation that variant would use, is merged, assembled and linted
as a render would; then every combination the batch files ask for. Over the bundled library
(``--profiles`` layers), only combinations with one of your files in them are built: the
bundled ones are checked by jobdesc's own tests.

A pair your role cannot render with one of the bundled sample organisations (it has no
occupation code for your role, say) is not a problem of yours: it is reported once per pair
as not supported. Every clause's variables are checked in every language, rendered or not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import jinja2
from jinja2 import meta

from .assemble import VARIABLES
from .bundle import Bundle
from .errors import Diagnostic, Location, ProfileError, RenderError, UsageError
from .i18n import LANGUAGES
from .limits import guarded
from .merge import resolve_role
from .model import Document
from .paths import display
from .pipeline import Request, build_document
from .profile import (
    ANY_LANGUAGE,
    Industry,
    Jurisdiction,
    Organisation,
    Role,
    RoleExtension,
    Text,
    load_industry,
    load_jurisdiction,
    load_organisation,
    load_role,
)
from .templating import clause_environment

T = TypeVar("T")


@dataclasses.dataclass
class Validation:
    problems: list[Diagnostic]
    coverage: dict[str, tuple[int, int]]  # language -> (texts present, texts in roles and industries)
    combinations: int  # role x industry x jurisdiction x language checked
    warnings: list[Diagnostic] = dataclasses.field(default_factory=list)  # e.g. a name in another script
    unsupported: list[str] = dataclasses.field(default_factory=list)  # pairs that cannot render, once each


def validate(bundle: Bundle | None = None, organisation: Path | str | None = None) -> Validation:
    """Every problem of the profiles; with ``organisation`` (a name or a file), what that
    organisation will render: every role in its jurisdiction, in every language the role has."""
    from .batch import expand, load_batch, organisation_of  # batch builds on the pipeline

    bundle = bundle or Bundle()
    layered = bool(bundle.fallbacks)
    problems: set[Diagnostic] = set()
    warnings: set[Diagnostic] = set()

    def attempt(action: Callable[[], T]) -> T | None:
        try:
            return action()
        except ProfileError as exc:
            problems.update(exc.diagnostics)
        except (UsageError, RenderError) as exc:
            problems.add(Diagnostic(Location(display(bundle.root), 0), "", str(exc)))
        return None

    roles = [r for p in bundle.own_paths("roles") if (r := attempt(partial(load_role, p)))]
    industries = [i for p in bundle.own_paths("industries") if (i := attempt(partial(load_industry, p)))]
    loaded = {p: j for p in bundle.paths("jurisdictions") if (j := attempt(partial(load_jurisdiction, p)))}
    jurisdictions = {j.id: j for j in loaded.values()}
    organisations = [o for p in bundle.own_paths("organisations") if (o := attempt(partial(load_organisation, p)))]
    for org in organisations:
        if org.jurisdiction not in jurisdictions:
            message = f"unknown jurisdiction {org.jurisdiction!r}; valid: {', '.join(sorted(jurisdictions))}"
            problems.add(Diagnostic(Location(org.path, 0), "jurisdiction", message))
    own_jurisdictions = [loaded[p] for p in bundle.own_paths("jurisdictions") if p in loaded]
    problems.update(_unknown_variables(roles, industries, own_jurisdictions, organisations))

    given = attempt(partial(bundle.organisation, organisation)) if organisation is not None else None
    given_jurisdiction = attempt(partial(lambda p: load_organisation(p).jurisdiction, given)) if given else None
    requests: dict[Request, tuple[Path, ...]] = {}  # each with the bundled files it would use
    unwritten: dict[str, dict[str, None]] = {}  # jurisdiction -> the roles' languages it has no text in
    for name in bundle.roles():
        role_path = bundle.role_path(name)
        resolved = attempt(partial(resolve_role, name, bundle))
        if resolved is None:
            continue
        for code in jurisdictions:
            if given_jurisdiction and code != given_jurisdiction:
                continue
            org_path = given or attempt(partial(bundle.organisation_for, code))
            if org_path is None:
                continue
            files = (role_path, bundle.jurisdiction_path(code), org_path)
            if layered and given is None and all(bundle.is_bundled(p) for p in files):
                continue
            written = _languages(jurisdictions[code].country)
            for language in _languages(resolved.title):
                if language not in written:
                    unwritten.setdefault(code, {})[language] = None
                    continue
                requests[Request(name, language, (), org_path, code)] = tuple(p for p in files if bundle.is_bundled(p))
    for path in bundle.own_paths("batches"):
        spec = attempt(partial(load_batch, path, bundle))
        if spec is None:
            continue
        for v in attempt(partial(expand, spec, bundle)) or []:
            org_path = organisation_of(spec, v, bundle)
            requests[Request(v.role, v.language, (), org_path, v.jurisdiction, v.industry)] = ()

    unsupported = {
        (f"jurisdiction {code!r}", ""): f"jurisdiction {code!r} ({jurisdictions[code].path}) is not written in "
        f"{', '.join(languages)}: the roles in those languages cannot render there"
        for code, languages in unwritten.items()
    }
    for request, bundled in requests.items():
        try:
            document = _guarded_build(request, bundle)
        except ProfileError as exc:
            theirs = {display(p) for p in bundled} if layered else set()
            own = [d for d in exc.diagnostics if d.location.path not in theirs]
            problems.update(own)
            if len(own) < len(exc.diagnostics) and request.jurisdiction:
                first = next(d for d in exc.diagnostics if d.location.path in theirs)
                key = (request.role, request.jurisdiction)
                unsupported.setdefault(key, f"role {request.role!r} in jurisdiction {request.jurisdiction!r}: {first}")
            continue
        except (UsageError, RenderError) as exc:
            problems.add(Diagnostic(Location(display(bundle.root), 0), "", f"{_label(request)}: {exc}"))
            continue
        warnings.update(document.warnings)

    texts = [t for role in roles for t in _role_texts(role)]
    texts += [op.clause.text for industry in industries for op in industry.operations if op.clause]
    texts += [i.name for i in industries]
    coverage = {code: (sum(code in t.values for t in texts), len(texts)) for code in LANGUAGES}
    return Validation(
        sorted(problems, key=lambda d: (d.location, d.field, d.message)),
        coverage,
        len(requests),
        sorted(warnings, key=lambda d: (d.location, d.field)),
        [unsupported[key] for key in sorted(unsupported)],
    )


def _label(request: Request) -> str:
    return f"{request.role} in {request.jurisdiction} ({request.language})"


def _languages(text: Text) -> list[str]:
    """The languages a role or a jurisdiction is written in: those of its title or its country's
    name (all, if it is one text for all)."""
    codes = set(text.values)
    return list(LANGUAGES) if ANY_LANGUAGE in codes else [code for code in LANGUAGES if code in codes]


def _guarded_build(request: Request, bundle: Bundle) -> Document:
    with guarded():  # each combination under the limits of one document
        return build_document(request, bundle)[0]


def _unknown_variables(
    roles: list[Role | RoleExtension],
    industries: list[Industry],
    jurisdictions: list[Jurisdiction],
    organisations: list[Organisation],
) -> list[Diagnostic]:
    """A variable no clause can use, in any language of any clause text, rendered or not."""
    texts = [t for role in roles for t in _role_texts(role)]
    texts += [op.clause.text for i in industries for op in i.operations if op.clause]
    for j in jurisdictions:
        framework = (*j.framework.opening, *j.framework.closing, *j.framework.liability)
        texts += [c.text for clause in framework for c in clause.walk()]
        texts += [c.text for op in j.operations if op.clause for c in op.clause.walk()]
    texts += [c.text for o in organisations for op in o.operations if op.clause for c in op.clause.walk()]
    known = ", ".join(sorted(VARIABLES))
    problems = []
    for text in texts:
        for language, source in text.values.items():
            try:
                used = meta.find_undeclared_variables(clause_environment().parse(source))
            except jinja2.TemplateSyntaxError:
                continue  # reported by the loader with its line
            for name in sorted(used - VARIABLES):
                message = f"unknown variable {name!r}; the variables a clause can use are: {known}"
                problems.append(Diagnostic(text.where(language), f"{text.field}.{language}", message))
    return problems


def _role_texts(role: Role | RoleExtension) -> list[Text]:
    if isinstance(role, RoleExtension):
        fields = [v for v in role.overrides.values() if isinstance(v, Text)]
        return fields + [c.text for op in role.operations if op.clause for c in op.clause.walk()]
    fields = [role.title, role.subject, role.supervisor, role.education]
    return fields + [c.text for c in role.clauses()]
