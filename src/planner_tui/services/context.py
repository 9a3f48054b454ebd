"""Opening a workspace for a person: the one object screens and commands carry around."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from planner_tui.store import presence
from planner_tui.store.people import person_id
from planner_tui.store.workspace import Workspace, WorkspaceBusy, WorkspaceError


@dataclass
class Session:
    """An open workspace and who is using it."""

    workspace: Workspace
    me: str
    my_id: int
    written_cards: set[int] = field(default_factory=set)
    """Cards this process wrote on anonymous retro boards: the only record of their writer."""
    counted_boards: set[tuple[int, str]] = field(default_factory=set)
    """(board, writer) pairs this process has counted among an anonymous board's writers."""

    @property
    def path(self) -> Path:
        """Where the workspace file is."""
        return self.workspace.path

    def poll_changes(self) -> frozenset[str] | None:
        """Kinds of records other processes changed since the last poll, or None."""
        return self.workspace.poll_changes()

    def heartbeat(self, place: str = "home") -> None:
        """Tell the others that I am here."""
        presence.heartbeat(self.workspace, self.my_id, place)

    def close(self) -> None:
        """Say goodbye and close the file."""
        with contextlib.suppress(WorkspaceBusy):
            presence.leave(self.workspace, self.my_id)
        self.workspace.close()


def open_session(path: str | Path, me: str) -> Session:
    """Open (create, migrate) the workspace at `path` as person `me`.

    Raises:
        WorkspaceError: the file cannot be used; the message says why.
    """
    workspace = Workspace.open(path, actor=me)
    try:
        my_id = person_id(workspace, me)
    except WorkspaceBusy as error:
        workspace.close()
        raise WorkspaceError(str(error)) from None
    return Session(workspace=workspace, me=me, my_id=my_id)


def validate_workspace(path: str | Path) -> None:
    """Raise WorkspaceError if `path` cannot be opened as a workspace; writes nothing."""
    Workspace.validate(path)


__all__ = ["Session", "WorkspaceError", "open_session", "validate_workspace"]
