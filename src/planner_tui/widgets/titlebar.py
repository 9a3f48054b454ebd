"""The header: app title and sub-title on one line, drawn as a single widget.

Like `KeyBar`, a light stand-in for Textual's `Header` (four widgets and their
stylesheet) to keep the first paint quick. Clicking the ▦ icon opens the
command palette, as Textual's header icon does.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget

from planner_tui.domain.text import one_line

ICON = "▦"


class TitleBar(Widget):
    """`▦  title — sub-title`, centred, docked at the top; follows the app's title."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._title_changed, init=False)
        self.watch(self.app, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def render(self) -> Text:
        # The sub-title names the workspace file and the person: a file name can hold
        # control characters too.
        title = Text.assemble(
            (one_line(self.app.title), "bold"), (" — ", "dim"), one_line(self.app.sub_title)
        )
        title.truncate(max(self.size.width - 6, 1), overflow="ellipsis")
        pad = max((self.size.width - title.cell_len) // 2 - 3, 1)
        return Text.assemble(f" {ICON}", " " * pad, title, no_wrap=True, end="")

    def on_click(self, event: events.Click) -> None:
        if event.x <= 2:
            event.stop()
            self.app.action_command_palette()
