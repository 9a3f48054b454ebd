"""End to end: hostile text through the installed `planner` in a real terminal (tmux).

A workspace with hostile text in every field (and a CSV of it imported with the
real command) is shown by `planner import --dry-run`, `planner export` and the
app, screen after screen and dialog after dialog, in a tmux pane. Every byte the
pane receives is kept (`pipe-pane`): none of the hostile sequences may be among
them, a BEL only ends Textual's own pointer-shape sequence, and the pane's title
is what it was before.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner_tui.domain.text import visible

from .conftest import TODAY, rows
from .hostile import RAW_SEQUENCES, build_workspace, hostile, hostile_csv
from .test_e2e import PLANNER, Tmux

pytestmark = pytest.mark.e2e

OWN_BEL = re.compile(rb"\x1b\]22;[\w-]*\x07")
"""Textual sets the mouse pointer's shape with OSC 22, ended by BEL: its own drawing."""
SHELL = (
    "env -i PATH=/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 PS1='$ ' bash --norc --noprofile"
)
"""A shell whose prompt sets no title, so the pane's title changes only if something sets it."""


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    yield server
    server.kill()


def _run(tmux: Tmux, command: str, number: int) -> None:
    """Type `command` at the shell and wait until it has finished."""
    tmux.type("me", f"{command}; echo finished-$(({number}+0))")
    tmux.keys("me", "Enter")
    tmux.wait_for("me", lambda s: f"finished-{number}" in s)


def _step(tmux: Tmux, keys: tuple[str, ...], shows: str) -> None:
    tmux.keys("me", *keys)
    tmux.wait_for("me", lambda s: shows in s)


def _close(tmux: Tmux, shown: str) -> None:
    """Escape, and wait until the dialog showing `shown` has gone."""
    tmux.keys("me", "Escape")
    tmux.wait_for("me", lambda s: shown not in s)


def test_hostile_text_never_reaches_the_terminal(tmux: Tmux, tmp_path: Path) -> None:
    from planner_tui.services.context import open_session

    workspace = tmp_path / "team.db"
    session = open_session(workspace, "maya")
    build_workspace(session, TODAY)
    session.close()
    csv_file = tmp_path / "hostile.csv"
    csv_file.write_text(hostile_csv(), encoding="utf-8")
    raw = tmp_path / "pane.bytes"
    ws, csv = shlex.quote(str(workspace)), shlex.quote(str(csv_file))

    tmux.start("me", SHELL)
    tmux.wait_for("me", lambda s: "$" in s)
    title_before = tmux.run("display", "-p", "-t", "me", "#{pane_title}")
    tmux.run("pipe-pane", "-o", "-t", "me", f"cat >> {shlex.quote(str(raw))}")

    _run(tmux, f"{PLANNER} import {ws} {csv} --dry-run --as maya", 1)
    assert "␛]0;PWNED␇" in tmux.screen("me")  # the bad row's problem quotes it, visibly
    _run(tmux, f"{PLANNER} import {ws} {csv} --dry-run --skip-invalid --as maya", 2)
    assert "+ Imported 1 ␛]0;PWNED␇" in tmux.screen("me")
    _run(tmux, f"{PLANNER} import {ws} {csv} --skip-invalid --as maya", 3)
    _run(tmux, f"clear; {PLANNER} export {ws} --format csv --what backlog", 4)
    assert "␛]0;PWNED␇" in tmux.screen("me")
    _run(tmux, f"clear; {PLANNER} export {ws} --format json", 5)
    _run(tmux, f"clear; {PLANNER} export {ws}", 6)
    _run(tmux, f"clear; {PLANNER} check {ws}", 7)

    tmux.type("me", f"clear; {PLANNER} {ws} --as maya; echo finished-$((8+0))")
    tmux.keys("me", "Enter")
    tmux.wait_for("me", lambda s: "Open items" in s and "Running retro ␛]0;PWNED␇" in s)
    _step(tmux, ("2",), "Item 1 ␛]0;PWNED␇")
    _step(tmux, ("e",), "Edit PLN-1")
    _close(tmux, "Edit PLN-1")
    _step(tmux, ("n",), "New backlog item")
    _close(tmux, "New backlog item")
    _step(tmux, ("3",), "Round 1")  # the running session opens
    _step(tmux, ("o",), "Notes on PLN-3")
    _close(tmux, "Notes on PLN-3")
    _step(tmux, ("a",), "Accept an estimate")
    _close(tmux, "Accept an estimate")
    _step(tmux, ("r",), "cards turned")
    _step(tmux, ("Escape",), "Estimation sessions")
    _step(tmux, ("4",), "Burn-down")
    _step(tmux, ("e",), "Edit Sprint␛]0;PWNED␇")
    _close(tmux, "Edit Sprint␛]0;PWNED␇")
    _step(tmux, ("5",), "live (open, owned)")
    _step(tmux, ("e",), "Edit R-")
    _close(tmux, "Edit R-")
    _step(tmux, ("d",), "Resolved: it can no longer happen")
    _close(tmux, "Resolved: it can no longer happen")
    _step(tmux, ("6",), "(yours)")  # the running board opens, with my card
    _step(tmux, ("Right", "e"), "Edit the card")
    _close(tmux, "Edit the card")
    _step(tmux, ("w",), "A card in Col B")
    _close(tmux, "A card in Col B")
    _step(tmux, ("Escape",), "○ Retro ␛]0;PWNED␇")  # the list of retros
    _step(tmux, ("7",), "f shows done and dropped")
    _step(tmux, ("e",), "Edit the action item")
    _close(tmux, "Edit the action item")
    _step(tmux, ("?",), "Command palette")
    _close(tmux, "Command palette")
    _step(tmux, ("C-p",), "Search for commands")
    _close(tmux, "Search for commands")
    _step(tmux, ("1",), "Open items")
    tmux.keys("me", "q")
    tmux.wait_for("me", lambda s: "finished-8" in s)

    assert tmux.run("display", "-p", "-t", "me", "#{pane_title}") == title_before
    assert "Traceback" not in tmux.screen("me")
    tmux.run("pipe-pane", "-t", "me")  # stop copying, so the file is complete
    written = raw.read_bytes()
    assert b"Open items" in written and "␛]0;PWNED␇".encode() in written
    for sequence in RAW_SEQUENCES:
        assert sequence not in written, sequence
    assert b"\x07" not in OWN_BEL.sub(b"", written)
    assert not re.search(rb"\xc2[\x80-\x9f]", written)  # no C1 control, in UTF-8


def test_bad_bytes_and_hostile_pastes_become_visible_text(tmux: Tmux, tmp_path: Path) -> None:
    """A byte that is not UTF-8, typed, and a paste full of escape sequences, bidi
    overrides and NUL: planner goes on, the field shows the paste in one piece as the
    symbols it would show once saved, and that is what is saved."""
    from planner_tui.services.context import open_session

    workspace = tmp_path / "team.db"
    open_session(workspace, "maya").close()
    pasted = tmp_path / "paste.txt"
    pasted.write_text(hostile("pasted") + "\r\n", encoding="utf-8")  # a terminal's line end
    raw = tmp_path / "pane.bytes"

    tmux.start("me", SHELL)
    tmux.wait_for("me", lambda s: "$" in s)
    tmux.run("pipe-pane", "-o", "-t", "me", f"cat >> {shlex.quote(str(raw))}")
    tmux.type("me", f"{PLANNER} {shlex.quote(str(workspace))} --as maya; echo finished-$((1+0))")
    tmux.keys("me", "Enter")
    tmux.wait_for("me", lambda s: "Here now    maya" in s)
    _step(tmux, ("n",), "New backlog item")  # the quick add
    tmux.type("me", "ab")
    tmux.run("send-keys", "-t", "me", "-H", "ff")  # not UTF-8
    tmux.type("me", "cd ")
    tmux.run("load-buffer", "-b", "hostile", str(pasted))
    tmux.run("paste-buffer", "-p", "-b", "hostile", "-t", "me")
    expected = "ab\ufffdcd " + visible(hostile("pasted"))
    tmux.wait_for("me", lambda s: "[link=http://x]link" in s)  # the field shows its end
    tmux.keys("me", "Enter")
    tmux.wait_for("me", lambda s: "New backlog item" not in s)
    tmux.keys("me", "q")
    tmux.wait_for("me", lambda s: "finished-1" in s)

    assert "Traceback" not in tmux.screen("me")
    assert rows(workspace, "SELECT title FROM items") == [(expected,)]
    tmux.run("pipe-pane", "-t", "me")
    written = raw.read_bytes()
    for sequence in RAW_SEQUENCES:
        assert sequence not in written, sequence
