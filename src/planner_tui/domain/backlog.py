"""What the backlog list shows and how it is filtered and sorted: plain records, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

COUNT_AT_MOST = 1_000
"""A text search of the backlog counts its matches up to this many, then says "1,000+"
(one more is read to know): most of 100,000 titles hold an "e", and counting them all
took a keystroke 45–70 ms."""


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
    worst_risk: int | None
    """The highest score among the item's live risks."""
    tags: tuple[str, ...]
    metric: str = ""
    """Its success metric, target against actual (`metric_text`); empty if none."""

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


class Quadrant(StrEnum):
    """Where an estimated item falls when value is set against effort."""

    QUICK_WINS = "quick wins"
    BIG_BETS = "big bets"
    FILL_INS = "fill-ins"
    MONEY_PITS = "money pits"


HIGH_VALUE_FROM = 6
"""Values 6 to 10 count as high (the upper half of the 1-10 scale)."""


def quadrant(value: int, estimate: float, effort_split: float) -> Quadrant:
    """The quadrant of an item: high value is 6 or more; high effort is above `effort_split`."""
    high_value = value >= HIGH_VALUE_FROM
    high_effort = estimate > effort_split
    if high_value:
        return Quadrant.BIG_BETS if high_effort else Quadrant.QUICK_WINS
    return Quadrant.MONEY_PITS if high_effort else Quadrant.FILL_INS


@dataclass(frozen=True)
class QuadrantView:
    """The value-versus-effort picture: the effort split and each quadrant's best items."""

    effort_split: float
    counts: dict[Quadrant, int]
    items: dict[Quadrant, tuple[BacklogRow, ...]]


class Outcome(StrEnum):
    """How a success metric stands against its target."""

    MET = "met"
    MISSED = "missed"
    NOT_MEASURED = "not measured yet"
    NO_TARGET = "no target"


def outcome(target: float | None, actual: float | None, *, lower_better: bool = False) -> Outcome:
    """Met, missed, not measured yet, or no target to judge by; `lower_better` for metrics
    such as latency or churn, where at most the target is the aim."""
    if target is None:
        return Outcome.NO_TARGET
    if actual is None:
        return Outcome.NOT_MEASURED
    met = actual <= target if lower_better else actual >= target
    return Outcome.MET if met else Outcome.MISSED


def metric_text(
    name: str | None,
    unit: str | None,
    target: float | None,
    actual: float | None,
    *,
    lower_better: bool = False,
    done: bool = True,
) -> str:
    """An item's success metric as people read it, target against actual, for work `done`
    with the verdict first (a line cut short keeps it): `missed — adoption: 38 % against a
    target of 50 %`, `met — p95: 180 ms against a target of at most 200 ms`, `adoption:
    target 50 %, not measured yet`; empty when the item has none. Work not done yet gets
    no verdict: what it was meant to move has not been launched."""
    if not name:
        return ""

    def amount(value: float) -> str:
        return f"{value:g} {unit}".rstrip() if unit else f"{value:g}"

    aim = "" if target is None else f"at most {amount(target)}" if lower_better else amount(target)
    if actual is not None and target is not None:
        said = f"{name}: {amount(actual)} against a target of {aim}"
        return f"{outcome(target, actual, lower_better=lower_better)} — {said}" if done else said
    if actual is not None:
        return f"{name}: {amount(actual)} (no target)"
    if target is not None:
        return f"{name}: target {aim}, not measured yet"
    return f"{name}: no target, not measured yet"


def metric_of(row: Any) -> tuple[str, Outcome]:
    """An item row's metric in words and its verdict; `row` is read by column name (a
    `sqlite3.Row` or an exported item's dictionary), its status included."""
    lower_better = row["metric_better"] == "lower"
    return (
        metric_text(
            row["metric_name"],
            row["metric_unit"],
            row["metric_target"],
            row["metric_actual"],
            lower_better=lower_better,
            done=row["status"] == "done",
        ),
        outcome(row["metric_target"], row["metric_actual"], lower_better=lower_better),
    )


@dataclass(frozen=True)
class Judged:
    """An item with a success metric, and how the metric stands."""

    key: str
    title: str
    outcome: Outcome
    metric: str
    """`metric_text`: name, actual against target, the verdict in words."""


def judged(row: Any) -> Judged:
    """An item row (key, title and the metric columns, read by name) judged."""
    said, verdict = metric_of(row)
    return Judged(row["key"], row["title"], verdict, said)
