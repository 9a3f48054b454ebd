"""Functions of ours that SQL calls, given to every connection when it is opened."""

from __future__ import annotations

import sqlite3

HOLDS = "planner_holds"
"""Whether a text holds a piece in any letter case (the piece lowered): SQLite's `LIKE`
ignores the case of ASCII letters only, so `éclair` did not find `ÉCLAIR`."""


def register_functions(conn: sqlite3.Connection) -> None:
    """Give a connection the functions our queries call."""
    conn.create_function(HOLDS, 2, _holds, deterministic=True)


def _holds(value: object, lowered: str) -> bool:
    return isinstance(value, str) and lowered in value.lower()
