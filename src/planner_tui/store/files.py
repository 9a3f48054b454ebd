"""A workspace's files on disk: created as the OS asks, built aside, moved into place whole.

Nothing here deletes or replaces a file another process may be using: new files
are built under a private name and linked into place only if nothing is there.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

SIDECARS = ("-wal", "-shm", "-journal", "-here")
"""The files next to a workspace: SQLite's write-ahead log, its index, the rollback journal;
and the lock file that says which processes have it open (`store.liveness`)."""


def sidecars(path: Path) -> list[Path]:
    """The journal files that go with the workspace at `path` (existing or not)."""
    return [Path(f"{path}{end}") for end in SIDECARS]


def create_empty(path: Path) -> bool:
    """Create `path` as an empty file with the mode the umask gives (0664 under umask 002).

    SQLite would create it 0644 whatever the umask, which locks a team's group out.
    In a setgid folder the file takes the folder's group, as any new file does.
    Returns False if the file already exists (someone else created it first).
    """
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
    except FileExistsError:
        return False
    os.close(handle)
    return True


def aside(path: Path, purpose: str) -> Path:
    """A private name next to `path` to build a file under, e.g. `.team.db.import-4242`."""
    return path.with_name(f".{path.name}.{purpose}-{os.getpid()}")


def publish(built: Path, path: Path) -> bool:
    """Move the finished file `built` to `path`, unless something is at `path` by now.

    A hard link appears whole or not at all and never replaces a file; `built`'s
    own name is then removed, with what was kept beside it (the lock file of who had
    it open). Returns False (leaving `built`) if `path` exists.
    """
    try:
        os.link(built, path)
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: rename, after one last look
        if path.exists():
            return False
        built.rename(path)
    remove_built(built)
    return True


def remove_built(built: Path) -> None:
    """Delete a file built aside (and its journal files): nobody else knows its name."""
    for leftover in (built, *sidecars(built)):
        leftover.unlink(missing_ok=True)


def _forget_abandoned(target: Path, purpose: str) -> None:
    """Delete files built aside for `target` by processes that no longer run (killed)."""
    for built in target.parent.glob(f".{target.name}.{purpose}-*"):
        pid = built.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or int(pid) == os.getpid() or not _running(int(pid)):
            remove_built(built)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another account's process: alive
        return True
    return True


def match_mode(path: Path, like: Path) -> None:
    """Give `path` the permission bits (and, where we may, the group) of `like`.

    A backup or copy holds what the workspace holds: it must not be readable by
    anyone the workspace is not.
    """
    wanted = like.stat()
    with contextlib.suppress(OSError):
        os.chown(path, -1, wanted.st_gid)
    os.chmod(path, wanted.st_mode & 0o666)


def backup_is_whole(path: Path, version: int, application_id: int) -> bool:
    """Whether `path` is a complete, readable copy of a workspace at schema `version`."""
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        checked = conn.execute("PRAGMA quick_check").fetchone()[0]
        found_version = conn.execute("PRAGMA user_version").fetchone()[0]
        found_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return checked == "ok" and found_version == version and found_id in (application_id, 0)


def write_backup(conn: sqlite3.Connection, workspace: Path, target: Path) -> None:
    """Copy the open workspace `conn` to `target`, whole or not at all.

    The copy is written under a private name with the workspace's mode, made
    durable, and renamed into place: a kill part-way leaves no `target`, only a
    private file that the next backup replaces.
    """
    building = aside(target, "partial")
    _forget_abandoned(target, "partial")
    create_empty(building)
    match_mode(building, workspace)
    destination = sqlite3.connect(building)
    try:
        conn.backup(destination)
        destination.execute("PRAGMA journal_mode = DELETE")
    finally:
        destination.close()
    with open(building, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(building, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
