"""Grooming the backlog: ranking, deleting to the trash and restoring, each undoable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from planner_tui.domain.enums import ItemStatus
from planner_tui.domain.models import Item, NewItem
from planner_tui.domain.text import one_line
from planner_tui.services.context import Session
from planner_tui.store import item_edits, items


@dataclass(frozen=True)
class Undo:
    """How to take back one action: what it was, and the call that reverses it.

    The description names the item (`add of CHK-42 Save partial forms`): an undo may
    come long after its action, and must say which item it changes.
    """

    description: str
    revert: Callable[[], None]


def _named(session: Session, item_ids: list[int]) -> str:
    """One item by key and title, or how many."""
    if len(item_ids) != 1:
        return f"{len(item_ids)} items"
    key, title = items.key_and_title(session.workspace, item_ids[0])
    return f"{key} {one_line(title, 40)}"


def move(session: Session, item_id: int, steps: int) -> Undo:
    """Move an item up (negative steps) or down the ranking."""
    before = items.move_item(session.workspace, item_id, steps)
    return Undo(
        f"move of {_named(session, [item_id])}",
        lambda: items.restore_ranks(session.workspace, before),
    )


def move_to_edge(session: Session, item_id: int, *, top: bool) -> Undo:
    """Move an item to the top or bottom of the backlog."""
    before = items.move_to_edge(session.workspace, item_id, top=top)
    return Undo(
        f"move of {_named(session, [item_id])}",
        lambda: items.restore_ranks(session.workspace, before),
    )


def delete(session: Session, item_ids: list[int]) -> Undo:
    """Move items to the trash."""
    items.delete_items(session.workspace, item_ids)
    return Undo(
        f"delete of {_named(session, item_ids)}: it is back",
        lambda: items.restore_items(session.workspace, item_ids),
    )


def restore(session: Session, item_ids: list[int]) -> Undo:
    """Bring items back from the trash."""
    items.restore_items(session.workspace, item_ids)
    return Undo(
        f"restore of {_named(session, item_ids)}: it is in the trash again",
        lambda: items.delete_items(session.workspace, item_ids),
    )


def add(session: Session, item: NewItem) -> tuple[int, Undo]:
    """Add a fully described item at the bottom of the backlog; returns its id."""
    item_id = items.add_item(session.workspace, item)
    return item_id, Undo(
        f"add of {_named(session, [item_id])}: it is in the trash",
        lambda: items.delete_items(session.workspace, [item_id]),
    )


def load(session: Session, item_id: int) -> Item:
    """Every field of one item, for the editor."""
    return items.get_item(session.workspace, item_id)


def save(session: Session, item_id: int, original: NewItem, edited: NewItem) -> Undo:
    """Save the fields the user changed since `original` was loaded; the undo puts them back.

    Raises:
        InvalidInput: someone else changed one of the same fields meanwhile; its
            `field` names it and `current` holds the item as it now is.
    """
    before, _ = item_edits.update_item_merging(session.workspace, item_id, original, edited)
    return Undo(
        f"edit of {_named(session, [item_id])}",
        lambda: items.update_item(session.workspace, item_id, before),
    )


@dataclass(frozen=True)
class BulkChange:
    """One change applied to every selected item."""

    status: ItemStatus | None = None
    kind: str | None = None
    add_tag: str | None = None
    remove_tag: str | None = None

    def describe(self) -> str:
        """A few words for the confirmation and the undo."""
        if self.status:
            return f"status set to {self.status.value}"
        if self.kind:
            return f"kind set to {self.kind}"
        if self.add_tag:
            return f"tag {self.add_tag} added"
        return f"tag {self.remove_tag} removed"


def bulk(session: Session, item_ids: list[int], change: BulkChange) -> Undo:
    """Apply one change to many items in one transaction; one undo reverts it all."""
    before = item_edits.bulk_change(
        session.workspace,
        item_ids,
        status=change.status,
        kind=change.kind,
        add_tag=change.add_tag,
        remove_tag=change.remove_tag,
    )
    return Undo(
        f"bulk change of {_named(session, item_ids)} ({change.describe()})",
        lambda: item_edits.restore_fields(session.workspace, before),
    )
