"""The Backlog's state and drawing: the query, the virtual list's pages, the status line, and
changes saved off the UI thread with their undo."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from functools import partial

from rich.text import Text
from textual.widgets import Input, Static

from planner_tui.domain.backlog import COUNT_AT_MOST, BacklogQuery, BacklogRow
from planner_tui.domain.errors import PlannerError
from planner_tui.domain.text import one_line
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.latest_read import QUICK_READ_SECONDS, LatestRead
from planner_tui.services.backlog import (
    all_ids,
    backlog_count,
    backlog_page,
    backlog_position,
)
from planner_tui.services.grooming import Undo
from planner_tui.widgets.backlog_table import PAGE_SIZE, BacklogTable
from planner_tui.widgets.user_text import show_text


@dataclass(frozen=True)
class _Read:
    """A read of the list: for which query, how long, where the cursor goes, and the page
    of rows it is on (starting at `page`)."""

    query: BacklogQuery
    current: int | None
    """The item the cursor was to stay on."""
    count: int
    more: bool
    """A text filter's count stopped early: there are more than `count` rows."""
    cursor: int
    page: int
    rows: list[BacklogRow]


class BacklogView(PlannerScreen[None]):
    """What the Backlog shows, read and drawn; its actions live in the parts built on it."""

    def __init__(self) -> None:
        super().__init__(id="backlog")
        self.query_state = BacklogQuery()
        self._current_id: int | None = None
        self._undo: list[Undo] = []
        self._selected: set[int] = set()
        self._cursor = 0
        self._more = False
        """The list's count stopped early (see `COUNT_AT_MOST`); it goes on as the cursor nears
    the end."""
        self.load = LatestRead(
            self, "backlog-load", self._read, self._show_read, shape=self._read_shape
        )
        """Count the list (and read the cursor's page) in a worker; a later read wins."""

    def _read_shape(self) -> Hashable:
        # A text filter scans every title (75 ms at 100,000 items); the others use indexes.
        return replace(self.query_state, text="…" if self.query_state.text else "")

    @property
    def table(self) -> BacklogTable:
        """The list widget."""
        return self.query_one(BacklogTable)

    def _fetch(self, offset: int, limit: int) -> list[BacklogRow]:
        try:
            return backlog_page(self.session, self.query_state, offset, limit)
        except PlannerError as error:
            self.notify(str(error), severity="error")
            return []

    def on_screen_resume(self) -> None:
        self.reload()
        if not self.query_one("#backlog-filter", Input).display:
            self.table.focus()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Another process changed items or risks: redraw, keeping the cursor on the same item."""
        if kinds & {"item", "risk", "workspace"}:
            self._cursor = self.table.cursor
            self.load()  # (in a worker: a teammate's change never holds up my keys)

    def reload(self) -> None:
        """Count the list again and put the cursor back on the item it was on, at once: the
        list is drawn with the key that asked (opening the screen, a sort, a filter), and
        keys typed after it find it there."""
        self._cursor = self.table.cursor
        if not self.load.now():
            self.load()  # (which says what went wrong)

    def reload_typed(self) -> None:
        """The filter's text changed: read it at once when such a list read quickly last
        time, else in a worker, the typed character drawn first (a text filter of 100,000
        items takes 75 ms)."""
        self._cursor = self.table.cursor  # (for the read, which may run in a worker)
        if not self.load.now_if_quick(QUICK_READ_SECONDS):
            self.load()

    def _count(self, query: BacklogQuery, beyond: int = 0) -> tuple[int, bool]:
        """The list's length, and whether counting stopped early (a text filter counts to
        `COUNT_AT_MOST` rows past `beyond`)."""
        if not query.text.strip():
            return backlog_count(self.session, query), False
        at_most = beyond + COUNT_AT_MOST
        count = backlog_count(self.session, query, at_most)
        return count, count > at_most

    def _read(self) -> _Read:
        query, current, cursor = self.query_state, self._current_id, self._cursor
        position = backlog_position(self.session, query, current) if current is not None else None
        count, more = self._count(query, max(position or 0, cursor))
        cursor = min(max(position if position is not None else cursor, 0), max(count - 1, 0))
        page = cursor // PAGE_SIZE * PAGE_SIZE  # (read here, not when drawn on the UI thread)
        rows = backlog_page(self.session, query, page, PAGE_SIZE)
        return _Read(query, current, count, more, cursor, page, rows)

    def _show_read(self, read: _Read) -> None:
        if read.query != self.query_state:
            return  # narrowed again meanwhile: its own read is coming
        session = self.session
        # Moved on meanwhile (keys while the list was read): the cursor stays where it went.
        cursor = read.cursor if self._current_id == read.current else self.table.cursor
        self._more = read.more
        self.table.reset(read.count, cursor, page=(read.page, read.rows))
        if self._selected:  # picks the list no longer shows would be changed unseen: drop them
            try:
                shown = set(all_ids(session, read.query))
            except PlannerError:
                shown = set()
            self._set_selection(self._selected & shown)
        self._show_status()

    def _set_selection(self, ids: set[int]) -> None:
        self._selected = ids
        self.table.selected = frozenset(ids)
        self.table.refresh()
        self._show_status()

    def cursor_moved(self, event: BacklogTable.CursorMoved) -> None:
        """Follow the item the user chose; a filter narrowing the list does not choose one."""
        if event.row is not None and (event.by_user or self._current_id is None):
            self._current_id = event.row.id
        table = self.table
        if self._more and table.cursor >= table.row_count - PAGE_SIZE:
            self._count_further()
        self._show_status()

    def _count_rest(self) -> int | None:
        """The whole count of a list whose count stopped early (`end` was pressed), or None."""
        from planner_tui.services.errors import USER_ERRORS

        if not self._more:
            return None
        try:
            count = backlog_count(self.session, self.query_state)
        except USER_ERRORS:
            return None
        self._more = False
        return count

    def _count_further(self) -> None:
        """The cursor nears the end of a list whose count stopped early: count further."""
        from planner_tui.services.errors import USER_ERRORS

        table = self.table
        try:
            count, self._more = self._count(self.query_state, table.row_count)
        except USER_ERRORS:
            return  # (the next read says what is wrong)
        table.grow(count)

    def _show_status(self) -> None:
        query = self.query_state
        count = self.table.row_count
        noun = "in the trash" if query.in_trash else ("item" if count == 1 else "items")
        said = f"{count - 1:,}+" if self._more else f"{count:,}"
        parts = [Text(f"{said} {noun}", style="bold")]
        if self._selected:
            parts.append(Text(f"{len(self._selected):,} picked", style="bold reverse"))
        if query.text:
            parts.append(Text.assemble(("filter ", "dim"), one_line(query.text, 40)))
        for label, value in (("status", query.status), ("kind", query.kind), ("tag", query.tag)):
            if value:
                parts.append(Text.assemble((f"{label} ", "dim"), (one_line(value, 30), "bold")))
        parts.append(Text.assemble(("sorted by ", "dim"), query.sort.value))
        current = self.table.current
        if current is not None:
            parts.append(Text.assemble((current.key, "bold"), " ", one_line(current.title, 60)))
            if current.metric:  # the outcome it is for, target against actual
                parts.append(Text.assemble(("metric ", "dim"), one_line(current.metric, 70)))
        show_text(self.query_one("#backlog-status", Static), Text("  ·  ").join(parts))

    def _act(self, work: Callable[[], Undo], done: str) -> None:
        """Run a grooming change in a worker (the file may be busy); keep its undo."""
        current = self.table.current
        if current is None:
            return
        self._current_id = current.id
        self.run_worker(partial(self._act_in_thread, work, done), thread=True, group="groom")

    def _act_in_thread(self, work: Callable[[], Undo | None], done: str) -> None:
        from planner_tui.services.errors import USER_ERRORS, friendly

        try:
            undo = work()
        except USER_ERRORS as error:
            self.app.call_from_thread(self.notify, friendly(error), severity="error")
            return
        self.app.call_from_thread(self._after_change, undo, done)

    def _after_change(self, undo: Undo | None, done: str) -> None:
        if undo is not None:
            self._undo.append(undo)
        if done:
            self.notify(done, timeout=4)
        self.reload()

    def _narrow(self, **changes: str | None) -> None:
        self.query_state = replace(self.query_state, **changes)  # type: ignore[arg-type]  # the keys are str-valued filters of BacklogQuery
        self.reload()
