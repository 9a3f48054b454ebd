"""A session's queue: each item with its state, the current one marked, estimates and risks."""

from __future__ import annotations

from rich.text import Text

from planner_tui.domain.estimation import PokerTable, QueueEntry, QueueState
from planner_tui.domain.poker import card_points
from planner_tui.domain.risk import risk_badge
from planner_tui.domain.text import one_line
from planner_tui.services.pages import Pages
from planner_tui.widgets.row_view import RowColumn, RowView

_MARKS = {
    QueueState.DONE: ("✓", "green"),
    QueueState.SKIPPED: ("↷", "yellow"),
    QueueState.PARKED: ("⏸", "yellow"),
    QueueState.QUEUED: (" ", ""),
}


def queue_label(entry: QueueEntry, *, current: bool, width: int = 34) -> Text:
    """One line of `width` cells: mark, key, title, accepted card (and points), open risks."""
    after = ""
    if entry.final_card:
        after = f"  {one_line(entry.final_card)}"
        points = card_points(entry.final_card)
        if entry.estimate is not None and points != entry.estimate:
            after += f"→{entry.estimate:g}"
    badge = risk_badge(entry.open_risks, entry.worst_risk)
    risks = f"  ⚠{badge}" if badge else ""
    room = max(width - len(entry.key) - len(after) - len(risks) - 5, 8)
    mark, style = _MARKS[entry.state]
    label = Text.assemble(
        ("▶" if current else mark, "bold" if current else style),
        " ",
        (entry.key, "bold"),
        " ",
        one_line(entry.title, room),
    )
    label.append(after, style="bold green")
    label.append(risks, style="red")
    return label


class PokerQueue(RowView):
    """The queue, a line per item drawn as it scrolls into view (5,000 queued cost what 50 do);
    enter on an item posts `RowView.Selected` with its index in `table.queue`."""

    HEADING = 0

    _drawn: tuple[object, ...] = ()

    def show_table(self, table: PokerTable, queue: Pages[QueueEntry]) -> None:
        """Draw `table`'s queue, its items past the first read from `queue` as they show,
        keeping the cursor where it was."""
        current = table.info.current_item_id if table.info.open else None
        # The same queue read again (a vote read back after it was drawn) draws nothing;
        # one longer than its first page is compared row by row on screen by `show`.
        whole = tuple(queue.first) if table.queued <= len(queue.first) else queue
        drawn = (whole, current, table.queued, self.scrollable_content_region.width)
        if drawn == self._drawn:
            return
        self._drawn = drawn

        def cells(index: int) -> list[Text]:
            entry = queue.at(index)
            if entry is None:  # the queue changed since it was read: the next read shows it
                return [Text("…", style="dim")]
            width = max(self.scrollable_content_region.width - 1, 20)
            return [queue_label(entry, current=entry.item_id == current, width=width)]

        self.show([RowColumn("")], table.queued, cells)


def queue_title(table: PokerTable) -> Text:
    """`Queue  2 of 8 estimated`."""
    return Text.assemble(("Queue ", "bold"), (f"{table.done} of {table.queued} estimated", "dim"))
