"""Estimation sessions: the queue, rounds, votes, decks and who takes part.

Every move is one write transaction that checks its rule inside the
transaction (who facilitates, whether the cards are turned), so two
terminals acting at once cannot slip past each other. What the reading
functions return is raw: hiding other people's cards before the reveal is
the service's job (`services.poker`), which is the only way screens read it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any, cast

from planner_tui.domain.enums import Confidence, SessionStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.estimation import PokerRole, PokerSettings, QueueState
from planner_tui.domain.poker import BUILTIN_DECK_NAMES, Deck, require_facilitator, seconds_left
from planner_tui.store.blocking import refuse_if_blocked
from planner_tui.store.people import person_id, refuse_if_bound_elsewhere
from planner_tui.store.sql import inserted_id, whole
from planner_tui.store.workspace import Workspace, utc_now

# --- decks -------------------------------------------------------------------------------


def _deck_id(conn: sqlite3.Connection, deck: Deck) -> int:
    """The id of `deck` in the file, saving it (a custom deck's cards are replaced)."""
    conn.execute(
        "INSERT INTO decks(name, cards, builtin) VALUES (?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET cards = excluded.cards",
        [deck.name, json.dumps(list(deck.cards), ensure_ascii=False), deck.builtin],
    )
    return int(conn.execute("SELECT id FROM decks WHERE name = ?", [deck.name]).fetchone()[0])


def save_deck(ws: Workspace, deck: Deck) -> int:
    """Keep a custom deck in the workspace (replacing one of the same name)."""
    if not deck.builtin and deck.name.casefold() in BUILTIN_DECK_NAMES:
        raise InvalidInput(f"{deck.name} is a built-in deck; give yours another name")
    with ws.write() as conn:
        deck_id = _deck_id(conn, deck)
        ws.log("deck", deck_id, "saved", deck.name)
        return deck_id


def custom_decks(ws: Workspace) -> list[Deck]:
    """The decks saved in the workspace that are not built in, by name."""
    rows = ws.query("SELECT name, cards FROM decks WHERE builtin = 0 ORDER BY name COLLATE NOCASE")
    return [Deck(name=row[0], cards=tuple(json.loads(row[1]))) for row in rows]


# --- sessions ----------------------------------------------------------------------------


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
    if row["status"] != SessionStatus.OPEN.value:
        raise InvalidInput("this session has ended; its summary is kept, nothing more can change")
    if doing is not None:
        require_facilitator(ws.actor, row["facilitator"], doing)
    return row


def settings_of(row: sqlite3.Row | dict[str, Any]) -> PokerSettings:
    """A session's settings from its stored JSON; missing keys take their defaults."""
    try:
        raw = json.loads(row["settings"] or "{}")
    except ValueError:
        raw = {}
    return PokerSettings.model_validate(raw) if raw else PokerSettings()


def create_session(
    ws: Workspace,
    title: str,
    settings: PokerSettings,
    item_ids: list[int],
    *,
    facilitator_votes: bool = True,
    voters: list[str] | None = None,
    at: str | None = None,
) -> int:
    """Open an estimation session run by the acting person, with its first round under way."""
    facilitator = person_id(ws, ws.actor)
    voter_ids = [person_id(ws, name) for name in voters or ()]
    when = at or utc_now()
    with ws.write() as conn:
        _deck_id(conn, settings.deck)
        cursor = conn.execute(
            """INSERT INTO sessions(kind, title, facilitator_id, status, started_at, settings)
               VALUES ('estimation', ?, ?, 'open', ?, ?)""",
            [title, facilitator, when, settings.model_dump_json()],
        )
        session_id = inserted_id(cursor)
        role = PokerRole.VOTER if facilitator_votes else PokerRole.SPECTATOR
        _join(conn, session_id, facilitator, role, when)
        for voter_id in voter_ids:
            if voter_id != facilitator:
                _join(conn, session_id, voter_id, PokerRole.VOTER, when)
        _queue(conn, session_id, item_ids)
        ws.log("session", session_id, "started", title)
        first = _next_after(conn, session_id, None)
        if first is not None:
            _go_to(conn, session_id, first, settings, when)
        return session_id


def close_session(ws: Workspace, session_id: int, summary: str, *, at: str | None = None) -> None:
    """End the session (facilitator only), keeping its summary text."""
    with ws.write() as conn:
        open_session_row(ws, conn, session_id, "end the session")
        conn.execute(
            "UPDATE sessions SET status = 'closed', ended_at = ?, summary = ? WHERE id = ?",
            [at or utc_now(), summary, session_id],
        )
        ws.log("session", session_id, "closed")


def update_settings(ws: Workspace, session_id: int, settings: PokerSettings) -> None:
    """Change the deck, auto-reveal or default timer (facilitator only)."""
    with ws.write() as conn:
        open_session_row(ws, conn, session_id, "change the settings")
        _deck_id(conn, settings.deck)
        conn.execute(
            "UPDATE sessions SET settings = ? WHERE id = ?",
            [settings.model_dump_json(), session_id],
        )
        ws.log("session", session_id, "settings")


def hand_over(ws: Workspace, session_id: int, to: str, kind: str = "estimation") -> None:
    """Make `to`, who takes part in the session, the facilitator (only the facilitator can)."""
    with ws.write() as conn:
        open_session_row(ws, conn, session_id, "hand over facilitation", kind)
        taking_part = conn.execute(
            """SELECT p.id, p.name FROM session_people sp JOIN people p ON p.id = sp.person_id
               WHERE sp.session_id = ? ORDER BY p.name COLLATE NOCASE""",
            [session_id],
        ).fetchall()
        match = next((r for r in taking_part if r[1].casefold() == to.casefold()), None)
        if match is None:
            names = ", ".join(r[1] for r in taking_part) or "nobody"
            raise InvalidInput(f"{to} is not in this session; hand over to one of: {names}")
        conn.execute("UPDATE sessions SET facilitator_id = ? WHERE id = ?", [match[0], session_id])
        ws.log("session", session_id, "handed over", match[1])


def take_over(
    ws: Workspace, session_id: int, place: str, since: str, kind: str = "estimation"
) -> None:
    """Facilitate in place of a facilitator whose terminal is gone (not seen at `place` since `since`)."""
    me = person_id(ws, ws.actor)
    with ws.write() as conn:
        row = open_session_row(ws, conn, session_id, None, kind)
        facilitator = row["facilitator"]
        if facilitator is not None and facilitator.casefold() != ws.actor.casefold():
            present = conn.execute(
                """SELECT 1 FROM presence r JOIN people p ON p.id = r.person_id
                   WHERE p.name = ? AND r.place = ? AND r.seen_at >= ?""",
                [facilitator, place, since],
            ).fetchone()
            if present:
                raise InvalidInput(
                    f"{facilitator} is here and facilitates; ask them to hand over (m)"
                )
        conn.execute("UPDATE sessions SET facilitator_id = ? WHERE id = ?", [me, session_id])
        ws.log("session", session_id, "taken over", ws.actor)


def _join(
    conn: sqlite3.Connection, session_id: int, person: int, role: PokerRole, when: str
) -> None:
    conn.execute(
        """INSERT INTO session_people(session_id, person_id, role, joined_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(session_id, person_id) DO UPDATE SET role = excluded.role""",
        [session_id, person, role.value, when],
    )


def join(ws: Workspace, session_id: int, name: str, role: PokerRole | None = None) -> None:
    """Take part as `name`: a newcomer votes unless `role` says otherwise; `role` changes it.

    Setting another person's role is the facilitator's move.
    """
    who = person_id(ws, name)
    with ws.write() as conn:
        doing = None if name.casefold() == ws.actor.casefold() else "add people to the session"
        open_session_row(ws, conn, session_id, doing)
        current = conn.execute(
            "SELECT role FROM session_people WHERE session_id = ? AND person_id = ?",
            [session_id, who],
        ).fetchone()
        if current is not None and (role is None or current[0] == role.value):
            return
        _join(conn, session_id, who, role or PokerRole.VOTER, utc_now())
        ws.log("session", session_id, "joined", f"{name} {(role or PokerRole.VOTER).value}")
        _auto_reveal(ws, conn, session_id)


# --- the queue ---------------------------------------------------------------------------


def _queue(conn: sqlite3.Connection, session_id: int, item_ids: list[int]) -> int:
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
        added = _queue(conn, session_id, item_ids)
        ws.log("session", session_id, "queued", f"{added} items")
        if row["current_item_id"] is None:
            first = _next_after(conn, session_id, None)
            if first is not None:
                _go_to(conn, session_id, first, settings_of(row), utc_now())
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


def _go_to(
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
        _start_round(conn, session_id, item_id, settings, when)
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
        _go_to(conn, session_id, item_id, settings_of(row), utc_now())
        ws.log("session", session_id, "current item", str(item_id))


def next_item(ws: Workspace, session_id: int) -> int | None:
    """Move to the next queued (then parked) item; returns it, or None when none is left."""
    with ws.write() as conn:
        row = open_session_row(ws, conn, session_id, "move to the next item")
        return _advance(ws, conn, session_id, row)


def _advance(
    ws: Workspace,
    conn: sqlite3.Connection,
    session_id: int,
    row: sqlite3.Row,
    following: int | None = None,
    when: str | None = None,
) -> int | None:
    """Make the next item current (`following` if already worked out); None ends the queue."""
    if following is None:
        following = _next_after(conn, session_id, row["current_item_id"])
    if following is None:
        conn.execute("UPDATE sessions SET current_item_id = NULL WHERE id = ?", [session_id])
    else:
        _go_to(conn, session_id, following, settings_of(row), when or utc_now())
    ws.log("session", session_id, "current item", str(following))
    return following


def _next_after(conn: sqlite3.Connection, session_id: int, current: int | None) -> int | None:
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
        following = _next_after(conn, session_id, item_id) if moving_on else None
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
            return _advance(ws, conn, session_id, row, following)
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


# --- rounds and votes --------------------------------------------------------------------


def _start_round(
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
    deck_id = _deck_id(conn, settings.deck)
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


def _current_round(conn: sqlite3.Connection, session_id: int) -> sqlite3.Row:
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


def revote(ws: Workspace, session_id: int, *, at: str | None = None) -> int:
    """Start a new round on the current item (after the reveal); every earlier vote is kept."""
    with ws.write() as conn:
        row = open_session_row(ws, conn, session_id, "start a re-vote")
        current = _current_round(conn, session_id)
        if current["revealed_at"] is None:
            raise InvalidInput("reveal the cards first (r); then a re-vote starts a fresh round")
        round_id = _start_round(
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
        current = _current_round(conn, session_id)
        deck_cards = tuple(json.loads(current["cards"])) if current["cards"] else ()
        deck = settings_of(row).deck if not deck_cards else Deck(name="round", cards=deck_cards)
        if not deck.has(card):
            raise InvalidInput(f"{card} is not a card of this deck ({' '.join(deck.playable)})")
        if current["revealed_at"] is not None and not _facilitates(ws, row):
            raise InvalidInput("the cards are turned; the facilitator can start a re-vote (v)")
        if for_someone_else:
            refuse_if_bound_elsewhere(ws, conn, voter_id, "enter their card")
            own = conn.execute(
                "SELECT 1 FROM votes WHERE round_id = ? AND person_id = ? AND entered_by = ?"
                " COLLATE NOCASE",
                [current["id"], voter_id, voter],
            ).fetchone()
            if own:
                raise InvalidInput(f"{voter} played their own card; only they can change it")
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
        return _auto_reveal(ws, conn, session_id)


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
        current = _current_round(conn, session_id)
        if current["revealed_at"] is not None:
            raise InvalidInput("the cards are turned; the facilitator can start a re-vote (v)")
        conn.execute(
            "DELETE FROM votes WHERE round_id = ? AND person_id = ?", [current["id"], voter_id]
        )
        ws.log("round", current["id"], "vote withdrawn")


def _auto_reveal(ws: Workspace, conn: sqlite3.Connection, session_id: int) -> bool:
    """Turn the cards if the session auto-reveals and every voter has voted."""
    row = _session_row(conn, session_id)
    if not settings_of(row).auto_reveal or row["current_item_id"] is None:
        return False
    current = _current_round(conn, session_id)
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


def reveal(ws: Workspace, session_id: int, *, at: str | None = None) -> None:
    """Turn every card of the current round at once (facilitator only)."""
    with ws.write() as conn:
        open_session_row(ws, conn, session_id, "reveal the cards")
        current = _current_round(conn, session_id)
        if current["revealed_at"] is not None:
            return
        conn.execute(
            "UPDATE estimation_rounds SET revealed_at = ? WHERE id = ?",
            [at or utc_now(), current["id"]],
        )
        ws.log("round", current["id"], "revealed")


def set_timer(ws: Workspace, session_id: int, seconds: int) -> None:
    """Restart the current round's countdown at `seconds` (0 stops it)."""
    if not 0 <= seconds <= 3600:
        raise InvalidInput("a timer runs from 0 to 60 minutes")
    with ws.write() as conn:
        open_session_row(ws, conn, session_id, "set the timer")
        current = _current_round(conn, session_id)
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
        current = _current_round(conn, session_id)
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
        current = _current_round(conn, session_id)
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
        return _advance(ws, conn, session_id, row, when=when)


# --- reading -----------------------------------------------------------------------------


def session_row(ws: Workspace, session_id: int) -> sqlite3.Row:
    """The session with its facilitator's name."""
    row = ws.query_one(
        """SELECT s.id, s.title, s.status, s.started_at, s.ended_at, s.settings, s.summary,
               s.current_item_id, p.name AS facilitator
           FROM sessions s LEFT JOIN people p ON p.id = s.facilitator_id
           WHERE s.id = ? AND s.kind = 'estimation'""",
        [session_id],
    )
    if row is None:
        raise NotFound("that estimation session no longer exists")
    return row


def list_sessions(ws: Workspace, limit: int = 200) -> list[sqlite3.Row]:
    """Estimation sessions, open ones first, newest first, with their item counts."""
    return ws.query(
        """SELECT s.id, s.title, s.status, s.started_at, p.name AS facilitator,
               (SELECT count(*) FROM session_items si WHERE si.session_id = s.id) AS items,
               (SELECT count(*) FROM session_items si WHERE si.session_id = s.id
                    AND si.state = 'done') AS estimated
           FROM sessions s LEFT JOIN people p ON p.id = s.facilitator_id
           WHERE s.kind = 'estimation' ORDER BY s.status != 'open', s.started_at DESC, s.id DESC
           LIMIT ?""",
        [limit],
    )


def queue_rows(ws: Workspace, session_id: int) -> list[sqlite3.Row]:
    """The session's items in queue order, with their estimates and counts."""
    return ws.query(
        """SELECT si.item_id, i.key, i.title, si.state, si.position, i.estimate, si.final_card,
               si.final_estimate, si.rationale, si.notes,
               (SELECT count(*) FROM estimation_rounds r
                    WHERE r.session_id = si.session_id AND r.item_id = si.item_id) AS rounds,
               (SELECT count(*) FROM risks k WHERE k.item_id = si.item_id
                    AND k.status IN ('open', 'owned')) AS open_risks,
               (SELECT max(k.likelihood * k.impact) FROM risks k WHERE k.item_id = si.item_id
                    AND k.status IN ('open', 'owned')) AS worst_risk
           FROM session_items si JOIN items i ON i.id = si.item_id
           WHERE si.session_id = ? AND i.deleted_at IS NULL ORDER BY si.position""",
        [session_id],
    )


def people_rows(ws: Workspace, session_id: int) -> list[sqlite3.Row]:
    """Who takes part, by name."""
    return ws.query(
        """SELECT p.name, sp.role FROM session_people sp JOIN people p ON p.id = sp.person_id
           WHERE sp.session_id = ? ORDER BY p.name COLLATE NOCASE""",
        [session_id],
    )


def round_rows(ws: Workspace, session_id: int, item_id: int) -> list[sqlite3.Row]:
    """Every round on an item in this session, oldest first, with its deck."""
    return ws.query(
        """SELECT r.id, r.number, r.started_at, r.revealed_at, r.timer_seconds,
               r.timer_started_at, d.name AS deck_name, d.cards AS deck_cards
           FROM estimation_rounds r LEFT JOIN decks d ON d.id = r.deck_id
           WHERE r.session_id = ? AND r.item_id = ? ORDER BY r.number""",
        [session_id, item_id],
    )


def vote_rows(ws: Workspace, round_ids: list[int]) -> list[sqlite3.Row]:
    """The votes of these rounds: raw, cards included. Only services may read these."""
    if not round_ids:
        return []
    marks = ", ".join("?" * len(round_ids))
    return ws.query(
        f"""SELECT v.round_id, p.name AS voter, v.card, v.confidence, v.voted_at, v.entered_by
            FROM votes v JOIN people p ON p.id = v.person_id
            WHERE v.round_id IN ({marks}) ORDER BY p.name COLLATE NOCASE""",
        round_ids,
    )


def item_context_row(ws: Workspace, item_id: int) -> sqlite3.Row | None:
    """The fields of an item that matter while estimating it."""
    return ws.query_one(
        """SELECT id, key, title, status, problem, description, acceptance, estimate
           FROM items WHERE id = ?""",
        [item_id],
    )


def option_rows(ws: Workspace, item_id: int) -> list[sqlite3.Row]:
    """An item's options in order."""
    return ws.query(
        "SELECT description, effort, risk, chosen FROM item_options WHERE item_id = ? ORDER BY position",
        [item_id],
    )


def open_risk_rows(ws: Workspace, item_id: int) -> list[sqlite3.Row]:
    """Open risks on an item, highest score first."""
    return ws.query(
        """SELECT id, title, category, likelihood * impact AS score, blocking FROM risks
           WHERE item_id = ? AND status IN ('open', 'owned') ORDER BY score DESC, id""",
        [item_id],
    )


def earlier_notes(ws: Workspace, session_id: int, item_id: int) -> list[sqlite3.Row]:
    """Notes and rationales about this item from other estimation sessions."""
    return ws.query(
        """SELECT s.title, s.started_at, si.notes, si.rationale, si.final_card
           FROM session_items si JOIN sessions s ON s.id = si.session_id
           WHERE si.item_id = ? AND si.session_id != ? AND (si.notes != '' OR si.rationale != '')
           ORDER BY s.started_at DESC LIMIT 5""",
        [item_id, session_id],
    )


def unestimated_item_ids(ws: Workspace, count: int) -> list[int]:
    """The top `count` live, unestimated, not-finished items by rank (epics excluded)."""
    rows = ws.query(
        """SELECT id FROM items WHERE deleted_at IS NULL AND estimate IS NULL
               AND status NOT IN ('done', 'won''t do') AND kind != 'epic'
           ORDER BY rank LIMIT ?""",
        [count],
    )
    return [row[0] for row in rows]


def find_items(ws: Workspace, text: str, limit: int = 50) -> list[sqlite3.Row]:
    """Live items whose key or title contains `text`, unestimated first, by rank."""
    pattern = "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"
    return ws.query(
        """SELECT id, key, title, estimate FROM items
           WHERE deleted_at IS NULL AND status NOT IN ('done', 'won''t do')
               AND (key LIKE ? ESCAPE '!' OR title LIKE ? ESCAPE '!')
           ORDER BY estimate IS NOT NULL, rank LIMIT ?""",
        [pattern, pattern, limit],
    )


def present_in(ws: Workspace, place: str, since: str) -> set[str]:
    """Names of people whose terminal is on `place` and beat since `since`."""
    rows = ws.query(
        """SELECT DISTINCT p.name FROM presence r JOIN people p ON p.id = r.person_id
           WHERE r.place = ? AND r.seen_at >= ?""",
        [place, since],
    )
    return {row[0] for row in rows}
