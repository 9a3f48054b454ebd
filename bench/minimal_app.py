"""The yardstick: the smallest Textual app, painting one line of text (with --keyed, the
line says which key came last, so each key paints a frame; with --list, each key paints
36 lines of 118 columns afresh, as a list narrowing under a filter does)."""

import sys

from textual import events
from textual.app import App, ComposeResult
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


if __name__ == "__main__":
    app = ListApp if "--list" in sys.argv else KeyedApp if "--keyed" in sys.argv else MinimalApp
    app().run()
