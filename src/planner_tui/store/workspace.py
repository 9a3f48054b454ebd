"""Opening a workspace file: checks, migrations with a backup, and transactions.

One `Workspace` per process holds two connections, opened with
`check_same_thread=False` so workers may use them: one that writes, serialized by
`lock`, and one that only reads, with its own lock. In WAL mode a reader never
waits for a writer, so drawing a screen never queues behind a write of ours that
is waiting for another process to let go of the file.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from planner_tui.domain.errors import PlannerError
from planner_tui.store import files
from planner_tui.store.change_watch import ChangeWatch
from planner_tui.store.liveness import Liveness
from planner_tui.store.opening import (
    BUSY_TIMEOUT_SECONDS,
    WRITE_ATTEMPTS,
    StoreError,
    WorkspaceBusy,
    WorkspaceError,
    WorkspaceReadOnly,
    WouldWait,
    check_path,
    connect,
    connect_to_read,
    damaged_message,
    is_lock_error,
    locked_message,
    open_failure,
    utc_now,
)
from planner_tui.store.schema import (
    APPLICATION_ID,
    MIGRATION_SET,
    SCHEMA_VERSION,
    build_migrations,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

T = TypeVar("T")

AUTOCHECKPOINT_PAGES = 1000
"""SQLite's own: a commit that brings the journal to this many pages folds it into the file."""


class Workspace(ChangeWatch):
    """An open workspace file: one SQLite connection and the name of who acts."""

    def __init__(self, path: Path, conn: sqlite3.Connection, actor: str, *, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self.actor = actor
        self.readonly = readonly
        self._busy_timeout = BUSY_TIMEOUT_SECONDS
        self.immutable = False
        """Read as a still file (a reader who cannot make the journal index; nobody had it
        open): changes are noticed by the file changing, and the connection is made anew."""
        self._file_seen = self._file_signature()
        self.account: str | None = None
        """The account (`uid:1001`) `actor` is bound to, once the session has claimed it."""
        self.lock = threading.RLock()
        """Serializes the writing connection (`conn`)."""
        self._writer: int | None = None
        """The thread inside `write()`: its reads must see its own uncommitted rows."""
        self._reader: sqlite3.Connection | None = None
        self._read_lock = threading.RLock()
        self._memo = threading.local()
        """This thread's answers remembered within its `reading()` (`remembered`)."""
        self._now = threading.local()
        """Whether this thread is inside `at_once()`."""
        self.liveness = Liveness(None)
        """The lock that tells the others this process is here (`store.presence`)."""
        self._last_data_version = self.data_version()
        self._last_change_id = self._max_change_id()
        self._last_quiet = self._quiet_writes()

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        actor: str,
        *,
        readonly: bool = False,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    ) -> Workspace:
        """Open (creating or migrating as needed) the workspace at `path`.

        Raises:
            WorkspaceError: the path is unusable; the file is left untouched.
        """
        path = Path(path).expanduser().absolute()
        has_content = check_path(path, readonly=readonly)
        if not readonly and not path.exists():
            files.create_empty(path)  # with the umask's mode; SQLite would make it 0644
        if readonly:
            conn, immutable = connect_to_read(path, busy_timeout)
        else:
            conn, immutable = connect(path, "rwc", busy_timeout), False
        try:
            workspace = cls._prepare(path, conn, actor, readonly=readonly, has_content=has_content)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise WorkspaceError(damaged_message(path, error)) from None
        except BaseException:
            conn.close()
            raise
        workspace._busy_timeout = busy_timeout
        workspace.immutable = immutable
        workspace.liveness = Liveness.open(path, writable=not readonly)
        if not readonly:
            workspace._reader = connect(path, "rw", busy_timeout)
            workspace._reader.execute("PRAGMA foreign_keys = ON")
            workspace._reader.execute("PRAGMA query_only = ON")
        return workspace

    @classmethod
    def validate(cls, path: str | os.PathLike[str]) -> None:
        """Check that `path` could be opened as a workspace (if only to read), changing nothing.

        Raises:
            WorkspaceError: why the file cannot be used.
        """
        path = Path(path).expanduser().absolute()
        if not path.exists():
            check_path(path, readonly=False)
        elif check_path(path, readonly=True):
            cls.open(path, actor="check", readonly=True).close()

    @classmethod
    def _prepare(
        cls, path: Path, conn: sqlite3.Connection, actor: str, *, readonly: bool, has_content: bool
    ) -> Workspace:
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            table_count = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.OperationalError as error:
            raise open_failure(path, error, "cannot read") from None
        except sqlite3.DatabaseError as error:
            if has_content:  # it starts like SQLite, so it is a damaged database
                raise WorkspaceError(damaged_message(path, error)) from None
            raise WorkspaceError(
                f"{path} is not a planner workspace (not an SQLite database); nothing was changed"
            ) from None
        fresh = app_id == 0 and table_count == 0
        if not fresh and app_id != APPLICATION_ID:
            raise WorkspaceError(
                f"{path} is an SQLite database but not a planner workspace; nothing was changed"
            )
        if version > SCHEMA_VERSION:
            raise WorkspaceError(
                f"{path} was written by a newer planner (schema v{version}; this one knows "
                f"v{SCHEMA_VERSION}); upgrade planner to open it"
            )
        if readonly:
            if fresh:
                raise WorkspaceError(f"{path} is empty, not a planner workspace")
            return cls(path, conn, actor, readonly=True)
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.OperationalError as error:
            raise open_failure(path, error, "cannot use") from None
        workspace = cls(path, conn, actor, readonly=False)
        if version < SCHEMA_VERSION:
            if has_content and not fresh:
                workspace.backup_to(path.with_name(f"{path.name}.bak-v{version}"))
            try:
                workspace.migrate()
            except WorkspaceBusy:
                raise WorkspaceError(locked_message(path)) from None
        return workspace

    @cached_property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, built on first use (keeps start-up light)."""
        from sqlite_utils import Database

        return Database(self.conn, execute_plugins=False)

    def _version(self) -> int:
        with self.lock:
            return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def older_schema(self) -> int | None:
        """The file's schema version if it is older than this build's (a reader cannot
        upgrade it), else None."""
        version = self._version()
        return version if version < SCHEMA_VERSION else None

    def backup_to(self, target: Path) -> None:
        """Copy the whole workspace, consistently, to `target`, whole or not at all.

        A complete backup already there is kept (the first one taken before this
        migration); a broken or partial one is replaced.
        """
        if target.exists() and files.backup_is_whole(target, self._version(), APPLICATION_ID):
            return
        with self.lock:
            files.write_backup(self.conn, self.path, target)

    def migrate(self) -> None:
        """Apply pending migrations in one write transaction; a racing process finds them done."""
        migrations = build_migrations()
        with self.write():
            if self.conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
                return
            migrations.apply(self.db)
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            if not self.conn.execute("SELECT 1 FROM meta WHERE key = 'created_at'").fetchone():
                self.conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('created_at', ?), ('key_prefix', 'PLN')",
                    [utc_now()],
                )
        self._last_change_id = self._max_change_id()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One user action as one transaction, holding the write lock from its start.

        `BEGIN IMMEDIATE` takes the lock up front, so the statements inside never
        meet a busy error halfway. While another process holds the lock we wait
        (the busy timeout) and try again; only after about half a minute does
        `WorkspaceBusy` reach the caller, and nothing has been written.
        """
        if self.readonly:
            raise PlannerError("this workspace was opened read-only")
        with self._holding(self.lock):
            outer, self._writer = self._writer, threading.get_ident()
            try:
                if self.conn.in_transaction:
                    with self.db.atomic():
                        yield self.conn
                    return
                self._begin_immediate()
                try:
                    yield self.conn
                    self._commit()
                except BaseException as error:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    if isinstance(error, sqlite3.DatabaseError) and not isinstance(
                        error, sqlite3.IntegrityError
                    ):
                        # Disk full, I/O error, a damaged file: the user's problem to solve.
                        raise StoreError(f"nothing was saved: {error}") from None
                    raise
            finally:
                self._writer = outer

    @contextmanager
    def _read_connection(self) -> Iterator[sqlite3.Connection]:
        """The connection a read uses: the writer's own inside `write()`, else the reader."""
        if self._reader is None or self._writer == threading.get_ident():
            lock, conn = self.lock, self.conn
        else:
            lock, conn = self._read_lock, self._reader
        # (every read comes here: the lock taken in place, not through `_holding`)
        if not lock.acquire(blocking=not self._at_once()):
            raise WouldWait
        try:
            yield conn
        finally:
            lock.release()

    @contextmanager
    def at_once(self) -> Iterator[None]:
        """Writes and reads (from this thread) that never wait: each takes the file and
        this process's connection now, or raises `WouldWait` having saved nothing of the
        write that met it. A move saved on the UI thread when nothing is in its way (a
        reveal draws a frame sooner) is then saved in a worker instead; so what is done
        in here must be safe to do again, as a whole, after a `WouldWait`."""
        self._now.on = True
        try:
            yield
        finally:
            self._now.on = False

    def _at_once(self) -> bool:
        return bool(getattr(self._now, "on", False))

    @contextmanager
    def _holding(self, lock: threading.RLock) -> Iterator[None]:
        if not lock.acquire(blocking=not self._at_once()):
            raise WouldWait
        try:
            yield
        finally:
            lock.release()

    def _commit(self) -> None:
        if not self._at_once():
            self.conn.execute("COMMIT")
            return
        # (a commit that fills the journal folds it into the file, waiting for the disk:
        # left to the next write made in a worker)
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            self.conn.execute("COMMIT")
        finally:
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads (`query`) that see the file at one moment, as one read transaction."""
        with self._read_connection() as conn:
            if conn.in_transaction:
                yield
                return
            conn.execute("BEGIN")
            self._memo.found = {}
            try:
                yield
            finally:
                self._memo.found = None
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def remembered(self, key: Hashable, work: Callable[[], T]) -> T:
        """`work()`, done once for `key` within one `reading()` (the file is the same all
        through it): which items an index says hold a word, asked by each of a list's
        count, page and cursor queries. Outside `reading()`, done each time."""
        found: dict[Hashable, Any] | None = getattr(self._memo, "found", None)
        if found is None:
            return work()
        if key not in found:
            found[key] = work()
        return cast(T, found[key])

    def _begin_immediate(self) -> None:
        if self._at_once():
            self.conn.execute("PRAGMA busy_timeout = 0")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if is_lock_error(error):
                    raise WouldWait from None
                raise
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {round(self._busy_timeout * 1000)}")
            return
        for attempt in range(WRITE_ATTEMPTS):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not is_lock_error(error):
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise WorkspaceBusy(
            "the workspace is busy: another program has held its lock for a long time; try again"
        )

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Rows of a read-only statement (on the reading connection, never behind a write).

        Raises:
            StoreError: SQLite could not read the file (disk error, file gone).
        """
        with self._read_connection() as conn:
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as error:
                raise StoreError(f"cannot read the workspace: {error}") from None
            except sqlite3.DatabaseError as error:
                raise StoreError(damaged_message(self.path, error)) from None

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row of a read-only statement, or None."""
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def row(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row:
        """The one row of a statement that always returns one (an aggregate, a PRAGMA)."""
        found = self.query_one(sql, params)
        if found is None:  # pragma: no cover - aggregates always answer
            raise StoreError(f"no row from: {sql[:60]}")
        return found

    def count(self, sql: str, params: Sequence[Any] = ()) -> int:
        """The whole number a `SELECT count(*)`-like statement answers."""
        return int(self.row(sql, params)[0])

    def checkpoint(self) -> None:
        """Fold the WAL into the main file, so the file alone holds everything."""
        with self.lock:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close the connection; SQLite folds the WAL back into the file."""
        with self.lock:
            self.conn.close()
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
        self.liveness.close()


KEPT_WHEN_CLEARED = frozenset({"_sqlite_migrations", "meta", "people", "presence"})
"""Tables `clear_workspace` leaves alone: the schema record, and who is using the file."""


def generation(ws: Workspace) -> str:
    """Which filling of the workspace this is: empty until its records are first replaced
    wholesale (`clear_workspace`, a restore), a new token each time they are. Ids start
    again then, so whatever was kept about the old ones (a person's own anonymous cards)
    must not be taken for the new."""
    row = ws.query_one("SELECT value FROM meta WHERE key = 'generation'")
    return str(row[0]) if row else ""


def new_generation(conn: sqlite3.Connection) -> None:
    """Mark the records as replaced wholesale (inside the caller's write transaction)."""
    import secrets

    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('generation', ?)", [secrets.token_hex(8)]
    )


def clear_workspace(ws: Workspace) -> None:
    """Delete every record but people and presence, inside the caller's transaction."""
    if not ws.conn.in_transaction:
        raise StoreError("clear_workspace must run inside a write transaction")
    new_generation(ws.conn)
    ws.conn.execute("PRAGMA defer_foreign_keys = ON")
    tables = [
        row[0]
        for row in ws.conn.execute(
            # Plain tables only: a text index's own tables are kept by the triggers that
            # delete an item's text with the item, and break if written to directly.
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
            " AND name NOT LIKE 'sqlite_%'"
        )
        if row[0] not in KEPT_WHEN_CLEARED
    ]
    # The change log's ids keep growing (the newest row stays until "cleared" follows
    # it): a teammate who has the file open reads the log from the last id it saw.
    last = "DELETE FROM changes WHERE id < (SELECT max(id) FROM changes)"
    for table in tables:  # names from sqlite_master
        ws.conn.execute(last if table == "changes" else f'DELETE FROM "{table}"')
    ws.log("workspace", None, "cleared")
    ws.conn.execute(last)


__all__ = [
    "MIGRATION_SET",
    "SCHEMA_VERSION",
    "Workspace",
    "WorkspaceBusy",
    "WorkspaceError",
    "WorkspaceReadOnly",
    "WouldWait",
    "clear_workspace",
    "generation",
    "new_generation",
    "utc_now",
]
