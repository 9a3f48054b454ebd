"""A poker round: votes cast and withdrawn, the reveal, the timer, a revote, the estimate accepted."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from planner_tui.domain.enums import Confidence
from planner_tui.domain.poker import (
    Deck,
    check_card,
    check_entered_for,
    check_revote,
    check_timer,
    check_withdraw,
    seconds_left,
)
from planner_tui.domain.stored import texts_of
from planner_tui.store.blocking import refuse_if_blocked

# --- decks -------------------------------------------------------------------------------
from planner_tui.store.people import person_id, refuse_if_bound_elsewhere
from planner_tui.store.poker_base import (
    auto_reveal,
    current_round,
    open_session_row,
    settings_of,
    start_round,
)
from planner_tui.store.poker_queue import advance
from planner_tui.store.workspace import Workspace, utc_now


def revote(ws: Workspace, session_id: int, *, at: str | None = None) -> int:
    """Start a new round on the current item (after the reveal); every earlier vote is kept."""
    with ws.write() as conn:
        row = open_session_row(ws, conn, session_id, "start a re-vote")
        current = current_round(conn, session_id)
        check_revote(revealed=current["revealed_at"] is not None)
        round_id = start_round(
            conn, session_id, current["item_id"], settings_of(row), at or utc_now()
        )
        conn.execute(
            "UPDATE session_items SET state = 'queued' WHERE session_id = ? AND item_id = ?",
            [session_id, current["item_id"]],
        )
        ws.log("round", round_id, "started", "re-vote")
        return round_id


def cast_vote(
    ws: Workspace,
    session_id: int,
    voter: str,
    card: str,
    confidence: Confidence = Confidence.NORMAL,
    *,
    at: str | None = None,
) -> bool:
    """Play `card` for `voter` in the current round; returns whether it turned the cards.

    A person votes for themselves until the reveal and may change their card
    until then. The facilitator may also enter cards for others (the room on a
    shared screen), before the reveal or after it, when people say their cards
    out loud. Playing a card makes a spectator a voter.
    """
    voter_id = person_id(ws, voter)
    with ws.write() as conn:
        for_someone_else = voter.casefold() != ws.actor.casefold()
        row = open_session_row(
            ws, conn, session_id, "enter cards for others" if for_someone_else else None
        )
        current = current_round(conn, session_id)
        deck_cards = texts_of(current["cards"])
        deck = settings_of(row).deck if not deck_cards else Deck(name="round", cards=deck_cards)
        check_card(
            deck,
            card,
            revealed=current["revealed_at"] is not None,
            facilitates=_facilitates(ws, row),
        )
        if for_someone_else:
            refuse_if_bound_elsewhere(ws, conn, voter_id, "enter their card")
            own = conn.execute(
                "SELECT 1 FROM votes WHERE round_id = ? AND person_id = ? AND entered_by = ?"
                " COLLATE NOCASE",
                [current["id"], voter_id, voter],
            ).fetchone()
            check_entered_for(voter, their_own_card=own is not None)
        conn.execute(
            """INSERT INTO votes(round_id, person_id, card, confidence, voted_at, entered_by)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT(round_id, person_id) DO UPDATE SET card = excluded.card,
                   confidence = excluded.confidence, voted_at = excluded.voted_at,
                   entered_by = excluded.entered_by""",
            [current["id"], voter_id, card, confidence.value, at or utc_now(), ws.actor],
        )
        conn.execute(
            """INSERT INTO session_people(session_id, person_id, role, joined_at)
               VALUES (?, ?, 'voter', ?)
               ON CONFLICT(session_id, person_id) DO UPDATE SET role = 'voter'""",
            [session_id, voter_id, at or utc_now()],
        )
        ws.log("round", current["id"], "voted")
        return auto_reveal(ws, conn, session_id)


def _facilitates(ws: Workspace, row: sqlite3.Row) -> bool:
    return row["facilitator"] is not None and row["facilitator"].casefold() == ws.actor.casefold()


def withdraw_vote(ws: Workspace, session_id: int, voter: str) -> None:
    """Take back a vote before the reveal (one's own; the facilitator may for anyone)."""
    voter_id = person_id(ws, voter)
    with ws.write() as conn:
        for_someone_else = voter.casefold() != ws.actor.casefold()
        open_session_row(
            ws, conn, session_id, "take back others' cards" if for_someone_else else None
        )
        if for_someone_else:
            refuse_if_bound_elsewhere(ws, conn, voter_id, "take their card back")
        current = current_round(conn, session_id)
        check_withdraw(revealed=current["revealed_at"] is not None)
        conn.execute(
            "DELETE FROM votes WHERE round_id = ? AND person_id = ?", [current["id"], voter_id]
        )
        ws.log("round", current["id"], "vote withdrawn")


def reveal(ws: Workspace, session_id: int, *, at: str | None = None) -> None:
    """Turn every card of the current round at once (facilitator only)."""
    with ws.write() as conn:
        open_session_row(ws, conn, session_id, "reveal the cards")
        current = current_round(conn, session_id)
        if current["revealed_at"] is not None:
            return
        conn.execute(
            "UPDATE estimation_rounds SET revealed_at = ? WHERE id = ?",
            [at or utc_now(), current["id"]],
        )
        ws.log("round", current["id"], "revealed")


def set_timer(ws: Workspace, session_id: int, seconds: int) -> None:
    """Restart the current round's countdown at `seconds` (0 stops it)."""
    check_timer(seconds)
    with ws.write() as conn:
        open_session_row(ws, conn, session_id, "set the timer")
        current = current_round(conn, session_id)
        conn.execute(
            "UPDATE estimation_rounds SET timer_seconds = ?, timer_started_at = ? WHERE id = ?",
            [seconds, utc_now() if seconds else None, current["id"]],
        )
        ws.log("round", current["id"], "timer", str(seconds))


def add_time(ws: Workspace, session_id: int, seconds: int) -> None:
    """Give the countdown `seconds` more from what is left now (less with a negative number).

    Time already up counts as none left, so `+` after the end gives a fresh 30 s;
    taking off more than is left ends the countdown at "time's up".
    """
    now = datetime.now(UTC)
    with ws.write() as conn:
        open_session_row(ws, conn, session_id, "change the timer")
        current = current_round(conn, session_id)
        timer = conn.execute(
            "SELECT timer_seconds, timer_started_at FROM estimation_rounds WHERE id = ?",
            [current["id"]],
        ).fetchone()
        started = datetime.fromisoformat(timer[1]) if timer[1] else None
        left = seconds_left(started, timer[0], now) if started else 0
        remaining = min(max((left or 0), 0) + seconds, 3600)
        conn.execute(
            "UPDATE estimation_rounds SET timer_seconds = ?, timer_started_at = ? WHERE id = ?",
            [max(remaining, 0), now.isoformat(timespec="seconds"), current["id"]],
        )
        ws.log("round", current["id"], "timer", f"{seconds:+d}")


def accept(
    ws: Workspace,
    session_id: int,
    card: str,
    estimate: float,
    rationale: str = "",
    *,
    at: str | None = None,
) -> int | None:
    """Agree the current item's estimate, write it to the backlog item, and move on.

    Returns the item that is current afterwards (None when the queue is done).
    """
    with ws.write() as conn:
        row = open_session_row(ws, conn, session_id, "accept an estimate")
        current = current_round(conn, session_id)
        item_id = current["item_id"]
        refuse_if_blocked(conn, item_id, "give {key} a final estimate")
        conn.execute(
            """UPDATE session_items SET state = 'done', final_estimate = ?, final_card = ?,
                   rationale = ? WHERE session_id = ? AND item_id = ?""",
            [estimate, card, rationale, session_id, item_id],
        )
        when = at or utc_now()
        if current["revealed_at"] is None:  # accepting turns the cards: the votes are history
            conn.execute(
                "UPDATE estimation_rounds SET revealed_at = ? WHERE id = ?", [when, current["id"]]
            )
        conn.execute(
            "UPDATE items SET estimate = ?, updated_at = ?, updated_by = ? WHERE id = ?",
            [estimate, when, ws.actor, item_id],
        )
        ws.log("item", item_id, "estimated", card)
        return advance(ws, conn, session_id, row, when=when)
