"""Quick capture: add an idea to the bottom of the backlog from anywhere."""

from __future__ import annotations

from planner_tui.domain.models import NewItem
from planner_tui.services.context import Session
from planner_tui.store.items import add_item, item_key


def quick_add(session: Session, title: str) -> str:
    """Add a story titled `title` at the bottom of the backlog; returns its key.

    Raises:
        pydantic.ValidationError: the title is empty or too long.
    """
    item_id = add_item(session.workspace, NewItem(title=title))
    return item_key(session.workspace, item_id)
