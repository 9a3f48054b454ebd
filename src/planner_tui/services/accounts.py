"""The account this process runs as, read from the OS (never from variables anyone can set)."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from planner_tui.domain.identity import ROOT_UID, Account


def current_account() -> Account:
    """This process's OS account: its uid, and the login name the uid has."""
    uid = os.getuid()
    return Account.for_uid(uid, login_of(uid))


def login_of(uid: int) -> str:
    """The login name of `uid`, or `uid1001` if the system does not know it."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def account_named(login: str) -> Account | None:
    """The OS account whose login name is `login`, or None."""
    try:
        entry = pwd.getpwnam(login)
    except KeyError:
        return None
    return Account.for_uid(entry.pw_uid, entry.pw_name)


def login_owner(name: str, me: Account) -> str:
    """The login of another account on this machine called `name` (empty if none)."""
    other = account_named(name)
    return other.label if other is not None and other.key != me.key else ""


def owns_file(path: Path, me: Account) -> bool:
    """Whether `me` owns the file at `path` (root counts as owner of every file)."""
    return me.is_root or me.key == f"uid:{path.stat().st_uid}"


__all__ = ["ROOT_UID", "account_named", "current_account", "login_of", "login_owner", "owns_file"]
