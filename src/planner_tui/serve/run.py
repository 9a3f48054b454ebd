"""Running `planner serve`: both doors on one event loop until Ctrl+C or SIGTERM, then
every guest's planner ended in turn (what they saved is in the file already)."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import ipaddress
import os
import signal
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp.web import AppRunner

from planner_tui.domain.errors import PlannerError
from planner_tui.serve.doors import Doors
from planner_tui.services import invitations

STOPPING_GRACE = 10.0
"""Seconds the guests' planners get to end when serve stops."""


class ServeError(PlannerError):
    """serve cannot start: a port in use, a certificate it cannot read."""


@dataclass(frozen=True)
class ServeOptions:
    workspace: Path
    host: str = "127.0.0.1"
    web_port: int | None = 8000
    ssh_port: int | None = 2222
    cert: Path | None = None
    key: Path | None = None
    public_url: str | None = None
    host_key: Path | None = None


def is_local(host: str) -> bool:
    """Whether `host` only listens on this machine's loopback."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _shown_host(host: str) -> str:
    """A host name guests can reach: the machine's name for a wildcard address."""
    return socket.gethostname() if host in ("0.0.0.0", "::", "") else host


def public_url(options: ServeOptions) -> str:
    if options.public_url:
        return options.public_url.rstrip("/")
    scheme = "https" if options.cert else "http"
    host = _shown_host(options.host)
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{options.web_port}"


def serve(options: ServeOptions, say: Callable[[str], None]) -> None:
    """Serve the workspace until interrupted.

    Raises:
        ServeError, WorkspaceError: one line saying why it could not start.
    """
    asyncio.run(_serve(options, say))


async def _serve(options: ServeOptions, say: Callable[[str], None]) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    held = _only_serve(options.workspace)  # before anything of a running serve is touched
    try:
        await _serve_held(options, say, stop)
    finally:
        os.close(held)


def _only_serve(workspace: Path) -> int:
    """A lock that one `planner serve` of `workspace` holds while it runs (the kernel lets
    it go if serve dies); a second one says so instead of taking over the first's guests.

    Raises:
        ServeError: another serve holds it.
    """
    path = workspace.with_name(workspace.name + "-serve")
    try:
        held = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        raise ServeError(f"cannot make {path}: {error.strerror or error}") from None
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(held)
        raise ServeError(
            f"planner serve is already running for {workspace.name}: one serve per workspace"
        ) from None
    return held


async def _serve_held(
    options: ServeOptions, say: Callable[[str], None], stop: asyncio.Event
) -> None:
    doors = await asyncio.to_thread(Doors, options.workspace, say)
    runner: AppRunner | None = None
    acceptor = None
    web_address = ssh_address = ""
    try:
        if options.web_port is not None:
            runner, web_address = await _open_web(doors, options)
        if options.ssh_port is not None:
            from planner_tui.serve.ssh import start_ssh

            try:
                acceptor = await start_ssh(
                    doors, options.host, options.ssh_port, _host_key_path(options)
                )
            except OSError as error:
                raise ServeError(
                    f"cannot listen for SSH on {options.host}:{options.ssh_port}: "
                    f"{error.strerror or error}; choose another --ssh-port"
                ) from None
            ssh_address = f"{_shown_host(options.host)}:{options.ssh_port}"
        await asyncio.to_thread(
            invitations.remember_doors, doors.workspace, web_address, ssh_address
        )
        _announce(options, web_address, ssh_address, say)
        sweeping = asyncio.create_task(_sweep(doors, stop))
        await stop.wait()
        await sweeping
    finally:
        say(f"stopping: ending {len(doors.sessions)} guest session(s)")
        if acceptor is not None:
            acceptor.close()
        await doors.hang_up_all(STOPPING_GRACE)
        if runner is not None:
            await runner.cleanup()
        with contextlib.suppress(PlannerError):
            await asyncio.to_thread(invitations.remember_doors, doors.workspace, "", "")
        await asyncio.to_thread(doors.close)
        say("stopped; everything the guests saved is in the workspace")


async def _open_web(doors: Doors, options: ServeOptions) -> tuple[AppRunner, str]:
    from aiohttp import web

    from planner_tui.serve.web import WebDoor, tls_context

    context = None
    if options.cert or options.key:
        if not (options.cert and options.key):
            raise ServeError("--cert and --key go together (the certificate and its key)")
        try:
            context = tls_context(options.cert, options.key)
        except (OSError, ValueError) as error:
            raise ServeError(f"cannot use --cert/--key: {error}") from None
    address = public_url(options)
    secure = bool(context) or address.startswith("https://")  # (TLS here, or at a proxy)
    door = WebDoor(doors, options.host, int(options.web_port or 0), address, tls=secure)
    runner = web.AppRunner(await door.make_app(), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, options.host, options.web_port, ssl_context=context)
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        raise ServeError(
            f"cannot listen for browsers on {options.host}:{options.web_port}: "
            f"{error.strerror or error}; choose another --web-port"
        ) from None
    return runner, address


async def _sweep(doors: Doors, stop: asyncio.Event) -> None:
    """Let revoked guests out within a second or so, until serving stops."""
    from planner_tui.serve.doors import SWEEP_EVERY

    while not stop.is_set():
        with contextlib.suppress(PlannerError):
            await doors.sweep()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SWEEP_EVERY)


def _host_key_path(options: ServeOptions) -> Path:
    if options.host_key is not None:
        return options.host_key
    from planner_tui.paths import state_folder

    return state_folder() / "ssh_host_ed25519_key"


def _announce(options: ServeOptions, web: str, ssh: str, say: Callable[[str], None]) -> None:
    say(f"serving {options.workspace} to guests (planner invite {options.workspace} NAME)")
    if web:
        say(f"  browsers: {web}/join/… (the link in an invitation)")
    if ssh:
        host, _, port = ssh.rpartition(":")
        say(f"  SSH:      ssh -p {port} CODE@{host} (the code in an invitation)")
    if not is_local(options.host):
        say(
            f"WARNING: listening on {options.host}, not only this machine: anyone who can "
            "reach it can try invitations"
            + ("" if options.cert or options.public_url else "; browsers connect without TLS")
        )
    say("Ctrl+C stops serving; guests' planners end, and what they saved stays saved")


__all__ = ["ServeError", "ServeOptions", "is_local", "public_url", "serve"]
