"""What the studio asks of the pipeline, run in a worker process under the CLI's limits.

The time limit is a timer signal and the memory limit a process limit: both need a process's
main thread, which a web server's request never runs in. So each job runs in one long-lived
worker process (``guarded()`` there, as in ``jobdesc batch``); a job that kills its worker
breaks only the pool, which the next job replaces."""

from __future__ import annotations

import dataclasses
import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ..bundle import Bundle
from ..errors import JobdescError
from ..i18n import LANGUAGES, parse_language
from ..limits import guarded
from ..pipeline import Request, build_document, render, render_outputs
from ..renderers import RenderOptions, get_renderer
from ..renderers.html import render_html
from ..renderers.inline import self_contained

Result = dict[str, Any]  # what a job returns: its fields, or {"error": the CLI's message}


def document(bundle: Bundle, request: Request) -> Result:
    """The page exactly as the PDF renderer lays it out, and where each clause comes from."""
    built, stem = build_document(request, bundle)
    clauses = {
        c.id: {"number": c.number, "text": c.text, "layer": c.layer, "origin": c.origin} for c in built.clauses()
    }
    assert built.identity is not None
    return {
        "html": self_contained(render_html(built, RenderOptions()), RenderOptions()),  # as --format html writes it
        "clauses": clauses,
        "stem": stem,
        "language": parse_language(built.identity.language).code,  # what an overlay's texts are keyed by
        "organisation": str(bundle.organisation(request.organisation, request.jurisdiction)),
        "warnings": [str(w) for w in built.warnings],
    }


def pages(bundle: Bundle, request: Request) -> Result:
    """How the PDF breaks the page: its page count and the page each clause starts on, laid out
    by WeasyPrint as the PDF renderer lays it out (the browser's own layout would differ)."""
    from weasyprint import HTML

    from ..paths import TEMPLATES
    from ..renderers.pdf import AssetFetcher, _font_config

    built, _ = build_document(request, bundle)
    ids = {c.id for c in built.clauses()}
    page = HTML(
        string=render_html(built, RenderOptions()), base_url=f"{TEMPLATES}/", url_fetcher=AssetFetcher(TEMPLATES)
    )
    laid_out = page.render(font_config=_font_config())
    starts: dict[str, int] = {}
    for number, laid in enumerate(laid_out.pages, start=1):
        for box in laid._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") in ids:
                starts.setdefault(element.get("id"), number)
    return {"pages": len(laid_out.pages), "starts": starts}


def translations(bundle: Bundle, request: Request, clause_id: str) -> Result:
    """The clause's text in every language the variant renders in: what an edit in one language
    keeps for the others, so the overlay stays complete (``validate`` asks for every language)."""
    texts: dict[str, str] = {}
    for code in LANGUAGES:
        try:
            built, _ = build_document(dataclasses.replace(request, language=code), bundle)
        except JobdescError:
            continue  # a language the variant does not render in
        texts.update((code, c.text) for c in built.clauses() if c.id == clause_id)
    return {"texts": texts}


def export(bundle: Bundle, request: Request, fmt: str) -> Result:
    """One format of the variant in memory, checked for every clause like ``render``."""
    built, stem = build_document(request, bundle)
    outputs = render_outputs(built, {fmt: get_renderer(fmt)}, RenderOptions())
    return {"data": outputs[fmt].data, "name": f"{stem}.{fmt}"}


def render_into(bundle: Bundle, request: Request, out_dir: Path) -> Result:
    """``jobdesc render`` of the variant into the output folder."""
    written = render(dataclasses.replace(request, formats=("pdf", "docx")), out_dir, bundle)
    return {"written": [str(p) for p in written]}


def redline(bundle: Bundle, old_bundle: Bundle, request: Request, old: Request) -> Result:
    """The variant against another (another library, jurisdiction or industry), as ``jobdesc diff`` marks it."""
    from ..redline import as_html, compare, counts

    before, _ = build_document(old, old_bundle)
    after, _ = build_document(request, bundle)
    changes = compare(before, after)
    return {"html": as_html(changes, f"{after.title} {after.subtitle}"), "counts": counts(changes)}


def redline_at(bundle: Bundle, request: Request, revision: str) -> Result:
    """The variant against the first profiles folder at a git revision."""
    from ..redline import profiles_at

    with tempfile.TemporaryDirectory(prefix="jobdesc-serve-") as scratch:
        old_bundle = bundle.with_root(profiles_at(revision, bundle.root, Path(scratch)))
        return redline(bundle, old_bundle, request, request)


def status(bundle: Bundle, request: Request, out_dir: Path) -> Result:
    """Whether the variant's last rendered PDF is up to date, and which signature fields are signed."""
    from ..signing import inspect
    from ..versions import check_version

    _, stem = build_document(request, bundle)
    pdf = out_dir / f"{stem}.pdf"
    if not pdf.is_file():
        return {"file": str(pdf), "exists": False}
    check = check_version(pdf, bundle)
    fields = [{"name": f.name, "signed": f.signed, "signer": f.signer} for f in inspect(pdf, []).fields]
    return {"file": str(pdf), "exists": True, "up_to_date": check.up_to_date, "fields": fields}


def _run(job: Any, *args: Any) -> Result:
    try:
        with guarded():
            result: Result = job(*args)
            return result
    except JobdescError as exc:
        return {"error": str(exc)}
    except OSError as exc:
        return {"error": f"cannot use {exc.filename or ''}: {exc.strerror or exc}"}


class Worker:
    """One worker process, replaced when a job kills it."""

    def __init__(self) -> None:
        self._pool = self._start()

    @staticmethod
    def _start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))

    def run(self, job: Any, *args: Any) -> Result:
        try:
            return self._pool.submit(_run, job, *args).result()
        except BrokenProcessPool:
            self._pool = self._start()
            return {"error": "the render stopped its worker process (out of memory?); nothing was written"}

    def close(self) -> None:
        """Stop the worker now, a render under way included (the pool has no public way to before Python 3.14)."""
        for process in list(getattr(self._pool, "_processes", {}).values()):
            process.terminate()
        self._pool.shutdown(cancel_futures=True)
