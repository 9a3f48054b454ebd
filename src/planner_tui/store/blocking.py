"""Blocking risks as the other records see them: an item under a live blocking risk cannot be
committed to a sprint or given an estimate; risks on trashed items wait with them.

The lowest of the store's subject modules: items, sprints, estimation and risks all ask it,
and it asks none of them.
"""

from __future__ import annotations

import sqlite3

from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.risk import blocked_message


def on_live_items(table: str = "risks") -> str:
    """SQL keeping risks not against an item in the trash (those wait there with it,
    and come back when it is restored); `table` is the risks table's name or alias."""
    # One primary-key look-up per risk. `item_id IN (SELECT id FROM items WHERE ...)`
    # built the list of every live item first: 45 ms at 100,000 items, on every redraw.
    return (
        f"({table}.item_id IS NULL OR NOT EXISTS (SELECT 1 FROM items trashed "
        f"WHERE trashed.id = {table}.item_id AND trashed.deleted_at IS NOT NULL))"
    )


def blocking_for_item(conn: sqlite3.Connection, item_id: int) -> sqlite3.Row | None:
    """The worst live blocking risk on an item, if any (call inside the caller's transaction)."""
    worst: sqlite3.Row | None = conn.execute(
        """SELECT r.id, r.title, i.key FROM risks r JOIN items i ON i.id = r.item_id
           WHERE r.item_id = ? AND r.blocking = 1 AND r.status IN ('open', 'owned')
           ORDER BY r.likelihood * r.impact DESC, r.id LIMIT 1""",
        [item_id],
    ).fetchone()
    return worst


def refuse_if_blocked(conn: sqlite3.Connection, item_id: int, doing: str) -> None:
    """Raise, naming the risk and how to clear it, if a live blocking risk is on the item.

    `doing` may hold `{key}` for the item's key, e.g. `commit {key} to a sprint`.
    Called inside the caller's write transaction, so a risk raised a moment ago counts.
    """
    risk = blocking_for_item(conn, item_id)
    if risk is not None:
        raise InvalidInput(
            blocked_message(doing.format(key=risk["key"]), risk["key"], risk["id"], risk["title"])
        )
