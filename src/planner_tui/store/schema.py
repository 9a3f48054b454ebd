"""The workspace schema as append-only migrations. Never edit a migration that has shipped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner_tui.store.migrations import STEPS

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

APPLICATION_ID = 0x504C4E52
"""`PRAGMA application_id` of every workspace ("PLNR"): tells our files from other SQLite files."""

MIGRATION_SET = "planner"


def build_migrations() -> Migrations:
    """The workspace migrations, in order; their count is the schema version."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, statements in STEPS:

        def step(db: Database, statements: list[str] = statements) -> None:
            for statement in statements:
                db.execute(statement)

        migrations(name=name)(step)
    return migrations


MIGRATION_NAMES = tuple(name for name, _ in STEPS)
SCHEMA_VERSION = len(MIGRATION_NAMES)
"""The schema version this build writes; kept in `PRAGMA user_version` too."""

TEXT_LISTS = (("items", "tags"), ("decks", "cards"), ("retro_templates", "columns"),
              ("retro_boards", "columns"))  # fmt: skip
"""Columns that hold a JSON list of texts."""

OBJECTS = (("sessions", "settings"),)
"""Columns that hold a JSON object."""
