"""One estimation session: the queue, the item in discussion, the cards on the table, the hand.

Every terminal on the session draws the same item: the facilitator's. What a
terminal draws comes from `services.poker.table`, made for the person at that
terminal, so cards that are still face down never reach it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static

from planner_tui.domain.enums import Confidence
from planner_tui.domain.estimation import PokerRole, PokerTable, SessionSummary
from planner_tui.domain.poker import Deck, format_clock, seconds_left
from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.export import ExportChoice
from planner_tui.screens.moves import MoveQueue
from planner_tui.services import poker
from planner_tui.widgets.deck_bar import DeckBar
from planner_tui.widgets.item_context import context_text
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.poker_queue import PokerQueue, queue_title
from planner_tui.widgets.poker_summary import round_line, summary_text
from planner_tui.widgets.round_stats import stats_text
from planner_tui.widgets.titlebar import TitleBar
from planner_tui.widgets.vote_cards import VoteCards

if TYPE_CHECKING:
    from planner_tui.screens.poker_modals import Acceptance, CardFor, MenuChoice

FACILITATOR_ACTIONS = frozenset(
    {"reveal", "accept", "revote", "skip", "park", "next", "enter_for", "add_item", "timer",
     "more_time", "go_to", "reorder"}
)  # fmt: skip

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


class PokerScreen(PlannerScreen[None]):
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
    AUTO_FOCUS = "#poker-deck"
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
            "shift+up", "reorder(-1)", "Up", "In the queue: move the item up", show=False
        ),
        _facilitator_binding(
            "shift+down", "reorder(1)", "Down", "In the queue: move the item down", show=False
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
            "escape",
            "back",
            "Sessions",
            id="poker.back",
            show=False,
            tooltip="Back to the list of sessions",
        ),
    ]

    def export_choices(self) -> list[ExportChoice]:
        """This meeting's summary and its lossless JSON, for the Export dialog."""
        from planner_tui.screens.export import meeting_choices

        return meeting_choices(self.session_id, "this meeting")

    def __init__(self, session_id: int) -> None:
        super().__init__(classes="poker")
        self.session_id = session_id
        self.table: PokerTable | None = None
        self.summary: SessionSummary | None = None
        self.confidence = Confidence.NORMAL
        self._joined = False
        self._act = MoveQueue(self, "poker-act", self.load)
        self._timed_out: int | None = None

    @property
    def presence_place(self) -> str:
        """Where this terminal is, for the others' "here now"."""
        return poker.place(self.session_id)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="poker-body"):
            with Vertical(id="poker-queue-box"):
                yield Static(id="poker-queue-title")
                yield PokerQueue(id="poker-queue")
            with VerticalScroll(id="poker-main"):
                yield Static(id="poker-item")
                yield Static(id="poker-round")
                yield VoteCards(id="poker-cards")
                yield DeckBar(id="poker-deck")
                yield Static(id="poker-stats")
                yield Static(id="poker-context")
        yield Static(id="poker-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick, name="poker timer")
        self.load()
        self.host.beat_now()

    def on_screen_resume(self) -> None:
        self.load()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Another terminal voted, revealed, moved on, or came and went: draw it."""
        if kinds & {"round", "session", "item", "risk", "presence", "person", "deck", "workspace"}:
            self.load()

    # --- reading -----------------------------------------------------------------------

    def load(self) -> None:
        """Read the session as I may see it, in a worker; the newest read wins."""
        self.run_worker(self._load_in_thread, thread=True, group="poker-load", exclusive=True)

    def _load_in_thread(self) -> None:
        from planner_tui.services.errors import USER_ERRORS, friendly

        try:
            table = poker.table(self.session, self.session_id)
            summary = None if table.info.open else poker.summary(self.session, self.session_id)
        except USER_ERRORS as error:
            self.app.call_from_thread(self.notify, friendly(error), severity="error")
            return
        self.app.call_from_thread(self._show, table, summary)

    def _show(self, table: PokerTable, summary: SessionSummary | None) -> None:
        self.table, self.summary = table, summary
        if table.info.open and table.my_role is None and not self._joined:
            self._joined = True  # opening a running session takes part in it, as a voter
            self._act(partial(poker.join, self.session, self.session_id), "")
        self._draw_queue(table)
        self._draw_main(table, summary)
        self._draw_status(table)
        self.refresh_bindings()

    def _draw_queue(self, table: PokerTable) -> None:
        self.query_one("#poker-queue-title", Static).update(queue_title(table))
        self.query_one(PokerQueue).show(table)

    def _draw_main(self, table: PokerTable, summary: SessionSummary | None) -> None:
        item_line = self.query_one("#poker-item", Static)
        cards = self.query_one(VoteCards)
        deck_bar = self.query_one(DeckBar)
        stats = self.query_one("#poker-stats", Static)
        context = self.query_one("#poker-context", Static)
        playing = table.info.open and table.item is not None and table.round is not None
        for widget in (cards, deck_bar, stats):
            widget.display = playing
        self._draw_round_line()
        if playing and (self.focused is None or not self.focused.display):
            deck_bar.focus()  # a hidden hand lost the focus; a new round gives it back
        if summary is not None:
            item_line.update(Text("This session has ended. Its summary:", style="bold"))
            context.update(summary_text(summary))
            return
        if table.item is None:
            item_line.update(Text("The queue is done.", style="bold"))
            hint = (
                "i adds an item; m → End the session keeps the summary."
                if table.facilitating
                else f"Waiting for {table.info.facilitator or 'the facilitator'} to add items or end the session."
            )
            context.update(Text(hint, style="dim"))
            return
        item = table.item
        head = Text.assemble((item.key, "bold reverse"), " ", (one_line(item.title), "bold"))
        if item.estimate is not None:
            head.append(f"   now {item.estimate:g} pts", style="dim")
        if item.final_card:
            head.append(f"   accepted {one_line(item.final_card)}", style="bold green")
        item_line.update(head)
        cards.show(table)
        round_ = table.round
        locked = bool(round_ and round_.revealed) and not table.facilitating
        mine = table.my_vote.card if table.my_vote else None
        deck_bar.show(self.deck.playable, mine, locked=locked)
        if round_ is not None and round_.stats is not None:
            stats.display = True
            text = stats_text(round_.stats, max(self.size.width - 40, 30))
            if table.facilitating:
                text.append("\na accepts · v re-votes · f enters a card someone says", style="dim")
            stats.update(text)
        else:
            stats.display = False
        if table.history:
            earlier = [Text("Earlier rounds", style="bold underline")]
            earlier += [round_line(round_) for round_ in table.history]
            context.update(Text("\n").join(earlier) + Text("\n\n") + context_text(item))
        else:
            context.update(context_text(item))
        self._draw_round_line()

    @property
    def deck(self) -> Deck:
        """The deck of this session."""
        assert self.table is not None
        return self.table.info.settings.deck

    def _draw_round_line(self) -> None:
        table = self.table
        line = self.query_one("#poker-round", Static)
        if table is None or table.round is None or not table.info.open:
            line.update("")
            return
        round_ = table.round
        parts = [Text(f"Round {round_.number}", style="bold")]
        voters = len(table.voters)
        if round_.revealed:
            parts.append(Text("cards turned", style="bold green"))
        else:
            parts.append(Text(f"{table.voted_count} of {voters} voted", style="bold"))
        left = seconds_left(round_.timer_started_at, round_.timer_seconds, poker.now())
        if left is not None and not round_.revealed:
            parts.append(
                Text(f"⏱ {format_clock(left)}", style="bold red" if left <= 0 else "bold")
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
        line.update(Text("  ·  ").join(parts))

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
        self.query_one("#poker-status", Static).update(Text("  ·  ").join(parts))

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

    # --- acting ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Facilitator's keys show only on the facilitator's terminal, and nothing on an ended one."""
        if super().check_action(action, parameters) is False:
            return False
        table = self.table
        if action in FACILITATOR_ACTIONS:
            if table is None or not table.info.open or not table.facilitating:
                return False
            if action == "reorder":
                return self.focused is self.query_one(PokerQueue)
            return True
        if action in ("notes", "confidence", "withdraw", "menu"):
            return table is not None and table.info.open
        return True

    def _current_item_id(self) -> int | None:
        return self.table.info.current_item_id if self.table else None

    def on_deck_bar_played(self, event: DeckBar.Played) -> None:
        event.stop()
        if self.table is None or self.table.round is None:
            return
        if self.table.round.revealed and not self.table.facilitating:
            self.notify("The cards are turned; wait for a re-vote", severity="warning")
            return
        self._act(
            partial(poker.vote, self.session, self.session_id, event.card, self.confidence), ""
        )

    def action_confidence(self) -> None:
        """Cycle how sure my card is; a card already played is played again with it."""
        self.confidence = _NEXT_CONFIDENCE[self.confidence]
        table = self.table
        mine = table.my_vote.card if table and table.my_vote else None
        if mine and table and table.round and not table.round.revealed:
            self._act(partial(poker.vote, self.session, self.session_id, mine, self.confidence), "")
        self.notify(f"Your card: {self.confidence.value}", timeout=2)
        if table is not None:
            self._draw_status(table)

    def action_withdraw(self) -> None:
        self._act(partial(poker.withdraw, self.session, self.session_id), "Card taken back")

    def action_reveal(self) -> None:
        self._act(partial(poker.reveal, self.session, self.session_id), "")

    def action_revote(self) -> None:
        self._act(partial(poker.revote, self.session, self.session_id), "New round: vote again")

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
        if queue.highlighted is None or self.table is None:
            return
        entry = self.table.queue[queue.highlighted]
        queue.highlighted = max(0, min(len(self.table.queue) - 1, queue.highlighted + steps))
        self._act(partial(poker.move, self.session, self.session_id, entry.item_id, steps), "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a queue item: the facilitator takes it up now."""
        event.stop()
        if self.table is None or not self.table.facilitating or not self.table.info.open:
            self.notify("Only the facilitator chooses the item", severity="warning")
            return
        item_id = int(event.option.id or 0)
        self._act(partial(poker.go_to, self.session, self.session_id, item_id), "")
        self.remove_class("-queue")
        self.query_one(DeckBar).focus()

    def action_accept(self) -> None:
        from planner_tui.screens.poker_modals import AcceptModal

        table = self.table
        if table is None or table.item is None:
            return
        blocker = next((risk for risk in table.item.risks if risk.blocking), None)
        if blocker is not None:  # say it now, before a rationale is typed for nothing
            from planner_tui.domain.risk import blocked_message

            doing = f"give {table.item.key} a final estimate"
            message = blocked_message(doing, table.item.key, blocker.id, blocker.title)
            self.notify(message + " (escape, then 5)", severity="warning", timeout=10)
            return
        stats = table.round.stats if table.round else None
        self.app.push_screen(
            AcceptModal(table.item.key, self.deck, stats.suggestion if stats else None),
            self._accepted,
        )

    def _accepted(self, answer: Acceptance | None) -> None:
        if answer is not None:
            self._act(
                partial(
                    poker.accept,
                    self.session,
                    self.session_id,
                    answer.card,
                    answer.points,
                    answer.rationale,
                ),
                f"Estimate {answer.card} ({answer.estimate:g} pts) written to the item",
            )

    def action_raise_risk(self) -> None:
        from planner_tui.screens.risks import raise_risk_from

        item = self.table.item if self.table is not None else None
        raise_risk_from(self.app, item.key if item is not None else "")

    def action_notes(self) -> None:
        from planner_tui.screens.poker_modals import NotesModal

        table = self.table
        if table is None or table.item is None:
            return
        item = table.item
        self.app.push_screen(
            NotesModal(item.key, item.notes), partial(self._save_notes, item.item_id)
        )

    def _save_notes(self, item_id: int, notes: str | None) -> None:
        if notes is not None:
            self._act(
                partial(poker.set_notes, self.session, self.session_id, item_id, notes),
                "Notes kept",
            )

    def action_enter_for(self) -> None:
        from planner_tui.screens.poker_modals import EnterVoteModal

        table = self.table
        if table is None or table.round is None:
            return
        voted = {vote.voter.casefold() for vote in table.round.votes}
        waiting = [name for name in table.voters if name.casefold() not in voted]
        people = [person.name for person in table.people]
        self.app.push_screen(EnterVoteModal(people, waiting, self.deck), self._entered_for)

    def _entered_for(self, answer: CardFor | None) -> None:
        if answer is not None:
            self._act(
                partial(
                    poker.vote, self.session, self.session_id, answer.card, voter=answer.person
                ),
                f"Card entered for {answer.person}",
            )

    def action_add_item(self) -> None:
        from planner_tui.screens.poker_modals import AddItemsModal

        self.app.push_screen(AddItemsModal(partial(poker.find_items, self.session)), self._add_item)

    def _add_item(self, item_id: int | None) -> None:
        if item_id:
            self._act(
                partial(poker.add_items, self.session, self.session_id, [item_id]),
                lambda added: (
                    "Added to the end of the queue"
                    if added
                    else "That item is already in the queue"
                ),
            )

    def action_menu(self) -> None:
        from planner_tui.screens.poker_modals import SessionMenu

        table = self.table
        if table is None:
            return
        self.app.push_screen(
            SessionMenu(
                facilitating=table.facilitating,
                auto_reveal=table.info.settings.auto_reveal,
                watching=table.my_role is PokerRole.SPECTATOR,
                facilitator_away=not any(
                    person.here
                    for person in table.people
                    if person.name.casefold() == (table.info.facilitator or "").casefold()
                ),
            ),
            self._menu_chosen,
        )

    def _menu_chosen(self, choice: MenuChoice | None) -> None:
        if choice is None or self.table is None:
            return
        table, sid, session = self.table, self.session_id, self.session
        settings = table.info.settings
        if choice.action == "role":
            role = PokerRole.VOTER if table.my_role is PokerRole.SPECTATOR else PokerRole.SPECTATOR
            self._act(
                partial(poker.join, session, sid, role),
                f"You {'vote' if role is PokerRole.VOTER else 'watch'} now",
            )
        elif choice.action in ("add_voter", "add_spectator"):
            role = PokerRole.VOTER if choice.action == "add_voter" else PokerRole.SPECTATOR
            self._act(
                partial(poker.add_person, session, sid, choice.text, role),
                f"{choice.text} joins as a {role.value}",
            )
        elif choice.action == "take_over":
            self._act(partial(poker.take_over, session, sid), "You facilitate now")
        elif choice.action == "hand_over":
            self._act(
                partial(poker.hand_over, session, sid, choice.text),
                f"{choice.text} facilitates now",
            )
        elif choice.action == "auto_reveal":
            changed = settings.model_copy(update={"auto_reveal": not settings.auto_reveal})
            self._act(partial(poker.update_settings, session, sid, changed), "")
        elif choice.action == "timer":
            self._set_default_timer(choice.text)
        elif choice.action == "end":
            from planner_tui.screens.modal import ConfirmModal

            self.app.push_screen(
                ConfirmModal("End this session? Its summary is kept; nothing more can change."),
                self._end,
            )

    def _set_default_timer(self, text: str) -> None:
        from pydantic import ValidationError

        assert self.table is not None
        try:
            changed = self.table.info.settings.model_copy(update={"timer_seconds": int(text)})
            changed = type(changed).model_validate(changed.model_dump())
        except (ValueError, ValidationError):
            self.notify("A timer is 0 to 3600 seconds", severity="warning")
            return
        self._act(
            partial(poker.update_settings, self.session, self.session_id, changed),
            "Timer set for the next items",
        )

    def _end(self, sure: bool | None) -> None:
        if sure:
            self._act(
                partial(poker.end, self.session, self.session_id), "Session ended; summary kept"
            )

    def action_queue(self) -> None:
        queue = self.query_one(PokerQueue)
        if self.has_class("-narrow"):
            self.toggle_class("-queue")
        showing = self.has_class("-queue") or not self.has_class("-narrow")
        if showing and not queue.has_focus:
            queue.focus()
        else:
            self.remove_class("-queue")
            self.query_one(DeckBar).focus()

    def action_back(self) -> None:
        if self.has_class("-queue"):
            self.action_queue()
            return
        self.dismiss()
