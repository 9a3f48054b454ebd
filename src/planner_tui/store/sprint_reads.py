"""What the Sprint screen, Home and exports read: sprints, capacity, items, events, scope change,
velocity history, the candidates to commit, names."""

from __future__ import annotations

import sqlite3

from planner_tui.domain.backlog import COUNT_AT_MOST
from planner_tui.store.sprint_base import SPRINT_COLUMNS
from planner_tui.store.text_search import NAMES, contains, narrowing
from planner_tui.store.workspace import Workspace


def sprint_rows(ws: Workspace) -> list[sqlite3.Row]:
    """Every sprint, oldest start first."""
    return ws.query(f"SELECT {SPRINT_COLUMNS} FROM sprints ORDER BY start_date, id")


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
        "SELECT item_id, kind, at, after_start FROM sprint_events WHERE sprint_id = ? "
        "ORDER BY at, id",
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


_ENDED = "('done', 'won''t do')"
"""The statuses of work that is over (SQL)."""


def candidate_rows(ws: Workspace, text: str, limit: int) -> tuple[list[sqlite3.Row], int]:
    """The ranked backlog that can go into a sprint, and how many: open work (not epics,
    which are delivered through their children) in no planned or active sprint.

    With `text`, only items whose key or title holds it. Reads `limit` rows, so a
    backlog of a hundred thousand items costs no more than one of a hundred.
    """
    where = f"""i.deleted_at IS NULL AND i.status NOT IN {_ENDED} AND i.kind != 'epic'
        AND NOT EXISTS (SELECT 1 FROM sprint_items s JOIN sprints sp ON sp.id = s.sprint_id
                        WHERE s.item_id = i.id AND s.removed_at IS NULL
                          AND sp.status != 'closed')"""
    params: list[object] = []
    hint = ""
    if text:
        hint, narrow, narrow_params = narrowing(ws, "i.id", text, NAMES)
        test, value = contains(text)
        where += f" AND ({test.format('i.key')} OR {test.format('i.title')}){narrow}"
        params += value * 2 + narrow_params
    rows = ws.query(
        f"""SELECT item_id, key, title, estimate, status, kind, blocking_risk,
               (SELECT title FROM risks WHERE id = blocking_risk) AS blocking_title
            FROM (SELECT i.id AS item_id, i.key, i.title, i.estimate, i.status, i.kind,
                (SELECT r.id FROM risks r WHERE r.item_id = i.id AND r.blocking = 1
                   AND r.status IN ('open', 'owned')
                 ORDER BY r.likelihood * r.impact DESC LIMIT 1) AS blocking_risk
                FROM items i {hint} WHERE {where} ORDER BY i.rank LIMIT ?)""",
        [*params, limit],
    )
    if len(rows) < limit:  # every match is read: that is the count
        return rows, len(rows)
    if text:  # counted to COUNT_AT_MOST + 1 at most: "1,000+" (all of 100,000: 70 ms)
        total = ws.query_one(
            f"SELECT count(*) FROM (SELECT 1 FROM items i {hint} WHERE {where} LIMIT ?)",
            [*params, COUNT_AT_MOST + 1],
        )
        return rows, total[0] if total else 0
    return rows, _open_backlog_count(ws)


def _open_backlog_count(ws: Workspace) -> int:
    """How many items a sprint could take, without reading the backlog: the kept tally's
    open items, less the epics among them and what open sprints hold (both few)."""
    row = ws.query_one(
        f"""SELECT
            (SELECT coalesce(sum(items), 0) FROM item_tally WHERE status NOT IN {_ENDED})
          - (SELECT count(*) FROM items INDEXED BY items_live_kind
             WHERE kind = 'epic' AND deleted_at IS NULL AND status NOT IN {_ENDED})
          - (SELECT count(DISTINCT s.item_id) FROM sprints sp  -- CROSS: from the sprints
             CROSS JOIN sprint_items s ON s.sprint_id = sp.id AND s.removed_at IS NULL
             CROSS JOIN items i ON i.id = s.item_id
             WHERE sp.status != 'closed' AND i.deleted_at IS NULL
               AND i.status NOT IN {_ENDED} AND i.kind != 'epic')"""
    )
    return row[0] if row else 0


def sprint_id_by_name(ws: Workspace, name: str) -> int | None:
    """The id of the newest sprint called `name`, or None."""
    row = ws.query_one("SELECT id FROM sprints WHERE name = ? ORDER BY id DESC LIMIT 1", [name])
    return row[0] if row else None


def sprint_names(ws: Workspace) -> list[str]:
    """Every sprint's name, newest first."""
    return [
        row[0] for row in ws.query("SELECT name FROM sprints ORDER BY start_date DESC, id DESC")
    ]


def metric_rows(ws: Workspace, sprint_id: int) -> list[sqlite3.Row]:
    """The success metrics of the work a sprint got done, by rank: the review's outcomes."""
    return ws.query(
        """SELECT i.id, i.key, i.title, i.status, i.metric_name, i.metric_unit,
                  i.metric_target, i.metric_actual, i.metric_better
           FROM sprint_items s JOIN items i ON i.id = s.item_id
           WHERE s.sprint_id = ? AND s.removed_at IS NULL AND s.done = 1
             AND i.deleted_at IS NULL
             AND coalesce(i.metric_name, '') != ''
           ORDER BY i.rank""",
        [sprint_id],
    )
