"""The yardstick: the smallest Textual app, painting one line of text (with --keyed, the
line says which key came last, so each key paints a frame; with --list, each key paints
36 lines of 118 columns afresh, as a list narrowing under a filter does; with --replay
FILE, each key paints the other of two screens FILE holds, redrawing only the lines that
differ, as the least a Textual app can do to show what a key of planner's showed)."""

import json
import sys

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static


class MinimalApp(App[None]):
    """One Static widget and nothing else."""

    def compose(self) -> ComposeResult:
        yield Static("minimal-app-ready")


class KeyedApp(MinimalApp):
    """Each key rewrites the line: the least a key can cost to reach the screen."""

    def on_key(self, event: events.Key) -> None:
        self.query_one(Static).update(f"key {event.key} number {id(event)}")


class ListApp(MinimalApp):
    """Each key rewrites a screenful of lines: the least a whole list changing can cost."""

    def on_key(self, event: events.Key) -> None:
        mark = id(event)
        lines = (f"{n:>5}  row {n} after key {event.key} {mark}".ljust(118, ".") for n in range(36))
        self.query_one(Static).update("\n".join(lines))


class Screens(Widget):
    """Two screens of styled lines, made before any key; one shows at a time."""

    def __init__(self, screens: list[list[Strip]]) -> None:
        super().__init__()
        self.screens = screens
        self.shown = 0
        self.differ = [y for y, (a, b) in enumerate(zip(*screens, strict=True)) if a != b]
        """The lines the two screens do not share (found before any key)."""

    def render_line(self, y: int) -> Strip:
        lines = self.screens[self.shown]
        return lines[y] if y < len(lines) else Strip.blank(self.size.width)

    def flip(self) -> None:
        """Show the other screen, drawing again only the lines that differ."""
        self.shown = 1 - self.shown
        for y in self.differ:
            self.refresh(Region(0, y, self.size.width, 1))


class ReplayApp(App[None]):
    """Each key shows the other screen: what planner painted for a key, with nothing to
    work out first (the floor of that key's frame)."""

    CSS = "Screens { height: 1fr; }"

    def __init__(self, path: str) -> None:
        super().__init__()
        with open(path) as file:
            made = json.load(file)
        self._screens = [
            [Strip([Segment(text, Style(**style)) for text, style in row]) for row in screen]
            for screen in made
        ]

    def compose(self) -> ComposeResult:
        yield Screens(self._screens)

    def on_key(self, event: events.Key) -> None:
        self.query_one(Screens).flip()


if __name__ == "__main__":
    if "--replay" in sys.argv:
        ReplayApp(sys.argv[sys.argv.index("--replay") + 1]).run()
    else:
        app = ListApp if "--list" in sys.argv else KeyedApp if "--keyed" in sys.argv else MinimalApp
        app().run()
