"""Screens whose tools are not built yet: an honest empty state, never fake data."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from planner_tui.paths import styles_dir
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.titlebar import TitleBar


@dataclass(frozen=True)
class ComingScreenText:
    """What a not-yet-built screen says: its name and what it will hold."""

    title: str
    will_hold: str
    meanwhile: str


COMING = {
    "sprint": ComingScreenText(
        "Sprint",
        "Sprint planning will happen here: capacity per person, velocity of the last sprints, "
        "committing ranked items against capacity, scope changes after the start, closing "
        "the sprint, and a burn-down.",
        "The home screen shows the active sprint's committed points against its capacity.",
    ),
}


class ComingScreen(Screen[None]):
    """A top-level screen that says plainly what it will hold."""

    CSS_PATH = str(styles_dir() / "coming.tcss")

    BINDINGS = [
        Binding(
            "escape,h",
            "app.go('home')",
            "Home",
            id="coming.home",
            tooltip="Back to the home screen",
        ),
    ]

    def __init__(self, name: str) -> None:
        super().__init__(id=name, classes="coming")
        self._text = COMING[name]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(), Center():
            body = Text.assemble(
                (self._text.title, "bold"),
                ("  ·  not built yet\n\n", "dim"),
                self._text.will_hold,
                "\n\n",
                (self._text.meanwhile, "italic"),
            )
            yield Static(body, classes="coming-body")
        yield KeyBar()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Nothing from the workspace is drawn here."""
