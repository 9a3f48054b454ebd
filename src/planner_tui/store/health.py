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
    counts: dict[str, int]

    @property
    def healthy(self) -> bool:
        """True when the schema is current, integrity is ok and no reference dangles."""
        return (
            self.schema_version == self.expected_version
            and self.integrity == ("ok",)
            and self.foreign_key_problems == 0
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
        schema_version=version,
        expected_version=SCHEMA_VERSION,
        integrity=integrity,
        foreign_key_problems=foreign,
        counts=counts,
    )
