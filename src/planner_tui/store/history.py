"""What the team has done over time: sprints committed and finished, retros rated, actions
still open. Small reads (a row per sprint, retro or open action)."""

from __future__ import annotations

import sqlite3

from planner_tui.store.workspace import Workspace


def sprint_rows(ws: Workspace, limit: int) -> list[sqlite3.Row]:
    """Closed sprints, newest first: name, points committed at the close, points done."""
    return ws.query(
        """SELECT s.name, s.end_date,
                  (SELECT coalesce(sum(i.estimate), 0) FROM sprint_items c
                     JOIN items i ON i.id = c.item_id
                    WHERE c.sprint_id = s.id AND c.removed_at IS NULL) AS committed,
                  coalesce(s.completed_points, 0) AS done
           FROM sprints s WHERE s.status = 'closed'
           ORDER BY s.end_date DESC, s.id DESC LIMIT ?""",
        [limit],
    )


def retro_rows(ws: Workspace, limit: int) -> list[sqlite3.Row]:
    """Ended retros, newest first, with how many rated them and the average."""
    return ws.query(
        """SELECT s.title, substr(s.started_at, 1, 10) AS day,
                  count(r.rating) AS ratings, avg(r.rating) AS average
           FROM sessions s JOIN retro_boards b ON b.session_id = s.id
           LEFT JOIN retro_ratings r ON r.board_id = b.id
           WHERE s.status = 'closed'
           GROUP BY s.id ORDER BY s.started_at DESC LIMIT ?""",
        [limit],
    )


def open_action_rows(ws: Workspace, limit: int) -> list[sqlite3.Row]:
    """Open actions, oldest first: text, owner, when agreed."""
    return ws.query(
        """SELECT a.text, p.name AS owner, substr(a.created_at, 1, 10) AS day
           FROM action_items a LEFT JOIN people p ON p.id = a.owner_id
           WHERE a.status IN ('open', 'in progress')
           ORDER BY a.created_at, a.id LIMIT ?""",
        [limit],
    )


def outcome_rows(ws: Workspace, limit: int) -> list[sqlite3.Row]:
    """Done items with a success metric, most recently changed first: what was launched
    and what it was meant to move."""
    return ws.query(
        """SELECT key, title, status, metric_name, metric_unit, metric_target, metric_actual,
                  metric_better
           FROM items
           WHERE deleted_at IS NULL AND status = 'done' AND coalesce(metric_name, '') != ''
           ORDER BY updated_at DESC, id DESC LIMIT ?""",
        [limit],
    )
