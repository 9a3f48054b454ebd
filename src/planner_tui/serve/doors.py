"""What both doors share: who a guest is, how fast wrong codes may be tried, the guest's
own `planner` process, and the lines `planner serve` prints about who came and went."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from planner_tui.domain.invitations import InvitationRefused, InvitationState, UnknownInvitation
from planner_tui.domain.text import one_line
from planner_tui.services import invitations

T = TypeVar("T")

TRIES_ALLOWED = 5
"""Wrong links or codes one address may try in `TRY_WINDOW` seconds before waiting."""
TRY_WINDOW = 60.0
CALM_DOWN = 60.0
"""How long an address that tried too many wrong codes is turned away."""

SESSIONS_PER_GUEST = 3
"""Planners one guest may run at once (a laptop and a phone, and a spare)."""
SWEEP_EVERY = 1.0
"""Seconds between looks for sessions revoked (or ended) in the workspace."""

DROPPED_FROM_GUESTS = ("PLANNER_USER", "PLANNER_GUEST_SESSION", "SSH_AUTH_SOCK", "TEXTUAL")
"""The serving account's settings a guest's planner must not inherit."""


class TooManyTries(InvitationRefused):
    """An address tried too many wrong links or codes."""


@dataclass
class Tries:
    """Wrong tries per address: a few a minute, then a pause."""

    clock: Callable[[], float] = time.monotonic
    _wrong: dict[str, deque[float]] = field(default_factory=dict)
    _barred: dict[str, float] = field(default_factory=dict)

    def check(self, address: str) -> None:
        """Raise TooManyTries while `address` is barred."""
        until = self._barred.get(address)
        if until is None:
            return
        left = until - self.clock()
        if left > 0:
            raise TooManyTries(
                f"too many wrong invitations from your address; try again in {int(left) + 1} s"
            )
        del self._barred[address]

    def forgive(self, address: str) -> None:
        """Take back the try counted for a first use that let someone in."""
        tries = self._wrong.get(address)
        if tries:
            tries.pop()

    def wrong(self, address: str) -> None:
        now = self.clock()
        tries = self._wrong.setdefault(address, deque())
        tries.append(now)
        while tries and tries[0] < now - TRY_WINDOW:
            tries.popleft()
        if len(tries) >= TRIES_ALLOWED:
            self._barred[address] = now + CALM_DOWN
            tries.clear()


REVOKED = "revoked"
"""Why a guest's connection was cancelled, when it was their invitation's revoking."""


class Doors:
    """The workspace as `planner serve` holds it: letting guests in, and their planners."""

    def __init__(self, path: Path, say: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.workspace = invitations.open_for_serving(path)
        self.tries = Tries()
        self._say = say or _print
        self.guests: set[str] = set()
        self.sessions: set[asyncio.Task[object]] = set()
        """The guests' connections, each ended by cancelling its task."""
        self._running: dict[str, tuple[int, asyncio.Task[object] | None]] = {}
        """Each guest session's secret: its invitation, and the connection to end."""
        invitations.end_every_guest(self.workspace)  # a serve that was killed left some

    def close(self) -> None:
        invitations.end_every_guest(self.workspace)
        self.workspace.close()

    def say(self, line: str) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        self._say(f"{stamp} {one_line(line, 200)}")

    async def let_in(self, address: str, attempt: Callable[[], T], *, first_use: bool) -> T:
        """The invitation `attempt` finds, counting a first use with a link or code that is
        no invitation (a guess) against `address`.

        Raises:
            InvitationRefused: the one line to show the guest.
        """
        if first_use:  # (a browser or key already let in is not guessing anything)
            try:
                self.tries.check(address)
            except TooManyTries as why:
                self.say(f"refused {address}: {why}")
                raise
            self.tries.wrong(address)  # counted before it runs: tries at once count too
        try:
            found = await asyncio.to_thread(attempt)
        except InvitationRefused as why:
            self.say(f"refused {address}: {why}")
            if first_use and not isinstance(why, UnknownInvitation):
                self.tries.forgive(address)  # (spent, revoked, expired: not guessed)
            raise
        if first_use:
            self.tries.forgive(address)
        return found

    def hold(self) -> None:
        """Count the current task as a guest's connection, to end when serving stops."""
        task = asyncio.current_task()
        if task is not None:
            self.sessions.add(task)
            task.add_done_callback(self.sessions.discard)

    async def hang_up_all(self, grace: float) -> None:
        """End every guest's connection (their planners end in turn) within `grace` s."""
        waiting = [task for task in self.sessions if not task.done()]
        for task in waiting:
            task.cancel()
        if waiting:
            await asyncio.wait(waiting, timeout=grace)

    async def start(self, invitation: InvitationState, door: str) -> str:
        """A session secret for the guest's planner; says who joined.

        Raises:
            InvitationRefused: the guest already runs `SESSIONS_PER_GUEST` planners.
        """
        open_now = sum(1 for held, _ in self._running.values() if held == invitation.id)
        if open_now >= SESSIONS_PER_GUEST:
            raise InvitationRefused(
                f"{invitation.name} already has {open_now} sessions open; close one first"
            )
        token = await asyncio.to_thread(invitations.start_guest, self.workspace, invitation, door)
        self.guests.add(token)
        self._running[token] = (invitation.id, asyncio.current_task())
        self.hold()
        self.say(f"{invitation.name} joined ({door})")
        return token

    async def sweep(self) -> None:
        """End the connections whose session is gone from the workspace: its invitation
        was revoked (`planner invite --revoke`), so its guest is let out at once."""
        if not self._running:
            return
        live = await asyncio.to_thread(invitations.live_sessions, self.workspace)
        for token, (_, task) in list(self._running.items()):
            if task is not None and not task.done() and not invitations.is_live(token, live):
                self.say("a revoked guest's session is ended")
                task.cancel(REVOKED)  # (the door tells its guest why)

    async def end(self, invitation: InvitationState, door: str, token: str) -> None:
        self._running.pop(token, None)
        self.guests.discard(token)
        await asyncio.to_thread(invitations.end_guest, self.workspace, token)
        self.say(f"{invitation.name} left ({door})")

    def command(self) -> list[str]:
        """The guest's own planner on this workspace (who they are comes from the session)."""
        return [sys.executable, "-m", "planner_tui", "open", str(self.path)]

    def environment(self, token: str, **more: str) -> dict[str, str]:
        """The guest planner's environment: the session secret, none of the serving
        account's planner settings."""
        env = {k: v for k, v in os.environ.items() if k not in DROPPED_FROM_GUESTS}
        env[invitations.GUEST_SESSION_VARIABLE] = token
        env.update(more)
        return env


def _print(line: str) -> None:
    print(line, flush=True)


__all__ = ["Doors", "InvitationRefused", "TooManyTries", "Tries"]
