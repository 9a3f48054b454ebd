"""User text is never terminal control: the hostile corpus through every screen and dialog.

The workspace gets hostile text in every text field (through the services, and
through a CSV import); the app then visits every screen and opens every dialog,
and after each step the whole composed screen (what Textual would write out) is
inspected: no segment may hold a control character, and the hostile text must be
there as visible placeholders (`␛]0;PWNED␇`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Input, TextArea

from planner_tui.app import PlannerApp
from planner_tui.domain.retro import Phase
from planner_tui.domain.text import one_line, visible
from planner_tui.services import grooming, retro, retro_view
from planner_tui.services.context import Session, open_session
from planner_tui.widgets.row_view import RowView

from .conftest import TODAY, focus_on, live_app, settle
from .hostile import (
    FORBIDDEN,
    PLACEHOLDERS,
    TITLE_OSC,
    build_workspace,
    hostile,
    hostile_csv,
    hostile_lines,
)

HOSTILE_FILE_NAME = f"team{TITLE_OSC}\u202e.db"
"""A workspace file name is drawn too (the title bar, the export dialog)."""


def _screen_output(app: PlannerApp) -> tuple[str, list[str]]:
    """The composed screen as Textual would write it: its text, and every segment that holds a
    control character (none may).

    `render_update(full=True)` gives the strips of the whole screen (modals over the screens
    under them, toasts, tooltips), made of segments whose text is written to the terminal
    between Textual's own style and cursor sequences.
    """
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    lines: list[str] = []
    bad: list[str] = []
    for strips in update.strips:  # type: ignore[union-attr]
        line = []
        for strip in strips:
            for segment in strip:
                if segment.control:
                    bad.append(f"control segment {segment.control!r}")
                if FORBIDDEN.search(segment.text):
                    bad.append(segment.text)
                line.append(segment.text)
        lines.append("".join(line))
    return "\n".join(lines), bad


class Inspector:
    """Looks at the screen after each step; keeps what was seen and every problem found."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.app: PlannerApp = pilot.app
        self.seen: list[str] = []
        self.problems: list[str] = []
        self.visited: list[str] = []

    async def look(self, where: str) -> str:
        await settle(self.pilot)
        text, bad = _screen_output(self.app)
        self.visited.append(where)
        self.seen.append(text)
        self.problems += [f"{where}: {segment!r}" for segment in bad[:3]]
        return text

    async def wait_for(self, check: Callable[[], bool], what: str) -> None:
        """Pause until `check` holds (a worker, a refresh), failing after a generous bound."""
        for _ in range(200):
            if check():
                return
            await self.pilot.pause(0.02)
        raise AssertionError(f"waited in vain for {what}; the screen is {self.app.screen!r}")

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await settle(self.pilot)

    async def dialog(
        self,
        keys: tuple[str, ...],
        kind: type[Screen],
        where: str,
        *,
        close: tuple[str, ...] = ("escape",),
    ) -> Screen:
        """Press `keys`, wait for a `kind` dialog, inspect it, and close it (escape)."""
        await self.pilot.press(*keys)
        await self.wait_for(lambda: isinstance(self.app.screen, kind), f"{kind.__name__} ({where})")
        modal = self.app.screen
        await self.look(where)
        if close:
            await self.pilot.press(*close)
            await self.wait_for(lambda: self.app.screen is not modal, f"{where} to close")
        return modal


async def _go(inspector: Inspector, number: str, screen_name: str) -> None:
    app = inspector.app
    while len(app.screen_stack) > 1:  # a session or board on top of its list: back out first
        await inspector.press("escape")
    await inspector.press(number)
    await inspector.wait_for(lambda: app.current_mode == screen_name, f"the {screen_name} screen")


@pytest.fixture
def hostile_session(tmp_path: Path) -> Iterator[tuple[Session, dict]]:
    from planner_tui.exchange import run

    path = tmp_path / HOSTILE_FILE_NAME
    session = open_session(path, "maya")
    ids = build_workspace(session, TODAY)
    outcome = run.import_file(
        session.workspace, hostile_csv().encode(), "hostile.csv", None, skip_invalid=True
    )
    assert len(outcome.summary.added) == 3 and len(outcome.summary.skipped) == 1
    teammate = open_session(path, ids["teammate"])  # here now, with a hostile name
    teammate.heartbeat("home")
    yield session, ids
    teammate.close()
    session.close()


async def test_hostile_text_is_shown_never_obeyed(hostile_session) -> None:
    session, _ = hostile_session
    from textual.command import CommandPalette

    from planner_tui.screens.actions import ActionsScreen
    from planner_tui.screens.backlog import BacklogScreen
    from planner_tui.screens.bulk import BulkModal
    from planner_tui.screens.export import ExportModal
    from planner_tui.screens.help import HelpScreen
    from planner_tui.screens.item_editor import ItemEditor
    from planner_tui.screens.modal import ConfirmModal
    from planner_tui.screens.poker import PokerScreen
    from planner_tui.screens.poker_menu import SessionMenu
    from planner_tui.screens.poker_modals import (
        AcceptModal,
        AddItemsModal,
        EnterVoteModal,
        NotesModal,
        StartPokerModal,
    )
    from planner_tui.screens.quick_add import QuickAddModal
    from planner_tui.screens.retro_board import RetroBoardScreen
    from planner_tui.screens.retro_close_modals import (
        ActionModal,
        HandOverModal,
        RateModal,
        SummaryModal,
    )
    from planner_tui.screens.retro_modals import CardModal, GroupModal, StartRetroModal
    from planner_tui.screens.risk_modals import DecideModal, FilterModal, RaiseRiskModal
    from planner_tui.screens.sprint_close_modal import CloseModal
    from planner_tui.screens.sprint_modals import CapacityModal, OwnerModal, SprintModal
    from planner_tui.screens.value_effort import ValueEffortScreen

    app = live_app(session)
    async with app.run_test(size=(160, 50)) as pilot:
        look = Inspector(pilot)
        await look.look("home")
        app.notify(hostile("toast"), title=hostile("toast title"))
        await look.look("a toast")
        await look.dialog(("question_mark",), HelpScreen, "help")
        await look.dialog(("ctrl+p",), CommandPalette, "palette", close=())
        await pilot.press(*"go to")
        await look.look("palette, searching")
        await look.press("escape")
        await look.dialog(("n",), QuickAddModal, "quick add")
        await look.dialog(("ctrl+e",), ExportModal, "export from home")

        # Backlog: the list, the status line, the editor of a hostile item, bulk, value/effort.
        await _go(look, "2", "backlog")
        assert isinstance(app.screen, BacklogScreen)
        await look.look("backlog")
        await look.dialog(("e",), ItemEditor, "item editor")
        await look.dialog(("n",), ItemEditor, "new item editor")
        await look.dialog(("b",), BulkModal, "bulk")
        await look.dialog(("exclamation_mark",), RaiseRiskModal, "raise a risk on an item")
        await look.dialog(("ctrl+e",), ExportModal, "export the backlog")
        await look.dialog(("v",), ValueEffortScreen, "value against effort")
        await look.press("slash", *"Item")
        await look.look("backlog, filtered")
        await look.press("escape", "end")
        await look.look("backlog, at the imported items")
        await look.press("g")  # the hostile tag as a filter
        await look.look("backlog, filtered by a tag")
        await look.press("escape", "d")
        await look.look("backlog, an item moved to the trash (toast)")
        await look.press("t")
        await look.look("the trash")
        await look.press("t", "u")

        # Estimation: the list, the running session, its dialogs, the ended one.
        await _go(look, "3", "estimation")
        await look.wait_for(lambda: isinstance(app.screen, PokerScreen), "the running session")
        await look.wait_for(lambda: app.screen.table is not None, "the session to load")
        await look.look("poker, running")
        await look.dialog(("o",), NotesModal, "poker notes")
        await look.dialog(("a",), AcceptModal, "accept an estimate")
        await look.dialog(("f",), EnterVoteModal, "enter a card for someone")
        await look.dialog(("i",), AddItemsModal, "add an item to the queue")
        await look.dialog(("m",), SessionMenu, "session menu")
        await look.dialog(("ctrl+e",), ExportModal, "export this meeting")
        await look.press("r")  # reveal: the hostile cards turn
        await look.look("poker, revealed")
        await look.press("escape")
        await look.look("estimation sessions")
        await look.dialog(("s",), StartPokerModal, "start a session")
        await look.press("down")
        await look.press("enter")
        await look.wait_for(lambda: isinstance(app.screen, PokerScreen), "the ended session")
        await look.look("poker, ended summary")

        # Sprint: the running sprint, its dialogs.
        await _go(look, "4", "sprint")
        await look.look("sprint")
        await look.dialog(("e",), SprintModal, "edit the sprint")
        await look.dialog(("p",), SprintModal, "plan a sprint")
        await look.dialog(("C",), CloseModal, "close the sprint")
        await look.dialog(("c",), ConfirmModal, "commit: scope change")
        await look.dialog(("exclamation_mark",), RaiseRiskModal, "raise a risk on the sprint")
        await focus_on(pilot, app.screen.query_one("#sprint-items", RowView))
        await settle(pilot)
        await look.dialog(("o",), OwnerModal, "who takes it")
        await look.dialog(("minus",), ConfirmModal, "take it out")
        capacity = app.screen.query_one("#capacity", DataTable)
        await focus_on(pilot, capacity)
        await look.dialog(("enter",), CapacityModal, "capacity of a person")
        await look.dialog(("a",), CapacityModal, "add capacity")
        await look.dialog(("minus",), ConfirmModal, "take a person out")

        # Risks: the register, the detail, raise, edit, decide, filter.
        await _go(look, "5", "risks")
        await look.look("risks")
        await look.press("s")  # all, with the decided one
        await look.look("risks, all")
        await look.dialog(("r",), RaiseRiskModal, "raise a risk")
        await look.dialog(("e",), RaiseRiskModal, "edit a risk")
        await look.dialog(("d",), DecideModal, "decide a risk")
        await look.dialog(("f",), FilterModal, "filter the risks")
        await look.press("down")
        await look.look("risks, the decided one")

        # Retro: the list, the running board through its phases, the ended one.
        await _go(look, "6", "retro")
        await look.wait_for(lambda: isinstance(app.screen, RetroBoardScreen), "the running retro")
        await look.wait_for(lambda: app.screen.board is not None, "the board to load")
        await look.look("retro, writing")
        board = app.screen
        await look.dialog(("w",), CardModal, "write a card")
        await look.dialog(("f",), CardModal, "write a card for someone")
        await _highlight_first(look, "card:")
        await look.dialog(("e",), CardModal, "edit my card")
        await look.press("right_square_bracket", "right_square_bracket")  # reveal, group
        await look.wait_for(lambda: board.board.info.phase is Phase.GROUP, "the Group phase")
        await look.look("retro, revealed")
        await _highlight_first(look, "card:")
        group = await look.dialog(("g",), GroupModal, "group a card", close=())
        group.query_one("#group-title", Input).value = hostile("running theme")
        await look.press("enter")
        await look.wait_for(lambda: any(c.themes for c in board.board.columns), "the theme")
        await look.look("retro, grouped")
        await _highlight_first(look, "theme:")
        await look.dialog(("t",), GroupModal, "retitle a theme")
        await look.press("right_square_bracket", "right_square_bracket")  # vote, discuss
        await look.wait_for(lambda: board.board.info.phase is Phase.DISCUSS, "the Discuss phase")
        await _highlight_first(look, "theme:")
        await look.dialog(("o",), NotesModal, "notes on a theme")
        await look.dialog(("a",), ActionModal, "an action on a theme")
        await look.press("right_square_bracket")
        await look.wait_for(lambda: board.board.info.phase is Phase.CLOSE, "the Close phase")
        await look.look("retro, closing")
        await look.dialog(("r",), RateModal, "rate the retro")
        await look.dialog(("m",), HandOverModal, "hand over")
        await look.dialog(("right_square_bracket",), ConfirmModal, "end the retro?")
        await look.press("escape")
        await look.look("retros")
        await look.dialog(("s",), StartRetroModal, "start a retro")
        await look.press("down", "enter")
        await look.wait_for(lambda: isinstance(app.screen, RetroBoardScreen), "the ended retro")
        await look.wait_for(lambda: app.screen.board is not None, "the board to load")
        await look.look("retro, ended")
        await look.dialog(("s",), SummaryModal, "a retro's summary")  # closed, the list is back
        await look.dialog(("ctrl+e",), ExportModal, "export a retro")

        # Action items: the list, edit and add.
        await _go(look, "7", "actions")
        assert isinstance(app.screen, ActionsScreen)
        await look.look("action items")
        await look.dialog(("e",), ActionModal, "edit an action item")
        await look.dialog(("a",), ActionModal, "add an action item")

        await _go(look, "1", "home")
        await look.look("home again")

    assert not look.problems, "\n".join(look.problems)
    everything = "\n".join(look.seen)
    for placeholder in PLACEHOLDERS:
        assert placeholder in everything, placeholder
    assert visible(HOSTILE_FILE_NAME) in everything  # the title bar names the file


async def _highlight_first(inspector: Inspector, prefix: str) -> None:
    """Put the board's cursor on the first card or theme (`card:`, `theme:`) of any column."""
    from planner_tui.widgets.retro_column import RetroColumn

    screen = inspector.app.screen
    for column in screen.query(RetroColumn):
        if column.index < 0 or not column.parent.display:
            continue
        for index in range(column.option_count):
            if (column.get_option_at_index(index).id or "").startswith(prefix):
                screen.active = column.index
                await focus_on(inspector.pilot, column)
                column.highlighted = index
                await settle(inspector.pilot)
                return
    raise AssertionError(f"no {prefix} on the board")


async def test_edit_dialogs_keep_stored_text_exact_unless_edited(hostile_session) -> None:
    """Dialogs show stored text in its visible form; saving a field as shown keeps the stored
    text byte for byte, and a field the user edited stores what was typed."""
    from planner_tui.screens.item_editor import ItemEditor
    from planner_tui.screens.poker import PokerScreen
    from planner_tui.screens.retro_board import RetroBoardScreen
    from planner_tui.screens.retro_close_modals import ActionModal
    from planner_tui.screens.retro_modals import CardModal
    from planner_tui.screens.risk_modals import RaiseRiskModal
    from planner_tui.screens.sprint_modals import SprintModal
    from planner_tui.services import poker, risks, sprints

    session, ids = hostile_session
    item_id = ids["items"][0]
    before = grooming.load(session, item_id)
    risks_before = risks.listing(session)
    sprint_before = next(s for s in sprints.all_sprints(session) if s.id == ids["sprint"])
    actions_before = retro.actions(session)
    notes_before = poker.table(session, ids["poker_running"]).item.notes
    app = live_app(session)
    async with app.run_test(size=(160, 50)) as pilot:
        look = Inspector(pilot)
        await _go(look, "2", "backlog")
        editor = await look.dialog(("e",), ItemEditor, "the editor", close=())
        assert editor.query_one("#title", Input).value == one_line(before.title)
        assert editor.query_one("#problem", TextArea).text == visible(before.problem)
        assert "␛]0;PWNED␇" in editor.query_one("#title", Input).value
        await look.press("ctrl+s")
        await look.wait_for(lambda: not isinstance(app.screen, ItemEditor), "the save")
        assert grooming.load(session, item_id) == before  # nothing changed

        editor = await look.dialog(("e",), ItemEditor, "the editor again", close=())
        editor.query_one("#title", Input).value = "Typed [title]"
        editor.query_one("#problem", TextArea).text = "Typed problem"
        await look.press("ctrl+s")
        await look.wait_for(lambda: grooming.load(session, item_id).title != before.title, "save")
        after = grooming.load(session, item_id)
        assert (after.title, after.problem) == ("Typed [title]", "Typed problem")
        assert after.model_dump(exclude={"title", "problem", "updated_at"}) == before.model_dump(
            exclude={"title", "problem", "updated_at"}
        )

        await _go(look, "5", "risks")
        await look.press("s")  # all: the decided one too
        for row in range(2):
            await look.press(*(["down"] * row))
            modal = await look.dialog(("e",), RaiseRiskModal, "edit a risk", close=())
            assert modal.query_one("#risk-title", Input).value.startswith("risk ␛]0;PWNED␇")
            await look.press("enter")
            await look.wait_for(lambda m=modal: app.screen is not m, "the edit to close")
        renamed = {"item_title"}  # the item was retitled above
        assert [r.model_dump(exclude=renamed) for r in risks.listing(session)] == [
            r.model_dump(exclude=renamed) for r in risks_before
        ]

        await _go(look, "4", "sprint")
        await look.dialog(("e",), SprintModal, "edit the sprint", close=("enter",))
        sprint_after = next(s for s in sprints.all_sprints(session) if s.id == ids["sprint"])
        assert (sprint_after.name, sprint_after.goal) == (sprint_before.name, sprint_before.goal)

        await _go(look, "3", "estimation")
        await look.wait_for(lambda: isinstance(app.screen, PokerScreen), "the running session")
        await look.wait_for(lambda: app.screen.table is not None, "the session to load")
        from planner_tui.screens.poker_modals import NotesModal

        await look.dialog(("o",), NotesModal, "notes", close=("ctrl+s",))
        assert poker.table(session, ids["poker_running"]).item.notes == notes_before

        await _go(look, "6", "retro")
        await look.wait_for(lambda: isinstance(app.screen, RetroBoardScreen), "the running retro")
        await look.wait_for(lambda: app.screen.board is not None, "the board to load")
        card = app.screen.board.columns[1].cards[0]
        await _highlight_first(look, "card:")
        await look.dialog(("e",), CardModal, "edit my card", close=("enter",))
        board = retro_view.board(session, ids["retro_running"])
        assert board.columns[1].cards[0].text == card.text

        await _go(look, "7", "actions")
        await look.dialog(("e",), ActionModal, "edit an action", close=("enter",))
        assert retro.actions(session) == actions_before


def test_safe_text_keeps_styles_and_shows_every_control() -> None:
    from rich.text import Text

    from planner_tui.widgets.user_text import safe

    styled = Text.assemble(("a\x1b[2J", "bold"), ("b\x9b", "red"), "[/]")
    shown = safe(styled)
    assert shown.plain == "a␛[2Jb‹9B›[/]"
    assert [(shown.plain[s.start : s.end], str(s.style)) for s in shown.spans] == [
        ("a␛[2J", "bold"),
        ("b‹9B›", "red"),
    ]
    plain = Text("nothing to do", style="italic")
    assert safe(plain) is plain
    assert safe("[bold]x[/]\x07").plain == "[bold]x[/]␇"  # a string is never markup


async def test_a_stored_input_gives_back_the_stored_text_or_what_was_typed() -> None:
    from textual.app import App

    from planner_tui.widgets.user_text import StoredInput, StoredTextArea

    stored, name = hostile("title"), "eve\x9b2J"

    class Form(App[None]):
        def compose(self):
            yield StoredInput(stored, id="title")
            yield StoredInput("", id="owner", choices=[name, "sam"])
            yield StoredTextArea(hostile_lines("notes"), id="notes")

    app = Form()
    async with app.run_test() as pilot:
        title = app.query_one("#title", StoredInput)
        assert title.value == one_line(stored) and title.stored_value == stored
        title.value = "typed"
        assert title.stored_value == "typed"
        owner = app.query_one("#owner", StoredInput)
        await focus_on(pilot, owner)
        await pilot.press("e", "right")  # take the suggested name
        assert owner.value == one_line(name) and owner.stored_value == name
        notes = app.query_one("#notes", StoredTextArea)
        assert notes.text == visible(hostile_lines("notes"))
        assert notes.stored_text == hostile_lines("notes")


async def test_joiners_typed_into_a_field_are_kept() -> None:
    """A zero-width joiner is not printable to Python, so Textual dropped it as typed:
    👩‍💻 (woman, ZWJ, laptop) became two emoji, a Persian word with a ZWNJ another word."""
    from textual import events
    from textual.app import App

    from planner_tui.widgets.user_text import StoredInput, StoredTextArea

    class Form(App[None]):
        def compose(self):
            yield StoredInput("", id="title")
            yield StoredTextArea("", id="notes")

    app = Form()
    async with app.run_test() as pilot:
        for field in (
            app.query_one("#title", StoredInput),
            app.query_one("#notes", StoredTextArea),
        ):
            await focus_on(pilot, field)
            for char in "👩\u200d💻 می\u200cخواهم":  # each as a terminal sends it
                app.post_message(events.Key(char, char))
            await pilot.pause()
        assert app.query_one("#title", StoredInput).stored_value == "👩\u200d💻 می\u200cخواهم"
        assert app.query_one("#notes", StoredTextArea).stored_text == "👩\u200d💻 می\u200cخواهم"


async def test_narrow_layouts_show_hostile_text_safely(hostile_session) -> None:
    """At 80x24 the screens lay out differently (tabs for retro columns, a queue on demand)."""
    from planner_tui.screens.poker import PokerScreen
    from planner_tui.screens.retro_board import RetroBoardScreen

    session, _ = hostile_session
    app = live_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        look = Inspector(pilot)
        await look.look("home")
        for number, name in (("2", "backlog"), ("4", "sprint"), ("5", "risks"), ("7", "actions")):
            await _go(look, number, name)
            await look.look(name)
        await _go(look, "3", "estimation")
        await look.wait_for(lambda: isinstance(app.screen, PokerScreen), "the running session")
        await look.wait_for(lambda: app.screen.table is not None, "the session to load")
        await look.press("l")  # the queue, shown on demand when narrow
        await look.look("poker, narrow, the queue")
        await _go(look, "6", "retro")
        await look.wait_for(lambda: isinstance(app.screen, RetroBoardScreen), "the running retro")
        await look.wait_for(lambda: app.screen.board is not None, "the board to load")
        await look.look("retro, narrow")
        await look.press("right")
        await look.look("retro, narrow, the next tab")
    assert not look.problems, "\n".join(look.problems)
    assert "␛]0;PWNED␇" in "\n".join(look.seen)
