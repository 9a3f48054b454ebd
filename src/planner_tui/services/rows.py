"""Building view models from store rows."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def from_row(model: type[M], row, **extra: object) -> M:
    """`model` filled from the row's columns of the same names (and `extra`)."""
    columns = set(row.keys())
    return model.model_validate(
        {name: row[name] for name in model.model_fields if name in columns} | extra
    )
