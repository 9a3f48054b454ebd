"""Pilot tests of the Sprint screen: plan a sprint end to end with real keys."""

from __future__ import annotations

from textual.widgets import Input, SelectionList

from planner_tui.domain.models import NewItem, NewRisk, SuccessMetric
from planner_tui.screens.modal import ConfirmModal
from planner_tui.screens.risk_modals import RaiseRiskModal
from planner_tui.screens.sprint import SprintScreen
from planner_tui.screens.sprint_close_modal import CloseModal
from planner_tui.screens.sprint_modals import CapacityModal, SprintModal
from planner_tui.services.context import Session
from planner_tui.store.items import add_items
from planner_tui.store.risks import raise_risk
from planner_tui.widgets.row_view import RowView

from .conftest import live_app, rows, settle, spy


def _said(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _head(screen: SprintScreen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_plan_a_sprint_end_to_end(empty_session: Session) -> None:
    add_items(
        empty_session.workspace,
        [
            NewItem(
                title="Saved cards",
                estimate=3,
                metric=SuccessMetric(name="adoption", unit="%", target=50, actual=52),
            ),
            NewItem(
                title="Address lookup",
                estimate=5,
                metric=SuccessMetric(name="time", unit="s", target=20, lower_better=True),
            ),
            NewItem(title="Guest checkout"),  # unestimated
            NewItem(title="Social login", estimate=2),  # gets a blocking risk
            NewItem(title="Apple Pay", estimate=3),
            NewItem(title="Fix the [flaky] test", estimate=1),
        ],
    )
    raise_risk(
        empty_session.workspace,
        NewRisk(title="OAuth scope", category="security", likelihood=4, impact=4, item_key="PLN-4"),
    )
    path = empty_session.path
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SprintScreen)
        assert "No sprints yet" in _head(screen, "#sprint-head")

        # Plan the first sprint: it asks for a velocity guess.
        await pilot.press("p")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, SprintModal)
        assert modal.query_one("#sprint-name", Input).value == "Sprint 1"
        modal.query_one("#sprint-goal", Input).value = "[MVP] pay in one tap"
        modal.query_one("#sprint-end", Input).value = "2020-01-01"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SprintModal)  # ends before it starts: said, kept open
        assert "cannot end before it starts" in str(modal.query_one(".modal-error").render())
        modal.query_one("#sprint-end", Input).value = "2026-12-04"
        modal.query_one("#sprint-start", Input).value = "2026-11-23"
        modal.query_one("#sprint-guess", Input).value = "8"
        await pilot.press("enter")
        await settle(pilot)
        assert rows(path, "SELECT name, goal, status, velocity_guess FROM sprints") == [
            ("Sprint 1", "[MVP] pay in one tap", "planned", 8.0)
        ]
        assert "Goal: [MVP] pay in one tap" in _head(screen, "#sprint-head")
        assert "velocity 8 (a guess" in _head(screen, "#team-capacity")

        # Capacity: maya half-focused for ten days, li with points typed directly.
        await pilot.press("a")
        await pilot.pause()
        capacity = app.screen
        assert isinstance(capacity, CapacityModal)
        capacity.query_one("#capacity-person", Input).value = "maya"
        assert capacity.query_one("#capacity-days", Input).value == "10"
        capacity.query_one("#capacity-focus", Input).value = "50%"
        await pilot.pause()
        assert "= 5 points" in str(capacity.query_one("#capacity-result").render())
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#capacity-person", Input).value = "li"
        app.screen.query_one("#capacity-points", Input).value = "4"
        await pilot.press("enter")  # li is new to the workspace: enter again adds them
        await pilot.pause()
        assert isinstance(app.screen, CapacityModal)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.board is not None and screen.board.capacity.team == 9
        assert "Team 0 of 9 plannable" in _head(screen, "#team-capacity")

        # Commit the top two: they fit, so no question.
        await pilot.press("space", "space", "c")
        await settle(pilot)
        assert [i.key for i in screen.board.live_items] == ["PLN-1", "PLN-2"]
        assert "Team 8 of 9 plannable" in _head(screen, "#team-capacity")

        # The unestimated item and Apple Pay: over capacity and unestimated, asked first.
        await pilot.press("space", "down", "space", "c")  # PLN-3, past PLN-4, PLN-5
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmModal)
        asked = str(question.query_one("Label").render())
        assert "over capacity: 11 of 9 plannable points, 2 over" in asked
        assert "1 item without an estimate: PLN-3" in asked
        await pilot.press("y")
        await settle(pilot)
        assert [i.key for i in screen.board.live_items] == ["PLN-1", "PLN-2", "PLN-3", "PLN-5"]
        assert "2 over" in _head(screen, "#team-capacity")

        # The blocked item is refused, naming the risk and how to clear it.
        table = screen.query_one("#candidates", RowView)
        assert [c.key for c in screen.backlog] == ["PLN-4", "PLN-6"]
        table.cursor = 0
        await pilot.press("c")
        await settle(pilot)
        refusal = next(m for m in _said(app) if "PLN-4" in m)
        assert "R-1 “OAuth scope”" in refusal
        assert "resolve, mitigate or accept it on the Risks screen" in refusal
        assert rows(path, "SELECT count(*) FROM sprint_items WHERE item_id = 4") == [(0,)]

        # Start; then a mid-sprint addition is scope change, with who.
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert rows(path, "SELECT status FROM sprints") == [("active",)]
        table.cursor = 1  # PLN-6
        await pilot.press("c")
        await pilot.pause()
        assert "this is scope change" in str(app.screen.query_one("Label").render())
        await pilot.press("y")
        await settle(pilot)
        assert "scope change: +1 points (1 added)" in _head(screen, "#team-capacity")
        late = next(i for i in screen.board.items if i.key == "PLN-6")
        assert late.added_after_start and late.added_by == "maya"

        # Mark the first item done from the sprint's list.
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.focused is screen.query_one("#sprint-items")
        screen.query_one("#sprint-items", RowView).cursor = 0
        await pilot.press("d")
        await settle(pilot)
        assert rows(path, "SELECT status FROM items WHERE key = 'PLN-1'") == [("done",)]

        # Close: tick Address lookup as done too; the rest go to the top of the backlog.
        await pilot.press("C")
        await pilot.pause()
        closing = app.screen
        assert isinstance(closing, CloseModal)
        done_list = closing.query_one(SelectionList)
        assert done_list.selected == [1]
        done_list.select(2)
        await pilot.pause()
        # ticked and unticked differ by their mark, not only by colour (NO_COLOR)
        drawn = [done_list.render_line(n).text[:3] for n in range(done_list.option_count)]
        assert drawn.count("▐X▌") == len(done_list.selected) and "▐ ▌" in drawn, drawn
        assert "Completed: 8 points" in str(closing.query_one("#close-summary").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(path, "SELECT status, completed_points FROM sprints") == [("closed", 8.0)]
        assert rows(path, "SELECT key FROM items ORDER BY rank LIMIT 3") == [
            ("PLN-3",),
            ("PLN-5",),
            ("PLN-6",),
        ]
        assert any("Closed Sprint 1: 8 points done" in m for m in _said(app))
        assert "completed 8 points" in _head(screen, "#sprint-head")

        # Its review, on screen: committed against done, what is left, the outcomes.
        await pilot.press("v")
        await pilot.pause()
        review = str(app.screen.query_one("#review").render())
        assert "done 8 points" in review and "Not done" in review, review
        assert "1 met, 1 not measured yet" in review
        assert "met — adoption: 52 % against a target of 50 %" in review
        assert "→ the backlog" in review  # where the unfinished items went
        assert "time: target at most 20 s, not measured yet" in review
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_enter_on_a_person_changes_their_capacity_and_a_closed_sprint_is_history(
    demo_session: Session,
) -> None:
    path = demo_session.path
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SprintScreen)
        await pilot.press("shift+tab", "shift+tab")
        assert screen.focused is screen.query_one("#capacity")
        await pilot.press("down", "enter")  # lena
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, CapacityModal)
        assert modal.query_one("#capacity-person", Input).value == "lena"
        assert modal.query_one("#capacity-off", Input).value == "3"
        modal.query_one("#capacity-focus", Input).value = "1.5"
        await pilot.press("enter")
        await pilot.pause()
        assert "share of the day" in str(modal.query_one(".modal-error").render())
        modal.query_one("#capacity-focus", Input).value = "80%"
        await pilot.press("enter")
        await settle(pilot)
        assert rows(
            path,
            "SELECT focus_factor, days_off FROM sprint_capacity c JOIN people p"
            " ON p.id = c.person_id WHERE p.name = 'lena' AND c.sprint_id = 2",
        ) == [(0.8, 3.0)]

        await pilot.press("a")  # the same person again: changed through their row instead
        await pilot.pause()
        app.screen.query_one("#capacity-person", Input).value = "Lena"
        await pilot.press("enter")
        await pilot.pause()
        assert "in this sprint already" in str(app.screen.query_one(".modal-error").render())
        await pilot.press("escape", "y")  # a name was typed: escape asks before losing it

        # Home and End go to the ends of a list.
        await pilot.press("tab", "tab", "end")
        candidates = screen.query_one("#candidates", RowView)
        assert candidates.cursor_row == candidates.row_count - 1 > 0
        await pilot.press("home")
        assert candidates.cursor_row == 0

        # ! raises a risk against the backlog item under the cursor, in this sprint.
        await pilot.press("exclamation_mark")
        await pilot.pause()
        raising = app.screen
        assert isinstance(raising, RaiseRiskModal)
        assert raising.query_one("#risk-item", Input).value == "CHK-2"
        assert raising.query_one("#risk-sprint", Input).value == "Sprint 14"
        await pilot.press("escape")

        await pilot.press("left_square_bracket")  # Sprint 13, closed
        await settle(pilot)
        assert screen.sprint is not None and screen.sprint.name == "Sprint 13"
        assert "Closed 29 of 32 committed points done" in _head(screen, "#team-capacity")
        await pilot.press("a", "d", "C")
        await pilot.pause()
        assert app.screen is screen  # nothing to change in a closed sprint


async def test_escape_asks_before_a_filled_in_form_is_lost(demo_session: Session) -> None:
    from planner_tui.screens.item_editor import DiscardModal

    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        raising = app.screen
        assert isinstance(raising, RaiseRiskModal)
        await pilot.press("escape")  # nothing typed: it just closes
        await pilot.pause()
        assert not isinstance(app.screen, RaiseRiskModal)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        app.screen.query_one("#risk-title", Input).value = "Vendor SDK is end of life"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardModal)
        await pilot.press("n")  # keep editing: nothing lost
        await pilot.pause()
        assert app.screen.query_one("#risk-title", Input).value == "Vendor SDK is end of life"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, SprintScreen)


async def test_find_narrows_the_backlog_to_what_was_typed_last(empty_session: Session) -> None:
    """A burst of keys into the backlog's find box ends with the list for the whole text,
    read off the UI thread (a slower read for an earlier letter never wins)."""
    from .conftest import wait_until

    titles = ["Apple Pay", "Apple ID login", "Apply coupon", "Gift cards", "Apple Watch app"]
    add_items(empty_session.workspace, [NewItem(title=t) for t in titles])
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await wait_until(pilot, lambda: isinstance(app.screen, SprintScreen), "the Sprint screen")
        screen = app.screen
        assert isinstance(screen, SprintScreen)
        await wait_until(pilot, lambda: len(screen.backlog) == 5, "the whole backlog")
        await pilot.press("slash", *"apple w")

        def found() -> list[str]:
            return [c.title for c in screen.backlog]

        await wait_until(pilot, lambda: found() == ["Apple Watch app"], "the one match")
        assert screen.backlog_total == 1
        table = screen.query_one("#candidates", RowView)
        assert table.row_count == 1
        await pilot.press("backspace", "backspace")  # "apple"
        await wait_until(pilot, lambda: len(found()) == 3, "three apples")
        assert sorted(found()) == ["Apple ID login", "Apple Pay", "Apple Watch app"]


async def test_a_find_key_narrows_the_list_in_its_frame_once_reads_are_quick(
    empty_session: Session,
) -> None:
    """After a find has read quickly, the next keystroke's list is read within the key and
    drawn in the same frame as the typed character."""
    from .conftest import wait_until

    titles = ["Apple Pay", "Apple ID login", "Apply coupon", "Gift cards", "Apple Watch app"]
    add_items(empty_session.workspace, [NewItem(title=t) for t in titles])
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await wait_until(pilot, lambda: isinstance(app.screen, SprintScreen), "the Sprint screen")
        screen = app.screen
        assert isinstance(screen, SprintScreen)
        await wait_until(pilot, lambda: len(screen.backlog) == 5, "the whole backlog")
        await pilot.press("slash", "a")  # read in a worker: how long it takes is learnt
        await wait_until(pilot, lambda: screen.find._took.get(True, 9) < 1, "the first find read")
        await settle(pilot)
        box = screen.query_one("#backlog-find", Input)
        frames: list[tuple[str, int]] = []  # the field and the list's length, at each frame
        spy(screen, "_compositor_refresh", lambda: frames.append((box.value, len(screen.backlog))))
        await pilot.press("p", "p", "l", "e", "space", "w")
        await settle(pilot)
        assert [c.title for c in screen.backlog] == ["Apple Watch app"]
        from planner_tui.services import sprints

        assert frames and all(  # never a frame with the text typed and the list behind it
            len(sprints.candidates(empty_session, value)[0]) == count for value, count in frames
        ), frames


async def test_sprint_titles_have_room_at_80x24(demo_session: Session) -> None:
    """At 80x24 the sprint's titles were cut to a few characters beside an Owner column
    (issue 18's trap): the owner steps aside while a title would get fewer than 20 cells,
    and comes back when there is room."""
    app = live_app(demo_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        items = app.screen.query_one("#sprint-items", RowView)
        first = items.render_line(1).text
        title = first.split("CHK-3", 1)[1].split("…", 1)[0].strip()
        assert len(title) >= 20, first
        assert "Owner" not in items.render_line(0).text
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert "Owner" in items.render_line(0).text
        assert "sam" in items.render_line(1).text


async def test_the_screens_keys_keep_their_words_at_120_columns(demo_session: Session) -> None:
    """At 120 columns the Backlog's last keys lost their words while app-wide words such
    as 'New item' and 'Quit' kept theirs (issue 18's trap)."""
    from planner_tui.widgets.keybar import KeyBar

    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        for screen_key, words in (
            ("2", ("/ Filter", "v Value/effort", "d Delete", "u Undo")),
            ("4", ("p New sprint", "c Commit", "/ Find", "C Close", "! Risk")),
        ):
            await pilot.press(screen_key)
            await settle(pilot)
            line = app.screen.query_one(KeyBar).render().plain
            for word in words:
                assert word in line, line
        await pilot.resize_terminal(80, 24)  # narrow: ? and q keep their words longest
        await settle(pilot)
        line = app.screen.query_one(KeyBar).render().plain
        assert "? Keys" in line and "q Quit" in line, line


async def test_a_find_narrowing_the_list_leaves_no_old_rows_on_screen(
    empty_session: Session,
) -> None:
    """The candidates list draws again only the lines that changed, the length too: the
    rows a narrower list no longer has must be blanked, not left as drawn."""
    add_items(
        empty_session.workspace,
        [NewItem(title="Saved cards"), NewItem(title="Address lookup"), NewItem(title="Apple Pay")],
    )
    app = live_app(empty_session)
    async with app.run_test(size=(120, 30)) as pilot:

        def shown() -> str:
            return app.export_screenshot().replace("&#160;", " ")

        await pilot.press("4")
        await settle(pilot)
        assert "Address lookup" in shown() and "Apple Pay" in shown()
        await pilot.press("slash", "S", "a", "v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SprintScreen)
        assert "Saved cards" in shown()
        assert "Address lookup" not in shown() and "Apple Pay" not in shown()
