"""How a workspace notices what other processes changed, and records its own changes.

Mixed into `Workspace`: every change is logged in the `changes` table inside the
transaction that makes it, and `poll_changes` asks SQLite cheaply whether anyone
else committed, then reads the kinds of record touched from the log.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from planner_tui.store.opening import connect_to_read, utc_now


class ChangeWatch:
    """The change log and the poll, over a workspace's connection."""

    path: Path
    conn: sqlite3.Connection
    actor: str
    lock: threading.RLock
    immutable: bool
    _busy_timeout: float
    _file_seen: tuple[int, int, bool]
    _last_data_version: int
    _last_change_id: int
    _last_quiet: str | None

    def log(self, entity: str, entity_id: int | None, action: str, summary: str = "") -> None:
        """Record who changed what; call inside `write()` so it commits with the change."""
        self.conn.execute(
            "INSERT INTO changes(at, actor, entity, entity_id, action, summary) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [utc_now(), self.actor, entity, entity_id, action, summary[:500]],
        )

    def log_quietly(self) -> None:
        """Count a change that must leave no trace in the change log (an anonymous card).

        Other terminals see the count move and redraw cards, learning nothing a
        change-log entry's order or time could tell about who wrote it.
        """
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES ('quiet_writes', '1') ON CONFLICT(key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def _quiet_writes(self) -> str | None:
        with self.lock:
            try:
                row = self.conn.execute(
                    "SELECT value FROM meta WHERE key = 'quiet_writes'"
                ).fetchone()
            except sqlite3.OperationalError:
                return None
        return None if row is None else str(row[0])

    def data_version(self) -> int:
        """SQLite's counter that moves when another connection commits to this file."""
        with self.lock:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _max_change_id(self) -> int:
        with self.lock:
            try:
                row = self.conn.execute("SELECT max(id) FROM changes").fetchone()
            except sqlite3.OperationalError:
                return 0
        return row[0] or 0

    def poll_changes(self, *, wait: bool = False) -> frozenset[str] | None:
        """What other processes changed since the last poll, cheaply.

        Returns None when nothing was committed elsewhere (one PRAGMA, a few
        microseconds). Otherwise the kinds of record touched, read from the change
        log after the last id seen (`card` for anonymous cards, which leave no entry);
        empty when nothing logged moved: only who is here, or where. Without `wait`,
        also None while a write of ours holds the connection (look again soon); a
        watcher thread that can afford to wait for it passes `wait=True`.
        """
        if not self.lock.acquire(blocking=wait):
            return None  # a worker is writing; look again on the next tick
        try:
            if self.immutable and not self._reopen_if_changed():
                return None
            version = self.conn.execute("PRAGMA data_version").fetchone()[0]
            if version == self._last_data_version:
                return None
            self._last_data_version = version
            # One statement, so one snapshot: a commit landing between reading the
            # entities and reading the newest id would otherwise be skipped for good.
            rows = self.conn.execute(
                "SELECT entity, max(id) FROM changes WHERE id > ? GROUP BY entity"
                " UNION ALL SELECT NULL, coalesce(max(id), 0) FROM changes",
                [self._last_change_id],
            ).fetchall()
            newest = next(row[1] for row in rows if row[0] is None)
            rows = [row for row in rows if row[0] is not None]
            if newest < self._last_change_id:  # emptied and rebuilt in place: all is new
                rows.append(("workspace", newest))
            self._last_change_id = newest
            quiet = self._quiet_writes()
        except (sqlite3.OperationalError, sqlite3.ProgrammingError):  # busy, or closed
            return None
        finally:
            self.lock.release()
        entities = {row[0] for row in rows}
        if quiet != self._last_quiet:
            self._last_quiet = quiet
            entities.add("card")
        return frozenset(entities)

    def _file_signature(self) -> tuple[int, int, bool]:
        try:
            stat = self.path.stat()
        except OSError:
            return (0, 0, False)
        return (stat.st_mtime_ns, stat.st_size, Path(f"{self.path}-shm").exists())

    def _reopen_if_changed(self) -> bool:
        """For a still-file reader: connect anew if the file (or its journal) changed.

        Someone who can write may open the file meanwhile; once its journal index
        exists we read through it like any reader, and see their changes live.
        """
        seen = self._file_signature()
        if seen == self._file_seen:
            return False
        self._file_seen = seen
        self.conn.close()
        self.conn, self.immutable = connect_to_read(self.path, self._busy_timeout)
        self._last_data_version = -1  # a new connection: read the change log again
        return True
