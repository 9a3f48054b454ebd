"""What the app offers the screens and widgets it runs: the typed side of their contract.

Screens reach the workspace, today's date and the person at this terminal through
`Host`, never by guessing at attributes of `self.app`. `PlannerApp` is the one
implementation; a test app that runs our screens provides the same.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from planner_tui.services.context import Session

R = TypeVar("R")


class Host(Protocol):
    """The app as its screens see it."""

    session: Session
    """The open workspace and who I am."""
    clock: Callable[[], date]
    """Today's date (fixed in tests)."""
    me: str
    """The name of the person at this terminal."""
    read_only: bool
    """The workspace can only be read here: no write keys are offered."""
    read_only_reason: str
    """Why, in a line."""

    def beat_now(self) -> None:
        """Tell the others at once where I am."""

    def take_type_ahead(self) -> str:
        """The keys typed while a typing modal opened, once."""

    def take_estimation_request(self) -> int | None:
        """The estimation session another screen asked to show, once."""

    def arrive(self, name: str) -> None:
        """Show screen `name` next as if its key was pressed elsewhere (a meeting list then
        opens the running meeting)."""

    def take_arrival(self, name: str) -> bool:
        """Whether screen `name` is being shown because its key was pressed elsewhere (not
        because a screen on top of it closed), once."""

    def open_estimation(self, session_id: int) -> None:
        """Show an estimation session on the Estimation screen."""

    def push_typing(self, modal: Screen[R], callback: Callable[[R | None], None]) -> None:
        """Show a modal that is typed into; keys typed while it opens go into it."""

    def action_go(self, name: str) -> None:
        """Show the top-level screen `name`."""

    def notify_screen(self, kinds: frozenset[str]) -> None:
        """Tell the shown screen which kinds of record changed."""

    @property
    def holding_frames(self) -> bool:
        """A switch of screens holds frames until the screen shown has read what it shows."""

    def release_frames(self) -> None:
        """The screen shown has read and drawn what it shows: send its frame now."""


def host_of(app: App[Any]) -> Host:
    """`app` as the screens' host: the app running our screens always is one."""
    return cast("Host", app)
