"""The yardstick: the smallest Textual app, painting one line of text."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App[None]):
    """One Static widget and nothing else."""

    def compose(self) -> ComposeResult:
        yield Static("minimal-app-ready")


if __name__ == "__main__":
    MinimalApp().run()
