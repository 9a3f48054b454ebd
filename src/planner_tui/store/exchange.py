"""Whole tables in and out: the dump every export reads, the restore, and items imported in bulk.

The dump is lossless except for what a running meeting keeps hidden (an unrevealed
poker card, a retro card before the reveal, hidden dots, ratings before the end):
those rows are left out here, for every export, and counted. Restore and import
run as one transaction: one that fails (or is interrupted) leaves the workspace as
it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from planner_tui.domain.enums import SessionStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.exchange import ImportedItem, ImportSummary, Withheld
from planner_tui.domain.poker import vote_hidden
from planner_tui.domain.retro import Phase, cards_hidden, dots_hidden, ratings_hidden
from planner_tui.store.retro import settings_of
from planner_tui.store.workspace import Workspace, utc_now

RANK_STEP = 1024

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
here now, the item tally (kept by triggers) and the migration record."""

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


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
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
        withheld = _withhold(conn, picked)
        return Dump(
            {
                table: {
                    "columns": _columns(conn, table),
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
        if "id" in _columns(conn, table):
            gone[table] = {
                row[0]
                for row in conn.execute(
                    f"SELECT id FROM {table} WHERE {column} IN ({marks})", sorted(parents)
                )
            }
        at = _columns(conn, table).index(column) + 1  # +1: the rowid comes first
        kept = [row for row in picked[table] if row[at] not in parents]
        counts[table] += len(picked[table]) - len(kept)
        picked[table] = kept
    followed = True
    while followed:
        followed = False
        for table in TABLES:
            columns = _columns(conn, table)
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
            columns = _columns(conn, table)
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


def restore(
    ws: Workspace, tables: dict[str, dict[str, Any]], progress: Progress | None = None
) -> int:
    """Write a dump into an empty workspace, ids and all; returns the rows written.

    Raises:
        InvalidInput: the workspace holds work already, or the dump names a table or
            column this workspace does not have.
    """
    written = 0
    with ws.write() as conn:
        if not is_empty(ws):
            raise InvalidInput(
                "a JSON export is restored whole into an empty workspace only; "
                "import it into a new file, or import just its items with --format csv"
            )
        conn.execute("PRAGMA defer_foreign_keys = ON")
        for table in REPLACED_ON_RESTORE:
            conn.execute(f"DELETE FROM {table}")
        for table in TABLES:
            part = tables.get(table)
            if not part:
                continue
            columns = list(part["columns"])
            known = set(_columns(conn, table))
            unknown = [c for c in columns if c not in known]
            if unknown:
                raise InvalidInput(f"table {table} has no column {unknown[0]!r} here")
            _check_types(conn, table, columns, part["rows"])
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table}({names}) VALUES ({marks})"
            for chunk in _chunks(part["rows"], 20_000):
                if table == "items":
                    _insert_items(conn, sql, chunk)
                else:
                    conn.executemany(sql, chunk)
                written += len(chunk)
                if progress:
                    progress(written)
        # Accounts belong to the machine the file came from (uid 1001 there is someone
        # else here): every name is free again, taken by its first user on this machine.
        conn.execute("UPDATE people SET bound_to = NULL, bound_at = NULL")
        conn.execute("DELETE FROM meta WHERE key LIKE 'account %'")
        ws.log("workspace", None, "restored", f"{written} rows")
    return written


_TYPES = {"INTEGER": (int,), "REAL": (int, float), "TEXT": (str,)}


def _check_types(conn: sqlite3.Connection, table: str, columns: list[str], rows: list[Any]) -> None:
    """Refuse a row whose length or value types do not fit the table (a hand-edited file)."""
    declared = {row[1]: (row[2].upper(), bool(row[3])) for row in conn.execute(
        f"PRAGMA table_info('{table}')")}  # fmt: skip
    checks = [(index, _TYPES.get(declared[name][0]), declared[name][1], name)
              for index, name in enumerate(columns)]  # fmt: skip
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            raise InvalidInput(f"{table}, row {number}: it has not one value per column")
        for index, types, required, name in checks:
            value = row[index]
            if value is None:
                if required:
                    raise InvalidInput(f"{table}, row {number}, {name}: a value is needed")
            elif types and (isinstance(value, bool) or not isinstance(value, types)):
                raise InvalidInput(
                    f"{table}, row {number}, {name}: {value!r:.40} is the wrong type"
                )


BULK = 5_000
"""From this many new items, the per-row tally trigger is set aside and the tally counted once."""


def _insert_items(conn: sqlite3.Connection, sql: str, rows: list[Any]) -> None:
    """Insert item rows; many at once without the per-row tally trigger, recounted after.

    The trigger keeps `item_tally` (the home screen's counts) in step one row at a
    time, which is half the cost of a 100,000-row insert. Dropping it inside the
    transaction and counting afresh at the end gives the same tally; a failure rolls
    the drop back with everything else.
    """
    if len(rows) < BULK:
        conn.executemany(sql, rows)
        return
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'items_tally_insert'"
    ).fetchone()
    conn.execute("DROP TRIGGER IF EXISTS items_tally_insert")
    conn.executemany(sql, rows)
    if trigger is not None:
        conn.execute(trigger[0])
    conn.execute("DELETE FROM item_tally")
    conn.execute(
        """INSERT INTO item_tally(status, items, estimated, points)
           SELECT status, count(*), count(estimate), coalesce(sum(estimate), 0)
           FROM items WHERE deleted_at IS NULL GROUP BY status"""
    )


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# --- items in bulk -------------------------------------------------------------------------

_COMPARED = ("title", "kind", "status", "description", "acceptance", "problem", "value",
             "estimate", "tags", "external_url")  # fmt: skip


OWN_SOURCES = frozenset({"csv", "planner"})
"""Sources of our own exports, whose external keys are this workspace's item keys."""

_KEPT_WHEN_EMPTY = tuple(
    index
    for index, name in enumerate(_COMPARED)
    if name in ("description", "acceptance", "problem", "value", "estimate", "tags", "external_url")
)


def _kept(incoming: tuple[Any, ...], here: tuple[Any, ...]) -> tuple[Any, ...]:
    """`incoming`, except that an empty field in the file keeps what the workspace has.

    An estimate made in planning must survive re-importing a tracker export whose
    story points are blank; a value the file does set still wins.
    """
    values = list(incoming)
    for index in _KEPT_WHEN_EMPTY:
        if values[index] in (None, "", "[]") and here[index] not in (None, "", "[]"):
            values[index] = here[index]
    return tuple(values)


_encode = json.JSONEncoder(ensure_ascii=False).encode
"""One encoder for every item's tags: `json.dumps` with options builds a new one per call."""


def _stored(item: ImportedItem) -> tuple[Any, ...]:
    """The compared columns of `item` as the items table keeps them."""
    return (
        item.title,
        item.kind.value,
        item.status.value,
        item.description,
        item.acceptance,
        item.problem,
        item.value,
        item.estimate,
        _encode(list(item.tags)) if item.tags else "[]",
        item.external_url,
    )


def import_items(
    ws: Workspace,
    items: Iterable[ImportedItem],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Add new items at the bottom of the backlog and update the ones imported before.

    An item matches one already here by its source and external key, so importing
    the same file again updates rather than duplicates. Parents are linked by their
    external key within the same source. All in one transaction; with `dry_run`,
    nothing is written and the summary says what would be.
    """
    items = list(items)
    with ws.write() as conn:
        summary = _import(ws, conn, items, progress)
        if dry_run:
            conn.execute("ROLLBACK")
            conn.execute("BEGIN IMMEDIATE")  # ws.write commits an empty transaction
    return summary


def _import(
    ws: Workspace, conn: sqlite3.Connection, items: list[ImportedItem], progress: Progress | None
) -> ImportSummary:
    sources = sorted({item.source for item in items})
    existing: dict[tuple[str, str], tuple[Any, ...]] = {}
    columns_read = f"source, external_key, id, key, {', '.join(_COMPARED)}, parent_id"
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: much cheaper than sqlite3.Row at this size
    for source in sources:
        for row in cursor.execute(
            f"SELECT {columns_read} FROM items WHERE source = ? AND deleted_at IS NULL", [source]
        ):
            existing.setdefault((row[0], row[1]), row[2:])
    if OWN_SOURCES & set(sources):  # our own files name items by their key here
        for row in cursor.execute(f"SELECT {columns_read} FROM items WHERE deleted_at IS NULL"):
            for source in OWN_SOURCES:
                existing.setdefault((source, row[3]), row[2:])
    prefix_row = conn.execute("SELECT value FROM meta WHERE key = 'key_prefix'").fetchone()
    prefix = prefix_row[0] if prefix_row else "PLN"
    next_id = (conn.execute("SELECT max(id) FROM items").fetchone()[0] or 0) + 1
    rank = conn.execute("SELECT max(rank) FROM items").fetchone()[0] or 0
    now = utc_now()
    new_rows: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    added: list[str] = []
    updated: list[str] = []
    unchanged = 0
    ids: dict[tuple[str, str], int] = {key: found[0] for key, found in existing.items()}
    seen: set[tuple[str, str]] = set()
    for done, item in enumerate(items, start=1):
        match = (item.source, item.external_key)
        if match in seen:
            continue  # the same key twice in one file: the first one counts
        seen.add(match)
        values = _stored(item)
        found = existing.get(match)
        here = found[2:-1] if found is not None else ()
        if found is not None and values != here:
            values = _kept(values, here)
        if found is None:
            rank += RANK_STEP
            ids[match] = next_id
            new_rows.append(
                (
                    next_id,
                    f"{prefix}-{next_id}",
                    rank,
                    *values,
                    item.source,
                    item.external_key,
                    now,
                    ws.actor,
                    now,
                    ws.actor,
                )
            )
            added.append(item.title)
            next_id += 1
        elif here != values:
            changed.append((*values, now, ws.actor, found[0]))
            updated.append(found[1])
        else:
            unchanged += 1
        if progress and done % 2_000 == 0:
            progress(done)
    columns = ("id", "key", "rank", *_COMPARED, "source", "external_key", "created_at",
               "created_by", "updated_at", "updated_by")  # fmt: skip
    _insert_items(
        conn,
        f"INSERT INTO items({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        new_rows,
    )
    assignments = ", ".join(f"{name} = ?" for name in (*_COMPARED, "updated_at", "updated_by"))
    conn.executemany(f"UPDATE items SET {assignments} WHERE id = ?", changed)
    parents = [
        (ids[(item.source, item.parent)], ids[(item.source, item.external_key)])
        for item in items
        if item.parent and (item.source, item.parent) in ids
        and ids[(item.source, item.parent)] != ids[(item.source, item.external_key)]
    ]  # fmt: skip
    conn.executemany("UPDATE items SET parent_id = ? WHERE id = ?", parents)
    if progress:
        progress(len(items))
    if added or updated:
        ws.log("item", None, "imported", f"{len(added)} added, {len(updated)} updated")
    return ImportSummary(added=tuple(added), updated=tuple(updated), unchanged=unchanged)
