"""People: everyone who acts in the workspace, created on first appearance."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from planner_tui.domain.enums import Role
from planner_tui.domain.errors import NotFound
from planner_tui.domain.text import name_key
from planner_tui.store.sql import inserted_id, whole
from planner_tui.store.workspace import Workspace, utc_now

if TYPE_CHECKING:
    from planner_tui.domain.identity import Account
    from planner_tui.domain.models import Person


def same_name(ws: Workspace, name: str) -> int | None:
    """The id of the person whose name is `name` regardless of case, Unicode included.

    The column's NOCASE collation folds only A-Z, so `ZOË` would not find `Zoë`;
    the dialogs compare names with full case folding, and so must this.
    """
    name = name_key(name)
    row = ws.query_one("SELECT id FROM people WHERE name = ?", [name])
    if row is not None:
        return whole(row[0])
    if name.isascii():
        return None
    folded = name.casefold()
    for person_id, other in ws.query("SELECT id, name FROM people"):
        if name_key(other).casefold() == folded:
            return whole(person_id)
    return None


def ensure_person(ws: Workspace, person: Person) -> int:
    """The id of `person`, adding them if they are new (one transaction)."""
    known = same_name(ws, person.name)
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
    return int(person_id)


def person_id(ws: Workspace, name: str) -> int:
    """The id of the person called `name`, adding a bare record if there is none.

    A returning person costs one indexed lookup; only a newcomer is validated
    through the `Person` model (imported then, so start-up does not pay for it).
    """
    known = same_name(ws, name)
    if known is not None:
        return known
    from planner_tui.domain.models import Person

    return ensure_person(ws, Person(name=name))


def check_newcomers(ws: Workspace, names: Iterable[str]) -> None:
    """Raise the `Person` model's error for the first of `names` that is not anyone's yet
    and cannot be a name. A name already in the workspace is taken as it is, whatever
    rule it was written under."""
    newcomers = [name for name in names if same_name(ws, name) is None]
    if newcomers:
        from planner_tui.domain.models import Person

        for name in newcomers:
            Person(name=name)


def people_names(ws: Workspace) -> list[str]:
    """Everyone in the workspace, by name."""
    return [row[0] for row in ws.query("SELECT name FROM people ORDER BY name COLLATE NOCASE")]


# --- names bound to accounts, and roles ---------------------------------------------------


def claim_name(
    ws: Workspace, name: str, account: Account, login_owner: str, *, bind: bool = True
) -> int:
    """The id of `name` for a process running as `account`, bound to it on first use.

    With `bind` off nothing is written: the name is only checked (0 for a newcomer).

    `login_owner` is the login of another account on this machine whose login name
    is `name` (empty if none): such a name is kept for that account. A name already
    mine costs one read; binding checks again inside its write transaction, so two
    accounts racing for a name cannot both get it.

    Raises:
        NameTaken: the name is bound to another account, or is another account's login.
    """
    name = name_key(name)
    with _reading(ws) as conn:
        known = _check_claim(ws, conn, name, account, login_owner)
    if known is not None:  # mine already: its name was checked when it was written
        return known
    # A newcomer's name is checked before anything is written. Only then: the model
    # (pydantic) costs about 150 ms to import, before a returning person's first paint.
    check_newcomers(ws, [name])
    if not bind:
        return 0
    with ws.write() as conn:
        known = _check_claim(ws, conn, name, account, login_owner)
        if known is not None:  # another terminal of mine bound it a moment ago
            return known
        person = same_name(ws, name)
        now = utc_now()
        if person is None:
            person = inserted_id(
                conn.execute(
                    "INSERT INTO people(name, display_name, role, created_at, bound_to, bound_at) "
                    "VALUES (?, '', 'other', ?, ?, ?)",
                    [name, now, account.key, now],
                )
            )
            ws.log("person", person, "joined", name)
            shown = name
        else:
            conn.execute(
                "UPDATE people SET bound_to = ?, bound_at = ? WHERE id = ?",
                [account.key, now, person],
            )
            shown = conn.execute("SELECT name FROM people WHERE id = ?", [person]).fetchone()[0]
        _remember_label(conn, account)
        ws.log("person", person, "bound", f"{shown} → {account.label}")
    assert person is not None
    return person


def _check_claim(
    ws: Workspace, conn: sqlite3.Connection, name: str, account: Account, login_owner: str
) -> int | None:
    """The person's id if `name` is already bound to `account`; None if it is free to bind.

    Raises:
        NameTaken: it is someone else's.
    """
    from planner_tui.domain.identity import check_claim

    known = same_name(ws, name)
    row = (
        conn.execute("SELECT name, bound_to FROM people WHERE id = ?", [known]).fetchone()
        if known is not None
        else None
    )
    bound_to = row["bound_to"] if row is not None else None
    owner = _label(conn, bound_to) if bound_to else login_owner
    if check_claim(row["name"] if row else name, bound_to, owner, account):
        return None
    return known


@contextmanager
def _reading(ws: Workspace) -> Iterator[sqlite3.Connection]:
    with ws.lock:
        yield ws.conn


def _label(conn: sqlite3.Connection, key: str) -> str:
    """The login an account key was last seen with (`bob`), or the key itself."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [f"account {key}"]).fetchone()
    return row[0] if row else key


def _remember_label(conn: sqlite3.Connection, account: Account) -> None:
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
        "value = excluded.value",
        [f"account {account.key}", account.label],
    )


def hand_over(ws: Workspace, name: str, to: Account, me: Account) -> None:
    """Bind `name` to the account `to`: its holder (or root) hands it on. History keeps it.

    Raises:
        NotFound: nobody has the name.
        NotAllowed: `me` does not hold the name.
    """
    from planner_tui.domain.identity import check_hand_over

    with ws.write() as conn:
        known = same_name(ws, name)
        if known is None:
            raise NotFound(f"nobody is called {name} in this workspace")
        row = conn.execute("SELECT name, bound_to FROM people WHERE id = ?", [known]).fetchone()
        check_hand_over(row["name"], row["bound_to"], me)
        before = _label(conn, row["bound_to"]) if row["bound_to"] else "nobody"
        conn.execute(
            "UPDATE people SET bound_to = ?, bound_at = ? WHERE id = ?",
            [to.key, utc_now(), known],
        )
        _remember_label(conn, to)
        ws.log("person", known, "handed over", f"{row['name']}: {before} → {to.label}")


def set_role(ws: Workspace, name: str, role: Role, *, workspace_owner: bool) -> None:
    """Give `name` a role, as the acting person (`ws.actor`) may.

    Raises:
        NotFound: nobody has the name.
        NotAllowed: the actor may not make this change.
    """
    from planner_tui.domain.identity import check_role_change

    with ws.write() as conn:
        known = same_name(ws, name)
        if known is None:
            raise NotFound(f"nobody is called {name} in this workspace")
        row = conn.execute("SELECT name, role FROM people WHERE id = ?", [known]).fetchone()
        mine = same_name(ws, ws.actor)
        my_role = conn.execute("SELECT role FROM people WHERE id = ?", [mine]).fetchone()
        check_role_change(
            name=row["name"],
            current=Role(row["role"]),
            to=role,
            mine=mine == known,
            my_role=Role(my_role["role"]) if my_role else Role.OTHER,
            workspace_owner=workspace_owner,
        )
        if row["role"] == role.value:
            return
        conn.execute("UPDATE people SET role = ? WHERE id = ?", [role.value, known])
        ws.log("person", known, "role", f"{row['name']}: {row['role']} → {role.value}")


def role_of(ws: Workspace, name: str) -> Role:
    """The role of the person called `name` (other if there is nobody by that name)."""
    known = same_name(ws, name)
    row = ws.query_one("SELECT role FROM people WHERE id = ?", [known]) if known else None
    return Role(row[0]) if row else Role.OTHER


def names_with_role(ws: Workspace, role: Role) -> list[str]:
    """Everyone with `role`, by name."""
    return [
        row[0]
        for row in ws.query(
            "SELECT name FROM people WHERE role = ? ORDER BY name COLLATE NOCASE", [role.value]
        )
    ]


def bound_account(ws: Workspace, name: str) -> str | None:
    """The account key `name` is bound to, or None (nobody, or a person in the room)."""
    known = same_name(ws, name)
    row = ws.query_one("SELECT bound_to FROM people WHERE id = ?", [known]) if known else None
    return row[0] if row else None


def refuse_if_bound_elsewhere(
    ws: Workspace, conn: sqlite3.Connection, person: int, doing: str
) -> None:
    """Refuse to act for a person who has a terminal of their own (a name bound to an
    account other than ours): only people in the room are entered for by others.

    Raises:
        NotAllowed: the person acts for themselves.
    """
    row = conn.execute("SELECT name, bound_to FROM people WHERE id = ?", [person]).fetchone()
    if row is None or row["bound_to"] is None or row["bound_to"] == ws.account:
        return
    from planner_tui.domain.identity import NotAllowed

    raise NotAllowed(
        f"{row['name']} plays from their own terminal; only they can {doing} "
        "(the facilitator enters cards for people in the room, who have none)"
    )


def people_rows(ws: Workspace) -> list[sqlite3.Row]:
    """Everyone, with role, binding (and the login it was last seen as) and when it was made."""
    return ws.query(
        """SELECT p.name, p.display_name, p.role, p.bound_to, p.bound_at,
                  coalesce(m.value, p.bound_to) AS account
           FROM people p LEFT JOIN meta m ON m.key = 'account ' || p.bound_to
           ORDER BY p.name COLLATE NOCASE"""
    )
