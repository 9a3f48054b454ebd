"""A sprint's items and people: commitments (checked against blocking risks), removals, done,
owners, capacity; every change after the start is recorded as scope change."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import CapacityEntry
from planner_tui.domain.sprint import check_committable
from planner_tui.store.blocking import refuse_if_blocked
from planner_tui.store.people import person_id
from planner_tui.store.sprint_base import open_sprint_row, record_event
from planner_tui.store.workspace import Workspace, utc_now


def commit_one(
    ws: Workspace,
    conn: sqlite3.Connection,
    sprint: sqlite3.Row,
    item_id: int,
    at: str,
    owner_id: int | None = None,
) -> None:

    item = conn.execute(
        "SELECT key, status, deleted_at FROM items WHERE id = ?", [item_id]
    ).fetchone()
    if item is None or item["deleted_at"] is not None:
        raise NotFound("that item no longer exists")
    elsewhere = conn.execute(
        """SELECT s.name FROM sprint_items si JOIN sprints s ON s.id = si.sprint_id
           WHERE si.item_id = ? AND si.removed_at IS NULL AND s.status != 'closed'""",
        [item_id],
    ).fetchone()
    check_committable(
        item["key"], item["status"], already_in=elsewhere[0] if elsewhere is not None else None
    )
    refuse_if_blocked(conn, item_id, "commit {key} to a sprint")
    after_start = sprint["status"] == SprintStatus.ACTIVE.value
    conn.execute(
        """INSERT INTO sprint_items(sprint_id, item_id, added_at, added_by, added_after_start,
               owner_id)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(sprint_id, item_id) DO UPDATE SET added_at = excluded.added_at,
               added_by = excluded.added_by, added_after_start = excluded.added_after_start,
               removed_at = NULL, removed_by = NULL, done = 0, done_at = NULL""",
        [sprint["id"], item_id, at, ws.actor, int(after_start), owner_id],
    )
    record_event(ws, conn, sprint["id"], item_id, "added", after_start=after_start, at=at)
    ws.log("sprint", sprint["id"], "committed item", item["key"])


def commit_item(ws: Workspace, sprint_id: int, item_id: int, *, at: str | None = None) -> None:
    """Put an item into a sprint, recording who and when; an open blocking risk refuses it.

    After the sprint has started, the addition is recorded as scope change.
    """
    with ws.write() as conn:
        commit_one(ws, conn, open_sprint_row(conn, sprint_id), item_id, at or utc_now())


def commit_items(
    ws: Workspace, sprint_id: int, item_ids: Iterable[int]
) -> tuple[list[str], list[str]]:
    """Commit several items in one transaction; returns (keys committed, refusals).

    An item that may not go in (a blocking risk, done, already in another sprint)
    is left out with its reason; the others go in.
    """
    committed: list[str] = []
    refused: list[str] = []
    when = utc_now()
    with ws.write() as conn:
        sprint = open_sprint_row(conn, sprint_id)
        for item_id in item_ids:
            try:
                conn.execute("SAVEPOINT commit_one")
                commit_one(ws, conn, sprint, item_id, when)
            except (InvalidInput, NotFound) as refusal:
                conn.execute("ROLLBACK TO commit_one")
                refused.append(str(refusal))
            else:
                committed.append(
                    conn.execute("SELECT key FROM items WHERE id = ?", [item_id]).fetchone()[0]
                )
            finally:
                conn.execute("RELEASE commit_one")
    return committed, refused


def remove_item(ws: Workspace, sprint_id: int, item_id: int) -> None:
    """Take an item out of a sprint; after the start it stays listed, as scope change."""
    when = utc_now()
    with ws.write() as conn:
        sprint = open_sprint_row(conn, sprint_id)
        started = sprint["status"] == SprintStatus.ACTIVE.value
        if started:
            conn.execute(
                """UPDATE sprint_items SET removed_at = ?, removed_by = ?
                   WHERE sprint_id = ? AND item_id = ? AND removed_at IS NULL""",
                [when, ws.actor, sprint_id, item_id],
            )
        else:
            conn.execute(
                "DELETE FROM sprint_items WHERE sprint_id = ? AND item_id = ?",
                [sprint_id, item_id],
            )
        record_event(ws, conn, sprint_id, item_id, "removed", after_start=started, at=when)
        ws.log("sprint", sprint_id, "removed item", str(item_id))


def set_done(
    ws: Workspace, sprint_id: int, item_id: int, done: bool = True, *, at: str | None = None
) -> None:
    """Mark a sprint item done (its backlog item too), or not done again."""
    when = at or utc_now()
    with ws.write() as conn:
        sprint = open_sprint_row(conn, sprint_id)
        record_done(ws, conn, sprint, item_id, done, when)


def record_done(
    ws: Workspace,
    conn: sqlite3.Connection,
    sprint: sqlite3.Row,
    item_id: int,
    done: bool,
    when: str,
) -> None:
    changed = conn.execute(
        """UPDATE sprint_items SET done = ?, done_at = ?
           WHERE sprint_id = ? AND item_id = ? AND done != ? AND removed_at IS NULL""",
        [int(done), when if done else None, sprint["id"], item_id, int(done)],
    ).rowcount
    if not changed:
        return
    started = sprint["status"] != SprintStatus.PLANNED.value
    conn.execute(
        "UPDATE items SET status = ?, updated_at = ?, updated_by = ? WHERE id = ?",
        ["done" if done else ("in progress" if started else "ready"), when, ws.actor, item_id],
    )
    record_event(ws, conn, sprint["id"], item_id, "done" if done else "reopened", after_start=started,
           at=when)  # fmt: skip
    ws.log("sprint", sprint["id"], "item done" if done else "item reopened", str(item_id))


def mark_done(ws: Workspace, sprint_id: int, item_id: int, *, at: str | None = None) -> None:
    """Mark a sprint item done and its backlog item too."""
    set_done(ws, sprint_id, item_id, True, at=at)


def set_owner(ws: Workspace, sprint_id: int, item_id: int, owner: str | None) -> None:
    """Give a sprint item to a person (None: to nobody)."""
    owner_id = person_id(ws, owner) if owner else None
    with ws.write() as conn:
        open_sprint_row(conn, sprint_id)
        conn.execute(
            "UPDATE sprint_items SET owner_id = ? WHERE sprint_id = ? AND item_id = ?",
            [owner_id, sprint_id, item_id],
        )
        ws.log("sprint", sprint_id, "owner", owner or "")


def set_capacity(
    ws: Workspace, sprint_id: int, entry: CapacityEntry, points: float | None = None
) -> None:
    """Record one person's days, days off and focus factor (or points typed directly)."""
    member = person_id(ws, entry.person)
    with ws.write() as conn:
        open_sprint_row(conn, sprint_id)
        conn.execute(
            """INSERT OR REPLACE INTO sprint_capacity(sprint_id, person_id, days_available,
                   days_off, focus_factor, points_override) VALUES (?, ?, ?, ?, ?, ?)""",
            [
                sprint_id,
                member,
                entry.days_available,
                entry.days_off,
                entry.focus_factor,
                points,
            ],
        )
        ws.log("sprint", sprint_id, "capacity", entry.person)


def remove_capacity(ws: Workspace, sprint_id: int, person: str) -> None:
    """Take a person out of a sprint's capacity."""
    with ws.write() as conn:
        open_sprint_row(conn, sprint_id)
        conn.execute(
            """DELETE FROM sprint_capacity WHERE sprint_id = ?
               AND person_id = (SELECT id FROM people WHERE name = ?)""",
            [sprint_id, person],
        )
        ws.log("sprint", sprint_id, "capacity removed", person)
