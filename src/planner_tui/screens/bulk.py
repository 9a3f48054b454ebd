"""Choosing one change for many selected items; the modal returns it and saves nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.paths import styles_dir
from planner_tui.services.grooming import BulkChange


class BulkModal(ModalScreen[BulkChange | None]):
    """A list of changes: each status, each kind, add a tag, remove a tag."""

    CSS_PATH = str(styles_dir() / "bulk.tcss")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="bulk.cancel")]

    def __init__(self, count: int) -> None:
        super().__init__()
        self._count = count
        self._tag_action = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk") as box:
            box.border_title = f"Change {self._count} item{'s' if self._count != 1 else ''}"
            box.border_subtitle = "enter chooses · escape cancels"
            yield OptionList(
                *(
                    Option(f"Status → {status.value}", id=f"status:{status.value}")
                    for status in ItemStatus
                ),
                *(Option(f"Kind → {kind.value}", id=f"kind:{kind.value}") for kind in ItemKind),
                Option("Add a tag…", id="add_tag:"),
                Option("Remove a tag…", id="remove_tag:"),
                id="bulk-choices",
            )
            yield Input(placeholder="tag", id="bulk-tag")
            yield Label("", id="bulk-error")

    def on_mount(self) -> None:
        self.query_one("#bulk-tag", Input).display = False
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        field, _, value = (event.option.id or "").partition(":")
        if field == "status":
            self.dismiss(BulkChange(status=ItemStatus(value)))
        elif field == "kind":
            self.dismiss(BulkChange(kind=value))
        else:
            self._tag_action = field
            box = self.query_one("#bulk-tag", Input)
            box.placeholder = "tag to add" if field == "add_tag" else "tag to remove"
            box.display = True
            box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        tag = event.value.strip()
        if not tag or len(tag) > 100:
            self.query_one("#bulk-error", Label).update("A tag needs 1 to 100 characters.")
            return
        if self._tag_action == "add_tag":
            self.dismiss(BulkChange(add_tag=tag))
        else:
            self.dismiss(BulkChange(remove_tag=tag))

    def action_cancel(self) -> None:
        self.dismiss(None)
