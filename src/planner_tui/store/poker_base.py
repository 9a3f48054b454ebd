"""What every part of planning poker reads first: decks, the open session's row and settings, and the
current round (started, found, revealed by itself when everyone has voted)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, cast

from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.estimation import PokerSettings
from planner_tui.domain.poker import (
    Deck,
    check_custom_deck,
    check_session_open,
    require_facilitator,
)
from planner_tui.domain.stored import settings_from, texts_of
from planner_tui.store.sql import inserted_id
from planner_tui.store.workspace import Workspace, utc_now

# --- decks -------------------------------------------------------------------------------


def deck_id_of(conn: sqlite3.Connection, deck: Deck) -> int:
    """The id of `deck` in the file, saving it (a custom deck's cards are replaced)."""
    conn.execute(
        "INSERT INTO decks(name, cards, builtin) VALUES (?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET cards = excluded.cards",
        [deck.name, json.dumps(list(deck.cards), ensure_ascii=False), deck.builtin],
    )
    return int(conn.execute("SELECT id FROM decks WHERE name = ?", [deck.name]).fetchone()[0])


def save_deck(ws: Workspace, deck: Deck) -> int:
    """Keep a custom deck in the workspace (replacing one of the same name)."""
    check_custom_deck(deck)
    with ws.write() as conn:
        deck_id = deck_id_of(conn, deck)
        ws.log("deck", deck_id, "saved", deck.name)
        return deck_id


def custom_decks(ws: Workspace) -> list[Deck]:
    """The decks saved in the workspace that are not built in, by name."""
    rows = ws.query("SELECT name, cards FROM decks WHERE builtin = 0 ORDER BY name COLLATE NOCASE")
    return [Deck(name=row[0], cards=cards) for row in rows if (cards := texts_of(row[1]))]


def _session_row(
    conn: sqlite3.Connection, session_id: int, kind: str = "estimation"
) -> sqlite3.Row:
    row = conn.execute(
        """SELECT s.id, s.status, s.current_item_id, s.settings, p.name AS facilitator
           FROM sessions s LEFT JOIN people p ON p.id = s.facilitator_id
           WHERE s.id = ? AND s.kind = ?""",
        [session_id, kind],
    ).fetchone()
    if row is None:
        raise NotFound(f"that {kind} session no longer exists")
    return cast("sqlite3.Row", row)


def open_session_row(
    ws: Workspace,
    conn: sqlite3.Connection,
    session_id: int,
    doing: str | None,
    kind: str = "estimation",
) -> sqlite3.Row:
    """The session row, refusing a closed session and, with `doing`, anyone but its facilitator."""
    row = _session_row(conn, session_id, kind)
    check_session_open(row["status"])
    if doing is not None:
        require_facilitator(ws.actor, row["facilitator"], doing)
    return row


def settings_of(row: sqlite3.Row | dict[str, Any]) -> PokerSettings:
    """A session's settings from its stored JSON; missing keys take their defaults."""
    return settings_from(PokerSettings, row["settings"])


def start_round(
    conn: sqlite3.Connection,
    session_id: int,
    item_id: int,
    settings: PokerSettings,
    when: str,
) -> int:
    number = conn.execute(
        "SELECT coalesce(max(number), 0) + 1 FROM estimation_rounds WHERE session_id = ? AND item_id = ?",
        [session_id, item_id],
    ).fetchone()[0]
    deck_id = deck_id_of(conn, settings.deck)
    cursor = conn.execute(
        """INSERT INTO estimation_rounds(session_id, item_id, number, deck_id, started_at,
               timer_seconds, timer_started_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [
            session_id,
            item_id,
            number,
            deck_id,
            when,
            settings.timer_seconds,
            when if settings.timer_seconds else None,
        ],
    )
    return inserted_id(cursor)


def current_round(conn: sqlite3.Connection, session_id: int) -> sqlite3.Row:
    row = conn.execute(
        """SELECT r.id, r.revealed_at, r.item_id, d.cards FROM estimation_rounds r
           JOIN sessions s ON s.id = r.session_id AND s.current_item_id = r.item_id
           LEFT JOIN decks d ON d.id = r.deck_id
           WHERE r.session_id = ? ORDER BY r.number DESC LIMIT 1""",
        [session_id],
    ).fetchone()
    if row is None:
        raise InvalidInput("no item is being estimated; add items to the queue first")
    return cast("sqlite3.Row", row)


def auto_reveal(ws: Workspace, conn: sqlite3.Connection, session_id: int) -> bool:
    """Turn the cards if the session auto-reveals and every voter has voted."""
    row = _session_row(conn, session_id)
    if not settings_of(row).auto_reveal or row["current_item_id"] is None:
        return False
    current = current_round(conn, session_id)
    if current["revealed_at"] is not None:
        return False
    waiting = conn.execute(
        """SELECT count(*), sum(v.id IS NOT NULL) FROM session_people sp
           LEFT JOIN votes v ON v.round_id = ? AND v.person_id = sp.person_id
           WHERE sp.session_id = ? AND sp.role = 'voter'""",
        [current["id"], session_id],
    ).fetchone()
    voters, voted = waiting[0], waiting[1] or 0
    if voters == 0 or voted < voters:
        return False
    conn.execute(
        "UPDATE estimation_rounds SET revealed_at = ? WHERE id = ?", [utc_now(), current["id"]]
    )
    ws.log("round", current["id"], "revealed", "everyone voted")
    return True
