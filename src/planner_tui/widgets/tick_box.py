"""A checkbox that says whether it is ticked by its mark, not only by its colour."""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

T = TypeVar("T")


class TickBox(Checkbox):
    """Textual's Checkbox draws X either way and tells ticked from not by colour alone,
    which NO_COLOR, an 8-colour terminal or a washed-out projector loses: here an empty
    box is blank."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


class TickList(SelectionList[T]):
    """Textual's SelectionList, whose boxes (like Checkbox's) draw X ticked or not: here
    an unticked box is blank, so a list of what is done reads without colour."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if selection.value in self.selected or len(segments) < 2:
            return strip
        if segments[1].text != Checkbox.BUTTON_INNER:
            return strip
        segments[1] = Segment(" " * len(segments[1].text), segments[1].style)
        return Strip(segments, strip.cell_length)
