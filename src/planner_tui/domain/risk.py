"""Risks: scoring (likelihood times impact, banded), ROAM decisions, and blocking."""

from __future__ import annotations

from enum import StrEnum

from planner_tui.domain.enums import RiskCategory, RiskStatus, Role
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.identity import NotAllowed


class Severity(StrEnum):
    """How bad a risk is, from its score."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)


def risk_badge(count: int, worst_score: int | None) -> str:
    """`2H`: how many live risks an item has, and the severity of the worst (L, M, H, C)."""
    if not count or worst_score is None:
        return ""
    return f"{count}{severity(worst_score).value[0].upper()}"


def risk_score(likelihood: int, impact: int) -> int:
    """The score of a risk on the 5x5 matrix: 1 to 25."""
    if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
        raise ValueError("likelihood and impact run from 1 to 5")
    return likelihood * impact


def severity(score: int) -> Severity:
    """The severity band of a score: 1-4 low, 5-9 medium, 10-15 high, 16-25 critical."""
    if score >= 16:
        return Severity.CRITICAL
    if score >= 10:
        return Severity.HIGH
    if score >= 5:
        return Severity.MEDIUM
    return Severity.LOW


# --- ROAM decisions ----------------------------------------------------------------------

LIVE = frozenset({RiskStatus.OPEN, RiskStatus.OWNED})
"""Statuses of a risk still to be dealt with; a blocking risk in one of them blocks."""

CLEARING = (RiskStatus.RESOLVED, RiskStatus.MITIGATED, RiskStatus.ACCEPTED)
"""The decisions that lift a blocking risk's block."""


def check_decision(current: RiskStatus, to: RiskStatus, note: str, owner: str | None) -> None:
    """Refuse a ROAM move that breaks a rule, saying what is missing.

    Any status may move to any other (a decision can be changed, and any can be
    reopened); Accepted needs a reason, Owned needs an owner.
    """
    if to is current:
        raise InvalidInput(f"the risk is already {to.value}")
    if to is RiskStatus.ACCEPTED and not note.strip():
        raise InvalidInput(
            "say why the risk is accepted: accepting records who took it on, and why", field="note"
        )
    if to is RiskStatus.OWNED and not (owner or "").strip():
        raise InvalidInput("an owned risk needs an owner: who manages it?", field="owner")


VETO_CATEGORY = RiskCategory.SECURITY
VETO_ROLE = Role.ENGINEERING


def under_veto(category: RiskCategory, status: RiskStatus, blocking: bool) -> bool:
    """Whether a risk is a live blocking security risk: engineering's to lift (the seed's veto)."""
    return category is VETO_CATEGORY and blocks(status, blocking)


def lifts(
    *,
    category: RiskCategory,
    status: RiskStatus,
    blocking: bool,
    to_category: RiskCategory | None = None,
    to_status: RiskStatus | None = None,
    to_blocking: bool | None = None,
) -> bool:
    """Whether a change takes a risk out from under the veto (a decision or an edit)."""
    if not under_veto(category, status, blocking):
        return False
    after_category = category if to_category is None else to_category
    after_status = status if to_status is None else to_status
    after_blocking = blocking if to_blocking is None else to_blocking
    return not under_veto(after_category, after_status, after_blocking)


def check_veto(risk_id: int, actor: str, actor_role: Role, engineers: list[str]) -> None:
    """Refuse to lift a blocking security risk unless the person doing it is in engineering.

    Raises:
        NotAllowed: who may lift it instead.
    """
    if actor_role is VETO_ROLE:
        return
    raise NotAllowed(
        f"R-{risk_id} is a blocking security risk: only engineering can accept, mitigate, "
        f"resolve or unblock it ({who_may_lift(engineers)}); {actor} is {actor_role.value}"
    )


def who_may_lift(engineers: list[str]) -> str:
    """`raj, sam or ines` — or how to get someone in engineering."""
    if not engineers:
        return "nobody is in engineering yet: planner people WORKSPACE --role NAME engineering"
    if len(engineers) == 1:
        return engineers[0]
    return ", ".join(engineers[:-1]) + " or " + engineers[-1]


def blocks(status: RiskStatus, blocking: bool) -> bool:
    """Whether a risk stops its item being committed or estimated."""
    return blocking and status in LIVE


def blocked_message(doing: str, item_key: str, risk_id: int, title: str) -> str:
    """The refusal when a blocking risk stops `doing` (e.g. `commit PLN-12 to a sprint`)."""
    return (
        f"cannot {doing}: {item_key} has blocking risk R-{risk_id} “{title}”; "
        "resolve, mitigate or accept it on the Risks screen first"
    )
