"""The help screen: every key of every screen, as currently bound."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from planner_tui.paths import styles_dir

HelpSection = tuple[str, list[tuple[str, str]]]


def help_table(sections: list[HelpSection]) -> Table:
    """A two-column table of keys and what they do, one titled block per section."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for index, (title, rows) in enumerate(sections):
        if index:
            table.add_row("", "")
        table.add_row(Text(title, style="bold underline"), "")
        for key, description in rows:
            table.add_row(Text(key, style="bold"), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """A modal listing the keys; any of escape, q or ? closes it."""

    CSS_PATH = str(styles_dir() / "help.tcss")

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__(id="help")
        self._sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "escape closes"
            yield Static(help_table(self._sections))

    def action_dismiss(self) -> None:  # type: ignore[override]  # the key closes help; it answers nothing
        self.dismiss(None)
