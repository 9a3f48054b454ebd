"""A one-line footer of the live key bindings, drawn as a single widget.

Textual's `Footer` builds a widget per key and parses a large stylesheet,
which costs about a sixth of our time to first paint (bench/startup.py). This
bar shows the same thing — the focused screen's shown bindings, disabled ones
dimmed, the command palette key on the right — and a click on a key presses it.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from planner_tui.widgets.read_only import is_read_only, read_only_reason

ESSENTIAL_KEYS = frozenset({"question_mark", "q"})
"""App-wide keys whose words stay longest: every key (?) and quitting."""


class KeyBar(Widget):
    """The screen's live bindings, docked at the bottom."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._hit_boxes: list[tuple[int, int, str]] = []
        self._drawn: Text | None = None
        self._made: tuple[int, Text] | None = None
        """The line made to compare with the one drawn, and the width it was made for."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        if is_read_only(self.app):
            self.styles.height = 2  # the read-only banner sits on the keys

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        # Every draw of a screen refreshes its bindings; the line is drawn again only
        # if it reads differently (a redraw that changed nothing cost a frame).
        if screen is not self.screen:
            return
        line = self._line()
        if line != self._drawn:
            self._made = (self.size.width, line)  # (drawn as made, unless the width changes)
            self.refresh()

    def render(self) -> Text:
        made, self._made = self._made, None
        self._drawn = made[1] if made is not None and made[0] == self.size.width else self._line()
        return self._drawn

    def _line(self) -> Text:
        """Screen keys from the left, app-wide keys and the palette on the right.

        When the line is too narrow the screen keys lose their descriptions first,
        so `?` (every key) and `q` stay readable at 80 columns and below.
        """
        key_style = self.app.current_theme.variables.get("footer-key-foreground") or "bold"
        screen_keys: list[tuple[str, str, str, bool]] = []
        app_keys: list[tuple[str, str, str, bool]] = []
        seen_actions: set[str] = set()
        palette_key = self.app.COMMAND_PALETTE_BINDING
        for key, (node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if key == palette_key and self.app.ENABLE_COMMAND_PALETTE:
                app_keys.append((key, self.app.get_key_display(binding), "palette", enabled))
                continue
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            entry = (key, self.app.get_key_display(binding), binding.description, enabled)
            (app_keys if node is self.app else screen_keys).append(entry)

        # Widest first: everything; then the palette key without its word; then the
        # screen keys lose their words from the right, one at a time. The first
        # that fits is drawn, so the first (most used) keys keep their words longest.
        palette_bare = [
            (key, display, "" if key == palette_key else text, on)
            for key, display, text, on in app_keys
        ]
        # The app-wide keys but ? and q say their words only once the screen's cannot:
        # at 120 columns the screen's own keys kept fewer words than "New item".
        essential_words = [
            (key, display, text if key in ESSENTIAL_KEYS else "", on)
            for key, display, text, on in app_keys
        ]
        # Every word of the screen's keys comes first, even if ? and q give up theirs for
        # it; after that ? and q keep their words while the screen's keys lose theirs.
        all_bare = [(key, display, "", on) for key, display, _, on in app_keys]
        everything = len(screen_keys)
        choices = [
            (everything, entries) for entries in (app_keys, palette_bare, essential_words, all_bare)
        ]
        choices += [
            (described, entries)
            for described in range(everything - 1, -1, -1)
            for entries in (app_keys, palette_bare, essential_words)
        ]
        for described, app_entries in choices:
            left, left_spans = self._entries(screen_keys, key_style, described=described)
            right, right_spans = self._entries(app_entries, key_style, described=len(app_entries))
            if left.cell_len + right.cell_len <= self.size.width:
                break
        gap = max(self.size.width - left.cell_len - right.cell_len, 1)
        offset = left.cell_len + gap
        self._hit_boxes = left_spans + [(a + offset, b + offset, key) for a, b, key in right_spans]
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        if is_read_only(self.app):
            banner = Text(f" Read-only: {read_only_reason(self.app)}", "bold reverse", end="")
            banner.truncate(self.size.width, overflow="ellipsis", pad=True)
            line.append_text(banner)
            line.append("\n")
        line.append_text(left)
        line.append(" " * gap)
        line.append_text(right)
        return line

    @staticmethod
    def _entries(
        entries: list[tuple[str, str, str, bool]], key_style: str, *, described: int
    ) -> tuple[Text, list[tuple[int, int, str]]]:
        """The entries as text (the first `described` with their words), and where each key sits."""
        text = Text(end="")
        spans: list[tuple[int, int, str]] = []
        for index, (key, display, description, enabled) in enumerate(entries):
            start = text.cell_len
            dim = "" if enabled else " dim"
            text.append(f" {display} ", style=f"bold {key_style}{dim}")
            if index < described and description:
                text.append(f"{description} ", style="" if enabled else "dim")
            spans.append((start, text.cell_len, key))
        return text, spans

    def on_click(self, event: events.Click) -> None:
        if event.y != self.size.height - 1:
            return  # the banner above the keys
        for start, end, key in self._hit_boxes:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
