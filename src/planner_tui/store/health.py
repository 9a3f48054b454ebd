"""`planner check`: schema version, integrity and counts of a workspace."""

from __future__ import annotations

from dataclasses import dataclass

from planner_tui.store.opening import StoreError
from planner_tui.store.schema import OBJECTS, SCHEMA_VERSION, TEXT_LISTS
from planner_tui.store.sql import json_items
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
    malformed: dict[str, int]
    """Values kept as JSON that are not what their column holds (`items.tags`: 2); the
    screens read around them, as empty."""

    @property
    def healthy(self) -> bool:
        """Integrity ok, no dangling reference, counts in step; an older schema is fine.

        An older workspace is migrated (after a backup) when planner opens it.
        """
        return (
            self.schema_version <= self.expected_version
            and self.integrity == ("ok",)
            and self.foreign_key_problems == 0
            and self.tally_matches
            and not self.malformed
        )


def check_workspace(ws: Workspace) -> HealthReport:
    """Run SQLite's integrity and foreign-key checks and count the main tables.

    A damaged file gives a report that says so, rather than an error.
    """
    version = ws.row("PRAGMA user_version")[0]
    try:
        integrity = tuple(row[0] for row in ws.query("PRAGMA integrity_check(20)"))
        foreign = len(ws.query("PRAGMA foreign_key_check"))
        tally = _tally_matches(ws)
        malformed = _malformed(ws)
        existing = {
            row[0] for row in ws.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        counts = {
            table: ws.row(f"SELECT count(*) FROM {table}")[0]  # names from COUNTED_TABLES
            for table in COUNTED_TABLES
            if table in existing
        }
    except StoreError as error:
        return HealthReport(
            schema_version=version,
            expected_version=SCHEMA_VERSION,
            integrity=(str(error),),
            foreign_key_problems=0,
            tally_matches=False,
            counts={},
            malformed={},
        )
    return HealthReport(
        schema_version=version,
        expected_version=SCHEMA_VERSION,
        integrity=integrity,
        foreign_key_problems=foreign,
        tally_matches=tally,
        counts=counts,
        malformed=malformed,
    )


def _malformed(ws: Workspace) -> dict[str, int]:
    """How many values of each JSON column are not a list of texts, or not an object."""
    tests = [
        (
            table,
            column,
            f"json_type({column}) IS NOT 'array'"
            f" OR EXISTS (SELECT 1 FROM {json_items(column)} WHERE type != 'text')",
        )
        for table, column in TEXT_LISTS
    ] + [(table, column, f"json_type({column}) IS NOT 'object'") for table, column in OBJECTS]
    found = {
        f"{table}.{column}": ws.row(  # names from the schema's lists
            f"SELECT count(*) FROM {table} WHERE NOT json_valid({column}) OR {test}"
        )[0]
        for table, column, test in tests
    }
    return {where: count for where, count in found.items() if count}


def _tally_matches(ws: Workspace) -> bool:
    """Whether the trigger-kept item and risk counts agree with full counts."""
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
    kept_risks = {
        tuple(row[:5]): row[5]
        for row in ws.query(
            "SELECT status, category, likelihood, impact, blocking, risks FROM risk_tally "
            "WHERE risks <> 0"
        )
    }
    counted_risks = {
        tuple(row[:5]): row[5]
        for row in ws.query(
            """SELECT status, category, likelihood, impact, blocking <> 0, count(*) FROM risks
               GROUP BY 1, 2, 3, 4, 5"""
        )
    }
    return kept == counted and kept_risks == counted_risks
