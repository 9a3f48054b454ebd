"""Sprints, their items and their capacity."""

from __future__ import annotations

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import CapacityEntry, NewSprint
from planner_tui.store.people import person_id
from planner_tui.store.workspace import Workspace, utc_now


def add_sprint(ws: Workspace, sprint: NewSprint) -> int:
    """Create a sprint; refuses a second active one."""
    with ws.write() as conn:
        if (
            sprint.status is SprintStatus.ACTIVE
            and conn.execute("SELECT 1 FROM sprints WHERE status = 'active'").fetchone()
        ):
            raise InvalidInput("another sprint is already active; close it first")
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
        ws.log("sprint", cursor.lastrowid, "created", sprint.name)
        return cursor.lastrowid


def commit_item(ws: Workspace, sprint_id: int, item_id: int, *, at: str | None = None) -> None:
    """Put an item into a sprint, recording who and when; an open blocking risk refuses it."""
    from planner_tui.store.risks import refuse_if_blocked

    with ws.write() as conn:
        refuse_if_blocked(conn, item_id, "commit {key} to a sprint")
        conn.execute(
            "INSERT INTO sprint_items(sprint_id, item_id, added_at, added_by) VALUES (?, ?, ?, ?)",
            [sprint_id, item_id, at or utc_now(), ws.actor],
        )
        ws.log("sprint", sprint_id, "committed item", str(item_id))


def mark_done(ws: Workspace, sprint_id: int, item_id: int, *, at: str | None = None) -> None:
    """Mark a sprint item done and its backlog item too."""
    when = at or utc_now()
    with ws.write() as conn:
        conn.execute(
            "UPDATE sprint_items SET done = 1, done_at = ? WHERE sprint_id = ? AND item_id = ?",
            [when, sprint_id, item_id],
        )
        conn.execute(
            "UPDATE items SET status = 'done', updated_at = ?, updated_by = ? WHERE id = ?",
            [when, ws.actor, item_id],
        )
        ws.log("sprint", sprint_id, "item done", str(item_id))


def set_capacity(ws: Workspace, sprint_id: int, entry: CapacityEntry) -> None:
    """Record one person's days and focus factor for a sprint."""
    member = person_id(ws, entry.person)
    with ws.write() as conn:
        conn.execute(
            """INSERT OR REPLACE INTO sprint_capacity(sprint_id, person_id, days_available,
                   days_off, focus_factor) VALUES (?, ?, ?, ?, ?)""",
            [sprint_id, member, entry.days_available, entry.days_off, entry.focus_factor],
        )
        ws.log("sprint", sprint_id, "capacity", entry.person)


def set_status(
    ws: Workspace, sprint_id: int, status: SprintStatus, *, at: str | None = None
) -> None:
    """Start or close a sprint; closing records its completed points as velocity."""
    when = at or utc_now()
    with ws.write() as conn:
        if status is SprintStatus.ACTIVE:
            conn.execute(
                "UPDATE sprints SET status = 'active', started_at = ? WHERE id = ?",
                [when, sprint_id],
            )
        elif status is SprintStatus.CLOSED:
            completed = conn.execute(
                """SELECT coalesce(sum(i.estimate), 0) FROM sprint_items s JOIN items i ON i.id = s.item_id
                   WHERE s.sprint_id = ? AND s.done = 1 AND s.removed_at IS NULL""",
                [sprint_id],
            ).fetchone()[0]
            conn.execute(
                "UPDATE sprints SET status = 'closed', closed_at = ?, completed_points = ? WHERE id = ?",
                [when, completed, sprint_id],
            )
        else:
            conn.execute("UPDATE sprints SET status = 'planned' WHERE id = ?", [sprint_id])
        ws.log("sprint", sprint_id, status.value)


def sprint_id_by_name(ws: Workspace, name: str) -> int | None:
    """The id of the newest sprint called `name`, or None."""
    row = ws.query_one("SELECT id FROM sprints WHERE name = ? ORDER BY id DESC LIMIT 1", [name])
    return row[0] if row else None


def sprint_names(ws: Workspace) -> list[str]:
    """Every sprint's name, newest first."""
    return [
        row[0] for row in ws.query("SELECT name FROM sprints ORDER BY start_date DESC, id DESC")
    ]
