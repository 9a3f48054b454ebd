"""Sprints: their fields, capacity, items (with every change as an event), start and close."""

from __future__ import annotations

import sqlite3
from datetime import date

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import NewSprint
from planner_tui.domain.sprint import (
    ClosePlan,
    CloseResult,
    check_can_close,
    check_can_start,
    check_carry_target,
    check_name_free,
    check_one_active,
    working_days,
)
from planner_tui.store.items import RANK_STEP
from planner_tui.store.sprint_base import open_sprint_row, sprint_row, working_days_of
from planner_tui.store.sprint_items import commit_one, record_done
from planner_tui.store.sql import inserted_id
from planner_tui.store.workspace import Workspace, utc_now


def _refuse_second_active(conn: sqlite3.Connection, sprint_id: int | None) -> None:
    row = conn.execute(
        "SELECT name FROM sprints WHERE status = 'active' AND id IS NOT ?", [sprint_id]
    ).fetchone()
    check_one_active(row[0] if row is not None else None)


def add_sprint(ws: Workspace, sprint: NewSprint, *, copy_team: bool = False) -> int:
    """Create a sprint; refuses a second active one.

    With `copy_team`, the people of the newest other sprint come along, each with
    the new sprint's working days, no days off, and their focus factor as it was.
    """
    with ws.write() as conn:
        return _insert_sprint(ws, conn, sprint, copy_team=copy_team)


def _refuse_taken_name(conn: sqlite3.Connection, name: str, sprint_id: int | None) -> None:
    taken = conn.execute(
        "SELECT 1 FROM sprints WHERE name = ? COLLATE NOCASE AND id IS NOT ?", [name, sprint_id]
    ).fetchone()
    check_name_free(name, taken=taken is not None)


def _insert_sprint(
    ws: Workspace, conn: sqlite3.Connection, sprint: NewSprint, *, copy_team: bool
) -> int:
    if sprint.status is SprintStatus.ACTIVE:
        _refuse_second_active(conn, None)
    _refuse_taken_name(conn, sprint.name, None)
    cursor = conn.execute(
        """INSERT INTO sprints(name, goal, start_date, end_date, status, points_per_day,
               reserve_percent, velocity_guess, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            sprint.name,
            sprint.goal,
            sprint.start.isoformat(),
            sprint.end.isoformat(),
            sprint.status.value,
            sprint.points_per_day,
            sprint.reserve_percent,
            sprint.velocity_guess,
            utc_now(),
            ws.actor,
        ],
    )
    sprint_id = inserted_id(cursor)
    if copy_team:
        conn.execute(
            """INSERT INTO sprint_capacity(sprint_id, person_id, days_available, focus_factor)
               SELECT ?, person_id, ?, focus_factor FROM sprint_capacity
               WHERE sprint_id = (SELECT max(sprint_id) FROM sprint_capacity
                                  WHERE sprint_id != ?)""",
            [sprint_id, working_days(sprint.start, sprint.end), sprint_id],
        )
    ws.log("sprint", sprint_id, "created", sprint.name)
    return sprint_id


def _follow_length(conn: sqlite3.Connection, sprint_id: int, was: int, now: int) -> None:
    """People whose days were the sprint's whole length keep having its whole length."""
    if was != now:
        conn.execute(
            "UPDATE sprint_capacity SET days_available = ? WHERE sprint_id = ? AND days_available = ?",
            [now, sprint_id, was],
        )


def update_sprint(ws: Workspace, sprint_id: int, sprint: NewSprint) -> None:
    """Change a sprint's name, goal, dates, points per person-day, reserve and velocity guess.

    People whose days available were the sprint's working days follow its new length.
    """
    with ws.write() as conn:
        was = open_sprint_row(conn, sprint_id)
        _refuse_taken_name(conn, sprint.name, sprint_id)
        _follow_length(
            conn, sprint_id, working_days_of(was), working_days(sprint.start, sprint.end)
        )
        conn.execute(
            """UPDATE sprints SET name = ?, goal = ?, start_date = ?, end_date = ?,
                   points_per_day = ?, reserve_percent = ?, velocity_guess = ? WHERE id = ?""",
            [
                sprint.name,
                sprint.goal,
                sprint.start.isoformat(),
                sprint.end.isoformat(),
                sprint.points_per_day,
                sprint.reserve_percent,
                sprint.velocity_guess,
                sprint_id,
            ],
        )
        ws.log("sprint", sprint_id, "edited", sprint.name)


def start_sprint(
    ws: Workspace, sprint_id: int, *, at: str | None = None, start_date: str | None = None
) -> None:
    """Start a planned sprint: from now on, additions and removals are scope change.

    With `start_date`, the sprint's first day moves there (a sprint started early).
    """
    with ws.write() as conn:
        sprint = sprint_row(conn, sprint_id)
        check_can_start(sprint["name"], SprintStatus(sprint["status"]))
        _refuse_second_active(conn, sprint_id)
        if start_date is not None:
            days = working_days(
                date.fromisoformat(start_date), date.fromisoformat(sprint["end_date"])
            )
            _follow_length(conn, sprint_id, working_days_of(sprint), days)
        conn.execute(
            "UPDATE sprints SET status = 'active', started_at = ?,"
            " start_date = coalesce(?, start_date) WHERE id = ?",
            [at or utc_now(), start_date, sprint_id],
        )
        ws.log("sprint", sprint_id, "active")


def close_sprint(
    ws: Workspace,
    sprint_id: int,
    plan: ClosePlan,
    *,
    at: str | None = None,
    new_sprint: NewSprint | None = None,
) -> CloseResult:
    """Close a sprint: mark what is done, move unfinished items on, record the velocity.

    Unfinished items go into `plan.carry_to`, or to the top of the backlog in
    their sprint order. One with a live blocking risk cannot be committed to the
    next sprint, so it goes to the top of the backlog instead. With `new_sprint`,
    that sprint is created (with the team) in the same transaction and takes them.
    """
    when = at or utc_now()
    with ws.write() as conn:
        sprint = sprint_row(conn, sprint_id)
        check_can_close(sprint["name"], SprintStatus(sprint["status"]))
        rows = conn.execute(
            """SELECT s.item_id, i.key, i.estimate, s.owner_id FROM sprint_items s
               JOIN items i ON i.id = s.item_id
               WHERE s.sprint_id = ? AND s.removed_at IS NULL AND i.deleted_at IS NULL
               ORDER BY i.rank""",
            [sprint_id],
        ).fetchall()
        for row in rows:
            record_done(ws, conn, sprint, row["item_id"], row["item_id"] in plan.done, when)
        unfinished = [row for row in rows if row["item_id"] not in plan.done]
        to_sprint: list[str] = []
        to_backlog: list[sqlite3.Row] = []
        carry_to = plan.carry_to
        if new_sprint is not None:
            carry_to = _insert_sprint(ws, conn, new_sprint, copy_team=True)
        target = open_sprint_row(conn, carry_to) if carry_to is not None else None
        check_carry_target(sprint_id, target["id"] if target is not None else None)
        conn.execute(
            "UPDATE sprints SET status = 'closed', closed_at = ?, completed_points = ? WHERE id = ?",
            [when, sum(r["estimate"] or 0 for r in rows if r["item_id"] in plan.done), sprint_id],
        )
        for row in unfinished:
            if target is None:
                to_backlog.append(row)
                continue
            try:
                conn.execute("SAVEPOINT carry")
                commit_one(ws, conn, target, row["item_id"], when, row["owner_id"])
            except (InvalidInput, NotFound):
                conn.execute("ROLLBACK TO carry")
                to_backlog.append(row)
            else:
                to_sprint.append(row["key"])
            finally:
                conn.execute("RELEASE carry")
        top = conn.execute("SELECT min(rank) FROM items").fetchone()[0] or 0
        for place, row in enumerate(to_backlog):
            conn.execute(
                "UPDATE items SET rank = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                [top - RANK_STEP * (len(to_backlog) - place), when, ws.actor, row["item_id"]],
            )
        ws.log("sprint", sprint_id, "closed", sprint["name"])
        completed = conn.execute(
            "SELECT completed_points FROM sprints WHERE id = ?", [sprint_id]
        ).fetchone()[0]
        return CloseResult(
            completed=completed,
            carried_to=target["name"] if target is not None and to_sprint else None,
            to_sprint=tuple(to_sprint),
            to_backlog=tuple(row["key"] for row in to_backlog),
        )


def set_status(
    ws: Workspace, sprint_id: int, status: SprintStatus, *, at: str | None = None
) -> None:
    """Start a sprint, or close it with every item as it stands and unfinished ones to the top."""
    if status is SprintStatus.ACTIVE:
        start_sprint(ws, sprint_id, at=at)
    elif status is SprintStatus.CLOSED:
        done = frozenset(
            row[0]
            for row in ws.query(
                "SELECT item_id FROM sprint_items WHERE sprint_id = ? AND done = 1", [sprint_id]
            )
        )
        close_sprint(ws, sprint_id, ClosePlan(done=done), at=at)
    else:
        raise InvalidInput("a sprint cannot go back to planned")
