"""The backlog list: a Line-API view that draws only the rows on screen.

Rows come a page at a time from a fetch function (SQL with LIMIT/OFFSET behind
it), so opening the list and moving the cursor cost the same for 100 items and
for 100,000. Textual's DataTable builds every row up front instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.message import Message
from textual.strip import Strip

from planner_tui.domain.backlog import BacklogRow
from planner_tui.domain.risk import risk_badge
from planner_tui.domain.text import one_line
from planner_tui.widgets.cursor_list import CursorList

PAGE_SIZE = 50

Fetch = Callable[[int, int], list[BacklogRow]]


@dataclass(frozen=True)
class Column:
    """One column: its heading, width (0 = share the rest) and how to show a row in it."""

    heading: str
    width: int
    cell: Callable[[int, BacklogRow], str]
    align: str = "left"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


_RANK = Column("#", 6, lambda index, row: str(index + 1), "right")
_KEY = Column("Key", 11, lambda index, row: row.key)
_TITLE = Column("Title", 0, lambda index, row: row.title)
_KIND = Column("Kind", 6, lambda index, row: row.kind)
_STATUS = Column("Status", 12, lambda index, row: row.status)
_VALUE = Column("Val", 4, lambda index, row: _number(row.value), "right")
_ESTIMATE = Column("Est", 5, lambda index, row: _number(row.estimate), "right")
_RISKS = Column("Risk", 5, lambda index, row: risk_badge(row.open_risks, row.worst_risk), "right")
_TAGS = Column("Tags", 0, lambda index, row: " ".join(row.tags))


def columns_for(width: int) -> list[Column]:
    """The columns that fit `width`: tags from 110 columns, kind from 90."""
    columns = [_RANK, _KEY, _TITLE]
    if width >= 90:
        columns.append(_KIND)
    columns += [_STATUS, _VALUE, _ESTIMATE, _RISKS]
    if width >= 110:
        columns.append(_TAGS)
    return columns


def _widths(columns: list[Column], width: int) -> list[int]:
    fixed = sum(column.width for column in columns) + len(columns)
    flexible = [column for column in columns if not column.width]
    spare = max(width - fixed, 10)
    shares = {id(_TITLE): 0.7, id(_TAGS): 0.3} if len(flexible) == 2 else {id(_TITLE): 1.0}
    return [column.width or max(int(spare * shares[id(column)]), 5) for column in columns]


class BacklogTable(CursorList):
    """The ranked backlog, one item a line, with a cursor."""

    COMPONENT_PREFIX = "backlog-table--"
    COMPONENT_CLASSES = {
        "backlog-table--header",
        "backlog-table--cursor",
        "backlog-table--dim",
        "backlog-table--selected",
    }
    DEFAULT_CSS = """
    BacklogTable {
        height: 1fr;
        background: $surface;
        overflow-y: scroll;  /* (see CursorList._set_row_count) */
    }
    BacklogTable > .backlog-table--header {
        text-style: bold;
        background: $panel;
    }
    BacklogTable > .backlog-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    BacklogTable > .backlog-table--dim {
        color: $text-muted;
    }
    BacklogTable > .backlog-table--selected {
        background: $accent 30%;
    }
    """

    class CursorMoved(Message):
        """The cursor is on another item (or on none, in an empty list)."""

        def __init__(self, row: BacklogRow | None, *, by_user: bool) -> None:
            super().__init__()
            self.row = row
            self.by_user = by_user
            """False when the list changed under the cursor (a new filter, a refresh)."""

    def __init__(
        self,
        fetch: Fetch,
        *,
        id: str | None = None,
        follow: Callable[[BacklogTable.CursorMoved], None] | None = None,
    ) -> None:
        super().__init__(id=id)
        self._fetch = fetch
        self._follow = follow
        """Called at once when the cursor moves, instead of posting `CursorMoved` (see
        `CursorList`)."""
        self._pages: dict[int, list[BacklogRow]] = {}
        self._layout: tuple[int, list[Column], list[int]] | None = None
        self._user_move = False
        self.selected: frozenset[int] = frozenset()
        """Ids of the items picked for a bulk change; set by the screen."""

    def reset(
        self, count: int, cursor: int = 0, *, page: tuple[int, list[BacklogRow]] | None = None
    ) -> None:
        """Show a new list of `count` rows (pages are fetched when drawn), cursor on `cursor`;
        `page`: the rows from an offset (a multiple of `PAGE_SIZE`), read already.

        Only the lines on screen that now read differently are drawn again: a filter key
        that leaves the rows in view as they were (most titles hold an "e") drew every
        one of them afresh."""
        top = int(self.scroll_y)
        shown = range(top, top + self._rows_visible())
        before = [self._drawn(index) for index in shown] if self._pages else None
        self._pages.clear()
        if page is not None:
            self._pages[page[0] // PAGE_SIZE] = page[1]
        self._set_row_count(count)
        self.cursor = min(max(cursor, 0), max(count - 1, 0))
        self._scroll_to_cursor()
        if before is None or int(self.scroll_y) != top:
            self.refresh()
            return
        for index, was in zip(shown, before, strict=True):
            if self._drawn(index) != was:
                self.refresh_line(index + self.HEADING)

    def _drawn(self, index: int) -> tuple[BacklogRow | None, bool, bool]:
        """What decides how row `index` is drawn: the row, the cursor on it, picked."""
        row = self.row_at(index)
        return row, index == self.cursor, row is not None and row.id in self.selected

    count_rest: Callable[[], int | None] | None = None
    """Set by a screen whose list's count stopped early: counts it whole (or None)."""

    def action_jump(self, index: int) -> None:
        if index < 0 and self.count_rest is not None:  # the end asked for: the real end
            whole = self.count_rest()
            if whole is not None:
                self.grow(whole)
        super().action_jump(index)

    def grow(self, count: int) -> None:
        """The same list, counted further: `count` rows now (pages read stay)."""
        if count != self._count:
            self._set_row_count(count)
            self.refresh()

    def row_at(self, index: int) -> BacklogRow | None:
        """The row at `index` of the list, fetching its page if needed."""
        if not 0 <= index < self._count:
            return None
        page, within = divmod(index, PAGE_SIZE)
        if page not in self._pages:
            self._pages[page] = self._fetch(page * PAGE_SIZE, PAGE_SIZE)
        rows = self._pages[page]
        return rows[within] if within < len(rows) else None

    @property
    def current(self) -> BacklogRow | None:
        """The row under the cursor."""
        return self.row_at(self.cursor)

    def watch_cursor(self, old: int, new: int) -> None:
        self._follow_cursor(old, new)
        moved = self.CursorMoved(self.current, by_user=self._user_move)
        self._user_move = False
        self._tell(moved, self._follow)

    def _moved_by_user(self) -> None:
        self._user_move = True

    def _layout_for(self, width: int) -> tuple[list[Column], list[int]]:
        if self._layout is None or self._layout[0] != width:
            columns = columns_for(width)
            self._layout = (width, columns, _widths(columns, width))
        return self._layout[1], self._layout[2]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns, widths = self._layout_for(width)
        if y == 0:
            cells = [column.heading for column in columns]
            return _strip(cells, columns, widths, self.line_style("header", over_base=False), width)
        index = int(self.scroll_y) + y - 1
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, self.line_style())
        cells = [one_line(column.cell(index, row)) for column in columns]
        if row.id in self.selected:
            cells[0] = "● " + cells[0]
        if index == self.cursor:
            style = self.line_style("cursor", over_base=False)
        elif row.id in self.selected:
            style = self.line_style("selected")
        elif row.status in ("done", "won't do"):
            style = self.line_style("dim")
        else:
            style = self.line_style()
        return _strip(cells, columns, widths, style, width)


def _fit(cell: str, width: int) -> str:
    """`cell` in exactly `width` cells: padded, or cut with an ellipsis."""
    if cell_len(cell) <= width:
        return set_cell_size(cell, width)
    return set_cell_size(cell, width - 1) + "…"


def _strip(
    cells: list[str], columns: list[Column], widths: list[int], style: Style, width: int
) -> Strip:
    """One line of the list, each cell fitted to its column, in one style: a single segment
    (a row is drawn on every filter keystroke; Text objects per cell cost most of it)."""
    parts = []
    for cell, column, cell_width in zip(cells, columns, widths, strict=True):
        parts.append(
            cell[-cell_width:].rjust(cell_width)
            if column.align == "right"
            else _fit(cell, cell_width)
        )
    line = set_cell_size(" ".join(parts) + " ", width)
    return Strip([Segment(line, style)], width)
