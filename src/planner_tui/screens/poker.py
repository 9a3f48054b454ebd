"""One estimation session: the queue, the item in discussion, the cards on the table, the hand.

Every terminal on the session draws the same item: the facilitator's. What a
terminal draws comes from `services.poker.table`, made for the person at that
terminal, so cards that are still face down never reach it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from planner_tui.domain.enums import Confidence
from planner_tui.paths import styles_dir
from planner_tui.screens.export import ExportChoice
from planner_tui.screens.poker_facilitate import PokerFacilitating
from planner_tui.screens.poker_view import PokerView
from planner_tui.services import poker
from planner_tui.widgets.deck_bar import DeckBar
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.poker_queue import PokerQueue
from planner_tui.widgets.row_view import RowView
from planner_tui.widgets.text_panel import TextPanel
from planner_tui.widgets.ticking_line import TickingLine
from planner_tui.widgets.titlebar import TitleBar
from planner_tui.widgets.vote_cards import VoteCards

if TYPE_CHECKING:
    pass

FACILITATOR_ACTIONS = frozenset(
    {"reveal", "accept", "revote", "skip", "park", "next", "enter_for", "add_item", "timer",
     "more_time", "go_to", "reorder"}
)  # fmt: skip

ON_THE_TABLE = frozenset(
    {"reveal", "accept", "revote", "skip", "park", "next", "enter_for", "timer", "more_time"}
)
"""The facilitator's moves on the item being estimated: none once the queue is done."""

_NEXT_CONFIDENCE = {
    Confidence.NORMAL: Confidence.SURE,
    Confidence.SURE: Confidence.UNSURE,
    Confidence.UNSURE: Confidence.NORMAL,
}


def _facilitator_binding(
    key: str, action: str, text: str, tip: str, *, show: bool = True
) -> Binding:
    return Binding(
        key,
        action,
        text,
        id=f"poker.{action.split('(')[0]}",
        tooltip=f"{tip} (facilitator)",
        show=show,
    )


class PokerScreen(PokerFacilitating, PokerView):
    """A running (or, read-only, an ended) estimation session."""

    WRITE_ACTIONS = frozenset(
        {
            "raise_risk",
            "reveal",
            "accept",
            "revote",
            "next",
            "skip",
            "park",
            "enter_for",
            "add_item",
            "timer",
            "more_time",
            "reorder",
            "notes",
            "confidence",
            "withdraw",
            "menu",
        }
    )

    CSS_PATH = str(styles_dir() / "poker.tcss")
    AUTO_FOCUS = ""
    """The deck takes the focus as the table mounts (`PokerView.on_mount`), without
    Textual's scroll to it: the table is drawn as it opens, and a scroll then slid the
    item being estimated off the top to show the deck below 50 voters' cards."""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding(
            "exclamation_mark",
            "raise_risk",
            "Risk",
            id="poker.raise_risk",
            show=False,
            tooltip="Raise a risk against the item on the table",
        ),
        _facilitator_binding("r", "reveal", "Reveal", "Turn every card at once"),
        _facilitator_binding(
            "a", "accept", "Accept", "Agree the estimate and write it to the item"
        ),
        _facilitator_binding("v", "revote", "Re-vote", "Start a new round on the same item"),
        _facilitator_binding("right_square_bracket", "next", "Next", "Move on to the next item"),
        _facilitator_binding("s", "skip", "Skip", "Leave the item unestimated in this session"),
        _facilitator_binding(
            "p", "park", "Park", "Set the item aside until the queue is done", show=False
        ),
        _facilitator_binding("f", "enter_for", "For…", "Enter a card for someone in the room"),
        _facilitator_binding("i", "add_item", "Add item", "Add an item to the queue", show=False),
        _facilitator_binding("t", "timer", "Timer", "Restart the countdown", show=False),
        _facilitator_binding("plus", "more_time(30)", "+30s", "Add 30 seconds", show=False),
        _facilitator_binding("minus", "more_time(-30)", "-30s", "Take 30 seconds off", show=False),
        _facilitator_binding(
            "shift+up", "reorder(-1)", "Move up", "In the queue: move the item up", show=False
        ),
        _facilitator_binding(
            "shift+down", "reorder(1)", "Move down", "In the queue: move the item down", show=False
        ),
        Binding("o", "notes", "Notes", id="poker.notes", tooltip="Notes on the item", show=False),
        Binding(
            "c",
            "confidence",
            "Sure?",
            id="poker.confidence",
            show=False,
            tooltip="How sure you are: normal, sure, unsure",
        ),
        Binding(
            "backspace,delete",
            "withdraw",
            "Take back",
            id="poker.withdraw",
            show=False,
            tooltip="Take your card back before the reveal",
        ),
        Binding(
            "l",
            "queue",
            "Queue",
            id="poker.queue",
            show=False,
            tooltip="Show the queue (on a narrow terminal), or move between queue and hand",
        ),
        Binding(
            "m",
            "menu",
            "Menu",
            id="poker.menu",
            tooltip="Vote or watch, take over, and the facilitator's menu",
        ),
        Binding(
            "P",
            "presenter",
            "Presenter",
            id="poker.presenter",
            show=False,
            tooltip="Presenter view for the room's screen: large, and nothing private shown",
        ),
        Binding(
            "escape",
            "back",
            "Sessions",
            id="poker.back",
            show=False,
            tooltip="Back to the list of sessions",
        ),
        # A digit typed away from the hand (in the queue, say) still picks a card: at a
        # poker table a number is a card, not another screen.
        *(
            Binding(digit, f"hand_digit('{digit}')", show=False, system=True)
            for digit in "0123456789"
        ),
    ]

    def export_choices(self) -> list[ExportChoice]:
        """This meeting's summary and its lossless JSON, for the Export dialog."""
        from planner_tui.screens.export import meeting_choices

        return meeting_choices(self.session_id, "this meeting")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="poker-body"):
            with Vertical(id="poker-queue-box"):
                yield Static(id="poker-queue-title")
                yield PokerQueue(id="poker-queue")
            with VerticalScroll(id="poker-main"):
                yield Static(id="poker-item")
                yield TickingLine(id="poker-round")
                yield VoteCards(id="poker-cards")
                yield DeckBar(id="poker-deck")
                yield TextPanel(id="poker-stats")
                yield Static(id="poker-earlier")
                yield Static(id="poker-context")
        yield Static(id="poker-status")
        yield KeyBar()

    # --- reading -----------------------------------------------------------------------

    # --- acting ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Facilitator's keys show only on the facilitator's terminal, and nothing on an ended one."""
        if super().check_action(action, parameters) is False:
            return False
        table = self.table
        if action in FACILITATOR_ACTIONS:
            if table is None or not table.info.open or not table.facilitating:
                return False
            if action in ON_THE_TABLE and (table.item is None or table.round is None):
                return False  # (the queue is done: r, a, v ... would each only say so)
            if action == "reorder":
                return self.focused is self.query_one(PokerQueue)
            return True
        if action in ("notes", "confidence", "withdraw", "menu"):
            return table is not None and table.info.open
        if action == "hand_digit":  # no round to vote in: digits go to the screens
            return self.query_one(DeckBar).display
        return True

    def action_hand_digit(self, char: str) -> None:
        """The hand takes the focus back (the queue steps aside) and the digit picks a card
        there, so enter then plays it."""
        hand = self.query_one(DeckBar)
        self.remove_class("-queue")
        self.set_focus(hand)  # (at once: the enter typed behind the digit plays it)
        hand.action_digit(char)

    def on_deck_bar_played(self, event: DeckBar.Played) -> None:
        event.stop()
        if self.table is None or self.table.round is None:
            return
        if self.table.round.revealed and not self.table.facilitating:
            self.notify("The cards are turned; wait for a re-vote", severity="warning")
            return
        vote = partial(poker.vote, self.session, self.session_id, event.card, self.confidence)
        if self.table.round.revealed:  # (the facilitator, entering the room's cards)
            self._act(vote, "")
            return
        # Drawn in the key's frame as it will read once saved; saved after that frame.
        self.show_played(event.card, self.confidence)
        self._act(vote, "", after_frame=True)

    def action_confidence(self) -> None:
        """Cycle how sure my card is; a card already played is played again with it."""
        self.confidence = _NEXT_CONFIDENCE[self.confidence]
        table = self.table
        mine = table.my_vote.card if table and table.my_vote else None
        if mine and table and table.round and not table.round.revealed:
            self._act(partial(poker.vote, self.session, self.session_id, mine, self.confidence), "")
            if self._played is not None:  # (not saved yet: drawn with its new confidence)
                self.show_played(mine, self.confidence)
        self.notify(f"Your card: {self.confidence.value}", timeout=2)
        if table is not None:
            self._draw_status(table)

    def action_withdraw(self) -> None:
        # (no toast: my card turns blank and the count drops, in the frame that shows it)
        self._played = None  # (a card played but not saved yet is not drawn again)
        self._act(partial(poker.withdraw, self.session, self.session_id), "")

    def action_reveal(self) -> None:
        reveal = partial(poker.reveal, self.session, self.session_id)
        self._act(reveal, "", drawn=self.show_turned, at_once=True)

    def action_revote(self) -> None:
        # (no toast: the round line says "Round 2 · 0 of 50 voted" in the frame that clears
        # the cards; a toast drew a frame of its own 30 ms later)
        drawn = self.show_revoted()  # (in the key's frame; saved after it)
        self._act(partial(poker.revote, self.session, self.session_id), "", after_frame=drawn)

    def action_next(self) -> None:
        self._act(partial(poker.next_item, self.session, self.session_id), "")

    def action_skip(self) -> None:
        item_id = self._current_item_id()
        if item_id is not None:
            self._act(partial(poker.skip, self.session, self.session_id, item_id), "Skipped")

    def action_park(self) -> None:
        item_id = self._current_item_id()
        if item_id is not None:
            self._act(
                partial(poker.park, self.session, self.session_id, item_id),
                "Parked: it comes back when the queue is done",
            )

    def action_timer(self) -> None:
        seconds = self.table.info.settings.timer_seconds if self.table else 0
        self._act(
            partial(poker.set_timer, self.session, self.session_id, seconds or 120),
            "Timer restarted",
        )

    def action_more_time(self, seconds: int) -> None:
        self._act(partial(poker.add_time, self.session, self.session_id, seconds), "")

    def action_reorder(self, steps: int) -> None:
        queue = self.query_one(PokerQueue)
        if queue.cursor_row is None or self.table is None:
            return
        entry = self.queue.at(queue.cursor_row)
        if entry is None:
            return
        queue.cursor = max(0, min(self.table.queued - 1, queue.cursor_row + steps))
        self._act(partial(poker.move, self.session, self.session_id, entry.item_id, steps), "")

    def on_row_view_selected(self, event: RowView.Selected) -> None:
        """Enter on a queue item: the facilitator takes it up now."""
        event.stop()
        table = self.table
        if table is None or not table.facilitating or not table.info.open:
            self.notify("Only the facilitator chooses the item", severity="warning")
            return
        entry = self.queue.at(event.index) if event.index is not None else None
        if entry is None:
            return
        item_id = entry.item_id
        self._act(partial(poker.go_to, self.session, self.session_id, item_id), "")
        self.remove_class("-queue")
        self.query_one(DeckBar).focus()

    def action_raise_risk(self) -> None:
        from planner_tui.screens.risk_raise import raise_risk_from

        item = self.table.item if self.table is not None else None
        raise_risk_from(self.app, item.key if item is not None else "")

    def action_queue(self) -> None:
        queue = self.query_one(PokerQueue)
        if self.has_class("-narrow"):
            self.toggle_class("-queue")
        showing = self.has_class("-queue") or not self.has_class("-narrow")
        if showing and not queue.has_focus:
            self.set_focus(queue)
        else:
            self.remove_class("-queue")
            self.set_focus(self.query_one(DeckBar))

    def action_back(self) -> None:
        if self.has_class("-queue"):
            self.action_queue()
            return
        self.dismiss()
