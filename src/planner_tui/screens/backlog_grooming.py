"""The Backlog's keys that change items one at a time: ranking, trashing and restoring, undo,
adding and editing in the item editor (a teammate's edit meanwhile is merged or named)."""

from __future__ import annotations

from functools import partial

from planner_tui.domain.backlog import SortKey
from planner_tui.domain.errors import PlannerError
from planner_tui.domain.models import NewItem
from planner_tui.screens.backlog_view import BacklogView
from planner_tui.services import grooming
from planner_tui.services.grooming import Undo


def _revert(undo: Undo) -> None:
    """Take an action back; what undoes an undo is not kept."""
    undo.revert()


class BacklogGrooming(BacklogView):
    """Grooming items one at a time."""

    def _can_rank(self) -> bool:
        """Ranking moves items among all their neighbours, so the whole backlog must show."""
        query = self.query_state
        if query.sort is SortKey.RANK and not (
            query.text or query.status or query.kind or query.tag
        ):
            return True
        self.notify(
            "Ranking needs the whole backlog in rank order: escape clears filters, o sorts by rank",
            severity="warning",
        )
        return False

    def action_move(self, steps: int) -> None:
        if not self._can_rank():
            return
        row = self.table.current
        if row is not None:
            self._act(partial(grooming.move, self.session, row.id, steps), "")

    def action_edge(self, top: bool) -> None:
        if not self._can_rank():
            return
        row = self.table.current
        if row is not None:
            where = "top" if top else "bottom"
            self._act(
                partial(grooming.move_to_edge, self.session, row.id, top=top),
                f"Moved {row.key} to the {where}",
            )

    def action_delete(self) -> None:
        row = self.table.current
        if row is not None:
            self._act(
                partial(grooming.delete, self.session, [row.id]),
                f"Moved {row.key} to the trash · u undoes, t shows the trash",
            )

    def action_restore(self) -> None:
        row = self.table.current
        if row is not None:
            self._act(
                partial(grooming.restore, self.session, [row.id]),
                f"Restored {row.key} to the backlog",
            )

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo")
            return
        undo = self._undo.pop()
        self.run_worker(
            partial(self._act_in_thread, partial(_revert, undo), f"Undid the {undo.description}"),
            thread=True,
            group="groom",
        )

    def action_add(
        self, item: NewItem | None = None, error: str = "", where: dict[str, str] | None = None
    ) -> None:
        """Open the editor for a new item; it is added at the bottom of the backlog."""
        from planner_tui.screens.item_editor import ItemEditor

        self.app.push_screen(ItemEditor(item, error=error, field_errors=where), self._save_new)

    def _save_new(self, item: NewItem | None) -> None:
        if item is not None:
            self.run_worker(
                partial(self._save_in_thread, None, "", item), thread=True, group="groom"
            )

    def action_edit(
        self,
        item: NewItem | None = None,
        error: str = "",
        where: dict[str, str] | None = None,
        original: NewItem | None = None,
    ) -> None:
        """Open the editor on the item under the cursor."""
        row = self.table.current
        if row is None:
            return
        self._current_id = row.id
        if item is None or original is None:
            try:
                loaded = grooming.load(self.session, row.id)
            except PlannerError as problem:
                self.notify(str(problem), severity="error")
                return
            original = NewItem(**loaded.model_dump(include=set(NewItem.model_fields)))
            item = item or original
        from planner_tui.screens.item_editor import ItemEditor

        self.app.push_screen(
            ItemEditor(item, key=row.key, error=error, field_errors=where),
            partial(self._save_edit, row.id, row.key, original),
        )

    def _save_edit(self, item_id: int, key: str, original: NewItem, item: NewItem | None) -> None:
        if item is not None:
            self.run_worker(
                partial(self._save_in_thread, item_id, key, item, original),
                thread=True,
                group="groom",
            )

    def _save_in_thread(
        self, item_id: int | None, key: str, item: NewItem, original: NewItem | None = None
    ) -> None:
        """Save in a worker; on failure the editor comes back with everything typed."""
        from planner_tui.services.errors import USER_ERRORS, friendly

        session = self.session
        try:
            if item_id is None:
                new_id, undo = grooming.add(session, item)
                self._current_id = new_id
                done = f"Added {item.title[:40]} at the bottom of the backlog"
            else:
                undo = grooming.save(session, item_id, original or item, item)
                done = f"Saved {key}"
        except USER_ERRORS as error:
            field = getattr(error, "field", None)
            where = {field: friendly(error)} if field else {}
            message = "" if field else friendly(error)
            if item_id is None:
                self.app.call_from_thread(self.action_add, item, message, where)
            else:
                # after a clash, the next save knowingly replaces what is there now
                now = getattr(error, "current", None) or original
                self.app.call_from_thread(self.action_edit, item, message, where, now)
            return
        self.app.call_from_thread(self._after_change, undo, done)
