"""The Backlog's state and drawing: the query, the virtual list's pages, the status line, and
changes saved off the UI thread with their undo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from rich.text import Text
from textual.widgets import Input, Static

from planner_tui.domain.backlog import BacklogQuery, BacklogRow
from planner_tui.domain.errors import PlannerError
from planner_tui.domain.text import one_line
from planner_tui.screens.base import PlannerScreen
from planner_tui.services.backlog import (
    all_ids,
    backlog_count,
    backlog_page,
    backlog_position,
)
from planner_tui.services.grooming import Undo
from planner_tui.widgets.backlog_table import BacklogTable
from planner_tui.widgets.user_text import show_text


class BacklogView(PlannerScreen[None]):
    """What the Backlog shows, read and drawn; its actions live in the parts built on it."""

    def __init__(self) -> None:
        super().__init__(id="backlog")
        self.query_state = BacklogQuery()
        self._current_id: int | None = None
        self._undo: list[Undo] = []
        self._selected: set[int] = set()
        self._filter_pending = False
        """A filter keystroke's reload waits for the next frame, so the key is drawn first."""
        self._filter_seconds = float("inf")
        """How long the last narrowing took to read (until the first: not known)."""

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
            self.reload()

    def reload(self) -> None:
        """Count the list again and put the cursor back on the item it was on."""
        session = self.session
        try:
            count = backlog_count(session, self.query_state)
            position = (
                backlog_position(session, self.query_state, self._current_id)
                if self._current_id is not None
                else None
            )
        except PlannerError as error:
            self.notify(str(error), severity="error")
            return
        self.table.reset(count, position if position is not None else self.table.cursor)
        if self._selected:  # picks the list no longer shows would be changed unseen: drop them
            try:
                shown = set(all_ids(session, self.query_state))
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
        self._show_status()

    def _show_status(self) -> None:
        query = self.query_state
        count = self.table.row_count
        noun = "in the trash" if query.in_trash else ("item" if count == 1 else "items")
        parts = [Text(f"{count:,} {noun}", style="bold")]
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
