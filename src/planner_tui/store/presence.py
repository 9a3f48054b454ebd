"""Who has the workspace open right now, and where in it: a row and a lock per running process.

Each running `planner` keeps a row (who, which process, where: home, a poker
session, a retro) and holds its lock in the workspace's lock file
(`store.liveness`). A process on this machine is here exactly while its lock is
held, so a closed terminal, a `kill -9` or a dropped SSH connection leaves "here
now" at once. A process on another machine, or where locks cannot be read, is
here while it keeps saying so: its row was refreshed within `STALE_AFTER`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import NamedTuple

from planner_tui.store.workspace import Workspace, utc_now

HEARTBEAT_EVERY = timedelta(seconds=30)
"""How often a running process refreshes its row (it also does when it changes place)."""

STALE_AFTER = timedelta(seconds=90)
"""A row not refreshed for this long is gone, whatever its lock says (a suspended terminal,
another machine, a file system without locks)."""

FORGET_AFTER = timedelta(minutes=10)
"""Presence rows older than this are deleted by the next heartbeat of anyone."""

_ROWS = """SELECT r.person_id, r.pid, r.host, r.place, r.seen_at, p.name
           FROM presence r JOIN people p ON p.id = r.person_id"""


@cache
def _host() -> str:
    import socket  # only needed once the UI is up

    return socket.gethostname()


def _cutoff(delta: timedelta) -> str:
    return (datetime.now(UTC) - delta).isoformat(timespec="seconds")


def _alive(ws: Workspace, row: sqlite3.Row, cutoff: str) -> bool:
    if row["seen_at"] < cutoff:
        return False
    if row["host"] != _host():
        return True
    held = ws.liveness.is_alive(row["pid"], row["person_id"])
    return held is not False


def _live(ws: Workspace, rows: Iterable[sqlite3.Row]) -> list[sqlite3.Row]:
    cutoff = _cutoff(STALE_AFTER)
    return [row for row in rows if _alive(ws, row, cutoff)]


UNLOCKED = " (no lock)"
"""Added to the host of a row whose process could not take its lock (a lock file it
cannot open): the others then go by how fresh the row is, as for another machine."""


def heartbeat(ws: Workspace, person_id: int, place: str = "home") -> None:
    """Say that this process (as `person_id`) is here, at `place` (every place it has open,
    by spaces, where it looks first). Not logged as a change.

    Also forgets the rows of processes that have ended (on this machine: their lock
    is gone) or stopped beating long ago.
    """
    host = _host() if ws.liveness.hold(os.getpid(), person_id) else _host() + UNLOCKED
    with ws.write() as conn:
        gone = [
            (row["person_id"], row["pid"])
            for row in conn.execute(_ROWS + " WHERE r.host = ?", [_host()])
            if ws.liveness.is_alive(row["pid"], row["person_id"]) is False
        ]
        conn.executemany(
            "DELETE FROM presence WHERE person_id = ? AND pid = ? AND host = ?",
            [(person, pid, _host()) for person, pid in gone],
        )
        conn.execute("DELETE FROM presence WHERE seen_at < ?", [_cutoff(FORGET_AFTER)])
        conn.execute(
            """INSERT INTO presence(person_id, pid, host, place, seen_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(person_id, host, pid) DO UPDATE SET place = excluded.place,
                   seen_at = excluded.seen_at""",
            [person_id, os.getpid(), host, place, utc_now()],
        )
        conn.execute(  # a row of ours from before the lock could (or could no longer) be taken
            "DELETE FROM presence WHERE person_id = ? AND pid = ? AND host IN (?, ?) AND host != ?",
            [person_id, os.getpid(), _host(), _host() + UNLOCKED, host],
        )


def leave(ws: Workspace, person_id: int) -> None:
    """Remove this process's presence row (on a clean exit)."""
    with ws.write() as conn:
        conn.execute(
            "DELETE FROM presence WHERE person_id = ? AND pid = ? AND host IN (?, ?)",
            [person_id, os.getpid(), _host(), _host() + UNLOCKED],
        )


def here_now(ws: Workspace) -> list[str]:
    """Names of the people with a live process on this workspace, sorted."""
    return sorted({row["name"] for row in _live(ws, ws.query(_ROWS))})


_AT = "instr(' ' || r.place || ' ', ' ' || ? || ' ') > 0"
"""A row's place is every place its process has open, by spaces, where it looks first."""


def here_at(ws: Workspace, place: str) -> set[str]:
    """Names of the people whose live process has `place` open (a poker session, a retro),
    whatever screen they look at this moment."""
    return {row["name"] for row in _live(ws, ws.query(_ROWS + f" WHERE {_AT}", [place]))}


def is_here(ws: Workspace, conn: sqlite3.Connection, name: str, place: str) -> bool:
    """Whether `name` has a live process with `place` open, read inside the caller's
    transaction."""
    rows = conn.execute(_ROWS + f" WHERE p.name = ? AND {_AT}", [name, place]).fetchall()
    return bool(_live(ws, rows))


class Here(NamedTuple):
    """One look at who is here, and what tells a watcher when to look again."""

    people: tuple[tuple[str, str], ...]
    """Who is here where, (name, place) sorted: what a change of presence changes."""
    processes: frozenset[int]
    """The other processes on this machine that are here by their lock: the moment one
    ends, it has left (`FileWatch.follow` wakes on it)."""
    stale_in: float | None
    """Seconds until the first row here goes stale unless its process beats again (None:
    nobody is here)."""
    elsewhere: bool
    """Someone is here from another machine, whose writes the kernel may not report."""


def _seen_at(row: sqlite3.Row) -> datetime | None:
    """When the row's process last beat; None if the file says something else there."""
    try:
        when = datetime.fromisoformat(row["seen_at"])
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def snapshot(ws: Workspace) -> Here:
    """Who is here where, and which of them a watcher can follow to their end."""
    now = datetime.now(UTC)
    live = _live(ws, ws.query(_ROWS))
    mine = os.getpid()
    processes = frozenset(
        row["pid"]
        for row in live
        if row["host"] == _host()
        and row["pid"] != mine
        and ws.liveness.is_alive(row["pid"], row["person_id"])
    )
    seen = [when for row in live if (when := _seen_at(row)) is not None]
    # seen_at is kept to the second: a row goes stale up to a second after this
    stale_in = (min(seen) + STALE_AFTER - now).total_seconds() + 1 if seen else None
    return Here(
        people=tuple(sorted({(row["name"], row["place"]) for row in live})),
        processes=processes,
        stale_in=stale_in,
        elsewhere=any(row["host"] not in (_host(), _host() + UNLOCKED) for row in live),
    )
