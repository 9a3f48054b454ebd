"""Read-only use: a person who can only read the workspace file is offered no write keys.

Screens and widgets list the actions that write in `WRITE_ACTIONS`; when the app
runs on a workspace it cannot write, those bindings are neither shown nor live
(nor offered in the command palette, which asks the same question). A write that
still reaches the store is refused there, so this is the view, not the guard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.dom import DOMNode

from planner_tui.widgets.host import host_of


def is_read_only(app: App[Any]) -> bool:
    """Whether the app shows a workspace it cannot write."""
    return host_of(app).read_only


def read_only_reason(app: App[Any]) -> str:
    """Why the workspace is read-only here, and what can still be done, in a line."""
    reason = host_of(app).read_only_reason or "you cannot write this workspace"
    return f"{reason} — you can look and export"


if TYPE_CHECKING:
    _Mixed = DOMNode
else:
    # Not a DOMNode at run time: Textual styles a node by the first DOMNode among its
    # class's bases, and a mixin that was one hid Screen and Widget from every screen
    # (no background, so each frame of a screen drew the screen under it again).
    _Mixed = object


class ReadOnlyAware(_Mixed):
    """Mixed into a screen or widget: its `WRITE_ACTIONS` go when the workspace is read-only."""

    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITE_ACTIONS and is_read_only(self.app):
            return False
        return super().check_action(action, parameters)
