"""The `planner` command and hostile text: what it prints for a person is safe to show in a
terminal; what it writes to a file or a pipe keeps the exact text (JSON, CSV)."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planner_tui.domain.text import visible

from .conftest import TODAY
from .hostile import (
    FORBIDDEN,
    RAW_SEQUENCES,
    TITLE_OSC,
    build_workspace,
    hostile,
    hostile_csv,
    short_hostile,
)

COMMAND = [sys.executable, "-m", "planner_tui"]


def _piped(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run the real command with stdout and stderr to pipes."""
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, timeout=60, stdin=subprocess.DEVNULL, check=False
    )


def _in_a_terminal(*args: str) -> bytes:
    """Run the real command with stdout and stderr on a pseudo-terminal; every byte it wrote."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [*COMMAND, *args], stdin=subprocess.DEVNULL, stdout=follower, stderr=follower
    )
    os.close(follower)
    written = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child has gone and closed its end
            break
        if not chunk:
            break
        written += chunk
    child.wait(timeout=60)
    os.close(leader)
    return bytes(written)


PROGRESS_BAR = re.compile(r"\x1b\[\?25[lh]")
"""click's progress bar hides the cursor while it draws (on a terminal): our own drawing."""


def _assert_safe(output: bytes) -> str:
    """`output` holds none of the corpus's terminal sequences nor any control character but
    line ends and the progress bar's; returns it as text."""
    for sequence in RAW_SEQUENCES:
        assert sequence not in output, (sequence, output[:2000])
    text = output.decode("utf-8")
    stray = {char for char in FORBIDDEN.findall(PROGRESS_BAR.sub("", text)) if char not in "\r\n"}
    assert not stray, (stray, text[:2000])
    return text


@pytest.fixture
def hostile_files(tmp_path: Path) -> tuple[Path, Path]:
    """A workspace with hostile text everywhere, and a hostile CSV (its file name too)."""
    from planner_tui.services.context import open_session

    workspace = tmp_path / "team.db"
    session = open_session(workspace, "maya")
    build_workspace(session, TODAY)
    session.close()
    csv_file = tmp_path / f"import{TITLE_OSC}.csv"
    csv_file.write_text(hostile_csv(), encoding="utf-8")
    return workspace, csv_file


def test_import_dry_run_reports_and_problems_are_safe(hostile_files) -> None:
    workspace, csv_file = hostile_files
    for run in (_piped, _in_a_terminal):
        if run is _piped:
            result = _piped("import", str(workspace), str(csv_file), "--dry-run", "--as", "maya")
            output = result.stdout + result.stderr
            assert result.returncode == 2  # the bad row refuses the import
        else:
            output = _in_a_terminal("import", str(workspace), str(csv_file), "--dry-run")
        text = _assert_safe(output)
        assert visible(short_hostile("kind", 30)).strip()[:20] in text  # the problem quotes it
    result = _piped(
        "import", str(workspace), str(csv_file), "--dry-run", "--skip-invalid", "--as", "maya"
    )
    text = _assert_safe(result.stdout + result.stderr)
    assert result.returncode == 0, text
    assert f"+ {visible(hostile('Imported 1'))[:60]}" in text
    for run in (_piped, _in_a_terminal):
        text = _assert_safe(
            run("import", str(workspace), str(csv_file), "--skip-invalid", "--as", "maya").stdout
            if run is _piped
            else run("import", str(workspace), str(csv_file), "--skip-invalid", "--as", "maya")
        )
        assert "skipped (invalid)" in text


def test_check_prints_a_hostile_file_name_safely(hostile_files, tmp_path: Path) -> None:
    workspace, _ = hostile_files
    renamed = workspace.rename(tmp_path / f"team{TITLE_OSC}.db")
    text = _assert_safe(_in_a_terminal("check", str(renamed)))
    assert "␛]0;PWNED␇" in text and "healthy" in text


@pytest.mark.parametrize(
    ("fmt", "what"), [("csv", "backlog"), ("csv", "actions"), ("csv", "risks"), ("json", None)]
)
def test_export_to_a_pipe_keeps_the_exact_text(hostile_files, fmt: str, what: str | None) -> None:
    from planner_tui.exchange import run
    from planner_tui.store.workspace import Workspace

    workspace, _ = hostile_files
    args = ["export", str(workspace), "--format", fmt, *(["--what", what] if what else [])]
    result = _piped(*args)
    assert result.returncode == 0, result.stderr
    ws = Workspace.open(workspace, actor="test", readonly=True)
    try:
        expected = run.export(ws, fmt, what=what)
    finally:
        ws.close()
    assert result.stdout == expected.encode("utf-8")
    if fmt == "csv":
        assert TITLE_OSC.encode() in result.stdout  # CSV holds the exact bytes
    else:
        items = json.loads(result.stdout)["tables"]["items"]["rows"]
        assert any(hostile("Item 1") in row for row in items)


@pytest.mark.parametrize(
    ("fmt", "what"), [("csv", "backlog"), ("csv", "actions"), ("json", None), ("markdown", None)]
)
def test_export_to_a_terminal_shows_control_characters(
    hostile_files, fmt: str, what: str | None
) -> None:
    workspace, _ = hostile_files
    args = ["export", str(workspace), "--format", fmt, *(["--what", what] if what else [])]
    text = _assert_safe(_in_a_terminal(*args))
    if fmt == "csv":
        assert "␛]0;PWNED␇" in text
