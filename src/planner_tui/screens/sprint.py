"""Sprint: capacity against commitment, velocity, the ranked backlog to commit from, scope
change after the start, closing, and a burn-down."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.export import ExportChoice
from planner_tui.screens.latest_read import QUICK_READ_SECONDS
from planner_tui.screens.sprint_capacity import SprintCapacity
from planner_tui.screens.sprint_commit import SprintCommitting
from planner_tui.screens.sprint_life import SprintLife
from planner_tui.screens.sprint_view import SprintView
from planner_tui.widgets.burndown import BurnDownChart
from planner_tui.widgets.find_input import FindInput
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.list_table import ListTable
from planner_tui.widgets.row_view import RowView
from planner_tui.widgets.titlebar import TitleBar

if TYPE_CHECKING:
    pass

_ON_ITEMS = {"done", "remove", "owner"}
_ON_BACKLOG = {"mark", "commit", "find"}
_ON_PEOPLE = {"edit_person", "remove_person"}


class SprintScreen(SprintCommitting, SprintCapacity, SprintLife, SprintView):
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
        # ↑ ↓ typed in the find box move the list it narrows (the list's own keys win
        # when it has the focus): "/e", enter, ↓ ↓ typed fast lost the ↓s to the box.
        Binding("down", "find_moves(1)", show=False, system=True),
        Binding("up", "find_moves(-1)", show=False, system=True),
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
            "v",
            "review",
            "Review",
            id="sprint.review",
            show=False,  # (the key bar keeps its room for planning; ? and closing name it)
            tooltip="The sprint's review: committed against done, what is left, its outcomes",
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
                yield RowView(id="sprint-items", follow=self.cursor_moved)
            with Vertical(id="backlog-box"):
                yield Static(id="backlog-head", classes="pane-head")
                yield FindInput(
                    id="backlog-find", placeholder="find by key or title; enter keeps it"
                )
                yield RowView(id="candidates", follow=self.cursor_moved)
        yield Static(id="sprint-detail")
        yield KeyBar()

    # --- reading and drawing ---------------------------------------------------------------

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
            self.reload_soon()

    def action_back(self) -> None:
        find = self.query_one("#backlog-find", Input)
        if self.focused is find or self.find_text:  # escape ends the search first
            find.value = ""
            find.display = False
            self.set_focus(self.query_one("#candidates"))
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
        self.reload_soon()

    def action_find_moves(self, by: int) -> None:
        self.query_one("#candidates", RowView).action_move(by)

    def action_find(self) -> None:
        box = self.query_one("#backlog-find", Input)
        box.display = True
        # At once, not after the keys already queued (as focus() does): "/e" typed fast
        # put the e into the field, not on the screen's own e (edit).
        self.set_focus(box)

    def on_mount(self) -> None:
        # The list follows the field as its value changes, within the key that changed it
        # (its Changed message arrives after the frame that draws the character).
        self.watch(self.query_one("#backlog-find", Input), "value", self._find_typed, False)

    def _find_typed(self, value: str) -> None:
        """Find as typed: in the key's own frame when the last read was quick, else in a
        worker (a text search of 100,000 items)."""
        self.find_text = value
        if not self.find.now_if_quick(QUICK_READ_SECONDS):
            self.find()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "backlog-find":
            event.stop()
            if not event.value:
                event.input.display = False
            self.set_focus(self.query_one("#candidates"))

    # --- the items under the cursor --------------------------------------------------------

    # --- committing ------------------------------------------------------------------------

    # --- the sprint's items ----------------------------------------------------------------

    # --- capacity --------------------------------------------------------------------------

    # --- the sprint itself -----------------------------------------------------------------
