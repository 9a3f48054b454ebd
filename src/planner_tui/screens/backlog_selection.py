"""The Backlog's keys for several items at once: selecting, changing them in bulk, estimating
them in planning poker; and the value-against-effort view."""

from __future__ import annotations

from functools import partial

from textual.widgets import Input

from planner_tui.domain.backlog import BacklogQuery
from planner_tui.domain.errors import PlannerError
from planner_tui.screens.backlog_view import BacklogView
from planner_tui.services import grooming
from planner_tui.services.backlog import (
    all_ids,
    value_effort,
)
from planner_tui.services.grooming import BulkChange


class BacklogSelection(BacklogView):
    """Items picked together."""

    def action_toggle_select(self) -> None:
        """Pick or unpick the item under the cursor, then move down."""
        row = self.table.current
        if row is None:
            return
        self._set_selection(self._selected ^ {row.id})
        self.table.action_move(1)

    def action_select_all(self) -> None:
        """Pick every item the list shows (filtered or not); again to pick none."""
        try:
            shown = set(all_ids(self.session, self.query_state))
        except PlannerError as error:
            self.notify(str(error), severity="error")
            return
        self._set_selection(set() if shown <= self._selected else self._selected | shown)

    def action_bulk(self) -> None:
        """Change status, kind or tags of the picked items (or the current one) at once."""
        from planner_tui.screens.bulk import BulkModal

        ids = sorted(self._selected) or ([self.table.current.id] if self.table.current else [])
        if ids:
            self.app.push_screen(BulkModal(len(ids)), partial(self._apply_bulk, ids))

    def _apply_bulk(self, ids: list[int], change: BulkChange | None) -> None:
        if change is None:
            return
        count = len(ids)
        done = f"{count} item{'s' if count != 1 else ''}: {change.describe()} · u undoes"
        self._act(partial(grooming.bulk, self.session, ids, change), done)

    def action_poker(self) -> None:
        """Start an estimation session on the picked items, in the list's order."""
        from planner_tui.screens.estimation import start_estimation

        picked: list[int] = []
        if self._selected:
            try:
                shown = all_ids(self.session, self.query_state)
            except PlannerError as error:
                self.notify(str(error), severity="error")
                return
            picked = [item_id for item_id in shown if item_id in self._selected]
        start_estimation(self.app, picked)

    def action_value_effort(self) -> None:
        """Show value against effort; choosing an item there puts the cursor on it here."""
        from planner_tui.screens.value_effort import ValueEffortScreen

        try:
            view = value_effort(self.session)
        except PlannerError as error:
            self.notify(str(error), severity="error")
            return
        self.app.push_screen(ValueEffortScreen(view), self._go_to_item)

    def _go_to_item(self, item_id: int | None) -> None:
        if item_id is None:
            return
        self.query_state = BacklogQuery(sort=self.query_state.sort)
        self.query_one("#backlog-filter", Input).value = ""
        self._current_id = item_id
        self.reload()
