"""What the backlog list shows and how it is filtered and sorted: plain records, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SortKey(StrEnum):
    """Orders the backlog list can take; rank is the team's own order."""

    RANK = "rank"
    VALUE = "value"
    ESTIMATE = "estimate"
    VALUE_PER_EFFORT = "value per effort"

    def next(self) -> SortKey:
        """The sort after this one, round and round (one key cycles through them)."""
        order = list(SortKey)
        return order[(order.index(self) + 1) % len(order)]


@dataclass(frozen=True)
class BacklogQuery:
    """Which live items to list, and in what order."""

    text: str = ""
    """Matched, ignoring case, against key, title, tags and problem statement."""
    status: str | None = None
    kind: str | None = None
    tag: str | None = None
    sort: SortKey = SortKey.RANK
    in_trash: bool = False
    """List deleted items (the trash) instead of live ones."""


@dataclass(frozen=True)
class BacklogRow:
    """One line of the backlog list."""

    id: int
    key: str
    rank: int
    title: str
    kind: str
    status: str
    value: int | None
    estimate: float | None
    open_risks: int
    tags: tuple[str, ...]

    @property
    def value_per_effort(self) -> float | None:
        """Value for each point of effort; None until both are known."""
        if self.value is None or not self.estimate:
            return None
        return self.value / self.estimate


def next_choice(current: str | None, choices: list[str]) -> str | None:
    """The filter value after `current` in `choices`, then None (no filter), then round again."""
    if current is None:
        return choices[0] if choices else None
    if current not in choices or current == choices[-1]:
        return None
    return choices[choices.index(current) + 1]
