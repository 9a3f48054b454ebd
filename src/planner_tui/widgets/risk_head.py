"""The Risks screen's head: how many are live, blocking and overdue, and the filters in use."""

from __future__ import annotations

from rich.text import Text

from planner_tui.domain.risk_view import RiskCounts, RiskFilter
from planner_tui.domain.text import count_of, one_line


def head_text(
    counts: RiskCounts, overdue: int, shown: int, keep: RiskFilter, status_name: str
) -> Text:
    """Two lines: the register's counts, then the filters and how many risks they show."""
    blocking = counts.blocking
    filters = [f"status: {status_name}"]
    if keep.category is not None:
        filters.append(f"category: {keep.category.value}")
    if keep.cell is not None:
        filters.append(f"cell: likelihood {keep.cell[0]}, impact {keep.cell[1]}")
    for label, value in (("item", keep.item_key), ("sprint", keep.sprint), ("owner", keep.owner)):
        if value:
            filters.append(f"{label}: {one_line(value, 30)}")
    head = Text.assemble(
        ("Risks", "bold"),
        f"  ·  {counts.live} live",
        (f"  ·  {blocking} blocking", "bold red") if blocking else "",
        (f"  ·  {count_of(overdue, 'follow-up')} overdue (!)", "bold red") if overdue else "",
        ("\n" + " · ".join(filters) + f"  ·  {shown} shown", "dim"),
    )
    if not counts.total:
        head.append("\nNo risks yet: r raises one.", style="dim")
    return head
