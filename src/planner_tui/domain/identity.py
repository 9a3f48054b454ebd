"""Who may act under a name, and who may change roles: the rules of identity.

A name in a workspace is bound to the account that first used it from a
terminal: an OS account (`uid:1001`) on the team box. Names nobody has used
from a terminal (people in the room, entered by the facilitator) are unbound.
Pure: the store reads the bindings and the caller says which account it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner_tui.domain.enums import Role
from planner_tui.domain.errors import PlannerError

ROOT_UID = 0


class NameTaken(PlannerError):
    """Another account holds the name asked for; the message says whose and what to do."""


class NotAllowed(PlannerError):
    """The person acting may not make this change (a role, a name, a veto)."""


@dataclass(frozen=True)
class Account:
    """The account a process runs as: what a name gets bound to.

    A plain dataclass, not a pydantic model: every start-up builds one before the
    first paint, and importing pydantic's models then cost about 150 ms."""

    key: str
    """How the workspace stores it: `uid:1001`."""
    label: str
    """How people know it: the login name, `bob`."""

    @classmethod
    def for_uid(cls, uid: int, login: str) -> Account:
        """The OS account `uid` (whose login name is `login`)."""
        return cls(key=f"uid:{uid}", label=login)

    @property
    def is_root(self) -> bool:
        """The box's administrator, who can read and write every file anyway."""
        return self.key == f"uid:{ROOT_UID}"


def check_claim(name: str, bound_to: str | None, owner_label: str, me: Account) -> bool:
    """Whether `me` may act as `name`, and so whether the name is to be bound to me now.

    Args:
        name: the name asked for.
        bound_to: the account the name is bound to, or None if nobody's yet.
        owner_label: who that is (or, for an unbound name, the login of another
            account whose login name it is; empty when there is none).
        me: the account asking.

    Returns:
        True when the name is unbound and becomes mine; False when it already is.

    Raises:
        NameTaken: the name is another account's.
    """
    if bound_to == me.key:
        return False
    if bound_to is not None:
        raise NameTaken(
            f"the name {name} belongs to another account ({owner_label}) in this workspace; "
            f"open it as yourself, or ask {owner_label} to hand it over "
            f"(planner people WORKSPACE --give {name} --to {me.label})"
        )
    if owner_label and owner_label != me.label:
        raise NameTaken(
            f"{name} is the login name of another account on this machine; "
            f"only that account can use it (open the workspace as yourself)"
        )
    return True


def check_hand_over(name: str, bound_to: str | None, me: Account) -> None:
    """Refuse unless `me` holds `name` (or is root, who can change the file anyway).

    Raises:
        NotAllowed: the name is not mine to give.
    """
    if me.is_root or bound_to == me.key:
        return
    if bound_to is None:
        raise NotAllowed(f"{name} is not bound to any account yet: its first user takes it")
    raise NotAllowed(f"only the account that holds {name} can hand it over")


def check_role_change(
    *, name: str, current: Role, to: Role, mine: bool, my_role: Role, workspace_owner: bool
) -> None:
    """Refuse a role change the person asking may not make.

    Engineering holds the security veto, so only an engineer or the workspace's
    owner (the account that owns the file, or root) may make someone an engineer,
    take the role away, or change another person's role. Anyone may set their
    own role to any other.

    Raises:
        NotAllowed: why not, and who can.
    """
    if current is to:
        return
    if workspace_owner or my_role is Role.ENGINEERING:
        return
    if not mine:
        raise NotAllowed(
            f"only engineering or the workspace's owner can change {name}'s role; "
            "set your own with --role YOURNAME ROLE"
        )
    if Role.ENGINEERING in (current, to):
        raise NotAllowed(
            "only an engineer or the workspace's owner can move a person into or out of "
            "engineering: engineering holds the security veto"
        )
