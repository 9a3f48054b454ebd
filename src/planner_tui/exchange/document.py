"""A workspace dump read as records: what the exporters draw from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from planner_tui.domain.exchange import Withheld
from planner_tui.domain.stored import texts_of


class Document:
    """The tables of a dump (columns and rows) as dictionaries, with rows found by id, and
    how many hidden values the dump left out (for a page to say so)."""

    def __init__(self, tables: dict[str, dict[str, Any]], withheld: Withheld | None = None) -> None:
        self.tables = tables
        self.withheld = withheld or Withheld()
        self._by_id: dict[str, dict[int, dict[str, Any]]] = {}

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of `table` as a dictionary, in stored order."""
        part = self.tables.get(table) or {"columns": [], "rows": []}
        columns = part["columns"]
        for row in part["rows"]:
            yield dict(zip(columns, row, strict=True))

    def get(self, table: str, row_id: int | None) -> dict[str, Any] | None:
        """The row of `table` with this id, or None."""
        if row_id is None:
            return None
        if table not in self._by_id:
            self._by_id[table] = {row["id"]: row for row in self.rows(table)}
        return self._by_id[table].get(row_id)

    def name(self, person_id: int | None) -> str:
        """A person's name, or empty."""
        person = self.get("people", person_id)
        return person["name"] if person else ""

    def item_key(self, item_id: int | None) -> str:
        """An item's key, or empty."""
        item = self.get("items", item_id)
        return item["key"] if item else ""


def tags_of(item: dict[str, Any]) -> list[str]:
    """An item row's tags (kept as a JSON list)."""
    return list(texts_of(item.get("tags")))


def live_items(doc: Document) -> list[dict[str, Any]]:
    """The items not in the trash, by rank."""
    return sorted(
        (item for item in doc.rows("items") if item["deleted_at"] is None),
        key=lambda item: item["rank"],
    )
