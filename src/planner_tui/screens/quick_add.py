"""A one-line modal to capture a backlog item; it returns the title and saves nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from planner_tui.domain.drafts import NEW_ITEM
from planner_tui.paths import styles_dir
from planner_tui.screens.modal import DraftKeeper, TakesTypeAhead, replay_typed
from planner_tui.widgets.host import host_of
from planner_tui.widgets.user_text import StoredInput, safe


class QuickAddModal(TakesTypeAhead, ModalScreen[str | None]):
    """Ask for a title. Enter returns it; escape returns None.

    Args:
        title: text to start with, e.g. a title that failed to save.
        error: why the last attempt failed, shown under the input.
    """

    CSS_PATH = str(styles_dir() / "quick_add.tcss")

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="quick_add.cancel")]
    typing_input = "#quick-add-title"
    """Where keys typed while the modal opens go (see `PlannerApp.push_typing`)."""

    def __init__(self, title: str = "", error: str = "") -> None:
        super().__init__()
        self._title = title
        self._error = error
        self._answered = False
        self._draft = DraftKeeper(self, NEW_ITEM)

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-add") as box:
            box.border_title = "New backlog item"
            box.border_subtitle = "enter adds · escape cancels"
            yield StoredInput(
                self._title,
                placeholder="Title, e.g. Save partial checkout forms",
                id="quick-add-title",
            )
            yield Label(safe(self._error), id="quick-add-error")

    def on_mount(self) -> None:
        """Focus the input, then take any keys typed while the modal was opening."""
        box = self.query_one(StoredInput)
        box.focus()
        self._draft.offer(box)
        if replay_typed(self, host_of(self.app).take_type_ahead()):
            self._answer(box.stored_value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._draft.typed(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer(self.query_one(StoredInput).stored_value)

    def _answer(self, title: str) -> None:
        if self._answered:
            return  # a second enter (key repeat, a burst over SSH) must not dismiss twice
        if not title.strip():
            self.query_one("#quick-add-error", Label).update("A title is needed; escape cancels.")
            return
        self._answered = True
        self._draft.drop()
        self.dismiss(title)

    def action_cancel(self) -> None:
        if not self._answered:
            self._answered = True
            self._draft.drop()
            self.dismiss(None)
