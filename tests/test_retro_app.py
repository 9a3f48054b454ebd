"""Pilot tests of retros: real key presses on the Retro, board and Action items screens."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, Input

from planner_tui.app import PlannerApp
from planner_tui.domain.models import NewAction
from planner_tui.domain.retro import BUILTIN_TEMPLATES, Phase, RetroSettings
from planner_tui.screens.actions import ActionsScreen
from planner_tui.screens.modal import ConfirmModal
from planner_tui.screens.poker_modals import NotesModal
from planner_tui.screens.retro import RetroScreen
from planner_tui.screens.retro_board import RetroBoardScreen
from planner_tui.screens.retro_close_modals import ActionModal, RateModal
from planner_tui.screens.retro_modals import CardModal, GroupModal, StartRetroModal
from planner_tui.services import retro, retro_view
from planner_tui.services.context import Session, open_session
from planner_tui.services.pages import PAGE
from planner_tui.store import retro as retro_store
from planner_tui.widgets.retro_column import RetroColumn
from planner_tui.widgets.row_view import RowView

from .conftest import TODAY, focus_on, live_app, rows, settle, shown, spy, wait_until

WWW = BUILTIN_TEMPLATES["Went well / To improve / Actions"]


def _board(app: PlannerApp):
    screen = app.screen
    assert isinstance(screen, RetroBoardScreen), screen
    assert screen.board is not None
    return screen.board


def _earlier_retro(session: Session) -> tuple[int, int]:
    """An ended retro that left two open actions for the next one to review."""
    sid = retro.start(session, "Sprint 13 retro", "Went well / To improve / Actions", WWW)
    retro_store.set_phase(session.workspace, sid, Phase.DISCUSS)
    first = retro.add_action(session, sid, NewAction(text="Cache CI deps", owner="sam"))
    second = retro.add_action(session, sid, NewAction(text="Write the runbook", owner="lena"))
    retro_store.set_phase(session.workspace, sid, Phase.CLOSE)
    retro.end(session, sid)
    return first, second


async def _type_card(pilot, text: str, *, who: str | None = None, key: str = "w") -> None:
    await pilot.press(key)
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, CardModal)
    modal.query_one("#card-text", Input).value = text
    if who is not None:
        modal.query_one("#card-for", Input).value = who
    await pilot.press("enter")
    await settle(pilot)


async def _highlight(pilot, column: int, option_id: str) -> None:
    screen = pilot.app.screen
    lists = [c for c in screen.query(RetroColumn) if c.index >= 0]
    while screen.active != column:
        await pilot.press("right" if screen.active < column else "left")
        await pilot.pause()
    target = lists[column]
    ids = [target.get_option_at_index(i).id for i in range(target.option_count)]
    target.highlighted = ids.index(option_id)
    await pilot.pause()


async def _next_phase(pilot) -> None:
    await pilot.press("right_square_bracket")
    await settle(pilot)


async def test_a_whole_retro_on_a_shared_screen(empty_session: Session) -> None:
    """Review last retro's actions, write (also for the room), reveal, group, vote, discuss, close."""
    cache, runbook = _earlier_retro(empty_session)
    path = empty_session.path
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        assert isinstance(app.screen, RetroScreen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StartRetroModal)
        app.screen.query_one("#retro-title", Input).value = "Sprint 14 retro"
        app.screen.query_one("#retro-several", Checkbox).value = True
        await pilot.press("enter")
        await settle(pilot)

        # 1. Review: the open actions of the last retro come first.
        board = _board(app)
        assert board.info.phase is Phase.REVIEW
        assert [e.text for e in board.review] == ["Cache CI deps", "Write the runbook"]
        await pilot.press("d")  # the cursor moves on to the next one
        await pilot.press("c")
        await settle(pilot)
        assert rows(path, "SELECT status, decided_by FROM action_items ORDER BY id") == [
            ("done", "maya"),
            ("open", "maya"),
        ]
        assert rows(path, "SELECT action_id, decision FROM action_reviews WHERE board_id = 2") == [
            (cache, "done"),
            (runbook, "carried over"),
        ]

        # 2. Write: my card shows to me; the ones I type for the room do not.
        await _next_phase(pilot)
        await _type_card(pilot, "Pairing on [bold]checkout[/] 🎉")
        await pilot.press("right")
        await _type_card(pilot, "CI is slow", key="f")  # anonymous: from the room, no name
        await _type_card(pilot, "Flaky end-to-end tests", key="f")
        board = _board(app)
        assert [c.count for c in board.columns] == [1, 2, 0]
        screen = app.screen
        assert "2 cards from others, hidden until the reveal" in str(
            screen.query_one("#retro-col-1", RetroColumn).get_option_at_index(0).prompt
        )
        assert "3 cards from 1 person" in str(screen.query_one("#retro-hint").render())

        # 3. Reveal: all at once.
        await _next_phase(pilot)
        board = _board(app)
        by_text = {c.text: c.id for c in board.columns[1].cards}
        assert sorted(by_text) == ["CI is slow", "Flaky end-to-end tests"]
        ci, flaky = by_text["CI is slow"], by_text["Flaky end-to-end tests"]
        pairing = board.columns[0].cards[0].id

        # 4. Group: a theme for the pipeline; a card moved across and back.
        await _next_phase(pilot)
        await _highlight(pilot, 1, f"card:{ci}")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GroupModal)
        await pilot.press(*"Build pipeline", "enter")
        await settle(pilot)
        theme = _board(app).columns[1].themes[0]
        await _highlight(pilot, 1, f"card:{flaky}")
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("tab", "enter")  # the theme already on the board
        await wait_until(
            pilot,
            lambda: (
                sorted(c.text for c in _board(app).theme(theme.id).cards)
                == ["CI is slow", "Flaky end-to-end tests"]
            ),
            "both cards under the theme",
        )
        await _highlight(pilot, 0, f"card:{pairing}")
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert _board(app).columns[1].cards[0].text.startswith("Pairing")
        await _highlight(pilot, 1, f"card:{pairing}")
        await pilot.press("less_than_sign")
        await settle(pilot)

        # 5. Vote: three dots, the fourth refused; totals hidden meanwhile.
        await _next_phase(pilot)
        await _highlight(pilot, 1, f"theme:{theme.id}")
        await pilot.press("space")
        await settle(pilot)
        await _highlight(pilot, 1, f"card:{ci}")
        await pilot.press("space")
        await settle(pilot)
        await _highlight(pilot, 0, f"card:{pairing}")
        await pilot.press("space")
        await settle(pilot)
        await _highlight(pilot, 1, f"card:{flaky}")
        await pilot.press("space")
        await settle(pilot)
        board = _board(app)
        assert board.votes_left == 0 and board.theme(theme.id).votes is None
        assert rows(path, "SELECT count(*) FROM retro_votes") == [(3,)]

        # 6. Discuss: sorted by votes; notes on the theme; an owned action from it.
        await _next_phase(pilot)
        board = _board(app)
        assert board.theme(theme.id).votes == 2
        assert board.theme(theme.id).cards[0].text == "CI is slow"  # most dots first
        await _highlight(pilot, 1, f"theme:{theme.id}")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, NotesModal)
        await pilot.press(*"An hour a day lost", "ctrl+s")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)
        modal = app.screen
        modal.query_one("#action-text", Input).value = "Cache dependencies in CI"
        modal.query_one("#action-owner", Input).value = "sam"
        modal.query_one("#action-due", Input).value = "2026-12-01"
        await pilot.press("enter")
        await settle(pilot)
        action = _board(app).actions[0]
        assert (action.text, action.owner, action.prompted_by) == (
            "Cache dependencies in CI",
            "sam",
            "Build pipeline",
        )
        assert rows(path, "SELECT notes FROM retro_themes") == [("An hour a day lost",)]

        # 7. Close: a rating, then the end with its summary.
        await _next_phase(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RateModal)
        await pilot.press("4")
        await settle(pilot)
        assert _board(app).my_rating == 4
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        board = _board(app)
        assert not board.info.open
        assert "Cache dependencies in CI (sam, due 2026-12-01)" in board.info.summary
        assert "Build pipeline [2]" in board.info.summary
        assert "Write the runbook — carried over" in board.info.summary
        assert "1 rating (the average shows from 3 ratings)" in board.info.summary
        assert "s shows the summary" in str(app.screen.query_one("#retro-hint").render())
    assert rows(path, "SELECT count(*) FROM retro_cards WHERE author_id IS NOT NULL") == [(0,)]
    assert rows(path, "SELECT status FROM sessions WHERE id = 2") == [("closed",)]


async def test_the_board_shows_one_column_at_a_time_on_a_narrow_terminal(
    empty_session: Session,
) -> None:
    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    retro.write(empty_session, sid, "Learned", "Feature flags make rollbacks cheap " * 3)
    app = live_app(empty_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetroBoardScreen) and screen.has_class("-narrow")
        shown = [c.index for c in screen.query(RetroColumn) if c.index >= 0 and c.parent.display]
        assert shown == [0]
        await pilot.press("right")
        await pilot.pause()
        shown = [c.index for c in screen.query(RetroColumn) if c.index >= 0 and c.parent.display]
        assert shown == [1]
        head = str(screen.query_one("#retro-head-1").render())
        assert "Liked 0" in head and "Learned 1" in head and "Longed for 0" in head
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CardModal)  # my own card: editable
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RetroScreen)


async def test_action_items_screen_edits_and_highlights_overdue(empty_session: Session) -> None:
    _earlier_retro(empty_session)
    retro.add_loose_action(
        empty_session, NewAction(text="Book the offsite", due=TODAY.replace(day=1))
    )
    app = live_app(empty_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        table = screen.query_one(RowView)
        assert table.row_count == 3
        assert "1 overdue" in str(screen.query_one("#actions-head").render())
        texts = [a.text for a in screen.actions]
        assert texts[0] == "Book the offsite"  # the one due first
        await pilot.press("space")  # open → in progress
        await settle(pilot)
        assert screen.actions[0].status.value == "in progress"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)
        app.screen.query_one("#action-owner", Input).value = "raj"
        app.screen.query_one("#action-due", Input).value = "next week"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)  # a typo must not add a teammate unasked
        assert "raj is new" in str(app.screen.query_one(".modal-error").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)  # a clear error, nothing lost
        assert "2026-12-01" in str(app.screen.query_one(".modal-error").render())
        app.screen.query_one("#action-due", Input).value = "+7"
        await pilot.press("enter")
        await settle(pilot)
        edited = next(a for a in screen.actions if a.text == texts[1])
        assert edited.owner == "raj" and edited.due_date.isoformat() == "2026-12-01"
        await pilot.press("f")
        await settle(pilot)
        assert table.row_count == 3  # nothing finished yet


async def test_a_card_typed_in_a_burst_lands_whole(empty_session: Session) -> None:
    """w, the text and enter arriving in one bunch (fast typing, SSH) write the card, nothing else."""
    sid = retro.start(empty_session, "Retro", "Went well / To improve / Actions", WWW)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("w", *"great demo", "enter")  # g and e would group or edit
        await settle(pilot)
        assert isinstance(app.screen, RetroBoardScreen)
        assert [c.text for c in _board(app).columns[0].cards] == ["great demo"]
    assert retro_view.board(empty_session, sid).card_count == 1


async def test_a_card_refused_as_the_board_moves_on_is_quoted_not_lost(
    empty_session: Session,
) -> None:
    """The facilitator turned the cards as enter was pressed: the card could not be saved,
    and its dialog and draft were gone with the text. The refusal quotes it."""
    sid = retro.start(empty_session, "Retro", "Went well / To improve / Actions", WWW)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await shown(pilot, "w", CardModal)
        app.screen.query_one("#card-text", Input).value = "Standups run long [and] 😀"
        retro_store.set_phase(empty_session.workspace, sid, Phase.REVEAL)  # meanwhile
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: any("not saved: Standups run long [and] 😀" in str(n.message)
                        for n in app._notifications),
            "the refusal, with the card",
        )  # fmt: skip
    assert retro_view.board(empty_session, sid).card_count == 0


async def test_t_leads_to_the_running_retro_even_after_leaving_it_at_the_list(
    empty_session: Session,
) -> None:
    """Left at the list of retros, t showed the list again instead of the running retro
    (issue 18's trap); escape from the board still shows the list."""
    from planner_tui.screens.home import HomeScreen

    sid = retro.start(empty_session, "Retro", "Went well / To improve / Actions", WWW)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, "6", RetroBoardScreen)
        await shown(pilot, "escape", RetroScreen)
        await settle(pilot)
        assert isinstance(app.screen, RetroScreen)
        await shown(pilot, "1", HomeScreen)
        await shown(pilot, "t", RetroBoardScreen)
    assert sid


async def test_a_board_whose_retro_is_gone_goes_back_to_the_list(empty_session: Session) -> None:
    """A teammate rebuilt the demo (or removed the retro) under an open board: it stayed
    on screen with a toast, every key then refused. It goes back to the list."""
    sid = retro.start(empty_session, "Retro", "Went well / To improve / Actions", WWW)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, "6", RetroBoardScreen)
        with sqlite3.connect(empty_session.path) as teammate:
            teammate.execute("PRAGMA foreign_keys = ON")
            teammate.execute("DELETE FROM sessions WHERE id = ?", [sid])
            teammate.execute(
                "INSERT INTO changes(at, actor, entity, entity_id, action) "
                "VALUES ('2026-01-01', 'sam', 'session', ?, 'deleted')",
                [sid],
            )
        await wait_until(pilot, lambda: isinstance(app.screen, RetroScreen), "the list")


async def test_a_toast_on_the_board_leaves_its_hint_and_who_is_here_in_view(
    empty_session: Session,
) -> None:
    """Toasts at the top hid the board's hint ('you have 0 of 3 votes left'); at the very
    bottom they hid who is here: on a board they sit above the status line."""
    from textual.widgets._toast import Toast

    retro.start(empty_session, "Retro", "Went well / To improve / Actions", WWW)
    app = live_app(empty_session)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("6")
        await settle(pilot)
        app.notify("A word for the room, long enough to take two lines of a toast here")
        await wait_until(pilot, lambda: app.screen.query(Toast), "a toast")
        await settle(pilot)
        toast = app.screen.query_one(Toast).region
        for kept in ("#retro-hint", "#retro-status", "#retro-phase"):
            region = app.screen.query_one(kept).region
            assert region.area and not toast.overlaps(region), (kept, toast, region)


async def test_the_presenter_view_of_a_board_shows_nothing_of_mine(
    empty_session: Session,
) -> None:
    """On an anonymous board the facilitator's cards said "(yours)" to the room, and in the
    Write phase showed their text (issue 18): with P, the room's screen hides my cards
    until the reveal and never marks them or my dots."""
    sid = retro.start(empty_session, "Retro", "Went well / To improve / Actions", WWW)
    retro_store.set_phase(empty_session.workspace, sid, Phase.WRITE)
    retro.write(empty_session, sid, "Went well", "my private card")
    lena = open_session(empty_session.path, "lena")
    retro.write(lena, sid, "Went well", "lena's card")
    lena.workspace.close()
    app = live_app(empty_session)

    def column_text() -> str:
        column = app.screen.query_one("#retro-col-0", RetroColumn)
        return "\n".join(
            str(column.get_option_at_index(n).prompt) for n in range(column.option_count)
        )

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        assert "my private card  (yours)" in column_text()  # my own screen
        await pilot.press("P")
        await settle(pilot)
        assert app.theme == "projector"
        shown = column_text()
        # my card is not drawn apart from the others' (that alone would say it is mine)
        assert "my private card" not in shown and "yours" not in shown
        assert shown == "2 cards, hidden until the reveal"  # one line for all, mine too
        retro_store.set_phase(empty_session.workspace, sid, Phase.VOTE)
        app.notify_screen(frozenset({"retro"}))
        await wait_until(pilot, lambda: "my private card" in column_text(), "the reveal")
        await pilot.press("space")  # a dot of mine
        await settle(pilot)
        shown = column_text()
        assert "(yours)" not in shown and "you •" not in shown
        await pilot.press("P")
        await settle(pilot)
        assert "(yours)" in column_text() and app.theme != "projector"


def _tap_target(app: PlannerApp, answer: str) -> Button:
    return next(b for b in app.screen.query(Button) if b.name == answer)


async def test_a_phone_writes_a_card_and_rates_the_retro_by_tapping(
    empty_session: Session,
) -> None:
    """In a narrow browser (planner serve on a phone) the card dialog and the rating answer
    taps: Keep it saves the card, Cancel backs out, a number rates."""
    sid = retro.start(empty_session, "Retro", "Went well / To improve / Actions", WWW)
    app = live_app(empty_session)
    async with app.run_test(size=(46, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await shown(pilot, "w", CardModal)
        await pilot.press(*"tapped in")
        await pilot.click(_tap_target(app, "keep"))
        await wait_until(pilot, lambda: isinstance(app.screen, RetroBoardScreen), "the board")
        await settle(pilot)
        await shown(pilot, "w", CardModal)
        await pilot.click(_tap_target(app, "cancel"))
        await wait_until(pilot, lambda: isinstance(app.screen, RetroBoardScreen), "the board")

        rated: list[int | None] = []
        app.push_screen(RateModal(), rated.append)
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, RateModal) and app.screen.query("Taps Button"),
            "the rating",
        )
        await pilot.click(_tap_target(app, "4"))
        await wait_until(pilot, lambda: rated == [4], "the rating tapped")
    assert [c.text for c in retro_view.board(empty_session, sid).columns[0].cards] == ["tapped in"]


def _title(app: PlannerApp) -> str:
    """The dialog's title as shown (the widget gives it back as escaped markup)."""
    from rich.text import Text

    return Text.from_markup(app.screen.query_one(".modal").border_title or "").plain


async def test_text_with_markup_closing_tags_is_shown_not_parsed(empty_session: Session) -> None:
    """Titles and cards like `[/b] ... [/]` open every dialog and the summary without a crash."""
    sid = retro.start(empty_session, "[/i] Odd retro", "Went well / To improve / Actions", WWW)
    card = retro.write(empty_session, sid, "Went well", "[/b] Pairing [/] was great")
    retro_store.set_phase(empty_session.workspace, sid, Phase.GROUP)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await _highlight(pilot, 0, f"card:{card}")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GroupModal)
        assert "[/b] Pairing [/] was great" in _title(app)
        await pilot.press("escape")
        retro_store.set_phase(empty_session.workspace, sid, Phase.DISCUSS)
        app.screen.load()  # written on this process's own connection: no poll sees it
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, NotesModal)
        await pilot.press("escape")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionModal)
        assert "[/b] Pairing [/]" in _title(app)
        await pilot.press("escape")
        retro_store.set_phase(empty_session.workspace, sid, Phase.CLOSE)
        retro.end(empty_session, sid)
        app.screen.load()
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert "[/i] Odd retro" in _title(app)
        assert app.return_code is None and app.is_running


async def test_the_retro_key_leads_from_an_ended_retro_to_the_running_one(
    empty_session: Session, workspace_path: Path
) -> None:
    _earlier_retro(empty_session)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "enter")  # the list, then the ended retro
        await settle(pilot)
        assert not _board(app).info.open
        other = open_session(workspace_path, "sam")
        running = retro.start(other, "Sprint 14 retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
        other.workspace.close()
        await pilot.press("6")  # the board steps back to the list, which opens the running one
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, RetroBoardScreen)
                and app.screen.board is not None
                and app.screen.board.info.session_id == running
                and app.screen.board.info.open
            ),
            "the running retro's board",
        )


async def test_a_long_column_draws_what_shows_and_then_rests(empty_session: Session) -> None:
    """A column longer than the screen says how much lies below and above, follows the
    cursor to the end, and, once drawn, draws nothing more until something changes."""
    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    for number in range(40):
        retro.write(empty_session, sid, "Liked", f"Card number {number} about pairing")
    app = live_app(empty_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetroBoardScreen)
        column = screen.query_one("#retro-col-0", RetroColumn)
        await wait_until(pilot, lambda: column.option_count == 40, "the 40 cards")
        await settle(pilot)
        below = column.border_subtitle or ""
        assert below.startswith("↓ ") and below.endswith(" more"), below
        drawn: list[object] = []
        spy(column, "render_lines", drawn.append)
        for _ in range(3):
            await pilot.pause()
        assert not drawn  # at rest: no frame asks it to draw again
        await focus_on(pilot, column)
        await pilot.press("end")
        await settle(pilot)
        assert drawn
        assert column.highlighted == 39
        last = column.get_option_at_index(39).prompt.plain.split("  ")[0]
        assert last.startswith("Card number ")
        assert (column.border_subtitle or "").startswith("↑ ")
        lines = [strip.text for strip in column.render_lines(column.region.reset_offset)]
        assert any(last in line for line in lines)


async def test_a_card_far_down_a_long_column_is_read_when_reached_and_can_be_edited(
    empty_session: Session,
) -> None:
    """The board reads a column's first cards; those past them are read as the cursor gets
    there, and act like the rest: edited, the cursor stays on the card after the re-read."""
    named = RetroSettings(anonymous=False)  # cards listed in writing order
    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"], named)
    count = PAGE * 2 + 50
    for number in range(count):
        retro.write(empty_session, sid, "Liked", f"Card number {number}")
    app = live_app(empty_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        screen = app.screen
        assert isinstance(screen, RetroBoardScreen)
        column = screen.query_one("#retro-col-0", RetroColumn)
        await wait_until(pilot, lambda: column.option_count == count, "every card counted")
        board = _board(app)
        assert len(board.columns[0].cards) == PAGE < board.columns[0].loose == count
        await focus_on(pilot, column)
        await pilot.press("end")
        await settle(pilot)
        assert column.highlighted == count - 1
        assert column.get_option_at_index(count - 1).prompt.plain.startswith(
            f"Card number {count - 1}  "
        )
        await shown(pilot, "e", CardModal)
        field = app.screen.query_one("#card-text", Input)
        assert field.value == f"Card number {count - 1}"
        field.value = "Edited far down"
        await pilot.press("enter")

        def edited() -> bool:
            index = column.highlighted
            return index is not None and column.get_option_at_index(index).prompt.plain.startswith(
                "Edited far down"
            )

        await wait_until(pilot, edited, "the edit drawn with the cursor still on it")
        assert column.highlighted == count - 1
        again = open_session(empty_session.path, "maya")  # maya in another terminal
        try:  # takes back her first card: the cursor goes up a line with its card
            retro.delete(again, sid, board.columns[0].cards[0].id)
        finally:
            again.workspace.close()
        await wait_until(pilot, lambda: column.option_count == count - 1, "one card fewer")
        await wait_until(pilot, edited, "the cursor on the edited card")
        assert column.highlighted == count - 2


async def test_a_saved_move_is_said_with_the_board_that_shows_it(empty_session: Session) -> None:
    """The toast saying a move was saved comes once the board read after it is shown, so
    the two are drawn in one frame (a toast of its own held the board back a frame)."""
    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    card = retro.write(empty_session, sid, "Liked", "Pairing on the rewrite")
    retro_store.set_phase(empty_session.workspace, sid, Phase.GROUP)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetroBoardScreen)
        await _highlight(pilot, 0, f"card:{card}")
        seen: list[tuple[str, list[str]]] = []  # each toast, and the second column's cards then

        def learned() -> list[str]:
            board = screen.board
            assert board is not None
            return [card.text for card in board.columns[1].cards]

        spy(screen, "notify", lambda message, **_: seen.append((message, learned())))
        await pilot.press("greater_than_sign")
        await wait_until(pilot, lambda: bool(seen), "the move said")
        assert seen[0] == ("Moved to Learned", ["Pairing on the rewrite"])


async def test_a_teammates_dot_redraws_only_the_card_it_went_on(empty_session: Session) -> None:
    """A board read again after a change draws again only the lines that show something
    else: a dot elsewhere changes one card of a column, not the column; a cursor move, the
    two cards it moved between."""
    named = RetroSettings(anonymous=False, hide_totals=False)
    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"], named)
    cards = [retro.write(empty_session, sid, "Liked", f"Card number {n}") for n in range(12)]
    retro_store.set_phase(empty_session.workspace, sid, Phase.VOTE)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        screen = app.screen
        assert isinstance(screen, RetroBoardScreen)
        column = screen.query_one("#retro-col-0", RetroColumn)
        await wait_until(pilot, lambda: column.option_count == 12, "the cards")
        await settle(pilot)
        drawn: list[int] = []
        spy(column, "render_line", drawn.append)
        sam = open_session(empty_session.path, "sam")  # in another terminal
        try:
            retro.dot(sam, sid, card_id=cards[5])
        finally:
            sam.workspace.close()
        await wait_until(
            pilot,
            lambda: "●1" in column.get_option_at_index(5).prompt.plain,
            "the dot drawn",
        )
        await settle(pilot)
        lines = [n for n, (index, _) in enumerate(column._lines) if index == 5]
        assert drawn and set(drawn) <= set(lines), (drawn, lines)
        await focus_on(pilot, column)  # and a cursor move draws the two cards it moved between
        await settle(pilot)
        before = column.highlighted
        drawn.clear()
        await pilot.press("down")
        await settle(pilot)
        moved = {before, column.highlighted}
        lines = [n for n, (index, _) in enumerate(column._lines) if index in moved]
        assert drawn and set(drawn) <= set(lines), (drawn, lines)


async def test_a_dot_is_drawn_in_the_keys_frame_and_a_refused_one_never(
    empty_session: Session,
) -> None:
    """Space draws my dot and the votes I have left in the first frame after the key, while
    its save is still held; a dot the board would refuse (a second on one card) is not
    drawn at all, and the reason is said."""
    from .conftest import Held

    settings = RetroSettings(votes_per_person=2)
    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"], settings)
    card = retro.write(empty_session, sid, "Liked", "Pairing on the rewrite")
    retro_store.set_phase(empty_session.workspace, sid, Phase.VOTE)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetroBoardScreen)
        await _highlight(pilot, 0, f"card:{card}")
        column = screen.query_one("#retro-col-0", RetroColumn)
        hint = screen.query_one("#retro-hint")

        def drawn() -> tuple[bool, bool]:
            dotted = "you •" in column.get_option_at_index(0).prompt.plain
            return dotted, "1 of 2 votes left" in str(hint.render())

        frames: list[tuple[tuple[bool, bool], bool]] = []
        save = Held(retro, "dot")
        spy(screen, "_compositor_refresh", lambda: frames.append((drawn(), save.done.is_set())))
        await pilot.press("space")
        await wait_until(pilot, lambda: frames, "a frame after the key")
        save.release()
        saved = "SELECT count(*) FROM retro_votes"
        await wait_until(pilot, lambda: rows(empty_session.path, saved) == [(1,)], "the dot saved")
        await settle(pilot)
        assert frames[0] == ((True, True), False)  # drawn while the save was held
        assert all(shown == (True, True) for shown, _ in frames)
        said: list[str] = []
        spy(screen, "notify", lambda message, **_: said.append(message))
        frames.clear()
        await pilot.press("space")  # one dot a card on this board
        await wait_until(pilot, lambda: said, "the refusal said")
        await settle(pilot)
        assert "one vote per card" in said[0]
        assert all(shown == (True, True) for shown, _ in frames)  # never a second dot drawn
        assert rows(empty_session.path, saved) == [(1,)]


async def test_the_retro_key_leads_past_a_retro_that_ended_behind_another_screen(
    tmp_path: Path,
) -> None:
    """A board left open behind another screen, ended there by its facilitator while
    another retro started: 6 showed the ended board, as it was last drawn."""
    path = tmp_path / "team.db"
    maya, sam = open_session(path, "maya"), open_session(path, "sam")
    try:
        first = retro.start(maya, "First retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
        app = live_app(sam)

        def showing(session_id: int) -> bool:
            screen = app.screen
            board = screen.board if isinstance(screen, RetroBoardScreen) else None
            return board is not None and board.info.session_id == session_id and board.info.open

        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("6")
            await wait_until(pilot, lambda: showing(first), "the first board")
            await shown(pilot, "7", ActionsScreen)
            retro_store.set_phase(maya.workspace, first, Phase.CLOSE)
            retro.end(maya, first)
            second = retro.start(maya, "Second retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
            await pilot.press("6")
            await wait_until(pilot, lambda: showing(second), "the running board")
    finally:
        maya.workspace.close()
        sam.workspace.close()


async def test_a_board_closed_as_it_opens_does_not_crash(empty_session: Session) -> None:
    """6 then escape, fast, over and over: the board's first read was drawn on a board
    closed while it built its columns (planner ended on an IndexError)."""
    from textual import events

    retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, "6", RetroBoardScreen)
        await settle(pilot)
        for _ in range(20):
            for key in ("escape", "enter", "escape", "enter", "escape"):
                app.post_message(events.Key(key, None))
            await settle(pilot)
        app.action_go("home")
        await shown(pilot, "6", RetroBoardScreen)
        await settle(pilot)
        assert app.screen.board is not None and app.screen.board.info.open


async def test_a_board_already_joined_is_read_once_as_it_opens(
    empty_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a running retro joins it; when already in it the join saves nothing, and
    the board was read a second time for it (30 ms and more at 20,000 cards)."""
    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    retro.join(empty_session, sid)
    reads: list[object] = []
    read = retro_view.board_pages

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(None)
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(retro_view, "board_pages", counted)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, "6", RetroBoardScreen)
        await wait_until(pilot, lambda: app.screen.board is not None, "the board read")
        await settle(pilot)
        assert len(reads) == 1
        assert not retro.join(empty_session, sid)  # (in it already: nothing to do)


@pytest.mark.parametrize(("phase", "width"), [(Phase.WRITE, 120), (Phase.DISCUSS, 160)])
async def test_each_column_of_a_board_has_a_gap_before_it(
    empty_session: Session, phase: Phase, width: int
) -> None:
    """The last column shown (the fourth before Discuss, the agreed actions from it) took
    `margin-right: 1`, which set its left margin to 0: its border touched the one before."""
    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    retro_store.set_phase(empty_session.workspace, sid, phase)
    app = live_app(empty_session)
    async with app.run_test(size=(width, 40)) as pilot:
        await shown(pilot, "6", RetroBoardScreen)
        await settle(pilot)
        boxes = [box.region for box in app.screen.query(".retro-col") if box.display]
        assert len(boxes) == (5 if phase is Phase.DISCUSS else 4)
        assert boxes[0].x == 1 and boxes[-1].right == width - 1
        for before, after in itertools.pairwise(boxes):
            assert after.x == before.right + 1, (before, after)
