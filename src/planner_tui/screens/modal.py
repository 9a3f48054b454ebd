"""The app's dialogs' common parts: the modal base, yes/no and discard questions, the
mixin for dialogs that take keys typed while they open, and keeping what is typed as a draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.services import drafts
from planner_tui.widgets.host import host_of
from planner_tui.widgets.user_text import safe

T = TypeVar("T")


def whole(text: str) -> int | None:
    """The whole number typed, or None."""
    try:
        return int(text.strip())
    except ValueError:
        return None


class TakesTypeAhead:
    """Mixed into a dialog that is typed into (see `PlannerApp.push_typing`): keys typed
    while it opens go into the input named by `typing_input`."""

    typing_input: ClassVar[str]
    """The selector of the input that takes the keys."""


class DraftKeeper:
    """Keeps what is typed into a dialog's main field as the person's draft (`place`).

    A terminal that dies, or an SSH connection that drops, mid-sentence leaves the
    text in the person's private state; the same dialog opened again, from any of
    their terminals, starts with it. Saving or cancelling the dialog forgets it.
    Writes are at most every `EVERY` seconds, so fast typing costs nothing.
    """

    EVERY = 0.25

    def __init__(self, screen: Screen[Any], place: str | None) -> None:
        self._screen = screen
        self.place = place
        """None: nothing is kept (editing something already saved)."""
        self._text = ""
        self._timer: Timer | None = None

    def offer(self, box: Input) -> None:
        """On opening: bring back the draft into an empty `box`, or keep what it starts with."""
        if self.place is None:
            return
        if box.value:
            self.typed(box.value)  # text handed back after a failed save is a draft too
            return
        draft = drafts.kept(host_of(self._screen.app).session, self.place)
        if draft is None:
            return
        box.value = one_line(draft.text)
        box.cursor_position = len(box.value)
        self._screen.notify(
            f"Your unsaved text from {draft.local_time()} is back; escape drops it", timeout=5
        )

    def typed(self, text: str) -> None:
        """The field changed: keep it soon."""
        if self.place is None:
            return
        self._text = text
        if self._timer is None:
            self._timer = self._screen.set_timer(self.EVERY, self._flush, name="keep draft")

    def _flush(self) -> None:
        self._timer = None
        if self.place is not None:
            drafts.keep(host_of(self._screen.app).session, self.place, self._text)

    def drop(self) -> None:
        """Saved or cancelled: nothing to offer back."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.place is not None:
            drafts.drop(host_of(self._screen.app).session, self.place)


NEXT_FIELD = "\t"
"""Tab, as kept among keys typed ahead: the next field."""
PREVIOUS_FIELD = "\x19"
"""Shift+tab, as kept among keys typed ahead: the field before."""
SUBMIT = "\n"
"""Enter, as kept among keys typed ahead."""


def replay_typed(screen: Screen[Any], typed: str) -> bool:
    """Put keys typed while `screen` opened where they would have gone typed slowly.

    Text goes into the focused input; tab and shift+tab move between fields. Returns
    whether enter was among them (the caller then submits, with every field filled).
    """
    for key in typed:
        if key == SUBMIT:
            return True
        if key == NEXT_FIELD:
            screen.focus_next()
        elif key == PREVIOUS_FIELD:
            screen.focus_previous()
        elif isinstance(screen.focused, Input):
            screen.focused.insert_text_at_cursor(key)
    return False


class DiscardModal(ModalScreen[bool]):
    """Asks whether to throw away unsaved edits."""

    CSS_PATH = str(styles_dir() / "item_editor.tcss")
    BINDINGS = [
        Binding("y", "answer(True)", "Discard", id="discard.yes"),
        Binding("n,escape", "answer(False)", "Keep editing", id="discard.no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="discard"):
            yield Static("Discard your changes?  y discards · n keeps editing")

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)


class Modal(ModalScreen[T | None]):
    """A centred box; escape answers None (a form asks first if something was typed)."""

    CSS_PATH = str(styles_dir() / "modal.tcss")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="poker_modal.cancel")]
    ASK_BEFORE_DISCARD = False
    """Forms with several fields set this: escape then asks before losing what was typed."""

    def _typed(self) -> dict[str | None, str]:
        return {field.id: field.value for field in self.query(Input)}

    def on_mount(self) -> None:
        self._as_opened = self._typed()

    draft: DraftKeeper | None = None
    """A typing dialog's draft, forgotten when the dialog is cancelled."""

    def action_cancel(self) -> None:
        if self.ASK_BEFORE_DISCARD and self._typed() != getattr(self, "_as_opened", {}):

            def answered(discard: bool | None) -> None:
                if discard:
                    self._cancelled()

            self.app.push_screen(DiscardModal(), answered)
            return
        self._cancelled()

    def _cancelled(self) -> None:
        if self.draft is not None:
            self.draft.drop()
        self.dismiss(None)

    def _error(self, message: str) -> None:
        """Say what is wrong under the form; messages may quote what was typed or stored."""
        self.query_one(".modal-error", Label).update(safe(message))

    def _known_or_confirmed(self, name: str, known: list[str]) -> bool:
        """False (and a question) for a name new to the workspace, until enter is pressed again.

        A typo must not quietly add a teammate: the second enter with the same name adds them.
        """
        if not name or name.casefold() in {other.casefold() for other in known}:
            return True
        if getattr(self, "_confirmed_name", None) == name:
            return True
        self._confirmed_name = name
        # (typed "sa" with "sam" suggested: enter took "sa"; say how to take the name shown)
        meant = [other for other in known if other.casefold().startswith(name.casefold())]
        if len(meant) == 1:
            self._error(
                f"{name} is new to this workspace: → takes {meant[0]}, enter again adds {name}."
            )
        else:
            self._error(f"{name} is new to this workspace: enter again to add them, or fix it.")
        return False


class ConfirmModal(Modal[bool]):
    """A yes/no question: y or enter says yes, n says no, escape backs out (None)."""

    BINDINGS = [
        *Modal.BINDINGS,
        Binding("y,enter", "yes", "Yes", id="poker_confirm.yes"),
        Binding("n", "no", "No", id="poker_confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal") as box:
            box.border_subtitle = "y yes · n no · escape backs out"
            yield Label(safe(self._question))  # questions quote names and titles

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class ReadingModal(Modal[None]):
    """Text to read, in a tall box that scrolls (the history, a sprint's review); escape
    closes. `text` makes it for a width (the box is 80 columns at most)."""

    def __init__(self, title: str, text: Callable[[int], Text], *, text_id: str) -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._text_id = text_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal tall") as box:
            box.border_title = self._title
            box.border_subtitle = "escape closes"
            with VerticalScroll():
                width = min(self.app.size.width, 80) - 6
                yield Static(self._text(width), id=self._text_id)
