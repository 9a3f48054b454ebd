"""A bar of committed points against capacity, with the reserve drawn at its end."""

from __future__ import annotations

from rich.text import Text

FILLED = "█"
EMPTY = "░"
RESERVE = "▒"


def capacity_bar(committed: float, capacity: float, reserve: float, width: int) -> Text:
    """`width` cells: committed points, then free room, then the reserve; overflow in red.

    The scale is whichever is larger, the capacity or what is committed, so an
    over-committed sprint shows its red tail rather than running off the edge.
    """
    width = max(width, 1)
    scale = max(capacity, committed, 0.1)

    def cells(points: float) -> int:
        return round(max(points, 0) / scale * width)

    plannable = max(capacity - reserve, 0)
    fits = cells(min(committed, plannable))
    into_reserve = cells(min(committed, capacity)) - fits
    over = width - cells(min(committed, capacity)) if committed > capacity else 0
    free = cells(plannable) - fits
    reserve_free = width - fits - into_reserve - over - max(free, 0)
    bar = Text(no_wrap=True, end="")
    bar.append(FILLED * fits, style="green")
    bar.append(FILLED * into_reserve, style="yellow")
    bar.append(FILLED * over, style="bold red")
    bar.append(EMPTY * max(free, 0), style="dim")
    bar.append(RESERVE * max(reserve_free, 0), style="yellow dim")
    return bar
