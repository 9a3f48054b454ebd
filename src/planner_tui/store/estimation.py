"""Estimation sessions: the queue, rounds, votes, decks and who takes part.

Every move is one write transaction that checks its rule inside the
transaction (who facilitates, whether the cards are turned), so two
terminals acting at once cannot slip past each other. What the reading
functions return is raw: hiding other people's cards before the reveal is
the service's job (`services.poker`), which is the only way screens read it.
"""

from __future__ import annotations

import sqlite3

from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.estimation import PokerRole, PokerSettings
from planner_tui.store.people import person_id

# --- decks -------------------------------------------------------------------------------
from planner_tui.store.poker_base import auto_reveal, deck_id_of, open_session_row
from planner_tui.store.poker_queue import enqueue, go_to, next_after
from planner_tui.store.presence import is_here
from planner_tui.store.sql import inserted_id
from planner_tui.store.workspace import Workspace, utc_now


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
        deck_id_of(conn, settings.deck)
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
        enqueue(conn, session_id, item_ids)
        ws.log("session", session_id, "started", title)
        first = next_after(conn, session_id, None)
        if first is not None:
            go_to(conn, session_id, first, settings, when)
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
        deck_id_of(conn, settings.deck)
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


def take_over(ws: Workspace, session_id: int, place: str, kind: str = "estimation") -> None:
    """Facilitate in place of a facilitator whose terminal is gone (no live process at `place`)."""
    me = person_id(ws, ws.actor)
    with ws.write() as conn:
        row = open_session_row(ws, conn, session_id, None, kind)
        facilitator = row["facilitator"]
        if (
            facilitator is not None
            and facilitator.casefold() != ws.actor.casefold()
            and is_here(ws, conn, facilitator, place)
        ):
            raise InvalidInput(f"{facilitator} is here and facilitates; ask them to hand over (m)")
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
        auto_reveal(ws, conn, session_id)
