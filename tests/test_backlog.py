"""The backlog list: paging, filtering, sorting and positions in SQL; the screen by keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner_tui.app import PlannerApp
from planner_tui.domain.backlog import BacklogQuery, SortKey
from planner_tui.domain.models import NewItem
from planner_tui.screens.backlog import BacklogScreen
from planner_tui.services.context import Session
from planner_tui.store.backlog import backlog_page, backlog_position, count_backlog
from planner_tui.store.items import add_items
from planner_tui.store.workspace import Workspace
from planner_tui.widgets.backlog_table import BacklogTable, columns_for

from .conftest import TODAY, focus_on, settle, spy, wait_until


@pytest.fixture
def small(workspace: Workspace) -> Workspace:
    add_items(
        workspace,
        [
            NewItem(title="Save partial forms", value=8, estimate=5, tags=("checkout",)),
            NewItem(title="Autofill address", value=6, estimate=2, tags=("checkout", "forms")),
            NewItem(title="100% coverage_report", value=2, estimate=1),
            NewItem(title="Fraud API retries", value=9, problem="orders fail at 50% of peaks"),
            NewItem(title="Mobile bundle split", value=None, estimate=8, tags=("performance",)),
        ],
    )
    return workspace


def _titles(ws: Workspace, query: BacklogQuery) -> list[str]:
    return [row.title for row in backlog_page(ws, query, 0, 50)]


def test_rank_order_and_paging(small: Workspace) -> None:
    everything = _titles(small, BacklogQuery())
    assert everything[0] == "Save partial forms"
    assert len(everything) == 5
    assert [row.title for row in backlog_page(small, BacklogQuery(), 2, 2)] == everything[2:4]


def test_filter_matches_key_title_tags_and_problem_ignoring_case(small: Workspace) -> None:
    assert _titles(small, BacklogQuery(text="AUTOFILL")) == ["Autofill address"]
    assert _titles(small, BacklogQuery(text="forms")) == ["Save partial forms", "Autofill address"]
    assert _titles(small, BacklogQuery(text="peaks")) == ["Fraud API retries"]
    key = backlog_page(small, BacklogQuery(), 4, 1)[0].key
    assert _titles(small, BacklogQuery(text=key)) == ["Mobile bundle split"]


@pytest.mark.parametrize("typed", ["100%", "coverage_", "%", "_", "!"])
def test_wildcards_typed_by_a_user_match_literally(small: Workspace, typed: str) -> None:
    expected = [t for t in _titles(small, BacklogQuery()) if typed in t]
    problem_hits = ["Fraud API retries"] if typed == "%" else []
    assert sorted(_titles(small, BacklogQuery(text=typed))) == sorted(expected + problem_hits)


def test_tag_status_and_kind_filters(small: Workspace) -> None:
    assert _titles(small, BacklogQuery(tag="checkout")) == [
        "Save partial forms",
        "Autofill address",
    ]
    assert count_backlog(small, BacklogQuery(tag="check")) == 0
    assert count_backlog(small, BacklogQuery(status="new")) == 5
    assert count_backlog(small, BacklogQuery(kind="bug")) == 0


def test_sorts(small: Workspace) -> None:
    by_value = _titles(small, BacklogQuery(sort=SortKey.VALUE))
    assert by_value[:2] == ["Fraud API retries", "Save partial forms"]
    assert by_value[-1] == "Mobile bundle split"
    by_estimate = _titles(small, BacklogQuery(sort=SortKey.ESTIMATE))
    assert by_estimate[0] == "100% coverage_report"
    assert by_estimate[-1] == "Fraud API retries"
    by_ratio = _titles(small, BacklogQuery(sort=SortKey.VALUE_PER_EFFORT))
    assert by_ratio[:3] == ["Autofill address", "100% coverage_report", "Save partial forms"]


def test_position_follows_the_query(small: Workspace) -> None:
    fraud = backlog_page(small, BacklogQuery(), 3, 1)[0]
    assert backlog_position(small, BacklogQuery(), fraud.id) == 3
    assert backlog_position(small, BacklogQuery(sort=SortKey.VALUE), fraud.id) == 0
    assert backlog_position(small, BacklogQuery(text="autofill"), fraud.id) is None


def test_columns_adapt_to_the_width() -> None:
    assert "Tags" not in [c.heading for c in columns_for(80)]
    assert "Kind" not in [c.heading for c in columns_for(80)]
    assert "Tags" in [c.heading for c in columns_for(160)]


def _app(session: Session) -> PlannerApp:
    return PlannerApp(session, heartbeat=False, clock=lambda: TODAY)


async def test_backlog_screen_moves_filters_sorts_and_returns_to_the_item(
    demo_session: Session,
) -> None:
    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, BacklogScreen)
        table = screen.query_one(BacklogTable)
        assert table.row_count == count_backlog(demo_session.workspace, BacklogQuery())
        await pilot.press("down", "down", "down")
        chosen = table.current
        assert chosen is not None and table.cursor == 3
        await pilot.press("slash", *"fraud")
        assert table.row_count == count_backlog(demo_session.workspace, BacklogQuery(text="fraud"))
        assert all("fraud" in (row.title + row.key).lower() for row in [table.row_at(0)] if row)
        await pilot.press("escape")
        assert screen.query_state.text == ""
        assert table.current == chosen, "clearing the filter returns to the same item"
        await pilot.press("slash", *"checkout", "enter", "down")
        picked = table.current
        assert picked is not None and picked != chosen
        await pilot.press("escape")
        assert table.current == picked, "an item picked in the filtered list stays picked"
        chosen = picked
        await pilot.press("o")
        assert screen.query_state.sort is SortKey.VALUE
        assert table.current is not None and table.current.id == chosen.id
        await pilot.press("end")
        assert table.cursor == table.row_count - 1
        await pilot.press("escape")
        assert app.current_mode == "home"


async def test_backlog_shows_items_added_elsewhere(demo_session: Session, demo_path: Path) -> None:
    app = PlannerApp(demo_session, heartbeat=False, clock=lambda: TODAY, poll_seconds=0.05)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        table = app.screen.query_one(BacklogTable)
        before = table.row_count
        other = Workspace.open(demo_path, actor="li")
        add_items(other, [NewItem(title="[/] from li")])
        other.close()
        await wait_until(pilot, lambda: table.row_count == before + 1, "li's item in the list")
        row = table.row_at(table.row_count - 1)
        assert row is not None and row.title == "[/] from li"


def _ranked_titles(ws: Workspace) -> list[str]:
    return [row.title for row in backlog_page(ws, BacklogQuery(), 0, 100)]


def test_moving_items_up_down_and_to_the_edges(small: Workspace) -> None:
    from planner_tui.store.items import move_item, move_to_edge, restore_ranks

    ids = [row.id for row in backlog_page(small, BacklogQuery(), 0, 10)]
    original = _ranked_titles(small)
    ranks = [row[0] for row in small.query("SELECT rank FROM items ORDER BY id")]
    before = move_item(small, ids[0], 2)
    assert _ranked_titles(small)[:3] == [
        "Autofill address",
        "100% coverage_report",
        "Save partial forms",
    ]
    restore_ranks(small, before)
    assert _ranked_titles(small) == original
    assert [row[0] for row in small.query("SELECT rank FROM items ORDER BY id")] == ranks
    move_item(small, ids[0], -1)  # already at the top: nothing moves
    assert _ranked_titles(small)[0] == "Save partial forms"
    move_to_edge(small, ids[4], top=True)
    move_to_edge(small, ids[0], top=False)
    titles = _ranked_titles(small)
    assert titles[0] == "Mobile bundle split" and titles[-1] == "Save partial forms"


def test_deleted_items_go_to_the_trash_and_come_back_in_place(small: Workspace) -> None:
    from planner_tui.store.items import delete_items, restore_items

    before = _ranked_titles(small)
    second = backlog_page(small, BacklogQuery(), 1, 1)[0]
    delete_items(small, [second.id])
    assert "Autofill address" not in _ranked_titles(small)
    assert _titles(small, BacklogQuery(in_trash=True)) == ["Autofill address"]
    restore_items(small, [second.id])
    assert _ranked_titles(small) == before
    assert count_backlog(small, BacklogQuery(in_trash=True)) == 0


def _reorder_in_process(path: str, who: str, rounds: int) -> None:
    from planner_tui.store.items import move_item

    ws = Workspace.open(path, actor=who)
    ids = [row[0] for row in ws.query("SELECT id FROM items ORDER BY id")]
    for number in range(rounds):
        move_item(ws, ids[number % len(ids)], 1 if number % 2 else -3)
    ws.close()


def test_two_processes_reordering_at_once_keep_ranks_consistent(small: Workspace) -> None:
    import multiprocessing

    small.close()
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_reorder_in_process, args=(str(small.path), name, 60))
        for name in ("maya", "li")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    again = Workspace.open(small.path, actor="check")
    ranks = [row[0] for row in again.query("SELECT rank FROM items")]
    assert len(set(ranks)) == len(ranks) == 5
    assert sorted(_ranked_titles(again)) == sorted(
        [
            "Save partial forms",
            "Autofill address",
            "100% coverage_report",
            "Fraud API retries",
            "Mobile bundle split",
        ]
    )
    again.close()


async def test_groom_by_keys_delete_undo_trash_restore_and_rank(demo_session: Session) -> None:
    app = _app(demo_session)
    ws = demo_session.workspace
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2", "down")
        screen = app.screen
        table = screen.query_one(BacklogTable)
        second = table.current
        assert second is not None
        before = table.row_count

        await pilot.press("shift+down")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.cursor == 2
        assert table.current is not None and table.current.id == second.id
        assert backlog_position(ws, BacklogQuery(), second.id) == 2
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert backlog_position(ws, BacklogQuery(), second.id) == 1

        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == before - 1
        assert backlog_position(ws, BacklogQuery(), second.id) is None
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == before
        assert table.current is not None and table.current.id == second.id

        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.press("t")
        await pilot.pause()
        assert screen.query_state.in_trash and table.row_count == 1
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 0
        await pilot.press("t")
        await pilot.pause()
        assert backlog_position(ws, BacklogQuery(), second.id) == 1


async def _editor_type(pilot, widget_id: str, text: str) -> None:
    """Put text into one field of the open editor, as typing would."""
    from textual.widgets import Input, TextArea

    widget = pilot.app.screen.query_one(f"#{widget_id}")
    await focus_on(pilot, widget)
    if isinstance(widget, Input):
        widget.value = ""
        await pilot.press(*text)
    elif isinstance(widget, TextArea):
        widget.text = ""
        widget.insert(text)
    await pilot.pause()


async def test_editor_adds_an_item_with_every_field(demo_session: Session) -> None:
    from planner_tui.screens.item_editor import ItemEditor
    from planner_tui.store.items import get_item

    app = _app(demo_session)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.press("2", "n")
        assert isinstance(app.screen, ItemEditor)
        await _editor_type(pilot, "title", "[WIP] Save partial forms")
        await _editor_type(pilot, "value", "8")
        await _editor_type(pilot, "estimate", "5")
        await _editor_type(pilot, "tags", "checkout, mobile")
        await _editor_type(pilot, "impact", "+6% completion")
        await _editor_type(pilot, "problem", "Shoppers who are interrupted lose what they typed")
        await _editor_type(pilot, "metric-name", "Time to fill")
        await _editor_type(pilot, "metric-target", "60")
        await focus_on(pilot, app.screen.query_one("#metric-better"))
        await pilot.press("enter", "down", "enter")  # Aim: "lower" (is better)
        await _editor_type(
            pilot, "options", "Autofill | 3 days | low\n* Save for later | 1 week | medium"
        )
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BacklogScreen)
        table = app.screen.query_one(BacklogTable)
        new = table.current
        assert new is not None and new.title == "[WIP] Save partial forms"
    item = get_item(demo_session.workspace, new.id)
    assert (item.value, item.estimate, item.tags) == (8, 5.0, ("checkout", "mobile"))
    assert item.problem == "Shoppers who are interrupted lose what they typed"
    assert item.metric is not None and item.metric.target == 60
    assert item.metric.lower_better
    assert [(o.description, o.effort, o.risk.value, o.chosen) for o in item.options] == [
        ("Autofill", "3 days", "low", False),
        ("Save for later", "1 week", "medium", True),
    ]


async def test_saving_an_item_as_it_was_is_not_an_edit(demo_session: Session) -> None:
    """Opening an item and saving it unchanged once wrote '' into its empty metric, a new
    time and "edited" in the log; the next save that changes a field is an edit."""
    from planner_tui.screens.item_editor import ItemEditor

    ws = demo_session.workspace
    before = ws.query("SELECT * FROM items ORDER BY id")
    log = ws.count("SELECT count(*) FROM changes")
    app = _app(demo_session)
    async with app.run_test(size=(120, 45)) as pilot:
        for _ in range(3):  # three items, each opened and saved as it was
            await pilot.press("2" if not isinstance(app.screen, BacklogScreen) else "down")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ItemEditor), "the editor")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: isinstance(app.screen, BacklogScreen), "the list")
            await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ItemEditor), "the editor")
        await _editor_type(pilot, "value", "3")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, BacklogScreen), "the list")
        await settle(pilot)
    after = ws.query("SELECT * FROM items ORDER BY id")
    changed = [
        old["key"] for old, new in zip(before, after, strict=True) if tuple(old) != tuple(new)
    ]
    assert len(changed) == 1 and ws.count("SELECT count(*) FROM changes") == log + 1


async def test_editor_shows_problems_by_their_fields_and_saves_nothing(
    demo_session: Session,
) -> None:
    from textual.widgets import Label

    from planner_tui.screens.item_editor import DiscardModal, ItemEditor

    before = count_backlog(demo_session.workspace, BacklogQuery())
    app = _app(demo_session)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.press("2", "n")
        await _editor_type(pilot, "value", "12")
        await _editor_type(pilot, "estimate", "five")
        await _editor_type(pilot, "options", "Autofill | 3 days | huge")
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ItemEditor)

        def error(field: str) -> str:
            return str(editor.query_one(f"#field-{field} .field-error", Label).content)

        assert error("value") == "runs from 1 to 10"
        assert "must be a number" in error("estimate")
        assert "risk must be low, medium or high" in error("options")
        await _editor_type(pilot, "estimate", "5")
        await _editor_type(pilot, "options", "")
        await _editor_type(pilot, "value", "7")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "title must not be empty" in error("title")
        await _editor_type(pilot, "title", "Autofill")
        await _editor_type(pilot, "options", "* Autofill | 3 days | low\n* Save | 1 week | low")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "at most one option can be chosen" in error("options")  # not under Title
        assert error("title") == ""
        await pilot.press("escape")
        assert isinstance(app.screen, DiscardModal)
        await pilot.press("n")
        assert isinstance(app.screen, ItemEditor)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, BacklogScreen)
    assert count_backlog(demo_session.workspace, BacklogQuery()) == before


async def test_editing_an_item_saves_it_and_undo_puts_it_back(demo_session: Session) -> None:
    from planner_tui.store.items import get_item

    app = _app(demo_session)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.press("2", "down", "enter")
        row = app.screen_stack[-2].query_one(BacklogTable).current
        assert row is not None
        original = get_item(demo_session.workspace, row.id)
        await _editor_type(pilot, "title", "Shorter checkout form")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert get_item(demo_session.workspace, row.id).title == "Shorter checkout form"
        assert get_item(demo_session.workspace, row.id).options == original.options
        await pilot.press("u")
        await app.workers.wait_for_complete()
        assert get_item(demo_session.workspace, row.id) == original


def test_next_choice_cycles_then_clears() -> None:
    from planner_tui.domain.backlog import next_choice

    assert next_choice(None, ["a", "b"]) == "a"
    assert next_choice("a", ["a", "b"]) == "b"
    assert next_choice("b", ["a", "b"]) is None
    assert next_choice("gone", ["a"]) is None
    assert next_choice(None, []) is None


async def test_quick_filters_for_status_kind_and_tag(demo_session: Session) -> None:
    ws = demo_session.workspace
    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        screen = app.screen
        table = screen.query_one(BacklogTable)
        await pilot.press("s")
        assert screen.query_state.status == "new"
        assert table.row_count == count_backlog(ws, BacklogQuery(status="new"))
        await pilot.press("k")
        assert table.row_count == count_backlog(ws, BacklogQuery(status="new", kind="story"))
        await pilot.press("escape")
        assert (screen.query_state.status, screen.query_state.kind) == (None, None)
        first_tag = table.current.tags[0] if table.current and table.current.tags else None
        assert first_tag is not None
        await pilot.press("g")
        assert screen.query_state.tag == first_tag
        assert table.row_count == count_backlog(ws, BacklogQuery(tag=first_tag))
        assert all(first_tag in (table.row_at(i).tags) for i in range(table.row_count))


@pytest.mark.parametrize(
    "value,estimate,expected",
    [
        (9, 2, "quick wins"),
        (9, 8, "big bets"),
        (3, 2, "fill-ins"),
        (3, 8, "money pits"),
        (6, 3, "quick wins"),
        (5, 3.5, "money pits"),
    ],
)
def test_quadrants(value: int, estimate: float, expected: str) -> None:
    from planner_tui.domain.backlog import quadrant

    assert quadrant(value, estimate, effort_split=3).value == expected


def test_quadrant_view_splits_at_the_median_estimate(small: Workspace) -> None:
    from planner_tui.domain.backlog import Quadrant
    from planner_tui.store.backlog import quadrant_view

    view = quadrant_view(small)
    assert view.effort_split == 2  # estimates 5, 2, 1 (8 has no value, 9 no estimate)
    titles = {q: [row.title for row in rows] for q, rows in view.items.items()}
    assert titles[Quadrant.QUICK_WINS] == ["Autofill address"]
    assert titles[Quadrant.BIG_BETS] == ["Save partial forms"]
    assert titles[Quadrant.FILL_INS] == ["100% coverage_report"]
    assert titles[Quadrant.MONEY_PITS] == []
    assert sum(view.counts.values()) == 3


async def test_value_effort_view_leads_back_to_the_item(demo_session: Session) -> None:
    from textual.widgets import OptionList

    from planner_tui.screens.value_effort import ValueEffortScreen

    app = _app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "v")
        assert isinstance(app.screen, ValueEffortScreen)
        quick_wins = app.screen.query_one("#quick_wins", OptionList)
        chosen = quick_wins.get_option_at_index(1).id
        await pilot.press("down", "enter")
        assert isinstance(app.screen, BacklogScreen)
        current = app.screen.query_one(BacklogTable).current
        assert current is not None and str(current.id) == chosen


async def test_bulk_change_of_picked_items_and_one_undo(demo_session: Session) -> None:
    from planner_tui.screens.bulk import BulkModal
    from planner_tui.store.items import get_item

    ws = demo_session.workspace
    app = _app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        table = app.screen.query_one(BacklogTable)
        first, second = table.row_at(0), table.row_at(1)
        assert first is not None and second is not None
        before = {row.id: (row.status, row.kind, row.tags) for row in (first, second)}
        await pilot.press("space", "space", "b")
        assert isinstance(app.screen, BulkModal)
        await pilot.press("down", "down", "down", "enter")  # Status → done
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert {get_item(ws, first.id).status.value, get_item(ws, second.id).status.value} == {
            "done"
        }
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        for item_id, (status, kind, tags) in before.items():
            item = get_item(ws, item_id)
            assert (item.status.value, item.kind.value, item.tags) == (status, kind, tags)


async def test_select_all_shown_then_tag_them_all(demo_session: Session) -> None:
    ws = demo_session.workspace
    app = _app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash", *"fraud", "enter", "ctrl+a", "b")
        await pilot.press("end", "up", "enter")  # Add a tag…
        await pilot.press(*"[urgent]", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        fraud = backlog_page(ws, BacklogQuery(text="fraud"), 0, 50)
        assert fraud and all("[urgent]" in row.tags for row in fraud)
        assert count_backlog(ws, BacklogQuery(tag="[urgent]")) == len(fraud)
        await pilot.press("u")
        await app.workers.wait_for_complete()
        assert count_backlog(ws, BacklogQuery(tag="[urgent]")) == 0


async def test_markup_and_control_characters_in_titles_stay_literal(demo_session: Session) -> None:
    from planner_tui.store.items import get_item

    title = "[/] [bold]x[/bold] \x1b[31mred 😀 שלום " + "x" * 10_000
    app = _app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "n")
        await _editor_type(pilot, "title", "[/] placeholder")
        app.screen.query_one("#title").value = title
        await _editor_type(pilot, "parent", "[/]")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # the parent does not exist: the editor is back, the error by its field, literally
        parent_error = app.screen.query_one("#field-parent .field-error")
        assert "[/] does not exist" in str(parent_error.content)
        await _editor_type(pilot, "parent", "")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(BacklogTable)
        row = table.current
        assert row is not None and row.title == title
        assert get_item(demo_session.workspace, row.id).title == title
        line = table.render_line(table.cursor - int(table.scroll_y) + 1).text
        assert "\x1b" not in line and "␛[31mred" in line


async def test_a_parent_must_be_an_existing_epic(demo_session: Session) -> None:
    ws = demo_session.workspace
    story = backlog_page(ws, BacklogQuery(kind="story"), 0, 1)[0]
    app = _app(demo_session)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.press("2", "n")
        await _editor_type(pilot, "title", "Child")
        await _editor_type(pilot, "parent", story.key)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        message = str(app.screen.query_one("#field-parent .field-error").content)
        assert message == f"{story.key} is a story; a parent must be an epic"
        assert app.screen.query_one("#title").value == "Child", "nothing typed is lost"


async def test_the_cursor_stays_on_screen_at_the_end_of_the_list(demo_session: Session) -> None:
    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2", "end")
        table = app.screen.query_one(BacklogTable)
        await pilot.pause()
        visible_rows = table.scrollable_content_region.height - 1
        assert 0 <= table.cursor - int(table.scroll_y) < visible_rows
        assert not table.show_horizontal_scrollbar
        line = table.render_line(table.cursor - int(table.scroll_y) + 1).text
        assert table.current is not None and table.current.key in line


def test_filter_does_not_match_how_tags_are_stored(small: Workspace) -> None:
    assert count_backlog(small, BacklogQuery(text='["')) == 0
    assert count_backlog(small, BacklogQuery(text=",")) == 0
    assert _titles(small, BacklogQuery(text="perform")) == ["Mobile bundle split"]


def _as_new(item) -> NewItem:
    return NewItem(**item.model_dump(include=set(NewItem.model_fields)))


def test_edits_from_two_people_to_different_fields_both_stay(small: Workspace) -> None:
    from planner_tui.store.item_edits import update_item_merging
    from planner_tui.store.items import get_item

    item_id = backlog_page(small, BacklogQuery(), 0, 1)[0].id
    seen_by_both = _as_new(get_item(small, item_id))
    update_item_merging(small, item_id, seen_by_both, seen_by_both.model_copy(update={"value": 3}))
    update_item_merging(
        small, item_id, seen_by_both, seen_by_both.model_copy(update={"title": "Renamed"})
    )
    after = get_item(small, item_id)
    assert (after.title, after.value) == ("Renamed", 3)


def test_edits_to_the_same_field_are_not_silently_lost(small: Workspace) -> None:
    from planner_tui.domain.errors import InvalidInput
    from planner_tui.store.item_edits import update_item_merging
    from planner_tui.store.items import get_item

    item_id = backlog_page(small, BacklogQuery(), 0, 1)[0].id
    seen = _as_new(get_item(small, item_id))
    update_item_merging(small, item_id, seen, seen.model_copy(update={"title": "Maya's"}))
    mine = seen.model_copy(update={"title": "Ines's", "value": 1})
    with pytest.raises(InvalidInput) as clash:
        update_item_merging(small, item_id, seen, mine)
    assert clash.value.field == "title"
    assert get_item(small, item_id).title == "Maya's"
    assert get_item(small, item_id).value == seen.value, "nothing of the clashing save was written"
    update_item_merging(small, item_id, clash.value.current, mine)
    assert (get_item(small, item_id).title, get_item(small, item_id).value) == ("Ines's", 1)


async def test_a_clash_while_editing_brings_the_editor_back(demo_session: Session) -> None:
    from planner_tui.screens.item_editor import ItemEditor
    from planner_tui.store.item_edits import update_item_merging
    from planner_tui.store.items import get_item

    app = _app(demo_session)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.press("2", "enter")
        row = app.screen_stack[-2].query_one(BacklogTable).current
        assert row is not None
        other = Workspace.open(demo_session.path, actor="maya")
        seen = _as_new(get_item(other, row.id))
        update_item_merging(other, row.id, seen, seen.model_copy(update={"title": "Maya's title"}))
        other.close()
        await _editor_type(pilot, "title", "Ines's title")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ItemEditor)
        message = str(app.screen.query_one("#field-title .field-error").content)
        assert "someone else changed this" in message and "Maya's title" in message
        assert get_item(demo_session.workspace, row.id).title == "Maya's title"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert get_item(demo_session.workspace, row.id).title == "Ines's title"


async def test_ranking_under_a_filter_says_why_it_does_nothing(demo_session: Session) -> None:
    ws = demo_session.workspace
    before = [row.id for row in backlog_page(ws, BacklogQuery(), 0, 100)]
    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2", "s", "shift+down")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Ranking needs the whole backlog" in str(n.message) for n in app._notifications)
    assert [row.id for row in backlog_page(ws, BacklogQuery(), 0, 100)] == before


@pytest.mark.parametrize("quick", [True, False])
async def test_a_filter_key_narrows_the_list_in_its_frame_when_the_list_reads_quickly(
    demo_session: Session, monkeypatch: pytest.MonkeyPatch, quick: bool
) -> None:
    """Once narrowing has read quickly, the typed character and the list it narrows are
    drawn in one frame; after a slow read, the character is drawn first, the list after."""
    from textual.widgets import Input

    from planner_tui.screens import backlog_view

    if not quick:
        monkeypatch.setattr(backlog_view, "QUICK_READ_SECONDS", 0.0)  # every read is slow
    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, BacklogScreen)
        table = screen.query_one(BacklogTable)
        box = screen.query_one("#backlog-filter", Input)
        await pilot.press("slash", "f")  # the first narrowing: how long it takes is learnt
        await pilot.pause()
        frames: list[tuple[str, int]] = []  # the field and the list's length, at each frame
        spy(screen, "_compositor_refresh", lambda: frames.append((box.value, table.row_count)))
        await pilot.press("r")
        narrowed = count_backlog(demo_session.workspace, BacklogQuery(text="fr"))
        assert narrowed < count_backlog(demo_session.workspace, BacklogQuery(text="f"))
        await wait_until(pilot, lambda: table.row_count == narrowed, "the list narrowed")
        await settle(pilot)
        assert frames[0][0] == "fr"
        assert (frames[0][1] == narrowed) is quick


async def test_keys_typed_as_the_backlog_opens_move_through_its_list(demo_session: Session) -> None:
    """The list is read with the key that opens the screen, so cursor keys typed right
    after it move through the list rather than being lost on an empty one."""
    from planner_tui.screens import backlog_view

    from .conftest import Held

    read = Held(backlog_view, "backlog_count")  # a read in a worker waits until the keys are in
    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2", "down", "down", "down")
        read.release()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BacklogScreen)
        table = screen.query_one(BacklogTable)
        assert table.cursor == 3
        first = backlog_page(demo_session.workspace, BacklogQuery(), 0, 4)
        assert table.current is not None and table.current.id == first[3].id


async def test_a_teammates_change_read_while_i_move_leaves_my_cursor_where_i_took_it(
    demo_session: Session,
) -> None:
    """Another terminal's change re-reads the list in a worker; cursor keys pressed while
    it reads are not undone when it lands."""
    from planner_tui.screens import backlog_view

    from .conftest import Held

    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BacklogScreen)
        table = screen.query_one(BacklogTable)
        read = Held(backlog_view, "backlog_count")
        other = Workspace.open(demo_session.path, actor="sam")
        add_items(other, [NewItem(title="Sam's new item")])
        other.close()
        await wait_until(pilot, read.entered.is_set, "the teammate's change being read")
        await pilot.press("down", "down")
        chosen = table.current
        read.release()
        await settle(pilot)
        assert table.cursor == 2 and table.current == chosen


async def test_typing_into_the_filter_lays_nothing_out(demo_session: Session) -> None:
    """A character typed into the filter redraws the field, not the screen's layout (a
    layout drew every scrollbar again a frame after the key)."""
    from textual.widgets import Input

    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2", "slash")
        await settle(pilot)
        box = app.screen.query_one("#backlog-filter", Input)
        layouts: list[bool] = []
        spy(box, "refresh", lambda *_, **kwargs: layouts.append(bool(kwargs.get("layout"))))
        await pilot.press(*"pay")
        await settle(pilot)
        assert box.value == "pay" and box.virtual_size.width == box.content_width
        assert layouts and not any(layouts)


@pytest.mark.parametrize(
    ("screen_key", "field", "list_id"),
    [("2", "#backlog-filter", "#backlog-table"), ("4", "#backlog-find", "#candidates")],
)
async def test_a_search_that_lengthens_the_list_past_its_height_lays_nothing_out(
    demo_session: Session, screen_key: str, field: str, list_id: str
) -> None:
    """Found timing a rare word at 100,000 items: a list growing past its height made its
    scrollbar appear, a layout, and the bar was drawn a second frame 30 ms after the list.
    The lists searched keep their bar, so a search that lengthens them takes no layout."""
    from planner_tui.widgets.cursor_list import CursorList

    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press(screen_key, "slash", *"CHK-41")
        await settle(pilot)
        table = app.screen.query_one(list_id, CursorList)
        assert 0 < table.row_count < table.size.height
        layouts: list[bool] = []
        spy(table, "refresh", lambda *_, **kwargs: layouts.append(bool(kwargs.get("layout"))))
        spy(
            table.vertical_scrollbar,
            "refresh",
            lambda *_, **kwargs: layouts.append(bool(kwargs.get("layout"))),
        )
        for _ in "41":
            await pilot.press("backspace")
        await settle(pilot)
        assert table.row_count > table.size.height
        assert app.screen.query_one(field).value == "CHK-"
        assert not any(layouts)


async def test_h_goes_home_from_the_backlog_as_from_every_screen(demo_session: Session) -> None:
    """`h` went home everywhere but the Backlog, where it did nothing (issue 18's trap);
    typed into the filter it is a letter."""
    from planner_tui.screens.home import HomeScreen

    from .conftest import live_app

    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, BacklogScreen), "the backlog")
        await pilot.press("slash", "h")
        await settle(pilot)
        assert isinstance(app.screen, BacklogScreen)
        assert app.screen.query_one("#backlog-filter").value == "h"
        await pilot.press("escape", "h")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")


async def test_undo_names_the_item_it_changes(demo_session: Session) -> None:
    """'Undid the add' trashed an item added long before without naming it (issue 18's
    trap): every undo says which item it took back, by key and title."""
    from planner_tui.services import grooming

    ws = demo_session.workspace
    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, BacklogScreen), "the backlog")
        screen = app.screen
        item_id, undo = grooming.add(demo_session, NewItem(title="Added [long] ago"))
        screen._after_change(undo, "")
        key = ws.query_one("SELECT key FROM items WHERE id = ?", [item_id])[0]
        await pilot.press("u")
        await wait_until(
            pilot,
            lambda: any(f"{key} Added [long] ago" in str(n.message) for n in app._notifications),
            "the undo named",
        )
        said = next(str(n.message) for n in app._notifications if key in str(n.message))
        assert said == f"Undid the add of {key} Added [long] ago: it is in the trash"
    assert ws.query_one("SELECT deleted_at FROM items WHERE id = ?", [item_id])[0]


async def test_clearing_only_a_metrics_name_does_not_drop_its_figures(
    empty_session: Session,
) -> None:
    """Found in a trial: clearing the name of a success metric saved the item without its
    target and actual, unsaid. The editor now says what to do and saves nothing."""
    from textual.widgets import Label

    from planner_tui.domain.models import SuccessMetric
    from planner_tui.screens.item_editor import ItemEditor
    from planner_tui.store.items import get_item

    (item,) = add_items(
        empty_session.workspace,
        [NewItem(title="Saved cards", metric=SuccessMetric(name="adoption", target=50, actual=30))],
    )
    app = _app(empty_session)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ItemEditor), "the editor")
        await settle(pilot)
        await _editor_type(pilot, "metric-name", "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ItemEditor)
        said = str(app.screen.query_one("#field-metric .field-error", Label).render())
        assert "needs the metric's name" in said
    metric = get_item(empty_session.workspace, item).metric
    assert metric is not None and (metric.target, metric.actual) == (50, 30)


async def test_a_broad_filter_counts_to_a_cap_and_further_as_the_cursor_nears_the_end(
    empty_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: counting every match of "e" in 100,000 titles took each keystroke 45 ms.
    A text filter counts to a cap ("5+ items" here, "1,000+" in use), the list holds one
    row past it, and it counts further as the cursor nears the end, to the exact count."""
    from textual.widgets import Static

    from planner_tui.screens import backlog_view
    from planner_tui.widgets import backlog_table

    monkeypatch.setattr(backlog_view, "COUNT_AT_MOST", 5)
    monkeypatch.setattr(backlog_view, "PAGE_SIZE", 3)  # "near the end": 3 rows from it
    monkeypatch.setattr(backlog_table, "PAGE_SIZE", 3)
    add_items(empty_session.workspace, [NewItem(title=f"Item {n}") for n in range(17)])
    add_items(empty_session.workspace, [NewItem(title="Other")])
    app = _app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(BacklogTable)

        def status() -> str:
            return str(screen.query_one("#backlog-status", Static).render())

        await pilot.press("slash", "I", "t", "e", "m", "enter")
        await wait_until(pilot, lambda: table.row_count == 6, "the capped count")
        assert status().startswith("5+ items"), status()
        await pilot.press("down", "down", "down")  # near the end: it counts on
        await wait_until(pilot, lambda: table.row_count == 12, "counted further")
        assert status().startswith("11+ items"), status()  # 5 more past the 6 it had
        await pilot.press("end")  # the end asked for: the real end, counted whole
        await settle(pilot)
        assert table.row_count == 17 and status().startswith("17 items"), status()
        assert table.cursor == 16 and table.current is not None
        assert table.current.title == "Item 16"


async def test_a_row_changed_under_the_view_is_drawn_again(demo_session: Session) -> None:
    """A re-read draws again only the lines that read differently: a teammate's new
    title for a row in view must still reach the screen (not the line drawn before)."""
    app = _app(demo_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one(BacklogTable)
        second = table.row_at(1)

        def shown() -> str:
            return app.export_screenshot().replace("&#160;", " ")

        assert second is not None and second.title in shown()
        demo_session.workspace.conn.execute(
            "UPDATE items SET title = 'Renamed by a teammate' WHERE id = ?", [second.id]
        )
        app.notify_screen(frozenset({"item"}))
        await wait_until(
            pilot, lambda: getattr(table.row_at(1), "title", "") == "Renamed by a teammate",
            "the re-read",
        )  # fmt: skip
        await settle(pilot)
        assert "Renamed by a teammate" in shown() and second.title not in shown()


def test_the_whole_lists_count_comes_from_the_kept_tally(small: Workspace) -> None:
    """Opening the Backlog or clearing its filter counted 100,000 index entries (8 ms);
    the live list, whole or of one status, is counted by the tally the triggers keep,
    which agrees with counting the items through adds, deletes and status changes."""
    from planner_tui.domain.enums import ItemStatus
    from planner_tui.store.items import delete_items, restore_items, set_status

    def counted(status: str | None) -> int:
        sql = "SELECT count(*) FROM items WHERE deleted_at IS NULL"
        return small.row(sql + (" AND status = ?" if status else ""), [status] if status else [])[0]

    ids = [row.id for row in backlog_page(small, BacklogQuery(), 0, 50)]
    set_status(small, ids[0], ItemStatus.DONE)
    delete_items(small, ids[1:3])
    restore_items(small, [ids[2]])
    add_items(small, [NewItem(title="One more")])
    for status in (None, "done", "new", "ready"):
        assert count_backlog(small, BacklogQuery(status=status)) == counted(status), status
        assert count_backlog(small, BacklogQuery(status=status), at_most=1) == min(
            counted(status), 2
        )
    asked: list[str] = []
    spy(small, "row", lambda sql, *_: asked.append(sql))
    spy(small, "query", lambda sql, *_: asked.append(sql))
    spy(small, "query_one", lambda sql, *_: asked.append(sql))
    count_backlog(small, BacklogQuery())
    count_backlog(small, BacklogQuery(status="new"), at_most=1000)
    assert asked and all("item_tally" in sql and "FROM items" not in sql for sql in asked)
    assert count_backlog(small, BacklogQuery()) == counted(None) == len(ids)  # -1 deleted, +1 added


def test_a_bulk_change_and_its_undo_stamp_only_the_items_they_change(demo_path: Path) -> None:
    """Marking done two items of which one was done already once stamped both with who
    and when (and so did the undo): the done one had not changed."""
    from planner_tui.domain.enums import ItemStatus
    from planner_tui.store.item_edits import bulk_change, restore_fields
    from planner_tui.store.workspace import Workspace

    ws = Workspace.open(demo_path, actor="li")
    try:
        done = ws.query_one("SELECT id FROM items WHERE status = 'done' ORDER BY id")[0]
        new = ws.query_one("SELECT id FROM items WHERE status = 'new' ORDER BY id")[0]

        def stamps() -> dict[int, tuple[str, str]]:
            rows = ws.query(
                "SELECT id, updated_by, status FROM items WHERE id IN (?, ?)", [done, new]
            )
            return {row[0]: (row[1], row[2]) for row in rows}

        before = stamps()
        snapshot = bulk_change(ws, [done, new], status=ItemStatus.DONE)
        assert stamps() == {done: before[done], new: ("li", "done")}
        ws.conn.execute("UPDATE items SET updated_by = 'sam' WHERE id = ?", [done])
        restore_fields(ws, snapshot)
        assert stamps() == {done: ("sam", "done"), new: ("li", "new")}
    finally:
        ws.close()


async def test_a_filter_redraws_only_the_scroll_bar_cells_it_changes(demo_session: Session) -> None:
    """A filter key that moves the scroll thumb draws again only the bar's cells that
    change (the whole bar cost more than the list), and the bar then reads as Textual
    draws it whole: no cell is left as it was."""
    from textual.geometry import Region

    add_items(demo_session.workspace, [NewItem(title=f"Filler {n}") for n in range(300)])
    app = _app(demo_session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "slash")
        await settle(pilot)
        bar = app.screen.query_one(BacklogTable).vertical_scrollbar
        whole = Region(0, 0, bar.size.width, bar.size.height)

        def cells() -> list[str]:
            return [strip.text + repr(strip._segments) for strip in bar.render_lines(whole)]

        full_list = cells()
        redrawn: list[tuple[object, ...]] = []
        spy(bar, "refresh", lambda *regions, **_: redrawn.append(regions))
        await pilot.press(*"Filler 2")  # 111 of 300 fillers: the thumb grows, and stays
        await settle(pilot)
        assert app.screen.query_one(BacklogTable).row_count < 200
        drawn = cells()
        assert drawn != full_list
        assert redrawn and all(regions for regions in redrawn)  # cells, never the whole bar
        assert sum(region.height for regions in redrawn for region in regions) < bar.size.height
        bar.refresh()  # the whole bar, as Textual draws it
        await pilot.pause()
        assert cells() == drawn
