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
        key_style = self.app.current_theme.variables.get("footer-key-foreground") or "bold"
        keys = Text(no_wrap=True, overflow="ellipsis", end="")
        self._hit_boxes = []
        seen_actions: set[str] = set()
        palette_key = self.app.COMMAND_PALETTE_BINDING
        palette = None
        for key, (_, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if key == palette_key:
                palette = binding
                continue
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            start = keys.cell_len
            dim = "" if enabled else " dim"
            keys.append(f" {self.app.get_key_display(binding)} ", style=f"bold {key_style}{dim}")
            keys.append(f"{binding.description} ", style="dim" if not enabled else "")
            self._hit_boxes.append((start, keys.cell_len, key))
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            hint = Text.assemble(
                ("▏", "dim"), (self.app.get_key_display(palette), f"bold {key_style}"), " palette "
            )
            gap = self.size.width - keys.cell_len - hint.cell_len
            if gap > 0:
                start = keys.cell_len + gap
                keys.append(" " * gap)
                keys.append_text(hint)
                self._hit_boxes.append((start, keys.cell_len, palette_key))
        return keys

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._hit_boxes:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
