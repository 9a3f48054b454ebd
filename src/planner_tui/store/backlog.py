"""Reading the backlog a page at a time, filtered and sorted in SQL.

Nothing here reads the whole table into Python: a screenful of rows is one
indexed query, so opening the list and moving through it do not depend on
the backlog's size.
"""

from __future__ import annotations

from typing import Any

from planner_tui.domain.backlog import (
    HIGH_VALUE_FROM,
    BacklogQuery,
    BacklogRow,
    Quadrant,
    QuadrantView,
    SortKey,
    metric_text,
)
from planner_tui.domain.stored import texts_of
from planner_tui.store.sql import json_items, whole
from planner_tui.store.text_search import ALL_TEXT, contains, narrowing
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


_TAGS = json_items("i.tags")
"""An item's tags as rows (none when a hand edit left them malformed: a filter still runs)."""


def _where(ws: Workspace, query: BacklogQuery) -> tuple[str, list[Any]]:
    """`items i WHERE …` for the rows `query` lists (what follows a FROM), and its parameters."""
    source = "items i"
    clauses = ["i.deleted_at IS NOT NULL" if query.in_trash else "i.deleted_at IS NULL"]
    params: list[Any] = []
    text = query.text.strip()
    if text:
        hint, narrow, narrow_params = narrowing(ws, "i.id", text, ALL_TEXT)
        test, value = contains(text)
        source = f"items i {hint}"
        clauses.append(
            f"({test.format('i.key')} OR {test.format('i.title')} OR {test.format('i.problem')}"
            f" OR EXISTS (SELECT 1 FROM {_TAGS} t WHERE {test.format('t.value')}))"
            f"{narrow}"
        )
        params += value * 4 + narrow_params
    if query.status:
        clauses.append("i.status = ?")
        params.append(query.status)
    if query.kind:
        clauses.append("i.kind = ?")
        params.append(query.kind)
    if query.tag:
        clauses.append(f"EXISTS (SELECT 1 FROM {_TAGS} t WHERE t.value = ?)")
        params.append(query.tag)
    return f"{source} WHERE {' AND '.join(clauses)}", params


def count_backlog(ws: Workspace, query: BacklogQuery, at_most: int | None = None) -> int:
    """How many live items match `query`; with `at_most`, counting stops past it (the answer
    is then `at_most + 1`): a text filter matching most of 100,000 items need not read
    them all to say "1,000+"."""
    if not (query.text.strip() or query.kind or query.tag or query.in_trash):
        # The live list, whole or of one status: the kept tally says, without reading
        # 100,000 index entries (8 ms) on opening the Backlog or clearing its filter.
        by_status = " WHERE status = ?" if query.status else ""
        row = ws.row(
            f"SELECT coalesce(sum(items), 0) FROM item_tally{by_status}",
            [query.status] if query.status else [],
        )
        count = int(row[0])
        return count if at_most is None else min(count, at_most + 1)
    where, params = _where(ws, query)
    if at_most is None:
        return int(ws.row(f"SELECT count(*) FROM {where}", params)[0])
    return int(
        ws.row(
            f"SELECT count(*) FROM (SELECT 1 FROM {where} LIMIT ?)",
            [*params, at_most + 1],
        )[0]
    )


def backlog_page(ws: Workspace, query: BacklogQuery, offset: int, limit: int) -> list[BacklogRow]:
    """Rows `offset` to `offset + limit` of the list that `query` describes."""
    where, params = _where(ws, query)
    rows = ws.query(
        f"{_SELECT} FROM {where} ORDER BY {_order_by(query.sort)} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return _rows(rows)


_SELECT = """SELECT i.id, i.key, i.rank, i.title, i.kind, i.status, i.value, i.estimate,
       (SELECT count(*) FROM risks r WHERE r.item_id = i.id AND r.status IN ('open', 'owned')),
       i.tags,
       (SELECT max(r.likelihood * r.impact) FROM risks r
            WHERE r.item_id = i.id AND r.status IN ('open', 'owned')),
       i.metric_name, i.metric_unit, i.metric_target, i.metric_actual, i.metric_better"""


def _rows(rows: list[Any]) -> list[BacklogRow]:
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
            worst_risk=row[10],
            tags=texts_of(row[9]),
            metric=metric_text(
                row[11],
                row[12],
                row[13],
                row[14],
                lower_better=row[15] == "lower",
                done=row[5] == "done",
            ),
        )
        for row in rows
    ]


def backlog_position(ws: Workspace, query: BacklogQuery, item_id: int) -> int | None:
    """Where item `item_id` sits in the list `query` describes, or None if it is not in it.

    Counts the rows whose sort key is smaller than the item's (a row-value
    comparison), so no sort of the whole list is needed.
    """
    where, params = _where(ws, query)
    keys = ", ".join(_SORT_KEYS[query.sort])
    listed = ws.query_one(f"SELECT 1 FROM {where} AND i.id = ?", [*params, item_id])
    if listed is None:
        return None
    row = ws.row(
        f"""SELECT count(*) FROM {where}
            AND ({keys}) < (SELECT {keys} FROM items i WHERE i.id = ?)""",
        [*params, item_id],
    )
    return whole(row[0])


_QUADRANT_SQL = {
    Quadrant.QUICK_WINS: ("i.value >= ?", "i.estimate <= ?"),
    Quadrant.BIG_BETS: ("i.value >= ?", "i.estimate > ?"),
    Quadrant.FILL_INS: ("i.value < ?", "i.estimate <= ?"),
    Quadrant.MONEY_PITS: ("i.value < ?", "i.estimate > ?"),
}
_OPEN_ESTIMATED = (
    "i.deleted_at IS NULL AND i.status NOT IN ('done', 'won''t do')"
    " AND i.value IS NOT NULL AND i.estimate IS NOT NULL"
)


def quadrant_view(ws: Workspace, per_quadrant: int = 100) -> QuadrantView:
    """Open estimated items by value against effort: the effort split is their median estimate.

    Each quadrant lists its best `per_quadrant` items by value per effort, and
    counts them all; the work is four indexed queries whatever the backlog size.
    """
    total = ws.row(f"SELECT count(*) FROM items i WHERE {_OPEN_ESTIMATED}")[0]
    split_row = ws.query_one(
        f"SELECT i.estimate FROM items i WHERE {_OPEN_ESTIMATED} ORDER BY i.estimate"
        " LIMIT 1 OFFSET ?",
        [max((total - 1) // 2, 0)],
    )
    split = split_row[0] if split_row else 0.0
    counts: dict[Quadrant, int] = {}
    items: dict[Quadrant, tuple[BacklogRow, ...]] = {}
    keys = _order_by(SortKey.VALUE_PER_EFFORT)
    for which, (value_test, effort_test) in _QUADRANT_SQL.items():
        where = f"{_OPEN_ESTIMATED} AND {value_test} AND {effort_test}"
        params = [HIGH_VALUE_FROM, split]
        counts[which] = ws.row(f"SELECT count(*) FROM items i WHERE {where}", params)[0]
        items[which] = tuple(
            _rows(
                ws.query(
                    f"{_SELECT} FROM items i WHERE {where} ORDER BY {keys} LIMIT ?",
                    [*params, per_quadrant],
                )
            )
        )
    return QuadrantView(effort_split=split, counts=counts, items=items)


def backlog_ids(ws: Workspace, query: BacklogQuery) -> list[int]:
    """The ids of every item the list shows (for selecting them all)."""
    where, params = _where(ws, query)
    return [row[0] for row in ws.query(f"SELECT i.id FROM {where}", params)]
