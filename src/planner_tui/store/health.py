"""`planner check`: schema version, integrity and counts of a workspace."""

from __future__ import annotations

from dataclasses import dataclass

from planner_tui.store.schema import SCHEMA_VERSION
from planner_tui.store.workspace import Workspace

COUNTED_TABLES = (
    "people",
    "items",
    "sprints",
    "sessions",
    "estimation_rounds",
    "votes",
    "risks",
    "retro_boards",
    "retro_cards",
    "action_items",
    "changes",
)


@dataclass(frozen=True)
class HealthReport:
    """What `planner check` prints; `healthy` decides the exit code."""

    schema_version: int
    expected_version: int
    integrity: tuple[str, ...]
    foreign_key_problems: int
    tally_matches: bool
    counts: dict[str, int]

    @property
    def healthy(self) -> bool:
        """True when the schema is current, integrity is ok and no reference dangles."""
        return (
            self.schema_version == self.expected_version
            and self.integrity == ("ok",)
            and self.foreign_key_problems == 0
            and self.tally_matches
        )


def check_workspace(ws: Workspace) -> HealthReport:
    """Run SQLite's integrity and foreign-key checks and count the main tables."""
    version = ws.query_one("PRAGMA user_version")[0]
    integrity = tuple(row[0] for row in ws.query("PRAGMA integrity_check(20)"))
    foreign = len(ws.query("PRAGMA foreign_key_check"))
    existing = {row[0] for row in ws.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    counts = {
        table: ws.query_one(f"SELECT count(*) FROM {table}")[0]
        for table in COUNTED_TABLES
        if table in existing
    }
    return HealthReport(
        tally_matches=_tally_matches(ws),
        schema_version=version,
        expected_version=SCHEMA_VERSION,
        integrity=integrity,
        foreign_key_problems=foreign,
        counts=counts,
    )


def _tally_matches(ws: Workspace) -> bool:
    """Whether the trigger-kept item counts agree with a full count of the items."""
    kept = {
        row[0]: (row[1], row[2], round(row[3], 6))
        for row in ws.query("SELECT status, items, estimated, points FROM item_tally")
        if row[1]
    }
    counted = {
        row[0]: (row[1], row[2], round(row[3], 6))
        for row in ws.query(
            """SELECT status, count(*), count(estimate), coalesce(sum(estimate), 0)
               FROM items WHERE deleted_at IS NULL GROUP BY status"""
        )
    }
    return kept == counted
