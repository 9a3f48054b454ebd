"""Risk flags and the history of their decisions."""

from __future__ import annotations

from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import NewRisk
from planner_tui.store.items import item_id_by_key
from planner_tui.store.people import person_id
from planner_tui.store.sprints import sprint_id_by_name
from planner_tui.store.workspace import Workspace, utc_now


def raise_risk(ws: Workspace, risk: NewRisk, *, at: str | None = None) -> int:
    """Record a new risk (and, if it is already decided, its decision)."""
    item_id = item_id_by_key(ws, risk.item_key) if risk.item_key else None
    if risk.item_key and item_id is None:
        raise InvalidInput(f"item {risk.item_key} does not exist")
    sprint_id = sprint_id_by_name(ws, risk.sprint_name) if risk.sprint_name else None
    if risk.sprint_name and sprint_id is None:
        raise InvalidInput(f"sprint {risk.sprint_name} does not exist")
    owner_id = person_id(ws, risk.owner) if risk.owner else None
    when = at or utc_now()
    with ws.write() as conn:
        cursor = conn.execute(
            """INSERT INTO risks(title, description, category, likelihood, impact, status, blocking,
                   item_id, sprint_id, owner_id, mitigation, follow_up, raised_by, raised_at)
               VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                risk.title,
                risk.description,
                risk.category.value,
                risk.likelihood,
                risk.impact,
                risk.is_blocking,
                item_id,
                sprint_id,
                owner_id,
                risk.mitigation,
                risk.follow_up.isoformat() if risk.follow_up else None,
                ws.actor,
                when,
            ],
        )
        risk_id = cursor.lastrowid
        conn.execute(
            "INSERT INTO risk_events(risk_id, at, actor, from_status, to_status, note) "
            "VALUES (?, ?, ?, NULL, 'open', '')",
            [risk_id, when, ws.actor],
        )
        if risk.status.value != "open":
            conn.execute(
                "UPDATE risks SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? "
                "WHERE id = ?",
                [risk.status.value, ws.actor, when, risk.decision_note, risk_id],
            )
            conn.execute(
                "INSERT INTO risk_events(risk_id, at, actor, from_status, to_status, note) "
                "VALUES (?, ?, ?, 'open', ?, ?)",
                [risk_id, when, ws.actor, risk.status.value, risk.decision_note],
            )
        ws.log("risk", risk_id, "raised", risk.title)
    return risk_id
