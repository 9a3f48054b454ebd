"""One retro: review of earlier actions, then the board from private writing to owned actions.

What a terminal draws comes from `services.retro.board`, made for the person
at that terminal: before the reveal it holds only their own cards. The
facilitator moves the phases (`]` forwards, `[` back); everyone else follows.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planner_tui.domain.poker import seconds_left
from planner_tui.domain.retro import (
    PHASES,
    Board,
    Phase,
    ReviewDecision,
)
from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.export import ExportChoice
from planner_tui.screens.moves import MoveQueue
from planner_tui.services import directory, retro, retro_view
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.retro_column import RetroColumn, action_text, review_text
from planner_tui.widgets.retro_lines import hint_line, phase_line, status_line
from planner_tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from planner_tui.screens.retro_modals import ActionFields, CardText, GroupChoice

NARROW_COLUMN = 28
"""Below this many cells per column, the board shows one column at a time, as tabs."""

ACTIONS_COLUMN = "Agreed actions"

FACILITATOR_ACTIONS = frozenset({"phase", "more_time", "write_for", "hand_over"})

PHASE_ACTIONS: dict[str, tuple[Phase, ...]] = {
    "review": (Phase.REVIEW,),
    "write": (Phase.WRITE,),
    "write_for": (Phase.WRITE,),
    "take_back": (Phase.WRITE,),
    "edit": (Phase.WRITE, Phase.REVEAL, Phase.GROUP),
    "group": (Phase.GROUP,),
    "ungroup": (Phase.GROUP,),
    "move": (Phase.GROUP,),
    "retitle": (Phase.GROUP, Phase.DISCUSS),
    "dot": (Phase.VOTE,),
    "undot": (Phase.VOTE,),
    "notes": (Phase.DISCUSS, Phase.CLOSE),
    "action": (Phase.DISCUSS, Phase.CLOSE),
    "rate": (Phase.CLOSE,),
}
"""Moves a key makes, and the phases in which its key shows."""


class RetroBoardScreen(PlannerScreen[None]):
    """A retro as this terminal's person may see it, live."""

    WRITE_ACTIONS = frozenset(
        {
            "review",
            "write",
            "write_for",
            "edit",
            "take_back",
            "group",
            "ungroup",
            "move",
            "retitle",
            "dot",
            "undot",
            "notes",
            "action",
            "rate",
            "phase",
            "more_time",
            "take_over",
            "hand_over",
        }
    )

    CSS_PATH = str(styles_dir() / "retro.tcss")
    BINDINGS = [
        Binding(
            "left",
            "column(-1)",
            "Column",
            id="retro.left",
            show=False,
            tooltip="The column on the left (↑ ↓ move between cards)",
        ),
        Binding(
            "right",
            "column(1)",
            "Column",
            id="retro.right",
            show=False,
            tooltip="The column on the right",
        ),
        Binding("d", "review('done')", "Done", id="retro.done", tooltip="The action is done"),
        Binding(
            "c",
            "review('carried over')",
            "Carry over",
            id="retro.carry",
            tooltip="The action stays open and comes to the next retro",
        ),
        Binding("x", "review('dropped')", "Drop", id="retro.drop", tooltip="Drop the action"),
        Binding("w", "write", "Write", id="retro.write", tooltip="Write a card in this column"),
        Binding(
            "f",
            "write_for",
            "For the room",
            id="retro.write_for",
            tooltip="Type a card for someone in the room, or from the room with no author",
        ),
        Binding("e", "edit", "Edit", id="retro.edit", tooltip="Edit one of your cards"),
        Binding(
            "delete",
            "take_back",
            "Take back",
            id="retro.take_back",
            tooltip="Take back one of your cards",
        ),
        Binding("g", "group", "Group", id="retro.group", tooltip="Put the card under a theme"),
        Binding("u", "ungroup", "Ungroup", id="retro.ungroup", tooltip="Take it out of its theme"),
        Binding(
            "less_than_sign",
            "move(-1)",
            "Move ←",
            id="retro.move_left",
            tooltip="Move the card to the column on the left",
        ),
        Binding(
            "greater_than_sign",
            "move(1)",
            "Move →",
            id="retro.move_right",
            tooltip="Move the card to the column on the right",
        ),
        Binding("t", "retitle", "Retitle", id="retro.retitle", tooltip="Retitle the theme"),
        Binding("space,v", "dot", "Vote", id="retro.dot", tooltip="Put a dot on it"),
        Binding("x", "undot", "Unvote", id="retro.undot", tooltip="Take a dot back off it"),
        Binding("o", "notes", "Notes", id="retro.notes", tooltip="Notes on the theme or card"),
        Binding("a", "action", "Action", id="retro.action", tooltip="Agree an action item on it"),
        Binding("r", "rate", "Rate", id="retro.rate", tooltip="Was this retro worth the time?"),
        Binding(
            "right_square_bracket",
            "phase(1)",
            "Next",
            id="retro.next",
            tooltip="Move everyone to the next phase (at Close: end the retro)",
        ),
        Binding(
            "left_square_bracket",
            "phase(-1)",
            "Back",
            id="retro.back_phase",
            tooltip="Step back to the previous phase",
        ),
        Binding(
            "plus", "more_time(60)", "+1 min", id="retro.more", show=False, tooltip="A minute more"
        ),
        Binding(
            "minus",
            "more_time(-60)",
            "-1 min",
            id="retro.less",
            show=False,
            tooltip="A minute less",
        ),
        Binding(
            "m",
            "take_over",
            "Take over",
            id="retro.take_over",
            tooltip="Facilitate, when the facilitator's terminal has gone",
        ),
        Binding(
            "m",
            "hand_over",
            "Hand over",
            id="retro.hand_over",
            show=False,
            tooltip="Make someone else the facilitator",
        ),
        Binding("s", "summary", "Summary", id="retro.summary", tooltip="The retro's summary"),
        Binding("escape", "back", "Retros", id="retro.back", tooltip="Back to the list of retros"),
    ]

    def export_choices(self) -> list[ExportChoice]:
        """This meeting's summary and its lossless JSON, for the Export dialog."""
        from planner_tui.screens.export import meeting_choices

        return meeting_choices(self.session_id, "this meeting")

    def __init__(self, session_id: int) -> None:
        super().__init__(classes="retro")
        self.session_id = session_id
        self.board: Board | None = None
        self.active = 0
        self._built_columns: tuple[str, ...] | None = None
        self._timed_out: str | None = None
        self._follow: tuple[int, str] | None = None
        self._phase_seen: Phase | None = None
        self._drawing = asyncio.Lock()
        self._act = MoveQueue(self, "retro-act", self.load)

    @property
    def presence_place(self) -> str:
        """Where this terminal is, for the others' "here now"."""
        return retro_view.place(self.session_id)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="retro-phase")
        yield Static(id="retro-hint")
        yield RetroColumn("Review", -1)
        yield Horizontal(id="retro-columns")
        yield Static(id="retro-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#retro-col--1", RetroColumn).add_class("review-list")
        self.set_interval(1.0, self._tick, name="retro timer")
        self._act(partial(retro.join, self.session, self.session_id), "")
        self.host.beat_now()

    def on_screen_resume(self) -> None:
        """Shown again: an ended retro steps aside when another one is running now."""
        self.go_again()

    def go_again(self) -> None:
        """The Retro key pressed (again): from an ended retro to the one running now."""
        board = self.board
        if board is not None and not board.info.open:
            from planner_tui.services.errors import USER_ERRORS

            try:
                running = [r for r in retro_view.listing(self.session) if r.status.value == "open"]
            except USER_ERRORS:
                running = []
            if running and len(self.app.screen_stack) > 1:
                self.dismiss()  # the list opens the running retro
                return
        self.load()

    def on_resize(self) -> None:
        self._layout()
        self._draw_phase()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Someone wrote, grouped, voted, moved the phase, or came and went: draw it."""
        if kinds & {"card", "theme", "retro", "action", "session", "presence", "person"}:
            self.load()

    # --- reading and drawing -----------------------------------------------------------

    def load(self) -> None:
        """Read the board as I may see it, in a worker; the newest read wins."""
        self.run_worker(self._load_in_thread, thread=True, group="retro-load", exclusive=True)

    def _load_in_thread(self) -> None:
        from planner_tui.services.errors import USER_ERRORS, friendly

        try:
            board = retro_view.board(self.session, self.session_id)
        except USER_ERRORS as error:
            self.app.call_from_thread(self.notify, friendly(error), severity="error")
            return
        self.app.call_from_thread(self._show, board)  # type: ignore[arg-type]  # mypy cannot solve call_from_thread's type variable for a coroutine returning None

    async def _show(self, board: Board) -> None:
        """Draw a board read in the worker (one draw at a time: building columns awaits)."""
        if not self.is_attached:
            return  # the screen was closed while the board was being read
        async with self._drawing:
            await self._draw(board)

    async def _draw(self, board: Board) -> None:
        seen, self._phase_seen = self._phase_seen, board.info.phase
        if seen is not None and seen is not board.info.phase and board.info.open:
            back = PHASES.index(board.info.phase) < PHASES.index(seen)
            hidden = back and board.info.phase in (Phase.REVIEW, Phase.WRITE)
            self.notify(
                f"{'Back to' if back else 'Now'}: {board.info.phase.value.capitalize()}"
                + (" — cards are hidden again until the reveal" if hidden else ""),
                timeout=4,
            )
        self.board = board
        phase = board.info.phase if board.info.open else None
        for each in PHASES:
            self.set_class(phase is each, f"-{each.value}")
        self.set_class(not board.info.open, "-ended")
        await self._build_columns(board)
        self._draw_columns(board)
        self._follow_card()
        self._draw_review(board)
        self._draw_phase()
        self._draw_hint(board)
        self._draw_status(board)
        self._layout()
        self.refresh_bindings()

    async def _build_columns(self, board: Board) -> None:
        """One list per column of the board, and one for the agreed actions (once per board)."""
        names = (*board.info.columns, ACTIONS_COLUMN)
        if self._built_columns == names:
            return
        box = self.query_one("#retro-columns", Horizontal)
        await box.remove_children()
        columns = []
        for index, name in enumerate(names):
            extra = " actions-col" if index == len(names) - 1 else ""
            column = Vertical(classes="retro-col" + extra)
            column.compose_add_child(Static(classes="col-head", id=f"retro-head-{index}"))
            column.compose_add_child(RetroColumn(name, index))
            columns.append(column)
        await box.mount_all(columns)
        self._built_columns = names
        self.active = min(self.active, len(names) - 1)

    def _columns(self) -> list[RetroColumn]:
        return [c for c in self.query(RetroColumn) if c.index >= 0]

    def _draw_columns(self, board: Board) -> None:
        lists = self._columns()
        hidden = board.info.open and board.info.phase in (Phase.REVIEW, Phase.WRITE)
        for column, widget in zip(board.columns, lists, strict=False):
            mine = len(column.cards)
            others = column.count - mine
            note = ""
            if hidden and others:
                note = f"+ {others} card{'s' if others != 1 else ''} from others, hidden until the reveal"
            widget.show(column, hidden_note=note)
        actions = lists[-1]
        today = self.clock()
        actions.set_rows(
            [_option(action_text(action, today), f"action:{action.id}") for action in board.actions]
            or [
                _option(Text("No actions yet: a agrees one on a card or theme", style="dim"), None)
            ],
            actions.highlighted_id,
        )
        self._draw_heads(board)

    def _follow_card(self) -> None:
        """After a move, put the cursor on the moved card in its new column."""
        if self._follow is None:
            return
        index, option_id = self._follow
        lists = self._columns()
        if index >= len(lists):
            return
        target = lists[index]
        ids = [target.get_option_at_index(i).id for i in range(target.option_count)]
        if option_id in ids:
            self._follow = None
            target.highlighted = ids.index(option_id)
            self.active = index
            self._layout()
            target.focus()

    def _draw_heads(self, board: Board) -> None:
        names = [*board.info.columns, ACTIONS_COLUMN]
        counts = [column.count for column in board.columns] + [len(board.actions)]
        narrow = self.has_class("-narrow")
        for index, (name, count) in enumerate(zip(names, counts, strict=True)):
            head = self.query_one(f"#retro-head-{index}", Static)
            if narrow:
                tabs = Text()
                for other, (other_name, other_count) in enumerate(zip(names, counts, strict=True)):
                    if not self._column_shown(other):
                        continue
                    style = "bold reverse" if other == index else "dim"
                    tabs.append(f" {one_line(other_name, 16)} {other_count} ", style=style)
                    tabs.append(" ")
                head.update(tabs)
            else:
                head.update(Text.assemble((one_line(name, 40), "bold"), (f"  {count}", "dim")))

    def _draw_review(self, board: Board) -> None:
        today = self.clock()
        widget = self.query_one("#retro-col--1", RetroColumn)
        widget.set_rows(
            [
                _option(review_text(entry, today), f"review:{entry.action_id}")
                for entry in board.review
            ]
            or [_option(Text("No open actions from earlier retros.", style="dim"), None)],
            widget.highlighted_id,
        )

    def _draw_phase(self) -> None:
        if self.board is not None:
            line = phase_line(self.board, self.size.width, retro.now())
            self.query_one("#retro-phase", Static).update(line)

    def _draw_hint(self, board: Board) -> None:
        self.query_one("#retro-hint", Static).update(hint_line(board))

    def _draw_status(self, board: Board) -> None:
        self.query_one("#retro-status", Static).update(status_line(board))

    def _column_shown(self, index: int) -> bool:
        """The Actions column shows from Discuss on, and on an ended retro."""
        board = self.board
        if board is None or index < len(board.info.columns):
            return True
        return not board.info.open or board.info.phase in (Phase.DISCUSS, Phase.CLOSE)

    def _layout(self) -> None:
        board = self.board
        if board is None:
            return
        lists = self._columns()
        shown = [c for c in lists if self._column_shown(c.index)]
        if not shown:
            return
        narrow = self.size.width < NARROW_COLUMN * len(shown)
        self.set_class(narrow, "-narrow")
        if not self._column_shown(self.active):
            self.active = 0
        for widget in lists:
            parent = widget.parent
            if parent is None:
                continue
            visible = self._column_shown(widget.index) and (
                not narrow or widget.index == self.active
            )
            parent.display = visible
        self._draw_heads(board)
        # Move the focus only when it is lost or on a list that is not shown: a focus
        # call made on every redraw would race the arrow keys.
        reviewing = board.info.open and board.info.phase is Phase.REVIEW
        focused = self.focused
        if reviewing:
            target = self.query_one("#retro-col--1", RetroColumn)
        elif self.active < len(lists):
            target = lists[self.active]
        else:
            return
        lost = focused is None
        if isinstance(focused, RetroColumn):
            on_view = focused.parent is not None and focused.parent.display
            lost = (focused.index < 0) != reviewing or (focused.index >= 0 and not on_view)
        if lost and focused is not target:
            target.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, RetroColumn) and widget.index >= 0:
            self.active = widget.index

    def _tick(self) -> None:
        board = self.board
        if board is None or not board.info.open:
            return
        self._draw_phase()
        info = board.info
        left = seconds_left(info.phase_started_at, info.phase_seconds, retro.now())
        key = f"{info.phase.value}:{info.phase_started_at}"
        timed = info.phase_seconds or info.settings.phase_seconds
        if left is not None and left <= 0 and timed and self._timed_out != key:
            self._timed_out = key
            if board.i_facilitate:
                self.notify("Time's up: ] moves on, + adds a minute", severity="warning", timeout=6)

    # --- what the cursor is on ---------------------------------------------------------

    def _cursor(self) -> tuple[str, int] | None:
        lists = self._columns()
        if not lists or self.active >= len(lists):
            return None
        chosen = lists[self.active].highlighted_id
        if chosen is None or ":" not in chosen:
            return None
        kind, _, number = chosen.partition(":")
        return kind, int(number)

    def _target(self) -> dict[str, int] | None:
        """The card or theme under the cursor, as keyword arguments; None (and a hint) if neither."""
        chosen = self._cursor()
        if chosen is None or chosen[0] not in ("card", "theme"):
            self.notify("Move to a card or theme first (← → ↑ ↓)", severity="warning", timeout=3)
            return None
        return {f"{chosen[0]}_id": chosen[1]}

    def _card(self) -> int | None:
        chosen = self._cursor()
        if chosen is None or chosen[0] != "card":
            self.notify("Move to a card first (← → ↑ ↓)", severity="warning", timeout=3)
            return None
        return chosen[1]

    # --- acting ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each phase shows its own keys; the facilitator's show only on their terminal."""
        if super().check_action(action, parameters) is False:
            return False
        board = self.board
        if action in ("column", "back"):
            return True
        if board is None:
            return False
        if action == "summary":
            return not board.info.open
        if not board.info.open:
            return False
        if action in FACILITATOR_ACTIONS and not board.i_facilitate:
            return False
        if action == "take_over":
            here = {name.casefold() for name in board.here}
            return not board.i_facilitate and (board.info.facilitator or "").casefold() not in here
        phases = PHASE_ACTIONS.get(action)
        if phases is not None:
            return board.info.phase in phases
        return True

    def action_column(self, by: int) -> None:
        lists = [c for c in self._columns() if self._column_shown(c.index)]
        if not lists or (
            self.board and self.board.info.open and self.board.info.phase is Phase.REVIEW
        ):
            return
        focused = self.focused
        if isinstance(focused, RetroColumn) and focused.index >= 0:
            self.active = focused.index
        indexes = [c.index for c in lists]
        position = indexes.index(self.active) if self.active in indexes else 0
        self.active = indexes[min(max(position + by, 0), len(indexes) - 1)]  # no wrapping round
        self._layout()
        lists[indexes.index(self.active)].focus()

    def action_phase(self, by: int) -> None:
        board = self.board
        if board is None:
            return
        if by > 0 and board.info.phase is Phase.CLOSE:
            from planner_tui.screens.modal import ConfirmModal

            self.app.push_screen(
                ConfirmModal(
                    f"End the retro? {board.ratings} people rated it; the summary is kept."
                ),
                self._end,
            )
            return
        self._act(partial(retro.move_phase, self.session, self.session_id, by), "")

    def _end(self, sure: bool | None) -> None:
        if sure:
            self._act(
                partial(retro.end, self.session, self.session_id), "Retro ended; summary kept"
            )

    def action_more_time(self, seconds: int) -> None:
        self._act(partial(retro.add_time, self.session, self.session_id, seconds), "")

    def action_take_over(self) -> None:
        self._act(partial(retro.take_over, self.session, self.session_id), "You facilitate now")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an agreed action edits it (text, owner, due date, status)."""
        event.stop()
        chosen = event.option.id or ""
        board = self.board
        if not chosen.startswith("action:") or board is None or not board.info.open:
            return
        action = next((a for a in board.actions if a.id == int(chosen[7:])), None)
        if action is None:
            return
        from planner_tui.screens.retro_modals import ActionFields, ActionModal
        from planner_tui.services.errors import USER_ERRORS, friendly

        try:
            people = directory.people(self.session)
        except USER_ERRORS as error:
            self.notify(friendly(error), severity="error")
            return
        fields = ActionFields(action.text, action.owner, action.due_date, action.status)
        modal = ActionModal(
            "Edit the action item",
            self.clock(),
            people,
            fields,
            origin=action.prompted_by,
        )
        self.app.push_screen(modal, partial(self._action_edited, action.id))

    def _action_edited(self, action_id: int, fields: ActionFields | None) -> None:
        from planner_tui.screens.retro_modals import save_action

        if fields is not None:
            self._act(partial(save_action, self.session, action_id, fields), "Action item saved")

    def action_hand_over(self) -> None:
        from planner_tui.screens.retro_modals import HandOverModal

        board = self.board
        others = [n for n in board.here if n.casefold() != self.me.casefold()] if board else []
        self.app.push_screen(HandOverModal(others), self._handed_over)

    def _handed_over(self, name: str | None) -> None:
        if name:
            self._act(
                partial(retro.hand_over, self.session, self.session_id, name),
                f"{name} facilitates now",
            )

    def action_review(self, decision: str) -> None:
        widget = self.query_one("#retro-col--1", RetroColumn)
        chosen = widget.highlighted_id
        if not chosen or not chosen.startswith("review:"):
            return
        action_id = int(chosen.partition(":")[2])
        self._act(
            partial(
                retro.review, self.session, self.session_id, action_id, ReviewDecision(decision)
            ),
            "",
        )
        if widget.highlighted is not None and widget.highlighted + 1 < widget.option_count:
            widget.highlighted += 1

    def _column_name(self) -> str | None:
        board = self.board
        if board is None or self.active >= len(board.info.columns):
            self.notify("Move to a column of cards first (← →)", severity="warning", timeout=3)
            return None
        return board.info.columns[self.active]

    def action_write(self) -> None:
        from planner_tui.screens.retro_modals import CardModal

        column = self._column_name()
        if column is not None:
            self.host.push_typing(CardModal(column), partial(self._written, column))

    def action_write_for(self) -> None:
        from planner_tui.screens.retro_modals import CardModal
        from planner_tui.services.errors import USER_ERRORS, friendly

        column = self._column_name()
        if column is None:
            return
        anonymous = self.board is None or self.board.info.settings.anonymous
        try:
            people = [] if anonymous else directory.people(self.session)
        except USER_ERRORS as error:
            self.notify(friendly(error), severity="error")
            return
        self.host.push_typing(
            CardModal(column, for_others=True, anonymous=anonymous, people=people),
            partial(self._written, column),
        )

    def _written(self, column: str, card: CardText | None) -> None:
        if card is None:
            return
        who = "the room" if card.for_room else card.for_someone
        self._act(
            partial(
                retro.write,
                self.session,
                self.session_id,
                column,
                card.text,
                for_someone=card.for_someone,
                for_room=card.for_room,
            ),
            f"Card from {who} kept, hidden until the reveal" if who else "",
        )

    def action_edit(self) -> None:
        from planner_tui.screens.retro_modals import CardModal

        card_id = self._card()
        card = self.board.card(card_id) if self.board and card_id else None
        if card is None:
            return
        if not card.mine:
            self.notify("You can edit only your own cards", severity="warning", timeout=3)
            return
        self.app.push_screen(
            CardModal(card.column, card.text, editing=True), partial(self._edited, card.id)
        )

    def _edited(self, card_id: int, card: CardText | None) -> None:
        if card is not None:
            self._act(partial(retro.edit, self.session, self.session_id, card_id, card.text), "")

    def action_take_back(self) -> None:
        card_id = self._card()
        if card_id is not None:
            self._act(
                partial(retro.delete, self.session, self.session_id, card_id), "Card taken back"
            )

    def action_group(self) -> None:
        from planner_tui.screens.retro_modals import GroupModal

        card_id = self._card()
        board = self.board
        card = board.card(card_id) if board and card_id else None
        if card is None or board is None:
            return
        themes = [
            (theme.id, theme.title, column.name)
            for column in board.columns
            for theme in column.themes
            if theme.id != card.theme_id
        ]
        self.app.push_screen(GroupModal(card.text, themes), partial(self._grouped, card.id))

    def _grouped(self, card_id: int, choice: GroupChoice | None) -> None:
        if choice is not None:
            self._act(
                partial(
                    retro.group,
                    self.session,
                    self.session_id,
                    card_id,
                    theme_id=choice.theme_id,
                    title=choice.title,
                ),
                "",
            )

    def action_ungroup(self) -> None:
        card_id = self._card()
        if card_id is not None:
            self._act(partial(retro.ungroup, self.session, self.session_id, card_id), "")

    def action_move(self, by: int) -> None:
        board = self.board
        card_id = self._card()
        card = board.card(card_id) if board and card_id else None
        if card is None or board is None:
            return
        columns = board.info.columns
        index = columns.index(card.column) + by
        if not 0 <= index < len(columns):
            return
        self._follow = (index, f"card:{card.id}")  # the cursor goes with the card
        self._act(
            partial(retro.move, self.session, self.session_id, card.id, columns[index]),
            f"Moved to {columns[index]}",
        )

    def action_retitle(self) -> None:
        from planner_tui.screens.retro_modals import GroupModal

        chosen = self._cursor()
        theme = (
            self.board.theme(chosen[1]) if self.board and chosen and chosen[0] == "theme" else None
        )
        if theme is None:
            self.notify("Move to a theme's title first", severity="warning", timeout=3)
            return
        modal = GroupModal(theme.title, [], retitle=True)
        self.app.push_screen(modal, partial(self._retitled, theme.id))

    def _retitled(self, theme_id: int, choice: GroupChoice | None) -> None:
        if choice is not None and choice.title:
            self._act(
                partial(retro.rename_theme, self.session, self.session_id, theme_id, choice.title),
                "",
            )

    def action_dot(self) -> None:
        target = self._target()
        if target is not None:
            self._act(
                partial(retro.dot, self.session, self.session_id, **target),
                lambda left: f"{left} vote{'s' if left != 1 else ''} left",
            )

    def action_undot(self) -> None:
        target = self._target()
        if target is not None:
            self._act(partial(retro.undot, self.session, self.session_id, **target), "Vote back")

    def action_notes(self) -> None:
        from planner_tui.screens.poker_modals import NotesModal

        target = self._target()
        board = self.board
        if target is None or board is None:
            return
        if "theme_id" in target:
            theme = board.theme(target["theme_id"])
            title, notes = (theme.title, theme.notes) if theme else ("", "")
        else:
            card = board.card(target["card_id"])
            title, notes = (card.text, card.notes) if card else ("", "")
        self.app.push_screen(NotesModal(title, notes), partial(self._noted, target))

    def _noted(self, target: dict[str, int], notes: str | None) -> None:
        if notes is not None:
            self._act(
                partial(retro.set_notes, self.session, self.session_id, notes, **target),
                "Notes kept",
            )

    def action_action(self) -> None:
        from planner_tui.screens.retro_modals import ActionModal

        chosen = self._cursor()
        target = {f"{chosen[0]}_id": chosen[1]} if chosen and chosen[0] in ("card", "theme") else {}
        board = self.board
        about = ""
        if board is not None and "card_id" in target:
            card = board.card(target["card_id"])
            about = card.text if card else ""
        elif board is not None and "theme_id" in target:
            theme = board.theme(target["theme_id"])
            about = theme.title if theme else ""
        heading = f"An action on “{one_line(about, 30)}”" if about else "An action item"
        from planner_tui.services.errors import USER_ERRORS, friendly

        try:
            people = directory.people(self.session)
        except USER_ERRORS as error:
            self.notify(friendly(error), severity="error")
            return
        self.app.push_screen(
            ActionModal(heading, self.clock(), people),
            partial(self._action_added, target),
        )

    def _action_added(self, target: dict[str, int], fields: ActionFields | None) -> None:
        from planner_tui.domain.models import NewAction

        if fields is None:
            return
        action = NewAction(text=fields.text, owner=fields.owner, due=fields.due)
        self._act(
            partial(retro.add_action, self.session, self.session_id, action, **target),
            "Action agreed",
        )

    def action_rate(self) -> None:
        from planner_tui.screens.retro_modals import RateModal

        self.app.push_screen(RateModal(), self._rated)

    def _rated(self, rating: int | None) -> None:
        if rating is not None:
            self._act(
                partial(retro.rate, self.session, self.session_id, rating),
                f"You rated it {rating}/5",
            )

    def action_summary(self) -> None:
        from planner_tui.screens.retro_modals import SummaryModal

        if self.board is not None:
            self.app.push_screen(SummaryModal(self.board.info.title, self.board.info.summary))

    def action_back(self) -> None:
        self.dismiss()


def _option(prompt: Text, option_id: str | None) -> Option:
    return Option(prompt, id=option_id, disabled=option_id is None)
