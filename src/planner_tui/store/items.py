"""Backlog items and their options."""

from __future__ import annotations

import json
import sqlite3
from typing import cast

from planner_tui.domain.enums import ItemStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import Item, NewItem
from planner_tui.domain.stored import texts_of
from planner_tui.store.sql import inserted_id, whole
from planner_tui.store.workspace import Workspace, utc_now

RANK_STEP = 1024
"""Gap between neighbouring ranks, so an item can move without renumbering others."""


def _key_prefix(ws: Workspace) -> str:
    row = ws.query_one("SELECT value FROM meta WHERE key = 'key_prefix'")
    return row[0] if row else "PLN"


def add_item(ws: Workspace, item: NewItem) -> int:
    """Add `item` at the bottom of the backlog; returns its id. One transaction."""
    return add_items(ws, [item])[0]


def add_items(ws: Workspace, items: list[NewItem]) -> list[int]:
    """Add many items at the bottom, in the given order, in one transaction (all or none)."""
    with ws.write() as conn:
        bottom = conn.execute("SELECT max(rank) FROM items").fetchone()[0] or 0
        prefix = _key_prefix(ws)
        return [
            _insert_item(ws, conn, item, bottom + RANK_STEP * (offset + 1), prefix)
            for offset, item in enumerate(items)
        ]


def _insert_item(
    ws: Workspace, conn: sqlite3.Connection, item: NewItem, rank: int, prefix: str
) -> int:
    now = utc_now()
    parent_id = _parent_id(conn, item.parent_key, None)
    columns = {
        **_item_columns(item, parent_id),
        "key": "",
        "rank": rank,
        "source": item.source,
        "external_key": item.external_key,
        "external_url": item.external_url,
        "created_at": now,
        "created_by": ws.actor,
        "updated_at": now,
        "updated_by": ws.actor,
    }
    cursor = conn.execute(
        f"INSERT INTO items({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        list(columns.values()),
    )
    item_id = inserted_id(cursor)
    key = f"{prefix}-{item_id}"
    conn.execute("UPDATE items SET key = ? WHERE id = ?", [key, item_id])
    _insert_options(conn, item_id, item)
    ws.log("item", item_id, "added", f"{key} {item.title}")
    return item_id


def _item_columns(item: NewItem, parent_id: int | None) -> dict[str, object]:
    """The items-table columns an item's own fields fill (names are fixed, never user text)."""
    metric = item.metric
    return {
        "title": item.title,
        "kind": item.kind.value,
        "status": item.status.value,
        "problem": item.problem,
        "description": item.description,
        "acceptance": item.acceptance,
        "value": item.value,
        "impact": item.impact,
        "estimate": item.estimate,
        "tags": json.dumps(list(item.tags), ensure_ascii=False),
        "parent_id": parent_id,
        "metric_name": (metric.name if metric else None) or None,  # none: NULL, not ''
        "metric_unit": (metric.unit if metric else None) or None,
        "metric_target": metric.target if metric else None,
        "metric_actual": metric.actual if metric else None,
        "metric_better": "lower" if metric and metric.lower_better else "higher",
    }


def _parent_id(conn: sqlite3.Connection, parent_key: str | None, item_id: int | None) -> int | None:
    """The id of the parent epic named by `parent_key`; refuses what cannot be a parent."""
    if not parent_key:
        return None
    row = conn.execute(
        "SELECT id, kind FROM items WHERE key = ? AND deleted_at IS NULL", [parent_key]
    ).fetchone()
    if row is None:
        raise InvalidInput(f"{parent_key} does not exist", field="parent")
    if row[0] == item_id:
        raise InvalidInput("an item cannot be its own parent", field="parent")
    kept = (
        conn.execute("SELECT parent_id FROM items WHERE id = ?", [item_id]).fetchone()
        if item_id is not None
        else None
    )
    if kept is not None and kept[0] == row[0]:
        return whole(row[0])  # as imported (a Linear sub-issue of a story): kept, not refused
    if row[1] != "epic":
        raise InvalidInput(f"{parent_key} is a {row[1]}; a parent must be an epic", field="parent")
    return whole(row[0])


def _insert_options(conn: sqlite3.Connection, item_id: int, item: NewItem) -> None:
    for position, option in enumerate(item.options):
        conn.execute(
            "INSERT INTO item_options(item_id, position, description, effort, risk, chosen) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                item_id,
                position,
                option.description,
                option.effort,
                option.risk.value,
                option.chosen,
            ],
        )


def _blank(value: object) -> object:
    return None if value == "" else value


def _unchanged(
    conn: sqlite3.Connection, item_id: int, fields: dict[str, object], item: NewItem
) -> bool:
    """Whether the item already holds exactly `fields` and `item`'s options (an empty
    text and none are the same)."""
    row = conn.execute(f"SELECT {', '.join(fields)} FROM items WHERE id = ?", [item_id]).fetchone()
    if row is None or list(map(_blank, row)) != list(map(_blank, fields.values())):
        return False
    options = conn.execute(
        "SELECT description, effort, risk, chosen FROM item_options WHERE item_id = ?"
        " ORDER BY position",
        [item_id],
    ).fetchall()
    wanted = [(o.description, o.effort, o.risk.value, o.chosen) for o in item.options]
    return [tuple(option) for option in options] == wanted


def set_status(ws: Workspace, item_id: int, status: ItemStatus) -> None:
    """Change an item's status (one transaction, logged)."""
    with ws.write() as conn:
        conn.execute(
            "UPDATE items SET status = ?, updated_at = ?, updated_by = ? WHERE id = ?",
            [status.value, utc_now(), ws.actor, item_id],
        )
        ws.log("item", item_id, "status", status.value)


def item_id_by_key(ws: Workspace, key: str) -> int | None:
    """The id of the live item with `key`, or None."""
    row = ws.query_one("SELECT id FROM items WHERE key = ? AND deleted_at IS NULL", [key])
    return row[0] if row else None


def set_key_prefix(ws: Workspace, prefix: str) -> None:
    """Set the prefix used for new item keys, e.g. `CHK` gives CHK-12."""
    if not prefix.isalnum() or len(prefix) > 10:
        raise InvalidInput("a key prefix is 1 to 10 letters or digits")
    with ws.write() as conn:
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('key_prefix', ?)", [prefix])
        ws.log("workspace", None, "key prefix", prefix)


def item_key(ws: Workspace, item_id: int) -> str:
    """The key (e.g. PLN-12) of an item."""
    row = ws.query_one("SELECT key FROM items WHERE id = ?", [item_id])
    if row is None:
        raise InvalidInput(f"item {item_id} does not exist")
    return str(row[0])


def _live_neighbour(conn: sqlite3.Connection, rank: int, *, above: bool) -> sqlite3.Row | None:
    if above:
        sql = "SELECT id, rank FROM items WHERE deleted_at IS NULL AND rank < ? ORDER BY rank DESC LIMIT 1"
    else:
        sql = (
            "SELECT id, rank FROM items WHERE deleted_at IS NULL AND rank > ? ORDER BY rank LIMIT 1"
        )
    return cast("sqlite3.Row | None", conn.execute(sql, [rank]).fetchone())


def _rank_of(conn: sqlite3.Connection, item_id: int) -> int:
    row = conn.execute("SELECT rank FROM items WHERE id = ?", [item_id]).fetchone()
    if row is None:
        raise NotFound("that item no longer exists")
    return int(row[0])


RankSnapshot = list[tuple[int, int]]
"""(item id, rank) pairs: the ranks a move changed, as they were before it."""


def move_item(ws: Workspace, item_id: int, steps: int) -> RankSnapshot:
    """Move an item `steps` places up (negative) or down the ranked backlog.

    The swaps read and write inside one write transaction, so two people
    reordering at once each see the other's result and ranks never collide.
    Returns the ranks it changed, as they were, for `restore_ranks`.
    """
    with ws.write() as conn:
        old_rank = rank = _rank_of(conn, item_id)
        before: RankSnapshot = [(item_id, old_rank)]
        for _ in range(abs(steps)):
            neighbour = _live_neighbour(conn, rank, above=steps < 0)
            if neighbour is None:
                break
            before.append((neighbour[0], neighbour[1]))
            conn.execute("UPDATE items SET rank = ? WHERE id = ?", [rank, neighbour[0]])
            rank = neighbour[1]
        if rank != old_rank:
            conn.execute(
                "UPDATE items SET rank = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                [rank, utc_now(), ws.actor, item_id],
            )
            ws.log("item", item_id, "ranked", f"{'up' if steps < 0 else 'down'} {abs(steps)}")
        return before


def move_to_edge(ws: Workspace, item_id: int, *, top: bool) -> RankSnapshot:
    """Put an item at the top or the bottom of the backlog; returns its old rank for undo."""
    with ws.write() as conn:
        old_rank = _rank_of(conn, item_id)
        edge = conn.execute("SELECT min(rank), max(rank) FROM items").fetchone()
        rank = (edge[0] - RANK_STEP) if top else (edge[1] + RANK_STEP)
        conn.execute(
            "UPDATE items SET rank = ?, updated_at = ?, updated_by = ? WHERE id = ?",
            [rank, utc_now(), ws.actor, item_id],
        )
        ws.log("item", item_id, "ranked", "to the top" if top else "to the bottom")
        return [(item_id, old_rank)]


def restore_ranks(ws: Workspace, before: RankSnapshot) -> None:
    """Put the items a move touched back at their old ranks (undo), in one transaction."""
    with ws.write() as conn:
        conn.executemany(
            "UPDATE items SET rank = ?, updated_at = ?, updated_by = ? WHERE id = ?",
            [(rank, utc_now(), ws.actor, item_id) for item_id, rank in before],
        )
        ws.log("item", before[0][0] if before else None, "ranked", "move undone")


def delete_items(ws: Workspace, item_ids: list[int]) -> None:
    """Move items to the trash (they keep everything and can be restored)."""
    now = utc_now()
    with ws.write() as conn:
        for item_id in item_ids:
            conn.execute(
                "UPDATE items SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL",
                [now, ws.actor, item_id],
            )
            ws.log("item", item_id, "deleted")


def restore_items(ws: Workspace, item_ids: list[int]) -> None:
    """Take items out of the trash, back to their old place in the ranking."""
    with ws.write() as conn:
        for item_id in item_ids:
            conn.execute(
                "UPDATE items SET deleted_at = NULL, deleted_by = NULL, updated_at = ?,"
                " updated_by = ? WHERE id = ?",
                [utc_now(), ws.actor, item_id],
            )
            ws.log("item", item_id, "restored")


def key_and_title(ws: Workspace, item_id: int) -> tuple[str, str]:
    """An item's key and title (trashed or not), to name it in a message."""
    row = ws.query_one("SELECT key, title FROM items WHERE id = ?", [item_id])
    if row is None:
        raise InvalidInput(f"item {item_id} does not exist")
    return str(row[0]), str(row[1])


def get_item(ws: Workspace, item_id: int) -> Item:
    """The whole item: every field, its options in order, its metric and parent key."""
    from planner_tui.domain.models import Item, Option, SuccessMetric

    row = ws.query_one(
        """SELECT i.*, p.key AS parent_key FROM items i
           LEFT JOIN items p ON p.id = i.parent_id WHERE i.id = ?""",
        [item_id],
    )
    if row is None:
        raise NotFound("that item no longer exists")
    options = tuple(
        Option(description=o[0], effort=o[1], risk=o[2], chosen=bool(o[3]))
        for o in ws.query(
            "SELECT description, effort, risk, chosen FROM item_options WHERE item_id = ?"
            " ORDER BY position",
            [item_id],
        )
    )
    metric = (
        SuccessMetric(
            name=row["metric_name"],
            unit=row["metric_unit"] or "",
            target=row["metric_target"],
            actual=row["metric_actual"],
            lower_better=row["metric_better"] == "lower",
        )
        if row["metric_name"]
        else None
    )
    return Item(
        id=row["id"],
        key=row["key"],
        rank=row["rank"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        title=row["title"],
        kind=row["kind"],
        status=row["status"],
        problem=row["problem"],
        description=row["description"],
        acceptance=row["acceptance"],
        value=row["value"],
        impact=row["impact"],
        estimate=row["estimate"],
        tags=texts_of(row["tags"]),
        parent_key=row["parent_key"],
        metric=metric,
        options=options,
        source=row["source"],
        external_key=row["external_key"],
        external_url=row["external_url"],
    )


def update_item(ws: Workspace, item_id: int, item: NewItem) -> None:
    """Save every field of an edited item, and its options, in one transaction."""
    with ws.write() as conn:
        parent_id = _parent_id(conn, item.parent_key, item_id)
        fields = _item_columns(item, parent_id)
        if _unchanged(conn, item_id, fields, item):
            return  # saved as it was: not an edit (no new time, no line in the log)
        columns = {**fields, "updated_at": utc_now(), "updated_by": ws.actor}
        cursor = conn.execute(
            f"UPDATE items SET {', '.join(f'{name} = ?' for name in columns)} WHERE id = ?",
            [*columns.values(), item_id],
        )
        if cursor.rowcount == 0:
            raise NotFound("that item no longer exists")
        conn.execute("DELETE FROM item_options WHERE item_id = ?", [item_id])
        _insert_options(conn, item_id, item)
        ws.log("item", item_id, "edited", item.title)
