"""The home screen's data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from planner_tui.domain.overview import Overview
from planner_tui.services.context import Session
from planner_tui.store.overview import load_overview
from planner_tui.store.presence import here_now


def with_presence(session: Session, overview: Overview) -> Overview:
    """`overview` with who is here now read afresh (nothing else changed)."""
    return replace(overview, here_now=tuple(here_now(session.workspace)))


def workspace_overview(session: Session, today: date | None = None) -> Overview:
    """The workspace at a glance, as of `today` (default: the real date)."""
    return load_overview(session.workspace, (today or date.today()).isoformat())
