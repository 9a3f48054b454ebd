"""Shared fixtures: temporary workspaces, a fixed clock, and the app around them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from planner_tui.services.context import Session, open_session
from planner_tui.store.workspace import Workspace

TODAY = date(2026, 11, 24)
"""The fixed 'today' of every test that depends on the date."""


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own state folder (drafts, own cards), never the real one under ~."""
    folder = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))
    return folder / "planner"


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    """Where a test's workspace file goes (not created yet)."""
    return tmp_path / "team.db"


@pytest.fixture
def workspace(workspace_path: Path) -> Iterator[Workspace]:
    """A new, empty workspace opened as maya."""
    ws = Workspace.open(workspace_path, actor="maya")
    yield ws
    ws.close()


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A demo workspace file built for TODAY."""
    from planner_tui.exchange.demo import write_demo_workspace

    path = tmp_path / "demo.db"
    write_demo_workspace(path, replace=False, today=TODAY)
    return path


@pytest.fixture
def demo_session(demo_path: Path) -> Iterator[Session]:
    """The demo workspace opened as maya."""
    session = open_session(demo_path, "maya")
    yield session
    session.workspace.close()


@pytest.fixture
def empty_session(workspace_path: Path) -> Iterator[Session]:
    """A new empty workspace opened as maya."""
    session = open_session(workspace_path, "maya")
    yield session
    session.workspace.close()


def live_app(session: Session):
    """The app for a Pilot test: fixed clock, quick polling, no presence heartbeat."""
    from planner_tui.app import PlannerApp

    return PlannerApp(session, heartbeat=False, clock=lambda: TODAY, poll_seconds=0.05)


WAIT_SECONDS = 30.0
"""How long a test waits for something to happen before it fails: generous, so a loaded
machine is slow but never wrong. Tests wait for a condition, never for a fixed time."""


async def wait_until(pilot, condition: Callable[[], object], what: str) -> None:
    """Let the app run until `condition()` holds; fail saying `what` after `WAIT_SECONDS`."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {WAIT_SECONDS:g} s in vain for {what}")
        await pilot.pause(0.02)


async def shown(pilot, key: str, kind: type):
    """Press `key` and wait until a `kind` of screen is on top; that screen."""
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), f"a {kind.__name__}")
    return pilot.app.screen


async def focus_on(pilot, widget) -> None:
    """Focus `widget` and wait until it has the focus (`focus()` only asks for it later)."""
    widget.focus()
    await wait_until(pilot, lambda: widget.has_focus, f"the focus on {widget!r}")


async def palette(pilot, query: str, command: str) -> None:
    """Run `command` from the command palette by typing `query`, once the palette lists it
    first (its search runs in the background)."""
    from textual.command import CommandInput, CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await pilot.press(*query)

    def searching() -> bool:
        return any(
            worker.group == CommandPalette._GATHER_COMMANDS_GROUP and not worker.is_finished
            for worker in pilot.app.workers
        )

    def first_hit() -> str:
        screen = pilot.app.screen
        if not isinstance(screen, CommandPalette) or searching():
            return ""
        if screen.query_one(CommandInput).value != query:
            return ""
        hits = screen.query_one(CommandList)
        if not hits.option_count or hits.highlighted != 0:
            return ""
        return str(hits.get_option_at_index(0).prompt)

    await wait_until(pilot, lambda: command in first_hit(), f"{command!r} first in the palette")
    await pilot.press("enter")


async def settle(pilot) -> None:
    """Let the write worker, then the read it triggers, finish and draw."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def spy(obj: object, name: str, note: Callable[..., object]) -> None:
    """Call `note` with a method's arguments each time the method is called, before it runs:
    what a list draws (`render_line`), each frame (`_compositor_refresh`), each layout."""
    original = getattr(obj, name)

    def spied(*args: object, **kwargs: object) -> object:
        note(*args, **kwargs)
        return original(*args, **kwargs)

    setattr(obj, name, spied)


class Held:
    """`obj.name`, when called off the UI thread (a save or a read in a worker), waits until
    `release()`: a test sees what the screen draws while that work is still to come.

    `entered` is set when the work has started waiting, `done` once it went on."""

    def __init__(self, obj: object, name: str) -> None:
        import threading

        self.entered, self.released, self.done = (threading.Event() for _ in range(3))

        def hold(*_: object, **__: object) -> None:
            if threading.current_thread() is threading.main_thread():
                return  # (work done within a key is not held)
            self.entered.set()
            self.released.wait(WAIT_SECONDS)
            self.done.set()

        spy(obj, name, hold)

    def release(self) -> None:
        """Let the work go on."""
        self.released.set()


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """What a plain sqlite3 connection reads from the workspace file."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


def make_engineer(session: Session) -> None:
    """Give the session's person the engineering role (they own the test's file), so they
    may lift blocking security risks."""
    from planner_tui.services import people

    people.set_role(session, session.me, "engineering")


def two_at_a_table(path: Path) -> tuple[Session, Session, int]:
    """maya and sam, each with the workspace at `path` open, in an estimation session maya
    facilitates on one item, "Story" (the cards turn when she says); and the session's id.
    The caller closes both."""
    from planner_tui.domain.estimation import PokerSettings
    from planner_tui.domain.models import NewItem
    from planner_tui.services import poker
    from planner_tui.store.items import add_items

    maya, sam = open_session(path, "maya"), open_session(path, "sam")
    ids = add_items(maya.workspace, [NewItem(title="Story")])
    sid = poker.start(maya, "Poker", ids, PokerSettings(auto_reveal=False))
    poker.join(sam, sid)
    return maya, sam, sid
