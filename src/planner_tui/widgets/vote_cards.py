"""The table of cards: one card per voter, face down until the reveal, big enough for a room.

Drawn from a `PokerTable` the service made for this viewer, so a face-down card
here is face down because its value never reached this process.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from planner_tui.domain.enums import Confidence
from planner_tui.domain.estimation import PokerTable, VoteView
from planner_tui.domain.text import one_line
from planner_tui.widgets.text_panel import DrawnLines

CARD_WIDTH = 11
"""Columns one card takes, its gap included."""
CARD_LINES = 6

_CONFIDENCE_MARK = {Confidence.UNSURE: "unsure", Confidence.SURE: "sure"}

_BIG = {
    "0": ("█▀█", "█ █", "▀▀▀"),
    "1": ("▀█ ", " █ ", "▀▀▀"),
    "2": ("▀▀█", "█▀▀", "▀▀▀"),
    "3": ("▀▀█", " ▀█", "▀▀▀"),
    "4": ("█ █", "▀▀█", "  ▀"),
    "5": ("█▀▀", "▀▀█", "▀▀▀"),
    "6": ("█▀▀", "█▀█", "▀▀▀"),
    "7": ("▀▀█", "  █", "  ▀"),
    "8": ("█▀█", "█▀█", "▀▀▀"),
    "9": ("█▀█", "▀▀█", "▀▀▀"),
    "?": ("▀▀█", " █▀", " ▀ "),
}
"""Three-line figures, so turned number cards read from the back of a room."""


def big_face(face: str, width: int) -> list[str] | None:
    """`face` as three lines of block figures, or None if it has other characters or is too wide."""
    if not face or any(char not in _BIG for char in face):
        return None
    lines = [" ".join(_BIG[char][row] for char in face) for row in range(3)]
    return lines if len(lines[0]) <= width else None


def _center(text: str, width: int, fill: str = " ") -> str:
    """`text` centred in `width` terminal cells (an emoji takes two)."""
    if cell_len(text) > width:
        return set_cell_size(text, width)
    room = width - cell_len(text)
    return fill * (room // 2) + text + fill * (room - room // 2)


def _card_lines(
    face: str, name: str, *, style: str, fill: str = " ", note: str = ""
) -> list[tuple[str, str]]:
    """The six lines of one card: a box with `face` in the middle, the voter's name under it."""
    inner = CARD_WIDTH - 3
    middle = _center(one_line(face), inner) if face else fill * inner
    return [
        ("╭" + "─" * inner + "╮", style),
        ("│" + fill * inner + "│", style),
        ("│" + middle + "│", style),
        ("│" + fill * inner + "│", style),
        ("╰" + "─" * inner + "╯", style),
        (_center(one_line(name, CARD_WIDTH - 1), CARD_WIDTH - 1), "bold" if not note else "italic"),
    ]


Line = tuple[tuple[str, str], ...]
"""One line of the table: pieces of text, each with its style."""


@lru_cache(maxsize=256)
def _shelf(cards: tuple[tuple[tuple[str, str], ...], ...]) -> tuple[Line, ...]:
    """A row of cards side by side, a line each. Kept: a vote turns one card, and the
    other shelves of a 50-voter table are the same as last time (callers never change them)."""
    return tuple(
        tuple(
            piece
            for card in cards
            for piece in (card[line], (" " * (CARD_WIDTH - cell_len(card[line][0])), ""))
        )
        for line in range(CARD_LINES)
    )


def cards_lines(table: PokerTable, width: int) -> list[Line]:
    """Every voter's card (and the spectators' names), wrapped to `width` columns, a line each."""
    round_ = table.round
    votes: dict[str, VoteView] = (
        {vote.voter.casefold(): vote for vote in round_.votes} if round_ else {}
    )
    revealed = bool(round_ and round_.revealed)
    names = list(table.voters)
    # cards entered for people who are not voters (yet) still show
    names += [vote.voter for vote in (round_.votes if round_ else ()) if vote.voter not in names]
    cards: list[list[tuple[str, str]]] = []
    for name in names:
        vote = votes.get(name.casefold())
        if vote is None:
            lines = _card_lines("", name, style="dim", fill="·" if not revealed else " ")
            word = "no vote" if revealed else "waiting"
            lines[2] = ("│" + word.center(CARD_WIDTH - 3) + "│", "dim")
        elif vote.card is None:
            lines = _card_lines("", name, style="bold", fill="░")
            lines[2] = ("│" + "voted".center(CARD_WIDTH - 3, "░") + "│", "bold")
        else:
            mine = name.casefold() == table.viewer.casefold()
            style = "bold" if revealed else "bold italic"
            lines = _card_lines(vote.card, name, style=style)
            figures = big_face(vote.card, CARD_WIDTH - 3) if revealed else None
            if figures is not None:
                for row, figure in enumerate(figures, start=1):
                    lines[row] = ("│" + figure.center(CARD_WIDTH - 3) + "│", style)
            if mine and not revealed:
                lines[5] = ("you".center(CARD_WIDTH - 1), "italic")
        if vote is not None and vote.confidence in _CONFIDENCE_MARK and vote.card is not None:
            lines[4] = (
                "╰" + _CONFIDENCE_MARK[vote.confidence].center(CARD_WIDTH - 3, "─") + "╯",
                lines[4][1],
            )
        cards.append(lines)
    per_row = max(1, width // CARD_WIDTH)
    out: list[Line] = []
    if not cards:
        out.append((("Nobody votes yet: press a card to vote, or m to add people.", "dim"),))
    for start in range(0, len(cards), per_row):
        out += _shelf(tuple(tuple(card) for card in cards[start : start + per_row]))
    watchers = [p.name for p in table.people if p.role.value == "spectator"]
    if watchers:
        out.append(
            (("watching: ", "dim"), (one_line(", ".join(watchers), max(width - 10, 10)), ""))
        )
    return out


class VoteCards(DrawnLines[Line]):
    """The cards on the table for the current round, drawn a line at a time: a card turning
    draws its own lines again, not the other 49 (rendering every card took a vote's
    frame 10 ms). A line is drawn from its pieces, not through a `Text`: a reveal turns
    every card, and through `Text` its lines took 1 ms more to draw."""

    DEFAULT_CSS = """
    VoteCards {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.table: PokerTable | None = None
        self._made: tuple[int, list[Line]] | None = None
        """The lines as last made, and for which width."""

    def _lines(self, width: int) -> list[Line]:
        width = max(width, CARD_WIDTH)
        if self.table is None:
            return []
        if self._made is None or self._made[0] != width:
            self._made = (width, cards_lines(self.table, width))
        return self._made[1]

    def _strip(self, line: Line, width: int, base: Style) -> Strip:
        segments = [
            Segment(text, base + Style.parse(style) if style else base) for text, style in line
        ]
        room = width - sum(cell_len(text) for text, _ in line)
        if room < 0:
            return Strip(segments).crop(0, width)
        segments.append(Segment(" " * room, base))
        return Strip(segments, width)

    def show(self, table: PokerTable) -> None:
        """Draw `table`'s current round; nothing is drawn if the cards look the same (a
        teammate's vote on another item, someone coming or going)."""
        shown = self._made
        self.table, self._made = table, None
        if shown is None:
            self._redraw([], self._lines(self.content_size.width) if self.is_mounted else [])
            return
        self._redraw(shown[1], self._lines(shown[0]))

    def render(self) -> Text:
        """The cards as one text (what the lines draw)."""
        lines = self._lines(self.content_size.width)
        return Text("\n", end="").join(Text.assemble(*line, end="") for line in lines)
