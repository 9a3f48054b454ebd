"""A row-cursor table where Home and End go to the first and last row, as in any list."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from planner_tui.widgets.user_text import safe


def _cell(value: object) -> Any:
    """A cell as drawn: text never as markup, its control characters visible."""
    return safe(value) if isinstance(value, (str, Text)) else value


class ListTable(DataTable[Any]):
    """`DataTable` with a row cursor: Home and End move it to the top and bottom.

    Textual's table gives Home and End to sideways scrolling, which a list of rows
    that fits its width never needs. Every cell goes through `safe`: a string cell
    is plain text (Textual's table would read it as markup), and no cell can carry
    a control character to the terminal.
    """

    BINDINGS = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = False) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)

    def add_row(
        self,
        *cells: object,
        height: int | None = 1,
        key: str | None = None,
        label: object = None,
    ) -> RowKey:
        """Add a row whose cells are drawn safely (see the class)."""
        return super().add_row(
            *(_cell(cell) for cell in cells),
            height=height,
            key=key,
            label=None if label is None else _cell(label),
        )

    def update_cell(
        self, row_key: Hashable, column_key: Hashable, value: object, *, update_width: bool = False
    ) -> None:
        """Change a cell, drawn safely."""
        super().update_cell(row_key, column_key, _cell(value), update_width=update_width)  # type: ignore[arg-type]  # any renderable

    def update_cell_at(
        self, coordinate: Coordinate | tuple[int, int], value: object, *, update_width: bool = False
    ) -> None:
        """Change the cell at `coordinate`, drawn safely."""
        super().update_cell_at(coordinate, _cell(value), update_width=update_width)  # type: ignore[arg-type]  # any renderable
