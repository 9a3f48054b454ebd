"""Risk flags as the screens use them: raise, list and filter, decide (ROAM), edit, history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import Field

from planner_tui.domain.enums import RiskCategory, RiskStatus
from planner_tui.domain.models import NewRisk, Value
from planner_tui.domain.risk_view import (
    RiskCounts,
    RiskEvent,
    RiskFilter,
    RiskGroup,
    RiskView,
    counts,
    matrix,
    shown,
)
from planner_tui.services.context import Session
from planner_tui.services.rows import Row, from_rows
from planner_tui.store import risks as store
from planner_tui.store.risk_tally import RiskScope, tally_rows


class RiskEdit(Value):
    """The fields of a risk that can change after it is raised; None leaves one as it is."""

    title: str | None = Field(default=None, min_length=1, max_length=2_000)
    description: str | None = None
    category: RiskCategory | None = None
    likelihood: int | None = Field(default=None, ge=1, le=5)
    impact: int | None = Field(default=None, ge=1, le=5)
    mitigation: str | None = None
    follow_up: date | None = None
    blocking: bool | None = None
    owner: str | None = None


def raise_risk(session: Session, risk: NewRisk) -> int:
    """Record a risk raised by `session.me`; returns its id (shown as R-<id>)."""
    return store.raise_risk(session.workspace, risk)


def listing(session: Session, keep: RiskFilter | None = None) -> list[RiskView]:
    """Every risk `keep` passes (all of them without it), by score, highest first."""
    keep = keep or RiskFilter()
    rows = store.page_rows(session.workspace, keep, store.scope_of(session.workspace, keep))
    return from_rows(RiskView, rows)


@dataclass(frozen=True)
class Register:
    """What the Risks screen shows for a filter: counts from the kept tally, rows by page."""

    keep: RiskFilter
    scope: RiskScope
    counts: RiskCounts
    shown: int
    """How many risks the filter keeps."""
    cells: dict[tuple[int, int], int]
    """The 5x5 matrix of the risks the filter keeps, its cell filter aside."""

    @classmethod
    def of(cls, session: Session, keep: RiskFilter) -> Register:
        """Count the register for `keep`: a few hundred grouped rows, whatever its size."""
        ws = session.workspace
        scope = store.scope_of(ws, keep)
        everything = _groups(tally_rows(ws, RiskScope()))
        kept = everything if scope.everything else _groups(tally_rows(ws, scope))
        return cls(keep, scope, counts(everything), shown(kept, keep), matrix(kept, keep))


def _groups(rows: Sequence[Row]) -> list[RiskGroup]:
    return [
        RiskGroup(
            RiskStatus(row["status"]),
            RiskCategory(row["category"]),
            row["likelihood"],
            row["impact"],
            bool(row["blocking"]),
            row["risks"],
        )
        for row in rows
    ]


def page(session: Session, register: Register, offset: int, limit: int) -> list[RiskView]:
    """`limit` of the risks `register` shows (all with -1), from the `offset`-th."""
    rows = store.page_rows(session.workspace, register.keep, register.scope, offset, limit)
    return from_rows(RiskView, rows)


def position(session: Session, register: Register, risk: RiskView) -> int:
    """Where `risk` is (or would be) in the list `register` shows."""
    return store.rank_of(session.workspace, register.keep, register.scope, risk.id, risk.score)


def overdue(session: Session, today: date) -> int:
    """How many live risks have a follow-up date before `today`."""
    return store.overdue_count(session.workspace, today)


class Veto(Value):
    """Who may lift a risk under the security veto, as the Risks screen says it."""

    line: str = ""
    """Empty when the risk is not under the veto."""
    mine: bool = True
    """Whether the person looking may lift it."""


def veto(session: Session, risk: RiskView) -> Veto:
    """Whether `risk` is engineering's to lift, who that is, and whether it is me."""
    if not risk.under_veto:
        return Veto()
    from planner_tui.domain.risk import VETO_ROLE, who_may_lift
    from planner_tui.store.people import names_with_role, role_of

    who = who_may_lift(names_with_role(session.workspace, VETO_ROLE))
    return Veto(
        line=f"security veto: only engineering may accept, mitigate or resolve it — {who}",
        mine=role_of(session.workspace, session.me) is VETO_ROLE,
    )


def decide(
    session: Session,
    risk_id: int,
    to: RiskStatus,
    note: str = "",
    owner: str | None = None,
    *,
    seen: RiskStatus | None = None,
    scores: tuple[int, int] | None = None,
) -> None:
    """Resolve, own, accept, mitigate, or reopen a risk (refused if it moved from `seen`);
    `scores`, the (likelihood, impact) it has after the decision, as when mitigated."""
    store.decide(session.workspace, risk_id, to, note, owner=owner, seen=seen, scores=scores)


def _stored(changes: RiskEdit) -> dict[str, object]:
    """The set fields of `changes` as the file keeps them (flags as 0/1, enums as text)."""
    fields: dict[str, object] = {}
    for name, value in changes.model_dump(exclude_none=True).items():
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, RiskCategory):
            value = value.value
        elif isinstance(value, date):
            value = value.isoformat()
        fields[name] = value
    return fields


def edit(session: Session, risk_id: int, changes: RiskEdit, seen: RiskEdit | None = None) -> None:
    """Change a risk's fields; each change is kept in its history.

    With `seen` (the fields as the editor found them), only fields that differ from
    it are written, and one that someone else changed meanwhile stops the save.
    """
    fields = _stored(changes)
    before = _stored(seen) if seen is not None else {}
    if seen is not None:
        fields = {name: value for name, value in fields.items() if before.get(name) != value}
        before = {name: before.get(name, "") for name in fields}
    if fields:
        store.edit(session.workspace, risk_id, fields, before or None)


def history(session: Session, risk_id: int) -> list[RiskEvent]:
    """Every status change and edit of a risk, oldest first."""
    return from_rows(RiskEvent, store.event_rows(session.workspace, risk_id))
