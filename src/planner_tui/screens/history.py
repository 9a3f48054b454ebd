"""The team's history: velocity per sprint (committed against done), how each retro was
rated, and how long the open actions have waited, drawn in text."""

from __future__ import annotations

from functools import partial

from rich.text import Text

from planner_tui.domain.text import count_of, one_line
from planner_tui.screens.modal import ReadingModal
from planner_tui.services.history import History
from planner_tui.widgets.outcomes import judged_lines

BAR = 30
"""Cells of the longest bar."""


def history_text(history: History, width: int = 80) -> Text:
    """The three charts, each said in numbers too (not only in bar lengths or colours)."""
    bar = max(min(BAR, width - 40), 8)
    lines: list[Text] = [Text("Velocity: committed against done, per sprint", style="bold")]
    if not history.sprints:
        lines.append(Text("No sprint has closed yet.", style="dim"))
    most = max([1.0, *(max(s.committed, s.done) for s in history.sprints)])
    for sprint in history.sprints:
        name = one_line(sprint.name, 14).ljust(14)
        for label, points, style in (
            ("committed", sprint.committed, "dim"),
            ("done", sprint.done, "bold"),
        ):
            cells = round(points / most * bar)
            lines.append(
                Text.assemble(
                    (name if label == "committed" else " " * 14, "bold"),
                    f" {label:<9} ",
                    ("█" * cells, style),
                    f" {points:g}",
                )
            )
    lines += [Text(""), Text("Worth the time (ROTI, 1 to 5), per retro", style="bold")]
    if not history.retros:
        lines.append(Text("No retro has ended yet.", style="dim"))
    for retro in history.retros:
        title = one_line(retro.title, 24).ljust(24)
        if retro.average is None:
            said = (
                "not rated"
                if not retro.ratings
                else f"{count_of(retro.ratings, 'rating')}: too few to average (3 needed)"
            )
            lines.append(Text.assemble((title, "bold"), " ", (said, "dim")))
            continue
        cells = round(retro.average / 5 * (bar // 2))
        lines.append(
            Text.assemble(
                (title, "bold"),
                " ",
                ("█" * cells, "bold"),
                f" {retro.average:.1f}/5 ({retro.ratings} ratings)",
            )
        )
    lines += [Text(""), *outcome_lines(history, width)]
    lines += [Text(""), Text("Open actions, oldest first", style="bold")]
    if not history.actions:
        lines.append(Text("No action is open.", style="dim"))
    for action in history.actions:
        days = f"{action.days_open} day{'s' if action.days_open != 1 else ''}"
        lines.append(
            Text.assemble(
                (days.rjust(9), "bold" if action.days_open > 14 else ""),
                "  ",
                one_line(action.text, max(width - 30, 20)),
                (f"  {one_line(action.owner, 16)}", "dim"),
            )
        )
    return Text("\n").join(lines)


def outcome_lines(history: History, width: int) -> list[Text]:
    """Launched items (done, with a success metric): met, missed, not measured yet."""
    lines = [Text("Outcomes of launched work", style="bold")]
    if not history.launched:
        return [
            *lines,
            Text("Nothing done has a success metric yet (give one in the item editor).", "dim"),
        ]
    return lines + judged_lines(history.launched, width)


class HistoryModal(ReadingModal):
    """The history, scrollable; escape closes."""

    def __init__(self, history: History) -> None:
        super().__init__("History", partial(history_text, history), text_id="history")
