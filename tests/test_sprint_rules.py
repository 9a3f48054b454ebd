"""Sprint rules without a file: capacity, velocity, commit checks, scope change, close, burn-down."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner_tui.domain.sprint import (
    Candidate,
    CapacityLine,
    PersonLoad,
    ScopeChange,
    ScopeEvent,
    SprintEvent,
    SprintItem,
    burn_down,
    capacity,
    check_commit,
    completed_points,
    following_dates,
    next_sprint_name,
    velocity,
    working_days,
)

MONDAY = date(2026, 11, 23)


def test_working_days_count_monday_to_friday() -> None:
    assert working_days(MONDAY, date(2026, 12, 4)) == 10  # two weeks
    assert working_days(date(2026, 11, 28), date(2026, 11, 29)) == 0  # a weekend
    assert working_days(date(2026, 11, 27), date(2026, 11, 30)) == 2  # Friday to Monday
    assert working_days(MONDAY, MONDAY) == 1
    assert working_days(date(2026, 12, 4), MONDAY) == 0


def test_a_persons_points_are_days_less_days_off_times_focus_times_points_per_day() -> None:
    line = CapacityLine(person="raj", days_available=10, days_off=2, focus_factor=0.5)
    assert line.points(1.5) == pytest.approx(6.0)
    assert CapacityLine(person="a", days_available=1, days_off=3).points(1) == 0  # never negative
    typed = CapacityLine(person="b", days_available=10, points_override=4)
    assert typed.points(2) == 4  # typed points win


def test_team_capacity_reserve_and_load_per_person() -> None:
    people = [
        CapacityLine(person="raj", days_available=10, focus_factor=0.5),  # 5 points
        CapacityLine(person="sam", days_available=10, days_off=5, focus_factor=1),  # 5 points
    ]
    room = capacity(people, 1.0, 20, {"raj": 3, "sam": 6, None: 1.5})
    assert room.team == 10
    assert room.reserve == 2
    assert room.plannable == 8
    assert room.committed == 10.5
    assert room.over_by == 2.5
    assert room.unassigned == 1.5
    loads = {load.person: (load.capacity, load.committed) for load in room.people}
    assert loads == {"raj": (5, 3), "sam": (5, 6)}
    assert capacity(people, 1.0, 0, {"raj": 2}).over_by == 0
    # An owner with no capacity entered is listed apart, at 0, rather than as nobody.
    extra = capacity(people, 1.0, 0, {"raj": 1, "li": 3})
    assert extra.unassigned == 0 and [p.person for p in extra.listed] == ["raj", "sam"]
    assert extra.people[-1] == PersonLoad(person="li", capacity=0, committed=3, listed=False)


def test_velocity_averages_the_last_three_closed_sprints_else_the_guess() -> None:
    closed = [("S5", 30.0), ("S4", 24.0), ("S3", 27.0), ("S2", 100.0)]
    measured = velocity(closed, guess=50)
    assert measured.recent == (("S5", 30.0), ("S4", 24.0), ("S3", 27.0))
    assert measured.average == 27
    assert "S5 30" in measured.describe()
    first = velocity([], guess=21)
    assert first.average == 21 and "guess" in first.describe()
    assert velocity([], guess=None).average is None
    assert "unknown" in velocity([], guess=None).describe()


def test_commit_check_warns_over_capacity_and_unestimated() -> None:
    room = capacity([CapacityLine(person="a", days_available=10, focus_factor=1)], 1, 10, {"a": 7})
    fits = check_commit([Candidate(key="P-1", estimate=2)], room)
    assert fits.warnings == [] and fits.after == 9
    over = check_commit(
        [Candidate(key="P-2", estimate=3), Candidate(key="P-3", estimate=None)], room
    )
    assert over.points == 3 and over.after == 10 and over.over_by == 1
    assert over.unestimated == ("P-3",)
    assert over.warnings == [
        "over capacity: 10 of 9 plannable points, 1 over",
        "1 item without an estimate: P-3",
    ]


def test_commit_check_warns_above_velocity_and_without_capacity_only_by_velocity() -> None:
    nobody = capacity([], 1, 0, {"li": 0})
    first = check_commit([Candidate(key="P-1", estimate=30)], nobody, velocity=20)
    assert first.warnings == [
        "above velocity: 30 committed, the team has been finishing 20"
    ]  # no capacity entered: no "over capacity: 30 of 0"
    room = capacity([CapacityLine(person="a", days_available=40, focus_factor=1)], 1, 0, {})
    assert check_commit([Candidate(key="P-2", estimate=25)], room, velocity=29).warnings == []
    assert len(check_commit([Candidate(key="P-3", estimate=30)], room, 29).warnings) == 1


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour)


def test_scope_change_adds_up_points_each_way() -> None:
    events = (
        ScopeEvent(key="P-1", title="a", added=True, points=3, at=_at(24), by="li"),
        ScopeEvent(key="P-2", title="b", added=True, points=None, at=_at(24), by="li"),
        ScopeEvent(key="P-3", title="c", added=False, points=5, at=_at(25), by="maya"),
    )
    scope = ScopeChange(events=events)
    assert (scope.points_added, scope.points_removed) == (3, 5)
    assert scope.describe() == (
        "scope change: +3 points (2 added, 1 unestimated), −5 points (1 taken out)"
    )
    assert ScopeChange().describe() == "no scope change since the start"


def _item(item_id: int, estimate: float | None, *, done: bool = False, removed: bool = False):
    return SprintItem(
        item_id=item_id,
        key=f"P-{item_id}",
        title="t",
        estimate=estimate,
        done=done,
        added_at=_at(23),
        added_by="maya",
        removed_at=_at(24) if removed else None,
    )


def test_completed_points_count_done_items_still_in_the_sprint() -> None:
    items = [_item(1, 3), _item(2, 5), _item(3, 8, removed=True), _item(4, None)]
    assert completed_points(items, frozenset({1, 3, 4})) == 3


def test_next_sprint_name_and_dates() -> None:
    assert next_sprint_name("Sprint 14") == "Sprint 15"
    assert next_sprint_name("Sprint 09") == "Sprint 10"
    assert next_sprint_name("2026-Q4 sprint 3 (web)") == "2026-Q4 sprint 4 (web)"
    assert next_sprint_name("Launch") == "Launch 2"
    # Monday 23 Nov to Sunday 6 Dec: the next starts Monday 7 Dec and ends on a Friday.
    assert following_dates(MONDAY, date(2026, 12, 6)) == (date(2026, 12, 7), date(2026, 12, 18))
    # Ending on a Friday: the next starts the Monday after.
    assert following_dates(MONDAY, date(2026, 12, 4))[0] == date(2026, 12, 7)


def test_burn_down_replays_additions_removals_and_done_day_by_day() -> None:
    events = [
        SprintEvent(item_id=1, kind="added", at=_at(20)),  # before the start: the baseline
        SprintEvent(item_id=2, kind="added", at=_at(20)),
        SprintEvent(item_id=1, kind="done", at=_at(24, 16)),
        SprintEvent(item_id=3, kind="added", at=_at(25)),  # scope added mid-sprint
        SprintEvent(item_id=2, kind="removed", at=_at(26)),
        SprintEvent(item_id=1, kind="reopened", at=_at(26, 17)),
    ]
    burn = burn_down(
        MONDAY, date(2026, 11, 27), events, {1: 3, 2: 5, 3: 2}, today=date(2026, 11, 26)
    )
    assert burn.days == tuple(date(2026, 11, day) for day in (23, 24, 25, 26, 27))
    assert burn.scope == (8, 8, 10, 5, None)
    assert burn.remaining == (8, 5, 7, 5, None)  # day 26: 2 removed, 1 reopened
    assert burn.ideal == (8, 6, 4, 2, 0)


def test_weekend_work_counts_on_the_friday_and_the_last_day_takes_in_everything() -> None:
    events = [
        SprintEvent(item_id=1, kind="added", at=_at(20)),
        SprintEvent(item_id=2, kind="added", at=_at(20)),
        SprintEvent(item_id=1, kind="done", at=_at(28)),  # Saturday
        SprintEvent(item_id=2, kind="done", at=_at(29)),  # Sunday, after the last day
    ]
    # Monday 23 to Friday 27: the Saturday's and Sunday's work show on the Friday.
    burn = burn_down(MONDAY, date(2026, 11, 27), events, {1: 3, 2: 5}, today=date(2026, 11, 29))
    assert burn.remaining == (8, 8, 8, 8, 0)
    # Seen on the Sunday of a longer sprint: the Friday's column holds the weekend's work.
    longer = burn_down(MONDAY, date(2026, 12, 4), events, {1: 3, 2: 5}, today=date(2026, 11, 29))
    assert longer.remaining[:5] == (8, 8, 8, 8, 0) and longer.remaining[5] is None


def test_burn_down_skips_weekends() -> None:
    burn = burn_down(date(2026, 11, 27), date(2026, 11, 30), [], {}, today=date(2026, 11, 30))
    assert burn.days == (date(2026, 11, 27), date(2026, 11, 30))
