"""The team's history in numbers: velocity per sprint, how retros were rated, and how
long agreed actions have been open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner_tui.domain.backlog import Judged, judged
from planner_tui.services.context import Session
from planner_tui.store import history as store

SHOWN = 8
OUTCOMES_READ = 500
"""Launched items read for the outcome list (its counts); a team launches fewer."""
RATINGS_FOR_AN_AVERAGE = 3
"""An average of fewer ratings would tell who gave which (as on the retro board)."""


@dataclass(frozen=True)
class SprintDone:
    name: str
    committed: float
    done: float


@dataclass(frozen=True)
class RetroRated:
    title: str
    day: str
    ratings: int
    average: float | None
    """None with fewer than `RATINGS_FOR_AN_AVERAGE` ratings."""


@dataclass(frozen=True)
class OpenAction:
    text: str
    owner: str
    days_open: int


@dataclass(frozen=True)
class History:
    sprints: tuple[SprintDone, ...]
    """Oldest first, as a chart reads left to right."""
    retros: tuple[RetroRated, ...]
    actions: tuple[OpenAction, ...]
    launched: tuple[Judged, ...] = ()
    """Most recently changed first."""


def launched(session: Session) -> tuple[Judged, ...]:
    """Every done item with a success metric (up to `OUTCOMES_READ`), judged."""
    return tuple(map(judged, store.outcome_rows(session.workspace, OUTCOMES_READ)))


def history(session: Session, today: date) -> History:
    """The last closed sprints and retros, and the open actions, oldest first."""
    ws = session.workspace
    sprints = [
        SprintDone(row["name"], float(row["committed"]), float(row["done"]))
        for row in store.sprint_rows(ws, SHOWN)
    ]
    retros = [
        RetroRated(
            row["title"],
            row["day"],
            row["ratings"],
            round(row["average"], 1) if row["ratings"] >= RATINGS_FOR_AN_AVERAGE else None,
        )
        for row in store.retro_rows(ws, SHOWN)
    ]
    actions = [
        OpenAction(
            row["text"],
            row["owner"] or "no owner",
            max((today - date.fromisoformat(row["day"])).days, 0),
        )
        for row in store.open_action_rows(ws, SHOWN)
    ]
    return History(
        tuple(reversed(sprints)), tuple(reversed(retros)), tuple(actions), launched(session)
    )
