"""What every change to a sprint reads first: its row (open for change or not) and the event log
of scope changes."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import cast

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.errors import NotFound
from planner_tui.domain.sprint import check_items_may_change, working_days
from planner_tui.store.workspace import Workspace

SPRINT_COLUMNS = """id, name, goal, start_date, end_date, status, points_per_day, reserve_percent,
    velocity_guess, completed_points, started_at, closed_at"""


def sprint_row(conn: sqlite3.Connection, sprint_id: int) -> sqlite3.Row:
    row = conn.execute(f"SELECT {SPRINT_COLUMNS} FROM sprints WHERE id = ?", [sprint_id]).fetchone()
    if row is None:
        raise NotFound("that sprint no longer exists")
    return cast("sqlite3.Row", row)


def working_days_of(row: sqlite3.Row) -> int:
    return working_days(date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"]))


def record_event(
    ws: Workspace,
    conn: sqlite3.Connection,
    sprint_id: int,
    item_id: int,
    kind: str,
    *,
    after_start: bool,
    at: str,
) -> None:
    conn.execute(
        """INSERT INTO sprint_events(sprint_id, item_id, kind, after_start, points, at, actor)
           VALUES (?, ?, ?, ?, (SELECT estimate FROM items WHERE id = ?), ?, ?)""",
        [sprint_id, item_id, kind, int(after_start), item_id, at, ws.actor],
    )


def open_sprint_row(conn: sqlite3.Connection, sprint_id: int) -> sqlite3.Row:
    sprint = sprint_row(conn, sprint_id)
    check_items_may_change(sprint["name"], SprintStatus(sprint["status"]))
    return sprint
