"""The viewer's hand: the deck's cards in a row, one under the cursor, the played one marked."""

from __future__ import annotations

import time

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from planner_tui.domain.text import one_line
from planner_tui.widgets.read_only import ReadOnlyAware

TYPE_AHEAD_SECONDS = 1.0
"""Digits typed within this long of each other spell one card (`2` `1` is 21)."""


class DeckBar(ReadOnlyAware, Widget, can_focus=True):
    """Pick a card with ←/→ (or its first character) and play it with enter or space."""

    WRITE_ACTIONS = frozenset({"play"})

    DEFAULT_CSS = """
    DeckBar {
        height: 2;
        padding: 0 1;
    }
    DeckBar:focus {
        background: $boost;
    }
    """

    BINDINGS = [
        Binding(
            "left",
            "step(-1)",
            "Card",
            id="deck.left",
            show=False,
            tooltip="Previous card (or type a number card: 5, 13, 21)",
        ),
        Binding("right", "step(1)", "Card", id="deck.right", show=False, tooltip="Next card"),
        Binding(
            "enter,space", "play", "Vote", id="deck.play", tooltip="Play the card under the cursor"
        ),
        *(Binding(digit, f"digit('{digit}')", show=False, system=True) for digit in "0123456789"),
    ]

    class Played(Message):
        """The viewer played `card`."""

        def __init__(self, card: str) -> None:
            super().__init__()
            self.card = card

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cards: tuple[str, ...] = ()
        self.played: str | None = None
        self.cursor = 0
        self.locked = False
        """After the reveal nobody but the facilitator plays; the bar shows that."""
        self._boxes: list[tuple[int, int]] = []
        self._typed = ""
        self._typed_at = 0.0

    def show(self, cards: tuple[str, ...], played: str | None, *, locked: bool) -> None:
        """Lay out `cards`; `played` is the viewer's card in this round, if any."""
        if cards != self.cards:
            self.cursor = (
                cards.index(played) if played in cards else min(self.cursor, len(cards) - 1)
            )
        if (cards, played, locked) != (self.cards, self.played, self.locked):
            self.cards, self.played, self.locked = cards, played, locked
            self.refresh()

    @property
    def current(self) -> str | None:
        """The card under the cursor."""
        return self.cards[self.cursor] if self.cards else None

    def render(self) -> Text:
        cards, marks = Text(end=""), Text(end="")
        self._boxes = []
        for index, card in enumerate(self.cards):
            under_cursor = index == self.cursor and self.has_focus and not self.locked
            if under_cursor:
                style = "reverse bold"
            elif card == self.played:
                style = "bold underline"
            else:
                style = "dim" if self.locked else "bold"
            start = cards.cell_len
            cards.append(" ")
            cards.append(f" {one_line(card)} ", style=style)  # a custom deck's labels are typed
            self._boxes.append((start, cards.cell_len))
            mark = "▲" if card == self.played else ""
            marks.append(mark.center(cards.cell_len - start)[: cards.cell_len - start])
        if self.locked:
            cards.append("   cards are turned", style="dim")
        elif self.has_focus:
            cards.append("   ← → enter", style="dim")
        return Text("\n").join([cards, marks])

    def action_step(self, steps: int) -> None:
        if self.cards:
            self.cursor = (self.cursor + steps) % len(self.cards)
            self.refresh()

    def action_play(self) -> None:
        # (a card played ends what the digits spell: `5`, enter, then `2` is 2, not 21 —
        # the 5 under the cursor and "52" spelling no card sent it on to the 21)
        self._typed = ""
        if self.current is not None:
            self.post_message(self.Played(self.current))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "digit" and self.locked:
            return False  # the digit goes on to the screen's and the app's keys
        return super().check_action(action, parameters)

    def action_digit(self, char: str) -> None:
        """Digits pick a number card: `2` `1` is 21; `1` `1` (no card 11) moves on to 13.

        They are bindings, not a key handler: a binding runs when the key reaches the app,
        in the order keys were typed, so a digit typed right after a dialog's key (`a`
        then `5`) goes into the dialog rather than to the hand under it.
        """
        now = time.monotonic()
        typed = self._typed + char if now - self._typed_at < TYPE_AHEAD_SECONDS else char
        self._typed_at = now
        starting = [i for i, card in enumerate(self.cards) if card.startswith(typed)]
        if starting:
            self._typed = typed
            self.cursor = starting[0]
        else:  # no card begins so: the next card after the cursor that begins with this digit
            self._typed = char
            matches = [i for i, card in enumerate(self.cards) if card.startswith(char)]
            if matches:
                later = [i for i in matches if i > self.cursor]
                self.cursor = (later or matches)[0]
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for index, (start, end) in enumerate(self._boxes):
            if start <= event.x - 1 < end:
                self.cursor = index
                self.refresh()
                self.action_play()
                return

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
