"""The Sprint screen's state and drawing: the shown sprint, its board and the backlog read from
the workspace and put on screen; the rows under the cursor."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import DataTable, Static

from planner_tui.domain.sprint import (
    CapacityLine,
    SprintInfo,
    SprintItem,
)
from planner_tui.domain.text import count_of
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.latest_read import LatestRead
from planner_tui.screens.moves import MoveQueue
from planner_tui.services import sprints
from planner_tui.widgets.burndown import BurnDownChart
from planner_tui.widgets.fitted_columns import fit_columns
from planner_tui.widgets.row_view import RowColumn, RowView
from planner_tui.widgets.sprint_text import (
    CAPACITY_COLUMNS,
    NARROW_CAPACITY_COLUMNS,
    backlog_head_text,
    candidate_cells,
    capacity_rows,
    detail_text,
    head_text,
    item_cells,
    items_head_text,
    team_text,
)
from planner_tui.widgets.user_text import show_text


class SprintView(PlannerScreen[None]):
    """What the Sprint screen shows, read and drawn; its actions live in the parts built on it."""

    def __init__(self) -> None:
        super().__init__(id="sprint-screen")
        self.sprint_id: int | None = None
        self.all: list[SprintInfo] = []
        self.board: sprints.SprintBoard | None = None
        self.backlog: list[sprints.BacklogCandidate] = []
        self.backlog_total = 0
        self.marked: set[int] = set()
        self.find_text = ""
        self._act = MoveQueue(self, "sprint-act", self.reload)
        self._widths: dict[str, tuple[int, ...]] = {}
        self._shown_candidate: int | None = None
        """The backlog item under the cursor: it keeps the cursor when the list changes."""
        self.find = LatestRead(
            self,
            "sprint-find",
            self._read_candidates,
            self._show_candidates,
            shape=lambda: bool(self.find_text),  # (a text search scans; the top is indexed)
        )
        """Read the backlog's top for `find_text` in a worker and draw only that list: a
        search of 100,000 titles never holds up the keys (and a later read wins)."""

    def _read_candidates(self) -> tuple[str, list[sprints.BacklogCandidate], int]:
        text = self.find_text
        found, total = sprints.candidates(self.session, text)
        return text, found, total

    def _show_candidates(self, read: tuple[str, list[sprints.BacklogCandidate], int]) -> None:
        text, found, total = read
        if text != self.find_text:  # typed on meanwhile: its own read is coming
            return
        self.backlog, self.backlog_total = found, total
        self._draw_backlog()
        self._draw_detail()

    @property
    def sprint(self) -> SprintInfo | None:
        return self.board.sprint if self.board else None

    def on_screen_resume(self) -> None:
        self.read_as_shown()

    def on_resize(self) -> None:
        """Another size: the same rows, drawn to fit; nothing is read again."""
        if self.is_mounted and self.board is not None:
            self._draw(self.clock())

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Someone committed, finished, planned or changed capacity elsewhere: read again."""
        if kinds & {"sprint", "item", "risk", "person", "workspace"}:
            self.reload_soon()

    def reload(self) -> None:
        """Read the shown sprint and the top of the backlog, and draw them."""
        from planner_tui.services.errors import USER_ERRORS, friendly

        today = self.clock()
        try:
            self.all = sprints.all_sprints(self.session)
            shown = next((s for s in self.all if s.id == self.sprint_id), None)
            shown = shown or sprints.default_sprint(self.all)
            self.board = sprints.board(self.session, shown, today) if shown else None
            self.backlog, self.backlog_total = sprints.candidates(self.session, self.find_text)
        except USER_ERRORS as error:
            self.notify(friendly(error), severity="error")
            return
        self.sprint_id = shown.id if shown else None
        gone = self.marked - {c.item_id for c in self.backlog}
        if gone and not self.find_text:
            self.notify(
                f"{count_of(len(gone), 'marked item')} left the backlog (committed or changed "
                "elsewhere): unmarked.",
                severity="warning",
            )
        if not self.find_text:
            self.marked -= gone
        self._draw(today)

    def _draw(self, today: date) -> None:
        self._draw_head(today)
        self._draw_capacity()
        self._draw_items()
        self._draw_backlog()
        self.query_one(BurnDownChart).burn = self.board.burn if self.board else None
        self.query_one(BurnDownChart).refresh()
        self._draw_detail()
        self.refresh_bindings()

    def _draw_head(self, today: date) -> None:
        text = head_text(self.sprint, self.all, today, wide=self.size.width >= 100)
        show_text(self.query_one("#sprint-head", Static), text)

    def _draw_capacity(self) -> None:
        team = self.query_one("#team-capacity", Static)
        table = self.query_one("#capacity", DataTable)
        width = self.query_one("#capacity-box").size.width or self.size.width // 2
        board = self.board
        if board is None:
            show_text(team, Text(""))
            table.clear(columns=True)
            return
        show_text(team, team_text(board, max(width - 2, 10)))
        columns = CAPACITY_COLUMNS if width >= 54 else NARROW_CAPACITY_COLUMNS
        self._widths["capacity"] = fit_columns(
            table, width, columns, self._widths.get("capacity", ())
        )
        load_width = max(self._widths["capacity"][-1] - 10, 4)
        keep = table.cursor_row
        table.clear()
        for cells, key in capacity_rows(board, columns, load_width):
            table.add_row(*cells, key=key)
        if keep is not None and table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _draw_items(self) -> None:
        head = self.query_one("#items-head", Static)
        show_text(head, items_head_text(self.board))
        items = self.board.items if self.board else ()
        columns = [RowColumn("", 1), RowColumn("Key", 7), RowColumn("Item")]
        columns += [RowColumn("Pts", 4), RowColumn("Owner", 8, optional=True)]
        self.query_one("#sprint-items", RowView).show(
            columns, len(items), lambda index: item_cells(items[index])
        )

    def _draw_backlog(self, cursor: int | None = None) -> None:
        """The backlog to commit from; the cursor on `cursor`, else on the item it was on
        wherever that moved, else where it was."""
        view = self.query_one("#candidates", RowView)
        backlog, marked = self.backlog, self.marked
        if cursor is None and (shown := self._shown_candidate) is not None:
            cursor = next((n for n, c in enumerate(backlog) if c.item_id == shown), None)
        columns = [RowColumn("", 1), RowColumn("Key", 7), RowColumn("Item"), RowColumn("Pts", 4)]
        view.show(
            columns,
            len(backlog),
            lambda index: candidate_cells(backlog[index], backlog[index].item_id in marked),
            cursor,
        )
        self._draw_backlog_head()

    def _draw_backlog_head(self) -> None:
        text = backlog_head_text(
            self.backlog, self.backlog_total, self.marked, self.find_text, self.sprint
        )
        show_text(self.query_one("#backlog-head", Static), text)

    def _draw_detail(self) -> None:
        focused = self.focused.id if self.focused else None
        item = self._current_item() if focused == "sprint-items" else None
        candidate = self._current_candidate() if focused == "candidates" else None
        # (unchanged, it is not drawn again: a find key that left the cursor's item as it
        # was drew the line at the bottom, and every line of the lists between it and the
        # find box came with it)
        show_text(
            self.query_one("#sprint-detail", Static), detail_text(item, candidate, self.sprint)
        )

    def on_data_table_row_highlighted(self) -> None:
        self._draw_detail()

    def cursor_moved(self, event: RowView.Highlighted) -> None:
        """A list's cursor moved: the line about the item under it follows at once."""
        if event.view.id == "candidates":
            current = self._current_candidate()
            self._shown_candidate = current.item_id if current else None
        self._draw_detail()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()
        if self.is_mounted:
            self._draw_detail()

    def _current_item(self) -> SprintItem | None:
        row = self.query_one("#sprint-items", RowView).cursor_row
        items = self.board.items if self.board else ()
        return items[row] if items and row is not None and 0 <= row < len(items) else None

    def _current_candidate(self) -> sprints.BacklogCandidate | None:
        row = self.query_one("#candidates", RowView).cursor_row
        shown = self.backlog
        return shown[row] if shown and row is not None and 0 <= row < len(shown) else None

    def _current_person(self) -> CapacityLine | None:
        row = self.query_one("#capacity", DataTable).cursor_row
        people = self.board.people if self.board else ()
        return people[row] if people and row is not None and 0 <= row < len(people) else None
