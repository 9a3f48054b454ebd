"""A checkbox that says whether it is ticked by its mark, not only by its colour."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """Textual's Checkbox draws X either way and tells ticked from not by colour alone,
    which NO_COLOR, an 8-colour terminal or a washed-out projector loses: here an empty
    box is blank."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button
