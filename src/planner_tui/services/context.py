"""Opening a workspace for a person: the one object screens and commands carry around."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from planner_tui.domain.identity import Account, NameTaken
from planner_tui.services.accounts import current_account, login_owner
from planner_tui.store import presence
from planner_tui.store.file_watch import FileWatch
from planner_tui.store.own_state import OwnState
from planner_tui.store.people import bound_account, claim_name, same_name
from planner_tui.store.presence import HEARTBEAT_EVERY, STALE_AFTER, Here
from planner_tui.store.workspace import (
    Workspace,
    WorkspaceBusy,
    WorkspaceError,
    WorkspaceReadOnly,
    WouldWait,
    generation,
)


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
    read_only_reason: str = ""
    """Why this person can only read the workspace, when they can."""
    counted_boards: set[tuple[int, str]] = field(default_factory=set)
    """(board, writer) pairs this person has counted among an anonymous board's writers."""
    own: OwnState = field(default_factory=lambda: OwnState(None))
    """What this person keeps privately about the workspace: drafts, their anonymous cards."""
    keeper: str = ""
    """Whose private file `own` is (`me`; a served guest's is their invitation's)."""

    def notice_rebuild(self) -> None:
        """Let go of what I kept about cards that are gone (one read): a workspace whose
        records were replaced under me (`planner demo --force`) numbers its cards anew,
        and an old card's id must not make someone else's anonymous card mine."""
        if generation(self.workspace) == self.own.generation:
            return
        self.own = OwnState.of(self.workspace, self.keeper or self.me)
        self.written_cards = self.own.written_cards()
        self.counted_boards = self.own.counted_boards()

    @property
    def read_only(self) -> bool:
        """Whether this person can only read the workspace (no write permission on the file)."""
        return self.workspace.readonly

    @property
    def path(self) -> Path:
        """Where the workspace file is."""
        return self.workspace.path

    def at_once(self) -> contextlib.AbstractContextManager[None]:
        """Saves and reads that raise `WouldWait` rather than wait (`Workspace.at_once`)."""
        return self.workspace.at_once()

    def reading(self) -> contextlib.AbstractContextManager[None]:
        """Several reads that see the file at one moment (other reads wait meanwhile)."""
        return self.workspace.reading()

    def poll_changes(self, *, wait: bool = False) -> frozenset[str] | None:
        """Kinds of records other processes changed since the last poll, or None."""
        return self.workspace.poll_changes(wait=wait)

    def watch_file(self) -> FileWatch | None:
        """A way to sleep until the workspace is written (None: poll instead)."""
        return FileWatch.open(self.workspace.path)

    def presence(self) -> Here:
        """Who is here where (compared to notice someone come, go or move), and how to
        notice the next one go."""
        return presence.snapshot(self.workspace)

    def heartbeat(self, place: str = "home") -> None:
        """Tell the others that I am here (a reader cannot: it writes nothing)."""
        if not self.read_only:
            self.confirm_identity()
            presence.heartbeat(self.workspace, self.my_id, place)

    def confirm_identity(self) -> None:
        """Keep `my_id` my name's own (one read): a workspace rebuilt under me (`planner
        demo --force`) numbers its people anew, and keeps me under my name.

        Raises:
            NameTaken: my name went to another account meanwhile.
        """
        if self.read_only or same_name(self.workspace, self.me) == self.my_id:
            return
        owner = login_owner(self.me, self.account)
        self.my_id = claim_name(self.workspace, self.me, self.account, owner)

    def close(self) -> None:
        """Say goodbye and close the file."""
        if not self.read_only:
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
    # What a terminal of mine that died left behind. A served guest's is their invitation's:
    # a name invited again is someone else, who must not find the last guest's drafts.
    keeper = f"{me} {account.key}" if account.key.startswith("guest:") else me
    own = OwnState.of(workspace, keeper)
    return Session(
        workspace=workspace,
        me=me,
        my_id=my_id,
        account=account,
        written_cards=own.written_cards(),
        counted_boards=own.counted_boards(),
        own=own,
        keeper=keeper,
    )


def open_viewer(
    path: str | Path, me: str, account: Account | None = None, *, reason: str = ""
) -> Session:
    """Open the workspace to read only, for someone who cannot write the file.

    A reader writes nothing, so takes no name: they see the workspace as their
    own account's name (or a name already bound to it), never as someone else,
    whose private cards would then show.

    Raises:
        WorkspaceError: the file cannot be read.
        NameTaken: `me` is not this account's name.
    """
    account = account or current_account()
    workspace = Workspace.open(path, actor=me, readonly=True)
    try:
        older = workspace.older_schema()
        if older is not None:  # its screens read tables this build adds on upgrade
            raise WorkspaceError(
                f"{workspace.path.name} was written by an older planner (schema v{older}); "
                "someone who can write it upgrades it by opening it once: ask them, then "
                "open it again"
            )
        my_id = claim_name(workspace, me, account, login_owner(me, account), bind=False)
        if me != account.label and bound_account(workspace, me) != account.key:
            raise NameTaken(
                f"you can only read {workspace.path.name}, so it opens as you "
                f"({account.label}); {me} is not a name of your account"
            )
    except BaseException:
        workspace.close()
        raise
    workspace.account = account.key
    return Session(
        workspace=workspace, me=me, my_id=my_id, account=account, read_only_reason=reason
    )


def validate_workspace(path: str | Path) -> None:
    """Raise WorkspaceError if `path` cannot be opened as a workspace; writes nothing."""
    Workspace.validate(path)


__all__ = [
    "HEARTBEAT_EVERY",
    "STALE_AFTER",
    "Here",
    "Session",
    "WorkspaceError",
    "WorkspaceReadOnly",
    "WouldWait",
    "open_session",
    "open_viewer",
    "validate_workspace",
]
