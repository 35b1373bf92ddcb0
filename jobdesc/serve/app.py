"""The studio's application: its settings, the guards every request passes, and the server.

Starlette (ASGI, small, typed, maintained by the Encode team with uvicorn) with uvicorn as the
server: the page needs a handful of JSON routes, file downloads and one server-sent-events
stream, which Starlette gives without a template engine or ORM we would not use."""

from __future__ import annotations

import secrets
import shutil
import socket
import tempfile
import threading
import webbrowser
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse

from ..bundle import Bundle
from ..errors import UsageError
from ..paths import LOCALES, TEMPLATES
from .work import Worker

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK = ("127.0.0.1", "localhost", "::1")
COOKIE = "jobdesc_token"
SAFE_METHODS = ("GET", "HEAD")


@dataclass
class Studio:
    """What every request shares."""

    bundle: Bundle
    out_dir: Path
    start: Bundle  # the profiles as they were when the studio started: "compare with the start"
    token: str | None  # needed by every request when the studio listens beyond this machine
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    worker: Worker = field(default_factory=Worker)

    @property
    def watched(self) -> list[Path]:
        return [*self.bundle.folders, TEMPLATES, LOCALES]


class Guard:
    """The token (when there is one) on every request, and on every write the page's own
    Origin and its per-session CSRF token: another site can neither read nor write."""

    def __init__(self, app: ASGIApp, studio: Studio) -> None:
        self.app = app
        self.studio = studio

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        token = self.studio.token
        given_in_query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
        if token is not None:
            cookie = SimpleCookie(headers.get("cookie", "")).get(COOKIE)
            given = [given_in_query, headers.get("x-jobdesc-token", ""), cookie.value if cookie else ""]
            if not any(g and secrets.compare_digest(g, token) for g in given):
                await _refuse("this studio needs its token: open the address `jobdesc serve` printed", scope, send)
                return
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin", "")
            if origin != f"http://{headers.get('host', '')}":
                await _refuse(f"a write from another origin ({origin or 'none given'}) is refused", scope, send)
                return
            if not secrets.compare_digest(headers.get("x-csrf-token", ""), self.studio.csrf):
                await _refuse("a write without this page's CSRF token is refused: reload the page", scope, send)
                return
        if token is not None and given_in_query:
            send = _with_cookie(send, token)
        await self.app(scope, receive, send)


async def _refuse(message: str, scope: Scope, send: Send) -> None:
    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    await PlainTextResponse(message, status_code=403)(scope, nothing, send)


def _with_cookie(send: Send, token: str) -> Send:
    """Keep the token the address carried as a cookie of this site only."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            cookie = f"{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
            message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode("latin-1"))]
        await send(message)

    return sending


def allowed_hosts(host: str) -> list[str]:
    """Host headers answered (against DNS rebinding): this machine's names, and the one bound to."""
    if host in ("0.0.0.0", "::"):
        return ["*"]  # any of the machine's addresses; the token guards it
    return sorted({*LOOPBACK, "[::1]", host})


def _stopping(studio: Studio) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """Stop the worker process with the server: uvicorn ends the process by re-raising the
    signal that stopped it, so nothing after ``uvicorn.run`` would run."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            studio.worker.close()

    return lifespan


def build(bundle: Bundle, out_dir: Path, host: str, scratch: Path) -> tuple[Starlette, Studio]:
    from .routes import routes

    snapshot = scratch / "start"
    shutil.copytree(bundle.root, snapshot, symlinks=True)
    token = None if host in LOOPBACK else secrets.token_urlsafe(24)
    studio = Studio(bundle, out_dir, bundle.with_root(snapshot), token)
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(host)),
        Middleware(Guard, studio=studio),
    ]
    app = Starlette(routes=routes(), middleware=middleware, lifespan=_stopping(studio))
    app.state.studio = studio
    return app, studio


def _check_free(host: str, port: int) -> None:
    """A port in use or an address not this machine's is a usage error, before anything is printed."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port or --host"
        ) from None


def serve(bundle: Bundle, out_dir: Path, host: str, port: int, browser: bool, say: Callable[[str], None]) -> None:
    """Run the studio until interrupted."""
    import uvicorn

    _check_free(host, port)
    with tempfile.TemporaryDirectory(prefix="jobdesc-serve-") as scratch:
        app, studio = build(bundle, out_dir, host, Path(scratch))
        shown = f"[{host}]" if ":" in host else host
        address = f"http://{shown}:{port}/" + (f"?token={studio.token}" if studio.token else "")
        say(f"jobdesc studio at {address}  (Ctrl-C stops it)")
        if browser:
            threading.Timer(1.0, webbrowser.open, (address,)).start()
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=1)
