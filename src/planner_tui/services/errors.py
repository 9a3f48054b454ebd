"""Turning any error a user can cause into one line they can act on."""

from __future__ import annotations

from pydantic import ValidationError

from planner_tui.domain.errors import PlannerError


def friendly(error: Exception) -> str:
    """One line for the user: the rule that was broken, never a traceback."""
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "__root__")
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        return f"{where}: {message}" if where else message
    if isinstance(error, PlannerError):
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"unexpected error: {type(error).__name__}: {error}".splitlines()[0]


USER_ERRORS: tuple[type[Exception], ...] = (PlannerError, ValidationError)
"""The errors a user's action can cause; everything else is a bug."""
