"""Risk flags and the history of their decisions."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import cast

from planner_tui.domain.enums import RiskCategory, RiskStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import NewRisk
from planner_tui.domain.risk import VETO_ROLE, check_decision, check_veto, lifts
from planner_tui.domain.risk_view import RiskFilter
from planner_tui.store.blocking import on_live_items
from planner_tui.store.items import item_id_by_key
from planner_tui.store.people import names_with_role, person_id, role_of
from planner_tui.store.risk_tally import RiskScope, scope_clauses
from planner_tui.store.sprint_reads import sprint_id_by_name
from planner_tui.store.sql import inserted_id
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
        risk_id = inserted_id(cursor)
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


# --- decisions, edits and reading --------------------------------------------------------


_RISKS = """SELECT r.id, r.title, r.description, r.category, r.likelihood, r.impact, r.status,
        r.blocking, i.key AS item_key, i.title AS item_title, s.name AS sprint,
        p.name AS owner, r.mitigation, r.follow_up, r.raised_by, r.raised_at,
        r.decided_by, r.decided_at, r.decision_note
    FROM risks r
    LEFT JOIN items i ON i.id = r.item_id
    LEFT JOIN sprints s ON s.id = r.sprint_id
    LEFT JOIN people p ON p.id = r.owner_id"""


def _risk(conn: sqlite3.Connection, risk_id: int) -> sqlite3.Row:
    row = conn.execute(f"{_RISKS} WHERE r.id = ?", [risk_id]).fetchone()
    if row is None:
        raise NotFound(f"risk R-{risk_id} no longer exists")
    return cast("sqlite3.Row", row)


def decide(
    ws: Workspace,
    risk_id: int,
    to: RiskStatus,
    note: str = "",
    *,
    owner: str | None = None,
    seen: RiskStatus | None = None,
    scores: tuple[int, int] | None = None,
) -> None:
    """Move a risk to a ROAM decision, or reopen it, with who, when and why in its history;
    with `scores`, its likelihood and impact become those (in the same history line).

    `seen` is the status the decider was looking at: if someone decided meanwhile,
    nothing changes and the refusal says who and what, so no decision is lost.
    """
    owner_id = person_id(ws, owner.strip()) if owner and owner.strip() else None
    when = utc_now()
    with ws.write() as conn:
        row = _risk(conn, risk_id)
        current = RiskStatus(row["status"])
        if seen is not None and current is not seen:
            raise InvalidInput(
                f"R-{risk_id} was made {current.value} by {row['decided_by'] or 'someone'} "
                "meanwhile; look again and decide with d"
            )
        check_decision(current, to, note, owner or row["owner"])
        _check_veto(ws, row, to_status=to)
        reopened = to is RiskStatus.OPEN
        conn.execute(
            "UPDATE risks SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, "
            "owner_id = coalesce(?, owner_id) WHERE id = ?",
            [
                to.value,
                None if reopened else ws.actor,
                None if reopened else when,
                "" if reopened else note.strip(),
                owner_id,
                risk_id,
            ],
        )
        said = note.strip()
        if scores is not None and scores != (row["likelihood"], row["impact"]):
            likelihood, impact = scores
            if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
                raise InvalidInput("likelihood and impact are 1 to 5")
            conn.execute(
                "UPDATE risks SET likelihood = ?, impact = ? WHERE id = ?",
                [likelihood, impact, risk_id],
            )
            rescored = (
                f"likelihood {row['likelihood']} → {likelihood}, impact {row['impact']} → {impact}"
            )
            said = f"{said}; {rescored}" if said else rescored
        conn.execute(
            "INSERT INTO risk_events(risk_id, at, actor, from_status, to_status, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [risk_id, when, ws.actor, current.value, to.value, said],
        )
        ws.log("risk", risk_id, "reopened" if reopened else to.value, said[:200])


def edit(
    ws: Workspace,
    risk_id: int,
    changes: dict[str, object],
    seen: dict[str, object] | None = None,
) -> None:
    """Change a risk's fields; what changed goes into its history as a note.

    `seen` holds what the editor started from for each changed field: a field someone
    else changed meanwhile stops the save, naming it, so neither change is lost.
    """
    allowed = {"title", "description", "category", "likelihood", "impact", "mitigation",
               "follow_up", "blocking", "owner"}  # fmt: skip
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(f"a risk has no field {sorted(unknown)[0]}")
    changes = dict(changes)
    sets_owner = "owner" in changes
    owner = str(changes.pop("owner") or "").strip() if sets_owner else ""
    owner_id = person_id(ws, owner) if owner else None
    with ws.write() as conn:
        row = _risk(conn, risk_id)
        columns = set(row.keys())  # a Row's own `in` looks at its values, not its names
        moved = [
            name
            for name, before in (seen or {}).items()
            if name in columns and str(row[name] if row[name] is not None else "") != str(before)
        ]
        if moved:
            raise InvalidInput(
                f"someone changed R-{risk_id}'s {', '.join(moved)} meanwhile; "
                "nothing was saved: open it again with e"
            )
        _check_veto(
            ws,
            row,
            to_category=RiskCategory(str(changes["category"])) if "category" in changes else None,
            to_blocking=bool(changes["blocking"]) if "blocking" in changes else None,
        )
        said = []
        for name, value in changes.items():
            stored = value.isoformat() if isinstance(value, date) else value
            if str(row[name]) != str(stored):
                said.append(f"{name} {row[name]} → {stored}")
                # `name` is one of `allowed`, checked above
                conn.execute(f"UPDATE risks SET {name} = ? WHERE id = ?", [stored, risk_id])
        if sets_owner and (row["owner"] or "").casefold() != owner.casefold():
            said.append(f"owner {row['owner'] or 'none'} → {owner or 'none'}")
            conn.execute("UPDATE risks SET owner_id = ? WHERE id = ?", [owner_id, risk_id])
        if not said:
            return
        note = "; ".join(said)[:500]
        conn.execute(
            "INSERT INTO risk_events(risk_id, at, actor, from_status, to_status, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [risk_id, utc_now(), ws.actor, row["status"], row["status"], note],
        )
        ws.log("risk", risk_id, "edited", note)


def _check_veto(
    ws: Workspace,
    row: sqlite3.Row,
    *,
    to_status: RiskStatus | None = None,
    to_category: RiskCategory | None = None,
    to_blocking: bool | None = None,
) -> None:
    """Refuse, inside the transaction, a change that lifts a blocking security risk unless
    the person making it is in engineering (the seed's escalation path)."""
    if lifts(
        category=RiskCategory(row["category"]),
        status=RiskStatus(row["status"]),
        blocking=bool(row["blocking"]),
        to_status=to_status,
        to_category=to_category,
        to_blocking=to_blocking,
    ):
        check_veto(row["id"], ws.actor, role_of(ws, ws.actor), names_with_role(ws, VETO_ROLE))


def scope_of(ws: Workspace, keep: RiskFilter) -> RiskScope:
    """The ids of the item, sprint and owner `keep` names (looked up only when it names them)."""

    def matching(name: str | None, sql: str, params: list[object]) -> tuple[int, ...] | None:
        if name is None:
            return None
        wanted = name.casefold()
        return tuple(row[0] for row in ws.query(sql, params) if str(row[1]).casefold() == wanted)

    # A key is narrowed by SQL (NOCASE, ASCII) and decided by casefold; sprints and
    # people are few, so all their names are compared.
    return RiskScope(
        item_ids=matching(
            keep.item_key, "SELECT id, key FROM items WHERE key = ? COLLATE NOCASE", [keep.item_key]
        ),
        sprint_ids=matching(keep.sprint, "SELECT id, name FROM sprints", []),
        owner_ids=matching(keep.owner, "SELECT id, name FROM people", []),
    )


def _where(keep: RiskFilter, scope: RiskScope) -> tuple[str, list[object]]:
    """SQL keeping the risks `keep` and `scope` keep (all but those on trashed items)."""
    clauses: list[str] = []
    params: list[object] = []
    statuses = sorted(status.value for status in keep.statuses)
    clauses.append(f"r.status IN ({', '.join('?' * len(statuses))})")
    params += statuses
    if keep.category is not None:
        clauses.append("r.category = ?")
        params.append(keep.category.value)
    if keep.cell is not None:
        clauses.append("r.likelihood = ? AND r.impact = ?")
        params += list(keep.cell)
    scoped, scope_params = scope_clauses(scope)
    clauses += scoped
    params += scope_params
    return " AND ".join(clauses), params


_BY_SCORE = "ORDER BY r.likelihood * r.impact DESC, r.id DESC"


def _ordered(scope: RiskScope) -> str:
    # The whole register is walked in risks_by_score's order, which holds what the
    # filters look at: a page costs the same at the top and 50,000 rows down. An
    # item, sprint or owner filter picks the few risks by their own index instead.
    return "risks r INDEXED BY risks_by_score" if scope.everything else "risks r"


def page_rows(
    ws: Workspace, keep: RiskFilter, scope: RiskScope, offset: int = 0, limit: int = -1
) -> list[sqlite3.Row]:
    """The risks `keep` shows, highest score first then the newest: `limit` from `offset`."""
    where, params = _where(keep, scope)
    return ws.query(
        f"""{_RISKS} WHERE r.id IN (
                SELECT r.id FROM {_ordered(scope)} WHERE {where} {_BY_SCORE} LIMIT ? OFFSET ?)
            {_BY_SCORE}""",
        [*params, limit, offset],
    )


def rank_of(ws: Workspace, keep: RiskFilter, scope: RiskScope, risk_id: int, score: int) -> int:
    """How many risks `keep` shows before risk `risk_id` (whose score is `score`)."""
    where, params = _where(keep, scope)
    row = ws.query_one(
        f"""SELECT count(*) FROM {_ordered(scope)} WHERE {where}
            AND (r.likelihood * r.impact > ? OR (r.likelihood * r.impact = ? AND r.id > ?))""",
        [*params, score, score, risk_id],
    )
    return int(row[0]) if row else 0


def overdue_count(ws: Workspace, today: date) -> int:
    """Live risks whose follow-up date is before `today` (by the index of follow-up dates)."""
    row = ws.query_one(
        # Without INDEXED BY, SQLite (no statistics) walks every live risk: 35 ms at 100,000.
        f"""SELECT count(*) FROM risks r INDEXED BY risks_follow_up
            WHERE r.follow_up IS NOT NULL AND r.follow_up < ?
            AND r.status IN ('open', 'owned') AND {on_live_items("r")}""",
        [today.isoformat()],
    )
    return int(row[0]) if row else 0


def event_rows(ws: Workspace, risk_id: int) -> list[sqlite3.Row]:
    """A risk's history, oldest first."""
    return ws.query(
        "SELECT at, actor, from_status, to_status, note FROM risk_events "
        "WHERE risk_id = ? ORDER BY id",
        [risk_id],
    )
