"""Meeting sessions: estimation rounds and votes, retro boards, cards, dot votes, actions."""

from __future__ import annotations

import json

from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import NewAction, NewCard, NewRetroBoard, NewSession
from planner_tui.domain.stored import texts_of
from planner_tui.store.people import person_id
from planner_tui.store.sprint_reads import sprint_id_by_name
from planner_tui.store.sql import inserted_id
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
        ws.log("session", inserted_id(cursor), "started", session.title)
        return inserted_id(cursor)


def close_session(ws: Workspace, session_id: int, summary: str, *, at: str | None = None) -> None:
    """End a session, keeping its summary."""
    with ws.write() as conn:
        conn.execute(
            "UPDATE sessions SET status = 'closed', ended_at = ?, summary = ? WHERE id = ?",
            [at or utc_now(), summary, session_id],
        )
        ws.log("session", session_id, "closed")


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
        ws.log("retro", inserted_id(cursor), "board created", board.template)
        return inserted_id(cursor)


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
    if card.column not in texts_of(board[1]):
        raise InvalidInput(f"the board has no column {card.column!r}")
    author_id = None if board[0] or card.author is None else person_id(ws, card.author)
    with ws.write() as conn:
        cursor = conn.execute(
            "INSERT INTO retro_cards(board_id, column_name, text, author_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [board_id, card.column, card.text, author_id, at or utc_now()],
        )
        ws.log("retro", board_id, "card added")
        return inserted_id(cursor)


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
        ws.log("action", inserted_id(cursor), "added", action.text)
        return inserted_id(cursor)
