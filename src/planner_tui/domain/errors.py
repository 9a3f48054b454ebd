"""Error classes that rules raise, so the UI can show a friendly one-line message."""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every error a user can cause; its message is shown as-is, on one line."""


class InvalidInput(PlannerError):
    """Data offered to the store breaks a rule of the domain.

    Args:
        message: what is wrong, in a line.
        field: the form field it is about, when there is one (e.g. `parent`).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.current: object | None = None
        """What the record holds now, when the offer lost a race with someone else's edit."""


class NotFound(PlannerError):
    """A record that was asked for does not exist (any more)."""
