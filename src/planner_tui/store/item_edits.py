"""Items changed in place: several at once (with a snapshot to undo), or one merged with what a
teammate saved meanwhile (a conflict names the field and what it holds now)."""

from __future__ import annotations

import json

from planner_tui.domain.enums import ItemStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import NewItem
from planner_tui.domain.stored import texts_of
from planner_tui.store.blocking import refuse_if_blocked
from planner_tui.store.items import get_item, update_item
from planner_tui.store.workspace import Workspace, utc_now

FieldSnapshot = dict[int, tuple[str, str, str]]
"""Status, kind and tags (JSON) of items, keyed by id: what a bulk change can alter."""


_DIFFERS = (
    "(status IS NOT coalesce(:status, status) OR kind IS NOT coalesce(:kind, kind)"
    " OR tags IS NOT :tags)"
)
"""Only an item the change changes is stamped with who changed it and when."""


def snapshot_fields(ws: Workspace, item_ids: list[int]) -> FieldSnapshot:
    """The status, kind and tags of items, so that a bulk change can be undone."""
    snapshot: FieldSnapshot = {}
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in ws.query(
            f"SELECT id, status, kind, tags FROM items WHERE id IN ({marks})", chunk
        ):
            snapshot[row[0]] = (row[1], row[2], row[3])
    return snapshot


def bulk_change(
    ws: Workspace,
    item_ids: list[int],
    *,
    status: ItemStatus | None = None,
    kind: str | None = None,
    add_tag: str | None = None,
    remove_tag: str | None = None,
) -> FieldSnapshot:
    """Change many items at once, in one transaction; returns what they were before."""
    before = snapshot_fields(ws, item_ids)
    now = utc_now()
    with ws.write() as conn:
        for item_id, (_, _, tags_json) in before.items():
            tags = list(texts_of(tags_json))
            if add_tag and add_tag not in tags:
                tags.append(add_tag)
            if remove_tag and remove_tag in tags:
                tags.remove(remove_tag)
            conn.execute(
                "UPDATE items SET status = coalesce(:status, status), kind = coalesce(:kind, kind),"
                " tags = :tags, updated_at = :now, updated_by = :actor WHERE id = :id"
                f" AND {_DIFFERS}",
                {
                    "status": status.value if status else None,
                    "kind": kind,
                    "tags": json.dumps(tags, ensure_ascii=False),
                    "now": now,
                    "actor": ws.actor,
                    "id": item_id,
                },
            )
        ws.log("item", None, "bulk change", f"{len(before)} items")
    return before


def restore_fields(ws: Workspace, snapshot: FieldSnapshot) -> None:
    """Put status, kind and tags back as a snapshot recorded them (one transaction)."""
    now = utc_now()
    with ws.write() as conn:
        conn.executemany(
            "UPDATE items SET status = :status, kind = :kind, tags = :tags, updated_at = :now,"
            f" updated_by = :actor WHERE id = :id AND {_DIFFERS}",
            [
                {
                    "status": status,
                    "kind": kind,
                    "tags": tags,
                    "now": now,
                    "actor": ws.actor,
                    "id": item_id,
                }
                for item_id, (status, kind, tags) in snapshot.items()
            ],
        )
        ws.log("item", None, "bulk change undone", f"{len(snapshot)} items")


def update_item_merging(
    ws: Workspace, item_id: int, original: NewItem, edited: NewItem
) -> tuple[NewItem, NewItem]:
    """Save only the fields the user changed from `original`, in one transaction.

    Fields someone else changed meanwhile are kept. If someone else changed a
    field the user also changed, nothing is saved: `InvalidInput` names the field
    (and `.current` holds the item as it is now) so the user can decide.
    Returns (the item before, the item saved). A new estimate is refused, as a
    final estimate in planning poker is, while a blocking risk is open on the item.
    """

    with ws.write() as conn:
        current_item = get_item(ws, item_id)
        current = NewItem(**current_item.model_dump(include=set(NewItem.model_fields)))
        changed = [
            name
            for name in NewItem.model_fields
            if getattr(edited, name) != getattr(original, name)
        ]
        for name in changed:
            theirs, base, mine = (
                getattr(current, name),
                getattr(original, name),
                getattr(edited, name),
            )
            if theirs != base and theirs != mine:
                error = InvalidInput(
                    f"someone else changed this while you edited it (now {_shown(theirs)}); "
                    "save again to replace it with yours",
                    field=_FORM_FIELD.get(name, name),
                )
                error.current = current
                raise error
        if "estimate" in changed and edited.estimate is not None:
            refuse_if_blocked(conn, item_id, "give {key} an estimate")
        merged = current.model_copy(update={name: getattr(edited, name) for name in changed})
        update_item(ws, item_id, merged)
        return current, merged


_FORM_FIELD = {"parent_key": "parent", "metric": "metric"}


def _shown(value: object) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
    return repr(text[:60] + ("…" if len(text) > 60 else ""))
