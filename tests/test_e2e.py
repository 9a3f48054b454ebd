"""End to end: the installed `planner` command in real terminals (tmux), two at once on one file."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planner_tui.widgets.vote_cards import big_face

PLANNER = Path(sys.executable).parent / "planner"

pytestmark = pytest.mark.e2e


class Tmux:
    """A private tmux server; each session is one teammate's terminal."""

    def __init__(self) -> None:
        tmux = shutil.which("tmux")
        assert tmux, "tmux is needed for the end-to-end tests (.ci/run installs it)"
        self.command = [tmux, "-L", f"planner-test-{uuid.uuid4().hex[:8]}"]

    def run(self, *args: str) -> str:
        # os.environ given explicitly: a library in this test process may have put
        # COLUMNS=80/LINES=24 into the C environment (not os.environ), and a tmux
        # server started with them makes every app think it is 80x24 in a 120x40 pane.
        result = subprocess.run(
            [*self.command, *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env=dict(os.environ),
        )
        return result.stdout

    def start(self, name: str, command: str, *, size: tuple[int, int] = (120, 40)) -> None:
        width, height = size
        self.run("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)
        self.run("set-option", "-t", name, "remain-on-exit", "on")

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-J", "-S", "-100", "-t", name)

    def styled(self, name: str) -> str:
        """The screen with its colours (where the cursor is shows only in those)."""
        return self.run("capture-pane", "-p", "-e", "-t", name)

    def keys(self, name: str, *keys: str) -> None:
        self.run("send-keys", "-t", name, *keys)

    def type(self, name: str, text: str) -> None:
        self.run("send-keys", "-t", name, "-l", text)

    def wait_for(self, name: str, check: Callable[[str], bool], timeout: float = 15.0) -> float:
        """Seconds until `check` holds for the screen; fails with the screen after `timeout`."""
        started = time.monotonic()
        while True:
            screen = self.screen(name)
            if check(screen):
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                pytest.fail(f"timed out on {name}; screen was:\n{screen}")
            time.sleep(0.05)

    def kill(self) -> None:
        self.run("kill-server")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    yield server
    server.kill()


def _open_items(screen: str) -> int | None:
    match = re.search(r"Open items\s+(\d+)", screen)
    return int(match.group(1)) if match else None


def test_two_teammates_on_one_workspace(tmux: Tmux, tmp_path: Path) -> None:
    workspace = tmp_path / "team.db"
    quoted = shlex.quote(str(workspace))
    tmux.start("maya", f"{PLANNER} demo {quoted} --as maya")
    tmux.wait_for("maya", lambda s: "Open items" in s and "Sprint 14" in s)
    tmux.start("li", f"{PLANNER} {quoted} --as li")
    tmux.wait_for("li", lambda s: _open_items(s) is not None)
    before = _open_items(tmux.screen("li"))
    assert before == _open_items(tmux.screen("maya"))

    tmux.keys("maya", "n")
    tmux.wait_for("maya", lambda s: "New backlog item" in s)
    tmux.type("maya", "[WIP] Save partial checkout forms 😀")
    tmux.keys("maya", "Enter")
    seen_after = tmux.wait_for("li", lambda s: _open_items(s) == before + 1, timeout=5)
    assert seen_after < 1.0, f"li saw maya's item after {seen_after:.2f} s"
    tmux.wait_for("maya", lambda s: _open_items(s) == before + 1, timeout=5)
    assert "Here now    li, maya" in tmux.screen("li")

    tmux.keys("maya", "5")
    tmux.wait_for("maya", lambda s: "Risks" in s and "live" in s and "L5" in s)
    tmux.keys("maya", "C-p")
    tmux.wait_for("maya", lambda s: "Search for commands" in s)
    tmux.type("maya", "go to sprint")
    tmux.wait_for("maya", lambda s: "Go to Sprint" in s)
    tmux.keys("maya", "Enter")
    tmux.wait_for("maya", lambda s: "Burn-down" in s and "In the sprint 8 items" in s)
    tmux.keys("li", "4")  # li commits the top of the backlog; maya sees it as scope change
    tmux.wait_for("li", lambda s: "Ranked backlog" in s)
    tmux.keys("li", "c")
    tmux.wait_for("li", lambda s: "this is scope change" in s)
    tmux.keys("li", "y")
    tmux.wait_for("maya", lambda s: "In the sprint 9 items" in s, timeout=5)
    assert "scope change: +3 points (2 added" in _flat(tmux.screen("maya"))
    tmux.keys("maya", "?")
    tmux.wait_for("maya", lambda s: "Command palette" in s)
    tmux.keys("maya", "Escape")
    tmux.wait_for("maya", lambda s: "Command palette" not in s)
    tmux.keys("maya", "1")
    tmux.wait_for("maya", lambda s: "Open items" in s)

    tmux.keys("maya", "q")
    tmux.wait_for("maya", lambda s: "Open items" not in s, timeout=5)
    assert "Traceback" not in tmux.screen("maya")

    stored = subprocess.run(
        [str(PLANNER), "check", str(workspace)], capture_output=True, text=True, check=False
    )
    assert stored.returncode == 0, stored.stdout + stored.stderr


def test_a_bad_file_gives_one_line_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database\n")
    tmux.start("me", f"{PLANNER} {shlex.quote(str(bogus))}; echo exit=$?")
    tmux.wait_for("me", lambda s: "exit=2" in s)
    screen = tmux.screen("me")
    assert "not a planner workspace" in screen
    assert "Traceback" not in screen
    assert bogus.read_text() == "not a database\n"


BROKEN_HOME = (
    "import planner_tui.screens.home as home\n"
    "def broken(self):\n"
    "    raise RuntimeError('forced failure for the test')\n"
    "home.HomeScreen.reload = broken\n"
)
"""A bug in planner's own code, on the UI thread."""
BROKEN_INPUT = (
    "import textual._xterm_parser as parser\n"
    "feed = parser.XTermParser.feed\n"
    "def broken(self, data):\n"
    "    if '!' in data:\n"
    "        raise RuntimeError('forced failure for the test')\n"
    "    return feed(self, data)\n"
    "parser.XTermParser.feed = broken\n"
)
"""A failure in Textual's input thread, which Textual itself reports (`App.panic`)."""


@pytest.mark.parametrize("patch", [BROKEN_HOME, BROKEN_INPUT], ids=["screen", "input"])
def test_an_internal_error_shows_one_line_not_a_traceback(
    tmux: Tmux, demo_path: Path, tmp_path: Path, patch: str
) -> None:
    """A bug inside planner or Textual (forced here by a patch) must end in one line and
    a crash log."""
    patches = tmp_path / "patches"
    patches.mkdir()
    (patches / "sitecustomize.py").write_text(patch)
    command = f"PYTHONPATH={shlex.quote(str(patches))} {PLANNER} {shlex.quote(str(demo_path))}; echo exit=$?"
    tmux.start("me", command)
    if patch is BROKEN_INPUT:
        tmux.wait_for("me", lambda s: "Open items" in s)
        tmux.type("me", "!")
    tmux.wait_for("me", lambda s: "exit=1" in s)
    screen = tmux.screen("me")
    assert "Traceback" not in screen
    assert "planner: an internal error stopped planner" in screen
    log = re.search(r"Details for a bug report: (\S+\.log)", screen)
    assert log, screen
    assert "forced failure for the test" in Path(log.group(1)).read_text()


def test_planning_poker_between_two_terminals(tmux: Tmux, tmp_path: Path) -> None:
    """sam votes in his terminal; maya's shows only that he voted until she reveals."""
    workspace = tmp_path / "team.db"
    quoted = shlex.quote(str(workspace))
    tmux.start("maya", f"{PLANNER} demo {quoted} --as maya")
    tmux.wait_for("maya", lambda s: "Open items" in s)
    tmux.keys("maya", "3")
    tmux.wait_for("maya", lambda s: "Estimation sessions" in s)
    tmux.keys("maya", "s")
    tmux.wait_for("maya", lambda s: "Start an estimation session" in s)
    tmux.keys("maya", "Enter")
    tmux.wait_for("maya", lambda s: "Round 1" in s and "0 of 1 voted" in s)

    tmux.start("sam", f"{PLANNER} {quoted} --as sam")
    tmux.wait_for("sam", lambda s: "Open items" in s)
    tmux.keys("sam", "3")  # the running session opens, and sam joins it
    tmux.wait_for("sam", lambda s: "Round 1" in s and "0 of 2 voted" in s)
    tmux.wait_for("maya", lambda s: "0 of 2 voted" in s)

    face_up_13 = "│   13   │"
    tmux.keys("sam", "1", "1", "Enter")  # 1, then 1 again: the 13 card
    tmux.wait_for("sam", lambda s: face_up_13 in s and "1 of 2 voted" in s)
    tmux.wait_for("maya", lambda s: "1 of 2 voted" in s and "voted░" in s)
    assert face_up_13 not in tmux.screen("maya")

    tmux.keys("maya", "r")
    turned_13 = "│" + big_face("13", 8)[0].center(8) + "│"  # big figures once turned
    for name in ("maya", "sam"):
        tmux.wait_for(name, lambda s: "cards turned" in s and turned_13 in s)
        tmux.wait_for(name, lambda s: "range 13" in s and "Suggested 13" in s)
    for name in ("maya", "sam"):
        assert "Traceback" not in tmux.screen(name)


def _flat(screen: str) -> str:
    """The screen's text with line wraps and runs of spaces made one space."""
    return re.sub(r"\s+", " ", screen)


def test_a_retro_between_terminals_keeps_cards_private_and_votes_within_limits(
    tmux: Tmux, tmp_path: Path
) -> None:
    """sam's cards stay off maya's screen until the reveal; two of sam's terminals voting at
    once still spend only his three votes; and the file knows no card's author."""
    workspace = tmp_path / "team.db"
    quoted = shlex.quote(str(workspace))
    tmux.start("maya", f"{PLANNER} demo {quoted} --as maya")
    tmux.wait_for("maya", lambda s: "Open items" in s)
    tmux.keys("maya", "6")
    tmux.wait_for("maya", lambda s: "Retros" in s and "Sprint 13 retro" in s)
    tmux.keys("maya", "s")
    tmux.wait_for("maya", lambda s: "Start a retro" in s)
    tmux.keys("maya", "Enter")
    tmux.wait_for("maya", lambda s: "Review" in s and "d Done" in s)
    tmux.keys("maya", "]")
    tmux.wait_for("maya", lambda s: "w Write" in s)

    tmux.start("sam", f"{PLANNER} {quoted} --as sam")
    tmux.wait_for("sam", lambda s: "Open items" in s)
    tmux.keys("sam", "6")  # the running retro opens and sam joins it
    tmux.wait_for("sam", lambda s: "w Write" in s and "Here:" in s)
    tmux.keys("sam", "Right")
    for number in range(5):
        tmux.keys("sam", "w")
        tmux.wait_for("sam", lambda s: "A card in To improve" in s)
        tmux.type("sam", f"secret card {number} from sam")
        tmux.keys("sam", "Enter")
        tmux.wait_for("sam", lambda s, n=number: f"secret card {n} from sam" in s)
    tmux.keys("maya", "Right")  # on a narrow terminal the columns are tabs
    tmux.wait_for("maya", lambda s: "5 cards from others, hidden until" in s)
    assert "5 cards from 1 person" in _flat(tmux.screen("maya"))
    assert "secret card" not in tmux.screen("maya")

    tmux.keys("maya", "]")
    tmux.wait_for("maya", lambda s: "secret card 4 from sam" in s)
    tmux.keys("maya", "]")
    tmux.wait_for("maya", lambda s: "Group" in s and "g Group" in s)
    tmux.keys("maya", "]")
    tmux.wait_for("sam", lambda s: "you have 3 of 3 votes left" in _flat(s))

    tmux.start("sam-laptop", f"{PLANNER} {quoted} --as sam")
    tmux.wait_for("sam-laptop", lambda s: "Open items" in s)
    tmux.keys("sam-laptop", "6")
    tmux.wait_for("sam-laptop", lambda s: "you have 3 of 3 votes left" in _flat(s))
    before = tmux.styled("sam-laptop")
    tmux.keys("sam-laptop", "Right")
    tmux.wait_for(  # the next column has the cursor
        "sam-laptop", lambda s: tmux.styled("sam-laptop") != before
    )
    for _ in range(5):  # both of sam's terminals vote on every card, at once
        for name in ("sam", "sam-laptop"):
            tmux.keys(name, "Space", "Down")
    for name in ("sam", "sam-laptop"):
        tmux.wait_for(name, lambda s: "you have 0 of 3 votes left" in _flat(s))
    for name in ("sam", "sam-laptop"):  # help opens after every key before it was handled
        tmux.keys(name, "?")
        tmux.wait_for(name, lambda s: "escape closes" in s)
        tmux.keys(name, "Escape")
    with sqlite3.connect(workspace) as conn:
        votes = conn.execute(
            "SELECT count(*) FROM retro_votes v JOIN people p ON p.id = v.voter_id "
            "JOIN retro_boards b ON b.id = v.board_id JOIN sessions s ON s.id = b.session_id "
            "WHERE p.name = 'sam' AND s.status = 'open'"
        ).fetchone()
        authors = conn.execute(
            "SELECT count(*) FROM retro_cards c JOIN retro_boards b ON b.id = c.board_id "
            "WHERE b.anonymous = 1 AND c.author_id IS NOT NULL"
        ).fetchone()
        logged = conn.execute("SELECT count(*) FROM changes WHERE entity = 'card'").fetchone()
    assert votes == (3,)
    assert authors == (0,) and logged == (0,)
    for name in ("maya", "sam", "sam-laptop"):
        assert "Traceback" not in tmux.screen(name)


def test_a_card_typed_when_the_terminal_dies_is_offered_back(tmux: Tmux, tmp_path: Path) -> None:
    """kill -9 mid-sentence (a dropped SSH connection ends the same way): the text is back
    in the card dialog next time, and the person is still one writer."""
    workspace = tmp_path / "team.db"
    quoted = shlex.quote(str(workspace))
    state = shlex.quote(str(tmp_path / "sam-state"))
    tmux.start("maya", f"{PLANNER} demo {quoted} --as maya")
    tmux.wait_for("maya", lambda s: "Open items" in s)
    tmux.keys("maya", "6")
    tmux.wait_for("maya", lambda s: "Sprint 13 retro" in s)
    tmux.keys("maya", "s")
    tmux.wait_for("maya", lambda s: "Start a retro" in s)
    tmux.keys("maya", "Enter")
    tmux.wait_for("maya", lambda s: "d Done" in s)
    tmux.keys("maya", "]")
    tmux.wait_for("maya", lambda s: "w Write" in s)

    sam = f"env XDG_STATE_HOME={state} {PLANNER} {quoted} --as sam"
    tmux.start("sam", sam)
    tmux.wait_for("sam", lambda s: "Open items" in s)
    tmux.keys("sam", "6")
    tmux.wait_for("sam", lambda s: "w Write" in s)
    tmux.keys("sam", "w")
    tmux.wait_for("sam", lambda s: "A card in Went well" in s)
    tmux.type("sam", "Kept")
    tmux.keys("sam", "Enter")
    tmux.wait_for("sam", lambda s: "Kept  (yours)" in s)
    tmux.keys("sam", "w")
    tmux.wait_for("sam", lambda s: "A card in Went well" in s)
    tmux.type("sam", "Pairing with [b]li[/b] was half")
    kept = tmp_path / "sam-state" / "planner"
    deadline = time.monotonic() + 15
    while not any("was half" in f.read_text() for f in kept.glob("*.json")):
        assert time.monotonic() < deadline, "the draft was never kept"
        time.sleep(0.05)
    pane = tmux.run("list-panes", "-t", "sam", "-F", "#{pane_pid}").strip()
    os.kill(int(pane), signal.SIGKILL)
    tmux.wait_for("maya", lambda s: re.search(r"Here: maya\b(?!,)", s) is not None)

    tmux.run("kill-session", "-t", "sam")
    tmux.start("sam", sam)
    tmux.wait_for("sam", lambda s: "Open items" in s)
    tmux.keys("sam", "6")
    tmux.wait_for("sam", lambda s: "Kept  (yours)" in s)  # his card is still his
    tmux.keys("sam", "w")
    tmux.wait_for("sam", lambda s: "Pairing with [b]li[/b] was half" in s and "is back" in s)
    tmux.type("sam", ", good")
    tmux.keys("sam", "Enter")
    tmux.wait_for("sam", lambda s: "was half," in s and "good  (yours)" in s)  # wrapped
    tmux.wait_for("maya", lambda s: "2 cards from 1 person" in _flat(s))


def test_a_terminal_that_hangs_up_ends_planner_even_without_a_hangup_signal(
    demo_path: Path,
) -> None:
    """A pane closed under `su` sends no SIGHUP: planner read the terminal's end again and
    again, a whole core, and stayed "here" for the team. It quits as if q was pressed."""
    import fcntl
    import select
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(  # (its own session, without this terminal as its own:
        [str(PLANNER), str(demo_path), "--as", "maya"],  # no SIGHUP comes when it goes)
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(slave)
    try:
        seen, deadline = b"", time.monotonic() + 30
        while b"Open items" not in seen:
            assert time.monotonic() < deadline, seen[-2000:]
            if select.select([master], [], [], 0.5)[0]:
                seen += os.read(master, 65536)
        os.close(master)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    with sqlite3.connect(demo_path) as conn:
        here = conn.execute("SELECT count(*) FROM presence").fetchone()[0]
    assert here == 0
