"""The yardstick: the smallest Textual app, painting one line of text (with --keyed, the
line says which key came last, so each key paints a frame)."""

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


if __name__ == "__main__":
    (KeyedApp if "--keyed" in sys.argv else MinimalApp)().run()
