"""A line redrawn every second (a countdown) that costs only what changed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TickingLine(Static):
    """A `Static` for a line that a timer redraws.

    `Static.update` lays the whole screen out again, which on a board of 2,000
    cards or a queue of 500 items measured every row, every second. Here an
    unchanged line is not drawn at all, and a line as long as the last one is
    drawn without a new layout; a resize lays it out again.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: Text | None = None

    def show(self, line: Text) -> None:
        """Draw `line` if it differs from what is shown."""
        shown = self._shown
        if shown is not None and line == shown:
            return
        self._shown = line
        self.update(line, layout=shown is None or line.cell_len != shown.cell_len)

    def on_resize(self) -> None:
        self._shown = None  # another width may wrap it differently
