"""The Retro screens' modals. Each returns what was typed or chosen and saves nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Input, Label, OptionList
from textual.widgets.option_list import Option

from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.retro import RetroSettings, template_columns
from planner_tui.domain.text import is_name, one_line
from planner_tui.screens.modal import DraftKeeper, Modal, TakesTypeAhead, replay_typed, whole
from planner_tui.widgets.host import host_of
from planner_tui.widgets.presenter import PRESENT_LABEL
from planner_tui.widgets.taps import Taps
from planner_tui.widgets.tick_box import TickBox
from planner_tui.widgets.user_text import StoredInput

if TYPE_CHECKING:
    pass


def known(name: str, people: list[str]) -> bool:
    """Whether `name` is someone the workspace has (a stored name passes as it is, whatever
    it holds; a new one must be printable)."""
    return name.casefold() in {person.casefold() for person in people}


@dataclass(frozen=True)
class RetroStart:
    """What the facilitator chose for a new retro."""

    title: str
    template: str
    columns: tuple[str, ...]
    save_template: bool
    sprint: str | None
    settings: RetroSettings


class StartRetroModal(Modal[RetroStart]):
    """Title, template or custom columns, sprint, anonymity, votes, timer."""

    BINDINGS = [
        *Modal.BINDINGS,
        Binding("enter", "submit", "Start", id="retro_start.submit", priority=True),
    ]

    def __init__(
        self, templates: list[tuple[str, tuple[str, ...]]], title: str, sprints: list[str]
    ) -> None:
        super().__init__()
        self._templates = templates
        self._title = title
        self._sprints = sprints

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            box.border_title = "Start a retro"
            box.border_subtitle = "enter starts · space ticks a box · escape cancels"
            yield Label("Title")
            yield StoredInput(self._title, id="retro-title")
            yield Label("Template (↑ ↓)")
            yield OptionList(
                *(
                    Option(Text(one_line(f"{name}: {' · '.join(columns)}")), id=str(index))
                    for index, (name, columns) in enumerate(self._templates)
                ),
                id="retro-template",
            )
            yield Input(
                placeholder="or columns of your own, e.g. Keep, Drop, Try", id="retro-columns"
            )
            yield Input(placeholder="name to keep them as a template (optional)", id="retro-save")
            yield Label("Sprint (optional; → completes a name)")
            yield StoredInput(
                id="retro-sprint",
                placeholder=f"e.g. {one_line(self._sprints[0], 40)}"
                if self._sprints
                else "no sprints yet",
                choices=self._sprints,
            )
            yield Label("Votes per person")
            yield Input("3", id="retro-votes", type="integer")
            yield Label("Timer per phase, in minutes (0: none)")
            yield Input("5", id="retro-timer", type="integer")
            yield TickBox("Anonymous cards: no author stored at all", True, id="retro-anon")
            yield TickBox("Several votes may go on one card", False, id="retro-several")
            yield TickBox("Hide vote totals until voting ends", True, id="retro-hide")
            yield TickBox(PRESENT_LABEL, False, id="retro-present")
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        self.query_one("#retro-template", OptionList).highlighted = 0
        self.query_one("#retro-title", Input).focus()

    def action_submit(self) -> None:
        from pydantic import ValidationError

        title = self.query_one("#retro-title", StoredInput).stored_value.strip()
        if not title:
            self._error("A title is needed.")
            return
        typed = self.query_one("#retro-columns", Input).value
        save_as = self.query_one("#retro-save", Input).value.strip()
        try:
            if typed.strip():
                columns = template_columns(typed)
                template = save_as or "Custom"
            else:
                index = self.query_one("#retro-template", OptionList).highlighted or 0
                template, columns = self._templates[index]
        except InvalidInput as error:
            self._error(f"Columns: {error}")
            return
        votes = whole(self.query_one("#retro-votes", Input).value)
        minutes = whole(self.query_one("#retro-timer", Input).value)
        if votes is None or not 1 <= votes <= 20:
            self._error("Votes per person: 1 to 20.")
            return
        if minutes is None or not 0 <= minutes <= 60:
            self._error("Timer: 0 to 60 minutes.")
            return
        sprint = self.query_one("#retro-sprint", StoredInput).stored_value.strip()
        try:
            settings = RetroSettings(
                anonymous=self.query_one("#retro-anon", Checkbox).value,
                votes_per_person=votes,
                several_votes_per_card=self.query_one("#retro-several", Checkbox).value,
                hide_totals=self.query_one("#retro-hide", Checkbox).value,
                phase_seconds=minutes * 60,
                present=self.query_one("#retro-present", Checkbox).value,
            )
        except ValidationError as error:
            self._error(str(error.errors()[0]["msg"]))
            return
        self.dismiss(
            RetroStart(
                title=title,
                template=template,
                columns=columns,
                save_template=bool(typed.strip() and save_as),
                sprint=sprint or None,
                settings=settings,
            )
        )


@dataclass(frozen=True)
class CardText:
    """A card typed in the dialog, and for whom when the facilitator types for others."""

    text: str
    for_someone: str | None = None
    for_room: bool = False


class CardModal(TakesTypeAhead, Modal[CardText]):
    """Write (or edit) a card; the facilitator can also type one for someone or the room."""

    draft: DraftKeeper
    """What is typed into the card or action text, kept until saved or cancelled."""

    typing_input = "#card-text"
    """Where keys typed while the modal opens go (see `PlannerApp.push_typing`)."""

    def __init__(
        self,
        column: str,
        text: str = "",
        *,
        editing: bool = False,
        for_others: bool = False,
        anonymous: bool = True,
        people: list[str] | None = None,
        draft: str | None = None,
    ) -> None:
        super().__init__()
        self.draft = DraftKeeper(self, None if editing else draft)
        self._anonymous = anonymous
        self._people = people or []
        self._column = column
        self._text = text
        self._editing = editing
        self._for_others = for_others
        self._done = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            verb = "Edit the card" if self._editing else "A card"
            box.border_title = Text(
                f"{verb} in {one_line(self._column, 30)}"
            )  # typed text, not markup
            box.border_subtitle = "enter keeps it · escape cancels"
            yield StoredInput(
                self._text,
                id="card-text",
                placeholder="what you want to say",
                select_on_focus=False,
            )
            if self._for_others and self._anonymous:
                yield Label("From the room: no author, hidden from you too until the reveal")
            elif self._for_others:
                yield Label("From (a name, → completes; empty: from the room, no author)")
                yield StoredInput(id="card-for", placeholder="e.g. lena", choices=self._people)
            yield Label("", classes="modal-error")
            yield Taps(("keep", "Keep it"), ("cancel", "Cancel"))

    def on_mount(self) -> None:
        box = self.query_one("#card-text", Input)
        box.focus()
        self.draft.offer(box)
        if replay_typed(self, host_of(self.app).take_type_ahead()):
            self._submit()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "card-text":
            self.draft.typed(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A tap (a phone, in a browser) does what enter or escape does."""
        event.stop()
        if event.button.name == "keep":
            self._submit()
        elif event.button.name == "cancel":
            self.action_cancel()

    def _submit(self) -> None:
        if self._done:
            return  # a second enter in a burst must not answer twice
        text = self.query_one("#card-text", StoredInput).stored_value
        if not text.strip():
            self._error("Type the card, or escape.")
            self.query_one("#card-text", Input).focus()
            return
        if not self._for_others:
            self._done = True
            self.draft.drop()
            self.dismiss(CardText(text))
            return
        if self._anonymous:
            self._done = True
            self.draft.drop()
            self.dismiss(CardText(text, for_room=True))
            return
        who = self.query_one("#card-for", StoredInput).stored_value.strip()
        if who and not known(who, self._people) and not is_name(who):
            self._error("From: a name of 1 to 64 printable characters, none invisible, or empty.")
            return
        if not self._known_or_confirmed(who, self._people):
            return
        self._done = True
        self.draft.drop()
        self.dismiss(CardText(text, for_someone=who or None, for_room=not who))


@dataclass(frozen=True)
class GroupChoice:
    """A theme to join, or the title of a new one."""

    theme_id: int | None = None
    title: str | None = None


class GroupModal(Modal[GroupChoice]):
    """Put the card under a theme on the board, or a new one."""

    def __init__(
        self, card: str, themes: list[tuple[int, str, str]], *, retitle: bool = False
    ) -> None:
        super().__init__()
        self._card = card
        self._themes = themes
        self._retitle = retitle

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            if self._retitle:
                box.border_title = "Retitle the theme"
                box.border_subtitle = "enter saves · escape cancels"
            else:
                box.border_title = Text(f"Group “{one_line(self._card, 40)}”")  # not markup
                box.border_subtitle = "enter chooses · escape cancels"
            yield Label("The theme's title" if self._retitle else "A new theme's title")
            yield StoredInput(
                self._card if self._retitle else "",
                id="group-title",
                placeholder="e.g. Build pipeline",
                select_on_focus=False,
            )
            if self._themes:
                yield Label("or a theme on the board (tab, ↑ ↓, enter)")
                yield OptionList(
                    *(
                        Option(
                            Text.assemble(
                                one_line(title, 50), (f"  · {one_line(column, 30)}", "dim")
                            ),
                            id=str(i),
                        )
                        for i, title, column in self._themes
                    ),
                    id="group-themes",
                )
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        self.query_one("#group-title", Input).focus()
        if self._themes:
            self.query_one("#group-themes", OptionList).highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        title = self.query_one("#group-title", StoredInput).stored_value.strip()
        if not title:
            self._error("Type a title, or choose a theme below.")
            return
        self.dismiss(GroupChoice(title=title))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(GroupChoice(theme_id=int(event.option.id or 0)))
