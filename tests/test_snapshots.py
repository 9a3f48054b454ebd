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
