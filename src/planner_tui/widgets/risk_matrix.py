"""The 5x5 likelihood/impact matrix: how many risks sit in each cell, coloured by severity."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from planner_tui.domain.risk import Severity, risk_score, severity

SEVERITY_STYLE = {
    Severity.LOW: "black on green",
    Severity.MEDIUM: "black on bright_yellow",
    Severity.HIGH: "bold black on dark_orange3",
    Severity.CRITICAL: "bold white on red",
}


class RiskMatrix(Widget, can_focus=True):
    """Impact across, likelihood up; arrows move, enter filters the list by the cell."""

    BINDINGS = [
        Binding("up", "move(1, 0)", "Likelier", show=False),
        Binding("down", "move(-1, 0)", "Less likely", show=False),
        Binding("right", "move(0, 1)", "More impact", show=False),
        Binding("left", "move(0, -1)", "Less impact", show=False),
        Binding("enter,space", "choose", "Filter by cell", show=False),
    ]

    cursor: reactive[tuple[int, int]] = reactive((5, 5))
    """(likelihood, impact) under the cursor."""

    class Chosen(Message):
        """A cell was chosen: show only its risks."""

        def __init__(self, cell: tuple[int, int]) -> None:
            super().__init__()
            self.cell = cell

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: dict[tuple[int, int], int] = {}
        self.chosen: tuple[int, int] | None = None

    def show(self, counts: dict[tuple[int, int], int], chosen: tuple[int, int] | None) -> None:
        """Draw the counts; `chosen` is the cell the list is filtered by, if any."""
        self.counts = counts
        self.chosen = chosen
        self.refresh()

    def render(self) -> Table:
        table = Table.grid(padding=(0, 0))
        table.add_column(width=3)
        for _ in range(5):
            table.add_column(width=5, justify="center")
        for likelihood in range(5, 0, -1):
            cells: list[Text] = [Text(f"L{likelihood} ", style="dim")]
            for impact in range(1, 6):
                count = self.counts.get((likelihood, impact), 0)
                style = SEVERITY_STYLE[severity(risk_score(likelihood, impact))]
                if (likelihood, impact) == self.cursor and self.has_focus:
                    style = "bold reverse"
                mark = "▸" if (likelihood, impact) == self.chosen else " "
                cells.append(Text(f"{mark}{count or '·':>2} ", style=style))
            table.add_row(*cells)
        table.add_row(Text(""), *(Text(f"I{impact}", style="dim") for impact in range(1, 6)))
        return table

    def action_move(self, likelihood: int, impact: int) -> None:
        now_l, now_i = self.cursor
        self.cursor = (min(max(now_l + likelihood, 1), 5), min(max(now_i + impact, 1), 5))

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self.cursor))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
