"""The retro board's state and drawing: the board read in a worker and drawn column by column,
the phase, the timer, and what the cursor is on."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from functools import partial

from rich.text import Text
from textual import events
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from planner_tui.domain.enums import SessionStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.poker import next_change, seconds_left
from planner_tui.domain.retro import (
    PHASES,
    Board,
    CardView,
    Phase,
    RetroListing,
    ThemeView,
    check_dot,
)
from planner_tui.domain.text import count_of, one_line
from planner_tui.screens.base import MeetingScreen
from planner_tui.screens.latest_read import LatestRead
from planner_tui.screens.moves import MoveQueue
from planner_tui.services import retro, retro_view
from planner_tui.services.pages import PAGE
from planner_tui.services.retro_view import CardPages
from planner_tui.widgets.card_list import Entry
from planner_tui.widgets.retro_column import RetroColumn, action_text, review_text
from planner_tui.widgets.retro_lines import hint_line, phase_line, status_line
from planner_tui.widgets.ticking_line import NextTick, TickingLine
from planner_tui.widgets.user_text import show_text

NARROW_COLUMN = 28
"""Below this many cells per column, the board shows one column at a time, as tabs."""

ACTIONS_COLUMN = "Agreed actions"


def option_for(prompt: Text, option_id: str | None) -> Entry:
    """A row of a column's list; a row without an id (a note) cannot be chosen. Its text is
    its key: read again unchanged, it is not drawn again."""
    return Entry(option_id, lambda: prompt, key=(prompt.plain, tuple(prompt.spans)))


class RetroBoardView(MeetingScreen):
    """What the retro board shows, read and drawn; its actions live in the parts built on it."""

    MODE = "retro"

    def __init__(self, session_id: int, listed: RetroListing | None = None) -> None:
        # As the retro list read it: the phase's class given now restyles nothing when
        # the board is first drawn (6 ms), and the columns are built with the screen, not
        # after its first read (a fifth of the opening).
        shown = listed.phase if listed and listed.status is SessionStatus.OPEN else None
        ended = listed is not None and shown is None
        super().__init__(classes=" ".join(["retro", *_phase_classes(shown, ended=ended)]))
        self.session_id = session_id
        self._first_columns = listed.columns if listed else ()
        self.board: Board | None = None
        self.pages: CardPages | None = None
        """The loose cards past those read with the board, read as they are drawn."""
        self.active = 0
        self._built_columns: tuple[str, ...] | None = None
        self._timed_out: str | None = None
        self._follow: tuple[int, str] | None = None
        self._phase_seen: Phase | None = None
        self._drawing = asyncio.Lock()
        self._next_tick = NextTick(self, self._tick)
        self.load: LatestRead[tuple[Board, CardPages]] = LatestRead(
            self, "retro-load", self._read, self._show, gone=self.leave_gone
        )
        """Read the board as I may see it, in a worker; a later read wins."""
        self._act = MoveQueue(self, "retro-act", self.load, settled=self._dots_settled)
        self._my_dots: dict[str, int] = {}
        self.presenting = False
        """The room's shared screen (P): nothing marks my cards or dots, and before the
        reveal my own cards are hidden like everyone else's."""
        self._theme_before_presenting = ""
        self._presented = False
        """The presenter view has come on by itself once (the session's setting)."""
        """My dots on cards and themes (by entry id) as drawn when put or taken back, until
        my moves are saved and read back (`_dots_settled`), refused ones too. Absolute
        counts, so a read that already shows them draws the same."""

    def _read(self) -> tuple[Board, CardPages]:
        return retro_view.board_pages(self.session, self.session_id, first=PAGE)

    def card_view(self, card_id: int | None) -> CardView | None:
        """A card on the board as I see it, wherever it is in its column."""
        if self.board is None or card_id is None:
            return None
        found = self.board.card(card_id)
        if found is None and self.pages is not None:
            found = self.pages.card(card_id)
        return found

    def _dotted(self, entry: str) -> CardView | ThemeView | None:
        """The card or theme an entry id names, as last read."""
        kind, _, number = entry.partition(":")
        if self.board is None or not number.isdigit():
            return None
        return self.card_view(int(number)) if kind == "card" else self.board.theme(int(number))

    def _votes_left(self, board: Board) -> int:
        """My votes left as drawn: the board's, less my dots not read back yet."""
        drawn = 0
        for entry, mine in self._my_dots.items():
            view = self._dotted(entry)
            drawn += mine - (view.my_votes if view is not None else mine)
        return board.votes_left - drawn

    def put_dot(self, target: dict[str, int], step: int) -> bool:
        """Draw my dot put on `target` (step 1) or taken back (-1) at once, as it will read
        once saved; False, drawing nothing, where the board would refuse it (the save says
        why). A dot's frame came after its save and the read behind it."""
        board = self.board
        if board is None or not board.info.open or board.info.phase is not Phase.VOTE:
            return False
        (kind, number), *_ = target.items()
        entry = f"{kind.removesuffix('_id')}:{number}"
        view = self._dotted(entry)
        if view is None:
            return False
        mine = self._my_dots.get(entry, view.my_votes)
        settings = board.info.settings
        if step > 0:
            try:
                check_dot(
                    limit=settings.votes_per_person,
                    several_per_target=settings.several_votes_per_card,
                    spent=settings.votes_per_person - self._votes_left(board),
                    on_target=mine,
                    voter=board.viewer,
                )
            except InvalidInput:
                return False
        elif mine <= 0:
            return False
        self._my_dots[entry] = mine + step
        self._draw_dots(board, only=self.active)  # (the target is under the cursor there)
        return True

    def _dots_settled(self) -> None:
        """My moves are saved and read back: what the board says now stands."""
        if self._my_dots:
            self._my_dots.clear()
            if self.board is not None:
                self._draw_dots(self.board)

    def _draw_dots(self, board: Board, *, only: int | None = None) -> None:
        """My dots as drawn: on every column, or `only` the one at that index."""
        if self.pages is not None:
            self._draw_columns(board, self.pages, only=only)
        self._draw_hint(board)

    @property
    def presence_place(self) -> str:
        """Where this terminal is, for the others' "here now"."""
        return retro_view.place(self.session_id)

    def on_mount(self) -> None:
        self.query_one("#retro-col--1", RetroColumn).add_class("review-list")
        # (already in it: nothing saved, so no second read of the board)
        joined = partial(retro.join, self.session, self.session_id)
        self._act(joined, "", unchanged=lambda now: not now)
        self.host.beat_now()

    def running_now(self) -> list[int]:
        return [r.session_id for r in retro_view.listing(self.session) if r.status.value == "open"]

    def on_resize(self) -> None:
        self._layout()
        self._draw_phase()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Someone wrote, grouped, voted, moved the phase, or came and went: draw it."""
        if kinds & {"card", "theme", "retro", "action", "session", "person", "workspace"}:
            self.load()
        elif "presence" in kinds and self.board is not None:
            self._show_presence(self.board)

    def _show_presence(self, board: Board) -> None:
        """Who is here changed: the status line (and whether the seat is free) only."""
        from planner_tui.services.errors import USER_ERRORS

        try:
            self.board = retro_view.with_presence(self.session, self.session_id, board)
        except USER_ERRORS:
            return  # the next look tries again
        self._draw_status(self.board)
        self.refresh_bindings()

    def _draw(self, board: Board, pages: CardPages) -> None:
        seen, self._phase_seen = self._phase_seen, board.info.phase
        # Going on is shown by the phase bar; going back is said, as it may hide cards.
        went_back = (
            seen is not None
            and board.info.open
            and PHASES.index(board.info.phase) < PHASES.index(seen)
        )
        if went_back:
            hidden = board.info.phase in (Phase.REVIEW, Phase.WRITE)
            self.notify(
                f"Back to: {board.info.phase.value.capitalize()}"
                + (" — cards are hidden again until the reveal" if hidden else ""),
                timeout=4,
            )
        self.board, self.pages = board, pages  # (my dots as drawn stay until settled)
        phase = board.info.phase if board.info.open else None
        classes = _phase_classes(phase, ended=not board.info.open)
        for each in (*(f"-{p.value}" for p in PHASES), "-ended"):
            self.set_class(each in classes, each)
        if not self._columns():
            return  # closed as it was drawn (escape just after a move, or as it opened)
        self._draw_columns(board, pages)
        self._follow_card()
        self._draw_review(board)
        self._draw_phase()
        self._draw_hint(board)
        self._draw_status(board)
        self._layout()
        self.refresh_bindings()
        chosen = board.info.open and board.i_facilitate and board.info.settings.present
        if chosen and not self._presented:
            self._presented = True  # once per visit: P turns it off and on again
            if not self.presenting:
                self.action_present()

    def action_present(self) -> None:
        """Turn the presenter view on or off (the projector theme with it)."""
        self.presenting = not self.presenting
        if self.presenting:
            self._theme_before_presenting = self.app.theme
            self.app.theme = "projector"
        elif self._theme_before_presenting:
            self.app.theme = self._theme_before_presenting
        self.notify(
            "Presenter view on: nothing of yours is marked"
            if self.presenting
            else "Presenter view off",
            timeout=3,
        )
        if self.board is not None and self.pages is not None:
            self._draw_columns(self.board, self.pages)
        board = self.board
        if not self.presenting and board and board.i_facilitate and board.info.settings.present:
            from planner_tui.screens.modal import ConfirmModal

            self.app.push_screen(
                ConfirmModal("Keep opening this board in the presenter view on your screen?"),
                self._keep_presenting,
            )

    def _keep_presenting(self, keep: bool | None) -> None:
        """The facilitator left the presenter view of a board set to open in it: keep that?"""
        if keep is False:
            self._act(
                partial(retro.set_present, self.session, self.session_id, False),
                "This board opens in the usual view now",
            )

    def composed_columns(self) -> Horizontal:
        """The box of the board's columns, built at once when they are known."""
        if not self._first_columns:
            return Horizontal(id="retro-columns")
        names = (*self._first_columns, ACTIONS_COLUMN)
        self._built_columns = names
        return Horizontal(*_column_boxes(names), id="retro-columns")

    async def _build_columns(self, board: Board) -> None:
        """One list per column of the board, and one for the agreed actions (once per board)."""
        names = (*board.info.columns, ACTIONS_COLUMN)
        if self._built_columns == names:
            return
        box = self.query_one("#retro-columns", Horizontal)
        await box.remove_children()
        await box.mount_all(_column_boxes(names))
        self._built_columns = names
        self.active = min(self.active, len(names) - 1)

    def _show(self, read: tuple[Board, CardPages]) -> Awaitable[None] | None:
        """Draw a board read, at once when its columns are built (the board drawn in the
        frame of the key that opened it), else once they are: building them awaits their
        mounting, and one draw goes at a time."""
        if not self.is_attached:
            return None  # the screen was closed while the board was being read
        board, pages = read
        built = self._built_columns == (*board.info.columns, ACTIONS_COLUMN)
        if built and not self._drawing.locked():
            self._draw(board, pages)
            return None
        return self._build_and_draw(board, pages)

    async def _build_and_draw(self, board: Board, pages: CardPages) -> None:
        async with self._drawing:
            await self._build_columns(board)
            self._draw(board, pages)

    def _columns(self) -> list[RetroColumn]:
        return [c for c in self.query(RetroColumn) if c.index >= 0]

    def _draw_columns(self, board: Board, pages: CardPages, *, only: int | None = None) -> None:
        lists = self._columns()
        hidden = board.info.open and board.info.phase in (Phase.REVIEW, Phase.WRITE)
        for index, (column, widget) in enumerate(zip(board.columns, lists, strict=False)):
            if only is not None and index != only:
                continue
            presenting = ("hidden" if hidden else "shown") if self.presenting else ""
            others = column.count - column.loose
            note = ""
            if hidden and presenting:  # the room's screen: every card alike, mine too
                note = f"{count_of(column.count, 'card')}, hidden until the reveal"
            elif hidden and others:
                note = f"+ {others} card{'s' if others != 1 else ''} from others, hidden until the reveal"
            note = note if column.count else ""
            widget.show(
                column, pages, hidden_note=note, my_dots=dict(self._my_dots), presenting=presenting
            )
        if only is not None:
            return
        actions = lists[-1]
        today = self.clock()
        actions.set_rows(
            [
                option_for(action_text(action, today), f"action:{action.id}")
                for action in board.actions
            ]
            or [
                option_for(
                    Text("No actions yet: a agrees one on a card or theme", style="dim"), None
                )
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
        found = target.index_of(option_id)
        if found is not None:
            self._follow = None
            target.highlighted = found
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
                show_text(head, tabs)
            else:
                show_text(head, Text.assemble((one_line(name, 40), "bold"), (f"  {count}", "dim")))

    def _draw_review(self, board: Board) -> None:
        today = self.clock()
        widget = self.query_one("#retro-col--1", RetroColumn)
        widget.set_rows(
            [
                option_for(review_text(entry, today), f"review:{entry.action_id}")
                for entry in board.review
            ]
            or [option_for(Text("No open actions from earlier retros.", style="dim"), None)],
            widget.highlighted_id,
        )

    def _draw_phase(self) -> None:
        board = self.board
        if board is not None:
            now = retro.now()
            self.query_one("#retro-phase", TickingLine).show(
                phase_line(board, self.size.width, now)
            )
            info = board.info
            self._next_tick.after(  # the countdown's line changes then (it may say time's up)
                next_change(info.phase_started_at, info.phase_seconds, now) if info.open else None
            )

    def _draw_hint(self, board: Board) -> None:
        if self._my_dots:
            board = board.model_copy(update={"votes_left": self._votes_left(board)})
        show_text(self.query_one("#retro-hint", Static), hint_line(board))

    def _draw_status(self, board: Board) -> None:
        show_text(self.query_one("#retro-status", Static), status_line(board))

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
            if parent.display != visible:  # (setting it, even unchanged, lays the screen out)
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
            self.set_focus(target)  # (now: a board opening has it in its first frame)

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


def _column_boxes(names: tuple[str, ...]) -> list[Vertical]:
    """A heading and a list for each column; the last is the agreed actions'."""
    boxes = []
    for index, name in enumerate(names):
        extra = " actions-col" if index == len(names) - 1 else ""
        box = Vertical(classes="retro-col" + extra)
        box.compose_add_child(Static(classes="col-head", id=f"retro-head-{index}"))
        box.compose_add_child(RetroColumn(name, index))
        boxes.append(box)
    return boxes


def _phase_classes(phase: Phase | None, *, ended: bool) -> list[str]:
    """The board's classes for its phase (each phase's keys and columns show by them)."""
    return [f"-{phase.value}"] if phase else ["-ended"] if ended else []
