"""Building view models from store rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class Row(Protocol):
    """A store row: named columns (sqlite3.Row, or a dict with `keys`)."""

    def keys(self) -> Any: ...

    def __getitem__(self, name: str) -> Any: ...


def from_row(model: type[M], row: Row | Mapping[str, Any], **extra: object) -> M:
    """`model` filled from the row's columns of the same names (and `extra`)."""
    columns = set(row.keys())
    return model.model_validate(
        {name: row[name] for name in model.model_fields if name in columns} | extra
    )
