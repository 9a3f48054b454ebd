"""Sprint rules: capacity in points, velocity, commit checks, scope change, close, burn-down."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from pydantic import Field

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import Value
from planner_tui.domain.overview import line_points, team_and_reserve
from planner_tui.domain.text import count_of, one_line

VELOCITY_SPRINTS = 3
"""How many closed sprints the velocity averages."""


def working_days(start: date, end: date) -> int:
    """Monday-to-Friday days from `start` to `end`, both included."""
    if end < start:
        return 0
    whole_weeks, rest = divmod((end - start).days + 1, 7)
    days = whole_weeks * 5
    for offset in range(rest):
        if (start + timedelta(days=offset)).weekday() < 5:
            days += 1
    return days


def show_points(value: float) -> str:
    """`8`, `2.5`: points without a needless `.0`."""
    return f"{round(value, 1):g}"


# --- capacity ------------------------------------------------------------------------------


class CapacityLine(Value):
    """One person's availability in a sprint."""

    person: str
    days_available: float = Field(ge=0, le=366)
    days_off: float = Field(default=0, ge=0, le=366)
    focus_factor: float = Field(default=0.7, gt=0, le=1)
    points_override: float | None = Field(default=None, ge=0, le=10_000)
    """Points typed directly, used instead of days × focus × points per day."""

    @property
    def days_working(self) -> float:
        """Days available less days off, never below zero."""
        return max(self.days_available - self.days_off, 0)

    def points(self, points_per_day: float) -> float:
        """The person's capacity in points."""
        return line_points(
            self.days_available,
            self.days_off,
            self.focus_factor,
            points_per_day,
            self.points_override,
        )


class PersonLoad(Value):
    """A person's capacity beside the points of the sprint items they own."""

    person: str
    capacity: float
    committed: float
    listed: bool = True
    """False for an owner of sprint items with no capacity entered for this sprint."""


class Capacity(Value):
    """The team's capacity, the reserve set aside from it, and what is committed against it."""

    team: float
    """Everyone's points added up."""
    reserve: float
    """Points kept back for risk mitigation and carried-over retro actions."""
    committed: float
    people: tuple[PersonLoad, ...] = ()
    unassigned: float = 0
    """Committed points on items nobody owns yet."""

    @property
    def listed(self) -> tuple[PersonLoad, ...]:
        """The people with capacity entered, in the order given."""
        return tuple(load for load in self.people if load.listed)

    @property
    def plannable(self) -> float:
        """Capacity less the reserve: what the sprint can be filled to."""
        return round(self.team - self.reserve, 1)

    @property
    def over_by(self) -> float:
        """How far the committed points exceed the plannable capacity (0 when they fit)."""
        return round(max(self.committed - self.plannable, 0), 1)


def capacity(
    lines: list[CapacityLine],
    points_per_day: float,
    reserve_percent: int,
    committed: dict[str | None, float],
) -> Capacity:
    """The sprint's capacity from its people, and the committed points per owner (None: nobody).

    Owners with no capacity entered come after the others, with a capacity of 0.
    """
    loads = tuple(
        PersonLoad(
            person=line.person,
            capacity=line.points(points_per_day),
            committed=committed.get(line.person, 0),
        )
        for line in lines
    )
    named = {line.person for line in lines}
    loads += tuple(
        PersonLoad(person=owner, capacity=0, committed=points, listed=False)
        for owner, points in sorted(committed.items(), key=lambda pair: str(pair[0]))
        if owner is not None and owner not in named
    )
    team, reserve = team_and_reserve((load.capacity for load in loads), reserve_percent)
    return Capacity(
        team=team,
        reserve=reserve,
        committed=round(sum(committed.values()), 1),
        people=loads,
        unassigned=round(committed.get(None, 0), 1),
    )


# --- velocity ------------------------------------------------------------------------------


class Velocity(Value):
    """The completed points of the last closed sprints and their average, or a typed guess."""

    recent: tuple[tuple[str, float], ...] = ()
    """(sprint name, completed points), newest first, at most three."""
    guess: float | None = None

    @property
    def average(self) -> float | None:
        """The mean of `recent`; the guess when no sprint has closed yet."""
        if self.recent:
            return round(sum(points for _, points in self.recent) / len(self.recent), 1)
        return self.guess

    def describe(self) -> str:
        """`Velocity 27 (Sprint 13 27 · Sprint 12 30)`, or the guess, or that there is none."""
        if self.recent:
            each = " · ".join(f"{name} {show_points(points)}" for name, points in self.recent)
            return f"velocity {show_points(self.average or 0)} ({each})"
        if self.guess is not None:
            return f"velocity {show_points(self.guess)} (a guess: no sprint has closed yet)"
        return "velocity unknown: no sprint has closed yet (e sets a guess)"


def velocity(closed: list[tuple[str, float]], guess: float | None) -> Velocity:
    """Velocity from closed sprints' (name, completed points), newest first."""
    return Velocity(recent=tuple(closed[:VELOCITY_SPRINTS]), guess=guess)


# --- commit checks -------------------------------------------------------------------------


class Candidate(Value):
    """An item offered to a sprint."""

    key: str
    estimate: float | None


class CommitCheck(Value):
    """What committing some items would do: the warnings to show before going ahead."""

    points: float
    after: float
    """Committed points once these are in."""
    plannable: float
    has_capacity: bool = True
    """False when nobody's capacity is entered yet: then only the velocity can warn."""
    velocity: float | None = None
    velocity_guessed: bool = False
    """The velocity is a guess typed before any sprint closed, not what the team finished."""
    unestimated: tuple[str, ...] = ()

    @property
    def over_by(self) -> float:
        """Points beyond the plannable capacity after the commit (0 when it fits)."""
        return round(max(self.after - self.plannable, 0), 1)

    @property
    def warnings(self) -> list[str]:
        """One line per thing to warn about; empty when the commit is plainly fine."""
        said = []
        if self.has_capacity and self.over_by:
            said.append(
                f"over capacity: {show_points(self.after)} of {show_points(self.plannable)} plannable "
                f"points, {show_points(self.over_by)} over"
            )
        if self.velocity is not None and self.after > self.velocity:
            if self.velocity_guessed:
                said.append(
                    f"above the velocity guess: {show_points(self.after)} committed, the guess "
                    f"is {show_points(self.velocity)} (no sprint has closed yet)"
                )
            else:
                said.append(
                    f"above velocity: {show_points(self.after)} committed, the team has been "
                    f"finishing {show_points(self.velocity)}"
                )
        if self.unestimated:
            keys = ", ".join(self.unestimated[:5]) + (" …" if len(self.unestimated) > 5 else "")
            said.append(f"{count_of(len(self.unestimated), 'item')} without an estimate: {keys}")
        return said


def check_commit(
    candidates: list[Candidate],
    room: Capacity,
    velocity: float | None = None,
    *,
    velocity_guessed: bool = False,
) -> CommitCheck:
    """Warnings for committing `candidates` into a sprint whose capacity is `room`."""
    points = round(sum(c.estimate or 0 for c in candidates), 1)
    return CommitCheck(
        points=points,
        after=round(room.committed + points, 1),
        plannable=room.plannable,
        has_capacity=bool(room.listed),
        velocity=velocity,
        velocity_guessed=velocity_guessed,
        unestimated=tuple(c.key for c in candidates if c.estimate is None),
    )


# --- the sprint's items, scope change ------------------------------------------------------


class SprintInfo(Value):
    """A sprint's own fields."""

    id: int
    name: str
    goal: str = ""
    start_date: date
    end_date: date
    status: SprintStatus
    points_per_day: float = 1.0
    reserve_percent: int = 0
    velocity_guess: float | None = None
    completed_points: float | None = None
    started_at: datetime | None = None
    closed_at: datetime | None = None

    def day_of(self, today: date) -> str:
        """`day 4 of 10` (working days), `starts in 3 days`, or `ended`."""
        total = working_days(self.start_date, self.end_date)
        if today < self.start_date:
            return f"starts in {count_of((self.start_date - today).days, 'day')}"
        if today > self.end_date:
            return "past its end date"
        return f"day {max(working_days(self.start_date, today), 1)} of {total}"


class SprintItem(Value):
    """An item in a sprint, now or once (removed items stay, marked)."""

    item_id: int
    key: str
    title: str
    estimate: float | None = None
    owner: str | None = None
    done: bool = False
    done_at: datetime | None = None
    added_at: datetime
    added_by: str
    added_after_start: bool = False
    removed_at: datetime | None = None
    removed_by: str | None = None
    blocking_risk: int | None = None
    """The id of a live blocking risk on the item, if any."""
    carried_from: str | None = None
    """The closed sprint this item was left unfinished in, if any."""
    now_in: str | None = None
    """Another open sprint the item is in now (for a closed sprint: where it went)."""

    @property
    def in_sprint(self) -> bool:
        """Still in the sprint (not removed)."""
        return self.removed_at is None


class ScopeEvent(Value):
    """An item added to or removed from a sprint after it started."""

    key: str
    title: str
    added: bool
    points: float | None
    at: datetime
    by: str


class ScopeChange(Value):
    """Everything added or removed after the start, with the points each way."""

    events: tuple[ScopeEvent, ...] = ()

    @property
    def points_added(self) -> float:
        """Points of the items added after the start."""
        return round(sum(e.points or 0 for e in self.events if e.added), 1)

    @property
    def points_removed(self) -> float:
        """Points of the items taken out after the start."""
        return round(sum(e.points or 0 for e in self.events if not e.added), 1)

    def describe(self) -> str:
        """`scope +5 (2 added) -3 (1 removed)`, or that nothing changed."""
        if not self.events:
            return "no scope change since the start"
        added = sum(1 for e in self.events if e.added)
        removed = len(self.events) - added
        unestimated = sum(1 for e in self.events if e.added and e.points is None)
        parts = []
        if added:
            guess = f", {unestimated} unestimated" if unestimated else ""
            parts.append(f"+{show_points(self.points_added)} points ({added} added{guess})")
        if removed:
            parts.append(f"−{show_points(self.points_removed)} points ({removed} taken out)")
        return "scope change: " + ", ".join(parts)


# --- close ---------------------------------------------------------------------------------


class ClosePlan(Value):
    """How a sprint closes: which items are done, and where unfinished ones go."""

    done: frozenset[int]
    """Item ids that are done."""
    carry_to: int | None = None
    """The sprint that takes unfinished items; None sends them to the top of the backlog."""


class CloseResult(Value):
    """What closing did."""

    completed: float
    carried_to: str | None = None
    """The sprint that took the unfinished items, if any did."""
    to_sprint: tuple[str, ...] = ()
    to_backlog: tuple[str, ...] = ()


def completed_points(items: list[SprintItem], done: frozenset[int]) -> float:
    """The points of the items still in the sprint that are done: the sprint's velocity."""
    return round(sum(i.estimate or 0 for i in items if i.in_sprint and i.item_id in done), 1)


def next_sprint_name(name: str) -> str:
    """`Sprint 15` after `Sprint 14`; `Launch 2` after `Launch`."""
    match = re.search(r"(\d+)(\D*)$", name)
    if match is None:
        return f"{name} 2"
    number = str(int(match.group(1)) + 1).zfill(len(match.group(1)))
    return name[: match.start(1)] + number + match.group(2)


def following_dates(start: date, end: date) -> tuple[date, date]:
    """The dates of the sprint after one from `start` to `end`: the next weekday, same length."""
    begin = end + timedelta(days=1)
    while begin.weekday() >= 5:
        begin += timedelta(days=1)
    last = begin + (end - start)
    while last.weekday() >= 5 and last > begin:  # end on a working day
        last -= timedelta(days=1)
    return begin, last


# --- burn-down -----------------------------------------------------------------------------


class SprintEvent(Value):
    """A change to a sprint's items: added, removed, done, reopened."""

    item_id: int
    kind: str
    at: datetime
    after_start: bool = False
    """An item added once the sprint had started: scope added."""


class BurnDown(Value):
    """Points left at the end of each day of a sprint, beside the ideal line."""

    days: tuple[date, ...]
    remaining: tuple[float | None, ...]
    """Points not done at the end of each day; None for days still to come."""
    scope: tuple[float | None, ...]
    """All points in the sprint at the end of each day (rises when scope is added)."""
    ideal: tuple[float, ...]
    added: tuple[float, ...] = ()
    """Points added to the sprint after its start, on each day (the chart's ▲); an item
    added on the first day once the sprint has started counts there too."""


def burn_down(
    start: date,
    end: date,
    events: list[SprintEvent],
    estimates: dict[int, float | None],
    today: date,
) -> BurnDown:
    """Replay the sprint's item events day by day (working days only, weekends folded in).

    Items added before the start count from the first day; work done at a weekend
    counts on the Friday before; the last day shown takes in everything since (so a
    closed sprint ends where it closed). Estimates are the items' current ones, so
    the chart and the capacity bar agree.
    """
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    days = [day for day in days if day.weekday() < 5] or [start]
    ordered = sorted(events, key=lambda event: event.at)
    in_sprint: set[int] = set()
    done: set[int] = set()
    remaining: list[float | None] = []
    scope: list[float | None] = []
    added: list[float] = []
    cursor = 0
    for index, day in enumerate(days):
        if day > today:
            remaining.append(None)
            scope.append(None)
            added.append(0.0)
            continue
        added_today = 0.0
        # A day's column takes in everything up to the next working day (a weekend's
        # work shows on the Friday); the last column so far takes in everything to today.
        last = index == len(days) - 1 or days[index + 1] > today
        until = date.max if last else days[index + 1] - timedelta(days=1)
        while cursor < len(ordered) and ordered[cursor].at.date() <= until:
            event = ordered[cursor]
            cursor += 1
            if event.kind == "added":
                in_sprint.add(event.item_id)
                if event.after_start:
                    added_today += estimates.get(event.item_id) or 0
            elif event.kind == "removed":
                in_sprint.discard(event.item_id)
            elif event.kind == "done":
                done.add(event.item_id)
            elif event.kind == "reopened":
                done.discard(event.item_id)
        total = sum(estimates.get(i) or 0 for i in in_sprint)
        left = sum(estimates.get(i) or 0 for i in in_sprint - done)
        scope.append(round(total, 1))
        remaining.append(round(left, 1))
        added.append(round(added_today, 1))
    baseline = next((s for s in scope if s is not None), 0.0) or 0.0
    steps = max(len(days) - 1, 1)
    ideal = tuple(round(baseline * (1 - n / steps), 1) for n in range(len(days)))
    return BurnDown(
        days=tuple(days),
        remaining=tuple(remaining),
        scope=tuple(scope),
        ideal=ideal,
        added=tuple(added),
    )


# --- the rules of a sprint's life (the store calls them inside its write) ------------------


def check_one_active(active: str | None) -> None:
    """Only one sprint runs at a time: `active` names another running one, if any."""
    if active is not None:
        raise InvalidInput(f"{one_line(active, 40)} is active; close it before starting another")


def check_name_free(name: str, *, taken: bool) -> None:
    """Sprint names tell sprints apart."""
    if taken:
        raise InvalidInput(f"there is a sprint called {one_line(name, 40)} already; name it apart")


def check_can_start(name: str, status: SprintStatus) -> None:
    """Only a planned sprint starts."""
    if status is not SprintStatus.PLANNED:
        raise InvalidInput(f"{one_line(name, 40)} is {status.value} already")


def check_can_close(name: str, status: SprintStatus) -> None:
    """A sprint closes once."""
    if status is SprintStatus.CLOSED:
        raise InvalidInput(f"{one_line(name, 40)} is closed already")


def check_carry_target(closing: int, target: int | None) -> None:
    """Unfinished items go to another sprint, not the one closing."""
    if target == closing:
        raise InvalidInput("unfinished items cannot carry over into the sprint being closed")


def check_items_may_change(name: str, status: SprintStatus) -> None:
    """A closed sprint's items are history."""
    if status is SprintStatus.CLOSED:
        raise InvalidInput(f"{one_line(name, 40)} is closed; its items cannot change")


def check_committable(key: str, status: str, *, already_in: str | None) -> None:
    """Only open work goes into a sprint, and into one open sprint at a time."""
    if status in ("done", "won't do"):
        raise InvalidInput(f"{key} is {status}; only open work goes into a sprint")
    if already_in is not None:
        raise InvalidInput(f"{key} is already in {one_line(already_in, 40)}")
