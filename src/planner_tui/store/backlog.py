"""Reading the backlog a page at a time, filtered and sorted in SQL.

Nothing here reads the whole table into Python: a screenful of rows is one
indexed query, so opening the list and moving through it do not depend on
the backlog's size.
"""

from __future__ import annotations

import json
from typing import Any

from planner_tui.domain.backlog import BacklogQuery, BacklogRow, SortKey
from planner_tui.store.workspace import Workspace

_SORT_KEYS = {
    SortKey.RANK: ("i.rank",),
    SortKey.VALUE: ("i.value IS NULL", "-coalesce(i.value, 0)", "i.rank"),
    SortKey.ESTIMATE: ("i.estimate IS NULL", "coalesce(i.estimate, 0)", "i.rank"),
    SortKey.VALUE_PER_EFFORT: (
        "(i.value IS NULL OR coalesce(i.estimate, 0) = 0)",
        "-coalesce(CAST(i.value AS REAL) / nullif(i.estimate, 0), 0)",
        "i.rank",
    ),
}
"""Each order as a tuple of ascending keys (ending in rank, so it is total): the same
tuple sorts the list and, compared as a row value, finds an item's position in it."""


def _order_by(sort: SortKey) -> str:
    return ", ".join(_SORT_KEYS[sort])


ESCAPE = "!"
"""Escape character for LIKE patterns, so `%`, `_` and `!` typed by users match themselves."""


def _like(text: str) -> str:
    escaped = text.replace(ESCAPE, ESCAPE * 2).replace("%", f"{ESCAPE}%").replace("_", f"{ESCAPE}_")
    return f"%{escaped}%"


def _where(query: BacklogQuery) -> tuple[str, list[Any]]:
    clauses = ["i.deleted_at IS NOT NULL" if query.in_trash else "i.deleted_at IS NULL"]
    params: list[Any] = []
    if query.text.strip():
        pattern = _like(query.text.strip())
        clauses.append(
            "(i.key LIKE ? ESCAPE '!' OR i.title LIKE ? ESCAPE '!'"
            " OR i.tags LIKE ? ESCAPE '!' OR i.problem LIKE ? ESCAPE '!')"
        )
        params += [pattern] * 4
    if query.status:
        clauses.append("i.status = ?")
        params.append(query.status)
    if query.kind:
        clauses.append("i.kind = ?")
        params.append(query.kind)
    if query.tag:
        clauses.append("EXISTS (SELECT 1 FROM json_each(i.tags) WHERE json_each.value = ?)")
        params.append(query.tag)
    return " AND ".join(clauses), params


def count_backlog(ws: Workspace, query: BacklogQuery) -> int:
    """How many live items match `query`."""
    where, params = _where(query)
    return ws.query_one(f"SELECT count(*) FROM items i WHERE {where}", params)[0]


def backlog_page(ws: Workspace, query: BacklogQuery, offset: int, limit: int) -> list[BacklogRow]:
    """Rows `offset` to `offset + limit` of the list that `query` describes."""
    where, params = _where(query)
    rows = ws.query(
        f"""SELECT i.id, i.key, i.rank, i.title, i.kind, i.status, i.value, i.estimate,
                   (SELECT count(*) FROM risks r WHERE r.item_id = i.id AND r.status = 'open'),
                   i.tags
            FROM items i WHERE {where}
            ORDER BY {_order_by(query.sort)} LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    )
    return [
        BacklogRow(
            id=row[0],
            key=row[1],
            rank=row[2],
            title=row[3],
            kind=row[4],
            status=row[5],
            value=row[6],
            estimate=row[7],
            open_risks=row[8],
            tags=tuple(json.loads(row[9])),
        )
        for row in rows
    ]


def backlog_position(ws: Workspace, query: BacklogQuery, item_id: int) -> int | None:
    """Where item `item_id` sits in the list `query` describes, or None if it is not in it.

    Counts the rows whose sort key is smaller than the item's (a row-value
    comparison), so no sort of the whole list is needed.
    """
    where, params = _where(query)
    keys = ", ".join(_SORT_KEYS[query.sort])
    listed = ws.query_one(f"SELECT 1 FROM items i WHERE {where} AND i.id = ?", [*params, item_id])
    if listed is None:
        return None
    row = ws.query_one(
        f"""SELECT count(*) FROM items i WHERE {where}
            AND ({keys}) < (SELECT {keys} FROM items i WHERE i.id = ?)""",
        [*params, item_id],
    )
    return row[0]
