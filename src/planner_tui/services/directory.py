"""Names to choose from in dialogs: the workspace's people and sprints."""

from __future__ import annotations

from planner_tui.services.context import Session
from planner_tui.store.people import people_names
from planner_tui.store.sprint_reads import sprint_names


def people(session: Session) -> list[str]:
    """Everyone in the workspace, by name (owners, authors, hand-over)."""
    return people_names(session.workspace)


def sprints(session: Session) -> list[str]:
    """Every sprint's name, newest first."""
    return sprint_names(session.workspace)


def known_people(session: Session) -> list[str]:
    """Everyone, for name suggestions; none while the file is busy (a new name then asks once)."""
    from planner_tui.services.errors import USER_ERRORS

    try:
        return people(session)
    except USER_ERRORS:
        return []
