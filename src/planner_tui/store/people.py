"""People: everyone who acts in the workspace, created on first appearance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner_tui.store.workspace import Workspace, utc_now

if TYPE_CHECKING:
    from planner_tui.domain.models import Person


def _same_name(ws: Workspace, name: str) -> int | None:
    """The id of the person whose name is `name` regardless of case, Unicode included.

    The column's NOCASE collation folds only A-Z, so `ZOË` would not find `Zoë`;
    the dialogs compare names with full case folding, and so must this.
    """
    row = ws.query_one("SELECT id FROM people WHERE name = ?", [name])
    if row is not None:
        return row[0]
    if name.isascii():
        return None
    folded = name.casefold()
    for person_id, other in ws.query("SELECT id, name FROM people"):
        if other.casefold() == folded:
            return person_id
    return None


def ensure_person(ws: Workspace, person: Person) -> int:
    """The id of `person`, adding them if they are new (one transaction)."""
    known = _same_name(ws, person.name)
    if known is not None:
        return known
    with ws.write() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO people(name, display_name, role, created_at) VALUES (?, ?, ?, ?)",
            [person.name, person.display_name, person.role.value, utc_now()],
        )
        person_id = conn.execute("SELECT id FROM people WHERE name = ?", [person.name]).fetchone()[
            0
        ]
        ws.log("person", person_id, "joined", person.name)
    return person_id


def person_id(ws: Workspace, name: str) -> int:
    """The id of the person called `name`, adding a bare record if there is none.

    A returning person costs one indexed lookup; only a newcomer is validated
    through the `Person` model (imported then, so start-up does not pay for it).
    """
    known = _same_name(ws, name)
    if known is not None:
        return known
    from planner_tui.domain.models import Person

    return ensure_person(ws, Person(name=name))


def list_people(ws: Workspace) -> list[Person]:
    """Everyone in the workspace, by name."""
    from planner_tui.domain.models import Person

    rows = ws.query("SELECT name, display_name, role FROM people ORDER BY name")
    return [Person(name=row[0], display_name=row[1], role=row[2]) for row in rows]


def people_names(ws: Workspace) -> list[str]:
    """Everyone in the workspace, by name."""
    return [row[0] for row in ws.query("SELECT name FROM people ORDER BY name COLLATE NOCASE")]
