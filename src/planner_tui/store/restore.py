"""A whole workspace written back from its tables (our JSON), into an empty workspace, as one
transaction after checking every column's type."""

from __future__ import annotations

import sqlite3
from typing import Any

from pydantic import BaseModel, ValidationError

from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.estimation import PokerSettings
from planner_tui.domain.retro import RetroSettings
from planner_tui.domain.stored import object_in, texts_in
from planner_tui.store.bulk_import import chunks, insert_items
from planner_tui.store.exchange import REPLACED_ON_RESTORE, TABLES, Progress, columns_of, is_empty
from planner_tui.store.schema import TEXT_LISTS
from planner_tui.store.workspace import Workspace, new_generation


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
            known = set(columns_of(conn, table))
            unknown = [c for c in columns if c not in known]
            if unknown:
                raise InvalidInput(f"table {table} has no column {unknown[0]!r} here")
            _check_types(conn, table, columns, part["rows"])
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table}({names}) VALUES ({marks})"
            for number, chunk in enumerate(chunks(part["rows"], 20_000)):
                _insert(conn, table, sql, chunk, first=number * 20_000)
                written += len(chunk)
                if progress:
                    progress(written)
        # Accounts belong to the machine the file came from (uid 1001 there is someone
        # else here): every name is free again, taken by its first user on this machine.
        _check_references(conn)
        conn.execute("UPDATE people SET bound_to = NULL, bound_at = NULL")
        conn.execute("DELETE FROM meta WHERE key LIKE 'account %'")
        new_generation(conn)
        ws.log("workspace", None, "restored", f"{written} rows")
    return written


def _insert(conn: sqlite3.Connection, table: str, sql: str, rows: list[Any], first: int) -> None:
    """Write rows; one the table refuses (a value out of range, a name twice) is named.

    The rows go in all at once; only when the table refuses one are they tried again
    one by one, to say which (the try is undone).
    """
    conn.execute("SAVEPOINT chunk")
    try:
        _write(conn, table, sql, rows)
    except sqlite3.IntegrityError:
        conn.execute("ROLLBACK TO chunk")
        for number, row in enumerate(rows, start=1):
            try:
                _write(conn, table, sql, [row])
            except sqlite3.IntegrityError as error:
                conn.execute("ROLLBACK TO chunk")
                raise InvalidInput(f"{table}, row {first + number}: {_refusal(error)}") from None
        raise  # pragma: no cover - refused together, accepted one by one
    finally:
        conn.execute("RELEASE chunk")


def _write(conn: sqlite3.Connection, table: str, sql: str, rows: list[Any]) -> None:
    if table == "items":
        insert_items(conn, sql, rows)
    else:
        conn.executemany(sql, rows)


def _refusal(error: sqlite3.IntegrityError) -> str:
    """What SQLite's refusal means for someone who edited the file by hand."""
    text = str(error)
    if text.startswith("CHECK constraint failed: "):
        return f"a value is out of range ({text.removeprefix('CHECK constraint failed: ')})"
    if text.startswith("UNIQUE constraint failed: "):
        return f"{text.removeprefix('UNIQUE constraint failed: ')} is there twice"
    if text.startswith("NOT NULL constraint failed: "):
        return f"{text.removeprefix('NOT NULL constraint failed: ')} needs a value"
    return text


def _check_references(conn: sqlite3.Connection) -> None:
    """Refuse a row that refers to one the file does not have (checked once, at the end)."""
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        table, rowid, parent = broken[0], broken[1], broken[2]
        raise InvalidInput(
            f"{table}, the row with id {rowid}: refers to a {parent} row it does not have"
        )


_TYPES = {"INTEGER": (int,), "REAL": (int, float), "TEXT": (str,)}


_SETTINGS: dict[str, type[BaseModel]] = {"estimation": PokerSettings, "retro": RetroSettings}
"""A session's settings by its kind."""


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
            elif (table, name) in TEXT_LISTS and texts_in(value) is None:
                raise InvalidInput(
                    f"{table}, row {number}, {name}: {value!r:.40} is not a JSON list of texts"
                )
        if table == "sessions":
            _check_settings(dict(zip(columns, row, strict=True)), number)


def _check_settings(session: dict[str, Any], number: int) -> None:
    settings = object_in(session.get("settings"))
    if settings is None:
        raise InvalidInput(f"sessions, row {number}, settings: not a JSON object")
    model = _SETTINGS.get(str(session.get("kind")))
    if model is None:
        return
    try:
        model.model_validate(settings)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise InvalidInput(
            f"sessions, row {number}, settings: {where}: {problem['msg'].lower()}"
        ) from None
