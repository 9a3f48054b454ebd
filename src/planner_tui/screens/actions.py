"""Action items: every action from every retro, with owner, due date, status and origin."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from planner_tui.domain.drafts import action_place
from planner_tui.domain.enums import ActionStatus
from planner_tui.domain.retro import ActionView
from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.export import ExportChoice, ExportPart
from planner_tui.screens.moves import MoveQueue
from planner_tui.services import directory, retro
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.row_view import RowColumn, RowView
from planner_tui.widgets.titlebar import TitleBar
from planner_tui.widgets.user_text import show_text

if TYPE_CHECKING:
    from planner_tui.screens.retro_close_modals import ActionFields

_NEXT_STATUS = {
    ActionStatus.OPEN: ActionStatus.IN_PROGRESS,
    ActionStatus.IN_PROGRESS: ActionStatus.DONE,
    ActionStatus.DONE: ActionStatus.DROPPED,
    ActionStatus.DROPPED: ActionStatus.OPEN,
}

_STATUS_STYLE = {
    ActionStatus.OPEN: "bold",
    ActionStatus.IN_PROGRESS: "bold cyan",
    ActionStatus.DONE: "green",
    ActionStatus.DROPPED: "dim",
}


class ActionsScreen(PlannerScreen[None]):
    """Every action item across retros; open ones first, overdue ones in red; edit in place."""

    WRITE_ACTIONS = frozenset({"edit", "next_status", "add"})

    CSS_PATH = str(styles_dir() / "retro.tcss")
    AUTO_FOCUS = "#actions"
    BINDINGS = [
        Binding("enter,e", "edit", "Edit", id="actions.edit", tooltip="Edit the action item"),
        Binding(
            "space",
            "next_status",
            "Status",
            id="actions.status",
            tooltip="Next status: open, in progress, done, dropped",
        ),
        Binding("a", "add", "Add", id="actions.add", tooltip="Add an action item"),
        Binding(
            "f",
            "toggle_finished",
            "Finished",
            id="actions.finished",
            tooltip="Show or hide done and dropped actions",
        ),
        Binding(
            "escape,h",
            "app.go('home')",
            "Home",
            id="actions.home",
            show=False,
            tooltip="Back to the home screen",
        ),
    ]

    def export_choices(self) -> list[ExportChoice]:
        """The actions as CSV and as Markdown, for the Export dialog."""

        part: ExportPart = {"what": "actions"}
        return [
            ExportChoice("csv", "CSV: the actions (for spreadsheets)", "actions", part),
            ExportChoice("markdown", "Markdown: the actions", "actions", part),
        ]

    def __init__(self) -> None:
        super().__init__(id="actions-screen")
        self.actions: list[ActionView] = []
        self.show_finished = False
        self._row = 0
        self._select: int | None = None
        """An action to put the cursor on at the next redraw (one just added)."""
        self._act = MoveQueue(self, "actions-act", self.reload)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="actions-head")
        yield RowView(id="actions")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.read_as_shown()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """An action was added, edited or reviewed elsewhere: list them afresh."""
        if kinds & {"action", "session", "person", "workspace"}:
            self.reload_soon()

    def reload(self) -> None:
        """Read every action item (one query) and draw the table, keeping the cursor's row."""
        from planner_tui.services.errors import USER_ERRORS, friendly

        try:
            everything = retro.actions(self.session)
        except USER_ERRORS as error:
            self.notify(friendly(error), severity="error")
            return
        today = self.clock()
        finished = (ActionStatus.DONE, ActionStatus.DROPPED)
        keep = self._current()
        table = self.query_one("#actions", RowView)
        self._row = table.cursor_row or 0
        self.actions = [a for a in everything if self.show_finished or a.status not in finished]
        ids = [a.id for a in self.actions]
        want, self._select = self._select, None
        cursor = None
        if want in ids:
            cursor = ids.index(want)
        elif keep is not None and keep.id in ids:
            cursor = ids.index(keep.id)
        elif (
            keep is not None and ids
        ):  # it went (done, hidden): stay on the row that took its place
            cursor = min(self._row, len(ids) - 1)
        table.show(self._columns(), len(self.actions), self._cells, cursor)
        open_count = sum(1 for a in everything if a.status not in finished)
        overdue_count = sum(1 for a in everything if a.overdue(today))
        head = Text.assemble(
            ("Action items", "bold"),
            (f"  ·  {open_count} open", ""),
            (f"  ·  {overdue_count} overdue (!)", "bold red") if overdue_count else ("", ""),
            (
                "  ·  showing all" if self.show_finished else "  ·  f shows done and dropped",
                "dim",
            ),
        )
        if not everything:
            head.append(
                "\n\nNo action items yet. They are agreed in a retro's Discuss phase "
                "(Retro screen, 6), or added here with a.",
                style="dim",
            )
        show_text(self.query_one("#actions-head", Static), head)

    def _columns(self) -> list[RowColumn]:
        """Under 100 columns, From gives way to the action."""
        columns = [RowColumn("Status", 11), RowColumn("Action"), RowColumn("Owner", 10)]
        columns.append(RowColumn("Due", 12))
        if self.size.width >= 100:
            columns.append(RowColumn("From"))
        return columns

    def _cells(self, index: int) -> list[Text]:
        """One action item's cells (made only when its row comes into view)."""
        action = self.actions[index]
        overdue = action.overdue(self.clock())
        due = action.due_date.isoformat() if action.due_date else "—"
        origin = action.origin or "added here"
        if action.prompted_by:
            origin += f": {action.prompted_by}"
        return [
            Text(action.status.value, style=_STATUS_STYLE[action.status]),
            Text(one_line(action.text, 200)),
            Text(one_line(action.owner or "—", 20)),
            Text(due + (" !" if overdue else ""), style="bold red" if overdue else ""),
            Text(one_line(origin, 200), style="dim"),
        ]

    def on_resize(self) -> None:
        """Wide or narrow: other columns, the same rows (nothing is read again)."""
        if self.is_mounted:
            table = self.query_one("#actions", RowView)
            table.show(self._columns(), len(self.actions), self._cells)

    def _current(self) -> ActionView | None:
        row = self.query_one("#actions", RowView).cursor_row
        if self.actions and row is not None and 0 <= row < len(self.actions):
            return self.actions[row]
        return None

    def action_toggle_finished(self) -> None:
        self.show_finished = not self.show_finished
        self.reload()

    def action_next_status(self) -> None:
        action = self._current()
        if action is None:
            return
        status = _NEXT_STATUS[action.status]
        self._act(
            partial(
                retro.update_action,
                self.session,
                action.id,
                text=action.text,
                owner=action.owner,
                due=action.due_date,
                status=status,
            ),
            f"{one_line(action.text, 30)}: {status.value}"
            + (
                " (f shows finished ones)"
                if status is ActionStatus.DONE and not self.show_finished
                else ""
            ),
        )

    def _people(self) -> list[str]:
        from planner_tui.services.errors import USER_ERRORS

        try:
            return directory.people(self.session)
        except USER_ERRORS:  # a busy file: no suggestions this time; the dialog still works
            return sorted({a.owner for a in self.actions if a.owner}, key=str.casefold)

    def on_row_view_selected(self, event: RowView.Selected) -> None:
        """Enter on a row edits it."""
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        from planner_tui.screens.retro_close_modals import ActionFields, ActionModal

        action = self._current()
        if action is None:
            return
        fields = ActionFields(
            text=action.text, owner=action.owner, due=action.due_date, status=action.status
        )
        self.host.push_typing(
            ActionModal("Edit the action item", self.clock(), self._people(), fields),
            partial(self._edited, action.id),
        )

    def _edited(self, action_id: int, fields: ActionFields | None) -> None:
        from planner_tui.screens.retro_close_modals import save_action

        if fields is not None:
            self._act(partial(save_action, self.session, action_id, fields), "Action item saved")

    def action_add(self) -> None:
        from planner_tui.screens.retro_close_modals import ActionModal

        self.host.push_typing(
            ActionModal("A new action item", self.clock(), self._people(), draft=action_place()),
            self._added,
        )

    def _added(self, fields: ActionFields | None) -> None:
        from planner_tui.domain.models import NewAction

        if fields is None:
            return
        action = NewAction(text=fields.text, owner=fields.owner, due=fields.due)

        def added(action_id: object) -> str:
            self._select = action_id if isinstance(action_id, int) else None
            return "Action item added"

        self._act(partial(retro.add_loose_action, self.session, action), added)
