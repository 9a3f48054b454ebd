"""A list of wrapped entries (retro cards, themes, actions) that lays out only what it shows.

Textual's `OptionList` measures the height of every option whenever one changes: a
retro column of 2,000 cards took most of a second to draw after each dot. Here the
list draws from its top entry down until the screen is full, so a redraw costs the
same for 20 entries and 20,000. The cursor moves by entry; the top follows it, and
the border says how many entries lie above and below.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import overload

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget


@dataclass(eq=False)
class Entry:
    """One entry: its id (None: it cannot be chosen, like a note), how to make its text,
    how far it is indented, and whether it follows the one above without a rule."""

    id: str | None
    make: Callable[[], Text]
    indent: int = 0
    joined: bool = False
    key: Hashable = None
    """Equal for entries that draw the same (the card as seen, say): its drawn lines are
    kept across redraws. None: drawn afresh after every `set_entries`."""
    _prompt: Text | None = field(default=None, repr=False)

    @property
    def disabled(self) -> bool:
        """Whether the cursor passes over it."""
        return self.id is None

    @property
    def prompt(self) -> Text:
        """The entry's text, made the first time it is asked for."""
        if self._prompt is None:
            self._prompt = self.make()
        return self._prompt


class LazyEntries(Sequence[Entry]):
    """`count` entries made only when asked for: a column of 20,000 cards makes the few
    it draws. `find` says where the entry with an id is without making any."""

    def __init__(
        self,
        count: int,
        make: Callable[[int], Entry],
        find: Callable[[str], int | None],
    ) -> None:
        self._count = count
        self._make = make
        self._find = find
        self._made: dict[int, Entry] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        entry = self._made.get(index)
        if entry is None:
            entry = self._made[index] = self._make(index)
        return entry

    def index_of(self, option_id: str) -> int | None:
        """Where the entry with `option_id` is, or None (found without making entries)."""
        return self._find(option_id)


class CardList(Widget, can_focus=True):
    """Entries with a rule between them; up, down, page, home, end and enter."""

    COMPONENT_CLASSES = {"card-list--highlight", "card-list--rule", "card-list--disabled"}
    DEFAULT_CSS = """
    CardList {
        height: 1fr;
        background: $surface;
    }
    CardList > .card-list--highlight {
        background: $block-cursor-blurred-background;
    }
    CardList:focus > .card-list--highlight {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    CardList > .card-list--rule {
        color: $foreground 20%;
    }
    CardList > .card-list--disabled {
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(-1)", "Last", show=False),
        Binding("enter", "select", "Choose", show=False),
    ]

    class Selected(Message):
        """Enter (or a click on the highlighted entry) on the entry with `option_id`."""

        def __init__(self, cards: CardList, index: int, option_id: str) -> None:
            super().__init__()
            self.cards = cards
            self.index = index
            self.option_id = option_id

        @property
        def control(self) -> CardList:
            return self.cards

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: Sequence[Entry] = ()
        self._highlighted: int | None = None
        self._top = 0
        self._strips: dict[tuple[Hashable, bool, int, Style], list[Strip]] = {}
        """Drawn lines by (entry's key, or its index; highlighted; width; style)."""
        self._stale = 0
        """How many times the entries were replaced: lines kept by index carry it."""
        self._lines: list[tuple[int | None, int]] = []
        """What each line on screen shows: (entry, its line) or (None, 0) for a rule."""
        self._cut_short = False
        """The last entry on screen does not fit whole."""
        self._subtitle: str | None = None
        self._styles = (Style(), Style(), Style(), Style())
        self._styles_read = False
        """Plain, highlighted, disabled and rule styles, taken afresh for each drawing."""

    # --- what OptionList offered the screens --------------------------------------------

    @property
    def option_count(self) -> int:
        """How many entries there are."""
        return len(self._entries)

    def get_option_at_index(self, index: int) -> Entry:
        """The entry at `index`."""
        return self._entries[index]

    def index_of(self, option_id: str | None) -> int | None:
        """Where the entry with `option_id` is, or None."""
        entries = self._entries
        if option_id is None:
            return None
        if isinstance(entries, LazyEntries):
            return entries.index_of(option_id)
        return next((n for n, entry in enumerate(entries) if entry.id == option_id), None)

    @property
    def highlighted(self) -> int | None:
        """The entry under the cursor (None: none)."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and not 0 <= index < len(self._entries):
            index = None
        shown = self._shown_lines()
        self._highlighted = index
        self._scroll_to_highlight()
        self._redraw_changes(shown)

    @property
    def highlighted_id(self) -> str | None:
        """The id of the entry under the cursor."""
        index = self._highlighted
        return self._entries[index].id if index is not None else None

    def set_entries(self, entries: Sequence[Entry], keep: str | None) -> None:
        """Show `entries`; the cursor on `keep` if it is still there, else on the first
        entry that can be chosen (kept in place if it is past the end)."""
        before = self._highlighted
        shown = self._shown_lines()
        self._entries = entries
        self._stale += 1  # what is kept by index is stale now
        index = self.index_of(keep)
        if index is None:
            first = self._step(-1, 1)
            if before is not None and first is not None and before < len(entries):
                index = before if not entries[before].disabled else first
            else:
                index = first
        self._top = min(self._top, max(len(entries) - 1, 0))
        self._highlighted = index if index is None or index < len(entries) else None
        self._scroll_to_highlight()
        self._redraw_changes(shown)

    def _redraw_changes(self, shown: list[Hashable]) -> None:
        """Draw again only the lines that show something else than `shown`: a dot changes
        one card of a column, a cursor move two (drawing the whole column cost a
        20,000-card board 20 ms a dot)."""
        width, height = self.size.width, self.size.height
        if not width or not height:
            self.refresh()
            return
        self._take_styles()
        self._lay_out(width, height)
        now = self._shown_lines()
        for y in range(max(len(shown), len(now))):
            if y >= len(shown) or y >= len(now) or shown[y] != now[y]:
                self.refresh(Region(0, y, width, 1))  # (in content coordinates)

    def _shown_lines(self) -> list[Hashable]:
        """What each line on screen shows, as the key its drawing is kept under."""
        return [
            None if index is None else (self._drawn_key(index), index == self._highlighted, line)
            for index, line in self._lines
        ]

    def _drawn_key(self, index: int) -> Hashable:
        entry = self._entries[index]
        return (self._stale, index) if entry.key is None else (entry.key, entry.indent, entry.id)

    # --- moving ------------------------------------------------------------------------

    def _step(self, start: int, step: int) -> int | None:
        """The next entry that can be chosen from `start` in direction `step`, or None."""
        index = start + step
        while 0 <= index < len(self._entries):
            if not self._entries[index].disabled:
                return index
            index += step
        return None

    def action_cursor_up(self) -> None:
        """Up; it stops at the first entry (no jump round to the bottom)."""
        found = self._step(self._highlighted if self._highlighted is not None else 0, -1)
        if found is not None:
            self.highlighted = found

    def action_cursor_down(self) -> None:
        """Down; it stops at the last entry."""
        start = self._highlighted if self._highlighted is not None else -1
        found = self._step(start, 1)
        if found is not None:
            self.highlighted = found

    def action_page(self, direction: int) -> None:
        """As many entries on as the screen shows now."""
        shown = len({entry for entry, _ in self._lines if entry is not None})
        target = (self._highlighted or 0) + direction * max(shown - 1, 1)
        target = min(max(target, 0), len(self._entries) - 1)
        found = target if target >= 0 and not self._entries[target].disabled else None
        found = found if found is not None else self._step(target, -direction)
        if found is not None:
            self.highlighted = found

    def action_edge(self, end: int) -> None:
        found = self._step(len(self._entries), -1) if end else self._step(-1, 1)
        if found is not None:
            self.highlighted = found

    def action_select(self) -> None:
        index = self._highlighted
        if index is not None and (option_id := self._entries[index].id) is not None:
            self.post_message(self.Selected(self, index, option_id))

    def on_click(self, event: events.Click) -> None:
        if not 0 <= event.y < len(self._lines):
            return
        index = self._lines[event.y][0]
        if index is None or self._entries[index].disabled:
            return
        if index == self._highlighted:
            self.action_select()
        else:
            self.highlighted = index

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        if self._top + 1 < len(self._entries) and self._more_below():
            self._top += 1
            self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        if self._top:
            self._top -= 1
            self.refresh()

    # --- drawing -----------------------------------------------------------------------

    def on_resize(self) -> None:
        self._strips.clear()
        self._scroll_to_highlight()

    def notify_style_update(self) -> None:
        self._styles_read = False  # a theme, the focus or the CSS changed: read them again
        super().notify_style_update()

    def _take_styles(self) -> None:
        """The list's styles, read once until they change (each costs a walk up the DOM)."""
        if self._styles_read:
            return
        self._styles_read = True
        base = self.rich_style
        self._styles = (
            base,
            base + self.get_component_rich_style("card-list--highlight"),
            base + self.get_component_rich_style("card-list--disabled"),
            base + self.get_component_rich_style("card-list--rule"),
        )

    def _entry_strips(self, index: int, width: int) -> list[Strip]:
        highlighted = index == self._highlighted
        entry = self._entries[index]
        base, highlight, disabled, _ = self._styles
        style = highlight if highlighted else disabled if entry.disabled else base
        key = (self._drawn_key(index), highlighted, width, style)
        strips = self._strips.get(key)
        if strips is None:
            if len(self._strips) > 1024:  # a few screens' worth
                self._strips.clear()
            prompt = entry.prompt
            if highlighted:  # the cursor's colours, not the entry's own
                prompt = Text(prompt.plain, style=prompt.style)
            padded = Padding(prompt, (0, 1, 0, 1 + entry.indent))
            console = self.app.console
            options = console.options.update_width(width)
            lines = console.render_lines(padded, options, style=style, pad=True)
            strips = self._strips[key] = [Strip(line, width) for line in lines]
        return strips

    def _height(self, index: int, width: int) -> int:
        rule = 1 if index > self._top and not self._entries[index].joined else 0
        return rule + len(self._entry_strips(index, width))

    def _scroll_to_highlight(self) -> None:
        """Move the top so the highlighted entry shows whole (or from its start, if taller)."""
        index = self._highlighted
        width, height = self.size.width, self.size.height
        if index is None or not width or not height:
            return
        self._take_styles()
        if index < self._top:
            self._top = index
            return
        used = sum(self._height(n, width) for n in range(self._top, index + 1))
        while used > height and self._top < index:
            used -= self._height(self._top, width)
            self._top += 1
            if not self._entries[self._top].joined:
                used -= 1  # the new top has no rule above it

    def _more_below(self) -> bool:
        last = max((entry for entry, _ in self._lines if entry is not None), default=-1)
        if last < len(self._entries) - 1:
            return True
        return bool(self._lines) and self._lines[-1][0] is not None and self._cut_short

    def _lay_out(self, width: int, height: int) -> None:
        lines: list[tuple[int | None, int]] = []
        index = self._top
        self._cut_short = False
        while len(lines) < height and index < len(self._entries):
            if index > self._top and not self._entries[index].joined:
                lines.append((None, 0))
            count = len(self._entry_strips(index, width))
            lines.extend((index, n) for n in range(count))
            index += 1
        if len(lines) > height:
            self._cut_short = True
            del lines[height:]
        self._lines = lines
        above, below = self._top, len(self._entries) - index + (1 if self._cut_short else 0)
        marks = [f"↑ {above}" if above else "", f"↓ {below} more" if below > 0 else ""]
        subtitle = "  ".join(mark for mark in marks if mark) or None
        if subtitle != self._subtitle:  # (setting it draws again, even unchanged: a loop)
            self._subtitle = self.border_subtitle = subtitle

    def render_lines(self, crop: Region) -> list[Strip]:
        self._take_styles()
        self._lay_out(self.size.width, self.size.height)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self._lines):
            return Strip.blank(width, self._styles[0])
        index, line = self._lines[y]
        if index is None:
            return Strip([Segment("─" * width, self._styles[3])], width)
        return self._entry_strips(index, width)[line]
