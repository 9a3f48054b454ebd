"""Snapshots of key screens at fixed sizes, with a fixed clock, theme and data."""

from __future__ import annotations

from planner_tui.app import PlannerApp
from planner_tui.services.context import Session

from .conftest import TODAY


def _app(session: Session, theme: str = "textual-dark") -> PlannerApp:
    return PlannerApp(session, theme=theme, heartbeat=False, clock=lambda: TODAY)


def test_home_120x40(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(120, 40))


def test_home_80x24(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(80, 24))


def test_home_projector_theme(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session, "projector"), terminal_size=(120, 40))


def test_help_screen(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(100, 40), press=["question_mark"])


async def _steady(pilot) -> None:
    """No blinking cursors in snapshots."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


def test_backlog_80x24(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(80, 24), press=["2", "down"])


def test_backlog_160x50(snap_compare, demo_session: Session) -> None:
    assert snap_compare(
        _app(demo_session), terminal_size=(160, 50), press=["2", "down", "space", "space"]
    )


def test_item_editor(snap_compare, demo_session: Session) -> None:
    async def open_editor(pilot) -> None:
        await pilot.press("2", "down", "enter")
        await _steady(pilot)

    assert snap_compare(_app(demo_session), terminal_size=(120, 45), run_before=open_editor)


def _poker_session(session: Session, *, revealed: bool) -> None:
    """A running session on the demo's top unestimated items: three cards in, one still to come."""
    from planner_tui.domain.estimation import PokerSettings
    from planner_tui.services import poker

    ids = poker.next_unestimated(session, 3)
    settings = PokerSettings(auto_reveal=False, timer_seconds=0)
    sid = poker.start(session, "Snapshot", ids, settings, voters=["lena", "raj", "ines", "sam"])
    poker.vote(session, sid, "8")
    poker.vote(session, sid, "5", voter="lena")
    poker.vote(session, sid, "13", voter="raj")
    poker.vote(session, sid, "?", voter="ines")
    if revealed:
        poker.reveal(session, sid)


async def _open_estimation(pilot) -> None:
    await pilot.press("3")
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_poker_face_down_80x24(snap_compare, demo_session: Session) -> None:
    _poker_session(demo_session, revealed=False)
    assert snap_compare(_app(demo_session), terminal_size=(80, 24), run_before=_open_estimation)


def test_poker_revealed_140x45(snap_compare, demo_session: Session) -> None:
    _poker_session(demo_session, revealed=True)
    assert snap_compare(_app(demo_session), terminal_size=(140, 45), run_before=_open_estimation)
