"""A line redrawn every second (a countdown) that costs only what changed."""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from planner_tui.widgets.user_text import safe


class TickingLine(Widget):
    """One line of text that a timer redraws.

    A `Static` turns its text into Textual content, lays the screen out again and
    formats the line on every update: a countdown's tick cost more than the rest of
    an idle app. Here an unchanged line is not drawn at all, a changed one draws
    this line alone (no layout), and its segments are made once per text and width.
    """

    DEFAULT_CSS = """
    TickingLine {
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown = Text()
        self._strip: tuple[int, Style, Strip] | None = None

    @property
    def text(self) -> Text:
        """The line shown."""
        return self._shown

    def show(self, line: Text) -> None:
        """Draw `line` if it differs from what is shown."""
        if line == self._shown:
            return
        self._shown = line
        self._strip = None
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width, style = self.size.width, self.rich_style
        if y:
            return Strip.blank(width, style)
        made = self._strip
        if made is None or made[0] != width or made[1] != style:
            line = safe(self._shown).copy()
            line.no_wrap = True
            line.truncate(width, overflow="ellipsis", pad=True)
            segments = [
                Segment(segment.text, style + segment.style if segment.style else style)
                for segment in line.render(self.app.console)
            ]
            made = self._strip = (width, style, Strip(segments, width).crop(0, width))
        return made[2]


class NextTick:
    """One timer for a countdown that fires when what it shows next changes.

    A timer every second wakes an idle app sixty times a minute to find the line
    unchanged; this one wakes once a minute while `countdown` shows whole minutes,
    every second only in the last one, and not at all without a countdown.
    """

    def __init__(self, owner: Widget, tick: Callable[[], object]) -> None:
        self._owner = owner
        self._tick = tick
        self._timer: Timer | None = None

    def after(self, delay: float | None) -> None:
        """Tick once `delay` seconds from now (just after the change); None: not at all."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if delay is not None:
            self._timer = self._owner.set_timer(max(delay, 0.0) + 0.02, self._tick)
