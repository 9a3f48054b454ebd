"""End to end on a real team box: several Unix accounts, one setgid group folder, one file.

The test makes its own group and users (CI runs as root) and removes them after.
`planner` is installed for them with the system Python into a world-readable
folder (the test's own Python lives under /root, which other accounts cannot run).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import textwrap
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .test_e2e import Tmux

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = "/usr/bin/python3"
SECRET_CARD = "bob-secret-XYZZY"


@dataclass
class Box:
    """The team box: accounts, the shared folder, and planner installed for everyone."""

    folder: Path
    venv: Path
    group: str
    alice: str
    bob: str
    carol: str

    @property
    def workspace(self) -> Path:
        return self.folder / "team.db"

    @property
    def planner(self) -> str:
        return str(self.venv / "bin" / "planner")

    def shell(self, user: str, command: str) -> str:
        """`command` as `user` with umask 002, in a clean environment (a login shell's)."""
        env = (
            f"env -i HOME=/home/{user} USER={user} LOGNAME={user} PATH=/usr/bin:/bin "
            "LANG=C.UTF-8 TERM=xterm-256color"
        )
        inner = shlex.quote(f"umask 002; cd /tmp; {command}")
        return f"runuser -u {user} -- {env} bash -c {inner}"

    def run(
        self, user: str, command: str, *, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            self.shell(user, command), shell=True, capture_output=True, text=True, timeout=180
        )
        if check:
            assert result.returncode == 0, f"{command} as {user}: {result.stderr}"
        return result

    def python(self, user: str, code: str) -> str:
        """Run `code` with planner's Python as `user`; its stdout."""
        script = self.folder.parent / f"script-{uuid.uuid4().hex[:8]}.py"
        script.write_text(textwrap.dedent(code))
        script.chmod(0o644)
        return self.run(user, f"{self.venv}/bin/python {script}").stdout


def _sh(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def box() -> Iterator[Box]:
    if os.geteuid() != 0:
        pytest.fail("this test creates Unix accounts: run it as root (CI does)")
    assert shutil.which("runuser") and Path(SYSTEM_PYTHON).exists()
    tag = uuid.uuid4().hex[:5]
    group, alice, bob, carol = (f"pt{name}{tag}" for name in ("team", "alice", "bob", "carol"))
    top = Path(tempfile.mkdtemp(prefix="planner-box-", dir="/tmp"))
    top.chmod(0o755)
    made: list[str] = []
    try:
        _sh("groupadd", group)
        for user in (alice, bob, carol):
            _sh("useradd", "-m", "-s", "/bin/bash", user)
            made.append(user)
        for user in (alice, bob):
            _sh("usermod", "-aG", group, user)
        venv = top / "venv"
        _sh(SYSTEM_PYTHON, "-m", "venv", str(venv))
        _sh(str(venv / "bin" / "pip"), "install", "-q", str(ROOT))
        _sh("chmod", "-R", "a+rX", str(venv))
        folder = top / "team"
        folder.mkdir()
        shutil.chown(folder, group=group)
        folder.chmod(0o2775)  # setgid: files made here take the team's group
        yield Box(folder, venv, group, alice, bob, carol)
    finally:
        for user in made:
            subprocess.run(["pkill", "-KILL", "-u", user], check=False)
            subprocess.run(["userdel", "-r", user], check=False, capture_output=True)
        subprocess.run(["groupdel", group], check=False, capture_output=True)
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    yield server
    server.kill()


def _items(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT title FROM items ORDER BY id")]
    finally:
        conn.close()


def _mode(path: Path) -> tuple[str, int]:
    info = path.stat()
    import grp

    return grp.getgrgid(info.st_gid).gr_name, stat.S_IMODE(info.st_mode)


def _every_export(box: Box, user: str, sessions: list[int]) -> dict[str, str]:
    """Every export `user` can run from the command line, by what it was."""
    ws = shlex.quote(str(box.workspace))
    commands = {
        "markdown": f"{box.planner} export {ws}",
        "json": f"{box.planner} export {ws} --format json",
        "csv": f"{box.planner} export {ws} --format csv",
        "risks": f"{box.planner} export {ws} --format csv --what risks",
        "actions": f"{box.planner} export {ws} --what actions",
    }
    for session_id in sessions:
        commands[f"md {session_id}"] = f"{box.planner} export {ws} --session {session_id}"
        commands[f"json {session_id}"] = (
            f"{box.planner} export {ws} --format json --session {session_id}"
        )
    return {name: box.run(user, command).stdout for name, command in commands.items()}


def test_a_team_box_with_three_accounts(box: Box, tmux: Tmux) -> None:
    ws = box.workspace
    quoted = shlex.quote(str(ws))

    # alice creates the workspace by opening it; it takes the umask's mode and the group.
    tmux.start("alice", box.shell(box.alice, f"{box.planner} {quoted}"))
    tmux.wait_for("alice", lambda s: f"You are     {box.alice}" in s, timeout=30)
    assert (ws.stat().st_uid, _mode(ws)) == (_uid(box.alice), (box.group, 0o664))

    # A meeting under way: a poker round nobody has revealed, a retro in Write.
    ids = json.loads(
        box.python(
            box.alice,
            f"""
            import json
            from planner_tui.domain.estimation import PokerSettings
            from planner_tui.domain.models import NewItem
            from planner_tui.services import poker, retro
            from planner_tui.services import retro_view
            from planner_tui.services.context import open_session
            from planner_tui.store.items import add_items
            me = open_session({str(ws)!r}, {box.alice!r})
            items = add_items(me.workspace, [NewItem(title="Social login")])
            estimation = poker.start(me, "Estimate", items, PokerSettings(auto_reveal=False))
            poker.vote(me, estimation, "5")
            board = retro.start(me, "Sprint retro", "Went well / To improve / Actions",
                                ("Went well", "To improve", "Actions"))
            while retro_view.board(me, board).info.phase != "write":
                retro.move_phase(me, board, 1)
            print(json.dumps([estimation, board]))
            me.close()
            """,
        ).strip()
    )
    estimation, board = ids
    box.python(
        box.bob,
        f"""
        from planner_tui.services import poker, retro
        from planner_tui.services.context import open_session
        me = open_session({str(ws)!r}, {box.bob!r})
        poker.join(me, {estimation})
        poker.vote(me, {estimation}, "13")
        retro.write(me, {board}, "To improve", {SECRET_CARD!r})
        me.close()
        """,
    )

    # bob writes while alice has it open; she sees it; his check and export lock nobody out.
    source = box.folder.parent / "bob.csv"
    source.write_text("title,kind,status\nBob's story,story,new\n")
    source.chmod(0o644)
    box.run(box.bob, f"{box.planner} import {quoted} {source}")
    tmux.wait_for("alice", lambda s: "Open items   2" in s, timeout=15)
    assert "healthy" in box.run(box.bob, f"{box.planner} check {quoted}").stdout
    bob_exports = _every_export(box, box.bob, [estimation, board])
    for side in (Path(f"{ws}-wal"), Path(f"{ws}-shm"), Path(f"{ws}-here")):
        if side.exists():
            assert _mode(side) == (box.group, 0o664), side
    assert Path(f"{ws}-here").exists(), "alice's planner holds its presence lock there"
    tmux.keys("alice", "n")
    tmux.wait_for("alice", lambda s: "New backlog item" in s)
    tmux.type("alice", "Alice after bob")
    tmux.keys("alice", "Enter")
    tmux.wait_for("alice", lambda s: "Open items   3" in s, timeout=15)
    assert _items(ws)[-1] == "Alice after bob"

    # bob cannot be alice, neither in the app nor on the command line.
    refused = box.run(
        box.bob, f"{box.planner} import {quoted} {source} --as {box.alice}", check=False
    )
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"planner: the name {box.alice} belongs to another account ({box.alice}) in this "
        f"workspace; open it as yourself, or ask {box.alice} to hand it over "
        f"(planner people WORKSPACE --give {box.alice} --to {box.bob})"
    ]
    tmux.start(
        "bob-as-alice", box.shell(box.bob, f"{box.planner} {quoted} --as {box.alice}; sleep 60")
    )
    tmux.wait_for("bob-as-alice", lambda s: "belongs to another account" in s, timeout=30)
    assert "Traceback" not in tmux.screen("bob-as-alice")

    # bob opens it too; when his process is killed, alice sees him go without any write.
    tmux.start("bob", box.shell(box.bob, f"{box.planner} {quoted}"))
    tmux.wait_for("bob", lambda s: f"You are     {box.bob}" in s, timeout=30)
    both = f"Here now    {box.alice},"  # the names wrap in the panel; bob's comes after
    tmux.wait_for("alice", lambda s: both in s and box.bob in s, timeout=30)
    subprocess.run(["pkill", "-KILL", "-u", box.bob, "-f", box.planner], check=True)
    tmux.wait_for("alice", lambda s: both not in s and box.bob not in s, timeout=30)

    # carol, outside the group, can only read: a read-only view, and she can export.
    tmux.start("carol", box.shell(box.carol, f"{box.planner} {quoted}"))
    screen = tmux.wait_for("carol", lambda s: "Read-only" in s and "Open items" in s, timeout=30)
    assert screen >= 0
    carol_screen = tmux.screen("carol")
    assert "no write permission" in carol_screen and "New item" not in carol_screen
    tmux.keys("carol", "n")  # no quick add: nothing opens, nothing is written
    tmux.keys("carol", "2")
    tmux.wait_for("carol", lambda s: "Alice after bob" in s)
    assert "New backlog item" not in tmux.screen("carol")
    carol_exports = _every_export(box, box.carol, [estimation, board])
    alice_exports = _every_export(box, box.alice, [estimation, board])

    # Before the reveal, nobody's export holds bob's card, or any unrevealed vote.
    for who, exports in (("alice", alice_exports), ("bob", bob_exports), ("carol", carol_exports)):
        for name, text in exports.items():
            assert SECRET_CARD not in text, f"{who}'s {name} export shows bob's hidden card"
        for name in ("json", f"json {estimation}", f"json {board}"):
            document = json.loads(exports[name])
            assert document["tables"]["votes"]["rows"] == [], f"{who}'s {name} has votes"
            assert document["withheld"], f"{who}'s {name} does not say what it withheld"

    # After the reveal, the exports are whole again.
    box.python(
        box.alice,
        f"""
        from planner_tui.services import poker, retro
        from planner_tui.services.context import open_session
        me = open_session({str(ws)!r}, {box.alice!r})
        poker.reveal(me, {estimation})
        retro.move_phase(me, {board}, 1)
        me.close()
        """,
    )
    after = _every_export(box, box.carol, [estimation, board])
    assert SECRET_CARD in after[f"md {board}"] and SECRET_CARD in after["json"]
    votes = json.loads(after[f"json {estimation}"])["tables"]["votes"]["rows"]
    assert len(votes) == 2

    # alice leaves and comes back: nothing a teammate left stops her.
    tmux.keys("alice", "q")
    tmux.run("kill-session", "-t", "carol")
    box.run(box.bob, f"{box.planner} check {quoted}")
    tmux.start("alice-again", box.shell(box.alice, f"{box.planner} {quoted}"))
    tmux.wait_for("alice-again", lambda s: "Open items" in s and "Read-only" not in s, timeout=30)
    report = box.run(box.alice, f"{box.planner} share {quoted}")
    assert f"shared well with group {box.group}" in report.stdout


def _uid(user: str) -> int:
    import pwd

    return pwd.getpwnam(user).pw_uid
