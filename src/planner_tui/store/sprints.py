"""Sprints: their fields, capacity, items (with every change as an event), start and close."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import cast

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import CapacityEntry, NewSprint
from planner_tui.domain.sprint import ClosePlan, CloseResult, working_days
from planner_tui.domain.text import one_line
from planner_tui.store.blocking import refuse_if_blocked
from planner_tui.store.people import person_id
from planner_tui.store.sql import inserted_id
from planner_tui.store.workspace import Workspace, utc_now

RANK_STEP = 1024

_SPRINT_COLUMNS = """id, name, goal, start_date, end_date, status, points_per_day, reserve_percent,
    velocity_guess, completed_points, started_at, closed_at"""


def _sprint(conn: sqlite3.Connection, sprint_id: int) -> sqlite3.Row:
    row = conn.execute(
        f"SELECT {_SPRINT_COLUMNS} FROM sprints WHERE id = ?", [sprint_id]
    ).fetchone()
    if row is None:
        raise NotFound("that sprint no longer exists")
    return cast("sqlite3.Row", row)


def _refuse_second_active(conn: sqlite3.Connection, sprint_id: int | None) -> None:
    row = conn.execute(
        "SELECT name FROM sprints WHERE status = 'active' AND id IS NOT ?", [sprint_id]
    ).fetchone()
    if row is not None:
        raise InvalidInput(f"{one_line(row[0], 40)} is active; close it before starting another")


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
    if taken:
        raise InvalidInput(f"there is a sprint called {one_line(name, 40)} already; name it apart")


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


def _working_days_of(row: sqlite3.Row) -> int:
    return working_days(date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"]))


def update_sprint(ws: Workspace, sprint_id: int, sprint: NewSprint) -> None:
    """Change a sprint's name, goal, dates, points per person-day, reserve and velocity guess.

    People whose days available were the sprint's working days follow its new length.
    """
    with ws.write() as conn:
        was = _open_sprint(conn, sprint_id)
        _refuse_taken_name(conn, sprint.name, sprint_id)
        _follow_length(
            conn, sprint_id, _working_days_of(was), working_days(sprint.start, sprint.end)
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


def _event(
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


def _commit_one(
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
    if item["status"] in ("done", "won't do"):
        raise InvalidInput(f"{item['key']} is {item['status']}; only open work goes into a sprint")
    elsewhere = conn.execute(
        """SELECT s.name FROM sprint_items si JOIN sprints s ON s.id = si.sprint_id
           WHERE si.item_id = ? AND si.removed_at IS NULL AND s.status != 'closed'""",
        [item_id],
    ).fetchone()
    if elsewhere is not None:
        raise InvalidInput(f"{item['key']} is already in {one_line(elsewhere[0], 40)}")
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
    _event(ws, conn, sprint["id"], item_id, "added", after_start=after_start, at=at)
    ws.log("sprint", sprint["id"], "committed item", item["key"])


def _open_sprint(conn: sqlite3.Connection, sprint_id: int) -> sqlite3.Row:
    sprint = _sprint(conn, sprint_id)
    if sprint["status"] == SprintStatus.CLOSED.value:
        raise InvalidInput(f"{one_line(sprint['name'], 40)} is closed; its items cannot change")
    return sprint


def commit_item(ws: Workspace, sprint_id: int, item_id: int, *, at: str | None = None) -> None:
    """Put an item into a sprint, recording who and when; an open blocking risk refuses it.

    After the sprint has started, the addition is recorded as scope change.
    """
    with ws.write() as conn:
        _commit_one(ws, conn, _open_sprint(conn, sprint_id), item_id, at or utc_now())


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
        sprint = _open_sprint(conn, sprint_id)
        for item_id in item_ids:
            try:
                conn.execute("SAVEPOINT commit_one")
                _commit_one(ws, conn, sprint, item_id, when)
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
        sprint = _open_sprint(conn, sprint_id)
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
        _event(ws, conn, sprint_id, item_id, "removed", after_start=started, at=when)
        ws.log("sprint", sprint_id, "removed item", str(item_id))


def set_done(
    ws: Workspace, sprint_id: int, item_id: int, done: bool = True, *, at: str | None = None
) -> None:
    """Mark a sprint item done (its backlog item too), or not done again."""
    when = at or utc_now()
    with ws.write() as conn:
        sprint = _open_sprint(conn, sprint_id)
        _set_done(ws, conn, sprint, item_id, done, when)


def _set_done(
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
    _event(ws, conn, sprint["id"], item_id, "done" if done else "reopened", after_start=started,
           at=when)  # fmt: skip
    ws.log("sprint", sprint["id"], "item done" if done else "item reopened", str(item_id))


def mark_done(ws: Workspace, sprint_id: int, item_id: int, *, at: str | None = None) -> None:
    """Mark a sprint item done and its backlog item too."""
    set_done(ws, sprint_id, item_id, True, at=at)


def set_owner(ws: Workspace, sprint_id: int, item_id: int, owner: str | None) -> None:
    """Give a sprint item to a person (None: to nobody)."""
    owner_id = person_id(ws, owner) if owner else None
    with ws.write() as conn:
        _open_sprint(conn, sprint_id)
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
        _open_sprint(conn, sprint_id)
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
        _open_sprint(conn, sprint_id)
        conn.execute(
            """DELETE FROM sprint_capacity WHERE sprint_id = ?
               AND person_id = (SELECT id FROM people WHERE name = ?)""",
            [sprint_id, person],
        )
        ws.log("sprint", sprint_id, "capacity removed", person)


def start_sprint(
    ws: Workspace, sprint_id: int, *, at: str | None = None, start_date: str | None = None
) -> None:
    """Start a planned sprint: from now on, additions and removals are scope change.

    With `start_date`, the sprint's first day moves there (a sprint started early).
    """
    with ws.write() as conn:
        sprint = _sprint(conn, sprint_id)
        if sprint["status"] != SprintStatus.PLANNED.value:
            raise InvalidInput(f"{one_line(sprint['name'], 40)} is {sprint['status']} already")
        _refuse_second_active(conn, sprint_id)
        if start_date is not None:
            days = working_days(
                date.fromisoformat(start_date), date.fromisoformat(sprint["end_date"])
            )
            _follow_length(conn, sprint_id, _working_days_of(sprint), days)
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
        sprint = _sprint(conn, sprint_id)
        if sprint["status"] == SprintStatus.CLOSED.value:
            raise InvalidInput(f"{one_line(sprint['name'], 40)} is closed already")
        rows = conn.execute(
            """SELECT s.item_id, i.key, i.estimate, s.owner_id FROM sprint_items s
               JOIN items i ON i.id = s.item_id
               WHERE s.sprint_id = ? AND s.removed_at IS NULL AND i.deleted_at IS NULL
               ORDER BY i.rank""",
            [sprint_id],
        ).fetchall()
        for row in rows:
            _set_done(ws, conn, sprint, row["item_id"], row["item_id"] in plan.done, when)
        unfinished = [row for row in rows if row["item_id"] not in plan.done]
        to_sprint: list[str] = []
        to_backlog: list[sqlite3.Row] = []
        carry_to = plan.carry_to
        if new_sprint is not None:
            carry_to = _insert_sprint(ws, conn, new_sprint, copy_team=True)
        target = _open_sprint(conn, carry_to) if carry_to is not None else None
        if target is not None and target["id"] == sprint_id:
            raise InvalidInput("unfinished items cannot carry over into the sprint being closed")
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
                _commit_one(ws, conn, target, row["item_id"], when, row["owner_id"])
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


# --- reads ---------------------------------------------------------------------------------


def sprint_rows(ws: Workspace) -> list[sqlite3.Row]:
    """Every sprint, oldest start first."""
    return ws.query(f"SELECT {_SPRINT_COLUMNS} FROM sprints ORDER BY start_date, id")


def capacity_rows(ws: Workspace, sprint_id: int) -> list[sqlite3.Row]:
    """A sprint's people with their days, focus and any points typed directly, by name."""
    return ws.query(
        """SELECT p.name AS person, c.days_available, c.days_off, c.focus_factor,
               c.points_override
           FROM sprint_capacity c JOIN people p ON p.id = c.person_id
           WHERE c.sprint_id = ? ORDER BY p.name COLLATE NOCASE""",
        [sprint_id],
    )


def item_rows(ws: Workspace, sprint_id: int) -> list[sqlite3.Row]:
    """A sprint's items (removed ones too), by rank, with their owner and any blocking risk."""
    return ws.query(
        """SELECT s.item_id, i.key, i.title, i.estimate, p.name AS owner, s.done, s.done_at,
               s.added_at, s.added_by, s.added_after_start, s.removed_at, s.removed_by,
               (SELECT r.id FROM risks r WHERE r.item_id = i.id AND r.blocking = 1
                  AND r.status IN ('open', 'owned')
                ORDER BY r.likelihood * r.impact DESC LIMIT 1) AS blocking_risk,
               (SELECT o.name FROM sprint_items x JOIN sprints o ON o.id = x.sprint_id
                WHERE x.item_id = s.item_id AND x.sprint_id != s.sprint_id
                  AND o.start_date <= sp.start_date AND x.done = 0
                  AND x.removed_at IS NULL AND o.status = 'closed'
                ORDER BY o.start_date DESC LIMIT 1) AS carried_from,
               (SELECT o.name FROM sprint_items x JOIN sprints o ON o.id = x.sprint_id
                WHERE x.item_id = s.item_id AND x.sprint_id != s.sprint_id
                  AND x.removed_at IS NULL AND o.status != 'closed' LIMIT 1) AS now_in
           FROM sprint_items s JOIN items i ON i.id = s.item_id
           JOIN sprints sp ON sp.id = s.sprint_id
           LEFT JOIN people p ON p.id = s.owner_id
           WHERE s.sprint_id = ? AND i.deleted_at IS NULL
           ORDER BY s.removed_at IS NOT NULL, i.rank""",
        [sprint_id],
    )


def event_rows(ws: Workspace, sprint_id: int) -> list[sqlite3.Row]:
    """A sprint's item events in order: for the burn-down."""
    return ws.query(
        "SELECT item_id, kind, at FROM sprint_events WHERE sprint_id = ? ORDER BY at, id",
        [sprint_id],
    )


def scope_rows(ws: Workspace, sprint_id: int) -> list[sqlite3.Row]:
    """Additions and removals after the start, oldest first, with the points at the time."""
    return ws.query(
        """SELECT i.key, i.title, e.kind = 'added' AS added, e.points, e.at, e.actor AS by
           FROM sprint_events e JOIN items i ON i.id = e.item_id
           WHERE e.sprint_id = ? AND e.after_start = 1 AND e.kind IN ('added', 'removed')
           ORDER BY e.at, e.id""",
        [sprint_id],
    )


def closed_before(ws: Workspace, sprint_id: int, limit: int) -> list[sqlite3.Row]:
    """(name, completed points) of the other closed sprints that started no later, newest first."""
    return ws.query(
        """SELECT name, coalesce(completed_points, 0) FROM sprints
           WHERE status = 'closed' AND id != ?
             AND start_date <= (SELECT start_date FROM sprints WHERE id = ?)
           ORDER BY end_date DESC, id DESC LIMIT ?""",
        [sprint_id, sprint_id, limit],
    )


def candidate_rows(ws: Workspace, text: str, limit: int) -> tuple[list[sqlite3.Row], int]:
    """The ranked backlog that can go into a sprint, and how many: open work (not epics,
    which are delivered through their children) in no planned or active sprint.

    With `text`, only items whose key or title holds it. Reads `limit` rows, so a
    backlog of a hundred thousand items costs no more than one of a hundred.
    """
    where = """i.deleted_at IS NULL AND i.status NOT IN ('done', 'won''t do') AND i.kind != 'epic'
        AND NOT EXISTS (SELECT 1 FROM sprint_items s JOIN sprints sp ON sp.id = s.sprint_id
                        WHERE s.item_id = i.id AND s.removed_at IS NULL
                          AND sp.status != 'closed')"""
    params: list[object] = []
    if text:
        where += " AND (i.key LIKE ? ESCAPE '\\' OR i.title LIKE ? ESCAPE '\\')"
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [pattern, pattern]
    rows = ws.query(
        f"""SELECT item_id, key, title, estimate, status, kind, blocking_risk,
               (SELECT title FROM risks WHERE id = blocking_risk) AS blocking_title
            FROM (SELECT i.id AS item_id, i.key, i.title, i.estimate, i.status, i.kind,
                (SELECT r.id FROM risks r WHERE r.item_id = i.id AND r.blocking = 1
                   AND r.status IN ('open', 'owned')
                 ORDER BY r.likelihood * r.impact DESC LIMIT 1) AS blocking_risk
                FROM items i WHERE {where} ORDER BY i.rank LIMIT ?)""",
        [*params, limit],
    )
    total = ws.query_one(f"SELECT count(*) FROM items i WHERE {where}", params)
    return rows, total[0] if total else 0


def sprint_id_by_name(ws: Workspace, name: str) -> int | None:
    """The id of the newest sprint called `name`, or None."""
    row = ws.query_one("SELECT id FROM sprints WHERE name = ? ORDER BY id DESC LIMIT 1", [name])
    return row[0] if row else None


def sprint_names(ws: Workspace) -> list[str]:
    """Every sprint's name, newest first."""
    return [
        row[0] for row in ws.query("SELECT name FROM sprints ORDER BY start_date DESC, id DESC")
    ]
