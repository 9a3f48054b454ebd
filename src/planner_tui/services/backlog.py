"""The backlog list for screens: counts, pages and positions, by query."""

from __future__ import annotations

from planner_tui.domain.backlog import BacklogQuery, BacklogRow, QuadrantView
from planner_tui.services.context import Session
from planner_tui.store import backlog as store


def backlog_count(session: Session, query: BacklogQuery, at_most: int | None = None) -> int:
    """How many items the list has (with `at_most`: `at_most + 1` for more than that)."""
    return store.count_backlog(session.workspace, query, at_most)


def backlog_page(
    session: Session, query: BacklogQuery, offset: int, limit: int
) -> list[BacklogRow]:
    """A slice of the list, in its order."""
    return store.backlog_page(session.workspace, query, offset, limit)


def backlog_position(session: Session, query: BacklogQuery, item_id: int) -> int | None:
    """The row of an item in the list, or None when the query leaves it out."""
    return store.backlog_position(session.workspace, query, item_id)


def value_effort(session: Session) -> QuadrantView:
    """Open estimated items placed into quick wins, big bets, fill-ins and money pits."""
    return store.quadrant_view(session.workspace)


def all_ids(session: Session, query: BacklogQuery) -> list[int]:
    """Every item id the list shows, whatever its length."""
    return store.backlog_ids(session.workspace, query)
