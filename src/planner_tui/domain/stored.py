"""Values kept as JSON inside a column: an item's tags, a deck's cards, a board's columns,
a session's settings.

The file is shared: a teammate's hand edit, an old bug or an imported file may have put
anything there. A reader takes what it can (a list of texts, an object) and treats the
rest as empty, so one bad value never stops a screen; an import is stricter and says
which row is wrong (`texts_in`).
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


_NOT_JSON = object()


def _parsed(stored: object) -> object:
    """The JSON value in a stored text; `_NOT_JSON` for anything else."""
    if not isinstance(stored, str):
        return _NOT_JSON
    try:
        return json.loads(stored)
    except ValueError:
        return _NOT_JSON


def texts_in(stored: object) -> tuple[str, ...] | None:
    """The texts of a stored JSON list of texts; None when `stored` is not one."""
    value = _parsed(stored)
    if not isinstance(value, list) or not all(isinstance(text, str) for text in value):
        return None
    return tuple(value)


def texts_of(stored: object) -> tuple[str, ...]:
    """A stored JSON list of texts, or none when the value is not one."""
    return texts_in(stored) or ()


def object_in(stored: object) -> dict[str, Any] | None:
    """A stored JSON object; None when `stored` is not one (empty or missing: `{}`)."""
    if stored is None or stored == "":
        return {}
    value = _parsed(stored)
    return value if isinstance(value, dict) else None


def settings_from(kind: type[Model], stored: object) -> Model:
    """Settings of `kind` from a stored JSON object: what is missing or not valid there
    takes its default (a `"deck": 5` loses the deck, not the timer)."""
    raw = object_in(stored) or {}
    while True:
        try:
            return kind.model_validate(raw)
        except ValidationError as error:
            wrong = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
            if not wrong & raw.keys():
                return kind()
            raw = {key: value for key, value in raw.items() if key not in wrong}
