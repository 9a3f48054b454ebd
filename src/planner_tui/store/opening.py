"""Opening the workspace file: the path and journal checks, the connections, and the
one-line messages for what can go wrong (a locked, damaged, read-only or foreign file).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from planner_tui.domain.errors import PlannerError
from planner_tui.store.sql_functions import register_functions

if TYPE_CHECKING:
    pass

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 5.0
WRITE_ATTEMPTS = 6
"""How many times a write waits `BUSY_TIMEOUT_SECONDS` for the lock before giving up."""


class WorkspaceError(PlannerError):
    """The file cannot be used as a workspace; the message says why and what to do."""


class WorkspaceReadOnly(WorkspaceError):
    """The file (or its folder) is not writable for us: it can still be opened to read."""


class StoreError(PlannerError):
    """SQLite failed to read or write the file for a reason outside our rules."""


class WorkspaceBusy(PlannerError):
    """Another program held the workspace's write lock for too long."""


class WouldWait(Exception):
    """Inside `Workspace.at_once()`: the file, or this process's connection, is taken
    right now; nothing of the write that met it was saved."""


def utc_now() -> str:
    """The current time as stored: ISO-8601 in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def is_lock_error(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def damaged_message(path: Path, error: sqlite3.DatabaseError) -> str:
    return f"{path} is damaged ({error}); restore it from a copy or a {path.name}.bak-v* backup"


def locked_message(path: Path) -> str:
    return f"{path} is locked by another program; close it or try again in a moment"


def open_failure(path: Path, error: sqlite3.OperationalError, doing: str) -> WorkspaceError:
    """The one-line error for SQLite failing while a workspace is opened."""
    if is_lock_error(error):
        return WorkspaceError(locked_message(path))
    return WorkspaceError(f"{doing} {path}: {error}")


def _writable(path: Path) -> bool:
    """Writable for us, and not marked read-only (root ignores the mode; we respect it)."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def check_path(path: Path, *, readonly: bool) -> bool:
    """Refuse paths that cannot hold a workspace. Returns whether the file exists."""
    if path.is_dir():
        raise WorkspaceError(
            f"{path} is a directory; give a file name such as {path / 'planner.db'}"
        )
    parent = path.parent
    if not parent.exists():
        raise WorkspaceError(
            f"folder {parent} does not exist; create it first or choose another path"
        )
    if not path.exists():
        if readonly:
            raise WorkspaceError(f"{path} does not exist")
        if not os.access(parent, os.W_OK):
            raise WorkspaceError(f"cannot create {path}: folder {parent} is not writable")
        return False
    if not path.is_file():
        raise WorkspaceError(f"{path} is not a regular file; give the path of a workspace file")
    if not os.access(path, os.R_OK):
        raise WorkspaceError(f"{path} is not readable; check its permissions")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise WorkspaceError(
            f"{path} is not a planner workspace (not an SQLite file); nothing was changed"
        )
    if not readonly and not _writable(path):
        raise WorkspaceReadOnly(
            f"you have no write permission on {path.name} (planner share tells who has)"
        )
    if not readonly:
        _check_journal(path)
    if not readonly and not os.access(parent, os.W_OK) and not _journal_ready(path):
        raise WorkspaceReadOnly(
            f"you cannot write {parent.name or parent}/, where {path.name}'s journal files go"
        )
    return bool(header)


def _check_journal(path: Path) -> None:
    """Refuse to write through journal files someone left that we cannot write.

    (A teammate's process made them with a mode that leaves us out.) Reading still works.
    """
    for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if side.exists() and not os.access(side, os.R_OK | os.W_OK):
            owner = _owner_name(side)
            raise WorkspaceReadOnly(
                f"{side.name} belongs to {owner} and you cannot write it "
                f"(planner share {path.name} says what to fix)"
            )


def _owner_name(path: Path) -> str:
    import pwd

    uid = path.stat().st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _journal_ready(path: Path) -> bool:
    """Whether the journal files exist and are ours to write (then the folder need not be)."""
    return all(
        side.exists() and os.access(side, os.R_OK | os.W_OK)
        for side in (Path(f"{path}-wal"), Path(f"{path}-shm"))
    )


def _cannot_make_journal(error: sqlite3.Error) -> bool:
    """SQLite could not create the journal index a reader needs (a folder we cannot write)."""
    text = str(error).lower()
    return "readonly database" in text or "unable to open" in text


def connect(
    path: Path, mode: str, busy_timeout: float, *, immutable: bool = False
) -> sqlite3.Connection:
    uri = f"{path.as_uri()}?mode={mode}{'&immutable=1' if immutable else ''}"
    try:
        conn = sqlite3.connect(
            uri, uri=True, timeout=busy_timeout, check_same_thread=False, isolation_level=None
        )
    except sqlite3.Error as error:
        raise WorkspaceError(f"cannot open {path}: {error}") from None
    conn.row_factory = sqlite3.Row
    register_functions(conn)
    return conn


def connect_to_read(path: Path, busy_timeout: float) -> tuple[sqlite3.Connection, bool]:
    """A read-only connection, and whether it reads the file as a still file.

    A reader uses the journal index (`-shm`) of those who have the file open. When
    there is none, SQLite would create it — owned by the reader, with the file's
    mode, which can lock the file's owner out. So someone who cannot write the
    file, or cannot create the index, reads the file as it stands instead
    (nobody has it open, so nothing is changing it), and changes nothing.
    """
    shm = Path(f"{path}-shm")
    if not shm.exists() and not _writable(path):
        return connect(path, "ro", busy_timeout, immutable=True), True
    conn = connect(path, "ro", busy_timeout)
    try:
        readable = _readable_as_is(conn)
    except sqlite3.OperationalError as error:
        conn.close()
        raise open_failure(path, error, "cannot read") from None
    if readable:
        return conn, False
    conn.close()
    return connect(path, "ro", busy_timeout, immutable=True), True


def _readable_as_is(conn: sqlite3.Connection) -> bool:
    """Whether a read-only connection can read (False: it needs a journal index it cannot make)."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as error:
        if _cannot_make_journal(error):
            return False
        raise
    except sqlite3.DatabaseError:
        return True  # not a database: _prepare says so in its own words
    return True
