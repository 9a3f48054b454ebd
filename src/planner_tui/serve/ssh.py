"""The SSH door, on asyncssh: `ssh -p PORT CODE@box` binds the guest's key to an
invitation; afterwards the key alone lets them in. Each guest gets their own planner in
a pseudo-terminal; there is no shell, no command and no forwarding.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import signal
import struct
import termios
from pathlib import Path
from typing import Any

import asyncssh

from planner_tui.domain.invitations import InvitationRefused
from planner_tui.serve.doors import REVOKED, Doors
from planner_tui.services import invitations

TERMINAL_BACK = b"\x1b[?1049l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?25h"
"""What a planner that was hung up never got to send: the main screen, no mouse
reporting, no bracketed paste, the cursor shown."""
ENDED = b"\r\nplanner: this session was ended by planner serve; what you saved is kept.\r\n"
ENDED_REVOKED = b"\r\nplanner: your invitation was revoked; what you saved is kept.\r\n"

ENDING_GRACE = 3.0
"""Seconds a guest's planner has to finish after its connection ends, before SIGKILL."""


def host_key(path: Path) -> asyncssh.SSHKey:
    """The server's persistent host key at `path`, made (mode 600) on first use."""
    if path.exists():
        return asyncssh.read_private_key(str(path))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = asyncssh.generate_private_key("ssh-ed25519", comment="planner serve")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.export_private_key())
    return key


class _Guard(asyncssh.SSHServer):
    """One connection: public keys only; which key it is decides who the guest is."""

    def __init__(self) -> None:
        self.key: asyncssh.SSHKey | None = None
        self.address = "unknown"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        peer = conn.get_extra_info("peername")
        self.address = str(peer[0]) if peer else "unknown"

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        # Any key may prove itself; whether it is invited is said inside the session,
        # where a refusal can be one clear line rather than "Permission denied".
        self.key = key
        return True


async def start_ssh(doors: Doors, host: str, port: int, key_path: Path) -> asyncssh.SSHAcceptor:
    """Listen for guests over SSH on host:port."""

    async def session(process: asyncssh.SSHServerProcess[bytes]) -> None:
        await _serve_guest(doors, process)

    return await asyncssh.create_server(
        _Guard,
        host,
        port,
        server_host_keys=[host_key(key_path)],
        process_factory=session,
        encoding=None,
        allow_scp=False,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_pty=True,
        line_editor=False,
        keepalive_interval=15,
        keepalive_count_max=3,
        login_timeout=60,
        gss_host=None,  # keys only: no Kerberos login, whatever the box has installed
    )


async def _serve_guest(doors: Doors, process: asyncssh.SSHServerProcess[bytes]) -> None:
    guard = process.channel.get_connection().get_owner()
    assert isinstance(guard, _Guard)
    username = str(process.get_extra_info("username") or "")

    def refuse(line: str) -> None:
        process.stderr.write(f"planner: {line}\r\n".encode())
        process.exit(1)

    if guard.key is None:
        refuse("join with an SSH key")
        return
    if process.command or process.subsystem:
        refuse("a guest gets planner and nothing else: no commands (ssh -t, no command)")
        return
    if process.get_terminal_type() is None:
        refuse("planner needs a terminal: connect with ssh -t")
        return
    fingerprint = guard.key.get_fingerprint("sha256")
    # A key already let in comes back whatever others at its address guessed.
    returning = await asyncio.to_thread(invitations.known_key, doors.workspace, fingerprint)
    try:
        invitation = await doors.let_in(
            guard.address,
            lambda: invitations.join_by_ssh(doors.workspace, username, fingerprint),
            first_use=not returning,
        )
    except InvitationRefused as why:
        refuse(str(why))
        return
    try:
        token = await doors.start(invitation, "ssh")
    except InvitationRefused as why:
        refuse(str(why))
        return
    try:
        status = await _run_in_pty(doors, process, token)
    except asyncio.CancelledError as why:  # serve stopped, or the invitation was revoked
        said = ENDED_REVOKED if REVOKED in why.args else ENDED
        with contextlib.suppress(OSError, asyncssh.Error):
            process.stdout.write(TERMINAL_BACK + said)
            process.exit(0)
        raise
    finally:
        await doors.end(invitation, "ssh", token)
    with contextlib.suppress(OSError, asyncssh.Error):
        process.exit(status)


async def _run_in_pty(doors: Doors, process: asyncssh.SSHServerProcess[bytes], token: str) -> int:
    """Run the guest's planner in a pseudo-terminal joined to the SSH channel; its status."""
    width, height, *_ = process.get_terminal_size()
    master, slave = pty.openpty()
    _set_size(master, width or 80, height or 24)
    environment = doors.environment(token, TERM=process.get_terminal_type() or "xterm-256color")
    child = await asyncio.create_subprocess_exec(
        *doors.command(),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=environment,
        start_new_session=True,
        preexec_fn=_take_terminal,
    )
    os.close(slave)
    os.set_blocking(master, False)
    loop = asyncio.get_running_loop()
    finished = asyncio.Event()

    def output() -> None:
        try:
            data = os.read(master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: planner ended and its terminal closed
            data = b""
        if not data:
            loop.remove_reader(master)
            finished.set()
            return
        process.stdout.write(data)

    loop.add_reader(master, output)
    feeding = asyncio.create_task(_feed(process, master))
    try:
        waiting = asyncio.create_task(finished.wait())
        await asyncio.wait({feeding, waiting}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
    finally:
        feeding.cancel()
        status = await _end(child)
        loop.remove_reader(master)
        os.close(master)
    return status


async def _feed(process: asyncssh.SSHServerProcess[bytes], master: int) -> None:
    """The guest's keys into the pseudo-terminal, and their window's size changes."""
    while True:
        try:
            data = await process.stdin.read(65536)
        except asyncssh.TerminalSizeChanged as change:
            _set_size(master, change.width, change.height)
            continue
        except (asyncssh.BreakReceived, asyncssh.SignalReceived):
            continue
        except (OSError, asyncssh.Error):
            return
        if not data:
            return
        rest = memoryview(data)
        while rest:
            try:
                rest = rest[os.write(master, rest) :]
            except BlockingIOError:  # planner is busy: its terminal's input is full
                await asyncio.sleep(0.01)
            except OSError:
                return


def _set_size(master: int, width: int, height: int) -> None:
    width, height = (min(max(value, 1), 9999) for value in (width, height))
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))


def _take_terminal() -> None:
    """In the child, after setsid: make the pseudo-terminal its controlling terminal, so
    a window size change reaches planner as SIGWINCH."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


async def _end(child: Any) -> int:
    """The guest's planner's exit status, hanging it up first if it still runs."""
    if child.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGHUP)
        try:
            await asyncio.wait_for(child.wait(), ENDING_GRACE)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            await child.wait()
    return int(child.returncode or 0) if child.returncode >= 0 else 1


__all__ = ["host_key", "start_ssh"]
