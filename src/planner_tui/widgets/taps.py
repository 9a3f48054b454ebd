"""A row of one-line buttons for a dialog's answers: what a finger on a phone taps (in a
browser through planner serve) where a keyboard presses a key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button


class Taps(Horizontal):
    """Buttons named by their answer (`Button.name`); the dialog handles Button.Pressed."""

    DEFAULT_CSS = """
    Taps {
        height: auto;
        width: 100%;
        margin-top: 1;
    }
    Taps Button {
        margin-right: 1;
        min-width: 5;
    }
    """

    def __init__(self, *answers: tuple[str, str], id: str | None = None) -> None:
        super().__init__(id=id)
        self._answers = answers

    def compose(self) -> ComposeResult:
        for answer, label in self._answers:
            yield Button(label, name=answer, compact=True)
