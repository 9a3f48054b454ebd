"""One retro: review of earlier actions, then the board from private writing to owned actions.

What a terminal draws comes from `services.retro.board`, made for the person
at that terminal: before the reveal it holds only their own cards. The
facilitator moves the phases (`]` forwards, `[` back); everyone else follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from planner_tui.domain.retro import (
    Phase,
)
from planner_tui.paths import styles_dir
from planner_tui.screens.export import ExportChoice
from planner_tui.screens.retro_board_cards import RetroBoardCards
from planner_tui.screens.retro_board_meeting import RetroBoardMeeting
from planner_tui.screens.retro_board_view import RetroBoardView
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.retro_column import RetroColumn
from planner_tui.widgets.ticking_line import TickingLine
from planner_tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    pass

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


class RetroBoardScreen(RetroBoardCards, RetroBoardMeeting, RetroBoardView):
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
    AUTO_FOCUS = ""
    """The board gives its lists the focus as it draws them (`_layout`): Textual's would go
    to the review list, hidden after the Review, and move a frame later."""
    BINDINGS = [
        Binding(
            "P",
            "present",
            "Presenter",
            id="retro.presenter",
            show=False,
            tooltip="Presenter view for the room's screen: your cards and dots unmarked, "
            "and hidden until the reveal",
        ),
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

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield TickingLine(id="retro-phase")
        yield Static(id="retro-hint")
        yield RetroColumn("Review", -1)
        yield self.composed_columns()
        yield Static(id="retro-status")
        yield KeyBar()

    # --- reading and drawing -----------------------------------------------------------

    # --- what the cursor is on ---------------------------------------------------------

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
        # At once, not after the keys already queued (as focus() does): → → pressed fast
        # read the focus the first had asked for but not yet given, and stopped one short.
        self.set_focus(lists[indexes.index(self.active)])

    def action_back(self) -> None:
        self.dismiss()
