"""A burn-down of a sprint drawn in text: points left per day, the ideal line, scope added."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from planner_tui.domain.sprint import BurnDown, show_points

_EIGHTHS = " ▁▂▃▄▅▆▇█"


class BurnDownChart(Widget):
    """Bars of the points left at the end of each working day, under the ideal line."""

    DEFAULT_CSS = """
    BurnDownChart { height: 1fr; min-height: 6; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.burn: BurnDown | None = None

    def show(self, burn: BurnDown) -> None:
        """Draw `burn`."""
        self.burn = burn
        self.refresh()

    def render(self) -> Text:
        burn = self.burn
        if burn is None or not burn.days:
            return Text("No sprint.", style="dim")
        return chart(burn, self.size.width, self.size.height)


def chart(burn: BurnDown, width: int, height: int) -> Text:
    """The burn-down in `width` x `height` cells: a title line, the plot, a day axis."""
    known = [value for value in burn.remaining if value is not None]
    scopes = [value for value in burn.scope if value is not None]
    rows = max(height - 2, 2)
    highest = max([*scopes, *burn.ideal, 1.0])
    # The tallest bar fills the rows below the top one exactly, so the top row stays free
    # for ▲ (with (rows + 1) / rows, a bar as tall as the scope crept into it).
    top = highest * rows / (rows - 1)
    label_width = len(show_points(highest)) + 1
    days = len(burn.days)
    column = max(min((width - label_width) // max(days, 1), 4), 1)
    shown_days = min(days, max((width - label_width) // column, 1))
    text = Text(no_wrap=True, overflow="crop", end="")
    left = f"{show_points(known[-1])} left" if known else "not started"
    text.append("Burn-down ", style="bold")
    text.append(left)
    legend = Text.assemble(
        "  ", ("█ left ", "cyan"), ("· ideal ", "yellow"), ("▲ scope added", "magenta")
    )
    if text.cell_len + legend.cell_len <= width:
        text.append_text(legend)
    for row in range(rows, 0, -1):
        text.append("\n")
        floor = (row - 1) / rows * top
        label = show_points(highest) if row == rows - 1 else ("0" if row == 1 else "")
        text.append(label.rjust(label_width - 1) + "┤", style="dim")
        for index in range(shown_days):
            left_points = burn.remaining[index]
            ideal = burn.ideal[index]
            grew = index < len(burn.added) and burn.added[index] > 0
            cell = " "
            style = ""
            if left_points is not None and left_points > floor:
                fraction = min((left_points - floor) / top * rows, 1)
                cell, style = _EIGHTHS[max(round(fraction * 8), 1)], "cyan"
            elif grew and left_points is not None and floor - top / rows < left_points <= floor:
                cell, style = "▲", "bold magenta"  # just above the day's bar
            if floor <= ideal < floor + top / rows and cell in (" ",):
                cell, style = "·", "yellow"
            text.append(cell * (column - 1 or 1), style=style)
            if column > 1:
                text.append(" ")
    text.append("\n" + " " * (label_width - 1) + "└")
    text.append(_axis(burn, shown_days, column), style="dim")
    return text


def _axis(burn: BurnDown, shown_days: int, column: int) -> str:
    """Day numbers under their columns, as many as fit with a space between them."""
    cells = [" "] * (shown_days * column)
    free_from = 0
    for index, day in enumerate(burn.days[:shown_days]):
        at = index * column
        label = day.strftime("%d")
        if at >= free_from and at + len(label) <= len(cells):
            cells[at : at + len(label)] = label
            free_from = at + len(label) + 1
    return "".join(cells)
