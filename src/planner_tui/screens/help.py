"""The help screen: every key of every screen, as currently bound."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
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


def help_list(sections: list[HelpSection]) -> Group:
    """The same, for a narrow screen: each key on its own line, what it does below it."""
    lines: list[RenderableType] = []
    for index, (title, rows) in enumerate(sections):
        if index:
            lines.append(Text())
        lines.append(Text(title, style="bold underline"))
        for key, description in rows:
            lines += [Text(key, style="bold"), Padding(Text(description), (0, 0, 0, 2))]
    return Group(*lines)


NARROW = 56
"""Below this width the table's key column (up to 22 cells) leaves its descriptions
a word or two a line: the keys are listed above what they do instead."""


class HelpText:
    """The keys as a table, or as a list when the screen is narrow (decided as drawn)."""

    def __init__(self, sections: list[HelpSection]) -> None:
        self._table = help_table(sections)
        self._list = help_list(sections)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._list if options.max_width < NARROW else self._table


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
            yield Static(HelpText(self._sections))

    def action_dismiss(self) -> None:  # type: ignore[override]  # the key closes help; it answers nothing
        self.dismiss(None)
