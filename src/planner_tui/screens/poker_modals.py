"""The Estimation screens' modals. Each returns what was typed or chosen and saves nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, OptionList, TextArea
from textual.widgets.option_list import Option

from planner_tui.domain.poker import CARD_WORDS, Deck, parse_cards
from planner_tui.domain.text import NAME_RULE, is_name, one_line
from planner_tui.screens.modal import Modal, whole
from planner_tui.widgets.presenter import PRESENT_LABEL
from planner_tui.widgets.tick_box import TickBox
from planner_tui.widgets.user_text import StoredInput, StoredTextArea


@dataclass(frozen=True)
class PokerStart:
    """What the facilitator chose for a new session."""

    title: str
    deck: Deck
    save_deck: bool
    unestimated: int
    """How many unestimated items to queue from the top of the backlog (when none were picked)."""
    auto_reveal: bool
    timer_seconds: int
    facilitator_votes: bool
    voters: tuple[str, ...] = ()
    """People in the room to vote from this screen; teammates with a terminal join themselves."""
    present: bool = False
    """The facilitator's screen is the room's: the session opens in the presenter view."""


class StartPokerModal(Modal[PokerStart]):
    """Title, deck, items, auto-reveal, timer, and whether the facilitator votes."""

    BINDINGS = [
        *Modal.BINDINGS,
        # enter starts from any field, a ticked box included (space ticks it)
        Binding("enter", "submit", "Start", id="poker_start.submit", priority=True),
    ]

    def __init__(self, decks: list[Deck], title: str, picked: int) -> None:
        super().__init__()
        self._decks = decks
        self._title = title
        self._picked = picked

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            box.border_title = "Start an estimation session"
            box.border_subtitle = "enter starts · space ticks a box · escape cancels"
            yield Label("Title")
            yield StoredInput(self._title, id="start-title")
            yield Label("Deck (↑ ↓)")
            yield OptionList(
                *(
                    Option(Text(one_line(f"{deck.name}: {' '.join(deck.cards)}")), id=str(index))
                    for index, deck in enumerate(self._decks)
                ),
                id="start-deck",
            )
            yield Input(
                placeholder="or a deck of your own, e.g. Hours: 1 2 4 8 16 ?", id="start-custom"
            )
            if self._picked:
                yield Label(f"Items: the {self._picked} picked in the backlog")
            else:
                yield Label("Items: how many unestimated, from the top of the backlog")
                yield Input("10", id="start-count", type="integer")
            yield Label("Voters in the room without a terminal (names, commas)")
            yield Input(id="start-voters", placeholder="e.g. lena, raj, sam")
            yield Label("Timer per item, in seconds (0: none)")
            yield Input("120", id="start-timer", type="integer")
            yield TickBox("Reveal when everyone has voted", True, id="start-auto")
            yield TickBox("I vote too (off: I facilitate and watch)", True, id="start-votes")
            yield TickBox(PRESENT_LABEL, False, id="start-present")
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        self.query_one("#start-deck", OptionList).highlighted = 0
        self.query_one("#start-title", Input).focus()

    def action_submit(self) -> None:
        from pydantic import ValidationError

        title = self.query_one("#start-title", StoredInput).stored_value.strip()
        if not title:
            self._error("A title is needed.")
            return
        custom = self.query_one("#start-custom", Input).value.strip()
        try:
            if custom:
                name, colon, cards = custom.partition(":")
                if not colon:
                    name, cards = "Custom", custom
                deck = Deck(name=name.strip() or "Custom", cards=parse_cards(cards))
            else:
                index = self.query_one("#start-deck", OptionList).highlighted or 0
                deck = self._decks[index]
        except ValidationError as error:
            self._error("Deck: " + str(error.errors()[0]["msg"]).removeprefix("Value error, "))
            return
        count = 0
        if not self._picked:
            typed = whole(self.query_one("#start-count", Input).value)
            if typed is None or not 1 <= typed <= 500:
                self._error("Items: a number from 1 to 500.")
                return
            count = typed
        voters = tuple(
            name.strip()
            for name in self.query_one("#start-voters", Input).value.split(",")
            if name.strip()
        )
        wrong = next((name for name in voters if not is_name(name)), None)
        if wrong is not None:
            self._error(f"People: {one_line(wrong)!r}: {NAME_RULE} (names apart by commas).")
            return
        timer = whole(self.query_one("#start-timer", Input).value)
        if timer is None or not 0 <= timer <= 3600:
            self._error("Timer: 0 to 3600 seconds.")
            return
        self.dismiss(
            PokerStart(
                title=title,
                deck=deck,
                save_deck=bool(custom),
                unestimated=count,
                auto_reveal=self.query_one("#start-auto", Checkbox).value,
                timer_seconds=timer,
                facilitator_votes=self.query_one("#start-votes", Checkbox).value,
                voters=voters,
                present=self.query_one("#start-present", Checkbox).value,
            )
        )


@dataclass(frozen=True)
class Acceptance:
    """The agreed card, the points typed (empty: the card's own), and why."""

    card: str
    points: str
    estimate: float
    """The points that will be written: typed, or the card's own."""
    rationale: str


class AcceptModal(Modal[Acceptance]):
    """Agree the final estimate: the suggested card first, changeable, with a rationale."""

    def __init__(self, key: str, deck: Deck, suggestion: str | None) -> None:
        super().__init__()
        self._key = key
        self._deck = deck
        self._suggestion = suggestion or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            box.border_title = Text(
                f"Accept an estimate for {one_line(self._key, 20)}"
            )  # typed text, not markup
            box.border_subtitle = "enter accepts · escape cancels"
            yield Label(Text(one_line(f"Card ({' '.join(self._deck.counting)})")))
            yield StoredInput(self._suggestion, id="accept-card", choices=self._deck.counting)
            yield Label("Points (empty: the card's points)")
            yield Input(id="accept-points", placeholder="e.g. 8")
            yield Label("Why (optional), e.g. OAuth adds security surface")
            yield Input(id="accept-why")
            yield Label("", classes="modal-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        card = self.query_one("#accept-card", StoredInput).stored_value.strip()
        from planner_tui.domain.errors import PlannerError
        from planner_tui.domain.poker import final_estimate

        matching = [c for c in self._deck.cards if c.casefold() == card.casefold()]
        if not matching:
            self._error(f"Choose one of: {one_line(' '.join(self._deck.counting))}")
            return
        points = self.query_one("#accept-points", Input).value.strip()
        try:
            estimate = final_estimate(matching[0], points)
        except PlannerError as error:  # stay open: nothing typed is lost
            self._error(str(error))
            self.query_one("#accept-points", Input).focus()
            return
        self.dismiss(
            Acceptance(
                card=matching[0],
                points=points,
                estimate=estimate,
                rationale=self.query_one("#accept-why", Input).value,
            )
        )


class NotesModal(Modal[str]):
    """The discussion's notes on the item; ctrl+s keeps them."""

    BINDINGS = [
        *Modal.BINDINGS,
        Binding("ctrl+s", "save", "Save", id="poker_notes.save"),
    ]

    def __init__(self, key: str, notes: str) -> None:
        super().__init__()
        self._key = key
        self._notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal tall") as box:
            box.border_title = Text(f"Notes on {one_line(self._key, 20)}")  # typed text, not markup
            box.border_subtitle = "ctrl+s keeps them · escape cancels"
            yield StoredTextArea(self._notes, id="notes-text", soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(StoredTextArea).stored_text)


@dataclass(frozen=True)
class CardFor:
    """A card the facilitator enters for someone in the room."""

    person: str
    card: str


class EnterVoteModal(Modal[CardFor]):
    """Who, and which card: for a room whose people have no terminal of their own."""

    def __init__(self, people: list[str], waiting: list[str], deck: Deck) -> None:
        super().__init__()
        self._people = people
        self._waiting = waiting
        self._deck = deck
        self._new_name = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            box.border_title = "Enter a card for someone"
            box.border_subtitle = "enter saves · escape cancels"
            waiting = ", ".join(self._waiting) or "nobody"
            yield Label(Text(f"Who (still to vote: {one_line(waiting, 50)})"))
            yield StoredInput(
                self._waiting[0] if self._waiting else "", id="for-who", choices=self._people
            )
            words = [
                f"{word[0]}: {card}"
                for card, word in CARD_WORDS.items()
                if card in self._deck.playable
            ]
            hint = f"; or type {', '.join(words)}" if words else ""
            yield Label(Text(one_line(f"Card ({' '.join(self._deck.playable)}{hint})")))
            yield Input(id="for-card")
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        self.query_one("#for-card" if self._waiting else "#for-who", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        who = self.query_one("#for-who", StoredInput).stored_value.strip()
        card = self.query_one("#for-card", Input).value.strip()
        if event.input.id == "for-who" and not card:
            self.query_one("#for-card", Input).focus()
            return
        chosen = self._deck.card_typed(card)
        known = {name.casefold() for name in self._people}
        if not who:
            self._error("Whose card is it?")
        elif chosen is None:
            self._error(f"Choose one of: {one_line(' '.join(self._deck.playable))}")
        elif who.casefold() not in known and not is_name(who):  # (said here, text kept)
            self._error(f"Who: {NAME_RULE}.")
        elif who.casefold() not in known and self._new_name != who.casefold():
            self._new_name = who.casefold()  # a typo must not become a new teammate unasked
            self._error(f"{who} is not in this session yet: enter again adds them as a voter")
        else:
            self.dismiss(CardFor(person=who, card=chosen))


class AddItemsModal(Modal[int]):
    """Find an item by key or title and add it to the queue."""

    def __init__(self, search: Callable[[str], list[tuple[int, str, str, float | None]]]) -> None:
        super().__init__()
        self._search = search

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal tall") as box:
            box.border_title = "Add an item to the queue"
            box.border_subtitle = "type to find · ↓ enter adds · escape cancels"
            yield Input(placeholder="key or words of the title", id="add-find")
            yield OptionList(id="add-found")
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        self._find("")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._find(event.value)

    def _find(self, text: str) -> None:
        from planner_tui.domain.errors import PlannerError

        found = self.query_one(OptionList)
        found.clear_options()
        try:
            rows = self._search(text)
        except PlannerError as error:
            self._error(str(error))
            return
        for item_id, key, title, estimate in rows:
            shown = Text.assemble(
                (key, "bold"),
                " ",
                one_line(title, 60),
                (f"  {estimate:g} pts" if estimate is not None else "  unestimated", "dim"),
            )
            found.add_option(Option(shown, id=str(item_id)))
        if rows:
            found.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        found = self.query_one(OptionList)
        if found.highlighted is not None:
            self.dismiss(int(found.get_option_at_index(found.highlighted).id or 0))
        else:
            self._error("Nothing matches.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))
