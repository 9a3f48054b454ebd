"""Work with a success metric, judged: how many met, missed or are not measured yet, and
each item with its mark and the metric said in words (never by the mark alone)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.text import Text

from planner_tui.domain.backlog import Judged, Outcome
from planner_tui.domain.text import one_line

OUTCOME_MARKS = {
    Outcome.MET: ("✓", "bold"),
    Outcome.MISSED: ("✗", "bold reverse"),
    Outcome.NOT_MEASURED: ("?", "dim"),
    Outcome.NO_TARGET: ("·", "dim"),
}
"""Each verdict's mark; the verdict is also said in words on its line."""


def judged_lines(items: Sequence[Judged], width: int) -> list[Text]:
    """Items with a success metric: how many met, missed, are not measured yet, then each
    with its mark and, under it, the metric said in words (the verdict too)."""
    counts = {kind: sum(1 for item in items if item.outcome is kind) for kind in Outcome}
    lines = [Text(", ".join(f"{counts[kind]} {kind}" for kind in Outcome if counts[kind]), "bold")]
    for item in items:
        mark, style = OUTCOME_MARKS[item.outcome]
        lines.append(
            Text.assemble(
                (f" {mark} ", style),
                (one_line(item.key, 10).ljust(10), "bold"),
                " ",
                one_line(item.title, max(width - 14, 20)),
            )
        )
        for part in textwrap.wrap(one_line(item.metric), max(width - 14, 20)):
            lines.append(Text(" " * 14 + part, "dim"))  # wrapped, never cut: the verdict is said
    return lines
