"""The team's people: who holds which name, their roles, and handing a name on."""

from __future__ import annotations

from planner_tui.domain.enums import Role
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import Value
from planner_tui.services.accounts import account_named, owns_file
from planner_tui.services.context import Session
from planner_tui.store import people as store
from planner_tui.store.presence import here_now
from planner_tui.store.workspace import Workspace


class PersonView(Value):
    """A person as the people list shows them."""

    name: str
    display_name: str = ""
    role: Role
    account: str | None = None
    """The login of the account the name is bound to; None for someone in the room."""
    bound_at: str | None = None
    here: bool = False


def listing(ws: Workspace) -> list[PersonView]:
    """Everyone in the workspace, by name, with role, account and whether they are here."""
    here = {name.casefold() for name in here_now(ws)}
    return [
        PersonView(
            name=row["name"],
            display_name=row["display_name"],
            role=_role(row["role"]),
            account=row["account"],
            bound_at=row["bound_at"],
            here=row["name"].casefold() in here,
        )
        for row in store.people_rows(ws)
    ]


def _role(stored: str) -> Role:
    try:
        return Role(stored)
    except ValueError:  # a role written by a newer planner, or by hand
        return Role.OTHER


def set_role(session: Session, name: str, role: str) -> None:
    """Give `name` a role, if the person acting may (engineering holds the security veto).

    Raises:
        InvalidInput: no such role.
        NotAllowed: the acting person may not make this change.
    """
    try:
        chosen = Role(role.strip().casefold())
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidInput(f"no role {role!r}; the roles are {roles}") from None
    owner = owns_file(session.path, session.account)
    store.set_role(session.workspace, name, chosen, workspace_owner=owner)


def hand_over(session: Session, name: str, login: str) -> str:
    """Bind `name` to the account called `login`; returns that account's login.

    Raises:
        InvalidInput: there is no such account on this machine.
        NotAllowed: the name is not the acting account's to give.
    """
    to = account_named(login.strip())
    if to is None:
        raise InvalidInput(f"no account {login!r} on this machine")
    store.hand_over(session.workspace, name, to, session.account)
    return to.label


def engineers(session: Session) -> list[str]:
    """Who may lift a blocking security risk."""
    return store.names_with_role(session.workspace, Role.ENGINEERING)


def my_role(session: Session) -> Role:
    """The acting person's role."""
    return store.role_of(session.workspace, session.me)
