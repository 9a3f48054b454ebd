"""Retro cards: written (anonymously or not), edited, moved, deleted, grouped into themes, noted."""

from __future__ import annotations

import secrets
import sqlite3
from typing import cast

from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.retro import Phase, check_column, check_theme_title
from planner_tui.domain.stored import texts_of
from planner_tui.store.people import person_id, refuse_if_bound_elsewhere

# --- templates ---------------------------------------------------------------------------
from planner_tui.store.retro_base import open_board
from planner_tui.store.sql import inserted_id
from planner_tui.store.workspace import Workspace, utc_now


def add_card(
    ws: Workspace,
    session_id: int,
    column: str,
    text: str,
    *,
    author: str | None,
    new_writer: bool,
) -> int:
    """Write a card. On an anonymous board `author` is dropped here and never reaches the file.

    Args:
        author: who wrote it on a named board; None for a card from the room.
        new_writer: this is the first card of someone not yet counted among the writers.
    """
    author_id = person_id(ws, author) if author else None
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, phases=(Phase.WRITE,), doing="write cards")
        check_column(texts_of(row["columns"]), column)
        if (
            author_id is not None
            and author is not None
            and author.casefold() != ws.actor.casefold()
        ):
            refuse_if_bound_elsewhere(ws, conn, author_id, "write their cards")
        if not row["anonymous"]:
            card_id = inserted_id(
                conn.execute(
                    "INSERT INTO retro_cards(board_id, column_name, text, author_id, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [row["board_id"], column, text, author_id, utc_now()],
                )
            )
            ws.log("card", card_id, "written")
            return card_id
        card_id = _insert_anonymous(conn, row, column, text)
        ws.log_quietly()
        if new_writer:
            conn.execute(
                "UPDATE retro_boards SET writers = writers + 1 WHERE id = ?", [row["board_id"]]
            )
        return card_id


def _insert_anonymous(conn: sqlite3.Connection, row: sqlite3.Row, column: str, text: str) -> int:
    """A card with nothing that leads to its writer, not even the order of writing.

    No author; the Write phase's start as its time; a random id, so ids do not
    follow the order cards were written in; and no change-log entry, whose
    sequence could be matched against other entries. Other terminals still see
    the commit (`PRAGMA data_version`) and redraw.
    """
    for _ in range(20):
        card_id = secrets.randbelow(2**53 - 1) + 1
        try:
            conn.execute(
                "INSERT INTO retro_cards(id, board_id, column_name, text, author_id, created_at) "
                "VALUES (?, ?, ?, ?, NULL, ?)",
                [card_id, row["board_id"], column, text, row["phase_started_at"]],
            )
        except sqlite3.IntegrityError:
            continue  # that id is taken (one in millions of millions): draw again
        return card_id
    raise InvalidInput("could not file the card; try again")


def card_author(ws: Workspace, card_id: int) -> str | None:
    """Who wrote a card on a named board (None on an anonymous board: nobody knows)."""
    row = ws.query_one(
        "SELECT p.name FROM retro_cards c JOIN people p ON p.id = c.author_id WHERE c.id = ?",
        [card_id],
    )
    return row[0] if row else None


def card_on_board(conn: sqlite3.Connection, board_id: int, card_id: int) -> sqlite3.Row:
    card = conn.execute(
        "SELECT id, column_name, theme_id, author_id FROM retro_cards WHERE id = ? AND board_id = ?",
        [card_id, board_id],
    ).fetchone()
    if card is None:
        raise NotFound("that card is no longer on the board")
    return cast("sqlite3.Row", card)


def edit_card(ws: Workspace, session_id: int, card_id: int, text: str) -> None:
    """Change a card's text (the service checks it is the editor's own card)."""
    with ws.write() as conn:
        row = open_board(
            ws,
            conn,
            session_id,
            phases=(Phase.WRITE, Phase.REVEAL, Phase.GROUP),
            doing="edit cards",
        )
        card_on_board(conn, row["board_id"], card_id)
        conn.execute("UPDATE retro_cards SET text = ? WHERE id = ?", [text, card_id])
        if row["anonymous"]:
            ws.log_quietly()
        else:
            ws.log("card", card_id, "edited")


def delete_card(ws: Workspace, session_id: int, card_id: int) -> None:
    """Take back a card while writing (the service checks it is the writer's own)."""
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, phases=(Phase.WRITE,), doing="take back cards")
        card_on_board(conn, row["board_id"], card_id)
        conn.execute("DELETE FROM retro_cards WHERE id = ?", [card_id])
        if row["anonymous"]:
            ws.log_quietly()
        else:
            ws.log("card", card_id, "deleted")


def _drop_empty_themes(conn: sqlite3.Connection, board_id: int) -> None:
    conn.execute(
        """DELETE FROM retro_themes WHERE board_id = ? AND NOT EXISTS
               (SELECT 1 FROM retro_cards c WHERE c.theme_id = retro_themes.id)""",
        [board_id],
    )


def move_card(ws: Workspace, session_id: int, card_id: int, column: str) -> None:
    """Move a card to another column; it leaves its theme."""
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, phases=(Phase.GROUP,), doing="move cards")
        check_column(texts_of(row["columns"]), column)
        card_on_board(conn, row["board_id"], card_id)
        conn.execute(
            "UPDATE retro_cards SET column_name = ?, theme_id = NULL WHERE id = ?",
            [column, card_id],
        )
        _drop_empty_themes(conn, row["board_id"])
        ws.log("card", card_id, "moved", column)


def group(
    ws: Workspace,
    session_id: int,
    card_id: int,
    *,
    theme_id: int | None = None,
    title: str | None = None,
) -> int:
    """Put a card under an existing theme, or under a new theme titled `title`; returns the theme."""
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, phases=(Phase.GROUP,), doing="group cards")
        card = card_on_board(conn, row["board_id"], card_id)
        if theme_id is None:
            named = check_theme_title(title)
            theme_id = inserted_id(
                conn.execute(
                    "INSERT INTO retro_themes(board_id, column_name, title, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    [row["board_id"], card["column_name"], named, utc_now()],
                )
            )
            column = card["column_name"]
        else:
            theme = conn.execute(
                "SELECT column_name FROM retro_themes WHERE id = ? AND board_id = ?",
                [theme_id, row["board_id"]],
            ).fetchone()
            if theme is None:
                raise NotFound("that theme is no longer on the board")
            column = theme[0]
        conn.execute(
            "UPDATE retro_cards SET theme_id = ?, column_name = ? WHERE id = ?",
            [theme_id, column, card_id],
        )
        _drop_empty_themes(conn, row["board_id"])
        ws.log("theme", theme_id, "card grouped")
        return theme_id


def ungroup(ws: Workspace, session_id: int, card_id: int) -> None:
    """Take a card out of its theme (a theme left empty goes)."""
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, phases=(Phase.GROUP,), doing="ungroup cards")
        card_on_board(conn, row["board_id"], card_id)
        conn.execute("UPDATE retro_cards SET theme_id = NULL WHERE id = ?", [card_id])
        _drop_empty_themes(conn, row["board_id"])
        ws.log("card", card_id, "ungrouped")


def rename_theme(ws: Workspace, session_id: int, theme_id: int, title: str) -> None:
    """Give a theme another title."""
    check_theme_title(title)
    with ws.write() as conn:
        row = open_board(
            ws, conn, session_id, phases=(Phase.GROUP, Phase.DISCUSS), doing="rename themes"
        )
        found = conn.execute(
            "UPDATE retro_themes SET title = ? WHERE id = ? AND board_id = ?",
            [title.strip(), theme_id, row["board_id"]],
        ).rowcount
        if not found:
            raise NotFound("that theme is no longer on the board")
        ws.log("theme", theme_id, "renamed", title)


def set_notes(
    ws: Workspace,
    session_id: int,
    notes: str,
    *,
    card_id: int | None = None,
    theme_id: int | None = None,
) -> None:
    """What the team said about a theme or card while discussing it."""
    with ws.write() as conn:
        row = open_board(
            ws, conn, session_id, phases=(Phase.DISCUSS, Phase.CLOSE), doing="write notes"
        )
        table, target = (
            ("retro_themes", theme_id) if theme_id is not None else ("retro_cards", card_id)
        )
        found = conn.execute(
            f"UPDATE {table} SET notes = ? WHERE id = ? AND board_id = ?",  # table is ours
            [notes, target, row["board_id"]],
        ).rowcount
        if not found:
            raise NotFound("that is no longer on the board")
        ws.log("theme" if theme_id is not None else "card", target, "notes")
