"""Invitations for guests who join through `planner serve`: the rules, without I/O.

An invitation names who the guest will be. It carries two secrets: a link token for
a browser and a short code for SSH. Whichever is used first binds that browser (a
cookie) or that SSH key to the invitation, and the invitation is spent: nobody can
use it again, by either door. The workspace keeps only hashes of the secrets.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from planner_tui.domain.errors import InvalidInput, PlannerError
from planner_tui.domain.identity import Account

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
"""What an SSH code is spelt with: no 0/O, 1/I/L or U, so a code read aloud is typed right."""
CODE_LENGTH = 16
"""Characters in a code (about 78 bits): too many to try them all offline against the
hash in the file, let alone through serve, which rate-limits and expires them."""
DEFAULT_LIFETIME = timedelta(days=1)
LONGEST_LIFETIME = timedelta(days=30)
GUEST_KEY_PREFIX = "guest:"


class InvitationRefused(PlannerError):
    """A link, code or key that does not let anyone in; the message says why, in one line."""


class UnknownInvitation(InvitationRefused):
    """A link or code that is no invitation at all: a guess, which counts against its
    address (a spent, revoked or expired one was given out, and is not guessed)."""


@dataclass(frozen=True)
class InvitationState:
    """What is stored about an invitation, as far as letting someone in goes."""

    id: int
    name: str
    expires_at: str
    used_at: str | None
    revoked_at: str | None


def digest(secret: str) -> str:
    """How a secret is stored: its SHA-256, hex. The secrets are random and long enough
    (or rate-limited and short-lived, for codes) that a plain hash is the right tool."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normal_code(typed: str) -> str:
    """An SSH code as typed (any case, with dashes or spaces) in the one spelling that is
    hashed; empty if it cannot be a code."""
    cleaned = re.sub(r"[\s\-_.]", "", typed.upper())
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return ""
    return cleaned


def shown_code(code: str) -> str:
    """A code as printed for people: in fours, `K7QP-M2XD-AB3R-TV9N`."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


def guest_account(invitation_id: int, name: str) -> Account:
    """The account a guest's name is bound to: their invitation, not an OS account."""
    return Account(key=f"{GUEST_KEY_PREFIX}{invitation_id}", label=f"guest {name}")


def is_guest(account: Account) -> bool:
    """Whether `account` is a served guest's (who gets the app and nothing else)."""
    return account.key.startswith(GUEST_KEY_PREFIX)


_LIFETIME = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_lifetime(text: str) -> timedelta:
    """`30m`, `8h`, `2d` or `1w` as a time span, up to 30 days.

    Raises:
        InvalidInput: anything else.
    """
    match = _LIFETIME.match(text)
    if not match:
        raise InvalidInput(
            f"expiry {text!r}: give minutes, hours, days or weeks, such as 30m, 8h, 2d or 1w"
        )
    if len(match.group(1)) > 6:  # (a number that would overflow a time span)
        raise InvalidInput(f"expiry {text!r}: an invitation lasts from a minute to 30 days")
    span = timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    if span <= timedelta(0) or span > LONGEST_LIFETIME:
        raise InvalidInput(f"expiry {text!r}: an invitation lasts from a minute to 30 days")
    return span


def check_usable(invitation: InvitationState | None, now: datetime) -> InvitationState:
    """The invitation, if a first use may bind to it now.

    Raises:
        InvitationRefused: unknown, revoked, spent or expired (the message says which).
    """
    if invitation is None:
        raise UnknownInvitation("that invitation is not known here; ask for a new one")
    if invitation.revoked_at is not None:
        raise InvitationRefused(f"the invitation for {invitation.name} was revoked")
    if invitation.used_at is not None:
        raise InvitationRefused(
            f"the invitation for {invitation.name} has already been used; "
            "each invitation lets one browser or one SSH key in"
        )
    if datetime.fromisoformat(invitation.expires_at) <= now:
        raise InvitationRefused(f"the invitation for {invitation.name} expired; ask for a new one")
    return invitation


def check_returning(invitation: InvitationState | None) -> InvitationState:
    """The invitation a known browser or key was bound to, if it still lets them in.

    Raises:
        InvitationRefused: it was revoked (or is gone).
    """
    if invitation is None:
        raise InvitationRefused("this browser or key is not invited here; open your invitation")
    if invitation.revoked_at is not None:
        raise InvitationRefused("your invitation was revoked; ask for a new one")
    return invitation


__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "DEFAULT_LIFETIME",
    "InvitationRefused",
    "InvitationState",
    "UnknownInvitation",
    "check_returning",
    "check_usable",
    "digest",
    "guest_account",
    "is_guest",
    "normal_code",
    "parse_lifetime",
    "shown_code",
]
