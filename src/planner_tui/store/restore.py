"""A whole workspace written back from its tables (our JSON), into an empty workspace, as one
transaction after checking every column's type."""

from __future__ import annotations

import sqlite3
from typing import Any

from planner_tui.domain.errors import InvalidInput
from planner_tui.store.bulk_import import chunks, insert_items
from planner_tui.store.exchange import REPLACED_ON_RESTORE, TABLES, Progress, columns_of, is_empty
from planner_tui.store.workspace import Workspace


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
            for chunk in chunks(part["rows"], 20_000):
                if table == "items":
                    insert_items(conn, sql, chunk)
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
