"""Finding items by a piece of their text: a column test (`contains`) for what matches
exactly, and the trigram indexes `item_names` and `item_details` (migration 0013) to go
straight to the few items a rare piece is in.

A `LIKE '%word%'` cannot use an index: read along the list's order it stops early when
the word is common (a page of matches comes quickly), but a word found in three items of
100,000, or in none, reads every title, problem and tag (~140 ms a keystroke). The index
answers which items hold a piece of three or more characters in well under a
millisecond; each query asks it first, and when few items hold the piece, reads only
those. The column test still decides: each index joins two fields (the key and title;
the problem and tags), so it finds a superset (a piece across two fields, a letter of
another case), never fewer.
"""

from __future__ import annotations

import json
from functools import partial

from planner_tui.store.sql_functions import HOLDS
from planner_tui.store.workspace import Workspace

ESCAPE = "!"
"""Escape character for LIKE patterns, so `%`, `_` and `!` typed by users match themselves."""


def contains(text: str) -> tuple[str, list[str]]:
    """A test that a column (the `{0}`) holds `text` ignoring letter case, and its parameters.

    ASCII text is tested by SQLite's `LIKE`; other text by `planner_holds`, which lowers
    letters as Python does (as the trigram index folds them: it never finds fewer), on
    the rows that hold its first other letter in either case (found in C: calling
    Python for every title read a rare `é` at 100,000 items in 350 ms, not 90).
    """
    if text.isascii():
        return f"{{0}} LIKE ? ESCAPE '{ESCAPE}'", [like_pattern(text)]
    letter = next(char for char in text if not char.isascii())
    return (
        f"((instr({{0}}, ?) OR instr({{0}}, ?)) AND {HOLDS}({{0}}, ?))",
        [letter.lower(), letter.upper(), text.lower()],
    )


SHORTEST_INDEXED = 3
"""The index is of three-character pieces: a shorter text cannot be looked up in it."""

FEW = 3000
"""Up to this many items holding the text, the query reads just them (3,000 of 100,000
sorted for a page: ~1 ms); past it, a common piece, the `LIKE` along the list's order
finds a page and counts to "1,000+" sooner."""


def like_pattern(text: str) -> str:
    """`text` anywhere in a column, its `%`, `_` and `!` matching themselves."""
    escaped = text.replace(ESCAPE, ESCAPE * 2).replace("%", f"{ESCAPE}%").replace("_", f"{ESCAPE}_")
    return f"%{escaped}%"


NAMES = ("item_names",)
"""The index of keys and titles."""

ALL_TEXT = ("item_names", "item_details")
"""The indexes of keys and titles, and of problems and tags."""


def narrowing(
    ws: Workspace, id_column: str, text: str, indexes: tuple[str, ...]
) -> tuple[str, str, list[str]]:
    """When few items may hold `text` in what `indexes` cover: how to read the items table
    (by id only), and a clause (with a leading ` AND `) keeping `id_column` to those
    items, with its parameters; else nothing to add.

    Asks each index for the items, once per `Workspace.reading()` (a list's count, page
    and cursor each asked it twice, 1 ms of a keystroke at 100,000 items), stopping
    past `FEW`. The table is read `NOT INDEXED`, which still looks rows up by id: SQLite
    cannot tell how few ids there are, and would rather walk the whole of a live-items
    index, testing each.
    """
    if len(text) < SHORTEST_INDEXED:
        return "", "", []
    ids = ws.remembered(("holding", text, indexes), partial(_holding, ws, text, indexes))
    if ids is None:
        return "", "", []
    return "NOT INDEXED", f" AND {id_column} IN (SELECT value FROM json_each(?))", [ids]


def _holding(ws: Workspace, text: str, indexes: tuple[str, ...]) -> str | None:
    """The ids of the items `indexes` say may hold `text`, as a JSON list; None past `FEW`."""
    phrase = '"' + text.replace('"', '""') + '"'
    ids: set[int] = set()
    for index in indexes:  # names from NAMES and ALL_TEXT
        rows = ws.query(
            f"SELECT rowid FROM {index} WHERE {index} MATCH ? LIMIT ?", [phrase, FEW + 1]
        )
        ids.update(row[0] for row in rows)
        if len(ids) > FEW:
            return None
    return json.dumps(sorted(ids))
