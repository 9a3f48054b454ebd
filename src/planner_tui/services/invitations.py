"""Inviting guests, and letting them in through `planner serve`'s two doors.

A teammate bound to a name invites a guest by name; the invitation gives a link (for a
browser) and a code (for SSH). The first use binds that browser or SSH key to the
invitation and spends it. The guest's own `planner` then runs as the invitation's
account (`guest:7`), so the name is theirs exactly as a teammate's name is their OS
account's: nobody can open the workspace under it another way.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.identity import Account, NameTaken, NotAllowed
from planner_tui.domain.invitations import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DEFAULT_LIFETIME,
    InvitationRefused,
    InvitationState,
    check_returning,
    check_usable,
    digest,
    guest_account,
    is_guest,
    normal_code,
)
from planner_tui.services.accounts import login_owner, owns_file
from planner_tui.services.context import Session
from planner_tui.store import invitations as store
from planner_tui.store.people import bound_account, same_name
from planner_tui.store.workspace import Workspace

GUEST_SESSION_VARIABLE = "PLANNER_GUEST_SESSION"
"""How `planner serve` hands a guest's planner its session secret (never on a command
line, where every account on the box could read it)."""


@dataclass(frozen=True)
class NewInvitation:
    """An invitation just made: the only time its secrets exist outside the guest's hands."""

    id: int
    name: str
    link_token: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class InvitationView:
    """An invitation as `planner invite --list` shows it."""

    id: int
    name: str
    state: str
    created_by: str
    expires_at: str
    live: int


def _now() -> datetime:
    return datetime.now(UTC)


def invite(session: Session, name: str, lifetime: timedelta = DEFAULT_LIFETIME) -> NewInvitation:
    """Invite a guest to join as `name` for `lifetime`.

    Raises:
        NotAllowed: a guest or a read-only viewer asked.
        NameTaken: the name is held by someone, or another invitation is out for it.
        InvalidInput: the name cannot be a person's name.
    """
    if is_guest(session.account):
        raise NotAllowed("guests cannot invite others; ask a teammate on the team box")
    if session.read_only:
        raise NotAllowed("you can only read this workspace, so you cannot invite anyone")
    from planner_tui.domain.models import Person

    name = Person(name=name.strip()).name
    ws = session.workspace
    _check_free(ws, name)
    link_token = secrets.token_urlsafe(24)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = (_now() + lifetime).replace(microsecond=0)

    def still_free(invitation: int) -> None:
        _check_free(ws, name, but=invitation)

    invitation = store.create(
        ws,
        name,
        link_hash=digest(link_token),
        code_hash=digest(code),
        by=session.me,
        by_account=session.account.key,
        expires_at=expires.isoformat(),
        check=still_free,
    )
    return NewInvitation(invitation, name, link_token, code, expires)


def _check_free(ws: Workspace, name: str, but: int | None = None) -> None:
    """Refuse a name someone holds, another account's login, or one already invited."""
    person = same_name(ws, name)
    holder = bound_account(ws, name) if person is not None else None
    if holder is not None:
        raise NameTaken(f"{name} is already someone's name in this workspace; invite another name")
    owner = login_owner(name, Account(key="guest:new", label=""))
    if owner:
        raise NameTaken(
            f"{name} is the login name of an account on this machine; invite another name"
        )
    for row in store.rows(ws):
        if row["id"] == but or row["name"].casefold() != name.casefold():
            continue
        state = _state_word(row, _now())
        if state in ("waiting", "used by a browser", "used by an SSH key"):
            raise NameTaken(
                f"{name} already has an invitation ({state}); revoke it first "
                f"(planner invite WORKSPACE --revoke {name})"
            )


def _state_word(row: Any, now: datetime) -> str:
    get = row.__getitem__
    if get("revoked_at"):
        return "revoked"
    if get("used_at"):
        return "used by a browser" if get("used_by") == "browser" else "used by an SSH key"
    if datetime.fromisoformat(get("expires_at")) <= now:
        return "expired"
    return "waiting"


def listing(ws: Workspace) -> list[InvitationView]:
    """Every invitation, newest first."""
    now = _now()
    return [
        InvitationView(
            id=row["id"],
            name=row["name"],
            state=_state_word(row, now),
            created_by=row["created_by"],
            expires_at=row["expires_at"],
            live=row["live"],
        )
        for row in store.rows(ws)
    ]


def revoke(session: Session, name: str) -> str:
    """Revoke the latest invitation for `name` (or `#7`, by its number): its browser or key
    cannot come back, a running guest session of it ends, and the name is free again.

    Raises:
        NotFound: no such invitation still in force.
        NotAllowed: only its inviter, the workspace file's owner or root may revoke it.
    """
    ws = session.workspace
    wanted = name.strip()
    rows = [row for row in store.rows(ws) if not row["revoked_at"]]
    if wanted.startswith("#") and wanted[1:].isdigit():
        found = [row for row in rows if row["id"] == int(wanted[1:])]
    else:
        found = [row for row in rows if row["name"].casefold() == wanted.casefold()]
    if not found:
        raise NotFound(f"no invitation in force for {wanted}")
    row = found[0]
    if row["created_account"] != session.account.key and not owns_file(
        session.path, session.account
    ):
        raise NotAllowed(
            f"only {row['created_by']} (who invited {row['name']}) or the owner of "
            f"{session.path.name} can revoke this invitation"
        )
    store.revoke(ws, row["id"])
    return str(row["name"])


# --- the doors: what `planner serve` asks ----------------------------------------------


def invited_by_link(ws: Workspace, link_token: str) -> InvitationState:
    """The invitation a link is for, spending nothing: what the page that asks the guest
    to join shows (a chat's link preview or a mail scanner fetches the link too).

    Raises:
        InvitationRefused: unknown, spent, revoked or expired.
    """
    return check_usable(store.by_link(ws, digest(link_token)), _now())


def join_by_link(ws: Workspace, link_token: str) -> tuple[InvitationState, str]:
    """A browser's first use of an invitation link: the invitation, and the secret its
    cookie will hold from now on.

    Raises:
        InvitationRefused: unknown, spent, revoked or expired.
    """
    invitation = check_usable(store.by_link(ws, digest(link_token)), _now())
    secret = secrets.token_urlsafe(32)
    store.redeem(ws, invitation.id, _browser_key(secret), "browser", _now())
    return invitation, secret


def returning_browser(ws: Workspace, secret: str) -> InvitationState:
    """The invitation a browser's cookie secret was bound to.

    Raises:
        InvitationRefused: no such browser, or its invitation was revoked.
    """
    if not secret:
        raise InvitationRefused("open your invitation link to join")
    return check_returning(store.by_key(ws, _browser_key(secret)))


def known_key(ws: Workspace, fingerprint: str) -> bool:
    """Whether an SSH key was bound to an invitation (it comes back; it guesses nothing)."""
    return store.by_key(ws, _ssh_key(fingerprint)) is not None


def join_by_ssh(ws: Workspace, typed: str, fingerprint: str) -> InvitationState:
    """Who an SSH key is: the invitation it was bound to, or, on its first use, the one
    whose code it gives as its user name (`ssh CODE@box`), which it then binds.

    Raises:
        InvitationRefused: an unknown key without a usable code.
    """
    known = store.by_key(ws, _ssh_key(fingerprint))
    if known is not None:
        return check_returning(known)
    code = normal_code(typed)
    if not code and len(re.sub(r"[\W_]", "", typed)) == CODE_LENGTH:  # a code, mistyped
        raise InvitationRefused(
            "that is not an invitation code: codes have no 0, 1, I, L, O or U; "
            "check what you typed (ssh -p PORT CODE@HOST)"
        )
    if not code:
        raise InvitationRefused(
            "this SSH key is not invited here; join with the code from your invitation as "
            "the user name (ssh -p PORT CODE@HOST)"
        )
    invitation = check_usable(store.by_code(ws, digest(code)), _now())
    store.redeem(ws, invitation.id, _ssh_key(fingerprint), "ssh", _now())
    return invitation


def _browser_key(secret: str) -> str:
    return digest(f"browser:{secret}")


def _ssh_key(fingerprint: str) -> str:
    return digest(f"ssh:{fingerprint}")


def start_guest(ws: Workspace, invitation: InvitationState, door: str) -> str:
    """A secret for one guest `planner` process to prove it is this invitation's guest."""
    token = secrets.token_urlsafe(32)
    store.start_session(ws, digest(token), invitation.id, door)
    return token


def end_guest(ws: Workspace, token: str) -> None:
    store.end_session(ws, digest(token))


def live_sessions(ws: Workspace) -> frozenset[str]:
    """The hashes of the guest sessions the workspace still holds (revoking deletes them)."""
    return store.session_hashes(ws)


def is_live(token: str, live: frozenset[str]) -> bool:
    """Whether the session whose secret is `token` is among `live`."""
    return digest(token) in live


def end_every_guest(ws: Workspace) -> None:
    store.end_all_sessions(ws)


def still_in_force(ws: Workspace, invitation: InvitationState) -> bool:
    """Whether the invitation still lets its guest in (not revoked meanwhile)."""
    current = store.by_id(ws, invitation.id)
    return current is not None and current.revoked_at is None


def guest_identity(path: Path, token: str) -> tuple[str, Account]:
    """The name and account of the guest whose session secret is `token`.

    Raises:
        InvitationRefused: the session is unknown or over, or its invitation was revoked.
        WorkspaceError: the file cannot be opened.
    """
    ws = Workspace.open(path, actor="guest", readonly=True)
    try:
        invitation = store.session_invitation(ws, digest(token))
    finally:
        ws.close()
    if invitation is None:
        raise InvitationRefused("this guest session is not valid; open your invitation again")
    check_returning(invitation)
    return invitation.name, guest_account(invitation.id, invitation.name)


def open_for_serving(path: Path) -> Workspace:
    """The workspace as `planner serve` holds it (created or migrated as needed).

    Raises:
        WorkspaceError: the file cannot be used.
    """
    return Workspace.open(path, actor="planner serve")


def remember_doors(ws: Workspace, web: str, ssh: str) -> None:
    """Where guests reach this workspace now (empty for a closed door)."""
    store.remember_doors(ws, web, ssh)


def doors(ws: Workspace) -> tuple[str, str]:
    """(web address, `host:port` for SSH) the last `planner serve` gave; empty if none."""
    return store.doors(ws)


def how_to_join(ws: Workspace, new: NewInvitation) -> list[str]:
    """What to send the guest: the link and the SSH command (with the addresses the last
    `planner serve` gave), the expiry, and that it works once."""
    from planner_tui.domain.invitations import shown_code

    web, ssh = doors(ws)
    running = bool(web or ssh)
    expires = new.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"Invitation for {new.name}, until {expires}:"]
    if web or not running:
        lines.append(f"  in a browser: {web or 'SERVE-ADDRESS'}/join/{new.link_token}")
    if ssh or not running:
        host, _, port = ssh.rpartition(":") if ssh else ("HOST", "", "PORT")
        lines.append(f"  over SSH:     ssh -p {port} {shown_code(new.code)}@{host}")
    lines.append(
        f"It lets one browser or one SSH key in, once; that browser or key is then "
        f"{new.name}'s. Send it privately."
    )
    if not running:
        lines.append("(planner serve is not running on this workspace: start it for the addresses)")
    return lines


def check_lifetime(text: str | None) -> timedelta:
    """The lifetime asked for, or the default (a day).

    Raises:
        InvalidInput: not a lifetime.
    """
    from planner_tui.domain.invitations import parse_lifetime

    return DEFAULT_LIFETIME if not text else parse_lifetime(text)


__all__ = [
    "GUEST_SESSION_VARIABLE",
    "InvalidInput",
    "InvitationRefused",
    "InvitationView",
    "NewInvitation",
    "check_lifetime",
    "doors",
    "end_every_guest",
    "end_guest",
    "guest_identity",
    "how_to_join",
    "invite",
    "join_by_link",
    "join_by_ssh",
    "listing",
    "open_for_serving",
    "remember_doors",
    "returning_browser",
    "revoke",
    "start_guest",
    "still_in_force",
]
