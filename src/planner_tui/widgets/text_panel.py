"""Text drawn a line at a time, so that showing new text draws again only the lines that
read differently: the Risks panel that follows the cursor, and the poker table's cards."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Generic, Self, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from planner_tui.widgets.user_text import safe

L = TypeVar("L")


class DrawnLines(Widget, Generic[L]):
    """Lines, each drawn once and kept until it reads differently.

    As a `Static`, a panel showing new text drew every line of itself again, blank ones
    too: most of a cursor key's frame on the Risks screen, and a vote's on the poker
    table. A subclass says what its lines are (`_lines`) and how one is drawn (`_strip`),
    and calls `_redraw` with the lines before and after a change.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: dict[tuple[int, int, Style], Strip] = {}
        """Drawn lines by (line, width, style)."""

    @abstractmethod
    def _lines(self, width: int) -> Sequence[L]:
        """The lines at `width`."""

    @abstractmethod
    def _strip(self, line: L, width: int, base: Style) -> Strip:
        """`line` drawn `width` cells wide on `base`."""

    def _redraw(self, before: Sequence[L], now: Sequence[L]) -> None:
        """Draw again the lines that changed from `before` to `now`; lay the screen out
        only if the height changes (not if a minimum height holds it taller than both)."""
        height = self.size.height
        if not self.is_mounted or not self.size.width:
            self._strips.clear()
            self.refresh(layout=True)
            return
        if len(now) != len(before) and not len(before) < height >= len(now):
            self._strips.clear()
            self.refresh(layout=True)
            return
        changed = {
            y
            for y in range(max(len(now), len(before)))
            if y >= len(now) or y >= len(before) or now[y] != before[y]
        }
        if changed:
            self._strips = {key: s for key, s in self._strips.items() if key[0] not in changed}
            width = self.content_size.width
            self.refresh(*(Region(0, y, width, 1) for y in sorted(changed)))

    _base: Style | None = None

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        # The style is kept from one refresh to the next, as Textual keeps its own
        # (`_rich_style_cache`): read once for the lines a change draws, not for each.
        self._base = None
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def notify_style_update(self) -> None:
        self._base = None  # a theme, a class or the CSS changed: read it again
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        base = self._base
        if base is None:  # (kept: reading it walks every ancestor's styles, 65 µs)
            base = self._base = self.rich_style
        key = (y, width, base)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 512:
                self._strips.clear()
            lines = self._lines(width)
            strip = (
                Strip.blank(width, base) if y >= len(lines) else self._strip(lines[y], width, base)
            )
            self._strips[key] = strip
        return strip

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(len(self._lines(width)), 1)


class TextPanel(DrawnLines[Text]):
    """Text wrapped to the panel's width (the Risks detail)."""

    DEFAULT_CSS = """
    TextPanel {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._wrapped: tuple[int, Text, list[Text]] = (0, self._text, [])
        """The width last wrapped to, the text wrapped and its lines."""
        self._held = (0, 0)
        """The width and lines the panel keeps at that width, blank under a shorter text
        (`show(..., hold=True)`); at another width (the terminal resized), its text's."""

    def show(self, text: Text, *, hold: bool = False) -> None:
        """Show `text` (user text in it is made safe to draw). `hold`: a shorter text keeps
        the panel as tall as it is, so what lies under it stays where it is (and the screen
        is not laid out again); a longer one makes it taller."""
        text = safe(text)
        # (at the width it has now: lines wrapped before its first layout, narrower, would
        # hold it taller than it has ever been drawn)
        width = (self.content_size.width if self.is_mounted else 0) or self._wrapped[0]
        before = self._lines(width) if width else []
        held = (width, len(before)) if hold else (0, 0)
        if text == self._text and held == self._held:
            return
        self._text, self._held = text, held
        self._redraw(before, self._lines(width) if width else [])

    def _lines(self, width: int) -> list[Text]:
        """The text wrapped to `width` (wrapped again only when the text or width changed),
        and blank lines to the height held."""
        made_for, text, lines = self._wrapped
        if made_for != width or text is not self._text:
            lines = list(self._text.wrap(self.app.console, max(width, 1)))
            self._wrapped = (width, self._text, lines)
        held_at, held = self._held
        if held_at == width and len(lines) < held:
            return lines + [Text()] * (held - len(lines))
        return lines

    def _strip(self, line: Text, width: int, base: Style) -> Strip:
        line = line.copy()
        line.no_wrap, line.end = True, ""
        line.truncate(width, overflow="ellipsis", pad=True)
        segments = [
            Segment(part.text, base + part.style if part.style else base)
            for part in line.render(self.app.console)
        ]
        return Strip(segments, width).crop(0, width)

    def render(self) -> Text:
        """The text shown (what the lines draw)."""
        return self._text
