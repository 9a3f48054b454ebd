"""DataTable columns sized to the space there is: fixed ones first, the rest shared out."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


def fit_columns(
    table: DataTable[Any], width: int, columns: list[tuple[str, int]], last: tuple[int, ...] = ()
) -> tuple[int, ...]:
    """Set `table`'s columns to fill `width` cells, if they are not already so; returns the widths.

    Args:
        columns: (name, cells) pairs; 0 cells means "a share of what is left", weighted by
            order: the first flexible column gets 3 parts, later ones 2.
        last: the widths returned by the previous call, to skip rebuilding when nothing changed.
    """
    flexible = [i for i, (_, cells) in enumerate(columns) if cells == 0]
    rest = max(width - sum(cells for _, cells in columns) - 2 * len(columns), 8 * len(flexible))
    parts = [3 if n == 0 else 2 for n in range(len(flexible))]
    widths = [cells for _, cells in columns]
    for index, part in zip(flexible, parts, strict=True):
        widths[index] = max(rest * part // sum(parts), 8)
    if tuple(widths) == last:
        return last
    table.clear(columns=True)
    for (name, _), cells in zip(columns, widths, strict=True):
        table.add_column(name, width=cells)
    return tuple(widths)
