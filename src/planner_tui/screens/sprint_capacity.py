"""The Sprint screen's keys for capacity: a person's days, days off and focus added, edited,
removed."""

from __future__ import annotations

from functools import partial

from textual.widgets import DataTable

from planner_tui.domain.sprint import (
    CapacityLine,
    working_days,
)
from planner_tui.domain.text import one_line
from planner_tui.screens.sprint_view import SprintView
from planner_tui.services import directory, sprints


class SprintCapacity(SprintView):
    """The people and their capacity."""

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
