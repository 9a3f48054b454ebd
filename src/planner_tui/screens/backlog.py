"""Backlog: the whole ranked backlog, any size, filtered and sorted from the keyboard."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from planner_tui.domain.backlog import next_choice
from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.paths import styles_dir
from planner_tui.screens.backlog_grooming import BacklogGrooming
from planner_tui.screens.backlog_selection import BacklogSelection
from planner_tui.screens.backlog_view import BacklogView
from planner_tui.screens.export import ExportChoice, ExportPart
from planner_tui.widgets.backlog_table import BacklogTable
from planner_tui.widgets.find_input import FindInput
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.titlebar import TitleBar


class BacklogScreen(BacklogGrooming, BacklogSelection, BacklogView):
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
            "escape,h",
            "back",
            "Back",
            id="backlog.back",
            tooltip="Clear the filter, or go home (h, as on every screen)",
            show=False,
        ),
        Binding(
            "shift+up",
            "move(-1)",
            "Move up",
            id="backlog.move_up",
            tooltip="Move the item up",
            show=False,
        ),
        Binding(
            "shift+down",
            "move(1)",
            "Move down",
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

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield FindInput(placeholder="Filter: key, title, tags or problem", id="backlog-filter")
        yield BacklogTable(self._fetch, id="backlog-table", follow=self.cursor_moved)
        yield Static(id="backlog-status")
        yield KeyBar()

    def action_raise_risk(self) -> None:
        from planner_tui.screens.risk_raise import raise_risk_from

        current = self.table.current
        raise_risk_from(self.app, current.key if current is not None else "")

    def action_filter(self) -> None:
        box = self.query_one("#backlog-filter", Input)
        box.display = True
        # At once, not after the keys already queued (as focus() does): "/e" typed fast
        # put the e into the field, not on the screen's own e (edit).
        self.set_focus(box)

    def on_mount(self) -> None:
        # The list follows the field's value as it changes, within the key that changed it:
        # its Changed message arrives after the frame that draws the character.
        self.watch(self.query_one("#backlog-filter", Input), "value", self._filter_typed, False)
        self.table.count_rest = self._count_rest

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # (the filter was applied as its value changed: `_filter_typed`)

    def _filter_typed(self, value: str) -> None:
        """Narrow the list with the typed character, in its frame if such a list read
        quickly last time; else the character first and the list after (`reload`)."""
        self.query_state = replace(self.query_state, text=value)
        self.reload_typed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.set_focus(self.table)

    def action_sort(self) -> None:
        self.query_state = replace(self.query_state, sort=self.query_state.sort.next())
        self.reload()
        self.refresh_bindings()

    def action_back(self) -> None:
        box = self.query_one("#backlog-filter", Input)
        if box.value or box.has_focus:
            box.value = ""
            box.display = False
            self.set_focus(self.table)
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

    def action_trash(self) -> None:
        self.query_state = replace(self.query_state, in_trash=not self.query_state.in_trash)
        self._current_id = None
        self.reload()
        self.refresh_bindings()

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
