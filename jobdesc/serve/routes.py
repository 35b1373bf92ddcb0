"""The page and what its script asks for: the variant's document, downloads, edits, redlines,
status, and a stream of "something changed" events."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..bundle import DEFAULT_ROLE, check_name
from ..errors import JobdescError
from ..i18n import LANGUAGES
from ..paths import display
from ..pipeline import Request
from . import work
from .app import Studio
from .overlay import save_clause, undo
from .watch import changes

STATIC = Path(__file__).parent / "static"
MEDIA = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
VARIANT = (("role", "role"), ("lang", "language"), ("jurisdiction", "jurisdiction"), ("industry", "industry"))


def _studio(request: HttpRequest) -> Studio:
    studio: Studio = request.app.state.studio
    return studio


def variant(given: Any) -> Request:
    """The variant a page's address names; each part a name, never a path."""
    values = {field: (str(given.get(key) or "") or None) for key, field in VARIANT}
    organisation = str(given.get("org") or "") or None
    for what, name in (("role", values["role"]), ("organisation", organisation)):
        if name is not None:
            check_name(what, name)
    return Request(
        role=values["role"] or DEFAULT_ROLE,
        language=values["language"],
        formats=(),
        organisation=organisation,
        jurisdiction=values["jurisdiction"],
        industry=values["industry"],
    )


async def _run(request: HttpRequest, job: Any, *args: Any) -> work.Result:
    try:
        wanted = variant(request.query_params)
    except JobdescError as exc:
        return {"error": str(exc)}
    return await run_in_threadpool(_studio(request).worker.run, job, *args[:1], wanted, *args[1:])


async def page(request: HttpRequest) -> HTMLResponse:
    html = (STATIC / "studio.html").read_text(encoding="utf-8")
    return HTMLResponse(html.replace("{{csrf}}", _studio(request).csrf))


async def choices(request: HttpRequest) -> JSONResponse:
    bundle = _studio(request).bundle
    return JSONResponse(
        {
            "role": bundle.roles(),
            "industry": bundle.industries(),
            "jurisdiction": bundle.jurisdictions(),
            "lang": list(LANGUAGES),
            "org": bundle.organisations(),
        }
    )


async def document(request: HttpRequest) -> JSONResponse:
    return JSONResponse(await _run(request, work.document, _studio(request).bundle))


async def pages(request: HttpRequest) -> JSONResponse:
    return JSONResponse(await _run(request, work.pages, _studio(request).bundle))


async def export(request: HttpRequest) -> Response:
    fmt = request.path_params["fmt"]
    if fmt not in MEDIA:
        return Response(f"no format {fmt!r} to download: pdf or docx", status_code=404, media_type="text/plain")
    result = await _run(request, work.export, _studio(request).bundle, fmt)
    if "error" in result:
        return Response(result["error"], status_code=422, media_type="text/plain; charset=utf-8")
    disposition = f'attachment; filename="{result["name"]}"'
    return Response(result["data"], media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})


async def render_out(request: HttpRequest) -> JSONResponse:
    studio = _studio(request)
    return JSONResponse(await _run(request, work.render_into, studio.bundle, studio.out_dir))


async def status(request: HttpRequest) -> JSONResponse:
    studio = _studio(request)
    return JSONResponse(await _run(request, work.status, studio.bundle, studio.out_dir))


async def redline(request: HttpRequest) -> JSONResponse:
    """This variant against the start, a git revision, another jurisdiction or another industry."""
    studio = _studio(request)
    against, value = request.query_params.get("against", "start"), request.query_params.get("value", "").strip()
    try:
        now = variant(request.query_params)
    except JobdescError as exc:
        return JSONResponse({"error": str(exc)})
    if against == "rev":
        if not value:
            return JSONResponse({"error": "name a git revision to compare with, e.g. HEAD~1"})
        job: tuple[Any, ...] = (work.redline_at, studio.bundle, now, value)
    elif against == "jurisdiction":
        job = (work.redline, studio.bundle, studio.bundle, now, dataclasses.replace(now, jurisdiction=value or None))
    elif against == "industry":
        old = dataclasses.replace(now, industry=value or None)
        job = (work.redline, studio.bundle, studio.bundle, now, old)
    else:
        job = (work.redline, studio.bundle, studio.start, now, now)
    return JSONResponse(await run_in_threadpool(studio.worker.run, *job))


async def edit_clause(request: HttpRequest) -> JSONResponse:
    """Write the clause's new text into the organisation's overlay; undone if the variant no
    longer renders, with the CLI's message for the page to show beside the clause."""
    studio = _studio(request)
    try:
        body = await request.json()
        clause_id, text = str(body["id"]), str(body["text"])
        wanted = variant(body)
    except (ValueError, KeyError, TypeError):
        return JSONResponse({"error": "expected JSON with the variant, the clause's id and its text"}, 400)
    except JobdescError as exc:
        return JSONResponse({"error": str(exc)})
    current = await run_in_threadpool(studio.worker.run, work.document, studio.bundle, wanted)
    if "error" in current:
        return JSONResponse(current)
    if clause_id not in current["clauses"]:
        return JSONResponse({"error": f"no clause {clause_id!r} in this variant"})
    if not text.strip():
        return JSONResponse({"error": "the text is empty: to drop a clause, use a remove operation in the file"})
    others = await run_in_threadpool(studio.worker.run, work.translations, studio.bundle, wanted, clause_id)
    try:
        organisation = Path(current["organisation"])
        kept = others.get("texts", {})
        target, before = save_clause(studio.bundle, organisation, clause_id, kept, current["language"], text)
    except JobdescError as exc:
        return JSONResponse({"error": str(exc)})
    except OSError as exc:
        return JSONResponse({"error": f"cannot write {display(Path(exc.filename or ''))}: {exc.strerror or exc}"})
    after = await run_in_threadpool(studio.worker.run, work.document, studio.bundle, wanted)
    if "error" in after:
        undo(target, before)
        return JSONResponse({"error": after["error"]})
    others_kept = sorted(set(kept) - {current["language"]})
    note = (
        f"the other languages ({', '.join(others_kept)}) keep the previous text: have them translated"
        if others_kept
        else ""
    )
    return JSONResponse({"file": display(target), "note": note})


async def events(request: HttpRequest) -> StreamingResponse:
    """Server-sent events: one "change" each time a profile, template or catalog changes."""

    async def stream() -> AsyncIterator[str]:
        yield "retry: 1000\n\n"
        async for _ in changes(_studio(request).watched):
            if await request.is_disconnected():
                return
            yield f"event: change\ndata: {json.dumps('changed')}\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


def routes() -> list[BaseRoute]:
    return [
        Route("/", page),
        Route("/api/choices", choices),
        Route("/api/document", document),
        Route("/api/pages", pages),
        Route("/api/status", status),
        Route("/api/redline", redline),
        Route("/api/clause", edit_clause, methods=["POST"]),
        Route("/api/render", render_out, methods=["POST"]),
        Route("/export/{fmt:str}", export),
        Route("/events", events),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
