"""Backlog: the whole ranked backlog, any size, filtered and sorted from the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from planner_tui.domain.backlog import BacklogQuery, BacklogRow, SortKey, next_choice
from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.errors import PlannerError
from planner_tui.domain.models import NewItem
from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.export import ExportChoice, ExportPart
from planner_tui.services import grooming
from planner_tui.services.backlog import (
    all_ids,
    backlog_count,
    backlog_page,
    backlog_position,
    value_effort,
)
from planner_tui.services.grooming import BulkChange, Undo
from planner_tui.widgets.backlog_table import BacklogTable
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.titlebar import TitleBar


def _revert(undo: Undo) -> None:
    """Take an action back; what undoes an undo is not kept."""
    undo.revert()


class BacklogScreen(PlannerScreen[None]):
    """The list, a filter line that opens with `/`, and a status line."""

    WRITE_ACTIONS = frozenset(
        {"raise_risk", "move", "edge", "add", "bulk", "poker", "edit", "delete", "undo", "restore",
         "toggle_select", "select_all"}  # picking serves only bulk changes and estimation
    )  # fmt: skip

    CSS_PATH = str(styles_dir() / "backlog.tcss")
    AUTO_FOCUS = "#backlog-table"
    BINDINGS = [
        Binding(
            "exclamation_mark",
            "raise_risk",
            "Risk",
            id="backlog.raise_risk",
            show=False,
            tooltip="Raise a risk against the item under the cursor",
        ),
        Binding("slash", "filter", "Filter", id="backlog.filter", tooltip="Filter as you type"),
        Binding(
            "o",
            "sort",
            "Sort",
            id="backlog.sort",
            tooltip="Sort by rank, value, estimate, value per effort",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="backlog.back",
            tooltip="Clear the filter, or go home",
            show=False,
        ),
        Binding(
            "shift+up",
            "move(-1)",
            "Up",
            id="backlog.move_up",
            tooltip="Move the item up",
            show=False,
        ),
        Binding(
            "shift+down",
            "move(1)",
            "Down",
            id="backlog.move_down",
            tooltip="Move the item down",
            show=False,
        ),
        Binding(
            "shift+home",
            "edge(True)",
            "Top",
            id="backlog.top",
            show=False,
            tooltip="Move the item to the top",
        ),
        Binding(
            "shift+end",
            "edge(False)",
            "Bottom",
            id="backlog.bottom",
            show=False,
            tooltip="Move the item to the bottom",
        ),
        Binding("n", "add", "New", id="backlog.add", tooltip="Add an item with the full editor"),
        Binding(
            "space",
            "toggle_select",
            "Select",
            id="backlog.select",
            tooltip="Pick the item for a bulk change",
        ),
        Binding(
            "ctrl+a",
            "select_all",
            "Select all",
            id="backlog.select_all",
            show=False,
            tooltip="Pick every item the list shows (again: none)",
        ),
        Binding(
            "b",
            "bulk",
            "Bulk",
            id="backlog.bulk",
            tooltip="Change status, kind or tags of the picked items",
        ),
        Binding(
            "p",
            "poker",
            "Estimate",
            id="backlog.poker",
            tooltip="Planning poker on the picked items (none picked: the next unestimated)",
        ),
        Binding(
            "v",
            "value_effort",
            "Value/effort",
            id="backlog.value_effort",
            tooltip="Quick wins, big bets, fill-ins and money pits",
        ),
        Binding(
            "s",
            "cycle_status",
            "Status",
            id="backlog.status_filter",
            show=False,
            tooltip="Show one status at a time, then all",
        ),
        Binding(
            "k",
            "cycle_kind",
            "Kind",
            id="backlog.kind_filter",
            show=False,
            tooltip="Show one kind at a time, then all",
        ),
        Binding(
            "g",
            "tag_filter",
            "Tag",
            id="backlog.tag_filter",
            show=False,
            tooltip="Show only the tag of the item under the cursor (again: its next tag, then all)",
        ),
        Binding("enter,e", "edit", "Edit", id="backlog.edit", tooltip="Edit the item"),
        Binding("d", "delete", "Delete", id="backlog.delete", tooltip="Move the item to the trash"),
        Binding("u", "undo", "Undo", id="backlog.undo", tooltip="Undo the last change"),
        Binding(
            "t",
            "trash",
            "Trash",
            id="backlog.trash",
            tooltip="Show the trash, or the backlog again",
            show=False,
        ),
        Binding(
            "r",
            "restore",
            "Restore",
            id="backlog.restore",
            tooltip="In the trash: restore the item",
        ),
    ]

    def export_choices(self) -> list[ExportChoice]:
        """The backlog as CSV and as Markdown, for the Export dialog."""

        part: ExportPart = {"what": "backlog"}
        return [
            ExportChoice("csv", "CSV: the backlog (for spreadsheets)", "backlog", part),
            ExportChoice("markdown", "Markdown: the backlog", "backlog", part),
        ]

    def __init__(self) -> None:
        super().__init__(id="backlog")
        self.query_state = BacklogQuery()
        self._current_id: int | None = None
        self._undo: list[Undo] = []
        self._selected: set[int] = set()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(placeholder="Filter: key, title, tags or problem", id="backlog-filter")
        yield BacklogTable(self._fetch, id="backlog-table")
        yield Static(id="backlog-status")
        yield KeyBar()

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

    def on_backlog_table_cursor_moved(self, event: BacklogTable.CursorMoved) -> None:
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
        self.query_one("#backlog-status", Static).update(Text("  ·  ").join(parts))

    def action_raise_risk(self) -> None:
        from planner_tui.screens.risks import raise_risk_from

        current = self.table.current
        raise_risk_from(self.app, current.key if current is not None else "")

    def action_filter(self) -> None:
        box = self.query_one("#backlog-filter", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_state = replace(self.query_state, text=event.value)
        self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def action_sort(self) -> None:
        self.query_state = replace(self.query_state, sort=self.query_state.sort.next())
        self.reload()
        self.refresh_bindings()

    def action_back(self) -> None:
        box = self.query_one("#backlog-filter", Input)
        if box.value or box.has_focus:
            box.value = ""
            box.display = False
            self.table.focus()
            return
        if self._selected:
            self._set_selection(set())
            return
        query = self.query_state
        if query.status or query.kind or query.tag:
            self._narrow(status=None, kind=None, tag=None)
            return
        self.host.action_go("home")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ranking makes sense in rank order outside the trash; restore only in the trash."""
        if super().check_action(action, parameters) is False:
            return False
        in_trash = self.query_state.in_trash
        if action in ("move", "edge"):
            return not in_trash
        if action in ("delete", "edit", "add", "toggle_select", "select_all", "bulk", "poker"):
            return not in_trash
        if action == "restore":
            return in_trash
        return True

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

    def action_trash(self) -> None:
        self.query_state = replace(self.query_state, in_trash=not self.query_state.in_trash)
        self._current_id = None
        self.reload()
        self.refresh_bindings()

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

    def action_cycle_status(self) -> None:
        choices = [status.value for status in ItemStatus]
        self._narrow(status=next_choice(self.query_state.status, choices))

    def action_cycle_kind(self) -> None:
        choices = [kind.value for kind in ItemKind]
        self._narrow(kind=next_choice(self.query_state.kind, choices))

    def action_tag_filter(self) -> None:
        row = self.table.current
        tags = list(row.tags) if row is not None else []
        if self.query_state.tag and self.query_state.tag not in tags:
            tags = [self.query_state.tag]
        self._narrow(tag=next_choice(self.query_state.tag, tags))

    def _narrow(self, **changes: str | None) -> None:
        self.query_state = replace(self.query_state, **changes)  # type: ignore[arg-type]  # the keys are str-valued filters of BacklogQuery
        self.reload()

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

    def _set_selection(self, ids: set[int]) -> None:
        self._selected = ids
        self.table.selected = frozenset(ids)
        self.table.refresh()
        self._show_status()

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
