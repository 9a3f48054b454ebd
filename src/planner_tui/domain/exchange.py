"""What moves in and out of a workspace: imported items, problems found in a file, summaries."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.models import MAX_TEXT, Value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Cell starts that make a spreadsheet run the cell as a formula."""


def neutral_cell(text: str) -> str:
    """`text` safe for a spreadsheet: a cell that would run as a formula gets a leading `'`.

    A cell that starts with `'` already gets one too, so reading it back (which takes
    one `'` off) gives exactly what was typed.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) or text.startswith("'") else text


class ImportedItem(Value):
    """One backlog item read from a file, before it meets the workspace."""

    line: int
    """Where it starts in the file (1 is the first line), for reports."""
    title: str = Field(min_length=1, max_length=MAX_TEXT)
    kind: ItemKind = ItemKind.STORY
    status: ItemStatus = ItemStatus.NEW
    description: str = Field(default="", max_length=MAX_TEXT)
    acceptance: str = Field(default="", max_length=MAX_TEXT)
    problem: str = Field(default="", max_length=MAX_TEXT)
    value: int | None = Field(default=None, ge=1, le=10)
    estimate: float | None = Field(default=None, ge=0, le=10_000)
    tags: tuple[str, ...] = ()
    parent: str | None = None
    """The parent's external key in the same source (a Jira epic, a Linear parent issue)."""
    source: str = Field(min_length=1, max_length=40)
    """Where it came from: `jira`, `github`, `linear`, `csv`, `planner`."""
    external_key: str = Field(min_length=1, max_length=200)
    """Its key there (`SHOP-12`, `#42`, `ENG-7`); importing again updates the item with it."""
    external_url: str = Field(default="", max_length=2_000)
    metric_name: str = Field(default="", max_length=500)
    """Its success metric (empty: none given, and one already here is kept)."""
    metric_unit: str = Field(default="", max_length=50)
    metric_target: float | None = None
    metric_actual: float | None = None
    metric_aim: Literal["", "higher", "lower"] = ""
    """Which way the metric aims; empty keeps what is here (new items aim higher)."""


class Problem(Value):
    """Something wrong in an import file, where a person can find it."""

    line: int
    """The file's line (1 is the first); 0 for the file as a whole."""
    column: str = ""
    message: str

    def describe(self) -> str:
        """`line 4, column Summary: the title is empty`."""
        where = "the file" if self.line == 0 else f"line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class Parsed(Value):
    """What a reader made of a file: the good items, and a problem for each bad row."""

    format: str
    items: tuple[ImportedItem, ...] = ()
    problems: tuple[Problem, ...] = ()
    rows: int = 0
    """Data rows (or records) read, good and bad."""
    separator: str = ","
    """A CSV's cell separator as found: a comma, a semicolon or a tab."""


class ImportSummary(Value):
    """What an import did, or (a dry run) would do."""

    added: tuple[str, ...] = ()
    """Titles of the new items."""
    updated: tuple[str, ...] = ()
    """Keys of items that were there and changed."""
    unchanged: int = 0
    skipped: tuple[Problem, ...] = ()


BACKLOG_COLUMNS = (
    "key",
    "title",
    "kind",
    "status",
    "value",
    "estimate",
    "tags",
    "parent",
    "problem",
    "description",
    "acceptance",
    "source",
    "external_key",
    "external_url",
    "metric",
    "metric_unit",
    "metric_target",
    "metric_actual",
    "metric_aim",
)
"""Our own backlog CSV, as exported and as read back: tags are comma-separated in one cell."""


WITHHELD_KINDS = {
    "votes": "poker vote",
    "retro_cards": "retro card",
    "retro_themes": "retro theme",
    "retro_votes": "dot vote",
    "retro_ratings": "retro rating",
}
"""What a running meeting may keep hidden, by the table that holds it, and what one is called."""


class Withheld(Value):
    """How many hidden values an export left out, by the table they are kept in.

    A running meeting keeps some values to their owner (an unrevealed poker card, a
    retro card before the reveal, dots while totals are hidden, ratings until the
    end). An export is a file others may read, so it leaves them out for everyone.
    """

    votes: int = Field(default=0, ge=0)
    """Poker votes of unrevealed rounds: the card and confidence, with who voted."""
    retro_cards: int = Field(default=0, ge=0)
    retro_themes: int = Field(default=0, ge=0)
    retro_votes: int = Field(default=0, ge=0)
    """Dots on retro cards and themes."""
    retro_ratings: int = Field(default=0, ge=0)

    @property
    def total(self) -> int:
        """Every value left out."""
        return sum(self.counts().values())

    def counts(self) -> dict[str, int]:
        """The kinds with something left out, and how many (the JSON's `withheld` object)."""
        return {kind: count for kind in WITHHELD_KINDS if (count := getattr(self, kind))}

    def describe(self) -> str:
        """One line: `2 poker votes and 1 retro card withheld: hidden until ...`."""
        parts = [
            f"{count} {WITHHELD_KINDS[kind]}{'s' if count != 1 else ''}"
            for kind, count in self.counts().items()
        ]
        if not parts:
            return "nothing withheld"
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"{listed} withheld: hidden until their meeting reveals them or ends"
