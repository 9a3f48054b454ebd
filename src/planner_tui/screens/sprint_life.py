"""The Sprint screen's keys for the sprint itself: planned, edited, started, closed (with its
unfinished items carried on), and a risk raised against an item."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.models import NewSprint
from planner_tui.domain.sprint import (
    CloseResult,
    SprintInfo,
    show_points,
    working_days,
)
from planner_tui.domain.text import count_of, one_line
from planner_tui.screens.sprint_view import SprintView
from planner_tui.services import sprints

if TYPE_CHECKING:
    from planner_tui.screens.sprint_close_modal import Closing


class SprintLife(SprintView):
    """A sprint's life."""

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
        from planner_tui.screens.sprint_close_modal import CloseModal

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
                + ". v shows its review."
            )

        self._act(partial(sprints.close, self.session, sprint.id, plan, new_sprint), said)

    def action_review(self) -> None:
        from planner_tui.screens.sprint_review import SprintReviewModal

        board = self.board
        if board is not None:
            outcomes = sprints.outcomes(self.session, board.sprint.id)
            self.app.push_screen(SprintReviewModal(board, outcomes))

    def action_raise_risk(self) -> None:
        from planner_tui.screens.risk_raise import raise_risk_from

        focused = self.focused.id if self.focused else None
        key = ""
        if focused == "sprint-items" and (item := self._current_item()) is not None:
            key = item.key
        elif focused == "candidates" and (candidate := self._current_candidate()) is not None:
            key = candidate.key
        sprint = self.sprint
        live = sprint is not None and sprint.status is not SprintStatus.CLOSED
        raise_risk_from(self.app, key, sprint=sprint.name if live and sprint else "")
