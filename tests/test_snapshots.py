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
