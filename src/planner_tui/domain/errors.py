"""Error classes that rules raise, so the UI can show a friendly one-line message."""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every error a user can cause; its message is shown as-is, on one line."""


class InvalidInput(PlannerError):
    """Data offered to the store breaks a rule of the domain."""


class NotFound(PlannerError):
    """A record that was asked for does not exist (any more)."""
