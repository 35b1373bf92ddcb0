"""Render every variant of a matrix: roles x industries x jurisdictions x languages x formats.

- The matrix comes from a batch file (``profiles/batches/*.yaml``), checked like every profile.
- Each variant is rendered by a worker process (a pure function of its job); a worker
  that dies fails only its own variant: the pool is rebuilt and the other jobs re-run.
- A variant is skipped when neither its inputs nor, failing that, its merged model changed
  since the last run (fingerprints kept in the output folder); ``force`` renders all.
- At the end a report lists every variant's status, files, time and error.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache
from itertools import product
from pathlib import Path
from typing import Any

from . import __version__, schema
from .bundle import Bundle
from .errors import JobdescError, ProfileError, UsageError, os_message
from .house_style import style_files
from .i18n import LANGUAGES, parse_language
from .limits import guarded, peak_memory_kb, warn_unenforced
from .model import Bilingual, Document
from .paths import LOCALES, TEMPLATES, display
from .pipeline import Request, build_any, render_outputs
from .profile import load_jurisdiction
from .renderers import FORMATS, RenderOptions, get_renderer
from .schema import Ctx, Field
from .timing import take
from .writing import write_atomically
from .yamlsource import YValue, load_yaml

STATE_FILE = ".jobdesc-state.json"
REPORT_FILE = "report.json"
NO_INDUSTRY = "none"
OWN_LANGUAGE = "own"
OWN_ORGANISATION = "own"  # each jurisdiction's sample organisation
_PACKAGE = Path(__file__).parent


@dataclass(frozen=True)
class Variant:
    role: str
    industry: str | None
    jurisdiction: str
    language: str  # a language code or a pair (pl+en), already resolved from "own"

    @property
    def stem(self) -> str:
        """The base of its file names: unique per variant, as `jobdesc render` names them."""
        parts = [self.role, *([self.industry] if self.industry else []), self.jurisdiction]
        return "_".join([*parts, "+".join(parse_language(code).tag for code in self.language.split("+"))])


@dataclass(frozen=True)
class BatchSpec:
    path: str
    roles: list[str]
    industries: list[str]
    jurisdictions: list[str]
    languages: list[str]
    formats: list[str]
    organisation: str
    exclude: list[dict[str, str]]
    include: list[dict[str, str]]
    organisation_file: Path | None = None  # an organisation file of one's own, wherever it is


def load_batch(path: Path, bundle: Bundle) -> BatchSpec:
    """Read and check a batch file: every name must exist, every error has its line."""
    name = display(path)

    def names(valid: Iterable[str], what: str) -> schema.Validator:
        return schema.list_of(schema.choice(list(valid), what), min_items=1)

    dimensions = {
        "role": schema.choice(bundle.roles(), "role"),
        "industry": schema.choice([NO_INDUSTRY, *bundle.industries()], "industry"),
        "jurisdiction": schema.choice(bundle.jurisdictions(), "jurisdiction"),
        "language": schema.choice(LANGUAGES, "language"),
    }

    def rule(required: tuple[str, ...]) -> schema.Validator:
        """A variant pattern; ``required`` names the dimensions it must give."""
        fields = {key: Field(check, required=key in required) for key, check in dimensions.items()}
        return schema.list_of(schema.record(fields, lambda **kw: {k: v for k, v in kw.items() if v is not None}))

    fields = {
        "roles": Field(names(bundle.roles(), "role")),
        "industries": Field(names([NO_INDUSTRY, *bundle.industries()], "industry"), False, [NO_INDUSTRY]),
        "jurisdictions": Field(names(bundle.jurisdictions(), "jurisdiction")),
        "languages": Field(schema.list_of(_language_or_pair, min_items=1), False, [OWN_LANGUAGE]),
        "formats": Field(names(FORMATS, "format"), False, ["pdf", "docx"]),
        "organisation": Field(
            schema.choice([OWN_ORGANISATION, *bundle.organisations()], "organisation"), False, OWN_ORGANISATION
        ),
        "exclude": Field(rule(required=()), False, []),
        "include": Field(rule(required=("role", "jurisdiction")), False, []),
    }
    fields["organisation_file"] = Field(_organisation_file(path), False, None)
    ctx = Ctx()
    data = load_yaml(path, name)
    spec = schema.record(fields, lambda **kw: BatchSpec(path=name, **kw))(data, "", ctx)
    if "organisation_file" in data and "organisation" in data:
        ctx.error(data.key_locs["organisation_file"], "organisation_file", "give organisation or organisation_file")
    if ctx.diagnostics:
        raise ProfileError(ctx.diagnostics)
    return spec  # type: ignore[no-any-return]


def _organisation_file(batch: Path) -> schema.Validator:
    """``organisation_file: ../acme.yaml``: a path, said to be one, relative to the batch file."""

    def check(value: YValue, field_name: str, ctx: Ctx) -> Any:
        given = schema.text(value, field_name, ctx)
        if given is schema.INVALID:
            return given
        path = batch.parent / given
        if not path.is_file():
            return ctx.error(value.loc, field_name, f"no organisation file {given!r} beside the batch file")
        return path

    return check


def organisation_of(spec: BatchSpec, variant: Variant, bundle: Bundle) -> Path:
    """The batch's organisation: a file of its own, a name, or "own": each jurisdiction's."""
    if spec.organisation_file is not None:
        return spec.organisation_file
    if spec.organisation == OWN_ORGANISATION:
        return bundle.organisation_for(variant.jurisdiction)
    return bundle.organisation_path(spec.organisation)


def _language_or_pair(value: YValue, name: str, ctx: Ctx) -> Any:
    """A language, "own", or a pair of them side by side, the binding one first: ``own+en``."""
    result = schema.text(value, name, ctx)
    if result is schema.INVALID:
        return result
    codes = result.split("+")
    if len(codes) > 2 or codes[0] not in (OWN_LANGUAGE, *LANGUAGES) or any(c not in LANGUAGES for c in codes[1:]):
        valid = ", ".join([OWN_LANGUAGE, *LANGUAGES])
        message = f"unknown language {result!r}; valid: {valid}, or two side by side, the binding one first (own+en)"
        return ctx.error(value.loc, name, message)
    if len(set(codes)) < len(codes):
        return ctx.error(value.loc, name, f"{result!r}: the two languages of a pair must differ")
    return result


def expand(spec: BatchSpec, bundle: Bundle) -> list[Variant]:
    """The variants of the matrix, in order, without duplicates; "own" is each jurisdiction's language."""
    own = {code: load_jurisdiction(bundle.jurisdiction_path(code)).language for code in bundle.jurisdictions()}
    variants: dict[Variant, None] = {}
    for role, industry, jurisdiction, language in product(
        spec.roles, spec.industries, spec.jurisdictions, spec.languages
    ):
        first, plus, second = language.partition("+")
        code = (own[jurisdiction] if first == OWN_LANGUAGE else first) + plus + second
        variant = Variant(role, None if industry == NO_INDUSTRY else industry, jurisdiction, code)
        if not any(_matches(variant, rule) for rule in spec.exclude):
            variants[variant] = None
    for entry in spec.include:
        jurisdiction = entry["jurisdiction"]
        industry = entry.get("industry", NO_INDUSTRY)
        language = entry.get("language", own[jurisdiction])
        variants[Variant(entry["role"], None if industry == NO_INDUSTRY else industry, jurisdiction, language)] = None
    return list(variants)


def _matches(variant: Variant, rule: dict[str, str]) -> bool:
    values = {
        "role": variant.role,
        "industry": variant.industry or NO_INDUSTRY,
        "jurisdiction": variant.jurisdiction,
        "language": variant.language,
    }
    return all(values[key] == value for key, value in rule.items())


# --- one variant, in a worker ------------------------------------------------


@dataclass(frozen=True)
class Job:
    variant: Variant
    formats: tuple[str, ...]
    organisation: Path
    bundle: Bundle
    out_dir: Path
    inputs: str  # fingerprint of every input file
    previous_model: str | None  # the model fingerprint of the last run, None to render anyway
    options: RenderOptions


@dataclass
class Outcome:
    variant: Variant
    status: str  # rendered, unchanged (rendered before, same merged model), skipped, failed
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    error: str = ""
    inputs: str = ""
    model: str = ""
    peak_rss_kb: int = 0
    pid: int = 0
    outputs: dict[str, bytes] = field(default_factory=dict, repr=False)  # from a remote worker, to write
    removed: list[dict[str, str]] = field(default_factory=list)  # clauses the overlays removed, and where


def model_fingerprint(document: Document | Bilingual, formats: tuple[str, ...], options: RenderOptions) -> str:
    """What the outputs are made from: the merged model, the formats and options, and the renderers' files."""
    digest = hashlib.sha256(repr(document).encode("utf-8"))
    digest.update(repr((formats, options)).encode())
    digest.update(_code_fingerprint().encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """jobdesc's own code, templates and catalogs: a change there changes every output."""
    files = sorted([*_PACKAGE.rglob("*.py"), *TEMPLATES.rglob("*"), *LOCALES.rglob("*.mo")])
    digest = hashlib.sha256(__version__.encode())
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def render_job(job: Job, write: bool = True) -> Outcome:
    """Render one variant in all its formats; never raises for a problem in the variant.
    Without ``write`` the files' bytes come back in the outcome (a worker with no shared disk)."""
    started = time.perf_counter()
    take()
    outcome = Outcome(job.variant, "failed", inputs=job.inputs, pid=os.getpid())
    try:
        with guarded():
            _render_variant(job, outcome, write)
    except ProfileError as exc:
        outcome.error = "\n".join(str(d) for d in exc.diagnostics)
    except JobdescError as exc:
        outcome.error = str(exc)
    except OSError as exc:  # a full disk, a folder that went away
        outcome.error = os_message(exc)
    except Exception as exc:  # a bug of ours: report it for this variant, keep the batch going
        outcome.error = f"internal error: {type(exc).__name__}: {exc}"
    outcome.seconds = time.perf_counter() - started
    outcome.stages = take()
    outcome.peak_rss_kb = peak_memory_kb()
    return outcome


def _render_variant(job: Job, outcome: Outcome, write: bool = True) -> None:
    """Build the model; render and write its formats unless the model is what was rendered last time."""
    v = job.variant
    request = Request(v.role, v.language, job.formats, job.organisation, v.jurisdiction, v.industry)
    document, stem = build_any(request, job.bundle)
    outcome.model = model_fingerprint(document, job.formats, job.options)
    removed = document.first.removed if isinstance(document, Bilingual) else document.removed
    outcome.removed = [{"clause": clause, "by": str(where)} for clause, where in removed]
    targets = {fmt: job.out_dir / f"{stem}.{fmt}" for fmt in job.formats}
    if outcome.model == job.previous_model and all(p.is_file() for p in targets.values()):
        outcome.status = "unchanged"
    else:
        renderers = {fmt: get_renderer(fmt) for fmt in job.formats}
        outputs = render_outputs(document, renderers, job.options)
        for fmt, output in outputs.items():
            if write:
                write_atomically(targets[fmt], output.data)
            else:
                outcome.outputs[fmt] = output.data
        outcome.status = "rendered"
    outcome.files = [str(p) for p in targets.values()]


# --- the pool ----------------------------------------------------------------

Worker = Callable[[Job], Outcome]


def run_jobs(jobs: list[Job], workers: int, report: Callable[[Outcome], None], worker: Worker = render_job) -> None:
    """Run the jobs in a pool of ``workers`` processes, reporting each outcome as it comes.

    A worker that dies (a crash, a kill, the memory limit) breaks the whole pool and
    fails every job queued in it. Only a few jobs are in flight at a time, so when the
    pool breaks those are the suspects: each is re-run alone, the one that kills its
    worker again is failed, and the rest go on in a new pool.
    """
    warn_unenforced()  # here, once: the workers enforce what they can and stay silent
    pending = deque(jobs)
    context = multiprocessing.get_context("spawn")
    while pending:
        suspects: list[Job] = []
        with ProcessPoolExecutor(workers, mp_context=context, max_tasks_per_child=200) as pool:
            in_flight: dict[Future[Outcome], Job] = {}
            while pending or in_flight:
                while pending and len(in_flight) < 2 * workers:
                    job = pending.popleft()
                    in_flight[pool.submit(worker, job)] = job
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    job = in_flight.pop(future)
                    try:
                        report(future.result())
                    except BrokenProcessPool:
                        suspects.append(job)
                        broken = True
                if broken:
                    suspects += in_flight.values()
                    break
        for job in suspects:
            with ProcessPoolExecutor(1, mp_context=context) as alone:
                try:
                    report(alone.submit(worker, job).result())
                except BrokenProcessPool:
                    report(Outcome(job.variant, "failed", error="the worker process died rendering this variant"))


# --- the whole batch ---------------------------------------------------------


@dataclass
class Fingerprints:
    """Digests of input files, each file read once per batch."""

    bundle: Bundle
    options: RenderOptions
    _files: dict[Path, str] = field(default_factory=dict)

    def file(self, path: Path) -> str:
        if path not in self._files and not path.is_file():
            self._files[path] = "not a regular file"  # a FIFO would block; reading it is refused later
        if path not in self._files:
            with path.open("rb") as stream:  # streamed: a huge file is refused when read, not here
                self._files[path] = hashlib.file_digest(stream, "sha256").hexdigest()
        return self._files[path]

    @cached_property
    def shared(self) -> list[Path]:
        """The files every variant depends on: all roles (one may extend any other) and the
        organisation's own templates folder, if any. Listed once per batch."""
        templates = sorted(p for p in self.options.templates.rglob("*") if p.is_file())
        return [*self.bundle.paths("roles"), *templates]

    def inputs(self, variant: Variant, organisation: Path, formats: tuple[str, ...]) -> str:
        files = [
            *self.shared,
            self.bundle.jurisdiction_path(variant.jurisdiction),
            organisation,
            *style_files(organisation),  # its logo
            *([self.bundle.industry_path(variant.industry)] if variant.industry else []),
        ]
        digest = hashlib.sha256(repr((variant, formats, self.options)).encode())
        digest.update(_code_fingerprint().encode())
        for path in files:
            digest.update(self.file(path).encode())
        return digest.hexdigest()[:16]


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    report_path: Path
    seconds: float

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def totals(self) -> dict[str, Any]:
        return totals(self.outcomes, self.seconds)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def plan(spec: BatchSpec, bundle: Bundle, out_dir: Path) -> list[Variant]:
    """The variants, after checking that their outputs are unique and inside the output folder."""
    variants = expand(spec, bundle)
    root = out_dir.resolve()
    seen: dict[str, Variant] = {}
    for variant in variants:
        target = (root / variant.stem).resolve()
        if target.parent != root:
            raise UsageError(f"variant {variant.stem!r} would write outside {out_dir}")
        if variant.stem in seen:
            raise UsageError(f"two variants would write {variant.stem}: {seen[variant.stem]} and {variant}")
        seen[variant.stem] = variant
    return variants


def run_batch(
    batch_file: Path,
    out_dir: Path,
    workers: int,
    force: bool = False,
    bundle: Bundle | None = None,
    report: Callable[[Outcome], None] = lambda outcome: None,
    worker: Worker = render_job,
    options: RenderOptions | None = None,
    start: Callable[[int], None] = lambda total: None,
    dask: str | None = None,
) -> BatchResult:
    """Render the batch; ``start`` hears how many variants there are once they are planned,
    ``report`` each variant's outcome as it comes. With ``dask`` (a scheduler's address) the
    variants are rendered on that Dask cluster instead of local worker processes."""
    started = time.perf_counter()
    bundle = bundle or Bundle()
    spec = load_batch(batch_file, bundle)
    variants = plan(spec, bundle, out_dir)
    start(len(variants))
    formats = tuple(spec.formats)
    out_dir.mkdir(parents=True, exist_ok=True)
    state = _read_state(out_dir)
    options = options or RenderOptions()
    fingerprints = Fingerprints(bundle, options)
    outcomes: list[Outcome] = []

    def collect(outcome: Outcome) -> None:
        outcomes.append(outcome)
        report(outcome)

    jobs = []
    for variant in variants:
        organisation = organisation_of(spec, variant, bundle)
        inputs = fingerprints.inputs(variant, organisation, formats)
        previous = {} if force else state.get(variant.stem, {})
        files = [out_dir / f"{variant.stem}.{fmt}" for fmt in formats]
        if previous.get("inputs") == inputs and all(p.is_file() for p in files):
            paths = [str(p) for p in files]
            removed = previous.get("removed", [])
            collect(Outcome(variant, "skipped", paths, inputs=inputs, model=previous["model"], removed=removed))
            continue
        jobs.append(Job(variant, formats, organisation, bundle, out_dir, inputs, previous.get("model"), options))
    if dask:
        from .dask_batch import run_on_dask

        run_on_dask(jobs, dask, collect)
    else:
        run_jobs(jobs, workers, collect, worker)

    for outcome in outcomes:
        if outcome.status == "failed":
            state.pop(outcome.variant.stem, None)
        else:
            state[outcome.variant.stem] = {"inputs": outcome.inputs, "model": outcome.model, "removed": outcome.removed}
    write_atomically(out_dir / STATE_FILE, json.dumps(state, indent=1, sort_keys=True).encode())
    order = {v: i for i, v in enumerate(variants)}
    outcomes.sort(key=lambda o: order[o.variant])
    report_path = out_dir / REPORT_FILE
    seconds = time.perf_counter() - started
    report_data = _report(spec, outcomes, seconds)
    write_atomically(report_path, json.dumps(report_data, indent=1, ensure_ascii=False).encode())
    return BatchResult(outcomes, report_path, seconds)


def _read_state(out_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        state = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


STATUSES = ("rendered", "unchanged", "skipped", "failed")


def totals(outcomes: list[Outcome], seconds: float) -> dict[str, Any]:
    """The batch in numbers: variants by status, files and the whole run's wall time."""
    counts = {status: sum(o.status == status for o in outcomes) for status in STATUSES}
    files = sum(len(o.files) for o in outcomes if o.status != "failed")
    return {"variants": len(outcomes), **counts, "files": files, "seconds": round(seconds, 3)}


def _report(spec: BatchSpec, outcomes: list[Outcome], seconds: float) -> dict[str, Any]:
    return {
        "batch": spec.path,
        "jobdesc": __version__,
        "totals": totals(outcomes, seconds),
        "variants": [
            {
                **asdict(o.variant),
                "status": o.status,
                "files": o.files,
                "seconds": round(o.seconds, 3),
                **({"error": o.error} if o.error else {}),
                **({"removed": o.removed} if o.removed else {}),
            }
            for o in outcomes
        ],
    }
