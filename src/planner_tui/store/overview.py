"""The reads behind the home screen: a handful of indexed aggregate queries."""

from __future__ import annotations

from planner_tui.domain.enums import RiskStatus
from planner_tui.domain.overview import (
    ActionGlance,
    Overview,
    SessionGlance,
    SprintGlance,
    line_points,
    team_and_reserve,
)
from planner_tui.domain.risk import LIVE, SEVERITY_ORDER, severity
from planner_tui.store.presence import here_now
from planner_tui.store.risk_tally import RiskScope, tally_rows
from planner_tui.store.workspace import Workspace

_CLOSED_STATUSES = ("done", "won't do")


def load_overview(ws: Workspace, today: str) -> Overview:
    """Everything the home screen shows; `today` is an ISO date (passed in for tests)."""
    with ws.reading():
        open_items = estimated_items = done_items = 0
        estimated_points = 0.0
        for status, count, estimated, points in ws.query(
            "SELECT status, items, estimated, points FROM item_tally"
        ):
            if status == "done":
                done_items = count
            elif status not in _CLOSED_STATUSES:
                open_items += count
                estimated_items += estimated
                estimated_points += points
        risks: dict[str, int] = {level.value: 0 for level in SEVERITY_ORDER}
        blocking = 0
        for group in tally_rows(ws, RiskScope()):  # kept by trigger: no scan of the register
            if RiskStatus(group["status"]) in LIVE:
                risks[severity(group["likelihood"] * group["impact"]).value] += group["risks"]
                blocking += group["risks"] if group["blocking"] else 0
        actions = ws.row(
            """SELECT count(*), count(CASE WHEN due_date < ? THEN 1 END)
               FROM action_items WHERE status IN ('open', 'in progress')""",
            [today],
        )
        top_actions = tuple(
            ActionGlance(
                text=row[0],
                owner=row[1] or "nobody",
                due=row[2],
                overdue=row[2] is not None and row[2] < today,
            )
            for row in ws.query(
                """SELECT a.text, p.name, a.due_date FROM action_items a
                   LEFT JOIN people p ON p.id = a.owner_id
                   WHERE a.status IN ('open', 'in progress')
                   ORDER BY a.due_date IS NULL, a.due_date, a.id LIMIT 5"""
            )
        )
        sessions = tuple(
            SessionGlance(kind=row[0], title=row[1], started_at=row[2], status=row[3])
            for row in ws.query(
                "SELECT kind, title, started_at, status FROM sessions ORDER BY started_at DESC, id DESC LIMIT 5"
            )
        )
        velocity = ws.query_one(  # as the Sprint screen: the last three closed sprints' average
            """SELECT round(avg(completed_points), 1) FROM (SELECT coalesce(completed_points, 0)
                   AS completed_points FROM sprints WHERE status = 'closed'
                   ORDER BY end_date DESC, id DESC LIMIT 3)"""
        )
        people = ws.count("SELECT count(*) FROM people")
        return Overview(
            open_items=open_items,
            estimated_items=estimated_items,
            estimated_points=estimated_points,
            done_items=done_items,
            sprint=_current_sprint(ws),
            last_velocity=velocity[0] if velocity else None,
            open_risks_by_severity=risks,
            blocking_risks=blocking,
            open_actions=actions[0],
            overdue_actions=actions[1],
            top_actions=top_actions,
            recent_sessions=sessions,
            people=people,
            here_now=tuple(here_now(ws)),
        )


def _current_sprint(ws: Workspace) -> SprintGlance | None:
    row = ws.query_one(
        """SELECT id, name, goal, status, start_date, end_date, points_per_day,
                  reserve_percent FROM sprints
           WHERE status IN ('active', 'planned')
           ORDER BY status = 'active' DESC, start_date LIMIT 1"""
    )
    if row is None:
        return None
    sprint_id = row[0]
    committed = ws.row(
        """SELECT count(*), coalesce(sum(i.estimate), 0),
                  coalesce(sum(CASE WHEN s.done THEN i.estimate END), 0)
           FROM sprint_items s JOIN items i ON i.id = s.item_id
           WHERE s.sprint_id = ? AND s.removed_at IS NULL""",
        [sprint_id],
    )
    lines = ws.query(
        """SELECT days_available, days_off, focus_factor, points_override
           FROM sprint_capacity WHERE sprint_id = ?""",
        [sprint_id],
    )
    team, reserve = team_and_reserve(
        (line_points(a, off, focus, row[6], points) for a, off, focus, points in lines), row[7]
    )
    return SprintGlance(
        name=row[1],
        goal=row[2],
        status=row[3],
        start=row[4],
        end=row[5],
        item_count=committed[0],
        committed_points=committed[1],
        done_points=committed[2],
        plannable_points=round(team - reserve, 1) if lines else None,
    )
