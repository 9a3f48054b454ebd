"""What the home screen shows: plain frozen records, cheap to build (no validation needed on reads)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


def line_points(
    days_available: float,
    days_off: float,
    focus_factor: float,
    points_per_day: float,
    points_override: float | None,
) -> float:
    """One person's capacity in a sprint: the points typed, else working days (never below
    zero) times focus times points per day. The Sprint screen and Home both count with this."""
    if points_override is not None:
        return points_override
    return max(days_available - days_off, 0) * focus_factor * points_per_day


def team_and_reserve(points: Iterable[float], reserve_percent: int) -> tuple[float, float]:
    """(the team's capacity, the reserve kept back from it), rounded as shown; what can be
    planned is the first less the second."""
    team = round(sum(points), 1)
    return team, round(team * reserve_percent / 100, 1)


@dataclass(frozen=True)
class SprintGlance:
    """The active or next sprint in one line's worth of numbers."""

    name: str
    goal: str
    status: str
    start: str
    end: str
    item_count: int
    committed_points: float
    done_points: float
    plannable_points: float | None
    """Capacity less the reserve, as the Sprint screen counts it; None with no capacity."""


@dataclass(frozen=True)
class ActionGlance:
    """One open action item."""

    text: str
    owner: str
    due: str | None
    overdue: bool


@dataclass(frozen=True)
class SessionGlance:
    """One recent meeting."""

    kind: str
    title: str
    started_at: str
    status: str


@dataclass(frozen=True)
class Overview:
    """The workspace at a glance."""

    open_items: int = 0
    estimated_items: int = 0
    estimated_points: float = 0.0
    done_items: int = 0
    sprint: SprintGlance | None = None
    last_velocity: float | None = None
    open_risks_by_severity: dict[str, int] = field(default_factory=dict)
    blocking_risks: int = 0
    open_actions: int = 0
    overdue_actions: int = 0
    top_actions: tuple[ActionGlance, ...] = ()
    recent_sessions: tuple[SessionGlance, ...] = ()
    people: int = 0
    here_now: tuple[str, ...] = ()

    @property
    def open_risks(self) -> int:
        """All open risks, whatever their severity."""
        return sum(self.open_risks_by_severity.values())
