"""A session's queue: each item with its state, the current one marked, estimates and risks."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from planner_tui.domain.estimation import PokerTable, QueueEntry, QueueState
from planner_tui.domain.poker import card_points
from planner_tui.domain.risk import risk_badge
from planner_tui.domain.text import one_line

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


class PokerQueue(OptionList):
    """The queue as a list; enter on an item posts `OptionSelected` with the item id as its id."""

    def show(self, table: PokerTable) -> None:
        """Redraw from `table`, keeping the highlight where it was."""
        highlighted = self.highlighted
        self.clear_options()
        for entry in table.queue:
            current = table.info.open and entry.item_id == table.info.current_item_id
            label = queue_label(entry, current=current, width=self.size.width or 34)
            self.add_option(Option(label, id=str(entry.item_id)))
        if table.queue:
            self.highlighted = min(highlighted or 0, len(table.queue) - 1)


def queue_title(table: PokerTable) -> Text:
    """`Queue  2 of 8 estimated`."""
    done = sum(1 for entry in table.queue if entry.state is QueueState.DONE)
    return Text.assemble(("Queue ", "bold"), (f"{done} of {len(table.queue)} estimated", "dim"))
