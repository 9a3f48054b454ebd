"""A list of rows with a cursor that makes only the rows on screen.

Textual's `DataTable` turns every row into cells up front: a register of 10,000
risks took seconds to open and hundreds of MiB. Here the screen hands over a
count and a function that makes one row's cells; lines are drawn as they scroll
into view, so opening and moving cost the same for ten rows and for 100,000.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from planner_tui.widgets.cursor_list import CursorList
from planner_tui.widgets.user_text import safe


@dataclass(frozen=True)
class RowColumn:
    """A column's heading and width (0: it shares what the fixed columns leave)."""

    heading: str
    width: int = 0
    optional: bool = False
    """Left out when keeping it would squeeze the shared columns below `RowView.ROOMY`
    (an owner beside a title in half an 80-column terminal): the title matters more."""


Cells = Callable[[int], Sequence[Text | str]]
"""The cells of the row at an index, one per column."""


def _no_cells(index: int) -> Sequence[Text | str]:
    return ()


class RowView(CursorList):
    """Rows under a heading line; up, down, page, home and end move the cursor."""

    COMPONENT_CLASSES = {"row-view--header", "row-view--cursor", "row-view--stripe"}
    COMPONENT_PREFIX = "row-view--"
    DEFAULT_CSS = """
    RowView {
        height: 1fr;
        background: $surface;
    }
    RowView > .row-view--header {
        text-style: bold;
        background: $panel;
    }
    RowView > .row-view--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    RowView:blur > .row-view--cursor {
        background: $block-cursor-blurred-background;
        color: $text;
        text-style: none;
    }
    RowView > .row-view--stripe {
        background: $surface-lighten-1;
    }
    """
    BINDINGS = [Binding("enter", "select", "Open", show=False)]

    class _RowMessage(Message):
        def __init__(self, view: RowView, index: int | None) -> None:
            super().__init__()
            self.view = view
            self.index = index

        @property
        def control(self) -> RowView:
            return self.view

    class Highlighted(_RowMessage):
        """The cursor is on another row (`index`, or None in an empty list)."""

    class Selected(_RowMessage):
        """Enter on the row at `index`."""

    def __init__(
        self, *, id: str | None = None, follow: Callable[[RowView.Highlighted], None] | None = None
    ) -> None:
        super().__init__(id=id)
        self._follow = follow
        """Called at once when the cursor moves, instead of posting `Highlighted` (see
        `CursorList`)."""
        self._columns: list[RowColumn] = []
        self._cells: Cells = _no_cells
        self._made: dict[int, list[Text]] = {}
        self._made_width = 0
        """The width `_made`'s cells were made at: cells may be made to fit it (a scrollbar
        coming or going changes it without a resize)."""
        self._strips: dict[tuple[int, bool, int, Style], Strip] = {}
        """Drawn lines by (row, under the cursor, width, style): a cursor move draws two
        rows afresh, not every row on screen."""

    @property
    def cursor_row(self) -> int | None:
        """The index under the cursor, or None in an empty list."""
        return self.cursor if self._count else None

    def show(
        self, columns: list[RowColumn], count: int, cells: Cells, cursor: int | None = None
    ) -> None:
        """Show `count` rows made by `cells`, the cursor on `cursor` (else where it was).

        Only the lines on screen that now read differently are drawn again (rows past a
        shorter list's end are blanked): a teammate's vote re-reads the poker queue, and
        redrawing every row of it cost a frame twice the size of the change."""
        same = columns == self._columns
        before = self._count
        made = self._made if self._made_width == self.scrollable_content_region.width else {}
        top = int(self.scroll_y)
        self._columns = columns
        self._cells = cells
        self._made = {}
        self._set_row_count(count)
        self.cursor = min(max(self.cursor if cursor is None else cursor, 0), max(count - 1, 0))
        if not same or int(self.scroll_y) != top:
            self._strips.clear()
            self.refresh()  # every row may have changed, wherever the cursor goes
            return
        # (a find narrowing the list changes its length, not always the rows in view)
        shown = range(top, min(top + self._rows_visible(), max(count, before)))
        changed = {
            index
            for index in shown
            if index >= count or index >= before or made.get(index) != self._row(index)
        }
        self._strips = {key: strip for key, strip in self._strips.items() if key[0] in shown}
        for key in [key for key in self._strips if key[0] in changed]:
            del self._strips[key]
        for index in changed:
            self.refresh_line(index + self.HEADING)

    def watch_cursor(self, old: int, new: int) -> None:
        self._follow_cursor(old, new)
        self._tell(self.Highlighted(self, self.cursor_row), self._follow)

    def action_select(self) -> None:
        if self._count:
            self.post_message(self.Selected(self, self.cursor))

    ROOMY = 20
    """Cells a shared column (a title) gets before optional columns are left out."""

    def _widths(self, width: int) -> list[int]:
        """Each column's cells; 0 for an optional one left out for want of room."""
        shown = list(range(len(self._columns)))
        while True:
            columns = [self._columns[index] for index in shown]
            fixed = sum(column.width for column in columns) + len(columns)
            flexible = sum(1 for column in columns if not column.width) or 1
            share = (width - fixed) // flexible
            optional = [index for index in shown if self._columns[index].optional]
            if share >= self.ROOMY or not optional:
                break
            shown.remove(optional[-1])
        share = max(share, 5)
        return [
            (column.width or share) if index in shown else 0
            for index, column in enumerate(self._columns)
        ]

    def _row(self, index: int) -> list[Text]:
        """The row's cells, made once (and kept while the list is unchanged)."""
        width = self.scrollable_content_region.width
        if width != self._made_width:
            self._made.clear()
            self._made_width = width
        if index not in self._made:
            if len(self._made) > 512:  # keep only about a few screens' worth
                self._made.clear()
            self._made[index] = [safe(cell) for cell in self._cells(index)]
        return self._made[index]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._widths(width)
        if y < self.HEADING:
            cells = [Text(column.heading) for column in self._columns]
            return self._strip(cells, widths, self.line_style("header", over_base=False))
        index = int(self.scroll_y) + y - self.HEADING
        if not 0 <= index < self._count:
            return Strip.blank(width, self.line_style())
        if index == self.cursor:
            style = self.line_style("cursor")
        elif index % 2:
            style = self.line_style("stripe")
        else:
            style = self.line_style()
        key = (index, index == self.cursor, width, style)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 1024:  # a few screens' worth, at a few widths and styles
                self._strips.clear()
            cells = self._row(index)
            if index == self.cursor:  # the cursor's colours, not the cells' own
                cells = [Text(cell.plain) for cell in cells]
            strip = self._strips[key] = self._strip(cells, widths, style)
        return strip

    def _strip(self, cells: list[Text], widths: list[int], style: Style) -> Strip:
        width = self.scrollable_content_region.width
        line = Text(no_wrap=True, end="")
        for cell, cell_width in zip(cells, widths, strict=False):
            if not cell_width:  # an optional column left out
                continue
            text = cell.copy()
            text.no_wrap = True
            text.truncate(cell_width, overflow="ellipsis", pad=True)
            line.append_text(text)
            line.append(" ")
        line.truncate(width, pad=True)
        segments = [
            Segment(segment.text, style + segment.style if segment.style else style)
            for segment in line.render(self.app.console)
        ]
        return Strip(segments, width).crop(0, width)
