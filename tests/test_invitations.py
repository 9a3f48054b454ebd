"""Invitations: who may be invited, a link or code used once, identity bound to the guest's
browser or key, revoking, and the rate limit on wrong codes (no network here; the doors
themselves are driven end to end in test_serve.py)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.identity import Account, NameTaken, NotAllowed
from planner_tui.domain.invitations import (
    CODE_LENGTH,
    InvitationRefused,
    UnknownInvitation,
    digest,
    normal_code,
    parse_lifetime,
    shown_code,
)
from planner_tui.serve.doors import CALM_DOWN, TRIES_ALLOWED, Doors, TooManyTries, Tries
from planner_tui.services import invitations
from planner_tui.services.context import Session, open_session

from .conftest import live_app, wait_until

BOB = Account.for_uid(41002, "bob-not-a-login")


@pytest.fixture
def maya(demo_path: Path) -> Iterator[Session]:
    session = open_session(demo_path, "maya")
    yield session
    session.workspace.close()


def _guest(maya: Session, name: str = "lena") -> Session:
    """A guest invited by maya, let in by a browser, running their own planner's session."""
    made = invitations.invite(maya, name)
    invitation, _ = invitations.join_by_link(maya.workspace, made.link_token)
    token = invitations.start_guest(maya.workspace, invitation, "browser")
    return open_session(maya.path, *invitations.guest_identity(maya.path, token))


def _expire(path: Path, name: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE invitations SET expires_at = ? WHERE name = ?",
            [(datetime.now(UTC) - timedelta(seconds=1)).isoformat(), name],
        )


def test_a_link_binds_one_browser_once_and_that_browser_comes_back_as_the_guest(
    maya: Session,
) -> None:
    made = invitations.invite(maya, "lena")
    ws = maya.workspace
    invitation, secret = invitations.join_by_link(ws, made.link_token)
    assert invitation.name == "lena"
    assert invitations.returning_browser(ws, secret).name == "lena"
    with pytest.raises(InvitationRefused, match="already been used"):
        invitations.join_by_link(ws, made.link_token)
    with pytest.raises(InvitationRefused, match="already been used"):  # the code is spent too
        invitations.join_by_ssh(ws, made.code, "SHA256:another-key")
    with pytest.raises(InvitationRefused):
        invitations.returning_browser(ws, secret + "x")
    stored = ws.query("SELECT link_hash, code_hash FROM invitations")[0]
    assert stored[0] == digest(made.link_token) and stored[1] == digest(made.code)
    keys = [row[0] for row in ws.query("SELECT key_hash FROM guest_keys")]
    assert secret not in "".join(keys)


def test_an_ssh_code_binds_its_key_and_the_key_alone_lets_the_guest_back(maya: Session) -> None:
    made = invitations.invite(maya, "omar")
    ws = maya.workspace
    typed = shown_code(made.code).lower()  # as a person types it: any case, with the dash
    assert invitations.join_by_ssh(ws, typed, "SHA256:omar").name == "omar"
    assert invitations.join_by_ssh(ws, "whatever", "SHA256:omar").name == "omar"
    with pytest.raises(InvitationRefused, match="already been used"):
        invitations.join_by_ssh(ws, made.code, "SHA256:someone-else")
    with pytest.raises(InvitationRefused, match="not invited"):
        invitations.join_by_ssh(ws, "root", "SHA256:someone-else")
    mistyped = shown_code(made.code)[:-1] + "1"  # (no code holds a 1: it reads as an I)
    with pytest.raises(InvitationRefused, match="not an invitation code: codes have no 0, 1"):
        invitations.join_by_ssh(ws, mistyped, "SHA256:someone-else")


def test_expired_and_unknown_invitations_are_refused(maya: Session) -> None:
    made = invitations.invite(maya, "lena", timedelta(minutes=30))
    _expire(maya.path, "lena")
    with pytest.raises(InvitationRefused, match="expired"):
        invitations.join_by_link(maya.workspace, made.link_token)
    with pytest.raises(InvitationRefused, match="expired"):
        invitations.join_by_ssh(maya.workspace, made.code, "SHA256:k")
    with pytest.raises(InvitationRefused, match="not known"):
        invitations.join_by_ssh(maya.workspace, "A" * CODE_LENGTH, "SHA256:k")


def test_the_guest_runs_as_the_invitation_and_nobody_else_can_take_the_name(
    maya: Session,
) -> None:
    made = invitations.invite(maya, "lena")
    invitation, _ = invitations.join_by_link(maya.workspace, made.link_token)
    token = invitations.start_guest(maya.workspace, invitation, "browser")
    name, account = invitations.guest_identity(maya.path, token)
    assert (name, account.key) == ("lena", f"guest:{invitation.id}")
    guest = open_session(maya.path, name, account)
    guest.workspace.close()
    with pytest.raises(NameTaken):  # an account on the box asking for lena
        open_session(maya.path, "lena").workspace.close()
    with pytest.raises(InvitationRefused):
        invitations.guest_identity(maya.path, token + "x")
    invitations.end_guest(maya.workspace, token)
    with pytest.raises(InvitationRefused, match="not valid"):
        invitations.guest_identity(maya.path, token)


def test_only_free_names_are_invited(maya: Session) -> None:
    with pytest.raises(NameTaken, match="already someone's name"):
        invitations.invite(maya, "maya")  # bound to this account
    with pytest.raises(NameTaken, match="login name"):
        invitations.invite(maya, "root")
    invitations.invite(maya, "lena")
    with pytest.raises(NameTaken, match="already has an invitation"):
        invitations.invite(maya, "LENA")
    _expire(maya.path, "lena")
    invitations.invite(maya, "lena")  # an expired one no longer holds the name
    with pytest.raises(InvalidInput):
        invitations.check_lifetime("forever")
    assert invitations.check_lifetime("2h") == timedelta(hours=2)
    with pytest.raises(InvalidInput):
        parse_lifetime("31d")


def test_revoking_lets_the_guest_out_and_frees_the_name_and_only_the_inviter_may(
    maya: Session,
) -> None:
    made = invitations.invite(maya, "lena")
    invitation, secret = invitations.join_by_link(maya.workspace, made.link_token)
    token = invitations.start_guest(maya.workspace, invitation, "browser")
    invitations.guest_identity(maya.path, token)
    open_session(maya.path, "lena", invitations.guest_identity(maya.path, token)[1]).close()

    bob = Session(workspace=maya.workspace, me="bob", my_id=0, account=BOB)
    assert maya.path.stat().st_uid != 41002  # bob neither invited lena nor owns the file
    with pytest.raises(NotAllowed, match="can revoke"):
        invitations.revoke(bob, "lena")
    assert invitations.revoke(maya, "lena") == "lena"
    with pytest.raises(InvitationRefused, match="not invited here"):  # its browser is let go
        invitations.returning_browser(maya.workspace, secret)
    with pytest.raises(InvitationRefused):
        invitations.guest_identity(maya.path, token)
    with pytest.raises(NotFound):
        invitations.revoke(maya, "lena")
    invitations.invite(maya, "lena")  # free again
    assert [view.state for view in invitations.listing(maya.workspace)] == ["waiting", "revoked"]


def test_a_guest_cannot_invite(maya: Session) -> None:
    guest = _guest(maya)
    try:
        with pytest.raises(NotAllowed, match="guests cannot invite"):
            invitations.invite(guest, "friend")
    finally:
        guest.workspace.close()


def test_codes_are_read_as_people_type_them() -> None:
    assert normal_code("k7qp-m2xd-ab3r-tv9n") == "K7QPM2XDAB3RTV9N"
    assert normal_code(" K7QP M2XD AB3R TV9N ") == "K7QPM2XDAB3RTV9N"
    assert shown_code("K7QPM2XDAB3RTV9N") == "K7QP-M2XD-AB3R-TV9N"
    assert normal_code("ABCD-EFGH-JKMN-PQRO") == ""  # codes have no O, 0, 1, I or L
    assert normal_code("short") == ""


def test_wrong_tries_from_one_address_are_slowed_down_and_others_are_not() -> None:
    now = [1000.0]
    tries = Tries(clock=lambda: now[0])
    for _ in range(TRIES_ALLOWED - 1):
        tries.check("10.0.0.1")
        tries.wrong("10.0.0.1")
    tries.check("10.0.0.1")  # still allowed
    tries.wrong("10.0.0.1")
    with pytest.raises(TooManyTries, match="try again in"):
        tries.check("10.0.0.1")
    tries.check("10.0.0.2")
    now[0] += CALM_DOWN + 1
    tries.check("10.0.0.1")


def test_a_guest_over_ssh_gets_no_export_on_the_box(maya: Session, tmp_path: Path) -> None:
    guest = _guest(maya)
    before = sorted(p.name for p in maya.path.parent.iterdir())

    async def run() -> None:
        app = live_app(guest)
        async with app.run_test() as pilot:
            await pilot.press("ctrl+e")
            await wait_until(
                pilot,
                lambda: any(
                    "never written on the team box" in str(n.message) for n in app._notifications
                ),
                "the refusal",
            )
            assert not any(type(s).__name__ == "ExportModal" for s in app.screen_stack)
            commands = [c.title for c in app.get_system_commands(app.screen)]
            assert "Screenshot" not in commands and "Invite a guest" not in commands

    try:
        asyncio.run(run())
    finally:
        guest.workspace.close()
    assert sorted(p.name for p in maya.path.parent.iterdir()) == before


async def test_a_teammate_invites_a_guest_from_the_app(maya: Session) -> None:
    app = live_app(maya)
    async with app.run_test() as pilot:
        assert "Invite a guest" in [c.title for c in app.get_system_commands(app.screen)]
        app.action_invite()
        await wait_until(pilot, lambda: type(app.screen).__name__ == "InviteModal", "the dialog")
        await pilot.press(*"lena", "enter")
        await wait_until(
            pilot,
            lambda: "over SSH" in str(app.screen.query_one("#invite-made").render()),
            "the invitation",
        )
        shown = str(app.screen.query_one("#invite-made").render())
    (row,) = maya.workspace.query("SELECT name, code_hash FROM invitations")
    assert row[0] == "lena"
    code = next(word for word in shown.split() if "@" in word).split("@")[0]
    assert digest(normal_code(code)) == row[1]


def test_doors_count_only_guesses_against_an_address(demo_path: Path) -> None:
    """A wrong link or code counts; a returning browser or key, and an invitation that was
    given out but is spent, revoked or expired (no guess), do not: a guest whose key is
    bound came back barred because others at the address (a proxy) had tried."""
    doors = Doors(demo_path, say=lambda line: None)
    try:

        def refused() -> None:
            raise InvitationRefused("the invitation for zed has already been used")

        def guessed() -> None:
            raise UnknownInvitation("that invitation is not known here")

        async def run() -> None:
            for _ in range(TRIES_ALLOWED):
                with pytest.raises(InvitationRefused):
                    await doors.let_in("1.2.3.4", guessed, first_use=False)
            for _ in range(2 * TRIES_ALLOWED):
                with pytest.raises(InvitationRefused):
                    await doors.let_in("1.2.3.4", refused, first_use=True)
            await doors.let_in("1.2.3.4", lambda: "ok", first_use=True)
            for _ in range(TRIES_ALLOWED):
                with pytest.raises(UnknownInvitation):
                    await doors.let_in("1.2.3.4", guessed, first_use=True)
            with pytest.raises(TooManyTries):
                await doors.let_in("1.2.3.4", lambda: "ok", first_use=True)
            assert await doors.let_in("1.2.3.4", lambda: "back", first_use=False) == "back"

        asyncio.run(run())
    finally:
        doors.close()


def test_serving_beyond_this_machine_is_said_loudly(tmp_path: Path) -> None:
    from planner_tui.serve.run import ServeOptions, _announce, is_local, public_url

    assert is_local("127.0.0.1") and is_local("::1") and is_local("localhost")
    assert not is_local("0.0.0.0") and not is_local("192.168.1.20")

    def said(options: ServeOptions) -> list[str]:
        lines: list[str] = []
        _announce(options, public_url(options), "box:2222", lines.append)
        return lines

    local = said(ServeOptions(workspace=tmp_path / "team.db"))
    assert not any("WARNING" in line for line in local)
    wide = said(ServeOptions(workspace=tmp_path / "team.db", host="0.0.0.0"))
    assert any("WARNING" in line and "without TLS" in line for line in wide)
    secured = said(
        ServeOptions(workspace=tmp_path / "t.db", host="0.0.0.0", cert=Path("c"), key=Path("k"))
    )
    assert any("WARNING" in line for line in secured)
    assert not any("without TLS" in line for line in secured)
    assert public_url(ServeOptions(workspace=tmp_path, public_url="https://p.example/")) == (
        "https://p.example"
    )


def test_the_ssh_host_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    from planner_tui.serve.ssh import host_key

    path = tmp_path / "state" / "planner" / "ssh_host_ed25519_key"
    made = host_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o077 == 0
    again = host_key(path)  # a restart: guests' clients see the same host
    assert again.get_fingerprint() == made.get_fingerprint()


def test_a_name_invited_again_does_not_find_the_last_guests_drafts(maya: Session) -> None:
    """The private state (drafts, which anonymous cards were 'mine') was kept by name: a
    second guest invited as lena found the first lena's unsaved text."""

    first = _guest(maya)
    first.own.keep_draft("new item", "lena's private draft")
    first.workspace.close()
    invitations.revoke(maya, "lena")
    second = _guest(maya)
    try:
        assert second.own.draft("new item") is None
    finally:
        second.workspace.close()


def test_wrong_tries_at_once_are_counted_and_a_guest_let_in_before_is_not_barred(
    demo_path: Path,
) -> None:
    import threading
    import time

    doors = Doors(demo_path, say=lambda line: None)
    ran = []
    lock = threading.Lock()

    def wrong() -> None:
        with lock:
            ran.append(1)
        time.sleep(0.05)
        raise UnknownInvitation("no")

    async def run() -> None:
        results = await asyncio.gather(
            *(doors.let_in("5.6.7.8", wrong, first_use=True) for _ in range(40)),
            return_exceptions=True,
        )
        assert all(isinstance(r, InvitationRefused) for r in results)
        assert len(ran) == TRIES_ALLOWED  # the rest were turned away before running
        assert await doors.let_in("5.6.7.8", lambda: "back", first_use=False) == "back"

    try:
        asyncio.run(run())
    finally:
        doors.close()


def test_the_ssh_door_loads_without_a_word_on_stderr() -> None:
    """A recent `cryptography` warned of DSA as asyncssh loaded: lines of warnings before
    `planner serve` said anything of its own. Warnings shown as by default."""
    import subprocess
    import sys

    loaded = subprocess.run(
        [sys.executable, "-W", "default", "-c", "import planner_tui.serve.ssh"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert loaded.returncode == 0 and loaded.stderr == "", loaded.stderr
