"""Meeting sessions: estimation rounds and votes, retro boards, cards, dot votes, actions."""

from __future__ import annotations

import json

from planner_tui.domain.enums import Confidence
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import NewAction, NewCard, NewRetroBoard, NewSession
from planner_tui.store.people import person_id
from planner_tui.store.sprints import sprint_id_by_name
from planner_tui.store.workspace import Workspace, utc_now


def start_session(ws: Workspace, session: NewSession, *, at: str | None = None) -> int:
    """Open a meeting session with its facilitator."""
    facilitator = person_id(ws, session.facilitator)
    sprint_id = sprint_id_by_name(ws, session.sprint_name) if session.sprint_name else None
    if session.sprint_name and sprint_id is None:
        raise InvalidInput(f"sprint {session.sprint_name} does not exist")
    with ws.write() as conn:
        cursor = conn.execute(
            """INSERT INTO sessions(kind, title, facilitator_id, sprint_id, status, started_at, summary)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [
                session.kind.value,
                session.title,
                facilitator,
                sprint_id,
                session.status.value,
                at or utc_now(),
                session.summary,
            ],
        )
        ws.log("session", cursor.lastrowid, "started", session.title)
        return cursor.lastrowid


def close_session(ws: Workspace, session_id: int, summary: str, *, at: str | None = None) -> None:
    """End a session, keeping its summary."""
    with ws.write() as conn:
        conn.execute(
            "UPDATE sessions SET status = 'closed', ended_at = ?, summary = ? WHERE id = ?",
            [at or utc_now(), summary, session_id],
        )
        ws.log("session", session_id, "closed")


def add_deck(ws: Workspace, name: str, cards: tuple[str, ...], *, builtin: bool = False) -> int:
    """Save a deck of cards under `name` (replacing one of that name)."""
    with ws.write() as conn:
        conn.execute(
            "INSERT INTO decks(name, cards, builtin) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET cards = excluded.cards",
            [name, json.dumps(list(cards), ensure_ascii=False), builtin],
        )
        deck_id = conn.execute("SELECT id FROM decks WHERE name = ?", [name]).fetchone()[0]
        ws.log("deck", deck_id, "saved", name)
        return deck_id


def queue_item(ws: Workspace, session_id: int, item_id: int) -> None:
    """Add an item to the end of an estimation session's queue."""
    with ws.write() as conn:
        position = conn.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM session_items WHERE session_id = ?",
            [session_id],
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO session_items(session_id, item_id, position) VALUES (?, ?, ?)",
            [session_id, item_id, position],
        )
        ws.log("session", session_id, "queued item", str(item_id))


def start_round(
    ws: Workspace, session_id: int, item_id: int, deck_id: int, *, at: str | None = None
) -> int:
    """Open the next voting round on an item."""
    with ws.write() as conn:
        number = conn.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM estimation_rounds WHERE session_id = ? AND item_id = ?",
            [session_id, item_id],
        ).fetchone()[0]
        cursor = conn.execute(
            "INSERT INTO estimation_rounds(session_id, item_id, number, deck_id, started_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [session_id, item_id, number, deck_id, at or utc_now()],
        )
        conn.execute("UPDATE sessions SET current_item_id = ? WHERE id = ?", [item_id, session_id])
        ws.log("round", cursor.lastrowid, "started", f"round {number}")
        return cursor.lastrowid


def cast_vote(
    ws: Workspace,
    round_id: int,
    voter: str,
    card: str,
    confidence: Confidence = Confidence.NORMAL,
    *,
    at: str | None = None,
) -> None:
    """Record (or change, before reveal) one person's card in a round."""
    voter_id = person_id(ws, voter)
    with ws.write() as conn:
        revealed = conn.execute(
            "SELECT revealed_at FROM estimation_rounds WHERE id = ?", [round_id]
        ).fetchone()
        if revealed is None:
            raise NotFound("that round no longer exists")
        if revealed[0] is not None:
            raise InvalidInput("the cards are already revealed; start a re-vote to vote again")
        conn.execute(
            """INSERT INTO votes(round_id, person_id, card, confidence, voted_at, entered_by)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT(round_id, person_id) DO UPDATE SET card = excluded.card,
                   confidence = excluded.confidence, voted_at = excluded.voted_at,
                   entered_by = excluded.entered_by""",
            [round_id, voter_id, card, confidence.value, at or utc_now(), ws.actor],
        )
        ws.log("round", round_id, "voted")


def reveal_round(ws: Workspace, round_id: int, *, at: str | None = None) -> None:
    """Turn all cards of a round at once."""
    with ws.write() as conn:
        conn.execute(
            "UPDATE estimation_rounds SET revealed_at = ? WHERE id = ? AND revealed_at IS NULL",
            [at or utc_now(), round_id],
        )
        ws.log("round", round_id, "revealed")


def accept_estimate(
    ws: Workspace, session_id: int, item_id: int, estimate: float, card: str, rationale: str = ""
) -> None:
    """Write the agreed estimate to the session record and to the backlog item."""
    with ws.write() as conn:
        conn.execute(
            """UPDATE session_items SET state = 'done', final_estimate = ?, final_card = ?, rationale = ?
               WHERE session_id = ? AND item_id = ?""",
            [estimate, card, rationale, session_id, item_id],
        )
        conn.execute(
            "UPDATE items SET estimate = ?, updated_at = ?, updated_by = ? WHERE id = ?",
            [estimate, utc_now(), ws.actor, item_id],
        )
        ws.log("item", item_id, "estimated", card)


def add_retro_board(
    ws: Workspace, session_id: int, board: NewRetroBoard, *, sprint_id: int | None = None
) -> int:
    """Create the board of a retro session."""
    with ws.write() as conn:
        cursor = conn.execute(
            """INSERT INTO retro_boards(session_id, sprint_id, template, columns, anonymous,
                   votes_per_person, several_votes_per_card, phase, phase_started_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                session_id,
                sprint_id,
                board.template,
                json.dumps(list(board.columns), ensure_ascii=False),
                board.anonymous,
                board.votes_per_person,
                board.several_votes_per_card,
                board.phase,
                utc_now(),
            ],
        )
        ws.log("retro", cursor.lastrowid, "board created", board.template)
        return cursor.lastrowid


def set_board_phase(ws: Workspace, board_id: int, phase: str) -> None:
    """Move a board to another phase."""
    with ws.write() as conn:
        conn.execute(
            "UPDATE retro_boards SET phase = ?, phase_started_at = ? WHERE id = ?",
            [phase, utc_now(), board_id],
        )
        ws.log("retro", board_id, "phase", phase)


def add_card(ws: Workspace, board_id: int, card: NewCard, *, at: str | None = None) -> int:
    """Add a card. On an anonymous board no author is stored, whatever is passed."""
    board = ws.query_one("SELECT anonymous, columns FROM retro_boards WHERE id = ?", [board_id])
    if board is None:
        raise NotFound("that board no longer exists")
    if card.column not in json.loads(board[1]):
        raise InvalidInput(f"the board has no column {card.column!r}")
    author_id = None if board[0] or card.author is None else person_id(ws, card.author)
    with ws.write() as conn:
        cursor = conn.execute(
            "INSERT INTO retro_cards(board_id, column_name, text, author_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [board_id, card.column, card.text, author_id, at or utc_now()],
        )
        ws.log("retro", board_id, "card added")
        return cursor.lastrowid


def add_dot_vote(ws: Workspace, board_id: int, voter: str, card_id: int) -> None:
    """Put one of `voter`'s dots on a card."""
    voter_id = person_id(ws, voter)
    with ws.write() as conn:
        conn.execute(
            "INSERT INTO retro_votes(board_id, voter_id, card_id, at) VALUES (?, ?, ?, ?)",
            [board_id, voter_id, card_id, utc_now()],
        )
        ws.log("retro", board_id, "dot vote")


def add_action(
    ws: Workspace,
    action: NewAction,
    *,
    board_id: int | None = None,
    card_id: int | None = None,
    at: str | None = None,
) -> int:
    """Record an action item, linked to the board and card that prompted it."""
    owner_id = person_id(ws, action.owner) if action.owner else None
    when = at or utc_now()
    with ws.write() as conn:
        cursor = conn.execute(
            """INSERT INTO action_items(text, owner_id, due_date, status, board_id, card_id,
                   created_at, created_by, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                action.text,
                owner_id,
                action.due.isoformat() if action.due else None,
                action.status.value,
                board_id,
                card_id,
                when,
                ws.actor,
                when,
            ],
        )
        ws.log("action", cursor.lastrowid, "added", action.text)
        return cursor.lastrowid
