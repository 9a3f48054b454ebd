"""Sprints on a real file: commit checks, start, scope change, close, velocity, migration."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import NewItem, NewRisk, NewSprint
from planner_tui.domain.sprint import CapacityLine, ClosePlan
from planner_tui.services import sprints
from planner_tui.services.context import Session
from planner_tui.store import sprint_items
from planner_tui.store.items import add_items
from planner_tui.store.risks import raise_risk
from planner_tui.store.schema import APPLICATION_ID, build_migrations
from planner_tui.store.workspace import Workspace

from .conftest import TODAY, rows

START, END = date(2026, 11, 23), date(2026, 12, 4)


def _sprint(session: Session, name: str = "Sprint 1", **fields) -> int:
    return sprints.plan_sprint(session, NewSprint(name=name, start=START, end=END, **fields))


def _items(session: Session, *estimates: float | None) -> list[int]:
    return add_items(
        session.workspace,
        [NewItem(title=f"Item {n}", estimate=e) for n, e in enumerate(estimates, start=1)],
    )


def _info(session: Session, sprint_id: int):
    return next(s for s in sprints.all_sprints(session) if s.id == sprint_id)


def _start(session: Session, sprint_id: int) -> None:
    sprints.start(session, _info(session, sprint_id), TODAY)


def test_a_sprint_started_before_its_first_day_starts_today(empty_session: Session) -> None:
    sprint_id = sprints.plan_sprint(
        empty_session, NewSprint(name="Early", start=date(2026, 11, 30), end=date(2026, 12, 11))
    )
    _start(empty_session, sprint_id)
    started = _info(empty_session, sprint_id)
    assert started.status is SprintStatus.ACTIVE
    assert (started.start_date, started.end_date) == (TODAY, date(2026, 12, 11))


def test_commit_puts_items_in_and_refuses_a_blocked_one_naming_the_risk(
    empty_session: Session,
) -> None:
    sprint_id = _sprint(empty_session)
    first, blocked, third = _items(empty_session, 3, 5, None)
    raise_risk(
        empty_session.workspace,
        NewRisk(title="OAuth scope", category="security", likelihood=4, impact=4, item_key="PLN-2"),
    )
    committed, refused = sprints.commit(empty_session, sprint_id, [first, blocked, third])
    assert committed == ["PLN-1", "PLN-3"]
    assert len(refused) == 1
    assert "cannot commit PLN-2 to a sprint" in refused[0]
    assert "R-1 “OAuth scope”" in refused[0] and "resolve, mitigate or accept" in refused[0]
    board = sprints.board(empty_session, _info(empty_session, sprint_id), TODAY)
    assert [i.key for i in board.live_items] == ["PLN-1", "PLN-3"]
    assert not any(i.added_after_start for i in board.items)
    assert board.scope.events == ()
    # The backlog to commit from no longer offers what is in a planned sprint.
    offered, total = sprints.candidates(empty_session)
    assert [c.key for c in offered] == ["PLN-2"] and total == 1
    assert offered[0].refusal is not None and "R-1" in offered[0].refusal


def test_an_item_goes_into_one_open_sprint_only(empty_session: Session) -> None:
    one, two = _sprint(empty_session), _sprint(empty_session, "Sprint 2")
    (item,) = _items(empty_session, 2)
    sprints.commit(empty_session, one, [item])
    committed, refused = sprints.commit(empty_session, two, [item])
    assert committed == [] and refused == ["PLN-1 is already in Sprint 1"]


def test_one_active_sprint_at_a_time(empty_session: Session) -> None:
    one, two = _sprint(empty_session), _sprint(empty_session, "Sprint 2")
    _start(empty_session, one)
    with pytest.raises(InvalidInput, match="Sprint 1 is active; close it before starting"):
        _start(empty_session, two)
    with pytest.raises(InvalidInput, match="already"):
        _start(empty_session, one)


def test_capacity_plan_and_a_new_sprint_takes_the_team_along(empty_session: Session) -> None:
    sprint_id = _sprint(empty_session, points_per_day=2, reserve_percent=10)
    sprints.set_capacity(
        empty_session,
        sprint_id,
        CapacityLine(person="raj", days_available=10, days_off=2, focus_factor=0.5),
    )
    sprints.set_capacity(
        empty_session, sprint_id, CapacityLine(person="li", days_available=10, points_override=4)
    )
    board = sprints.board(empty_session, _info(empty_session, sprint_id), TODAY)
    assert board.capacity.team == 12  # raj 8 x 0.5 x 2 = 8, li typed 4
    assert board.capacity.reserve == 1.2
    assert board.capacity.plannable == 10.8
    draft = sprints.following(sprints.all_sprints(empty_session), TODAY)
    assert draft.name == "Sprint 2" and draft.start == date(2026, 12, 7)
    assert draft.points_per_day == 2 and draft.reserve_percent == 10
    next_id = sprints.plan_sprint(empty_session, draft)
    team = sprints.board(empty_session, _info(empty_session, next_id), TODAY).people
    assert [(p.person, p.days_available, p.days_off, p.focus_factor) for p in team] == [
        ("li", 10, 0, 0.7),
        ("raj", 10, 0, 0.5),
    ]
    sprints.remove_capacity(empty_session, next_id, "li")
    people = sprints.board(empty_session, _info(empty_session, next_id), TODAY).people
    assert [p.person for p in people] == ["raj"]


def test_after_the_start_additions_and_removals_are_scope_change(empty_session: Session) -> None:
    sprint_id = _sprint(empty_session)
    planned, late, dropped = _items(empty_session, 3, 5, 2)
    sprints.commit(empty_session, sprint_id, [planned, dropped])
    _start(empty_session, sprint_id)
    empty_session.workspace.actor = "li"
    sprints.commit(empty_session, sprint_id, [late])
    sprints.remove(empty_session, sprint_id, dropped)
    board = sprints.board(empty_session, _info(empty_session, sprint_id), TODAY)
    added = [(e.key, e.added, e.points, e.by) for e in board.scope.events]
    assert added == [("PLN-2", True, 5, "li"), ("PLN-3", False, 2, "li")]
    assert (board.scope.points_added, board.scope.points_removed) == (5, 2)
    late_item = next(i for i in board.items if i.key == "PLN-2")
    assert late_item.added_after_start and late_item.added_by == "li"
    gone = next(i for i in board.items if i.key == "PLN-3")  # still listed, marked
    assert gone.removed_by == "li" and not gone.in_sprint
    assert board.capacity.committed == 8


def test_before_the_start_removing_an_item_leaves_no_trace_in_the_sprint(
    empty_session: Session,
) -> None:
    sprint_id = _sprint(empty_session)
    (item,) = _items(empty_session, 3)
    sprints.commit(empty_session, sprint_id, [item])
    sprints.remove(empty_session, sprint_id, item)
    board = sprints.board(empty_session, _info(empty_session, sprint_id), TODAY)
    assert board.items == () and board.scope.events == ()


def test_close_records_velocity_and_carries_unfinished_work(empty_session: Session) -> None:
    path = empty_session.path
    one = _sprint(empty_session)
    two = _sprint(empty_session, "Sprint 2")
    done, unfinished, blocked = _items(empty_session, 3, 5, 8)
    sprints.commit(empty_session, one, [done, unfinished, blocked])
    sprints.set_owner(empty_session, one, unfinished, "li")
    _start(empty_session, one)
    raise_risk(
        empty_session.workspace,
        NewRisk(title="Vendor", category="security", likelihood=3, impact=3, item_key="PLN-3"),
    )
    result = sprints.close(empty_session, one, ClosePlan(done=frozenset({done}), carry_to=two))
    assert result.completed == 3
    assert result.to_sprint == ("PLN-2",)
    assert result.to_backlog == ("PLN-3",)  # a blocked item cannot go into the next sprint
    closed = _info(empty_session, one)
    assert closed.status is SprintStatus.CLOSED and closed.completed_points == 3
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT status FROM items WHERE key = 'PLN-1'").fetchone() == ("done",)
        top = conn.execute("SELECT key FROM items ORDER BY rank LIMIT 1").fetchone()
    assert top == ("PLN-3",)
    board_two = sprints.board(empty_session, _info(empty_session, two), TODAY)
    assert [i.key for i in board_two.live_items] == ["PLN-2"]
    carried = board_two.live_items[0]
    assert (carried.owner, carried.carried_from) == ("li", "Sprint 1")  # the owner comes along
    left = next(i for i in sprints.board(empty_session, closed, TODAY).items if i.key == "PLN-2")
    assert left.now_in == "Sprint 2"
    assert board_two.velocity.recent == (("Sprint 1", 3.0),)
    with pytest.raises(InvalidInput, match="closed"):
        sprint_items.commit_item(empty_session.workspace, one, unfinished)


def test_close_into_a_new_sprint_and_to_the_top_of_the_backlog(empty_session: Session) -> None:
    one = _sprint(empty_session)
    _a, b, c = _items(empty_session, 1, 2, 3)
    sprints.commit(empty_session, one, [b, c])
    _start(empty_session, one)
    draft = sprints.following(sprints.all_sprints(empty_session), TODAY)
    result = sprints.close(empty_session, one, ClosePlan(done=frozenset()), new_sprint=draft)
    assert result.completed == 0 and result.to_sprint == ("PLN-2", "PLN-3")
    new = next(s for s in sprints.all_sprints(empty_session) if s.name == "Sprint 2")
    assert new.status is SprintStatus.PLANNED

    two_id = new.id
    _start(empty_session, two_id)
    sprints.set_done(empty_session, two_id, b, True)
    sprints.close(empty_session, two_id, ClosePlan(done=frozenset({b})))
    offered, _ = sprints.candidates(empty_session)
    assert [x.key for x in offered] == ["PLN-3", "PLN-1"]  # unfinished first, then the rest


def test_done_and_not_done_again_move_the_burn_down(empty_session: Session) -> None:
    sprint_id = _sprint(empty_session)
    first, second = _items(empty_session, 3, 5)
    sprints.commit(empty_session, sprint_id, [first, second])
    _start(empty_session, sprint_id)
    sprints.set_done(empty_session, sprint_id, first, True)
    today = date.today()
    span = {"start_date": today, "end_date": today}
    info = _info(empty_session, sprint_id).model_copy(update=span)
    assert sprints.board(empty_session, info, today).burn.remaining[-1] == 5
    sprints.set_done(empty_session, sprint_id, first, False)
    assert sprints.board(empty_session, info, today).burn.remaining[-1] == 8
    with sqlite3.connect(empty_session.path) as conn:
        kinds = [r[0] for r in conn.execute("SELECT kind FROM sprint_events ORDER BY id")]
    assert kinds == ["added", "added", "done", "reopened"]


def test_an_older_file_gets_its_sprint_history_as_events(workspace_path: Path) -> None:
    db = Database(workspace_path)
    build_migrations().apply(db, stop_before="0005_sprint_events")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 4")
    db.execute(
        "INSERT INTO items(id, key, title, kind, status, rank, estimate, created_at, created_by,"
        " updated_at, updated_by) VALUES (1, 'PLN-1', 'Old', 'story', 'done', 1024, 3, 't', 'a',"
        " 't', 'a')"
    )
    db.execute(
        "INSERT INTO sprints(id, name, start_date, end_date, status, created_at, created_by)"
        " VALUES (1, 'Old sprint', '2026-11-02', '2026-11-13', 'active', 't', 'a')"
    )
    db.execute(
        "INSERT INTO sprint_items(sprint_id, item_id, added_at, added_by, added_after_start, done,"
        " done_at) VALUES (1, 1, '2026-11-03T10:00:00', 'li', 1, 1, '2026-11-05T10:00:00')"
    )
    db.conn.commit()
    db.close()
    ws = Workspace.open(workspace_path, actor="maya")
    events = [
        tuple(r) for r in ws.query("SELECT kind, after_start, points, actor FROM sprint_events")
    ]
    ws.close()
    assert events == [("added", 1, 3.0, "li"), ("done", 1, 3.0, "li")]


def test_names_are_unique_and_dates_stay_sensible(empty_session: Session) -> None:
    _sprint(empty_session)
    with pytest.raises(InvalidInput, match="there is a sprint called sprint 1 already"):
        _sprint(empty_session, "sprint 1")
    with pytest.raises(ValueError, match="between the years 2000 and 2200"):
        NewSprint(name="Far", start=date(9999, 12, 20), end=date(9999, 12, 31))
    with pytest.raises(ValueError, match="at least one working day"):
        NewSprint(name="Weekend", start=date(2026, 11, 28), end=date(2026, 11, 29))


def test_people_with_the_whole_sprint_follow_its_new_length(empty_session: Session) -> None:
    sprint_id = _sprint(empty_session)  # ten working days
    sprints.set_capacity(empty_session, sprint_id, CapacityLine(person="raj", days_available=10))
    sprints.set_capacity(empty_session, sprint_id, CapacityLine(person="li", days_available=6))
    shorter = NewSprint(name="Sprint 1", start=START, end=date(2026, 12, 2))  # eight
    sprints.edit_sprint(empty_session, sprint_id, shorter)
    people = sprints.board(empty_session, _info(empty_session, sprint_id), TODAY).people
    assert {(p.person, p.days_available) for p in people} == {("raj", 8), ("li", 6)}


def test_a_closed_sprint_cannot_change_and_a_late_close_creates_nothing(
    empty_session: Session,
) -> None:
    one = _sprint(empty_session)
    (item,) = _items(empty_session, 3)
    sprints.commit(empty_session, one, [item])
    _start(empty_session, one)
    sprints.close(empty_session, one, ClosePlan(done=frozenset()))
    with pytest.raises(InvalidInput, match="closed"):
        sprints.edit_sprint(empty_session, one, NewSprint(name="X", start=START, end=END))
    with pytest.raises(InvalidInput, match="closed"):
        sprints.set_capacity(empty_session, one, CapacityLine(person="raj", days_available=1))
    # A second close (a stale dialog in another terminal) leaves no stray new sprint behind.
    draft = sprints.following(sprints.all_sprints(empty_session), TODAY)
    with pytest.raises(InvalidInput, match="closed already"):
        sprints.close(empty_session, one, ClosePlan(done=frozenset()), new_sprint=draft)
    assert [s.name for s in sprints.all_sprints(empty_session)] == ["Sprint 1"]


def test_a_name_in_other_case_is_the_same_person_whatever_its_letters(
    empty_session: Session,
) -> None:
    from planner_tui.store.people import person_id

    zoe = person_id(empty_session.workspace, "Zoë [red]Q[/] 👩‍💻")
    assert person_id(empty_session.workspace, "ZOË [RED]Q[/] 👩‍💻") == zoe
    assert person_id(empty_session.workspace, "zoe") != zoe  # a different name
    # An accent typed as a letter and a combining mark is the same name, kept composed.
    assert person_id(empty_session.workspace, "Zoe\u0308 [red]Q[/] 👩‍💻") == zoe
    jose = person_id(empty_session.workspace, "Jose\u0301")
    assert person_id(empty_session.workspace, "Jos\u00e9") == jose
    assert rows(empty_session.path, "SELECT name FROM people WHERE id = ?", (jose,)) == [
        ("Jos\u00e9",)
    ]


def test_the_first_sprint_is_two_working_weeks_from_the_next_working_day() -> None:
    saturday = date(2026, 11, 28)
    first = sprints.following([], saturday)
    next_monday, friday_after = date(2026, 11, 30), date(2026, 12, 11)
    assert (first.name, first.start, first.end) == ("Sprint 1", next_monday, friday_after)


def test_the_editor_cannot_estimate_an_item_a_blocking_risk_holds(empty_session: Session) -> None:
    from planner_tui.store.item_edits import update_item_merging
    from planner_tui.store.items import get_item

    ws = empty_session.workspace
    (item_id,) = _items(empty_session, None)
    risk = NewRisk(title="PCI scope", category="security", likelihood=3, impact=5, item_key="PLN-1")
    raise_risk(ws, risk)
    original = NewItem(title="Item 1")
    with pytest.raises(InvalidInput, match="cannot give PLN-1 an estimate: PLN-1 has blocking"):
        update_item_merging(ws, item_id, original, original.model_copy(update={"estimate": 5}))
    renamed = original.model_copy(update={"title": "Item one"})
    update_item_merging(ws, item_id, original, renamed)  # other fields still save
    assert get_item(ws, item_id).title == "Item one" and get_item(ws, item_id).estimate is None


def test_the_backlog_count_offered_is_what_a_full_count_finds(empty_session: Session) -> None:
    """The Sprint screen's "N items" comes from the kept tally, less epics and what open
    sprints hold; through commits, removals, closes, trash and status changes it must equal
    counting the backlog item by item."""
    import random

    from planner_tui.domain.enums import ItemKind, ItemStatus
    from planner_tui.store import items as item_store
    from planner_tui.store.sprint_reads import candidate_rows

    ws = empty_session.workspace
    rng = random.Random(16)
    kinds, statuses = list(ItemKind), list(ItemStatus)
    ids = add_items(
        ws,
        [
            NewItem(title=f"Thing {n}", kind=rng.choice(kinds), status=rng.choice(statuses))
            for n in range(160)
        ],
    )
    planned = _sprint(empty_session, "Planned")
    closed = _sprint(empty_session, "Closed")

    def full_count() -> int:
        row = ws.query_one(
            """SELECT count(*) FROM items i WHERE i.deleted_at IS NULL
               AND i.status NOT IN ('done', 'won''t do') AND i.kind != 'epic'
               AND i.id NOT IN (SELECT s.item_id FROM sprint_items s
                   JOIN sprints sp ON sp.id = s.sprint_id
                   WHERE s.removed_at IS NULL AND sp.status != 'closed')"""
        )
        assert row is not None
        return int(row[0])

    counts = set()
    for step in range(60):
        chosen = rng.sample(ids, 3)
        action = step % 6
        if action == 0:
            sprint_items.commit_items(ws, planned, chosen)
        elif action == 1 and step < 29:
            sprint_items.commit_items(ws, closed, chosen)
        elif action == 2:
            for item_id in chosen:
                sprint_items.remove_item(ws, planned, item_id)
        elif action == 3:
            item_store.delete_items(ws, chosen[:2])
            item_store.restore_items(ws, chosen[1:2])
        elif action == 4:
            for item_id in chosen:
                item_store.set_status(ws, item_id, rng.choice(statuses))
        elif action == 5 and step == 29:
            with ws.write() as conn:  # its items go back to the backlog
                conn.execute("UPDATE sprints SET status = 'closed' WHERE id = ?", [closed])
        rows, total = candidate_rows(ws, "", 5)  # fewer rows than matches: counted
        assert len(rows) == 5
        assert total == full_count(), step
        counts.add(total)
    assert len(counts) > 10  # the backlog did change under the count
    everything, total = candidate_rows(ws, "", 1000)  # all read: the count is the rows
    assert total == len(everything) == full_count()


def test_a_first_sprints_guess_is_called_a_guess_in_the_commit_warning(
    empty_session: Session,
) -> None:
    """With only a first sprint's guess, the warning said 'the team has been finishing 18'
    (issue 18's trap): the team has finished nothing yet."""
    sprint_id = _sprint(empty_session, velocity_guess=18)
    ids = _items(empty_session, 13, 14)
    room = sprints.board(empty_session, _info(empty_session, sprint_id), TODAY)
    chosen, _ = sprints.candidates(empty_session)
    warnings = sprints.commit_check(room, [c for c in chosen if c.item_id in ids]).warnings
    assert any("above the velocity guess: 27 committed, the guess is 18" in w for w in warnings)
    assert not any("has been finishing" in w for w in warnings)


def test_scope_added_on_the_first_day_is_marked_on_the_burn_down(empty_session: Session) -> None:
    """The ▲ 'scope added' marker was never drawn for scope added on the sprint's first
    day once it had started, however much was added (issue 18's trap)."""
    from planner_tui.widgets.burndown import chart

    sprint_id = sprints.plan_sprint(
        empty_session, NewSprint(name="Now", start=TODAY, end=date(2026, 12, 7))
    )
    first, late = _items(empty_session, 5, 3)
    sprints.commit(empty_session, sprint_id, [first])
    _start(empty_session, sprint_id)
    sprints.commit(empty_session, sprint_id, [late])  # the same day, after the start
    burn = sprints.board(empty_session, _info(empty_session, sprint_id), TODAY).burn
    assert burn.added[0] == 3 and burn.scope[0] == 8
    drawn = chart(burn, 40, 12).plain
    assert "▲" in drawn.split("\n", 1)[1]  # in the plot, not only in the legend
    quiet = sprints.plan_sprint(
        empty_session, NewSprint(name="Later", start=date(2026, 12, 8), end=date(2026, 12, 18))
    )
    unchanged = sprints.board(empty_session, _info(empty_session, quiet), TODAY).burn
    assert not any(unchanged.added)


def test_a_broad_find_counts_to_a_cap_and_says_so(
    empty_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: a Sprint find counted every match (70 ms for "e" at 100,000 items); it
    counts to a cap now and the head says "5+" (1,000+ in use)."""
    from planner_tui.store import sprint_reads
    from planner_tui.widgets import sprint_text

    monkeypatch.setattr(sprint_reads, "COUNT_AT_MOST", 5)
    monkeypatch.setattr(sprint_text, "COUNT_AT_MOST", 5)
    add_items(empty_session.workspace, [NewItem(title=f"Item {n}") for n in range(12)])
    rows, total = sprint_reads.candidate_rows(empty_session.workspace, "Item", 3)
    assert len(rows) == 3 and total == 6
    head = sprint_text.backlog_head_text([], total, set(), "Item", None).plain
    assert head.startswith("Ranked backlog 5+ open items"), head
    rows, total = sprint_reads.candidate_rows(empty_session.workspace, "Item 1", 3)
    assert total == 3  # Item 1, Item 10, Item 11: all read, counted exactly


def test_rows_built_together_are_the_rows_built_one_by_one(demo_session: Session) -> None:
    """The Sprint screen's candidates are validated in one call; they come out as each row
    alone would, and a teammate's junk in one row is refused as that row alone would be."""
    from pydantic import ValidationError

    from planner_tui.services.rows import from_row, from_rows

    rows = demo_session.workspace.query(
        "SELECT id AS item_id, key, title, estimate, status, kind FROM items ORDER BY rank"
    )
    assert len(rows) > 10
    together = from_rows(sprints.BacklogCandidate, rows)
    assert together == [from_row(sprints.BacklogCandidate, row) for row in rows]
    assert from_rows(sprints.BacklogCandidate, []) == []

    junk = [dict(row) for row in rows[:3]]
    junk[2]["estimate"] = "a lot"
    with pytest.raises(ValidationError) as alone:
        from_row(sprints.BacklogCandidate, junk[2])
    with pytest.raises(ValidationError) as built:
        from_rows(sprints.BacklogCandidate, junk)
    assert built.value.errors() == alone.value.errors()
