"""Pilot tests of risk flags: raise from the backlog, the register and matrix, decide, blocking."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from planner_tui.domain.enums import RiskStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import NewItem, NewRisk, NewSprint
from planner_tui.domain.risk_view import RiskView
from planner_tui.screens.poker_modals import AcceptModal
from planner_tui.screens.risk_modals import DecideModal, RaiseRiskModal
from planner_tui.screens.risks import RisksScreen
from planner_tui.services import poker, risks
from planner_tui.services.context import Session
from planner_tui.store.items import add_items
from planner_tui.store.sprint_items import commit_item
from planner_tui.store.sprints import add_sprint
from planner_tui.widgets.risk_matrix import RiskMatrix
from planner_tui.widgets.row_view import RowView
from planner_tui.widgets.text_panel import TextPanel

from .conftest import TODAY, focus_on, live_app, make_engineer, rows, settle, spy, wait_until


def shown(screen: RisksScreen) -> list[RiskView]:
    """Every risk the screen's list shows, read the way the list reads them."""
    found = [screen.risk_at(index) for index in range(screen.shown_count)]
    assert None not in found
    return [risk for risk in found if risk is not None]


async def test_raise_from_the_backlog_decide_and_filter_by_the_matrix(
    empty_session: Session,
) -> None:
    make_engineer(empty_session)  # accepting a blocking security risk is engineering's call
    add_items(
        empty_session.workspace, [NewItem(title="Social login"), NewItem(title="Lazy images")]
    )
    path = empty_session.path
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("exclamation_mark")  # on the first item
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, RaiseRiskModal)
        assert modal.query_one("#risk-item", Input).value.endswith("-1")
        modal.query_one("#risk-title", Input).value = "OAuth widens the [attack] surface"
        modal.query_one("#risk-category", Input).value = "security"
        modal.query_one("#risk-likelihood", Input).value = "4"
        modal.query_one("#risk-impact", Input).value = "9"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RaiseRiskModal)  # 9 is off the scale: said, nothing lost
        assert "1 to 5" in str(app.screen.query_one(".modal-error").render())
        app.screen.query_one("#risk-impact", Input).value = "5"
        await pilot.press("enter")
        await settle(pilot)
        assert rows(path, "SELECT title, category, blocking, raised_by FROM risks") == [
            ("OAuth widens the [attack] surface", "security", 1, "maya")
        ]

        await pilot.press("escape", "5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RisksScreen)
        assert [r.title for r in shown(screen)] == ["OAuth widens the [attack] surface"]
        assert "1 blocking" in str(screen.query_one("#risks-head").render())
        matrix = screen.query_one(RiskMatrix)
        assert matrix.counts[(4, 5)] == 1 and sum(matrix.counts.values()) == 1

        # The matrix: a cell with nothing in it empties the list; again clears it.
        await pilot.press("m", "down", "enter")
        await settle(pilot)
        assert screen.keep.cell == (4, 5) and len(shown(screen)) == 1
        await pilot.press("m", "up", "enter")
        await settle(pilot)
        assert screen.keep.cell == (5, 5) and shown(screen) == []
        await pilot.press("x")
        await settle(pilot)
        assert len(shown(screen)) == 1

        # Accept it: a reason is required, then it is decided, and the history shows it.
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DecideModal)
        await pilot.press("down", "down", "enter")  # Accepted
        await pilot.pause()
        assert isinstance(app.screen, DecideModal)  # not without a reason
        assert "say why" in str(app.screen.query_one(".modal-error").render())
        app.screen.query_one("#decide-note", Input).value = "Beta users only"
        await pilot.press("enter")
        await settle(pilot)
        assert shown(screen) == []  # live risks only, by default
        await pilot.press("s")  # all of them
        await settle(pilot)
        assert shown(screen)[0].status is RiskStatus.ACCEPTED
        detail = str(screen.query_one("#risk-detail").render())
        assert "open → accepted" in detail and "Beta users only" in detail
        assert screen.query_one(RowView).row_count == 1

        # Edit it: the change goes into its history.
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RaiseRiskModal)
        assert app.screen.query_one("#risk-title", Input).value.startswith("OAuth widens")
        app.screen.query_one("#risk-likelihood", Input).value = "2"
        await pilot.press("enter")
        await settle(pilot)
        assert shown(screen)[0].likelihood == 2
        assert "likelihood 4 → 2" in str(screen.query_one("#risk-detail").render())

        # Filter by item: another item's risks (none) and back.
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#filter-item", Input).value = "PLN-2"
        await pilot.press("enter")
        await settle(pilot)
        assert shown(screen) == [] and "item: PLN-2" in str(
            screen.query_one("#risks-head").render()
        )
        await pilot.press("x", "s")  # cleared, back to live only; s: all again
        await settle(pilot)
        assert len(shown(screen)) == 1 and screen.keep.item_key is None


async def test_a_blocking_risk_refuses_a_final_estimate_and_a_commit_until_cleared(
    empty_session: Session,
) -> None:
    make_engineer(empty_session)
    ids = add_items(empty_session.workspace, [NewItem(title="Social login")])
    key = empty_session.workspace.query_one("SELECT key FROM items WHERE id = ?", [ids[0]])[0]
    from planner_tui.domain.enums import RiskCategory
    from planner_tui.domain.models import NewRisk

    risk_id = risks.raise_risk(
        empty_session,
        NewRisk(title="OAuth surface", category=RiskCategory.SECURITY, likelihood=3, impact=4,
                item_key=key),
    )  # fmt: skip
    sprint = add_sprint(
        empty_session.workspace,
        NewSprint(name="Sprint 15", start=TODAY, end=TODAY.replace(day=28)),
    )
    with pytest.raises(InvalidInput, match=f"cannot commit {key} to a sprint: .* R-{risk_id}"):
        commit_item(empty_session.workspace, sprint, ids[0])
    session_id = poker.start(empty_session, "Estimate", ids)
    poker.vote(empty_session, session_id, "5")
    with pytest.raises(InvalidInput, match="resolve, mitigate or accept it on the Risks screen"):
        poker.accept(empty_session, session_id, "5")

    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("a")  # refused at once: no accept dialog to fill in for nothing
        await pilot.pause()
        assert not isinstance(app.screen, AcceptModal)
        shown = [str(n.message) for n in app._notifications]
        assert any(f"cannot give {key} a final estimate" in m for m in shown), shown
        # The table said only "blocks commitment": the room voted, then a was refused.
        context = str(app.screen.query_one("#poker-context").render())
        assert "OAuth surface" in context and "blocks its estimate and commitment" in context

    risks.decide(empty_session, risk_id, RiskStatus.MITIGATED, "Reviewed by security")
    poker.accept(empty_session, session_id, "5")  # cleared: both go through now
    commit_item(empty_session.workspace, sprint, ids[0])


async def test_a_risk_against_a_missing_item_comes_back_with_everything_typed(
    empty_session: Session,
) -> None:
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        modal = await _raise_dialog(pilot)
        modal.query_one("#risk-mitigation", Input).value = "Pin the version"
        modal.query_one("#risk-item", Input).value = "NOPE-9"
        modal.query_one("#risk-owner", Input).value = "Zed"
        await pilot.press("enter")
        await pilot.pause()
        assert "Zed is new to this workspace" in str(modal.query_one(".modal-error").render())
        await pilot.press("enter")  # yes, add Zed
        await settle(pilot)
        back = app.screen
        assert isinstance(back, RaiseRiskModal) and back is not modal
        assert "NOPE-9 does not exist" in str(back.query_one(".modal-error").render())
        assert back.query_one("#risk-title", Input).value == "Vendor SDK sunset"
        assert back.query_one("#risk-mitigation", Input).value == "Pin the version"
        back.query_one("#risk-item", Input).value = ""
        await pilot.press("enter")
        await pilot.press("enter")  # Zed again: this dialog asks once more
        await settle(pilot)
    assert [(r.title, r.owner) for r in risks.listing(empty_session)] == [
        ("Vendor SDK sunset", "Zed")
    ]


async def test_the_cursor_keeps_its_risk_through_a_change_and_a_filter(
    empty_session: Session,
) -> None:
    """A teammate's change keeps the cursor on its risk, wherever it now is in the list;
    a filter that hides it starts the list from the top."""
    from planner_tui.domain.enums import RiskCategory
    from planner_tui.domain.models import NewRisk

    for n, (likelihood, category) in enumerate(
        [
            (5, RiskCategory.SCOPE),
            (4, RiskCategory.CAPACITY),
            (3, RiskCategory.SCOPE),
            (2, RiskCategory.CAPACITY),
            (1, RiskCategory.SCOPE),
        ]
    ):
        risks.raise_risk(
            empty_session,
            NewRisk(title=f"Risk {n}", likelihood=likelihood, impact=3, category=category),
        )
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RisksScreen)
        view = screen.query_one("#risks", RowView)
        await pilot.press("down", "down", "down")  # Risk 3 (likelihood 2)
        await settle(pilot)
        assert screen._current().title == "Risk 3"
        # Elsewhere, Risk 0 drops below it: Risk 3 moves up a row, the cursor with it.
        ws = empty_session.workspace
        with ws.write() as conn:
            conn.execute("UPDATE risks SET likelihood = 1 WHERE title = 'Risk 0'")
        screen.reload()
        await settle(pilot)
        assert view.cursor_row == 2 and screen._current().title == "Risk 3"
        await pilot.press("s")  # every status: Risk 3 is still shown, still under the cursor
        await settle(pilot)
        assert screen._current().title == "Risk 3"

        async def only(category: RiskCategory) -> None:
            screen.keep = screen.keep.model_copy(update={"category": category})
            screen.reload()
            await settle(pilot)

        await only(RiskCategory.CAPACITY)
        assert [r.title for r in shown(screen)] == ["Risk 1", "Risk 3"]
        assert view.cursor_row == 1 and screen._current().title == "Risk 3"
        await only(RiskCategory.SCOPE)  # Risk 3 is not in it: the list starts at the top
        assert [r.title for r in shown(screen)] == ["Risk 2", "Risk 4", "Risk 0"]
        assert view.cursor_row == 0


async def test_a_cursor_key_redraws_two_rows_and_the_panel_without_a_layout(
    empty_session: Session,
) -> None:
    """A cursor move draws the row it left, the row it took and the risk's panel, in one
    frame, and lays nothing out while the panel fits its box; a risk longer than the box
    grows the panel."""

    from planner_tui.domain.models import NewRisk

    for n in range(12):
        risks.raise_risk(empty_session, NewRisk(title=f"Risk {n:02}", likelihood=3, impact=3))
    risks.raise_risk(  # the lowest score: last in the list
        empty_session,
        NewRisk(title="Long one", likelihood=1, impact=1, description="line\n" * 40 + "end"),
    )
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RisksScreen)
        view = screen.query_one("#risks", RowView)
        detail = screen.query_one("#risk-detail", TextPanel)
        drawn: list[int] = []
        layouts: list[object] = []
        frames: list[str] = []  # what the panel showed at each frame drawn
        spy(view, "render_line", drawn.append)
        spy(screen, "_refresh_layout", lambda *args, **kwargs: layouts.append(args))
        spy(screen, "_compositor_refresh", lambda: frames.append(str(detail.render())))
        panel: list[int] = []
        spy(detail, "render_line", panel.append)
        for row in (1, 2):
            first = screen._current().title
            drawn.clear()
            frames.clear()
            panel.clear()
            await pilot.press("down")
            await settle(pilot)
            assert view.cursor_row == row and screen._current().title != first
            assert sorted(drawn) == [row, row + 1]  # (line 0 is the heading)
            assert panel and len(set(panel)) < detail.size.height // 2  # its changed lines
            assert not layouts
            assert frames and screen._current().title in frames[0]  # in the cursor's frame
        height = detail.size.height
        await pilot.press("end")
        await settle(pilot)
        assert screen._current().title == "Long one"
        assert layouts and detail.size.height > height  # taller than its box: it scrolls


async def test_a_teammates_risk_lengthens_the_list_without_a_layout(empty_session: Session) -> None:
    """A risk raised in another terminal adds a row: the scrollbar, already shown, takes
    the new length in the same frame, with no layout of the screen (a layout moved the
    thumb a frame after the list)."""
    from planner_tui.domain.models import NewRisk
    from planner_tui.services.context import open_session

    for n in range(60):
        risks.raise_risk(empty_session, NewRisk(title=f"Risk {n:02}", likelihood=3, impact=3))
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        screen = app.screen
        assert isinstance(screen, RisksScreen)
        view = screen.query_one("#risks", RowView)
        await wait_until(pilot, lambda: view.row_count == 60, "the register")
        await settle(pilot)
        assert view.show_vertical_scrollbar
        layouts: list[object] = []
        spy(screen, "_refresh_layout", lambda *args, **kwargs: layouts.append(args))
        sam = open_session(empty_session.path, "sam")
        try:
            risks.raise_risk(sam, NewRisk(title="One more", likelihood=1, impact=1))
        finally:
            sam.workspace.close()
        await wait_until(pilot, lambda: view.row_count == 61, "the new risk listed")
        await settle(pilot)
        assert view.vertical_scrollbar.window_virtual_size == 62  # (the heading and 61 rows)
        assert not layouts


async def test_a_list_shrinking_while_scrolled_to_its_end_keeps_its_cursor_and_scroll_in_range() -> (
    None
):
    """A list read again shorter while scrolled to its end (a filter, a teammate's
    deletions) takes the new length without a layout: the cursor and the scroll come
    back within it and the scrollbar's thumb says the new length."""
    from textual.app import App, ComposeResult

    from planner_tui.widgets.row_view import RowColumn

    class Lister(App[None]):
        def compose(self) -> ComposeResult:
            yield RowView(id="rows")

    app = Lister()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(RowView)
        columns = [RowColumn("Row")]
        view.show(columns, 200, lambda n: [f"row {n}"])
        view.focus()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert view.cursor_row == 199 and view.scroll_y == view.max_scroll_y > 0
        layouts: list[object] = []
        spy(app.screen, "_refresh_layout", lambda *args, **kwargs: layouts.append(args))
        view.show(columns, 50, lambda n: [f"row {n}"])
        await pilot.pause()
        assert view.cursor_row == 49
        assert view.scroll_y == view.max_scroll_y == 51 - view.scrollable_content_region.height
        assert view.vertical_scrollbar.window_virtual_size == 51
        assert not layouts
        lines = [strip.text for strip in view.render_lines(view.region.reset_offset)]
        assert any("row 49" in line for line in lines)


async def test_a_mitigated_risk_is_scored_again(empty_session: Session) -> None:
    """Mitigating a risk kept its old score and did not ask for new ones (issue 18's
    trap): Mitigated asks for the likelihood and impact left, and asks again if they are
    unchanged."""
    risk_id = risks.raise_risk(
        empty_session, NewRisk(title="Vendor may slip", likelihood=4, impact=4)
    )
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DecideModal), "the decision")
        modal = app.screen
        scores = modal.query_one("#decide-scores", Input)
        assert not scores.display  # asked only for Mitigated
        while modal._chosen() is not RiskStatus.MITIGATED:
            await pilot.press("down")
        assert scores.display and scores.value == "4 4"
        await pilot.press("enter")
        assert app.screen is modal
        assert "Still likelihood 4 and impact 4" in str(modal.query_one(".modal-error").render())
        scores.value = "2 3"
        await pilot.press("enter")
        await settle(pilot)
    assert rows(empty_session.path, "SELECT status, likelihood, impact FROM risks") == [
        ("mitigated", 2, 3)
    ]
    (note,) = rows(
        empty_session.path,
        "SELECT note FROM risk_events WHERE risk_id = ? AND to_status = 'mitigated'",
        (risk_id,),
    )
    assert "likelihood 4 → 2, impact 4 → 3" in note[0]


async def test_a_new_name_that_begins_a_known_one_says_how_to_take_it(
    empty_session: Session,
) -> None:
    """ "ma" typed with "maya" suggested, then enter: the dialog said "ma is new to this
    workspace: enter again to add them" (a stray person was one enter away); it says
    that → takes maya, and → does."""
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        modal = await _raise_dialog(pilot)
        owner = modal.query_one("#risk-owner", Input)
        await focus_on(pilot, owner)
        await pilot.press("m", "a", "enter")
        said = str(modal.query_one(".modal-error").render())
        assert "ma is new to this workspace: → takes maya, enter again adds ma" in said, said
        await pilot.press("right")
        assert owner.value == "maya"
        await pilot.press("enter")
        await settle(pilot)
    assert [(r.title, r.owner) for r in risks.listing(empty_session)] == [
        ("Vendor SDK sunset", "maya")
    ]


async def _raise_dialog(pilot) -> RaiseRiskModal:
    """The Risks screen's Raise dialog (5, r), its title typed."""
    await pilot.press("5", "r")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, RaiseRiskModal)
    modal.query_one("#risk-title", Input).value = "Vendor SDK sunset"
    return modal
