"""One column of a retro board, and the lines its cards, themes and actions are drawn with."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial

from rich.text import Text

from planner_tui.domain.retro import (
    ActionView,
    CardView,
    ColumnView,
    ReviewEntry,
    ThemeView,
    theme_with_my_dots,
    with_my_dots,
)
from planner_tui.domain.text import one_line, visible
from planner_tui.services.retro_view import CardPages
from planner_tui.widgets.card_list import CardList, Entry, LazyEntries


def _dots(votes: int | None, mine: int, *, presenting: bool = False) -> Text:
    text = Text()
    if votes:
        text.append(f"  ●{votes}", style="bold yellow")
    if mine and not presenting:  # where my dots went is mine, not the room's
        text.append(f"  you {'•' * mine}", style="italic")
    return text


def card_text(card: CardView, presenting: str = "") -> Text:
    """A card: its text (wrapped by the list), who wrote it where that shows, and its dots.
    `presenting`: "" (my own screen), or "shown" / "hidden" (the room's, after or before
    the reveal: nothing marks my cards or dots)."""
    text = Text(visible(card.text))
    if card.author:
        text.append(f"  — {one_line(card.author, 20)}", style="dim")
    if card.mine and not presenting:
        text.append("  (yours)", style="dim italic")
    text.append_text(_dots(card.votes, card.my_votes, presenting=bool(presenting)))
    if card.notes:
        text.append("\nnotes: ", style="dim")
        text.append(one_line(card.notes, 300), style="italic")
    return text


def theme_text(theme: ThemeView, presenting: str = "") -> Text:
    """A theme's heading: title, size, dots, and its notes."""
    text = Text("▌", style="bold yellow")
    text.append(one_line(theme.title, 200), style="bold")
    size = len(theme.cards)
    text.append(f"  {size} card{'s' if size != 1 else ''}", style="dim")
    text.append_text(_dots(theme.votes, theme.my_votes, presenting=bool(presenting)))
    if theme.notes:
        text.append("\n  notes: ", style="dim")
        text.append(one_line(theme.notes, 300), style="italic")
    return text


def action_text(action: ActionView, today: date) -> Text:
    """An agreed action: text, owner, due date (red when overdue), status."""
    text = Text(visible(action.text))
    text.append(f"\n  {one_line(action.owner or 'no owner', 20)}", style="dim")
    if action.due_date:
        overdue = action.overdue(today)
        text.append(f" · due {action.due_date.isoformat()}", style="bold red" if overdue else "dim")
    if action.status.value != "open":
        text.append(f" · {action.status.value}", style="dim")
    if action.prompted_by:
        text.append(f"\n  from: {one_line(action.prompted_by, 60)}", style="dim italic")
    return text


def review_text(entry: ReviewEntry, today: date) -> Text:
    """An earlier action on the review list, with what was decided."""
    marks = {"done": ("✓ done", "green"), "carried over": ("→ carried over", "yellow")}
    mark, style = marks.get(entry.decision.value if entry.decision else "", ("✗ dropped", "dim"))
    text = Text()
    if entry.decision is None:
        text.append("? ", style="bold")
    text.append(one_line(entry.text, 300), style="bold" if entry.decision is None else "")
    details = [entry.owner or "no owner"]
    if entry.due_date:
        details.append(f"due {entry.due_date.isoformat()}")
    if entry.origin:
        details.append(f"from {entry.origin}")
    text.append("\n  " + one_line(" · ".join(details), 200), style="dim")
    if entry.due_date and entry.due_date < today and entry.decision is None:
        text.append("  overdue", style="bold red")
    if entry.decision is not None:
        text.append(f"\n  {mark}", style=style)
        text.append(f" by {one_line(entry.decided_by or '?', 20)}", style="dim")
        if entry.note:
            text.append(f": {one_line(entry.note, 100)}", style="dim italic")
    return text


class RetroColumn(CardList):
    """The cards of one column, themes first with their cards under them; ↑ ↓ move."""

    def __init__(self, name: str, index: int) -> None:
        super().__init__(id=f"retro-col-{index}", classes="retro-list")
        self.column_name = name
        self.index = index

    def show(
        self,
        column: ColumnView,
        pages: CardPages,
        *,
        hidden_note: str = "",
        my_dots: Mapping[str, int] | None = None,
        presenting: str = "",
    ) -> None:
        """Draw the column afresh, keeping the highlighted card where it is still on the board.
        A card's text is made only when it is drawn; loose cards past those read with the
        board are read from `pages` then. `my_dots`: my dots on cards and themes (by entry
        id) put or taken back but not read back yet."""
        dots = my_dots or {}
        dotted = {int(entry.partition(":")[2]) for entry in dots if entry.startswith("card:")}
        head: list[Entry] = []
        for theme in column.themes:  # (a view is its own key: unchanged, it is not redrawn)
            mine = dots.get(f"theme:{theme.id}")
            if mine is not None or any(card.id in dotted for card in theme.cards):
                on_cards = {c.id: dots[f"card:{c.id}"] for c in theme.cards if c.id in dotted}
                theme = theme_with_my_dots(theme, mine, on_cards)
            head.append(
                Entry(
                    f"theme:{theme.id}",
                    partial(theme_text, theme, presenting),
                    key=(theme, presenting),
                )
            )
            for card in theme.cards:  # indented under the theme, wrapped lines too
                head.append(
                    Entry(
                        f"card:{card.id}",
                        partial(card_text, card, presenting),
                        indent=3,
                        joined=True,
                        key=(card, presenting),
                    )
                )
        cards, first, name = column.cards, len(head), column.name  # (the first loose cards)
        # On the room's screen before the reveal my own cards are not drawn apart from the
        # others' (that alone would say who wrote them): the note counts them all.
        loose = 0 if presenting == "hidden" else column.loose

        def make(index: int) -> Entry:
            if index < first:
                return head[index]
            if index - first < loose:
                card = pages.at(name, index - first)
                if card is None:  # the board changed since it was read: the next read shows it
                    return Entry(None, partial(Text, "…", style="dim"))
                if f"card:{card.id}" in dots:
                    card = with_my_dots(card, dots[f"card:{card.id}"])
                return Entry(
                    f"card:{card.id}", partial(card_text, card, presenting), key=(card, presenting)
                )
            return Entry(None, partial(Text, hidden_note, style="dim italic"))

        def find(option_id: str) -> int | None:
            found = next((n for n, entry in enumerate(head) if entry.id == option_id), None)
            kind, _, number = option_id.partition(":")
            if found is None and kind == "card" and number.isdigit():
                wanted = int(number)
                found = next((n for n, c in enumerate(cards) if c.id == wanted), None)
                if found is None and column.loose > len(cards):
                    found = pages.position(name, wanted)
                found = None if found is None else first + found
            return found

        count = first + loose + (1 if hidden_note else 0)
        self.set_entries(LazyEntries(count, make, find), self.highlighted_id)

    def set_rows(self, entries: list[Entry], keep: str | None) -> None:
        """Show `entries` (actions, earlier actions), the cursor on `keep` if still there."""
        self.set_entries(entries, keep)
