"""What the retro screens and exports read: boards, cards, themes, votes, actions, ratings."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planner_tui.domain.errors import NotFound

# --- templates ---------------------------------------------------------------------------
from planner_tui.store.retro_base import BOARD
from planner_tui.store.workspace import Workspace


def board_row(ws: Workspace, session_id: int) -> sqlite3.Row:
    """The retro session with its board."""
    row = ws.query_one(BOARD, [session_id])
    if row is None:
        raise NotFound("that retro no longer exists")
    return row


def list_retros(ws: Workspace, limit: int = 200) -> list[sqlite3.Row]:
    """Retros, running ones first, newest first, with their card and action counts."""
    return ws.query(
        """SELECT s.id AS session_id, s.title, s.status, s.started_at, p.name AS facilitator,
               b.phase, b.columns,
               (SELECT count(*) FROM retro_cards c WHERE c.board_id = b.id) AS cards,
               (SELECT count(*) FROM action_items a WHERE a.board_id = b.id) AS actions
           FROM sessions s JOIN retro_boards b ON b.session_id = s.id
           LEFT JOIN people p ON p.id = s.facilitator_id
           WHERE s.kind = 'retro' ORDER BY s.status != 'open', s.started_at DESC, s.id DESC
           LIMIT ?""",
        [limit],
    )


_CARDS = """SELECT c.id, c.column_name AS column, c.text, c.theme_id, c.notes,
        p.name AS author
    FROM retro_cards c LEFT JOIN people p ON p.id = c.author_id"""


def card_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """Every card of the board, oldest first, with its author's name where there is one."""
    return ws.query(f"{_CARDS} WHERE c.board_id = ? ORDER BY c.id", [board_id])


def themed_card_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """The cards grouped under the board's themes, oldest first."""
    return ws.query(
        f"""{_CARDS} WHERE c.theme_id IN (SELECT id FROM retro_themes WHERE board_id = ?)
            ORDER BY c.id""",
        [board_id],
    )


def cards_by_id(ws: Workspace, board_id: int, ids: Sequence[int]) -> list[sqlite3.Row]:
    """These cards of the board (those still on it)."""
    marks = ", ".join("?" * len(ids))
    return ws.query(f"{_CARDS} WHERE c.board_id = ? AND c.id IN ({marks})", [board_id, *ids])


@dataclass(frozen=True)
class Loose:
    """Which cards of a column are listed one by one, in order of writing: those in no
    theme, or (`own` given, while the rest are hidden) those written by `own`'s people
    ids or with `own`'s card ids, grouped or not; less `skip`, listed before them."""

    board_id: int
    column: str
    own: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    skip: tuple[int, ...] = ()

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition on `c` and its parameters."""
        sql, params = "c.board_id = ? AND c.column_name = ?", [self.board_id, self.column]
        if self.own is None:
            sql += " AND c.theme_id IS NULL"
        else:
            people, cards = self.own
            sql += (
                f" AND (c.author_id IN ({', '.join('?' * len(people))})"
                f" OR c.id IN ({', '.join('?' * len(cards))}))"
            )
            params += [*people, *cards]
        if self.skip:
            sql += f" AND c.id NOT IN ({', '.join('?' * len(self.skip))})"
            params += self.skip
        return sql, params


def loose_rows(ws: Workspace, loose: Loose, offset: int, limit: int) -> list[sqlite3.Row]:
    """`limit` of the column's loose cards from the `offset`th on."""
    where, params = loose.where()
    return ws.query(
        f"{_CARDS} WHERE {where} ORDER BY c.id LIMIT ? OFFSET ?", [*params, limit, offset]
    )


def loose_count(ws: Workspace, loose: Loose) -> int:
    """How many loose cards the column has."""
    where, params = loose.where()
    row = ws.query_one(f"SELECT count(*) FROM retro_cards c WHERE {where}", params)
    return row[0] if row else 0


def loose_position(ws: Workspace, loose: Loose, card_id: int) -> int | None:
    """Where the card is among the column's loose cards in order of writing, if there."""
    where, params = loose.where()
    row = ws.query_one(
        f"""SELECT (SELECT count(*) FROM retro_cards c WHERE {where} AND c.id < ?)
            WHERE EXISTS (SELECT 1 FROM retro_cards c WHERE {where} AND c.id = ?)""",
        [*params, card_id, *params, card_id],
    )
    return row[0] if row else None


def column_counts(ws: Workspace, board_id: int) -> dict[str, int]:
    """Cards per column."""
    rows = ws.query(
        "SELECT column_name, count(*) FROM retro_cards WHERE board_id = ? GROUP BY column_name",
        [board_id],
    )
    return {row[0]: row[1] for row in rows}


def card_places(ws: Workspace, board_id: int, ids: Sequence[int]) -> list[sqlite3.Row]:
    """Column and theme of these cards (the voted ones: few)."""
    marks = ", ".join("?" * len(ids))
    return ws.query(
        f"SELECT id, column_name AS column, theme_id FROM retro_cards "
        f"WHERE board_id = ? AND id IN ({marks})",
        [board_id, *ids],
    )


def theme_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """The board's themes, oldest first."""
    return ws.query(
        "SELECT id, column_name AS column, title, notes FROM retro_themes "
        "WHERE board_id = ? ORDER BY id",
        [board_id],
    )


def vote_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """Dots per target and voter."""
    return ws.query(
        """SELECT v.card_id, v.theme_id, p.name AS voter, count(*) AS dots
           FROM retro_votes v JOIN people p ON p.id = v.voter_id
           WHERE v.board_id = ? GROUP BY v.card_id, v.theme_id, v.voter_id""",
        [board_id],
    )


_ACTIONS = """SELECT a.id, a.text, p.name AS owner, a.due_date, a.status, a.created_at,
        coalesce(s.title, '') AS origin, s.id AS session_id,
        coalesce(t.title, c.text, '') AS prompted_by
    FROM action_items a
    LEFT JOIN people p ON p.id = a.owner_id
    LEFT JOIN retro_boards b ON b.id = a.board_id
    LEFT JOIN sessions s ON s.id = b.session_id
    LEFT JOIN retro_themes t ON t.id = a.theme_id
    LEFT JOIN retro_cards c ON c.id = a.card_id"""


def review_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """The earlier actions this board reviews, with what was decided."""
    return ws.query(
        f"""SELECT x.*, r.decision, r.decided_by, r.note FROM action_reviews r
            JOIN ({_ACTIONS}) x ON x.id = r.action_id
            WHERE r.board_id = ? ORDER BY x.due_date IS NULL, x.due_date, x.id""",
        [board_id],
    )


def action_rows(ws: Workspace, board_id: int | None = None) -> list[sqlite3.Row]:
    """Action items of one board, or of every board (open first, then by due date)."""
    if board_id is not None:
        return ws.query(f"{_ACTIONS} WHERE a.board_id = ? ORDER BY a.id", [board_id])
    return ws.query(
        f"""{_ACTIONS} ORDER BY a.status NOT IN ('open', 'in progress'),
                a.due_date IS NULL, a.due_date, a.id"""
    )


def rating_rows(ws: Workspace, board_id: int) -> list[sqlite3.Row]:
    """Each person's rating of the retro."""
    return ws.query(
        """SELECT p.name, r.rating FROM retro_ratings r JOIN people p ON p.id = r.person_id
           WHERE r.board_id = ?""",
        [board_id],
    )


def named_writers(ws: Workspace, board_id: int) -> int:
    """How many people wrote cards on a named board."""
    row = ws.query_one(
        "SELECT count(DISTINCT author_id) FROM retro_cards WHERE board_id = ?", [board_id]
    )  # (off the retro_cards_author index)
    return row[0] if row else 0
