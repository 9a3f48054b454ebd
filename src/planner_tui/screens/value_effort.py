"""Value against effort: open estimated items in quick wins, big bets, fill-ins and money pits.

Opened from the backlog with `v`; enter on an item goes back to it in the backlog.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planner_tui.domain.backlog import Quadrant, QuadrantView
from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.titlebar import TitleBar

_MEANING = {
    Quadrant.QUICK_WINS: "high value, low effort: do these first",
    Quadrant.BIG_BETS: "high value, high effort: plan them",
    Quadrant.FILL_INS: "low value, low effort: when there is slack",
    Quadrant.MONEY_PITS: "low value, high effort: question them",
}


class ValueEffortScreen(PlannerScreen[int | None]):
    """Four lists; the screen returns the id of the item chosen, or None."""

    CSS_PATH = str(styles_dir() / "value_effort.tcss")
    BINDINGS = [
        Binding("escape", "close", "Back", id="value_effort.back", tooltip="Back to the backlog"),
        Binding("tab", "app.focus_next", "Next quadrant", id="value_effort.next", show=False),
    ]

    def __init__(self, view: QuadrantView) -> None:
        super().__init__()
        self._view = view

    def compose(self) -> ComposeResult:
        yield TitleBar()
        view = self._view
        yield Static(
            Text.assemble(
                ("Value against effort", "bold"),
                (
                    f"  ·  high value is 6 or more; high effort is above {view.effort_split:g} points "
                    "(the median estimate of open estimated items)",
                    "dim",
                ),
            ),
            id="value-effort-legend",
        )
        with Grid(id="quadrants"):
            for which in (
                Quadrant.QUICK_WINS,
                Quadrant.BIG_BETS,
                Quadrant.FILL_INS,
                Quadrant.MONEY_PITS,
            ):
                options = [
                    Option(
                        Text.assemble(
                            (f"{row.key:<9}", "bold"),
                            f"{row.value:>2} / {row.estimate:<4g} ",
                            one_line(row.title, 80),
                        ),
                        id=str(row.id),
                    )
                    for row in view.items[which]
                ]
                shown = len(options)
                quadrant = OptionList(*options, id=which.name.lower())
                more = f", best {shown} shown" if shown < view.counts[which] else ""
                quadrant.border_title = f"{which.value.capitalize()} ({view.counts[which]}{more})"
                quadrant.border_subtitle = _MEANING[which]
                yield quadrant
        yield KeyBar()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0) or None)

    def action_close(self) -> None:
        self.dismiss(None)
