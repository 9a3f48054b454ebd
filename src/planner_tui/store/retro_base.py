"""What every part of a retro reads first: the board's row and settings, opened for a change in
the phases that allow it."""

from __future__ import annotations

import sqlite3
from typing import Any, cast

from planner_tui.domain.errors import NotFound
from planner_tui.domain.poker import require_facilitator
from planner_tui.domain.retro import Phase, RetroSettings, check_board_open, require_phase
from planner_tui.domain.stored import settings_from
from planner_tui.store.workspace import Workspace

# --- templates ---------------------------------------------------------------------------


BOARD = """SELECT s.id AS session_id, s.title, s.status, s.started_at, s.ended_at, s.summary,
        s.settings, p.name AS facilitator, b.id AS board_id, b.template, b.columns,
        b.phase, b.phase_started_at, b.phase_seconds, b.writers, b.anonymous,
        sp.name AS sprint
    FROM sessions s JOIN retro_boards b ON b.session_id = s.id
    LEFT JOIN people p ON p.id = s.facilitator_id
    LEFT JOIN sprints sp ON sp.id = b.sprint_id
    WHERE s.id = ? AND s.kind = 'retro'"""


def settings_of(row: sqlite3.Row | dict[str, Any]) -> RetroSettings:
    """A board's settings from its session's stored JSON."""
    return settings_from(RetroSettings, row["settings"])


def open_board(
    ws: Workspace,
    conn: sqlite3.Connection,
    session_id: int,
    *,
    phases: tuple[Phase, ...] | None = None,
    doing: str,
    facilitator_only: bool = False,
) -> sqlite3.Row:
    """The board row, refusing an ended retro, the wrong phase, or (when asked) a non-facilitator."""
    row = conn.execute(BOARD, [session_id]).fetchone()
    if row is None:
        raise NotFound("that retro no longer exists")
    check_board_open(row["status"])
    if facilitator_only:
        require_facilitator(ws.actor, row["facilitator"], doing)
    if phases is not None:
        require_phase(Phase(row["phase"]), phases, doing)
    return cast("sqlite3.Row", row)
