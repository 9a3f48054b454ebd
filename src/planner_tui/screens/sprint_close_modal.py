"""Closing a sprint: tick what is done, say where the unfinished items go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, SelectionList
from textual.widgets.option_list import Option

from planner_tui.domain.sprint import SprintItem, show_points
from planner_tui.domain.text import one_line
from planner_tui.screens.modal import Modal
from planner_tui.widgets.tick_box import TickList


@dataclass(frozen=True)
class Closing:
    """How the facilitator closes a sprint."""

    done: frozenset[int]
    carry_to: int | None
    """A planned sprint's id; None with `new_sprint` False: the top of the backlog."""
    new_sprint: bool = False


class CloseModal(Modal[Closing]):
    """Tick what is done, choose where unfinished items go, and close."""

    BINDINGS = [
        *Modal.BINDINGS,
        Binding("ctrl+s", "submit", "Close the sprint", id="close_modal.submit", priority=True),
    ]

    def __init__(
        self,
        name: str,
        items: list[SprintItem],
        planned: list[tuple[int, str]],
        new_name: str,
        *,
        ends: date | None = None,
    ) -> None:
        super().__init__()
        self._ends = ends
        self._sprint_name = name
        self._items = items
        self._planned = planned
        self._new_name = new_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal tall") as box:
            box.border_title = Text(f"Close {one_line(self._sprint_name, 40)}")
            box.border_subtitle = "space ticks · tab moves · ctrl+s closes · escape cancels"
            if self._ends is not None:
                yield Label(
                    f"⚠ It runs to {self._ends:%a %d %b}: closed now, only what is done so far "
                    "counts toward its velocity.",
                    classes="modal-warning",
                )
            yield Label("Done? (ticked items count toward the velocity)")
            yield TickList[int](
                *(
                    (
                        Text.assemble(
                            (f"{item.key} ", "bold"),
                            one_line(item.title, 50),
                            (f"  {show_points(item.estimate)}" if item.estimate else "  –", "dim"),
                        ),
                        item.item_id,
                        item.done,
                    )
                    for item in self._items
                ),
                id="close-done",
            )
            yield Label("Unfinished items go to")
            options = [Option("the top of the backlog", id="backlog")]
            options += [
                Option(Text(f"{one_line(name, 40)} (planned)"), id=f"sprint-{sprint_id}")
                for sprint_id, name in self._planned
            ]
            if not self._planned:
                options.append(
                    Option(Text(f"a new sprint, {one_line(self._new_name, 40)}"), id="new")
                )
            yield OptionList(*options, id="close-to")
            yield Label(id="close-summary")
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        self.query_one("#close-to", OptionList).highlighted = 1 if self._planned else 0
        self.query_one("#close-done", SelectionList).focus()
        self._summarise()

    def on_selection_list_selected_changed(self) -> None:
        self._summarise()

    def on_option_list_option_highlighted(self) -> None:
        self._summarise()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_submit()

    def _summarise(self) -> None:
        done = set(self.query_one("#close-done", SelectionList).selected)
        points = sum(i.estimate or 0 for i in self._items if i.item_id in done)
        unfinished = len(self._items) - len(done)
        to = self.query_one("#close-to", OptionList)
        where = to.get_option_at_index(to.highlighted or 0).prompt
        self.query_one("#close-summary", Label).update(
            Text.assemble(
                f"Completed: {show_points(points)} points, its velocity · ",
                (
                    f"{unfinished} unfinished go to {where}"
                    if unfinished
                    else "nothing unfinished",
                    "bold",
                ),
                "\nEnter on where they go (or ctrl+s) closes the sprint.",
            )
        )

    def action_submit(self) -> None:
        done = frozenset(self.query_one("#close-done", SelectionList).selected)
        to = self.query_one("#close-to", OptionList)
        chosen = to.get_option_at_index(to.highlighted or 0).id or "backlog"
        if chosen == "new":
            self.dismiss(Closing(done=done, carry_to=None, new_sprint=True))
        elif chosen.startswith("sprint-"):
            self.dismiss(Closing(done=done, carry_to=int(chosen.removeprefix("sprint-"))))
        else:
            self.dismiss(Closing(done=done, carry_to=None))
