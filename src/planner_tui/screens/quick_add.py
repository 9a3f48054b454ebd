"""A one-line modal to capture a backlog item; it returns the title and saves nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class QuickAddModal(ModalScreen[str | None]):
    """Ask for a title. Enter returns it; escape returns None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="quick_add.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-add") as box:
            box.border_title = "New backlog item"
            box.border_subtitle = "enter adds · escape cancels"
            yield Input(placeholder="Title, e.g. Save partial checkout forms", id="quick-add-title")
            yield Label("", id="quick-add-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.query_one("#quick-add-error", Label).update("A title is needed; escape cancels.")
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
