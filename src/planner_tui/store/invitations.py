"""Invitations, the browsers and SSH keys they bound, and guests' running sessions.

Only hashes of secrets are stored (`domain.invitations.digest`). A first use binds its
key and spends the invitation in one transaction, checked again inside it, so two
browsers racing for one invitation cannot both get in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from planner_tui.domain.invitations import InvitationState, check_usable
from planner_tui.store.sql import inserted_id
from planner_tui.store.workspace import Workspace, utc_now

_STATE = "SELECT id, name, expires_at, used_at, revoked_at FROM invitations"


def _state(row: sqlite3.Row | None) -> InvitationState | None:
    if row is None:
        return None
    return InvitationState(
        id=int(row["id"]),
        name=row["name"],
        expires_at=row["expires_at"],
        used_at=row["used_at"],
        revoked_at=row["revoked_at"],
    )


def create(
    ws: Workspace,
    name: str,
    *,
    link_hash: str,
    code_hash: str,
    by: str,
    by_account: str,
    expires_at: str,
    check: Callable[[int], None],
) -> int:
    """A new invitation's id. `check(id)` runs inside the transaction before it commits
    (it raises to refuse, for example when the name is not free for a guest)."""
    with ws.write() as conn:
        invitation = inserted_id(
            conn.execute(
                "INSERT INTO invitations(name, link_hash, code_hash, created_by, "
                "created_account, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [name, link_hash, code_hash, by, by_account, utc_now(), expires_at],
            )
        )
        check(invitation)
        ws.log("invitation", invitation, "created", f"{name} by {by}")
    return invitation


def by_link(ws: Workspace, link_hash: str) -> InvitationState | None:
    return _state(ws.query_one(f"{_STATE} WHERE link_hash = ?", [link_hash]))


def by_code(ws: Workspace, code_hash: str) -> InvitationState | None:
    return _state(ws.query_one(f"{_STATE} WHERE code_hash = ?", [code_hash]))


def by_key(ws: Workspace, key_hash: str) -> InvitationState | None:
    """The invitation a browser's secret or an SSH key was bound to, or None."""
    return _state(
        ws.query_one(
            f"{_STATE} WHERE id = (SELECT invitation_id FROM guest_keys WHERE key_hash = ?)",
            [key_hash],
        )
    )


def by_id(ws: Workspace, invitation: int) -> InvitationState | None:
    return _state(ws.query_one(f"{_STATE} WHERE id = ?", [invitation]))


def redeem(ws: Workspace, invitation: int, key_hash: str, kind: str, now: datetime) -> None:
    """Spend the invitation on its first use, binding `key_hash` (a browser or SSH key).

    Raises:
        InvitationRefused: it was spent, revoked or expired meanwhile.
    """
    with ws.write() as conn:
        check_usable(_state(conn.execute(f"{_STATE} WHERE id = ?", [invitation]).fetchone()), now)
        stamp = utc_now()
        conn.execute(
            "UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ?",
            [stamp, kind, invitation],
        )
        conn.execute(
            "INSERT INTO guest_keys(key_hash, invitation_id, kind, created_at, last_seen) "
            "VALUES (?, ?, ?, ?, ?)",
            [key_hash, invitation, kind, stamp, stamp],
        )
        ws.log("invitation", invitation, "used", kind)


def revoke(ws: Workspace, invitation: int) -> None:
    """Revoke an invitation: its keys no longer let anyone in, its sessions are ended,
    and its name is free again (history keeps who did what under it)."""
    with ws.write() as conn:
        conn.execute(
            "UPDATE invitations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            [utc_now(), invitation],
        )
        conn.execute("DELETE FROM guest_keys WHERE invitation_id = ?", [invitation])
        conn.execute("DELETE FROM guest_sessions WHERE invitation_id = ?", [invitation])
        conn.execute(
            "UPDATE people SET bound_to = NULL, bound_at = NULL WHERE bound_to = ?",
            [f"guest:{invitation}"],
        )
        ws.log("invitation", invitation, "revoked")


def rows(ws: Workspace) -> list[sqlite3.Row]:
    """Every invitation, newest first, with how many keys it bound."""
    return ws.query(
        """SELECT i.id, i.name, i.created_by, i.created_account, i.created_at, i.expires_at,
                  i.used_at, i.used_by, i.revoked_at,
                  (SELECT count(*) FROM guest_sessions s WHERE s.invitation_id = i.id) AS live
           FROM invitations i ORDER BY i.id DESC"""
    )


def start_session(ws: Workspace, token_hash: str, invitation: int, door: str) -> None:
    with ws.write() as conn:
        conn.execute(
            "INSERT INTO guest_sessions(token_hash, invitation_id, door, started_at) "
            "VALUES (?, ?, ?, ?)",
            [token_hash, invitation, door, utc_now()],
        )
        conn.execute(
            "UPDATE guest_keys SET last_seen = ? WHERE invitation_id = ?",
            [utc_now(), invitation],
        )


def end_session(ws: Workspace, token_hash: str) -> None:
    with ws.write() as conn:
        conn.execute("DELETE FROM guest_sessions WHERE token_hash = ?", [token_hash])


def session_hashes(ws: Workspace) -> frozenset[str]:
    return frozenset(str(row[0]) for row in ws.query("SELECT token_hash FROM guest_sessions"))


def end_all_sessions(ws: Workspace) -> None:
    """Forget every guest session (a serve that stopped without ending them)."""
    with ws.write() as conn:
        conn.execute("DELETE FROM guest_sessions")


def session_invitation(ws: Workspace, token_hash: str) -> InvitationState | None:
    """The invitation a running guest session belongs to, or None."""
    return _state(
        ws.query_one(
            f"{_STATE} WHERE id = (SELECT invitation_id FROM guest_sessions WHERE token_hash = ?)",
            [token_hash],
        )
    )


def remember_doors(ws: Workspace, web: str, ssh: str) -> None:
    """Where `planner serve` is reached, for `planner invite` to print (empty: closed)."""
    with ws.write() as conn:
        for key, value in (("serve web", web), ("serve ssh", ssh)):
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )


def doors(ws: Workspace) -> tuple[str, str]:
    """(web address, ssh host:port) as the last `planner serve` gave them; empty if none."""
    found = {
        str(key): str(value)
        for key, value in ws.query(
            "SELECT key, value FROM meta WHERE key IN ('serve web', 'serve ssh')"
        )
    }
    return found.get("serve web", ""), found.get("serve ssh", "")


__all__ = [
    "by_code",
    "by_id",
    "by_key",
    "by_link",
    "create",
    "doors",
    "end_all_sessions",
    "end_session",
    "redeem",
    "remember_doors",
    "revoke",
    "rows",
    "session_invitation",
    "start_session",
]
