"""What the home screen shows: plain frozen records, cheap to build (no validation needed on reads)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    capacity_points: float | None


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
