"""The console's Starlette app: pages, forms and the locks around them (`security.py`). Plain HTML forms rendered
by Jinja2 with autoescaping; no JavaScript. Every page but the first-run password and the login needs a session;
every form carries the session's CSRF token."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from halo_accounts.console import data, pages
from halo_accounts.console.security import (
    ADMIN_CURSOR,
    COOKIE,
    PASSWORD_MIN,
    Session,
    Sessions,
    Throttle,
    csrf_ok,
    hash_password,
    verify_password,
)

TEMPLATES = Path(__file__).with_name("templates")
STYLESHEET = Path(__file__).with_name("console.css")
#: Sent with every page: nothing from elsewhere, no framing, nothing cached (pages show held records and amounts).
HEADERS = {"Content-Security-Policy": "default-src 'self'; form-action 'self'; frame-ancestors 'none'",
           "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Cache-Control": "no-store"}
Handler = Callable[["Console", Request, Session], Awaitable[Response]]


@dataclass
class Console:
    """What the pages reach: the settings, the store, Halo (opened on demand) and the locks."""

    settings: Any
    config_path: Path | None = None
    halo_factory: Callable[[Any], Any] | None = None
    sessions: Sessions = field(default_factory=Sessions)
    throttle: Throttle = field(default_factory=Throttle)
    env: Environment = field(default_factory=lambda: Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True)))

    def store(self) -> Any:
        from halo_accounts import config
        from halo_accounts.store import Store

        path = config.store_path(self.settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        return Store.open(path)

    def halo(self) -> Any:
        if self.halo_factory is not None:
            return self.halo_factory(self.settings)
        from halo_accounts.halo import HaloClient

        return HaloClient.from_settings(self.settings)

    def admin_hash(self) -> str:
        with self.store() as store:
            return store.get_cursor(ADMIN_CURSOR) or ""

    def render(self, request: Request, name: str, session: Session | None, status: int = 200,
               **values: Any) -> HTMLResponse:
        paused = pages.paused(self.settings)
        banner: list[str] = []
        if session is not None:
            with self.store() as store:
                banner = data.health(store, paused=paused).problems
        html = self.env.get_template(name).render(request=request, session=session, csrf=session.csrf if session
                                                  else "", banner=banner, paused=paused, **values)
        return HTMLResponse(html, status_code=status, headers=HEADERS)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _client_key(request: Request) -> str:
    return request.client.host if request.client else "?"


def set_session_cookie(response: Response, request: Request, session: Session) -> None:
    response.set_cookie(COOKIE, session.token, httponly=True, samesite="strict", secure=_secure(request),
                        path="/")


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=HEADERS)


def create_console(settings: Any, *, config_path: Path | None = None,
                   halo_factory: Callable[[Any], Any] | None = None) -> Starlette:
    """The console as an ASGI app (mount it beside the Web Connector endpoint, or serve it alone)."""
    console = Console(settings, config_path, halo_factory)

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            if not console.admin_hash():
                return redirect("/setup")
            session = console.sessions.get(request.cookies.get(COOKIE))
            if session is None:
                return redirect("/login")
            if request.method == "POST":
                form = await request.form()
                if not csrf_ok(session, str(form.get("csrf", ""))):
                    return console.render(request, "error.html", session, status=403,
                                          text="This form has expired or did not come from this console.",
                                          fix="Open the page again and resend the form.")
            return await handler(console, request, session)
        return endpoint

    async def setup(request: Request) -> Response:
        if console.admin_hash():
            return redirect("/login")
        error = ""
        if request.method == "POST":
            form = await request.form()
            password, again = str(form.get("password", "")), str(form.get("again", ""))
            if len(password) < PASSWORD_MIN:
                error = f"The password must be at least {PASSWORD_MIN} characters."
            elif password != again:
                error = "The two passwords differ."
            else:
                with console.store() as store:
                    store.set_cursor(ADMIN_CURSOR, hash_password(password))
                session = console.sessions.create()
                response = redirect("/wizard")
                set_session_cookie(response, request, session)
                return response
        return console.render(request, "setup.html", None, error=error, minimum=PASSWORD_MIN)

    async def login(request: Request) -> Response:
        stored = console.admin_hash()
        if not stored:
            return redirect("/setup")
        error = ""
        if request.method == "POST":
            key = _client_key(request)
            await asyncio.sleep(console.throttle.delay(key))  # each failure makes the next attempt wait longer
            form = await request.form()
            if verify_password(str(form.get("password", "")), stored):
                console.throttle.succeeded(key)
                session = console.sessions.create()
                response = redirect("/")
                set_session_cookie(response, request, session)
                return response
            console.throttle.failed(key)
            error = "That password is not right."
        return console.render(request, "login.html", None, status=401 if error else 200, error=error)

    async def logout(request: Request) -> Response:
        session = console.sessions.get(request.cookies.get(COOKIE))
        if session is not None and request.method == "POST":
            form = await request.form()
            if csrf_ok(session, str(form.get("csrf", ""))):
                console.sessions.drop(session.token)
        response = redirect("/login")
        response.delete_cookie(COOKIE, path="/")
        return response

    async def stylesheet(request: Request) -> Response:
        return Response(STYLESHEET.read_text(encoding="utf-8"), media_type="text/css", headers=HEADERS)

    routes = [
        Route("/static/console.css", stylesheet),
        Route("/setup", setup, methods=["GET", "POST"]),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]
    for path, handler, methods in pages.ROUTES:
        routes.append(Route(path, guarded(handler), methods=methods))
    app = Starlette(routes=routes)
    app.state.console = console
    return app
