"""Drafts: what someone was typing when their terminal went away, offered back on return.

Kept in the person's private state (`store.own_state`), never in the shared file.
"""

from __future__ import annotations

from planner_tui.domain.drafts import Draft
from planner_tui.services.context import Session


def kept(session: Session, place: str) -> Draft | None:
    """The draft `session.me` left at `place`, if any."""
    return session.own.draft(place)


def keep(session: Session, place: str, text: str) -> None:
    """Keep what is typed at `place` so far (empty text forgets it)."""
    session.own.keep_draft(place, text)


def drop(session: Session, place: str) -> None:
    """The text at `place` was saved or cancelled: nothing to offer back."""
    session.own.drop_draft(place)
