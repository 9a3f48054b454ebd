"""The poker table for a room's shared screen: large type, nothing private.

Before the reveal no card's value is drawn, the presenter's own included (the table read
for them holds it: it is left unread here), and no one is "you"; only who has voted.
After the reveal: the distribution of the cards, in large figures.
"""

from __future__ import annotations

from collections import Counter

from rich.text import Text

from planner_tui.domain.estimation import PokerTable
from planner_tui.domain.text import one_line
from planner_tui.widgets.vote_cards import big_face

_COLON = (" ", "▀", "▀")

PRESENT_LABEL = "My screen is the room's: open in the presenter view"
"""The session setting that makes the presenter view the facilitator's default."""


def _big(text: str) -> list[str]:
    """Digits (and a colon) as three lines of block figures; plain text if it has others."""
    rows = ["", "", ""]
    for char in text:
        figure = _COLON if char == ":" else (big_face(char, 3) or [char, " ", " "])
        for row in range(3):
            rows[row] += (" " if rows[row] else "") + figure[row]
    return rows


def _centred(lines: list[str], width: int, style: str = "bold") -> list[Text]:
    return [Text(line.center(width)[:width], style=style) for line in lines]


def presenter_lines(table: PokerTable, seconds_left: int | None, width: int) -> list[Text]:
    """What the room sees, centred in `width` columns."""
    width = max(width, 20)
    out: list[Text] = []
    item = table.item
    if item is None or table.round is None:
        return [Text("Waiting for the next item.".center(width), style="bold")]
    title = f"{item.key}  {one_line(item.title)}"
    while title:
        out.append(Text(title[:width].center(width), style="bold"))
        title = title[width:]
    round_ = table.round
    revealed = round_.revealed
    out.append(Text(f"round {round_.number}".center(width), style="dim"))
    out.append(Text(""))
    voted = {vote.voter.casefold() for vote in round_.votes}
    names = list(table.voters)
    if not revealed:
        count = _big(str(len(voted & {n.casefold() for n in names})))
        total = _big(str(len(names)))
        rows = [f"{count[row]}  {'of' if row == 1 else '  '}  {total[row]}" for row in range(3)]
        out += _centred(rows, width)
        out.append(Text("voted".center(width), style="bold"))
        if seconds_left is not None:
            out.append(Text(""))
            minutes, seconds = divmod(max(seconds_left, 0), 60)
            out += _centred(_big(f"{minutes}:{seconds:02d}"), width)
            out.append(Text("left".center(width), style="dim"))
        out.append(Text(""))
        marks = "   ".join(
            f"{'✓' if name.casefold() in voted else '·'} {one_line(name, 16)}" for name in names
        )
        out.append(Text(marks[: width * 3].center(width)))
        return out
    cards = Counter(vote.card for vote in round_.votes if vote.card is not None)
    most = max(cards.values(), default=1)
    bar_room = max(width // 2 - 12, 4)
    for card, many in sorted(cards.items(), key=lambda pair: (-pair[1], pair[0])):
        figure = _big(card) if big_face(card, 12) else [card, "", ""]
        bar = "█" * max(round(many / most * bar_room), 1)
        rows = [
            f"{figure[row]:<12}  {bar if row == 1 else ' ' * len(bar)}  {many if row == 1 else ''}"
            for row in range(3)
        ]
        out += _centred(rows, width)
        out.append(Text(""))
    stats = round_.stats
    if stats is not None and stats.median is not None:
        out.append(Text(f"median {stats.median:g}".center(width), style="bold"))
    return out


__all__ = ["presenter_lines"]
