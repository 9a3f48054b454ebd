"""Small typed helpers over sqlite3 for the store's modules (sqlite3 answers `Any`)."""

from __future__ import annotations

import sqlite3
from typing import Any

StoreRow = sqlite3.Row
"""A row as the store's reads return it: columns by name or position (for the layers above,
which do not import sqlite3)."""


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just wrote."""
    row_id = cursor.lastrowid
    if row_id is None:  # pragma: no cover - only after a statement that inserted nothing
        raise sqlite3.InterfaceError("the statement inserted no row")
    return row_id


def whole(value: Any) -> int | None:
    """A nullable integer column's value."""
    return None if value is None else int(value)


def json_items(column: str) -> str:
    """A JSON column's elements as rows (`value`, `type`), none where the value is not
    valid JSON: a hand edit's `notjson` then costs that value, not the query."""
    return f"json_each(CASE WHEN json_valid({column}) THEN {column} END)"
