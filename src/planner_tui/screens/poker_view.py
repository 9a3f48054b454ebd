"""The poker table's state and drawing: the session read in a worker and drawn (queue, item,
cards, round line, status), the timer ticking."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from rich.text import Text
from textual.widgets import Static

from planner_tui.domain.enums import Confidence
from planner_tui.domain.estimation import (
    PokerRole,
    PokerTable,
    QueueEntry,
    RoundView,
    SessionSummary,
)
from planner_tui.domain.poker import Deck, countdown, next_change, seconds_left
from planner_tui.domain.text import one_line
from planner_tui.screens.base import MeetingScreen
from planner_tui.screens.latest_read import LatestRead
from planner_tui.screens.moves import MoveQueue
from planner_tui.services import poker
from planner_tui.services.pages import PAGE, Pages
from planner_tui.widgets.deck_bar import DeckBar
from planner_tui.widgets.item_context import context_text
from planner_tui.widgets.poker_queue import PokerQueue, queue_title
from planner_tui.widgets.poker_summary import round_line, summary_text
from planner_tui.widgets.round_stats import stats_text
from planner_tui.widgets.text_panel import TextPanel
from planner_tui.widgets.ticking_line import NextTick, TickingLine
from planner_tui.widgets.user_text import show_text
from planner_tui.widgets.vote_cards import VoteCards

NAMED_CARDS = 8
"""An earlier round with more cards than this says how many of each, not whose."""


class PokerView(MeetingScreen):
    """What the poker table shows, read and drawn; its actions live in the parts built on it."""

    MODE = "estimation"

    def __init__(self, session_id: int) -> None:
        super().__init__(classes="poker")
        self.session_id = session_id
        self.table: PokerTable | None = None
        self.queue: Pages[QueueEntry] = Pages(lambda offset, limit: ())
        """The queue's items, those past the first read as they are drawn."""
        self.summary: SessionSummary | None = None
        self.confidence = Confidence.NORMAL
        self._confidence_item: int | None = None
        """The item my next card's confidence was chosen on: another item starts sure."""
        self._joined = False
        self._presented = False
        """The presenter view has opened by itself once (the session's setting)."""
        self.load = LatestRead(
            self, "poker-load", self._read, self._show_read, gone=self.leave_gone
        )
        """Read the session as I may see it, in a worker; a later read wins."""
        self._act = MoveQueue(self, "poker-act", self.load, settled=self._played_settled)
        self._played: tuple[str, Confidence, datetime] | None = None
        """My card as drawn when played, until the moves are saved and read back: a read
        that began before the key must not take it off the table meanwhile."""
        self._figures_item: int | None = None
        """The item the figures' panel was last drawn for (its height holds on one item)."""
        self._revote_to: int | None = None
        """The round a re-vote drawn before it was saved starts, until the moves are saved and
        read back: a read that began before the key draws it too."""
        self._timed_out: int | None = None
        self._next_tick = NextTick(self, self._tick)

    @property
    def presence_place(self) -> str:
        """Where this terminal is, for the others' "here now"."""
        return poker.place(self.session_id)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#poker-deck", DeckBar), scroll_visible=False)
        self.host.beat_now()  # (the table is read as it is shown: `read_shown`)

    def running_now(self) -> list[int]:
        return [s.id for s in poker.listing(self.session) if s.status.value == "open"]

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Another terminal voted, revealed, moved on, or came and went: draw it."""
        if kinds & {"round", "session", "item", "risk", "person", "deck", "workspace"}:
            self.load()
        elif "presence" in kinds and self.table is not None:
            self._show_presence(self.table)

    def _show_presence(self, table: PokerTable) -> None:
        """Who is here changed: the status line (and whether the seat is free) only."""
        from planner_tui.services.errors import USER_ERRORS

        try:
            self.table = poker.with_presence(self.session, self.session_id, table)
        except USER_ERRORS:
            return  # the next look tries again
        self._draw_status(self.table)
        self.refresh_bindings()

    def _read(self) -> tuple[PokerTable, Pages[QueueEntry], SessionSummary | None]:
        table, queue = poker.table_pages(self.session, self.session_id, first=PAGE)
        summary = None if table.info.open else poker.summary(self.session, self.session_id)
        return table, queue, summary

    def _show_read(self, read: tuple[PokerTable, Pages[QueueEntry], SessionSummary | None]) -> None:
        table, queue, summary = read
        round_ = table.round
        # (a read that began before the re-vote was saved: the turned round it drew over)
        if round_ is not None and round_.revealed and round_.number + 1 == self._revote_to:
            table = table.revoted(poker.now())
            round_ = table.round
        if self._played is not None and round_ is not None and not round_.revealed:
            table = table.with_my_card(*self._played)
        self._show(table, queue, summary)

    def show_played(self, card: str, confidence: Confidence) -> None:
        """Draw my `card` on the table at once, as it will read once saved."""
        if self.table is None:
            return
        self._played = (card, confidence, datetime.now(UTC))
        self._show(self.table.with_my_card(*self._played), self.queue, self.summary)

    def show_revoted(self) -> bool:
        """Draw the re-vote at once, as it will read once saved; False if the cards are not
        turned (the re-vote is refused: the save says why)."""
        table = self.table
        if table is None or table.round is None or not table.round.revealed:
            return False
        self._revote_to = table.round.number + 1
        self._show(table.revoted(poker.now()), self.queue, self.summary)
        return True

    def show_turned(self, turned: RoundView | None) -> None:
        """Draw the round as the reveal turned it, before the table is read again after
        that frame."""
        table = self.table
        if table is None or turned is None or table.round is None or table.round.id != turned.id:
            return  # (another item or round by now: the read after the reveal shows it)
        self._show(table.model_copy(update={"round": turned}), self.queue, self.summary)

    def _played_settled(self) -> None:
        """My moves are saved and read back: the table as read stands."""
        self._played = None
        self._revote_to = None

    def _show(
        self, table: PokerTable, queue: Pages[QueueEntry], summary: SessionSummary | None
    ) -> None:
        self.table, self.queue, self.summary = table, queue, summary
        if table.info.current_item_id != self._confidence_item:
            self._confidence_item = table.info.current_item_id
            self.confidence = Confidence.NORMAL  # "unsure" was about the last item
        if table.info.open and table.my_role is None and not self._joined:
            self._joined = True  # opening a running session takes part in it, as a voter
            self._act(partial(poker.join, self.session, self.session_id), "")
        self._draw_queue(table)
        self._draw_main(table, summary)
        self._draw_status(table)
        self.refresh_bindings()
        self._present_if_chosen(table)

    def action_presenter(self) -> None:
        """The table as the room should see it (until escape)."""
        from planner_tui.screens.presenter import PresenterScreen

        self.app.push_screen(PresenterScreen(self.session_id))

    def _present_if_chosen(self, table: PokerTable) -> None:
        """The facilitator chose that their screen is the room's: it opens in the presenter
        view, once per visit (escape leaves it; P brings it back)."""
        chosen = table.info.open and table.facilitating and table.info.settings.present
        if chosen and not self._presented and self.is_current:
            self._presented = True
            self.action_presenter()

    def _draw_queue(self, table: PokerTable) -> None:
        show_text(self.query_one("#poker-queue-title", Static), queue_title(table))
        self.query_one(PokerQueue).show_table(table, self.queue)

    def _draw_main(self, table: PokerTable, summary: SessionSummary | None) -> None:
        item_line = self.query_one("#poker-item", Static)
        cards = self.query_one(VoteCards)
        deck_bar = self.query_one(DeckBar)
        stats = self.query_one("#poker-stats", TextPanel)
        context = self.query_one("#poker-context", Static)
        earlier = self.query_one("#poker-earlier", Static)
        playing = table.info.open and table.item is not None and table.round is not None
        shows_earlier = playing and bool(table.history) and summary is None
        for widget, shown in (
            (cards, playing),
            (deck_bar, playing),
            (stats, playing),
            (earlier, shows_earlier),
        ):
            if widget.display != shown:  # (setting it, even unchanged, lays the screen out)
                widget.display = shown
        self._draw_round_line()
        if playing and (self.focused is None or not self.focused.display):
            deck_bar.focus()  # a hidden hand lost the focus; a new round gives it back
        if summary is not None:
            show_text(item_line, Text("This session has ended. Its summary:", style="bold"))
            show_text(context, summary_text(summary))
            return
        if table.item is None:
            show_text(item_line, Text("The queue is done.", style="bold"))
            hint = (
                "i adds an item; m → End the session keeps the summary."
                if table.facilitating
                else f"Waiting for {table.info.facilitator or 'the facilitator'} to add items or end the session."
            )
            show_text(context, Text(hint, style="dim"))
            return
        item = table.item
        # A few lines of title at most: a 2,000-character one pushed the cards off screen.
        title = one_line(item.title, max(3 * (self.size.width - 40), 60))
        head = Text.assemble((item.key, "bold reverse"), " ", (title, "bold"))
        if item.estimate is not None:
            head.append(f"   now {item.estimate:g} pts", style="dim")
        if item.final_card:
            head.append(f"   accepted {one_line(item.final_card)}", style="bold green")
        show_text(item_line, head)
        cards.show(table)
        round_ = table.round
        locked = bool(round_ and round_.revealed) and not table.facilitating
        mine = table.my_vote.card if table.my_vote else None
        deck_bar.show(self.deck.playable, mine, locked=locked)
        if round_ is not None:
            # The figures' panel stays as tall as it has been on this item, so a reveal or a
            # re-vote neither moves the item's text under it (which the room is reading)
            # nor lays the screen out again (a third of their frames' time).
            same_item, self._figures_item = self._figures_item == item.item_id, item.item_id
            stats.show(self._figures(table), hold=same_item)
        if shows_earlier:
            # (apart from the item's text, which a re-vote leaves as it is: wrapped again
            # with these in it, it held a re-vote's frame 1 ms)
            lines = [Text("Earlier rounds", style="bold underline")]
            hidden = table.earlier_rounds - len(table.history)
            if hidden > 0:
                lines.append(Text(f"{hidden} more before these", style="dim"))
            lines += [round_line(round_, named=NAMED_CARDS) for round_ in table.history]
            show_text(earlier, Text("\n").join(lines))
        show_text(context, context_text(item))

    def _figures(self, table: PokerTable) -> Text:
        """What the turned cards say, or where it will show."""
        round_ = table.round
        if round_ is None or round_.stats is None:
            if table.info.settings.auto_reveal:
                when = "the cards turn: once everyone has voted" + (
                    ", or r" if table.facilitating else ""
                )
            elif table.facilitating:
                when = "you turn the cards (r)"
            else:
                when = (
                    f"{one_line(table.info.facilitator or 'the facilitator', 30)} turns the cards"
                )
            return Text(f"The figures show here when {when}.", style="dim")
        text = stats_text(round_.stats, max(self.size.width - 40, 30))
        if table.facilitating:
            text.append("\na accepts · v re-votes · f enters a card someone says", style="dim")
        return text

    @property
    def deck(self) -> Deck:
        """The deck of this session."""
        assert self.table is not None
        return self.table.info.settings.deck

    def _draw_round_line(self) -> None:
        table = self.table
        line = self.query_one("#poker-round", TickingLine)
        if table is None or table.round is None or not table.info.open:
            line.show(Text(""))
            self._next_tick.after(None)
            return
        round_ = table.round
        running = not round_.revealed
        self._next_tick.after(  # the timer's line changes then (it may say time's up)
            next_change(round_.timer_started_at, round_.timer_seconds, poker.now())
            if running
            else None
        )
        parts = [Text(f"Round {round_.number}", style="bold")]
        voters = len(table.voters)
        if round_.revealed:
            parts.append(Text("cards turned", style="bold green"))
            if table.voted_count < voters:  # (turned early: whose cards are missing counts)
                parts.append(Text(f"{table.voted_count} of {voters} voted", style="bold yellow"))
        else:
            parts.append(Text(f"{table.voted_count} of {voters} voted", style="bold"))
        left = seconds_left(round_.timer_started_at, round_.timer_seconds, poker.now())
        if left is not None and not round_.revealed:
            parts.append(
                Text(f"⏱ {countdown(left)}", style="bold red" if left <= 0 else "bold")
                if left > 0
                else Text("⏱ time's up", style="bold red reverse")
            )
        if not round_.revealed:
            auto = (
                "reveal when all voted"
                if table.info.settings.auto_reveal
                else "facilitator reveals"
            )
            parts.append(Text(auto, style="dim"))
        line.show(Text("  ·  ").join(parts))

    def _draw_status(self, table: PokerTable) -> None:
        here = [p.name for p in table.people if p.here]
        role = table.my_role
        facilitator = table.info.facilitator or "nobody"
        away = table.info.open and facilitator.casefold() not in {n.casefold() for n in here}
        if not table.info.open:
            me = Text("ended: read-only", style="bold")
        elif table.facilitating:
            me = Text("you facilitate", style="bold")
        elif away:
            me = Text(
                f"{one_line(facilitator, 20)} (facilitator) is not here: m takes over",
                style="bold red",
            )
        else:
            me = Text(f"{one_line(facilitator, 20)} facilitates", style="bold")
        parts = [
            me,
            Text.assemble(("here now ", "dim"), one_line(", ".join(here) or "nobody", 60)),
        ]
        if not table.info.open:
            pass
        elif role is PokerRole.SPECTATOR:
            parts.append(Text("you watch (m to vote)", style="italic"))
        elif self.confidence is not Confidence.NORMAL:
            parts.append(Text(f"next card marked {self.confidence.value} (c)", style="italic"))
        show_text(self.query_one("#poker-status", Static), Text("  ·  ").join(parts))

    def _tick(self) -> None:
        table = self.table
        if table is None or table.round is None:
            return
        self._draw_round_line()
        round_ = table.round
        left = seconds_left(round_.timer_started_at, round_.timer_seconds, poker.now())
        if left is not None and left <= 0 and not round_.revealed and self._timed_out != round_.id:
            self._timed_out = round_.id  # say it once per round
            if table.facilitating:
                self.notify("Time's up: r reveals, + adds 30 s", severity="warning", timeout=6)
            elif table.my_vote is None and table.my_role is PokerRole.VOTER:
                self.notify("Time's up: play your card", severity="warning", timeout=6)

    def _current_item_id(self) -> int | None:
        return self.table.info.current_item_id if self.table else None
