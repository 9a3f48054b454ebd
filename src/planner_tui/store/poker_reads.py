"""What the poker screens and exports read: sessions, the queue, people, rounds, votes, the item
under estimation and its context."""

from __future__ import annotations

import sqlite3

from planner_tui.domain.errors import NotFound
from planner_tui.store.text_search import NAMES, contains, narrowing
from planner_tui.store.workspace import Workspace

# --- decks -------------------------------------------------------------------------------


def session_row(ws: Workspace, session_id: int) -> sqlite3.Row:
    """The session with its facilitator's name."""
    row = ws.query_one(
        """SELECT s.id, s.title, s.status, s.started_at, s.ended_at, s.settings, s.summary,
               s.current_item_id, p.name AS facilitator
           FROM sessions s LEFT JOIN people p ON p.id = s.facilitator_id
           WHERE s.id = ? AND s.kind = 'estimation'""",
        [session_id],
    )
    if row is None:
        raise NotFound("that estimation session no longer exists")
    return row


def list_sessions(ws: Workspace, limit: int = 200) -> list[sqlite3.Row]:
    """Estimation sessions, open ones first, newest first, with their item counts."""
    return ws.query(
        """SELECT s.id, s.title, s.status, s.started_at, p.name AS facilitator,
               (SELECT count(*) FROM session_items si WHERE si.session_id = s.id) AS items,
               (SELECT count(*) FROM session_items si WHERE si.session_id = s.id
                    AND si.state = 'done') AS estimated
           FROM sessions s LEFT JOIN people p ON p.id = s.facilitator_id
           WHERE s.kind = 'estimation' ORDER BY s.status != 'open', s.started_at DESC, s.id DESC
           LIMIT ?""",
        [limit],
    )


_QUEUE = """SELECT si.item_id, i.key, i.title, si.state, si.position, i.estimate,
        si.final_card, si.final_estimate, si.rationale, si.notes,
        (SELECT count(*) FROM estimation_rounds r
            WHERE r.session_id = si.session_id AND r.item_id = si.item_id) AS rounds,
        (SELECT count(*) FROM risks k WHERE k.item_id = si.item_id
            AND k.status IN ('open', 'owned')) AS open_risks,
        (SELECT max(k.likelihood * k.impact) FROM risks k WHERE k.item_id = si.item_id
            AND k.status IN ('open', 'owned')) AS worst_risk
    FROM session_items si JOIN items i ON i.id = si.item_id
    WHERE si.session_id = ? AND i.deleted_at IS NULL"""


def queue_rows(
    ws: Workspace, session_id: int, offset: int = 0, limit: int = -1
) -> list[sqlite3.Row]:
    """The session's items in queue order, with their estimates and counts (`limit` of
    them from the `offset`th on; -1: all)."""
    return ws.query(f"{_QUEUE} ORDER BY si.position LIMIT ? OFFSET ?", [session_id, limit, offset])


def queue_entry_row(ws: Workspace, session_id: int, item_id: int) -> sqlite3.Row | None:
    """One item of the session's queue."""
    return ws.query_one(f"{_QUEUE} AND si.item_id = ?", [session_id, item_id])


def queue_counts(ws: Workspace, session_id: int) -> tuple[int, int]:
    """(items queued, items estimated) in the session."""
    row = ws.query_one(
        """SELECT count(*), coalesce(sum(si.state = 'done'), 0)
           FROM session_items si JOIN items i ON i.id = si.item_id
           WHERE si.session_id = ? AND i.deleted_at IS NULL""",
        [session_id],
    )
    return (row[0], row[1]) if row else (0, 0)


def people_rows(ws: Workspace, session_id: int) -> list[sqlite3.Row]:
    """Who takes part, by name."""
    return ws.query(
        """SELECT p.name, sp.role FROM session_people sp JOIN people p ON p.id = sp.person_id
           WHERE sp.session_id = ? ORDER BY p.name COLLATE NOCASE""",
        [session_id],
    )


def round_rows(ws: Workspace, session_id: int, item_id: int, latest: int = -1) -> list[sqlite3.Row]:
    """The rounds on an item in this session, oldest first, with its deck: every one, or
    the `latest` few; `rounds` says how many there are in all."""
    rows = ws.query(
        """SELECT r.id, r.number, r.started_at, r.revealed_at, r.timer_seconds,
               r.timer_started_at, d.name AS deck_name, d.cards AS deck_cards,
               count(*) OVER () AS rounds
           FROM estimation_rounds r LEFT JOIN decks d ON d.id = r.deck_id
           WHERE r.session_id = ? AND r.item_id = ? ORDER BY r.number DESC LIMIT ?""",
        [session_id, item_id, latest],
    )
    return rows[::-1]


def vote_rows(ws: Workspace, round_ids: list[int]) -> list[sqlite3.Row]:
    """The votes of these rounds: raw, cards included. Only services may read these."""
    if not round_ids:
        return []
    marks = ", ".join("?" * len(round_ids))
    return ws.query(
        f"""SELECT v.round_id, p.name AS voter, v.card, v.confidence, v.voted_at, v.entered_by
            FROM votes v JOIN people p ON p.id = v.person_id
            WHERE v.round_id IN ({marks}) ORDER BY p.name COLLATE NOCASE""",
        round_ids,
    )


def item_context_row(ws: Workspace, item_id: int) -> sqlite3.Row | None:
    """The fields of an item that matter while estimating it."""
    return ws.query_one(
        """SELECT id, key, title, status, problem, description, acceptance, estimate,
                  metric_name, metric_unit, metric_target, metric_actual, metric_better
           FROM items WHERE id = ?""",
        [item_id],
    )


def option_rows(ws: Workspace, item_id: int) -> list[sqlite3.Row]:
    """An item's options in order."""
    return ws.query(
        "SELECT description, effort, risk, chosen FROM item_options WHERE item_id = ? ORDER BY position",
        [item_id],
    )


def open_risk_rows(ws: Workspace, item_id: int) -> list[sqlite3.Row]:
    """Open risks on an item, highest score first."""
    return ws.query(
        """SELECT id, title, category, likelihood * impact AS score, blocking FROM risks
           WHERE item_id = ? AND status IN ('open', 'owned') ORDER BY score DESC, id""",
        [item_id],
    )


def earlier_notes(ws: Workspace, session_id: int, item_id: int) -> list[sqlite3.Row]:
    """Notes and rationales about this item from other estimation sessions."""
    return ws.query(
        """SELECT s.title, s.started_at, si.notes, si.rationale, si.final_card
           FROM session_items si JOIN sessions s ON s.id = si.session_id
           WHERE si.item_id = ? AND si.session_id != ? AND (si.notes != '' OR si.rationale != '')
           ORDER BY s.started_at DESC LIMIT 5""",
        [item_id, session_id],
    )


def unestimated_item_ids(ws: Workspace, count: int) -> list[int]:
    """The top `count` live, unestimated, not-finished items by rank (epics excluded), but
    none queued in a running session: a second session takes the items after them."""
    rows = ws.query(
        """SELECT id FROM items WHERE deleted_at IS NULL AND estimate IS NULL
               AND status NOT IN ('done', 'won''t do') AND kind != 'epic'
               AND id NOT IN (
                   SELECT q.item_id FROM session_items q JOIN sessions s ON s.id = q.session_id
                   WHERE s.status = 'open' AND s.kind = 'estimation')
           ORDER BY rank LIMIT ?""",
        [count],
    )
    return [row[0] for row in rows]


def find_items(ws: Workspace, text: str, limit: int = 50) -> list[sqlite3.Row]:
    """Live items whose key or title contains `text`, unestimated first, by rank."""
    hint, narrow, narrow_params = narrowing(ws, "id", text, NAMES)
    test, value = contains(text)
    return ws.query(
        f"""SELECT id, key, title, estimate FROM items {hint}
           WHERE deleted_at IS NULL AND status NOT IN ('done', 'won''t do')
               AND ({test.format("key")} OR {test.format("title")}){narrow}
           ORDER BY estimate IS NOT NULL, rank LIMIT ?""",
        [*value, *value, *narrow_params, limit],
    )
