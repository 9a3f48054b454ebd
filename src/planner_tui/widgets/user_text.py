"""Stored text on its way to the screen: drawn literally, never as markup or terminal control.

Textual drops only a few control characters (BEL, BS, VT, FF, CR) from what it
draws; an ESC, a C1 control or a bidi override in a title would reach the
terminal and could set its title, write the clipboard or clear the screen. The
functions of `planner_tui.domain.text` make such characters visible; this module
applies them where text becomes something Textual draws:

- `safe` for a whole `Text` (keeps its styles) or a string (never read as markup);
- shared widgets (`ListTable`, the title bar, toasts, confirmations) call it on what they draw;
- `StoredInput` and `StoredTextArea` for edit dialogs: they are pre-filled with the
  visible form of the stored text, and give the stored text back, exact, unless
  the user changed the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from weakref import WeakKeyDictionary

from rich.text import Span, Text
from textual import events
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static, TextArea

from planner_tui.domain.text import JOINERS, as_edited, one_line, visible


def safe(text: Text | str) -> Text:
    """`text` as a `Text` in which every control character is a visible symbol.

    A string becomes plain text (its brackets are not markup); a `Text` keeps its
    styles and line breaks. Text that is already safe is returned as it was.
    """
    if isinstance(text, str):
        return Text(visible(text))
    plain = text.plain
    if visible(plain) == plain:
        return text
    cuts = sorted({0, len(plain), *(s.start for s in text.spans), *(s.end for s in text.spans)})
    shown = text.blank_copy()
    for start, end in pairwise(cuts):
        piece = visible(plain[start:end])
        styles = [s.style for s in text.spans if s.start <= start and s.end >= end]
        shown.append(piece)
        shown.spans.extend(
            Span(len(shown.plain) - len(piece), len(shown.plain), style) for style in styles
        )
    return shown


class StoredInput(Input):
    """A one-line field pre-filled with stored text as `one_line` shows it.

    `stored_value` is what to save: the stored text itself while the field still
    shows it (so an unchanged field changes nothing, control characters and all),
    otherwise what was typed. Names offered for completion (`choices`) are shown
    safely too, and a completed name gives back the name as stored.
    """

    def __init__(self, stored: str = "", *, choices: Iterable[str] = (), **kwargs: object) -> None:
        # (Joiners are not printable to Python, so Textual drops them as typed and an
        # emoji sequence or a Persian word falls apart: typed, they are kept.)
        self._stored = stored
        self._choices = {one_line(choice): choice for choice in choices}
        if self._choices:
            kwargs["suggester"] = SuggestFromList(list(self._choices), case_sensitive=False)
        super().__init__(one_line(stored), **kwargs)  # type: ignore[arg-type]  # Input's own keywords, passed through

    async def _on_key(self, event: events.Key) -> None:
        if event.character in JOINERS:
            event.stop()
            event.prevent_default()
            if self.selection.is_empty:
                self.insert_text_at_cursor(event.character)
            else:
                self.replace(event.character, *self.selection)
            return
        await super()._on_key(event)

    def show_stored(self, stored: str) -> None:
        """Show other stored text (say, a suggested file name) in the field."""
        self._stored = stored
        self.value = one_line(stored)

    @property
    def stored_value(self) -> str:
        """The stored text if the field still shows it, else the text as typed."""
        typed = self.value
        if typed == one_line(self._stored):
            return self._stored
        return self._choices.get(typed.strip(), as_edited(typed, self._stored))


class StoredTextArea(TextArea):
    """A multi-line field pre-filled with stored text as `visible` shows it.

    `stored_text` is the stored text while the field still shows it, else what was typed.
    """

    def __init__(self, stored: str = "", **kwargs: object) -> None:
        self._stored = stored
        super().__init__(visible(stored), **kwargs)  # type: ignore[arg-type]  # TextArea's own keywords, passed through

    async def _on_key(self, event: events.Key) -> None:
        if event.character in JOINERS and not self.read_only:
            event.stop()
            event.prevent_default()
            self.replace(event.character, *self.selection)
            return
        await super()._on_key(event)

    @property
    def stored_text(self) -> str:
        """The stored text if the field still shows it, else the text as typed."""
        return as_edited(self.text, self._stored, multiline=True)


_SHOWN: WeakKeyDictionary[Static, Text] = WeakKeyDictionary()


def show_text(widget: Static, text: Text) -> None:
    """`widget.update(text)` unless it already shows `text`: an update lays the screen out
    and draws the widget again, which a poker table re-read after every vote paid for
    each of its lines, changed or not. Text that takes as many lines as the old is drawn
    without a layout (a layout redraws the whole screen: a cursor key on the Risks screen
    spent 9 of its 11 ms there, redrawing the panel that follows the cursor)."""
    if _SHOWN.get(widget) == text:
        return
    _SHOWN[widget] = text
    styles, size = widget.styles, widget.content_size
    if not widget.is_mounted or not size.width or (styles.width and styles.width.is_auto):
        widget.update(text)  # (its width follows its text: lay it out)
        return
    auto = styles.height is None or styles.height.is_auto
    # (heights as Widget.get_content_height measures them, styles and all)
    before = widget.visual.get_height(styles, size.width) if auto else 0  # type: ignore[arg-type]
    widget.update(text, layout=False)
    if not auto:
        return
    after = widget.visual.get_height(styles, size.width)  # type: ignore[arg-type]
    # Its height stays if the text takes as many lines, or if a minimum height (a panel
    # filling its box) holds it taller than both texts.
    if after != before and not before < size.height >= after:
        widget.refresh(layout=True)
