"""Risks as the screens see them: a risk with its item, sprint and owner, a line of its
history, the Risks screen's filters, and the register's counts by group.

Pydantic models, kept apart from `domain.risk`'s rules so that start-up (which counts
risks for Home) does not import pydantic before the first paint."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple

from planner_tui.domain.enums import RiskCategory, RiskStatus
from planner_tui.domain.models import Value
from planner_tui.domain.risk import LIVE, Severity, blocks, risk_score, severity, under_veto


class RiskView(Value):
    """A risk as the Risks screen lists it."""

    id: int
    title: str
    description: str = ""
    category: RiskCategory
    likelihood: int
    impact: int
    status: RiskStatus
    blocking: bool
    item_key: str | None = None
    item_title: str | None = None
    sprint: str | None = None
    owner: str | None = None
    mitigation: str = ""
    follow_up: date | None = None
    raised_by: str
    raised_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""

    @property
    def score(self) -> int:
        """Likelihood times impact, 1 to 25."""
        return risk_score(self.likelihood, self.impact)

    @property
    def severity(self) -> Severity:
        """The score's band."""
        return severity(self.score)

    @property
    def blocks(self) -> bool:
        """Whether it stops its item being committed or estimated now."""
        return blocks(self.status, self.blocking)

    @property
    def under_veto(self) -> bool:
        """A live blocking security risk: only engineering may lift it."""
        return under_veto(self.category, self.status, self.blocking)

    def overdue(self, today: date) -> bool:
        """Its follow-up date has passed while it is still live."""
        return self.follow_up is not None and self.follow_up < today and self.status in LIVE


class RiskEvent(Value):
    """One line of a risk's history."""

    at: datetime
    actor: str
    from_status: RiskStatus | None = None
    to_status: RiskStatus
    note: str = ""


class RiskFilter(Value):
    """What the Risks screen shows: all of it by default."""

    statuses: frozenset[RiskStatus] = frozenset(RiskStatus)
    category: RiskCategory | None = None
    item_key: str | None = None
    sprint: str | None = None
    owner: str | None = None
    cell: tuple[int, int] | None = None
    """(likelihood, impact): one cell of the matrix."""

    def keeps_kind(self, status: RiskStatus, category: RiskCategory, cell: tuple[int, int]) -> bool:
        """Whether a risk of this status, category and (likelihood, impact) passes those filters."""
        return (
            status in self.statuses
            and (self.category is None or category is self.category)
            and (self.cell is None or cell == self.cell)
        )

    def keeps(self, risk: RiskView) -> bool:
        """Whether `risk` passes every filter."""
        return (
            self.keeps_kind(risk.status, risk.category, (risk.likelihood, risk.impact))
            and (
                self.item_key is None
                or (risk.item_key or "").casefold() == self.item_key.casefold()
            )
            and (self.sprint is None or (risk.sprint or "").casefold() == self.sprint.casefold())
            and (self.owner is None or (risk.owner or "").casefold() == self.owner.casefold())
        )


class RiskGroup(NamedTuple):
    """How many risks share a status, category, likelihood, impact and blocking flag."""

    status: RiskStatus
    category: RiskCategory
    likelihood: int
    impact: int
    blocking: bool
    risks: int

    def kept_by(self, keep: RiskFilter) -> bool:
        """Whether `keep`'s status, category and cell filters keep these risks."""
        return keep.keeps_kind(self.status, self.category, (self.likelihood, self.impact))


class RiskCounts(NamedTuple):
    """The register's head: how many risks there are, are live, and block their item."""

    total: int
    live: int
    blocking: int


def counts(groups: Iterable[RiskGroup]) -> RiskCounts:
    """The register's counts from its groups."""
    total = live = blocking = 0
    for group in groups:
        total += group.risks
        if group.status in LIVE:
            live += group.risks
            blocking += group.risks if blocks(group.status, group.blocking) else 0
    return RiskCounts(total, live, blocking)


def shown(groups: Iterable[RiskGroup], keep: RiskFilter) -> int:
    """How many of the grouped risks `keep`'s status, category and cell filters keep."""
    return sum(group.risks for group in groups if group.kept_by(keep))


def matrix(groups: Iterable[RiskGroup], keep: RiskFilter) -> dict[tuple[int, int], int]:
    """How many risks `keep` (its cell aside) keeps in each (likelihood, impact) cell."""
    everywhere = keep.model_copy(update={"cell": None})
    cells = {(likelihood, impact): 0 for likelihood in range(1, 6) for impact in range(1, 6)}
    for group in groups:
        if group.kept_by(everywhere):
            cells[(group.likelihood, group.impact)] += group.risks
    return cells
