"""Retro boards: phases, cards, themes, dot votes, reviews of earlier actions, ratings.

Every move is one write transaction that checks its rule inside it (the phase,
who facilitates, the vote limit), so terminals acting at once cannot slip past
each other. On an anonymous board no author is written for a card — not in the
card, not in the change log — so the file cannot tell who wrote what. Hiding
unrevealed cards from other people is the service's job (`services.retro`).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from planner_tui.domain.enums import ActionStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.poker import seconds_left
from planner_tui.domain.retro import (
    BUILTIN_TEMPLATES,
    DECISION_STATUS,
    NewTemplate,
    Phase,
    RetroSettings,
    ReviewDecision,
)
from planner_tui.domain.stored import texts_of
from planner_tui.store.people import person_id

# --- templates ---------------------------------------------------------------------------
from planner_tui.store.retro_base import open_board, settings_of
from planner_tui.store.sql import inserted_id
from planner_tui.store.workspace import Workspace, utc_now


def custom_templates(ws: Workspace) -> list[tuple[str, tuple[str, ...]]]:
    """The workspace's own templates, by name."""
    rows = ws.query(
        "SELECT name, columns FROM retro_templates WHERE builtin = 0 ORDER BY name COLLATE NOCASE"
    )
    return [(row[0], columns) for row in rows if (columns := texts_of(row[1]))]


def save_template(ws: Workspace, template: NewTemplate) -> None:
    """Keep a custom template (replacing one of the same name)."""
    if template.name in BUILTIN_TEMPLATES:
        raise InvalidInput(f"{template.name} is a built-in template; give yours another name")
    with ws.write() as conn:
        conn.execute(
            "INSERT INTO retro_templates(name, columns, builtin) VALUES (?, ?, 0) "
            "ON CONFLICT(name) DO UPDATE SET columns = excluded.columns",
            [template.name, json.dumps(list(template.columns), ensure_ascii=False)],
        )
        ws.log("retro", None, "template saved", template.name)


def create_retro(
    ws: Workspace,
    title: str,
    template: str,
    columns: tuple[str, ...],
    settings: RetroSettings,
    *,
    sprint_id: int | None = None,
    at: str | None = None,
) -> int:
    """Open a retro run by the acting person; returns the session id.

    The open actions of earlier retros are put on its review list; with none to
    review, the board starts at Write.
    """
    facilitator = person_id(ws, ws.actor)
    when = at or utc_now()
    with ws.write() as conn:
        session_id = inserted_id(
            conn.execute(
                """INSERT INTO sessions(kind, title, facilitator_id, sprint_id, status, started_at,
                   settings) VALUES ('retro', ?, ?, ?, 'open', ?, ?)""",
                [title, facilitator, sprint_id, when, settings.model_dump_json()],
            )
        )
        board_id = inserted_id(
            conn.execute(
                """INSERT INTO retro_boards(session_id, sprint_id, template, columns, anonymous,
                   votes_per_person, several_votes_per_card, hide_totals, phase,
                   phase_started_at, phase_seconds)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'review', ?, ?)""",
                [
                    session_id,
                    sprint_id,
                    template,
                    json.dumps(list(columns), ensure_ascii=False),
                    settings.anonymous,
                    settings.votes_per_person,
                    settings.several_votes_per_card,
                    settings.hide_totals,
                    when,
                    settings.phase_seconds,
                ],
            )
        )
        reviewed = conn.execute(
            """INSERT INTO action_reviews(board_id, action_id)
               SELECT ?, id FROM action_items WHERE status IN ('open', 'in progress')""",
            [board_id],
        ).rowcount
        if not reviewed:
            conn.execute("UPDATE retro_boards SET phase = 'write' WHERE id = ?", [board_id])
        _join(conn, session_id, facilitator, when)
        ws.log("session", session_id, "started", title)
        return session_id


def _join(conn: sqlite3.Connection, session_id: int, person: int, when: str) -> None:
    conn.execute(
        """INSERT INTO session_people(session_id, person_id, role, joined_at)
           VALUES (?, ?, 'voter', ?) ON CONFLICT(session_id, person_id) DO NOTHING""",
        [session_id, person, when],
    )


def join(ws: Workspace, session_id: int) -> bool:
    """Take part in the retro (recorded once; rejoining changes nothing). Whether it
    joined now."""
    me = person_id(ws, ws.actor)
    if ws.query_one(
        """SELECT 1 FROM sessions s WHERE s.id = ? AND (s.status != 'open' OR EXISTS
               (SELECT 1 FROM session_people WHERE session_id = s.id AND person_id = ?))""",
        [session_id, me],
    ):
        return False  # already in it, or it has ended: there is nothing to join
    with ws.write() as conn:
        open_board(ws, conn, session_id, doing="join the retro")
        _join(conn, session_id, me, utc_now())
        ws.log("retro", session_id, "joined", ws.actor)
    return True


def set_phase(ws: Workspace, session_id: int, phase: Phase) -> None:
    """Move the board to `phase`, forwards or back, restarting its countdown (facilitator only)."""
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, doing="change the phase", facilitator_only=True)
        if row["phase"] == phase.value:
            return
        conn.execute(
            "UPDATE retro_boards SET phase = ?, phase_started_at = ?, phase_seconds = ? "
            "WHERE id = ?",
            [phase.value, utc_now(), settings_of(row).phase_seconds, row["board_id"]],
        )
        ws.log("retro", session_id, "phase", phase.value)


def set_present(ws: Workspace, session_id: int, present: bool) -> None:
    """Whether the facilitator's screen opens the board in the presenter view (theirs only)."""
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, doing="change the board's settings",
                         facilitator_only=True)  # fmt: skip
        settings = settings_of(row).model_copy(update={"present": present})
        conn.execute(
            "UPDATE sessions SET settings = ? WHERE id = ?",
            [settings.model_dump_json(), session_id],
        )
        ws.log("retro", session_id, "settings", f"present {present}")


def add_time(ws: Workspace, session_id: int, seconds: int) -> None:
    """Give the phase's countdown `seconds` more from what is left (less when negative)."""
    now = datetime.now(UTC)
    with ws.write() as conn:
        row = open_board(ws, conn, session_id, doing="change the timer", facilitator_only=True)
        started = (
            datetime.fromisoformat(row["phase_started_at"]) if row["phase_started_at"] else None
        )
        left = seconds_left(started, row["phase_seconds"], now) if started else 0
        remaining = min(max(left or 0, 0) + seconds, 3600)
        conn.execute(
            "UPDATE retro_boards SET phase_seconds = ?, phase_started_at = ? WHERE id = ?",
            [max(remaining, 0), now.isoformat(timespec="seconds"), row["board_id"]],
        )
        ws.log("retro", session_id, "timer", f"{seconds:+d}")


def review(
    ws: Workspace, session_id: int, action_id: int, decision: ReviewDecision, note: str = ""
) -> None:
    """Decide about an earlier action: done and dropped set its status; carried over keeps it open."""
    when = utc_now()
    with ws.write() as conn:
        row = open_board(
            ws, conn, session_id, phases=(Phase.REVIEW,), doing="review earlier actions"
        )
        found = conn.execute(
            "UPDATE action_reviews SET decision = ?, decided_by = ?, decided_at = ?, note = ? "
            "WHERE board_id = ? AND action_id = ?",
            [decision.value, ws.actor, when, note, row["board_id"], action_id],
        ).rowcount
        if not found:
            raise NotFound("that action is not on this retro's review list")
        status = DECISION_STATUS.get(decision)
        if status is None:  # carried over: still to do, whatever was decided a moment ago
            conn.execute(
                "UPDATE action_items SET status = ? WHERE id = ? AND status IN ('done', 'dropped')",
                [ActionStatus.OPEN.value, action_id],
            )
        else:
            conn.execute(
                "UPDATE action_items SET status = ? WHERE id = ?", [status.value, action_id]
            )
        conn.execute(
            "UPDATE action_items SET decided_by = ?, decided_at = ?, review_note = ?, "
            "updated_at = ? WHERE id = ?",
            [ws.actor, when, note, when, action_id],
        )
        ws.log("action", action_id, "reviewed", decision.value)
