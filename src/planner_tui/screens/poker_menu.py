"""The poker session's menu: hand the seat over, change the deck or the default timer, end."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from planner_tui.screens.modal import Modal


@dataclass(frozen=True)
class MenuChoice:
    """A session-menu action, and the text typed for it."""

    action: str
    text: str = ""


_MENU_PROMPTS = {
    "hand_over": "Hand facilitation to (name)",
    "add_voter": "Add a voter (name)",
    "add_spectator": "Spectator (name): watches, never holds up the reveal",
    "timer": "Default timer per item, in seconds (0: none)",
}


class SessionMenu(Modal[MenuChoice]):
    """The facilitator's less frequent moves, and everyone's choice to vote or watch."""

    def __init__(
        self,
        *,
        facilitating: bool,
        auto_reveal: bool,
        watching: bool,
        facilitator_away: bool,
        present: bool = False,
    ) -> None:
        super().__init__()
        self._present = present
        self._facilitating = facilitating
        self._facilitator_away = facilitator_away
        self._auto_reveal = auto_reveal
        self._watching = watching
        self._asking = ""

    def compose(self) -> ComposeResult:
        options = [
            Option("Vote in this session" if self._watching else "Watch (stop voting)", id="role")
        ]
        if not self._facilitating and self._facilitator_away:
            # The seat is empty: taking it is what m then enter is for, so it comes first.
            options.insert(
                0, Option("Take over facilitation (the facilitator has gone)", id="take_over")
            )
        if self._facilitating:
            options += [
                Option("Add a voter…", id="add_voter"),
                Option(
                    "Make someone a spectator (they stop holding up the reveal)…",
                    id="add_spectator",
                ),
                Option("Hand over facilitation…", id="hand_over"),
                Option(
                    f"Reveal when everyone has voted: {'on → off' if self._auto_reveal else 'off → on'}",
                    id="auto_reveal",
                ),
                Option("Default timer per item…", id="timer"),
                Option(
                    "Open in the presenter view (my screen is the room's): "
                    + ("on → off" if self._present else "off → on"),
                    id="present",
                ),
                Option("End the session (keeps its summary)", id="end"),
            ]
        with Vertical(classes="modal") as box:
            box.border_title = "Session"
            box.border_subtitle = "enter chooses · escape closes"
            yield OptionList(*options, id="menu-choices")
            yield Input(id="menu-text")
            yield Label("", classes="modal-error")

    def on_mount(self) -> None:
        self.query_one("#menu-text", Input).display = False
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        action = event.option.id or ""
        if action in _MENU_PROMPTS:
            self._asking = action
            box = self.query_one("#menu-text", Input)
            box.placeholder = _MENU_PROMPTS[action]
            box.display = True
            box.focus()
            return
        self.dismiss(MenuChoice(action))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self._error("Type something, or escape.")
            return
        self.dismiss(MenuChoice(self._asking, event.value.strip()))
