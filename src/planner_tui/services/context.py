"""Opening a workspace for a person: the one object screens and commands carry around."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from planner_tui.domain.identity import Account
from planner_tui.services.accounts import current_account, login_owner
from planner_tui.store import presence
from planner_tui.store.people import claim_name
from planner_tui.store.workspace import Workspace, WorkspaceBusy, WorkspaceError


@dataclass
class Session:
    """An open workspace and who is using it."""

    workspace: Workspace
    me: str
    my_id: int
    account: Account = field(default_factory=current_account)
    """The OS account this process runs as; `me` is bound to it."""
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


def open_session(
    path: str | Path, me: str, account: Account | None = None, *, check_only: bool = False
) -> Session:
    """Open (create, migrate) the workspace at `path` as person `me`, running as `account`.

    The name is bound to the account the first time it is used; a name bound to
    another account is refused before anything else is written. With `check_only`
    (a dry run) the name is checked but neither added nor bound.

    Raises:
        WorkspaceError: the file cannot be used; the message says why.
        NameTaken: `me` is another account's name.
    """
    account = account or current_account()
    workspace = Workspace.open(path, actor=me)
    try:
        my_id = claim_name(workspace, me, account, login_owner(me, account), bind=not check_only)
    except WorkspaceBusy as error:
        workspace.close()
        raise WorkspaceError(str(error)) from None
    except BaseException:
        workspace.close()
        raise
    workspace.account = account.key
    return Session(workspace=workspace, me=me, my_id=my_id, account=account)


def validate_workspace(path: str | Path) -> None:
    """Raise WorkspaceError if `path` cannot be opened as a workspace; writes nothing."""
    Workspace.validate(path)


__all__ = ["Session", "WorkspaceError", "open_session", "validate_workspace"]
