"""Sprint planning as the Sprint screen uses it: one read of a sprint, and every move."""

from __future__ import annotations

from datetime import date, timedelta

from planner_tui.domain.backlog import Judged, judged
from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.models import CapacityEntry, NewSprint, Value
from planner_tui.domain.risk import blocked_message
from planner_tui.domain.sprint import (
    VELOCITY_SPRINTS,
    BurnDown,
    Candidate,
    Capacity,
    CapacityLine,
    ClosePlan,
    CloseResult,
    CommitCheck,
    ScopeChange,
    ScopeEvent,
    SprintEvent,
    SprintInfo,
    SprintItem,
    Velocity,
    burn_down,
    capacity,
    check_commit,
    following_dates,
    next_sprint_name,
    velocity,
)
from planner_tui.services.context import Session
from planner_tui.services.rows import from_row, from_rows
from planner_tui.store import sprint_items, sprint_reads
from planner_tui.store import sprints as store

CANDIDATE_LIMIT = 300
"""How many of the ranked backlog's items the Sprint screen lists at once."""


class BacklogCandidate(Value):
    """A backlog item that may go into a sprint."""

    item_id: int
    key: str
    title: str
    estimate: float | None = None
    status: str
    kind: str
    blocking_risk: int | None = None
    blocking_title: str | None = None

    @property
    def refusal(self) -> str | None:
        """Why the item cannot be committed (a live blocking risk), or None."""
        if self.blocking_risk is None:
            return None
        return blocked_message(
            f"commit {self.key} to a sprint",
            self.key,
            self.blocking_risk,
            self.blocking_title or "",
        )


class SprintBoard(Value):
    """Everything the Sprint screen draws about one sprint."""

    sprint: SprintInfo
    people: tuple[CapacityLine, ...]
    items: tuple[SprintItem, ...]
    capacity: Capacity
    velocity: Velocity
    scope: ScopeChange
    burn: BurnDown

    @property
    def live_items(self) -> tuple[SprintItem, ...]:
        """The items still in the sprint."""
        return tuple(item for item in self.items if item.in_sprint)

    @property
    def done_points(self) -> float:
        """Points of the items done so far."""
        return round(sum(i.estimate or 0 for i in self.live_items if i.done), 1)


def all_sprints(session: Session) -> list[SprintInfo]:
    """Every sprint, oldest start first."""
    return from_rows(SprintInfo, sprint_reads.sprint_rows(session.workspace))


def default_sprint(sprints: list[SprintInfo]) -> SprintInfo | None:
    """The sprint to open on: the active one, else the next planned, else the newest."""
    for status in (SprintStatus.ACTIVE, SprintStatus.PLANNED):
        found = [s for s in sprints if s.status is status]
        if found:
            return found[0]
    return sprints[-1] if sprints else None


def board(session: Session, sprint: SprintInfo, today: date) -> SprintBoard:
    """Read one sprint whole: people, items, capacity, velocity, scope change, burn-down."""
    ws = session.workspace
    people = from_rows(CapacityLine, sprint_reads.capacity_rows(ws, sprint.id))
    items = [
        from_row(SprintItem, row, owner=row["owner"])
        for row in sprint_reads.item_rows(ws, sprint.id)
    ]
    committed: dict[str | None, float] = {}
    for item in items:
        if item.in_sprint:
            committed[item.owner] = committed.get(item.owner, 0) + (item.estimate or 0)
    closed = [
        (row[0], row[1]) for row in sprint_reads.closed_before(ws, sprint.id, VELOCITY_SPRINTS)
    ]
    events = from_rows(SprintEvent, sprint_reads.event_rows(ws, sprint.id))
    scope = ScopeChange(events=tuple(from_rows(ScopeEvent, sprint_reads.scope_rows(ws, sprint.id))))
    burn = burn_down(
        sprint.start_date,
        sprint.end_date,
        events,
        {item.item_id: item.estimate for item in items},
        today,
    )
    return SprintBoard(
        sprint=sprint,
        people=tuple(people),
        items=tuple(items),
        capacity=capacity(people, sprint.points_per_day, sprint.reserve_percent, committed),
        velocity=velocity(closed, sprint.velocity_guess),
        scope=scope,
        burn=burn,
    )


def outcomes(session: Session, sprint_id: int) -> tuple[Judged, ...]:
    """The success metrics of the sprint's items, judged: the sprint review's outcomes."""
    return tuple(map(judged, sprint_reads.metric_rows(session.workspace, sprint_id)))


def candidates(session: Session, text: str = "") -> tuple[list[BacklogCandidate], int]:
    """The top of the ranked backlog that can be committed (matching `text`), and how many."""
    rows, total = sprint_reads.candidate_rows(session.workspace, text.strip(), CANDIDATE_LIMIT)
    return from_rows(BacklogCandidate, rows), total


def commit_check(room: SprintBoard, chosen: list[BacklogCandidate]) -> CommitCheck:
    """What committing `chosen` would bring: over capacity, unestimated items."""
    return check_commit(
        [Candidate(key=item.key, estimate=item.estimate) for item in chosen],
        room.capacity,
        room.velocity.average,
        velocity_guessed=not room.velocity.recent,
    )


def commit(session: Session, sprint_id: int, item_ids: list[int]) -> tuple[list[str], list[str]]:
    """Commit items in rank order; returns (keys committed, refusals with their reasons)."""
    return sprint_items.commit_items(session.workspace, sprint_id, item_ids)


def plan_sprint(session: Session, sprint: NewSprint) -> int:
    """Create a planned sprint with the team of the last one; returns its id."""
    return store.add_sprint(session.workspace, sprint, copy_team=True)


def edit_sprint(session: Session, sprint_id: int, sprint: NewSprint) -> None:
    """Change a sprint's name, goal, dates, points per person-day, reserve, velocity guess."""
    store.update_sprint(session.workspace, sprint_id, sprint)


def following(sprints: list[SprintInfo], today: date) -> NewSprint:
    """A draft of the next sprint: after the last one's name and dates, with its settings.

    The first sprint starts on the next working day and lasts two weeks.
    """
    after = sprints[-1] if sprints else None
    if after is None:
        start = today
        while start.weekday() >= 5:
            start += timedelta(days=1)
        end = start + timedelta(days=13)
        while end.weekday() >= 5:  # two weeks, ending on a working day
            end -= timedelta(days=1)
        return NewSprint(name="Sprint 1", start=start, end=end)
    names = {s.name for s in sprints}
    name = next_sprint_name(after.name)
    while name in names:
        name = next_sprint_name(name)
    start, end = following_dates(after.start_date, after.end_date)
    return NewSprint(
        name=name,
        start=start,
        end=end,
        points_per_day=after.points_per_day,
        reserve_percent=after.reserve_percent,
    )


def set_capacity(session: Session, sprint_id: int, line: CapacityLine) -> None:
    """Record one person's days, days off and focus factor, or their points typed directly."""
    entry = CapacityEntry(
        person=line.person,
        days_available=line.days_available,
        days_off=line.days_off,
        focus_factor=line.focus_factor,
    )
    sprint_items.set_capacity(session.workspace, sprint_id, entry, line.points_override)


def remove_capacity(session: Session, sprint_id: int, person: str) -> None:
    """Take a person out of the sprint's capacity."""
    sprint_items.remove_capacity(session.workspace, sprint_id, person)


def remove(session: Session, sprint_id: int, item_id: int) -> None:
    """Take an item out of the sprint (after the start: scope change)."""
    sprint_items.remove_item(session.workspace, sprint_id, item_id)


def set_done(session: Session, sprint_id: int, item_id: int, done: bool) -> None:
    """Mark an item done, or not done again."""
    sprint_items.set_done(session.workspace, sprint_id, item_id, done)


def set_owner(session: Session, sprint_id: int, item_id: int, owner: str | None) -> None:
    """Give an item to a person, or to nobody."""
    sprint_items.set_owner(session.workspace, sprint_id, item_id, owner)


def start(session: Session, sprint: SprintInfo, today: date) -> None:
    """Start a planned sprint; started before its first day, it starts today instead."""
    early = today.isoformat() if today < sprint.start_date else None
    store.start_sprint(session.workspace, sprint.id, start_date=early)


def close(
    session: Session, sprint_id: int, plan: ClosePlan, new_sprint: NewSprint | None = None
) -> CloseResult:
    """Close a sprint; with `new_sprint`, unfinished items go into it, created as it closes."""
    return store.close_sprint(session.workspace, sprint_id, plan, new_sprint=new_sprint)
