"""The browser door, on textual-serve: an invitation link sets a cookie, and the cookie's
browser gets its own planner (driven through textual-serve's page and web socket).

Routes: `/join/<token>` (GET: a page asking the guest to join, spending nothing; POST:
the first use of the link), `/` (the app's page), `/ws` (the app),
`/download/<key>` (an export the guest asked for), `/static/...` (textual-serve's
scripts and fonts). Everything but `/join` and `/static` needs the cookie.
"""

from __future__ import annotations

import html
import shlex
import ssl
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from planner_tui.domain.invitations import InvitationRefused, InvitationState
from planner_tui.serve.doors import Doors
from planner_tui.services import invitations

COOKIE = "planner_guest"
COOKIE_DAYS = 30
TEMPLATES = Path(__file__).parent / "templates"


class GuestAppService(AppService):
    """textual-serve's app process, started with the guest's session secret."""

    def __init__(self, *args: Any, environment: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._guest_environment = environment

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        """The guest's environment (`Doors.environment`) and textual-serve's settings."""
        built = super()._build_environment(width, height)
        environment = dict(self._guest_environment)
        environment.update({name: built[name] for name in _SERVE_VARIABLES if name in built})
        return environment


_SERVE_VARIABLES = (
    "TEXTUAL_DRIVER",
    "TEXTUAL_FPS",
    "TEXTUAL_COLOR_SYSTEM",
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "COLUMNS",
    "ROWS",
)


class WebDoor(Server):
    """textual-serve's server, with invitations in front of it."""

    def __init__(self, doors: Doors, host: str, port: int, public_url: str, *, tls: bool) -> None:
        super().__init__(
            "exec " + shlex.join(doors.command()),
            host=host,
            port=port,
            title="planner",
            public_url=public_url,
            templates_path=TEMPLATES,
        )
        self.doors = doors
        self.tls = tls

    async def make_app(self) -> web.Application:
        app = web.Application(middlewares=[_headers])
        import aiohttp_jinja2
        import jinja2

        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/join/{token}", self.handle_invited, name="invited"),
                web.post("/join/{token}", self.handle_join, name="join"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        return app

    # --- who is this browser ------------------------------------------------------------

    def _address(self, request: web.Request) -> str:
        return request.remote or "unknown"

    async def _returning(self, request: web.Request) -> InvitationState:
        secret = request.cookies.get(COOKIE, "")
        return await self.doors.let_in(
            self._address(request),
            lambda: invitations.returning_browser(self.doors.workspace, secret),
            first_use=False,
        )

    async def _already_in(self, request: web.Request) -> bool:
        """Whether this browser joined already (opening its link again leads to the app)."""
        if not request.cookies.get(COOKIE):  # (no cookie: a first visit, nothing to log)
            return False
        try:
            await self._returning(request)
        except InvitationRefused:
            return False
        return True

    async def handle_invited(self, request: web.Request) -> web.StreamResponse:
        """The link opened (or only fetched: a chat's preview, a mail scanner, a HEAD): a
        page that asks the guest to join. Nothing is spent until they press its button."""
        if await self._already_in(request):
            raise web.HTTPSeeOther("/")
        token = request.match_info["token"]
        try:
            invitation = await self.doors.let_in(
                self._address(request),
                lambda: invitations.invited_by_link(self.doors.workspace, token),
                first_use=True,
            )
        except InvitationRefused as why:
            return _refusal(str(why), 429 if "too many" in str(why) else 403)
        name = html.escape(invitation.name)
        return _page(
            f"<p>You are invited to join this planner workspace as <b id='name'>{name}</b>.</p>"
            f"<form method='post' action='/join/{html.escape(token, quote=True)}'>"
            f"<button id='join' type='submit'>Join as {name}</button></form>"
            "<p>This link lets in one browser: the one that presses the button.</p>"
        )

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        """The guest pressed Join: bind this browser to the invitation, then open the app."""
        token = request.match_info["token"]
        if await self._already_in(request):
            raise web.HTTPSeeOther("/")
        try:
            invitation, secret = await self.doors.let_in(
                self._address(request),
                lambda: invitations.join_by_link(self.doors.workspace, token),
                first_use=True,
            )
        except InvitationRefused as why:
            return _refusal(str(why), 429 if "too many" in str(why) else 403)
        self.doors.say(
            f"{invitation.name}'s invitation bound to a browser ({self._address(request)})"
        )
        response = web.HTTPSeeOther("/")
        response.set_cookie(
            COOKIE,
            secret,
            max_age=COOKIE_DAYS * 86400,
            httponly=True,
            samesite="Lax",  # (Strict: a link clicked in webmail lost the cookie)
            secure=self.tls,
            path="/",
        )
        raise response

    async def handle_index(self, request: web.Request) -> Any:
        try:
            await self._returning(request)
        except InvitationRefused as why:
            return _refusal(
                f"{why}. A guest joins with the invitation link a teammate sends (planner invite)."
            )
        return await super().handle_index(request)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        try:
            await self._returning(request)
        except InvitationRefused as why:
            return _refusal(str(why))
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """The guest's planner, for a browser with a cookie from this server's page."""
        origin = request.headers.get("Origin", "")
        if origin and origin.rstrip("/") != self.public_url.rstrip("/"):
            raise web.HTTPForbidden(text="planner: this page's address is not the server's")
        try:
            invitation = await self._returning(request)
        except InvitationRefused as why:
            raise web.HTTPForbidden(text=f"planner: {why}") from None
        try:
            token = await self.doors.start(invitation, "browser")
        except InvitationRefused as why:
            raise web.HTTPForbidden(text=f"planner: {why}") from None
        try:
            return await self._run_app(request, token)
        finally:
            await self.doors.end(invitation, "browser", token)

    async def _run_app(self, request: web.Request, token: str) -> web.WebSocketResponse:
        """textual-serve's web socket handler, with the guest's own environment."""
        from textual_serve.server import to_int

        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = GuestAppService(
                "exec " + shlex.join(self.doors.command()),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                environment=self.doors.environment(token),
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        finally:
            if service is not None:
                await service.stop()
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner here; `planner serve` prints its own lines."""


@web.middleware
async def _headers(request: web.Request, handler: Any) -> web.StreamResponse:
    """Nothing cached, framed or sniffed: a guest's page is theirs alone."""
    response: web.StreamResponse = await handler(request)
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def _refusal(line: str, status: int = 403) -> web.Response:
    """One line for the guest, as a small page: as the SSH door and the command line say it."""
    return _page(f"<p id='refused'>planner: {html.escape(line)}</p>", status)


def _page(body: str, status: int = 200) -> web.Response:
    """A small page of planner's own (`body` is HTML, its user text escaped)."""
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>planner</title></head>"
        "<body style='font-family: monospace; background: #0c181f; color: #eee; padding: 2em'>"
        f"{body}</body></html>"
    )
    return web.Response(text=page, status=status, content_type="text/html")


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    """A server TLS context from a certificate (chain) and its key.

    Raises:
        ssl.SSLError, OSError: the files cannot be used.
    """
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


__all__ = ["COOKIE", "WebDoor", "tls_context"]
