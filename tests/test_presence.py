"""Presence as teammates on one box live it: real processes that end, beats that redraw
only "here", and reads that never queue behind a write waiting for the file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.retro import BUILTIN_TEMPLATES
from planner_tui.screens.backlog import BacklogScreen
from planner_tui.screens.retro_board import RetroBoardScreen
from planner_tui.services import poker, retro
from planner_tui.services.context import Session, open_session
from planner_tui.store import presence

from .conftest import WAIT_SECONDS, live_app, settle, wait_until

TEAMMATE = textwrap.dedent(
    """
    import sys, time
    from planner_tui.services import poker
    from planner_tui.services.context import open_session
    session = open_session(sys.argv[1], sys.argv[2])
    place = "home"
    if sys.argv[3] == "facilitate":
        items = [session.workspace.count("SELECT min(id) FROM items")]
        place = poker.place(poker.start(session, "Planning", items))
    session.heartbeat(place)
    print(place, flush=True)
    time.sleep(600)
    """
)


def _wait(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {WAIT_SECONDS:g} s in vain for {what}")
        time.sleep(0.02)


@pytest.fixture
def teammate(demo_path: Path) -> Iterator[Callable[[str, str], tuple[subprocess.Popen[str], str]]]:
    """Start a teammate's process on the demo workspace; it is killed after the test."""
    started: list[subprocess.Popen[str]] = []

    def start(name: str, doing: str = "home") -> tuple[subprocess.Popen[str], str]:
        process = subprocess.Popen(
            [sys.executable, "-c", TEAMMATE, str(demo_path), name, doing],
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        assert process.stdout is not None
        place = process.stdout.readline().strip()
        assert place, "the teammate's process did not start"
        return process, place

    yield start
    for process in started:
        process.kill()
        process.wait()


def test_a_teammate_killed_leaves_at_once_and_frees_the_facilitator_seat(
    demo_session: Session, teammate
) -> None:
    process, place = teammate("li", "facilitate")
    ws = demo_session.workspace
    assert "li" in presence.here_now(ws)
    sid = int(place.rsplit(":", 1)[-1])
    with pytest.raises(InvalidInput, match="li is here"):
        poker.take_over(demo_session, sid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # Nothing was written and the row is fresh (staleness takes 90 s): only the lock
    # the kernel let go of says li has gone.
    _wait(lambda: "li" not in presence.here_now(ws), "li gone from here now")
    assert (
        ws.count(
            "SELECT count(*) FROM presence r JOIN people p ON p.id = r.person_id "
            "WHERE p.name = 'li'"
        )
        == 1
    )
    poker.take_over(demo_session, sid)
    assert poker.table(demo_session, sid).info.facilitator == "maya"


async def test_an_idle_app_hears_a_teammate_die_without_looking_every_second(
    demo_session: Session, teammate, monkeypatch
) -> None:
    """The app's watcher sleeps until the kernel says the teammate's process ended: with
    no look of its own for minutes and no heartbeat to poke it, li still leaves at once."""
    import planner_tui.app as app_module
    from planner_tui.widgets.glance import GlancePanel

    monkeypatch.setattr(app_module, "PRESENCE_SECONDS", 600.0)
    monkeypatch.setattr(app_module, "LONGEST_SLEEP", 600.0, raising=False)
    app = live_app(demo_session)  # no heartbeat of its own

    def here_now() -> str:
        panel = app.screen.query_one("#glance-team", GlancePanel)
        return next(line for line in str(panel.content).splitlines() if "Here now" in line)

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        process, _ = teammate("li")  # li's arrival is written: the watcher looks, once
        await wait_until(pilot, lambda: "li" in here_now(), "li shown here")
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        await wait_until(pilot, lambda: "li" not in here_now(), "li gone from here now")


def test_a_look_says_whose_end_to_follow_and_when_to_look_again(
    demo_session: Session, teammate
) -> None:
    from planner_tui.app import LONGEST_SLEEP, PRESENCE_SECONDS, look_again_in
    from planner_tui.store.people import person_id

    process, _ = teammate("li")
    ws = demo_session.workspace
    demo_session.heartbeat()
    here = presence.snapshot(ws)
    assert here.people == (("li", "home"), ("maya", "home"))
    assert here.processes == {process.pid}, "li's process, not this one (maya's)"
    assert not here.elsewhere
    stale = presence.STALE_AFTER.total_seconds()
    assert here.stale_in is not None and stale - WAIT_SECONDS < here.stale_in <= stale + 1
    # All followed: sleep until the first row would go stale, and no longer.
    assert look_again_in(here, followed=True) == min(here.stale_in, LONGEST_SLEEP)
    assert look_again_in(here, followed=False) == PRESENCE_SECONDS

    # sam beats from another machine: nothing tells when his process ends there.
    with ws.write() as conn:
        conn.execute(
            "INSERT INTO presence(person_id, pid, host, place, seen_at) VALUES (?, 1, ?, ?, ?)",
            [person_id(ws, "sam"), "sams-laptop", "home", presence.utc_now()],
        )
    here = presence.snapshot(ws)
    assert ("sam", "home") in here.people and here.processes == {process.pid}
    assert here.elsewhere
    assert look_again_in(here, followed=True) == PRESENCE_SECONDS


def test_a_teammate_who_quits_cleanly_leaves_no_row(demo_session: Session, demo_path) -> None:
    other = open_session(demo_path, "li")
    other.heartbeat()
    assert "li" in presence.here_now(demo_session.workspace)
    other.close()
    assert "li" not in presence.here_now(demo_session.workspace)


async def test_presence_redraws_who_is_here_and_not_the_board(
    empty_session: Session, workspace_path: Path
) -> None:
    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    retro.write(empty_session, sid, "Liked", "pairing")
    other = open_session(workspace_path, "sam")  # sam's name is in the file before we look
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetroBoardScreen)
        loads = 0
        load = screen.load

        def counting_load() -> None:
            nonlocal loads
            loads += 1
            load()

        screen.load = counting_load  # type: ignore[method-assign]
        status = screen.query_one("#retro-status")
        try:
            other.heartbeat(retro_view_place(sid))
            await wait_until(pilot, lambda: "sam" in str(status.render()), "sam shown here")
            other.heartbeat("home")  # sam glances away: a beat, not a change to the board
            await wait_until(pilot, lambda: "sam" not in str(status.render()), "sam gone")
        finally:
            other.close()
        assert loads == 0, "a presence beat re-read the whole board"
        sam = open_session(workspace_path, "sam")
        retro.write(sam, sid, "Liked", "tea")  # an anonymous card: no change-log entry
        sam.close()
        await wait_until(pilot, lambda: loads == 1, "a card re-reads the board")


def retro_view_place(session_id: int) -> str:
    from planner_tui.services import retro_view

    return retro_view.place(session_id)


async def test_screens_read_while_another_process_holds_the_write_lock(
    demo_session: Session,
) -> None:
    app = live_app(demo_session)
    blocker = sqlite3.connect(demo_session.path, timeout=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        blocker.execute("BEGIN IMMEDIATE")  # another program takes the file's write lock
        try:
            await pilot.press("n")
            await pilot.press(*"held", "enter")  # our quick add now waits for the lock
            await pilot.press("2")  # and the Backlog must still open and draw
            await wait_until(pilot, lambda: isinstance(app.screen, BacklogScreen), "Backlog")
            table = app.screen.query_one("BacklogTable")
            await wait_until(pilot, lambda: table.row_count > 0, "the backlog drawn")
            assert not _titles_with(demo_session.path, "held")
        finally:
            blocker.rollback()
            blocker.close()
        await wait_until(
            pilot, lambda: _titles_with(demo_session.path, "held") == 1, "the add saved after"
        )


def _titles_with(path: Path, title: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(
            conn.execute("SELECT count(*) FROM items WHERE title = ?", [title]).fetchone()[0]
        )


def test_a_teammate_who_cannot_take_the_lock_still_counts_while_beating(
    demo_session: Session, demo_path: Path
) -> None:
    from planner_tui.store.liveness import Liveness

    other = open_session(demo_path, "li")
    other.workspace.liveness.close()
    other.workspace.liveness = Liveness(None)  # the lock file is not theirs to open
    try:
        other.heartbeat()
        assert "li" in presence.here_now(demo_session.workspace)
    finally:
        other.close()
    assert "li" not in presence.here_now(demo_session.workspace)
