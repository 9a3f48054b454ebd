"""Whole tables out: the dump every export reads, and what a workspace's tables are.

The dump is lossless except for what a running meeting keeps hidden (an unrevealed
poker card, a retro card before the reveal, hidden dots, ratings before the end):
those rows are left out here, for every export, and counted. The way back in is
`store/restore.py` (a whole workspace) and `store/bulk_import.py` (items).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner_tui.domain.enums import SessionStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.exchange import Withheld
from planner_tui.domain.poker import vote_hidden
from planner_tui.domain.retro import Phase, cards_hidden, dots_hidden, ratings_hidden
from planner_tui.store.retro_base import settings_of
from planner_tui.store.workspace import Workspace

TABLES = (
    "meta",
    "people",
    "decks",
    "retro_templates",
    "items",
    "item_options",
    "sprints",
    "sprint_capacity",
    "sprint_items",
    "sprint_events",
    "sessions",
    "session_people",
    "session_items",
    "estimation_rounds",
    "votes",
    "risks",
    "risk_events",
    "retro_boards",
    "retro_themes",
    "retro_cards",
    "retro_votes",
    "retro_ratings",
    "action_items",
    "action_reviews",
)
"""What a workspace holds, parents before children. Left out: the change log, who is
here now, the item and risk tallies (kept by triggers) and the migration record."""

REPLACED_ON_RESTORE = ("meta", "people", "decks", "retro_templates")
"""Tables an empty workspace may already have rows in (its settings, the person who
opened it): a restore replaces them."""

Progress = Callable[[int], None]

_BOARDS = "SELECT id FROM retro_boards WHERE session_id = :id"
_SESSION_SCOPE = {
    "sessions": "id = :id",
    "session_people": "session_id = :id",
    "session_items": "session_id = :id",
    "estimation_rounds": "session_id = :id",
    "votes": "round_id IN (SELECT id FROM estimation_rounds WHERE session_id = :id)",
    "retro_boards": "session_id = :id",
    "retro_themes": f"board_id IN ({_BOARDS})",
    "retro_cards": f"board_id IN ({_BOARDS})",
    "retro_votes": f"board_id IN ({_BOARDS})",
    "retro_ratings": f"board_id IN ({_BOARDS})",
    "action_items": f"board_id IN ({_BOARDS})",
    "action_reviews": f"board_id IN ({_BOARDS})",
    "risks": "sprint_id = (SELECT sprint_id FROM sessions WHERE id = :id AND kind = 'planning')",
}
_SPRINT_RISKS = (
    "sprint_id = :id OR item_id IN (SELECT item_id FROM sprint_items WHERE sprint_id = :id)"
)
_SPRINT_SCOPE = {
    "sprints": "id = :id",
    "sprint_capacity": "sprint_id = :id",
    "sprint_items": "sprint_id = :id",
    "sprint_events": "sprint_id = :id",
    "sessions": "sprint_id = :id AND kind = 'planning'",
    "risks": _SPRINT_RISKS,
    "risk_events": f"risk_id IN (SELECT id FROM risks WHERE {_SPRINT_RISKS})",
}
SCOPES = {"session": _SESSION_SCOPE, "sprint": _SPRINT_SCOPE}


def columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info('{table}')")]


def _parents(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(column, parent table) of each foreign key of `table` that points at an `id`."""
    return [
        (row[3], row[2])
        for row in conn.execute(f"PRAGMA foreign_key_list('{table}')")
        if row[4] == "id"
    ]


def _references(conn: sqlite3.Connection, table: str) -> list[tuple[str, str, str]]:
    """(column, parent table, ON DELETE rule) of each foreign key of `table` to an `id`."""
    return [
        (row[3], row[2], row[6].upper())
        for row in conn.execute(f"PRAGMA foreign_key_list('{table}')")
        if row[4] == "id"
    ]


@dataclass(frozen=True)
class Dump:
    """What an export may hold: every table's columns and rows, and what was withheld."""

    tables: dict[str, dict[str, Any]]
    """Each table's `columns` and `rows`, parents before children."""
    withheld: Withheld = field(default_factory=Withheld)
    """How many rows a running meeting keeps hidden were left out."""


def dump(
    ws: Workspace,
    scope: str = "workspace",
    scope_id: int | None = None,
    tables: tuple[str, ...] = TABLES,
    progress: Progress | None = None,
) -> Dump:
    """Every table's columns and rows (ordered as stored) for the whole workspace or one
    session or sprint, with the rows those point at (people, items, decks...) so the
    part stands on its own.

    What a running meeting keeps hidden is left out, for everyone (`_withhold`): an
    export is a file others may read. With `tables`, only those (for the whole
    workspace: a CSV needs only items). `progress` hears the rows read so far, every
    few thousand.

    Raises:
        InvalidInput: the session or sprint does not exist.
    """
    with ws.lock:
        conn = ws.conn
        if scope == "workspace":
            cursor = conn.cursor()
            cursor.row_factory = None  # plain tuples: a third of the time of sqlite3.Row
            picked: dict[str, list[Any]] = {table: [] for table in TABLES}
            done = 0
            for table in tables:
                cursor.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid")
                while batch := cursor.fetchmany(5_000):
                    picked[table].extend(batch)
                    done += len(batch)
                    if progress:
                        progress(done)
        else:
            where = SCOPES[scope]
            first = "sessions" if scope == "session" else "sprints"
            if not conn.execute(f"SELECT 1 FROM {first} WHERE id = ?", [scope_id]).fetchone():
                raise InvalidInput(f"there is no {scope} {scope_id} in this workspace")
            picked = {
                table: conn.execute(
                    f"SELECT rowid, * FROM {table} WHERE {where[table]}", {"id": scope_id}
                ).fetchall()
                if table in where
                else []
                for table in TABLES
            }
            picked["meta"] = conn.execute("SELECT rowid, * FROM meta ORDER BY rowid").fetchall()
            _close_over_parents(conn, picked)
        # The count of anonymous cards' writes only tells other terminals to redraw; the
        # generation tells this file's fillings apart (a restore makes a new one).
        picked["meta"] = [
            row for row in picked["meta"] if row[1] not in ("quiet_writes", "generation")
        ]
        withheld = _withhold(conn, picked)
        return Dump(
            {
                table: {
                    "columns": columns_of(conn, table),
                    "rows": [row[1:] for row in sorted(picked[table], key=lambda r: r[0])],
                }
                for table in TABLES
            },
            withheld,
        )


def _hidden_now(conn: sqlite3.Connection) -> dict[str, tuple[str, set[int]]]:
    """For each table whose rows a running meeting may keep hidden: the column naming the
    round or board, and the rounds or boards whose rows are hidden now (the domain's rules).
    """
    rounds = {
        round_id
        for round_id, revealed_at, status in conn.execute(
            """SELECT r.id, r.revealed_at, s.status FROM estimation_rounds r
               JOIN sessions s ON s.id = r.session_id"""
        )
        if vote_hidden(revealed=revealed_at is not None, running=status == SessionStatus.OPEN)
    }
    card_boards: set[int] = set()
    dot_boards: set[int] = set()
    rating_boards: set[int] = set()
    for board_id, phase, hide_totals, status, settings in conn.execute(
        """SELECT b.id, b.phase, b.hide_totals, s.status, s.settings FROM retro_boards b
           JOIN sessions s ON s.id = b.session_id"""
    ):
        running = status == SessionStatus.OPEN
        try:
            at = Phase(phase)
        except ValueError:  # a phase we do not know (a hand-edited file): hide what it holds
            at = Phase.WRITE
        # The screens read the session's settings; the board's own column says the same,
        # unless the file was edited by hand: either asking to hide is enough.
        hide = bool(hide_totals) or settings_of({"settings": settings}).hide_totals
        if cards_hidden(at, running=running):
            card_boards.add(board_id)
        if dots_hidden(at, hide, running=running):
            dot_boards.add(board_id)
        if ratings_hidden(running=running):
            rating_boards.add(board_id)
    return {
        "votes": ("round_id", rounds),
        "retro_cards": ("board_id", card_boards),
        "retro_themes": ("board_id", card_boards),
        "retro_votes": ("board_id", dot_boards),
        "retro_ratings": ("board_id", rating_boards),
    }


def _withhold(conn: sqlite3.Connection, picked: dict[str, list[Any]]) -> Withheld:
    """Take out of `picked` the rows a running meeting keeps hidden, and count them.

    A row that points at a withheld row follows the schema's own ON DELETE rule, so
    the dump stays whole and restores cleanly: an action item prompted by a hidden
    card keeps its text but loses the link (SET NULL); dots on a hidden card go with
    it (CASCADE). The hidden rows are found in the file, not in `picked`, so a link
    to one is cut even when its table was not asked for.
    """
    hidden = _hidden_now(conn)
    if not any(parents for _, parents in hidden.values()):
        return Withheld()
    counts: Counter[str] = Counter()
    gone: dict[str, set[int]] = {}
    for table, (column, parents) in hidden.items():
        if not parents:
            continue
        marks = ", ".join("?" * len(parents))
        if "id" in columns_of(conn, table):
            gone[table] = {
                row[0]
                for row in conn.execute(
                    f"SELECT id FROM {table} WHERE {column} IN ({marks})", sorted(parents)
                )
            }
        at = columns_of(conn, table).index(column) + 1  # +1: the rowid comes first
        kept = [row for row in picked[table] if row[at] not in parents]
        counts[table] += len(picked[table]) - len(kept)
        picked[table] = kept
    followed = True
    while followed:
        followed = False
        for table in TABLES:
            columns = columns_of(conn, table)
            for column, parent, on_delete in _references(conn, table):
                ids = gone.get(parent)
                if not ids or not picked[table]:
                    continue
                at = columns.index(column) + 1
                if on_delete == "SET NULL":
                    picked[table] = [
                        (*row[:at], None, *row[at + 1 :]) if row[at] in ids else row
                        for row in picked[table]
                    ]
                    continue
                dropped = [row for row in picked[table] if row[at] in ids]
                if not dropped:
                    continue
                picked[table] = [row for row in picked[table] if row[at] not in ids]
                counts[table] += len(dropped)
                if "id" in columns:
                    where = columns.index("id") + 1
                    gone.setdefault(table, set()).update(row[where] for row in dropped)
                    followed = True
    return Withheld(**counts)


def _close_over_parents(conn: sqlite3.Connection, picked: dict[str, list[Any]]) -> None:
    """Add the rows that picked rows point at, and what those point at, until none is missing."""
    while True:
        wanted: dict[str, set[int]] = {}
        for table in TABLES:
            columns = columns_of(conn, table)
            for column, parent in _parents(conn, table):
                index = columns.index(column) + 1  # +1: the rowid comes first
                have = {row[1] for row in picked[parent]} if parent != "meta" else set()
                for row in picked[table]:
                    value = row[index]
                    if value is not None and value not in have:
                        wanted.setdefault(parent, set()).add(value)
        if not wanted:
            return
        for parent, ids in wanted.items():
            marks = ", ".join("?" * len(ids))
            picked[parent] = (
                picked[parent]
                + conn.execute(
                    f"SELECT rowid, * FROM {parent} WHERE id IN ({marks})", sorted(ids)
                ).fetchall()
            )


def count_rows(ws: Workspace, tables: tuple[str, ...] = TABLES) -> int:
    """How many rows `tables` hold together (for a progress bar's length)."""
    return sum(ws.row(f"SELECT count(*) FROM {table}")[0] for table in tables)


def is_empty(ws: Workspace) -> bool:
    """True when the workspace holds no work yet: no items, sprints, sessions, risks, actions."""
    return not ws.row(
        """SELECT EXISTS(SELECT 1 FROM items) OR EXISTS(SELECT 1 FROM sprints)
               OR EXISTS(SELECT 1 FROM sessions) OR EXISTS(SELECT 1 FROM risks)
               OR EXISTS(SELECT 1 FROM action_items)"""
    )[0]


# --- items in bulk -------------------------------------------------------------------------

"""One encoder for every item's tags: `json.dumps` with options builds a new one per call."""


def exportable_parts(ws: Workspace) -> tuple[list[sqlite3.Row], list[sqlite3.Row]]:
    """(sessions, sprints) that `export --session` / `--sprint` take, newest first: each
    with its id, kind or status, title or name, and when it began."""
    sessions = ws.query(
        "SELECT id, kind, title, status, substr(started_at, 1, 10) AS day FROM sessions "
        "ORDER BY started_at DESC, id DESC"
    )
    sprints = ws.query(
        "SELECT id, name, status, start_date, end_date FROM sprints "
        "ORDER BY start_date DESC, id DESC"
    )
    return sessions, sprints
