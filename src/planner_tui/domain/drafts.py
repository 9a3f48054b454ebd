"""Text someone was typing and has not saved yet (kept privately, see `store.own_state`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

NEW_ITEM = "item:new"
"""Where a quick-add title is typed."""


def card_place(session_id: int, column: str, *, for_others: bool = False) -> str:
    """Where a retro card is typed: one draft per board and column (and one for others')."""
    return f"{'card-for' if for_others else 'card'}:{session_id}:{column}"


def action_place(session_id: int | None = None, about: str = "") -> str:
    """Where an action item is typed: on a retro's card or theme (`about`), or on its own."""
    return f"action:{session_id}:{about}" if session_id is not None else "action:new"


@dataclass(frozen=True)
class Draft:
    """Text someone was typing, and when they last typed into it (UTC, ISO 8601)."""

    text: str
    at: str

    def local_time(self) -> str:
        """`14:02`: when it was last typed, on this machine's clock."""
        try:
            return datetime.fromisoformat(self.at).astimezone().strftime("%H:%M")
        except ValueError:
            return "earlier"
