"""The sprint review on screen: what was committed and done, what changed after the start,
what is left, and how the work's success metrics stand (met, missed, not measured yet)."""

from __future__ import annotations

from functools import partial

from rich.text import Text

from planner_tui.domain.backlog import Judged
from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.sprint import show_points
from planner_tui.domain.text import count_of, one_line
from planner_tui.screens.modal import ReadingModal
from planner_tui.services.sprints import SprintBoard
from planner_tui.widgets.outcomes import judged_lines


def review_text(board: SprintBoard, outcomes: tuple[Judged, ...], width: int = 80) -> Text:
    """The review in words and numbers (nothing said by colour alone)."""
    sprint = board.sprint
    items = board.live_items
    done = [item for item in items if item.done]
    committed = round(sum(item.estimate or 0 for item in items), 1)
    points = sprint.completed_points if sprint.completed_points is not None else board.done_points
    share = f" ({points / committed:.0%})" if committed else ""
    state = {
        SprintStatus.CLOSED: "closed",
        SprintStatus.ACTIVE: "running",
        SprintStatus.PLANNED: "planned",
    }
    lines = [
        Text.assemble(
            (one_line(sprint.name, 40), "bold"),
            f"  {sprint.start_date:%d %b} – {sprint.end_date:%d %b}, {state[sprint.status]}",
        )
    ]
    if sprint.goal:
        lines.append(Text(f"Goal: {one_line(sprint.goal, width - 6)}"))
    lines += [
        Text(""),
        Text.assemble(
            "Committed ",
            (f"{show_points(committed)} points", "bold"),
            ", done ",
            (f"{show_points(points)} points{share}", "bold"),
            f"; {len(done)} of {count_of(len(items), 'item')} done.",
        ),
    ]
    if sprint.status is not SprintStatus.PLANNED:
        lines.append(Text(board.scope.describe().capitalize() + "."))
    left = [item for item in items if not item.done]
    if left:
        lines += [Text(""), Text("Not done", style="bold")]
        for item in left:
            went = f"  → {one_line(item.now_in, 20)}" if item.now_in else ""
            if not went and sprint.status is SprintStatus.CLOSED:
                went = "  → the backlog"
            lines.append(
                Text.assemble(
                    (f"   {one_line(item.key, 10).ljust(10)} ", "bold"),
                    one_line(item.title, max(width - 34, 20)),
                    f"  {show_points(item.estimate or 0)} pts{went}",
                )
            )
    lines += [Text(""), Text("Outcomes: the success metrics of the work it got done", style="bold")]
    if outcomes:
        lines += judged_lines(outcomes, width)
    else:
        lines.append(Text("Nothing done in this sprint has a success metric.", style="dim"))
    return Text("\n").join(lines)


class SprintReviewModal(ReadingModal):
    """The review of one sprint, scrollable; escape closes."""

    def __init__(self, board: SprintBoard, outcomes: tuple[Judged, ...]) -> None:
        super().__init__("Sprint review", partial(review_text, board, outcomes), text_id="review")
