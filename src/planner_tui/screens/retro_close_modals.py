"""The retro's closing dialogs: an action agreed (text, owner, due date, status), the rating,
the summary, handing the facilitator's seat over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Select

from planner_tui.domain.enums import ActionStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.retro import parse_due
from planner_tui.domain.text import is_name, one_line, sentence
from planner_tui.screens.modal import DraftKeeper, Modal, TakesTypeAhead, replay_typed
from planner_tui.widgets.host import host_of
from planner_tui.widgets.taps import Taps
from planner_tui.widgets.user_text import StoredInput, safe

if TYPE_CHECKING:
    from planner_tui.services.context import Session
from planner_tui.screens.retro_modals import known


@dataclass(frozen=True)
class ActionFields:
    """An action item as typed."""

    text: str
    owner: str | None
    due: date | None
    status: ActionStatus


def save_action(session: Session, action_id: int, fields: ActionFields) -> None:
    """Write an action item's edited fields (in the caller's worker)."""
    from planner_tui.services import retro

    retro.update_action(
        session,
        action_id,
        text=fields.text,
        owner=fields.owner,
        due=fields.due,
        status=fields.status,
    )


class ActionModal(TakesTypeAhead, Modal[ActionFields]):
    """Add or edit an action item: text, owner, due date, and status when editing."""

    draft: DraftKeeper
    """What is typed into the card or action text, kept until saved or cancelled."""

    typing_input = "#action-text"
    """Where keys typed while the modal opens go (see `PlannerApp.push_typing`)."""

    BINDINGS = [
        *Modal.BINDINGS,
        Binding("enter", "submit", "Save", id="retro_action.submit", priority=True),
    ]

    def __init__(
        self,
        heading: str,
        today: date,
        people: list[str],
        fields: ActionFields | None = None,
        *,
        origin: str = "",
        draft: str | None = None,
    ) -> None:
        super().__init__()
        self.draft = DraftKeeper(self, draft if fields is None else None)
        self._origin = origin
        self._heading = heading
        self._today = today
        self._people = people
        self._fields = fields
        self._answered = False

    def compose(self) -> ComposeResult:
        fields = self._fields
        with Vertical(classes="modal") as box:
            box.border_title = safe(self._heading)  # may hold typed text: not markup
            box.border_subtitle = "enter saves · escape cancels"
            if self._origin:
                yield Label(Text(f"From: {one_line(self._origin, 70)}", style="dim"))
            yield Label("Action")
            yield StoredInput(
                fields.text if fields else "", id="action-text", select_on_focus=False
            )
            yield Label("Owner")
            yield StoredInput(
                (fields.owner or "") if fields else "", id="action-owner", choices=self._people
            )
            yield Label("Due (2026-12-01, or +7 for a week from today; empty: none)")
            due = fields.due.isoformat() if fields and fields.due else ""
            yield Input(due or ("" if fields else "+7"), id="action-due")
            if fields is not None:
                yield Label("Status")
                yield Select(
                    [(status.value, status) for status in ActionStatus],
                    value=fields.status,
                    allow_blank=False,
                    id="action-status",
                )
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        box = self.query_one("#action-text", Input)
        box.focus()
        self.draft.offer(box)
        if replay_typed(self, host_of(self.app).take_type_ahead()):
            self.action_submit()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "action-text":
            self.draft.typed(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter that reached a field rather than the binding (typed ahead as it opened)."""
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        text = self.query_one("#action-text", StoredInput).stored_value.strip()
        if not text:
            self._error("Say what will be done.")
            return
        owner = self.query_one("#action-owner", StoredInput).stored_value.strip()
        if owner and not known(owner, self._people) and not is_name(owner):
            self._error("Owner: a name of 1 to 64 printable characters, none invisible, or empty.")
            return
        if not self._known_or_confirmed(owner, self._people):
            return
        try:
            due = parse_due(self.query_one("#action-due", Input).value, self._today)
        except InvalidInput as error:
            self._error(sentence(str(error)))
            return
        status = ActionStatus.OPEN
        if self._fields is not None:
            status = ActionStatus(str(self.query_one("#action-status", Select).value))
        if not self._answered:  # a second enter in a burst must not dismiss twice
            self._answered = True
            self.draft.drop()
            self.dismiss(ActionFields(text=text, owner=owner or None, due=due, status=status))


class RateModal(Modal[int]):
    """One to five: was this retro worth the time?"""

    BINDINGS = [
        *Modal.BINDINGS,
        *(Binding(str(n), f"rate({n})", str(n), id=f"retro_rate.{n}") for n in range(1, 6)),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            box.border_title = "Was this retro worth the time?"
            box.border_subtitle = "1 to 5 · escape skips"
            yield Label(Text("1 not at all  ·  2  ·  3 so-so  ·  4  ·  5 well worth it"))
            yield Taps(*((str(n), f" {n} ") for n in range(1, 6)), ("skip", "Skip"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A tap on a rating (a phone, in a browser) rates as its key does."""
        event.stop()
        if event.button.name == "skip":
            self.action_cancel()
        elif event.button.name:
            self.action_rate(int(event.button.name))

    def action_rate(self, rating: int) -> None:
        self.dismiss(rating)


class SummaryModal(Modal[None]):
    """A past retro's summary, as kept when it ended."""

    def __init__(self, title: str, summary: str) -> None:
        super().__init__()
        self._title = title
        self._summary = summary

    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll
        from textual.widgets import Static

        with Vertical(classes="modal tall") as box:
            box.border_title = Text(
                f"Summary of {one_line(self._title, 40)}"
            )  # typed text, not markup
            box.border_subtitle = "escape closes"
            with VerticalScroll():
                yield Static(safe(self._summary or "No summary was kept."))


class HandOverModal(Modal[str]):
    """Whom to hand the facilitation to: someone who has the retro open."""

    def __init__(self, people: list[str]) -> None:
        super().__init__()
        self._people = people

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            box.border_title = "Hand over facilitation"
            box.border_subtitle = "enter hands over · escape cancels"
            names = ", ".join(self._people) or "nobody else yet"
            yield Label(Text(f"To (here now: {one_line(names, 200)}; → completes)"))
            yield StoredInput(id="hand-to", choices=self._people)
            yield Label("", classes="modal-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self.query_one("#hand-to", StoredInput).stored_value.strip()
        match = next((p for p in self._people if p.casefold() == name.casefold()), None)
        if match is None:
            names = ", ".join(self._people) or "nobody else has the retro open"
            self._error(
                f"Hand over to someone here: {names}." if name else "Type a name, or escape."
            )
            return
        self.dismiss(match)
