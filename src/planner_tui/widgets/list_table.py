"""A row-cursor table where Home and End go to the first and last row, as in any list."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class ListTable(DataTable):
    """`DataTable` with a row cursor: Home and End move it to the top and bottom.

    Textual's table gives Home and End to sideways scrolling, which a list of rows
    that fits its width never needs.
    """

    BINDINGS = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = False) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)
