"""A bordered panel of the home screen: a title, a key to go deeper, and some lines."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static


class GlancePanel(Static):
    """One box of the home screen. Content is a rich `Text`, so user text is never markup."""

    DEFAULT_CSS = """
    GlancePanel {
        border: round $primary 60%;
        border-title-color: $text;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        padding: 0 1;
        height: 1fr;
    }
    """

    def __init__(self, title: str, key_hint: str = "", *, id: str | None = None) -> None:
        super().__init__(Text(""), id=id)
        self.border_title = title
        self.border_subtitle = key_hint

    @property
    def lines_available(self) -> int:
        """How many lines of content fit inside the border (many, before the first layout)."""
        return self.content_size.height or 99

    def show(self, lines: Text) -> None:
        """Replace the panel's content."""
        self.update(lines)


class GlanceGrid(Widget):
    """The grid the panels sit in; its columns are set by the screen's stylesheet."""

    DEFAULT_CSS = """
    GlanceGrid {
        layout: grid;
    }
    """
