"""Items imported in bulk (Jira, GitHub, Linear, CSV, our JSON into a workspace with work):
new ones added at the bottom, known ones updated, as one transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from planner_tui.domain.exchange import ImportedItem, ImportSummary
from planner_tui.store.exchange import Progress
from planner_tui.store.items import RANK_STEP
from planner_tui.store.migrations import item_detail_text, item_name_text
from planner_tui.store.workspace import Workspace, utc_now

_encode = json.JSONEncoder(ensure_ascii=False).encode

BULK = 5_000
"""From this many new items, the per-row triggers are set aside and their work done once."""

_SET_ASIDE = ("items_tally_insert", "item_text_insert")


def insert_items(conn: sqlite3.Connection, sql: str, rows: list[Any]) -> None:
    """Insert item rows; many at once without the per-row triggers, their work done after.

    The triggers keep `item_tally` (the home screen's counts) and the text indexes in
    step one row at a time: the tally is half the cost of a 100,000-row insert, the
    indexes three times it. Dropping them inside the transaction, then counting afresh
    and indexing the new rows in one statement each gives the same tally and indexes;
    a failure rolls the drops back with everything else.
    """
    if len(rows) < BULK:
        conn.executemany(sql, rows)
        return
    triggers = [
        row[0]
        for name in _SET_ASIDE
        for row in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]
        )
    ]
    for name in _SET_ASIDE:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")  # names from _SET_ASIDE
    conn.executemany(sql, rows)
    for trigger in triggers:
        conn.execute(trigger)
    conn.execute("DELETE FROM item_tally")
    conn.execute(
        """INSERT INTO item_tally(status, items, estimated, points)
           SELECT status, count(*), count(estimate), coalesce(sum(estimate), 0)
           FROM items WHERE deleted_at IS NULL GROUP BY status"""
    )
    for index, text in (("item_names", item_name_text), ("item_details", item_detail_text)):
        conn.execute(
            f"""INSERT INTO {index}(rowid, text) SELECT id, {text("items")} FROM items
                WHERE id NOT IN (SELECT rowid FROM {index})"""
        )


def chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


_COMPARED = ("title", "kind", "status", "description", "acceptance", "problem", "value",
             "estimate", "tags", "external_url", "metric_name", "metric_unit", "metric_target",
             "metric_actual", "metric_better")  # fmt: skip
_AIM = _COMPARED.index("metric_better")


OWN_SOURCES = frozenset({"csv", "planner"})
"""Sources of our own exports, whose external keys are this workspace's item keys."""


_KEPT_WHEN_EMPTY = tuple(
    index for index, name in enumerate(_COMPARED) if name not in ("title", "kind", "status")
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
        *(  # no metric in the file: the one here stays (see `_kept`)
            (item.metric_name, item.metric_unit, item.metric_target, item.metric_actual)
            if item.metric_name
            else (None, None, None, None)
        ),
        item.metric_aim or None,
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
            values = (*values[:_AIM], values[_AIM] or "higher", *values[_AIM + 1 :])
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
    insert_items(
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
