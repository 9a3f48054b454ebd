"""A poker session's queue of items: added, reordered, set aside, moved through."""

from __future__ import annotations

import sqlite3

from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.estimation import PokerSettings, QueueState

# --- decks -------------------------------------------------------------------------------
from planner_tui.store.poker_base import open_session_row, settings_of, start_round
from planner_tui.store.sql import whole
from planner_tui.store.workspace import Workspace, utc_now


def enqueue(conn: sqlite3.Connection, session_id: int, item_ids: list[int]) -> int:
    """Add items at the end of the queue; a skipped or parked one is queued again at the end.

    Items already queued or estimated are left where they are.
    """
    position = conn.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM session_items WHERE session_id = ?",
        [session_id],
    ).fetchone()[0]
    added = 0
    for item_id in item_ids:
        live = conn.execute(
            "SELECT 1 FROM items WHERE id = ? AND deleted_at IS NULL", [item_id]
        ).fetchone()
        if not live:
            raise NotFound(f"item {item_id} is not in the backlog (deleted?)")
        cursor = conn.execute(
            """INSERT INTO session_items(session_id, item_id, position) VALUES (?, ?, ?)
               ON CONFLICT(session_id, item_id) DO UPDATE SET state = 'queued',
                   position = excluded.position WHERE state IN ('skipped', 'parked')""",
            [session_id, item_id, position + added],
        )
        added += cursor.rowcount
    return added


def queue_items(ws: Workspace, session_id: int, item_ids: list[int]) -> int:
    """Add items to the end of the queue mid-session; returns how many were new to it."""
    with ws.write() as conn:
        row = open_session_row(ws, conn, session_id, "add items to the queue")
        added = enqueue(conn, session_id, item_ids)
        ws.log("session", session_id, "queued", f"{added} items")
        if row["current_item_id"] is None:
            first = next_after(conn, session_id, None)
            if first is not None:
                go_to(conn, session_id, first, settings_of(row), utc_now())
        return added


def move_in_queue(ws: Workspace, session_id: int, item_id: int, steps: int) -> None:
    """Move an item up (negative) or down the queue."""
    with ws.write() as conn:
        open_session_row(ws, conn, session_id, "reorder the queue")
        order = [
            row[0]
            for row in conn.execute(
                "SELECT item_id FROM session_items WHERE session_id = ? ORDER BY position",
                [session_id],
            )
        ]
        if item_id not in order:
            raise NotFound("that item is not in this session's queue")
        old = order.index(item_id)
        new = max(0, min(len(order) - 1, old + steps))
        order.insert(new, order.pop(old))
        for position, moved in enumerate(order):
            conn.execute(
                "UPDATE session_items SET position = ? WHERE session_id = ? AND item_id = ?",
                [position, session_id, moved],
            )
        ws.log("session", session_id, "reordered")


def go_to(
    conn: sqlite3.Connection,
    session_id: int,
    item_id: int,
    settings: PokerSettings,
    when: str,
) -> None:
    """Make `item_id` the current item; it gets a first round if it has none yet."""
    conn.execute("UPDATE sessions SET current_item_id = ? WHERE id = ?", [item_id, session_id])
    conn.execute(
        "UPDATE session_items SET state = 'queued' WHERE session_id = ? AND item_id = ? "
        "AND state IN ('parked', 'skipped')",
        [session_id, item_id],
    )
    latest = conn.execute(
        "SELECT id, revealed_at FROM estimation_rounds WHERE session_id = ? AND item_id = ?"
        " ORDER BY number DESC LIMIT 1",
        [session_id, item_id],
    ).fetchone()
    if latest is None:
        start_round(conn, session_id, item_id, settings, when)
    elif latest[1] is None:  # taken up again: its countdown starts afresh
        conn.execute(
            "UPDATE estimation_rounds SET timer_seconds = ?, timer_started_at = ? WHERE id = ?",
            [settings.timer_seconds, when if settings.timer_seconds else None, latest[0]],
        )


def go_to_item(ws: Workspace, session_id: int, item_id: int) -> None:
    """Estimate `item_id` now; everyone's screen follows."""
    with ws.write() as conn:
        row = open_session_row(ws, conn, session_id, "choose the item")
        known = conn.execute(
            "SELECT 1 FROM session_items WHERE session_id = ? AND item_id = ?",
            [session_id, item_id],
        ).fetchone()
        if not known:
            raise NotFound("that item is not in this session's queue")
        go_to(conn, session_id, item_id, settings_of(row), utc_now())
        ws.log("session", session_id, "current item", str(item_id))


def next_item(ws: Workspace, session_id: int) -> int | None:
    """Move to the next queued (then parked) item; returns it, or None when none is left."""
    with ws.write() as conn:
        row = open_session_row(ws, conn, session_id, "move to the next item")
        return advance(ws, conn, session_id, row)


def advance(
    ws: Workspace,
    conn: sqlite3.Connection,
    session_id: int,
    row: sqlite3.Row,
    following: int | None = None,
    when: str | None = None,
) -> int | None:
    """Make the next item current (`following` if already worked out); None ends the queue."""
    if following is None:
        following = next_after(conn, session_id, row["current_item_id"])
    if following is None:
        conn.execute("UPDATE sessions SET current_item_id = NULL WHERE id = ?", [session_id])
    else:
        go_to(conn, session_id, following, settings_of(row), when or utc_now())
    ws.log("session", session_id, "current item", str(following))
    return following


def next_after(conn: sqlite3.Connection, session_id: int, current: int | None) -> int | None:
    """The first queued item after the current one in queue order, else from the top, else parked."""
    rows = conn.execute(
        """SELECT si.item_id, si.state, si.position FROM session_items si
           JOIN items i ON i.id = si.item_id
           WHERE si.session_id = ? AND i.deleted_at IS NULL ORDER BY si.position""",
        [session_id],
    ).fetchall()
    position = next((r[2] for r in rows if r[0] == current), -1)
    queued = [r for r in rows if r[1] == QueueState.QUEUED.value and r[0] != current]
    later = [r for r in queued if r[2] > position]
    for group in (later, queued, [r for r in rows if r[1] == "parked" and r[0] != current]):
        if group:
            return whole(group[0][0])
    return None


def set_state(ws: Workspace, session_id: int, item_id: int, state: QueueState) -> int | None:
    """Skip or park an item (facilitator only); if it was current, move on. Returns the current item."""
    if state not in (QueueState.SKIPPED, QueueState.PARKED, QueueState.QUEUED):
        raise InvalidInput(
            "an item is skipped, parked or queued again; accept gives it an estimate"
        )
    with ws.write() as conn:
        row = open_session_row(ws, conn, session_id, f"mark an item {state.value}")
        moving_on = row["current_item_id"] == item_id and state is not QueueState.QUEUED
        following = next_after(conn, session_id, item_id) if moving_on else None
        if moving_on and following is None and state is QueueState.PARKED:
            following = item_id  # nothing else waits: the parked item comes straight back
        updated = conn.execute(
            "UPDATE session_items SET state = ? WHERE session_id = ? AND item_id = ?",
            [state.value, session_id, item_id],
        ).rowcount
        if not updated:
            raise NotFound("that item is not in this session's queue")
        if state is QueueState.PARKED:  # parked items wait at the end of the queue
            conn.execute(
                "UPDATE session_items SET position = (SELECT max(position) + 1 FROM session_items"
                " WHERE session_id = ?) WHERE session_id = ? AND item_id = ?",
                [session_id, session_id, item_id],
            )
        ws.log("session", session_id, state.value, str(item_id))
        if moving_on:
            return advance(ws, conn, session_id, row, following)
        return whole(row["current_item_id"])


def set_notes(ws: Workspace, session_id: int, item_id: int, notes: str) -> None:
    """Keep the discussion's notes on an item in this session (anyone taking part may)."""
    with ws.write() as conn:
        open_session_row(ws, conn, session_id, None)
        updated = conn.execute(
            "UPDATE session_items SET notes = ? WHERE session_id = ? AND item_id = ?",
            [notes, session_id, item_id],
        ).rowcount
        if not updated:
            raise NotFound("that item is not in this session's queue")
        ws.log("session", session_id, "notes", str(item_id))
