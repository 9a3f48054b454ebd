"""The Sprint screen's modals: plan or edit a sprint, a person's capacity, an owner, closing.

Each returns what was typed or chosen and saves nothing.
"""

from __future__ import annotations

import math
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import NewSprint
from planner_tui.domain.sprint import CapacityLine, show_points, working_days
from planner_tui.domain.text import one_line, sentence
from planner_tui.screens.modal import Modal
from planner_tui.widgets.user_text import StoredInput


def _number(
    text: str, what: str, *, example: str, high: float, low: float = 0, required: bool = False
) -> float | None:
    """A number typed as `7`, `2.5` or `2,5`, between `low` and `high`; empty: None.

    Raises:
        InvalidInput: anything else, saying what is wanted and giving an example.
    """
    text = text.strip().replace(",", ".")
    if not text:
        if required:
            raise InvalidInput(f"{what}: type a number, like {example}")
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{what}: type a number, like {example}") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidInput(f"{what}: a number from {low:g} to {high:g}, like {example}")
    return value


def _share(text: str, what: str) -> float:
    """A share of a day typed as `0.7` or `70%` (or `70`, plainly a percentage)."""
    percent = text.strip().endswith("%")
    value = _number(text.strip().rstrip("%"), what, example="0.7 or 70%", high=100, required=True)
    assert value is not None
    if percent or value >= 10:
        value /= 100
    if not 0 < value <= 1:
        raise InvalidInput(f"{what}: a share of the day from 0.05 to 1, like 0.7 or 70%")
    return value


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what}: type a date like 2026-12-01") from None


class SprintModal(Modal[NewSprint]):
    """A sprint's name, goal, dates, points per person-day, reserve and velocity guess."""

    ASK_BEFORE_DISCARD = True
    BINDINGS = [
        *Modal.BINDINGS,
        Binding("enter", "submit", "Save", id="sprint_modal.submit", priority=True),
    ]

    def __init__(self, draft: NewSprint, *, editing: bool, first: bool, today: date) -> None:
        super().__init__()
        self._draft = draft
        self._today = today
        self._editing = editing
        self._first = first

    def compose(self) -> ComposeResult:
        draft = self._draft
        with Vertical(classes="modal") as box:
            box.border_title = Text(
                f"Edit {one_line(draft.name, 40)}" if self._editing else "Plan a new sprint"
            )
            box.border_subtitle = "enter saves · tab moves · escape cancels"
            yield Label("Name")
            yield StoredInput(draft.name, id="sprint-name", select_on_focus=False)
            yield Label("Goal: what the team wants to be true at the end")
            yield StoredInput(
                draft.goal, id="sprint-goal", placeholder="e.g. Returning shoppers pay in one tap"
            )
            yield Label("First and last day (YYYY-MM-DD)")
            yield Input(draft.start.isoformat(), id="sprint-start")
            yield Input(draft.end.isoformat(), id="sprint-end")
            yield Label(id="sprint-days")
            yield Label("Points per person-day (turns days into points)")
            yield Input(f"{draft.points_per_day:g}", id="sprint-ppd")
            yield Label("Reserve: % of capacity kept for risks and carried-over retro actions")
            yield Input(str(draft.reserve_percent), id="sprint-reserve", type="integer")
            guess = "" if draft.velocity_guess is None else f"{draft.velocity_guess:g}"
            yield Label(
                "Velocity guess in points (no sprint has closed yet)"
                if self._first
                else "Velocity guess (optional: closed sprints give the real one)"
            )
            yield Input(guess, id="sprint-guess")
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        self.query_one("#sprint-name", Input).focus()
        self._show_days()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._error("")
        if event.input.id in ("sprint-start", "sprint-end"):
            self._show_days()

    def _show_days(self) -> None:
        try:
            days = working_days(
                _day(self._value("start"), "start"), _day(self._value("end"), "end")
            )
        except InvalidInput:
            said = "working days: type both dates"
        else:
            said = f"{days} working days (Monday to Friday)"
        self.query_one("#sprint-days", Label).update(said)

    def _value(self, name: str) -> str:
        field = self.query_one(f"#sprint-{name}", Input)
        return (field.stored_value if isinstance(field, StoredInput) else field.value).strip()

    def action_submit(self) -> None:
        from pydantic import ValidationError

        from planner_tui.services.errors import friendly

        try:
            points_per_day = _number(
                self._value("ppd"),
                "points per person-day",
                example="1",
                low=0.01,
                high=100,
                required=True,
            )
            reserve = _number(self._value("reserve").rstrip("%"), "reserve", example="10", high=90)
            sprint = NewSprint(
                name=self._value("name"),
                goal=self._value("goal"),
                start=_day(self._value("start"), "first day"),
                end=_day(self._value("end"), "last day"),
                points_per_day=points_per_day or 0.01,
                reserve_percent=round(reserve or 0),
                velocity_guess=_number(
                    self._value("guess"), "velocity guess", example="25", high=10_000
                ),
                status=self._draft.status,
            )
            if sprint.status is SprintStatus.ACTIVE and sprint.start > self._today:
                raise InvalidInput("the sprint has started: its first day cannot be after today")
        except (InvalidInput, ValidationError) as error:
            self._error(sentence(friendly(error)) + ".")
            return
        self.dismiss(sprint)


class CapacityModal(Modal[CapacityLine]):
    """A person's days available, days off and focus factor, or their points typed directly."""

    ASK_BEFORE_DISCARD = True
    BINDINGS = [
        *Modal.BINDINGS,
        Binding("enter", "submit", "Save", id="capacity_modal.submit", priority=True),
    ]

    def __init__(
        self,
        line: CapacityLine | None,
        *,
        people: list[str],
        taken: list[str],
        sprint_days: int,
        calendar_days: int,
        points_per_day: float,
    ) -> None:
        super().__init__()
        self._line = line
        self._people = people
        self._taken = taken
        self._calendar_days = calendar_days
        self._sprint_days = sprint_days
        self._points_per_day = points_per_day

    def compose(self) -> ComposeResult:
        line = self._line
        with Vertical(classes="modal") as box:
            box.border_title = Text(
                f"Capacity of {one_line(line.person, 30)}" if line else "Add a person's capacity"
            )
            box.border_subtitle = "enter saves · tab moves · escape cancels"
            yield Label("Person")
            yield StoredInput(
                line.person if line else "",
                id="capacity-person",
                choices=self._people,
                disabled=line is not None,
            )
            yield Label(f"Days available (the sprint has {self._sprint_days} working days)")
            days = line.days_available if line else self._sprint_days
            yield Input(f"{days:g}", id="capacity-days")
            yield Label("Days off (holidays, on call, training)")
            yield Input(f"{line.days_off:g}" if line else "0", id="capacity-off")
            yield Label("Focus factor: share of a day on sprint work (0.7 or 70%)")
            yield Input(f"{line.focus_factor:g}" if line else "0.7", id="capacity-focus")
            yield Label("Or points directly (empty: days × focus × points per person-day)")
            override = line.points_override if line else None
            yield Input("" if override is None else f"{override:g}", id="capacity-points")
            yield Label(id="capacity-result")
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        first = "#capacity-days" if self._line else "#capacity-person"
        self.query_one(first, Input).focus()
        self._show_result()

    def on_input_changed(self) -> None:
        self._error("")
        self._show_result()

    def _value(self, name: str) -> str:
        field = self.query_one(f"#capacity-{name}", Input)
        return (field.stored_value if isinstance(field, StoredInput) else field.value).strip()

    def _read(self) -> CapacityLine:
        from pydantic import ValidationError

        from planner_tui.services.errors import friendly

        days = self._calendar_days
        try:
            return CapacityLine(
                person=self._value("person") or "?",
                days_available=_number(
                    self._value("days"), "days available", example="10", high=days, required=True
                )
                or 0,
                days_off=_number(self._value("off"), "days off", example="2", high=days) or 0,
                focus_factor=_share(self._value("focus"), "focus factor"),
                points_override=_number(self._value("points"), "points", example="8", high=1000),
            )
        except ValidationError as error:
            raise InvalidInput(friendly(error)) from None

    def _show_result(self) -> None:
        try:
            line = self._read()
        except InvalidInput:
            said = ""
        else:
            points = show_points(line.points(self._points_per_day))
            said = (
                f"= {points} points (typed)"
                if line.points_override is not None
                else f"= {line.days_working:g} days × {line.focus_factor:g}"
                f" × {self._points_per_day:g} = {points} points"
            )
        self.query_one("#capacity-result", Label).update(said)

    def action_submit(self) -> None:
        from planner_tui.services.errors import friendly

        person = self._value("person")
        if not person:
            self._error("Whose capacity is it? Type a name.")
            return
        if self._line is None and person.casefold() in {p.casefold() for p in self._taken}:
            self._error(f"{person} is in this sprint already: enter on their row changes them.")
            return
        if self._line is None and not self._known_or_confirmed(person, self._people):
            return
        try:
            line = self._read()
        except InvalidInput as error:
            self._error(sentence(friendly(error)) + ".")
            return
        if line.days_off > line.days_available:
            self._error("Days off cannot be more than the days available.")
            return
        self.dismiss(line)


class OwnerModal(Modal[str]):
    """Who takes an item in the sprint; empty gives it to nobody."""

    def __init__(self, key: str, owner: str | None, people: list[str]) -> None:
        super().__init__()
        self._key = key
        self._owner = owner or ""
        self._people = people

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            box.border_title = Text(f"Who takes {one_line(self._key, 20)}?")
            box.border_subtitle = "enter saves · empty: nobody · escape cancels"
            yield StoredInput(self._owner, id="owner-name", choices=self._people)
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        self.query_one("#owner-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self.query_one("#owner-name", StoredInput).stored_value.strip()
        if self._known_or_confirmed(name, self._people):
            self.dismiss(name)
