"""The presenter view of a poker session: for the room's shared screen (P on the table).

Large type for the item, the vote count, the timer and, after the reveal, the
distribution; nothing private (`widgets/presenter.py`); high contrast (the projector
theme while it is shown); the whole screen, whatever its size.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from planner_tui.domain.estimation import PokerTable
from planner_tui.domain.poker import seconds_left
from planner_tui.screens.base import PlannerScreen
from planner_tui.services import poker
from planner_tui.widgets.presenter import presenter_lines

PRESENTER_THEME = "projector"


class PresenterScreen(PlannerScreen[None]):
    """The session as the room should see it; escape (or P) goes back to the table."""

    DEFAULT_CSS = """
    PresenterScreen {
        align: center middle;
    }
    PresenterScreen #presenter-body {
        height: 1fr;
        align: center middle;
    }
    PresenterScreen #presenter {
        width: 100%;
        height: auto;
    }
    """

    BINDINGS = [
        Binding("escape,P", "back", "Table", id="presenter.back", tooltip="Back to the table"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.table: PokerTable | None = None
        self._theme_before = ""

    @property
    def presence_place(self) -> str:
        """Still at the session's table, for the others' "here now"."""
        return poker.place(self.session_id)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="presenter-body"):
            yield Static(id="presenter")

    def on_mount(self) -> None:
        self._theme_before = self.app.theme
        if self.app.theme != PRESENTER_THEME:
            self.app.theme = PRESENTER_THEME
        self.reload()
        self.set_interval(1.0, self._tick, name="presenter clock")

    def on_unmount(self) -> None:
        if self._theme_before and self.app.theme == PRESENTER_THEME:
            self.app.theme = self._theme_before

    def on_resize(self) -> None:
        self._draw()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {"round", "vote", "session", "item", "person", "workspace"}:
            self.reload()

    def reload(self) -> None:
        """Read the table off the UI thread; the latest read is drawn."""
        self._read()

    @work(thread=True, exclusive=True, group="presenter-read")
    def _read(self) -> None:
        table = poker.table(self.session, self.session_id)
        self.app.call_from_thread(self._show, table)

    def _show(self, table: PokerTable) -> None:
        self.table = table
        self._draw()

    def _seconds_left(self) -> int | None:
        round_ = self.table.round if self.table else None
        if round_ is None or round_.revealed:
            return None
        return seconds_left(round_.timer_started_at, round_.timer_seconds, poker.now())

    def _tick(self) -> None:
        if self._seconds_left() is not None:  # only a running timer redraws
            self._draw()

    def _draw(self) -> None:
        if self.table is None or not self.is_mounted:
            return
        lines = presenter_lines(self.table, self._seconds_left(), self.size.width - 2)
        self.query_one("#presenter", Static).update(Text("\n").join(lines))

    def action_back(self) -> None:
        self.dismiss(None)
