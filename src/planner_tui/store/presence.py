"""Who has the workspace open right now: a heartbeat row per running process."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from planner_tui.store.workspace import Workspace, utc_now

STALE_AFTER = timedelta(seconds=30)
"""A process that has not beaten for this long is taken to be gone (closed terminal, lost SSH)."""


def _host() -> str:
    import socket  # only needed once the UI is up

    return socket.gethostname()


FORGET_AFTER = timedelta(minutes=10)
"""Presence rows older than this are deleted by the next heartbeat of anyone."""


def heartbeat(ws: Workspace, person_id: int, place: str = "home") -> None:
    """Say that this process (as `person_id`) is here, at `place`. Not logged as a change.

    Also forgets processes that stopped beating long ago (killed terminals).
    """
    forget_before = (datetime.now(UTC) - FORGET_AFTER).isoformat(timespec="seconds")
    with ws.write() as conn:
        conn.execute("DELETE FROM presence WHERE seen_at < ?", [forget_before])
        conn.execute(
            """INSERT INTO presence(person_id, pid, host, place, seen_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(person_id, host, pid) DO UPDATE SET place = excluded.place,
                   seen_at = excluded.seen_at""",
            [person_id, os.getpid(), _host(), place, utc_now()],
        )


def leave(ws: Workspace, person_id: int) -> None:
    """Remove this process's presence row (on a clean exit)."""
    with ws.write() as conn:
        conn.execute(
            "DELETE FROM presence WHERE person_id = ? AND pid = ? AND host = ?",
            [person_id, os.getpid(), _host()],
        )


def here_now(ws: Workspace) -> list[str]:
    """Names of the people with a live process on this workspace, sorted."""
    cutoff = (datetime.now(UTC) - STALE_AFTER).isoformat(timespec="seconds")
    rows = ws.query(
        """SELECT DISTINCT p.name FROM presence r JOIN people p ON p.id = r.person_id
           WHERE r.seen_at >= ? ORDER BY p.name""",
        [cutoff],
    )
    return [row[0] for row in rows]
