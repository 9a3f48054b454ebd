"""A one-line footer of the live key bindings, drawn as a single widget.

Textual's `Footer` builds a widget per key and parses a large stylesheet,
which costs about a sixth of our time to first paint (bench/startup.py). This
bar shows the same thing — the focused screen's shown bindings, disabled ones
dimmed, the command palette key on the right — and a click on a key presses it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


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

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Text:
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
        # screen keys without theirs. The first that fits is drawn.
        palette_bare = [
            (key, display, "" if key == palette_key else text, on)
            for key, display, text, on in app_keys
        ]
        for screen_words, app_entries in (
            (True, app_keys),
            (True, palette_bare),
            (False, app_keys),
            (False, palette_bare),
        ):
            left, left_spans = self._entries(screen_keys, key_style, described=screen_words)
            right, right_spans = self._entries(app_entries, key_style, described=True)
            if left.cell_len + right.cell_len <= self.size.width:
                break
        gap = max(self.size.width - left.cell_len - right.cell_len, 1)
        offset = left.cell_len + gap
        self._hit_boxes = left_spans + [(a + offset, b + offset, key) for a, b, key in right_spans]
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append_text(left)
        line.append(" " * gap)
        line.append_text(right)
        return line

    @staticmethod
    def _entries(
        entries: list[tuple[str, str, str, bool]], key_style: str, *, described: bool
    ) -> tuple[Text, list[tuple[int, int, str]]]:
        """The entries as text, and where each key sits on it (for clicks)."""
        text = Text(end="")
        spans: list[tuple[int, int, str]] = []
        for key, display, description, enabled in entries:
            start = text.cell_len
            dim = "" if enabled else " dim"
            text.append(f" {display} ", style=f"bold {key_style}{dim}")
            if described and description:
                text.append(f"{description} ", style="" if enabled else "dim")
            spans.append((start, text.cell_len, key))
        return text, spans

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._hit_boxes:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
