"""A find-as-you-type field whose typing does not lay the screen out."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FindInput(Input):
    """A one-line field of fixed width for narrowing a list as you type.

    Textual's `Input` lays the whole screen out on every character: its scrollable width
    grows with its text, and a widget's scrollable size is a layout reactive. A layout
    makes Textual draw every list's scrollbar again one frame later, so each filter
    keystroke cost a second frame 30 ms after its first. This field's width never
    follows its text (keep it out of `width: auto`), so its scrollable size only
    redraws it.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
