"""What every list drawn line by line shares: a cursor row under a heading line, and the keys
and clicks that move it (the Backlog's list, and `RowView` for the others)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar

M = TypeVar("M", bound=Message)


def _size_bar(bar: ScrollBar, virtual: int, window: int) -> None:
    """Give the scroll bar the list's new length, drawing again only its cells that change.

    Told through its reactives, the bar drew all its lines afresh: a filter key moving
    the thumb's end by an eighth of a cell cost a millisecond, more than the list."""
    before = _cells(bar, bar.window_virtual_size, bar.window_size)
    bar.set_reactive(ScrollBar.window_virtual_size, virtual)
    bar.set_reactive(ScrollBar.window_size, window)
    after = _cells(bar, virtual, window)
    for y, (was, now) in enumerate(zip(before, after, strict=False)):
        if was != now:
            bar.refresh(Region(0, y, bar.size.width, 1))


def _cells(bar: ScrollBar, virtual: int, window: int) -> list[Segment]:
    """The bar's cells, top to bottom, as it draws them for a list `virtual` long with
    `window` of it shown (Textual's own drawing)."""
    drawn = bar.renderer.render_bar(
        size=bar.size.height,
        virtual_size=virtual,
        window_size=window if window < virtual else 0,
        position=bar.position,
        thickness=bar.thickness,
    )
    return list(drawn.segments)


class CursorList(ScrollView, can_focus=True):
    """A scrolling list of `_count` rows below one heading line, with a cursor.

    Up, down, page up/down, home and end move the cursor; a click puts it on the
    row clicked. Subclasses draw the lines (`render_line`) and say what a move by
    the user means (`_moved_by_user`).

    A screen that draws something for the row under the cursor (a detail panel, a status
    line) gives the list a `follow` callback rather than waiting for its message: the
    callback runs within the key, so the panel is drawn in the same frame as the cursor.
    A posted message is handled after that frame, and Textual draws the next one two
    frame periods later: the Risks panel trailed the cursor by ~30 ms.
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    cursor = reactive(0, always_update=True, repaint=False)
    """(Not a repaint of every line: `_follow_cursor` redraws the rows it left and took.)"""

    HEADING = 1
    """Lines above the rows (the heading); 0 for a list without one."""

    COMPONENT_PREFIX = ""
    """The start of the list's component classes' names (`backlog-table--`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._count = 0
        self._styles: dict[tuple[str, bool], Style] = {}

    def notify_style_update(self) -> None:
        self._styles.clear()  # a theme, the focus or the CSS changed: read them again
        super().notify_style_update()

    def line_style(self, component: str = "", *, over_base: bool = True) -> Style:
        """The style a line is drawn in: the list's own (`rich_style`), a component's over
        it, or (`over_base` False) the component's alone. Read once until the styles change:
        `rich_style` walks every ancestor, and every line of every frame asks."""
        key = (component, over_base)
        if key not in self._styles:
            if not component:
                self._styles[key] = self.rich_style
            else:
                style = self.get_component_rich_style(self.COMPONENT_PREFIX + component)
                self._styles[key] = self.line_style() + style if over_base else style
        return self._styles[key]

    @property
    def row_count(self) -> int:
        """How many rows the list has."""
        return self._count

    def _moved_by_user(self) -> None:
        """A key or a click is about to move the cursor."""

    def _rows_visible(self) -> int:
        return max(self.scrollable_content_region.height - self.HEADING, 1)

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self._rows_visible():
            self.scroll_to(y=self.cursor - self._rows_visible() + 1, animate=False, immediate=True)

    def _follow_cursor(self, old: int, new: int) -> None:
        """The cursor moved from row `old` to `new`: scroll to it and redraw the two rows
        (a cursor key cost a redraw of every line on the screen), or all if it scrolled;
        nothing when it stayed (a re-read set it where it was)."""
        top = self.scroll_y
        self._scroll_to_cursor()
        if self.scroll_y != top:
            self.refresh()
        elif new != old:
            self.refresh_line(old + self.HEADING)
            self.refresh_line(new + self.HEADING)

    def _tell(self, moved: M, follow: Callable[[M], None] | None) -> None:
        """Say the cursor moved: to `follow` at once, else by posting `moved`. (Not while
        the list is being mounted: the screen draws its panel after its first read.)"""
        if follow is None:
            self.post_message(moved)
        elif self.is_mounted:
            follow(moved)

    def action_move(self, step: int) -> None:
        if self._count:
            self._moved_by_user()
            self.cursor = min(max(self.cursor + step, 0), self._count - 1)

    def action_page(self, direction: int) -> None:
        self.action_move(direction * self._rows_visible())

    def action_jump(self, index: int) -> None:
        if self._count:
            self._moved_by_user()
            self.cursor = index if index >= 0 else self._count - 1

    def on_click(self, event: events.Click) -> None:
        if event.y >= self.HEADING and self._count:
            self.action_jump(min(int(self.scroll_y) + event.y - self.HEADING, self._count - 1))

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """(Textual's, private) A layout gives a scroll view the size of its window as its
        virtual size; Textual's own takes that as a change, every time, and draws the bar
        again (1 ms for a 36-line bar): a reveal on the poker table redrew the queue's bar,
        though the queue had not changed. The list keeps its own virtual size (its rows,
        `_set_row_count`), so only a new size or window is a change here."""
        return super()._size_updated(size, self.virtual_size, container_size, layout)

    def on_resize(self) -> None:
        self.virtual_size = Size(0, self._count + self.HEADING)
        self._scroll_to_cursor()

    def _set_row_count(self, count: int) -> None:
        """The list has `count` rows now. Where its scrollbar stays as it is (shown, or
        not), the new size is taken without a layout and the bar's thumb set here, so it
        is drawn in this frame: a layout moved it a frame later, so a filter keystroke
        that narrowed the list in its own frame drew a second one 30 ms on.

        A bar that comes or goes takes a layout, and Textual draws the bar again a frame
        after it: lists that a keystroke lengthens past their height (the Backlog under
        a filter, the Sprint screen's backlog under a find) keep theirs shown
        (`overflow-y: scroll`)."""
        self._count = count
        size = Size(0, count + self.HEADING)
        if size == self.virtual_size:
            return
        height = self.container_size.height
        shows = self.styles.overflow_y == "scroll" or (
            self.styles.overflow_y == "auto" and size.height > height
        )
        if not height or self.show_horizontal_scrollbar:
            self.virtual_size = size
            return
        if shows != self.show_vertical_scrollbar:
            # The bar comes or goes: a layout. Say so now, not when the layout finds the
            # size changed: it would place the list as it was, the bar's coming or going
            # would take a second layout, and the list at its new width and the bar
            # would be drawn a frame later.
            self.virtual_size = size
            self._refresh_scrollbars()
        else:
            self.set_reactive(CursorList.virtual_size, size)
        if shows:
            _size_bar(self.vertical_scrollbar, size.height, height)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)
