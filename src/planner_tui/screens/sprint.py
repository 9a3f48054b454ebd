"""Sprint: capacity against commitment, velocity, the ranked backlog to commit from, scope
change after the start, closing, and a burn-down."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Static

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.models import NewSprint
from planner_tui.domain.sprint import (
    CapacityLine,
    CloseResult,
    SprintInfo,
    SprintItem,
    show_points,
    working_days,
)
from planner_tui.domain.text import count_of, one_line, sentence
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.export import ExportChoice
from planner_tui.screens.moves import MoveQueue
from planner_tui.services import directory, sprints
from planner_tui.widgets.burndown import BurnDownChart
from planner_tui.widgets.capacity_bar import capacity_bar
from planner_tui.widgets.fitted_columns import fit_columns
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.list_table import ListTable
from planner_tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    from planner_tui.screens.sprint_modals import Closing

_ON_ITEMS = {"done", "remove", "owner"}
_ON_BACKLOG = {"mark", "commit", "find"}
_ON_PEOPLE = {"edit_person", "remove_person"}


class SprintScreen(PlannerScreen[None]):
    """One sprint at a time: the capacity and burn-down above, its items and the backlog below."""

    WRITE_ACTIONS = frozenset(
        {
            "plan",
            "edit",
            "mark",
            "commit",
            "done",
            "owner",
            "remove",
            "add_person",
            "edit_person",
            "remove_person",
            "start",
            "close_sprint",
            "raise_risk",
        }
    )

    CSS_PATH = str(styles_dir() / "sprint.tcss")
    AUTO_FOCUS = "#candidates"
    BINDINGS = [
        Binding("p", "plan", "New sprint", id="sprint.plan", tooltip="Plan the next sprint"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="sprint.edit",
            tooltip="Change the sprint's name, goal, dates, points per day, reserve, guess",
        ),
        Binding("space", "mark", "Mark", id="sprint.mark", tooltip="Mark an item to commit"),
        Binding(
            "c",
            "commit",
            "Commit",
            id="sprint.commit",
            tooltip="Commit the marked items (or this one) to the sprint",
        ),
        Binding("slash", "find", "Find", id="sprint.find", tooltip="Find backlog items by text"),
        Binding("d", "done", "Done", id="sprint.done", tooltip="Mark the item done, or not"),
        Binding("o", "owner", "Owner", id="sprint.owner", tooltip="Who takes the item"),
        Binding(
            "delete,backspace,minus",
            "remove",
            "Remove",
            id="sprint.remove",
            tooltip="Take the item out of the sprint (after the start: scope change)",
        ),
        Binding(
            "a", "add_person", "Capacity", id="sprint.add_person", tooltip="Add a person's capacity"
        ),
        Binding(
            "enter", "edit_person", "Edit", id="sprint.edit_person", tooltip="Change their capacity"
        ),
        Binding(
            "delete,backspace,minus",
            "remove_person",
            "Remove",
            id="sprint.remove_person",
            tooltip="Take the person out of this sprint's capacity",
        ),
        Binding("s", "start", "Start", id="sprint.start", tooltip="Start the planned sprint"),
        Binding(
            "C",
            "close_sprint",
            "Close",
            id="sprint.close",
            tooltip="Close the sprint: what is done, where the rest goes",
        ),
        Binding(
            "exclamation_mark",
            "raise_risk",
            "Risk",
            id="sprint.raise_risk",
            tooltip="Raise a risk against the item, or the sprint",
        ),
        Binding(
            "left_square_bracket",
            "other(-1)",
            "Earlier",
            id="sprint.earlier",
            show=False,
            tooltip="Show the sprint before",
        ),
        Binding(
            "right_square_bracket",
            "other(1)",
            "Later",
            id="sprint.later",
            show=False,
            tooltip="Show the sprint after",
        ),
        Binding(
            "escape,h",
            "back",
            "Home",
            id="sprint.home",
            show=False,
            tooltip="Leave the search, or go to the home screen",
        ),
    ]

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

    @property
    def sprint(self) -> SprintInfo | None:
        return self.board.sprint if self.board else None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="sprint-head")
        with Horizontal(id="sprint-top"):
            with Vertical(id="capacity-box"):
                yield Static(id="team-capacity")
                yield ListTable(id="capacity")
            yield BurnDownChart(id="burndown")
        with Horizontal(id="sprint-body"):
            with Vertical(id="items-box"):
                yield Static(id="items-head", classes="pane-head")
                yield ListTable(id="sprint-items")
            with Vertical(id="backlog-box"):
                yield Static(id="backlog-head", classes="pane-head")
                yield Input(id="backlog-find", placeholder="find by key or title; enter keeps it")
                yield ListTable(id="candidates")
        yield Static(id="sprint-detail")
        yield KeyBar()

    # --- reading and drawing ---------------------------------------------------------------

    def on_screen_resume(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        if self.is_mounted:
            self.reload()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Someone committed, finished, planned or changed capacity elsewhere: read again."""
        if kinds & {"sprint", "item", "risk", "person", "workspace"}:
            self.reload()

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
        self._draw_head(today)
        self._draw_capacity()
        self._draw_items()
        self._draw_backlog()
        self.query_one(BurnDownChart).burn = self.board.burn if self.board else None
        self.query_one(BurnDownChart).refresh()
        self._draw_detail()
        self.refresh_bindings()

    def _draw_head(self, today: date) -> None:
        head = self.query_one("#sprint-head", Static)
        sprint = self.sprint
        if sprint is None:
            head.update(
                Text.assemble(
                    ("No sprints yet", "bold"),
                    ("  ·  p plans the first one; then a adds each person's capacity", "dim"),
                )
            )
            return
        position = next(i for i, s in enumerate(self.all) if s.id == sprint.id) + 1
        status_style = {"active": "bold green", "planned": "bold yellow", "closed": "dim"}
        line = Text.assemble(
            (one_line(sprint.name, 40), "bold"),
            "  ",
            (sprint.status.value, status_style[sprint.status.value]),
            f"  ·  {sprint.start_date:%d %b} → {sprint.end_date:%d %b %Y}",
        )
        if self.size.width >= 100:
            line.append(f" ({working_days(sprint.start_date, sprint.end_date)} working days)")
        if sprint.status is SprintStatus.ACTIVE:
            line.append(f"  ·  {sprint.day_of(today)}")
        if sprint.status is SprintStatus.CLOSED and sprint.completed_points is not None:
            line.append(f"  ·  completed {show_points(sprint.completed_points)} points")
        line.append(f"  ·  {position} of {len(self.all)} [ ]", style="dim")
        line.append("\nGoal: ", style="bold")
        line.append(one_line(sprint.goal, 300) if sprint.goal else "none yet (e sets it)")
        head.update(line)

    def _draw_capacity(self) -> None:
        team = self.query_one("#team-capacity", Static)
        table = self.query_one("#capacity", DataTable)
        width = self.query_one("#capacity-box").size.width or self.size.width // 2
        board = self.board
        if board is None:
            team.update("")
            table.clear(columns=True)
            return
        room = board.capacity
        bar_width = max(width - 2, 10)
        sprint = board.sprint
        if sprint.status is SprintStatus.CLOSED:
            text = Text.assemble(
                ("Closed ", "bold"),
                f"{show_points(sprint.completed_points or 0)} of "
                f"{show_points(room.committed)} committed points done: its velocity",
                (f"\ncapacity was {show_points(room.team)}", "dim"),
                (f"\nbefore it: {board.velocity.describe()}\n", "dim"),
            )
        elif board.people:
            text = Text.assemble(
                ("Team ", "bold"),
                f"{show_points(room.committed)} of {show_points(room.plannable)} plannable",
                (
                    f" · {show_points(room.over_by)} over"
                    if room.over_by
                    else f" · {show_points(room.plannable - room.committed)} free",
                    "bold red" if room.over_by else "green",
                ),
                (
                    f"\ncapacity {show_points(room.team)}, reserve {show_points(room.reserve)}"
                    f" ({sprint.reserve_percent}%)\n{board.velocity.describe()}\n",
                    "dim",
                ),
            )
        else:
            text = Text.assemble(
                ("Team ", "bold"),
                f"{show_points(room.committed)} committed",
                ("\nno capacity yet: a adds each person's days", "yellow"),
                (f"\n{board.velocity.describe()}\n", "dim"),
            )
        if board.people or board.velocity.average is None:
            text.append_text(capacity_bar(room.committed, room.team, room.reserve, bar_width))
        else:  # no capacity yet: measure against the velocity (or the guess)
            text.append_text(capacity_bar(room.committed, board.velocity.average, 0, bar_width))
        scope = board.scope
        if sprint.status is SprintStatus.PLANNED:
            text.append("\nscope change is counted from the start", style="dim")
        else:
            text.append("\n" + scope.describe(), style="bold magenta" if scope.events else "dim")
        team.update(text)
        columns = [("Person", 10), ("Days", 4), ("Off", 3), ("Focus", 5), ("Pts", 5), ("Load", 0)]
        if width < 54:  # narrow: days, days off and focus are in the dialog (enter)
            columns = [("Person", 8), ("Pts", 5), ("Load", 0)]
        self._widths["capacity"] = fit_columns(
            table, width, columns, self._widths.get("capacity", ())
        )
        load_width = max(self._widths["capacity"][-1] - 10, 4)
        keep = table.cursor_row
        table.clear()
        for line, load in zip(board.people, room.listed, strict=True):
            overload = load.committed > load.capacity + 0.05
            cells = {
                "Person": Text(one_line(line.person, 20)),
                "Days": show_points(line.days_available),
                "Off": show_points(line.days_off),
                "Focus": show_points(line.focus_factor),
                "Pts": Text(
                    show_points(load.capacity), style="italic" if line.points_override else ""
                ),
                "Load": Text.assemble(
                    capacity_bar(load.committed, load.capacity, 0, load_width),
                    (f" {show_points(load.committed)}", "bold red" if overload else ""),
                ),
            }
            table.add_row(*(cells[name] for name, _ in columns), key=line.person)
        blanks = [""] * (len(columns) - 2)
        for load in room.people:
            if not load.listed:  # owns items, but has no capacity in this sprint
                table.add_row(
                    Text(one_line(load.person, 20), style="yellow"),
                    *blanks,
                    Text(f"{show_points(load.committed)} points, no capacity (a)", style="yellow"),
                    key=f"\0{load.person}",
                )
        if room.unassigned:
            table.add_row(
                Text("nobody", style="dim italic"),
                *blanks,
                Text(f"{show_points(room.unassigned)} points not taken yet (o)", style="dim"),
                key="\0nobody",
            )
        if keep is not None and table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _draw_items(self) -> None:
        table = self.query_one("#sprint-items", DataTable)
        head = self.query_one("#items-head", Static)
        board = self.board
        width = self.query_one("#items-box").size.width or self.size.width // 2
        columns = [("", 2), ("Key", 7), ("Item", 0), ("Pts", 4), ("Owner", 8)]
        self._widths["items"] = fit_columns(table, width, columns, self._widths.get("items", ()))
        keep = table.cursor_row
        table.clear()
        if board is None:
            head.update(Text("In the sprint: nothing (no sprint yet)", style="dim"))
            return
        live = board.live_items
        head.update(
            Text.assemble(
                ("In the sprint ", "bold"),
                f"{count_of(len(live), 'item')} · {show_points(board.capacity.committed)} points"
                f" · {show_points(board.done_points)} points done",
                (" · + added after the start, − taken out" if board.scope.events else "", "dim"),
                (" · ↻ carried over" if any(i.carried_from for i in live) else "", "dim"),
            )
        )
        for item in board.items:
            table.add_row(*self._item_cells(item), key=str(item.item_id))
        if keep is not None and table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    @staticmethod
    def _item_cells(item: SprintItem) -> list[Text]:
        if not item.in_sprint:
            mark, style = Text("−", style="bold magenta"), "dim strike"
        elif item.done:
            mark, style = Text("✓", style="bold green"), "dim"
        elif item.added_after_start:
            mark, style = Text("+", style="bold magenta"), ""
        elif item.carried_from:
            mark, style = Text("↻", style="yellow"), ""
        else:
            mark, style = Text(""), ""
        title = Text(one_line(item.title, 200), style=style)
        if item.blocking_risk and item.in_sprint and not item.done:
            title = Text.assemble(("⛔ ", "bold red"), title)
        return [
            mark,
            Text(item.key, style="dim" if style else "bold"),
            title,
            Text(
                show_points(item.estimate) if item.estimate is not None else "?",
                style="" if item.estimate is not None else "yellow",
            ),
            Text(one_line(item.owner or "—", 20), style="dim" if not item.owner else ""),
        ]

    def _draw_backlog(self) -> None:
        table = self.query_one("#candidates", DataTable)
        width = self.query_one("#backlog-box").size.width or self.size.width // 2
        columns = [("", 1), ("Key", 7), ("Item", 0), ("Pts", 4)]
        self._widths["backlog"] = fit_columns(
            table, width, columns, self._widths.get("backlog", ())
        )
        keep = table.cursor_row
        keep_key = None
        if table.row_count and keep is not None and 0 <= keep < table.row_count:
            keep_key = table.coordinate_to_cell_key(Coordinate(keep, 0)).row_key.value
        table.clear()
        for candidate in self.backlog:
            table.add_row(*self._candidate_cells(candidate), key=str(candidate.item_id))
        ids = [str(c.item_id) for c in self.backlog]
        if keep_key in ids:  # the same item, wherever it moved
            table.move_cursor(row=ids.index(keep_key))
        elif keep is not None and table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self._draw_backlog_head()

    def _candidate_cells(self, candidate: sprints.BacklogCandidate) -> list[Text]:
        title = Text(one_line(candidate.title, 200))
        if candidate.blocking_risk:
            title = Text.assemble(("⛔ ", "bold red"), title)
        return [
            Text("●", style="bold cyan") if candidate.item_id in self.marked else Text(""),
            Text(candidate.key, style="bold"),
            title,
            Text(show_points(candidate.estimate), style="")
            if candidate.estimate is not None
            else Text("?", style="yellow"),
        ]

    def _draw_backlog_head(self) -> None:
        marked = [c for c in self.backlog if c.item_id in self.marked]
        points = sum(c.estimate or 0 for c in marked)
        shown = len(self.backlog)
        text = Text.assemble(
            ("Ranked backlog ", "bold"),
            f"{count_of(self.backlog_total, 'open item')}",
            (f" (top {shown} shown)" if shown < self.backlog_total else "", "dim"),
            (f" matching “{one_line(self.find_text, 20)}”" if self.find_text else "", "italic"),
        )
        if self.sprint is not None and self.sprint.status is SprintStatus.CLOSED:
            text.append(" · this sprint is closed: [ ] for the others", style="dim")
        elif not self.backlog_total and not self.find_text:
            text.append(" · nothing to commit: n adds an item", style="yellow")
        elif marked:
            text.append(
                f" · {len(marked)} marked, {show_points(points)} pts: c",
                style="bold cyan",
            )
        else:
            text.append(" · space marks, c commits", style="dim")
        self.query_one("#backlog-head", Static).update(text)

    def _draw_detail(self) -> None:
        detail = self.query_one("#sprint-detail", Static)
        focused = self.focused.id if self.focused else None
        item = self._current_item() if focused == "sprint-items" else None
        candidate = self._current_candidate() if focused == "candidates" else None
        if item is not None:
            said = Text.assemble(
                (f"{item.key} ", "bold"),
                f"committed by {one_line(item.added_by, 20)} {item.added_at:%a %d %b %H:%M}",
                (" after the start (scope change)", "magenta") if item.added_after_start else "",
            )
            if item.removed_at:
                said.append(
                    f" · taken out by {one_line(item.removed_by or '?', 20)} "
                    f"{item.removed_at:%a %d %b %H:%M}",
                    style="magenta",
                )
            if item.done_at:
                said.append(f" · done {item.done_at:%a %d %b}", style="green")
            if item.carried_from:
                said.append(f" · carried over from {one_line(item.carried_from, 30)}")
            if self.sprint and self.sprint.status is SprintStatus.CLOSED and not item.done:
                where = (
                    f"now in {one_line(item.now_in, 30)}" if item.now_in else "back in the backlog"
                )
                said.append(f" · not finished: {where}", style="yellow")
            if item.blocking_risk:
                said.append(f" · blocking risk R-{item.blocking_risk}", style="bold red")
        elif candidate is not None:
            said = Text.assemble(
                (f"{candidate.key} ", "bold"),
                (one_line(candidate.title, 60) + " ", ""),
                (f"· {candidate.kind} · {candidate.status}", "dim"),
            )
            if candidate.refusal:
                said = Text.assemble(
                    (f"{candidate.key} ", "bold"),
                    (
                        f"has blocking risk R-{candidate.blocking_risk}: resolve, mitigate or "
                        "accept it on the Risks screen to commit it",
                        "red",
                    ),
                )
        else:
            said = Text("tab moves between capacity, the sprint and the backlog", style="dim")
        detail.update(said)

    def on_data_table_row_highlighted(self) -> None:
        self._draw_detail()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()
        if self.is_mounted:
            self._draw_detail()

    # --- which keys are live ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if super().check_action(action, parameters) is False:
            return False
        focused = self.focused.id if self.focused else None
        closed = self.sprint is not None and self.sprint.status is SprintStatus.CLOSED
        if closed and action in _ON_ITEMS | _ON_PEOPLE | {"commit", "mark", "add_person"}:
            return False  # a closed sprint is history
        if action in _ON_ITEMS:
            return focused == "sprint-items"
        if action in _ON_BACKLOG:
            return focused == "candidates"
        if action in _ON_PEOPLE:
            return focused == "capacity"
        sprint = self.sprint
        if action == "start":
            return sprint is not None and sprint.status is SprintStatus.PLANNED
        if action == "close_sprint":
            return sprint is not None and sprint.status is SprintStatus.ACTIVE
        if action == "edit":
            return sprint is not None and not closed
        if action == "add_person":
            return sprint is not None
        return True

    # --- moving about ----------------------------------------------------------------------

    def action_other(self, step: int) -> None:
        ids = [s.id for s in self.all]
        if self.sprint_id in ids:
            index = min(max(ids.index(self.sprint_id) + step, 0), len(ids) - 1)
            self.sprint_id = ids[index]
            self.reload()

    def action_back(self) -> None:
        find = self.query_one("#backlog-find", Input)
        if self.focused is find or self.find_text:  # escape ends the search first
            find.value = ""
            find.display = False
            self.query_one("#candidates").focus()
        else:
            self.host.action_go("home")

    def export_choices(self) -> list[ExportChoice]:
        """This sprint's summary and its lossless JSON, for the Export dialog."""

        sprint = self.sprint
        if sprint is None:
            return []
        name = one_line(sprint.name, 40)
        slug = f"sprint-{sprint.id}"
        return [
            ExportChoice("markdown", f"Markdown: {name}'s summary", slug, {"sprint": sprint.id}),
            ExportChoice("json", f"JSON: {name}, lossless", slug, {"sprint": sprint.id}),
        ]

    def go_again(self) -> None:
        """The Sprint key pressed on this screen: back to the current sprint."""
        self.sprint_id = None
        self.reload()

    def action_find(self) -> None:
        box = self.query_one("#backlog-find", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "backlog-find":
            self.find_text = event.value
            self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "backlog-find":
            event.stop()
            if not event.value:
                event.input.display = False
            self.query_one("#candidates").focus()

    # --- the items under the cursor --------------------------------------------------------

    def _current_item(self) -> SprintItem | None:
        row = self.query_one("#sprint-items", DataTable).cursor_row
        items = self.board.items if self.board else ()
        return items[row] if items and row is not None and 0 <= row < len(items) else None

    def _current_candidate(self) -> sprints.BacklogCandidate | None:
        row = self.query_one("#candidates", DataTable).cursor_row
        shown = self.backlog
        return shown[row] if shown and row is not None and 0 <= row < len(shown) else None

    def _current_person(self) -> CapacityLine | None:
        row = self.query_one("#capacity", DataTable).cursor_row
        people = self.board.people if self.board else ()
        return people[row] if people and row is not None and 0 <= row < len(people) else None

    # --- committing ------------------------------------------------------------------------

    def action_mark(self) -> None:
        candidate = self._current_candidate()
        if candidate is None:
            return
        self.marked ^= {candidate.item_id}
        table = self.query_one("#candidates", DataTable)
        row = table.cursor_row
        table.update_cell_at(
            Coordinate(row, 0),
            Text("●", style="bold cyan") if candidate.item_id in self.marked else "",
        )
        table.move_cursor(row=min(row + 1, table.row_count - 1))
        self._draw_backlog_head()

    def action_commit(self) -> None:
        from planner_tui.screens.modal import ConfirmModal

        board = self.board
        if board is None:
            self.notify("Plan a sprint first: p.", severity="warning")
            return
        if board.sprint.status is SprintStatus.CLOSED:
            self.notify(f"{board.sprint.name} is closed; [ ] shows the others.", severity="warning")
            return
        chosen = [c for c in self.backlog if c.item_id in self.marked]
        if not chosen and (current := self._current_candidate()) is not None:
            chosen = [current]
        refused = [c for c in chosen if c.refusal]
        if refused:
            self._say_refused([c.refusal or "" for c in refused])
            self.marked -= {c.item_id for c in refused}
            self._draw_backlog()
        chosen = [c for c in chosen if not c.refusal]
        if not chosen:
            return
        check = sprints.commit_check(board, chosen)
        warnings = check.warnings
        if board.sprint.status is SprintStatus.ACTIVE:
            warnings.append(
                f"{board.sprint.name} has started: this is scope change, recorded with your name"
            )
        ids = [c.item_id for c in chosen]
        if not warnings:
            self._commit(ids, True)
            return
        keys = ", ".join(c.key for c in chosen[:6]) + (" …" if len(chosen) > 6 else "")
        what = f"Commit {keys} ({show_points(check.points)} points) to {board.sprint.name}?"
        question = what + "\n\n" + "\n".join(f"⚠ {w}" for w in warnings)
        self.app.push_screen(ConfirmModal(question), partial(self._commit, ids))

    def _commit(self, item_ids: list[int], go: bool | None) -> None:
        if not go or self.sprint_id is None:
            return
        sprint_id = self.sprint_id
        self.marked -= set(item_ids)

        def said(result: tuple[list[str], list[str]]) -> str:
            committed, refused = result
            if refused:
                self.app.call_from_thread(self._say_refused, refused)
            return f"Committed {', '.join(committed)}" if committed else ""

        self._act(partial(sprints.commit, self.session, sprint_id, item_ids), said)

    def _say_refused(self, refusals: list[str]) -> None:
        """Say, at length and in red, which items stayed out and how to let them in."""
        more = f"\n… and {len(refusals) - 3} more" if len(refusals) > 3 else ""
        self.notify(
            "\n".join(sentence(r) + "." for r in refusals[:3]) + more,
            title="Not committed",
            severity="error",
            timeout=15,
        )

    # --- the sprint's items ----------------------------------------------------------------

    def action_done(self) -> None:
        item = self._current_item()
        if item is not None and not item.in_sprint:
            self.notify(f"{item.key} was taken out of the sprint; c on the backlog puts it back.")
            return
        if item is None or self.sprint_id is None:
            return
        done = not item.done
        self._act(
            partial(sprints.set_done, self.session, self.sprint_id, item.item_id, done),
            f"{item.key} {'done' if done else 'not done'}",
        )

    def action_remove(self) -> None:
        from planner_tui.screens.modal import ConfirmModal

        item = self._current_item()
        if item is None or not item.in_sprint or self.sprint is None:
            return
        if self.sprint.status is SprintStatus.ACTIVE:
            question = (
                f"Take {item.key} out of {one_line(self.sprint.name, 30)}? It has started: "
                "this is recorded as scope change, with your name."
            )
            self.app.push_screen(ConfirmModal(question), partial(self._removed, item))
            return
        self._removed(item, True)

    def _removed(self, item: SprintItem, go: bool | None) -> None:
        if not go or self.sprint_id is None:
            return
        self._act(
            partial(sprints.remove, self.session, self.sprint_id, item.item_id),
            f"{item.key} taken out of the sprint",
        )

    def action_owner(self) -> None:
        from planner_tui.screens.sprint_modals import OwnerModal

        item = self._current_item()
        if item is None or not item.in_sprint:
            return
        self.app.push_screen(
            OwnerModal(item.key, item.owner, directory.known_people(self.session)),
            partial(self._owned, item),
        )

    def _owned(self, item: SprintItem, owner: str | None) -> None:
        if owner is None or self.sprint_id is None:
            return
        self._act(
            partial(sprints.set_owner, self.session, self.sprint_id, item.item_id, owner or None),
            f"{item.key}: {one_line(owner, 20) if owner else 'nobody'}",
        )

    # --- capacity --------------------------------------------------------------------------

    def action_add_person(self) -> None:
        self._ask_capacity(None)

    def action_edit_person(self) -> None:
        line = self._current_person()
        if line is not None:
            self._ask_capacity(line)

    def _ask_capacity(self, line: CapacityLine | None) -> None:
        from planner_tui.screens.sprint_modals import CapacityModal

        sprint = self.sprint
        if sprint is None:
            return
        modal = CapacityModal(
            line,
            people=directory.known_people(self.session),
            taken=[p.person for p in self.board.people] if self.board else [],
            sprint_days=working_days(sprint.start_date, sprint.end_date),
            calendar_days=(sprint.end_date - sprint.start_date).days + 1,
            points_per_day=sprint.points_per_day,
        )
        self.app.push_screen(modal, self._capacity_given)

    def _capacity_given(self, line: CapacityLine | None) -> None:
        if line is None or self.sprint_id is None:
            return
        self._act(
            partial(sprints.set_capacity, self.session, self.sprint_id, line),
            f"Capacity of {one_line(line.person, 20)} saved",
        )

    def action_remove_person(self) -> None:
        from planner_tui.screens.modal import ConfirmModal

        line = self._current_person()
        if line is None or self.sprint is None:
            return
        question = (
            f"Take {one_line(line.person, 20)} out of {one_line(self.sprint.name, 30)}'s "
            "capacity? Their items keep them as owner."
        )
        self.app.push_screen(ConfirmModal(question), partial(self._person_removed, line.person))

    def _person_removed(self, person: str, go: bool | None) -> None:
        if go and self.sprint_id is not None:
            self._act(
                partial(sprints.remove_capacity, self.session, self.sprint_id, person),
                f"{one_line(person, 20)} taken out of this sprint's capacity",
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a person changes their capacity (the table takes enter itself)."""
        if event.data_table.id == "capacity":
            event.stop()
            self.action_edit_person()

    # --- the sprint itself -----------------------------------------------------------------

    def action_plan(self) -> None:
        from planner_tui.screens.sprint_modals import SprintModal

        draft = sprints.following(self.all, self.clock())
        first = not any(s.status is SprintStatus.CLOSED for s in self.all)
        self.app.push_screen(
            SprintModal(draft, editing=False, first=first, today=self.clock()), self._planned
        )

    def _planned(self, sprint: NewSprint | None) -> None:
        if sprint is None:
            return

        def show(sprint_id: int) -> str:
            self.sprint_id = sprint_id
            return f"Planned {one_line(sprint.name, 30)}: a adds capacity, c commits items"

        self._act(partial(sprints.plan_sprint, self.session, sprint), show)

    def action_edit(self) -> None:
        from planner_tui.domain.models import NewSprint
        from planner_tui.screens.sprint_modals import SprintModal

        sprint = self.sprint
        if sprint is None:
            return
        draft = NewSprint(
            name=sprint.name,
            goal=sprint.goal,
            start=sprint.start_date,
            end=max(sprint.end_date, sprint.start_date),
            status=sprint.status,
            points_per_day=sprint.points_per_day,
            reserve_percent=sprint.reserve_percent,
            velocity_guess=sprint.velocity_guess,
        )
        first = not any(s.status is SprintStatus.CLOSED for s in self.all)
        self.app.push_screen(
            SprintModal(draft, editing=True, first=first, today=self.clock()),
            partial(self._edited, sprint.id),
        )

    def _edited(self, sprint_id: int, sprint: NewSprint | None) -> None:
        if sprint is not None:
            self._act(
                partial(sprints.edit_sprint, self.session, sprint_id, sprint),
                f"{one_line(sprint.name, 30)} saved",
            )

    def action_start(self) -> None:
        from planner_tui.screens.modal import ConfirmModal

        board = self.board
        if board is None or board.sprint.status is not SprintStatus.PLANNED:
            return
        active = next((s for s in self.all if s.status is SprintStatus.ACTIVE), None)
        if active is not None:
            self.notify(
                f"{active.name} is active: close it (C, on its page) before starting another.",
                severity="warning",
            )
            return
        today = self.clock()
        against = (
            f"of {show_points(board.capacity.plannable)} plannable points"
            if board.people
            else "points; no capacity entered"
        )
        question = (
            f"Start {board.sprint.name} with {count_of(len(board.live_items), 'item')} "
            f"({show_points(board.capacity.committed)} {against})?\n\nFrom now on, items added "
            "or taken out are recorded as scope change."
        )
        if board.capacity.over_by and board.people:
            question += f"\n\n⚠ {show_points(board.capacity.over_by)} points over capacity."
        if today < board.sprint.start_date:
            days = working_days(today, board.sprint.end_date)
            question += (
                f"\n\n⚠ It was to start on {board.sprint.start_date:%a %d %b}; "
                f"started now, its first day becomes today ({today:%a %d %b}) and it has "
                f"{days} working days (people with the whole sprint get them all)."
            )
        self.app.push_screen(ConfirmModal(question), partial(self._started, board.sprint))

    def _started(self, sprint: SprintInfo, go: bool | None) -> None:
        if go:
            self._act(
                partial(sprints.start, self.session, sprint, self.clock()),
                f"{one_line(sprint.name, 30)} started",
            )

    def action_close_sprint(self) -> None:
        from planner_tui.screens.sprint_modals import CloseModal

        board = self.board
        if board is None or board.sprint.status is not SprintStatus.ACTIVE:
            return
        planned = [(s.id, s.name) for s in self.all if s.status is SprintStatus.PLANNED]
        new_name = sprints.following(self.all, self.clock()).name
        today = self.clock()
        early = board.sprint.end_date if today < board.sprint.end_date else None
        modal = CloseModal(board.sprint.name, list(board.live_items), planned, new_name, ends=early)
        self.app.push_screen(modal, partial(self._close_chosen, board.sprint))

    def _close_chosen(self, sprint: SprintInfo, closing: Closing | None) -> None:
        from planner_tui.domain.sprint import ClosePlan

        if closing is None:
            return
        plan = ClosePlan(done=closing.done, carry_to=closing.carry_to)
        new_sprint = sprints.following(self.all, self.clock()) if closing.new_sprint else None

        def said(result: CloseResult) -> str:
            moved = []
            if result.to_sprint:
                moved.append(
                    f"{count_of(len(result.to_sprint), 'item')} into "
                    f"{one_line(result.carried_to or 'the next sprint', 30)}"
                )
            if result.to_backlog:
                moved.append(
                    f"{count_of(len(result.to_backlog), 'item')} to the top of the backlog"
                )
            return (
                f"Closed {one_line(sprint.name, 30)}: {show_points(result.completed)} points done"
                + (f"; {', '.join(moved)}" if moved else "")
            )

        self._act(partial(sprints.close, self.session, sprint.id, plan, new_sprint), said)

    def action_raise_risk(self) -> None:
        from planner_tui.screens.risks import raise_risk_from

        focused = self.focused.id if self.focused else None
        key = ""
        if focused == "sprint-items" and (item := self._current_item()) is not None:
            key = item.key
        elif focused == "candidates" and (candidate := self._current_candidate()) is not None:
            key = candidate.key
        sprint = self.sprint
        live = sprint is not None and sprint.status is not SprintStatus.CLOSED
        raise_risk_from(self.app, key, sprint=sprint.name if live and sprint else "")
