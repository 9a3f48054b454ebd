"""The `planner` command: bad paths end in one line and exit 2; check reports health."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner_tui import __version__
from planner_tui.cli import main
from planner_tui.store.schema import SCHEMA_VERSION


def _planner(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command in a child process, with no terminal attached."""
    return subprocess.run(
        [sys.executable, "-m", "planner_tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def _assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("planner: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_has_examples() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "planner demo" in result.output
    assert "--as NAME" in result.output


def test_a_directory(tmp_path: Path) -> None:
    _assert_one_line_error(_planner(str(tmp_path)), "is a directory")


def test_a_missing_folder(tmp_path: Path) -> None:
    _assert_one_line_error(_planner(str(tmp_path / "no" / "x.db")), "does not exist")


def test_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"\x00\x01 not a database at all" * 10)
    before = path.read_bytes()
    _assert_one_line_error(_planner(str(path)), "not a planner workspace")
    assert path.read_bytes() == before


def test_a_newer_workspace(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    _assert_one_line_error(_planner(str(demo_path)), "newer planner")


@pytest.mark.parametrize(
    "name",
    ["\x1b[31m", "bo\u200bb", "bo\u00a0b", "\u202ebob", "bo\x9bb", "b" * 65],
    ids=["escape", "zero-width", "no-break-space", "bidi", "c1", "long"],
)
def test_a_bad_name(tmp_path: Path, name: str) -> None:
    """A name that could pass for another (`bo\u200bb` looks like `bob`) is refused."""
    result = _planner("--as", name, str(tmp_path / "x.db"))
    _assert_one_line_error(result, "--as")
    assert "none of them invisible" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_an_unknown_theme(demo_path: Path) -> None:
    _assert_one_line_error(_planner(str(demo_path), "--theme", "neon"), "no theme 'neon'")


def test_check_a_healthy_demo(demo_path: Path) -> None:
    result = _planner("check", str(demo_path))
    assert result.returncode == 0, result.stderr
    assert f"schema             v{SCHEMA_VERSION} (current)" in result.stdout
    assert "integrity          ok" in result.stdout
    assert result.stdout.strip().endswith("healthy")
    items = next(line for line in result.stdout.splitlines() if line.startswith("items "))
    assert int(items.split()[1]) >= 35


def test_check_changes_nothing(demo_path: Path) -> None:
    before = demo_path.read_bytes()
    assert _planner("check", str(demo_path)).returncode == 0
    assert demo_path.read_bytes() == before


def test_check_reports_broken_references(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE item_options SET item_id = 999999")
    result = _planner("check", str(demo_path))
    assert result.returncode == 1
    assert "NOT healthy" in result.stdout


def test_check_reports_malformed_stored_values(demo_path: Path) -> None:
    """Tags a hand edit left as 'notjson' once passed as healthy (the screens read around
    them now, as none, but the team should know)."""
    assert "stored values      ok" in _planner("check", str(demo_path)).stdout
    with sqlite3.connect(demo_path) as conn:
        conn.execute("UPDATE items SET tags = 'notjson' WHERE id IN (1, 2)")
        conn.execute("UPDATE items SET tags = '[1]' WHERE id = 3")
        conn.execute("UPDATE retro_boards SET columns = '{}'")
        conn.execute("UPDATE sessions SET settings = '[]' WHERE id = 1")
    result = _planner("check", str(demo_path))
    assert result.returncode == 1 and "NOT healthy" in result.stdout
    line = next(line for line in result.stdout.splitlines() if line.startswith("stored values"))
    assert "3 malformed in items.tags" in line and "in retro_boards.columns" in line
    assert "1 malformed in sessions.settings" in line


def test_check_an_older_workspace_says_it_will_be_migrated(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute("PRAGMA user_version = 1")
    result = _planner("check", str(demo_path))
    assert result.returncode == 0
    assert "v1 (older; planner backs it up and migrates it" in result.stdout


def test_check_a_damaged_workspace(demo_path: Path, tmp_path: Path) -> None:
    data = bytearray(demo_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    with sqlite3.connect(demo_path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'items'").fetchone()[0]
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xff" * page_size
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bytes(data))
    result = _planner("check", str(damaged))
    assert result.returncode == 1, result.stderr
    assert "NOT healthy" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_cut_short_workspace_is_called_damaged(demo_path: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.db"
    cut.write_bytes(demo_path.read_bytes()[:20_000])
    _assert_one_line_error(_planner("check", str(cut)), "is damaged")


def test_check_a_missing_file(tmp_path: Path) -> None:
    _assert_one_line_error(_planner("check", str(tmp_path / "none.db")), "does not exist")
    assert not (tmp_path / "none.db").exists()


def test_demo_writes_a_workspace_without_opening(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    result = _planner("demo", str(path), "--no-open")
    assert result.returncode == 0, result.stderr
    assert "wrote the demo workspace" in result.stderr
    assert _planner("check", str(path)).returncode == 0


def test_demo_keeps_an_existing_file_unless_forced(demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute("DELETE FROM action_items")
    result = _planner("demo", str(demo_path), "--no-open")
    assert result.returncode == 0
    assert "exists" in result.stderr
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute("SELECT count(*) FROM action_items").fetchone()[0] == 0
    assert _planner("demo", str(demo_path), "--no-open", "--force").returncode == 0
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute("SELECT count(*) FROM action_items").fetchone()[0] > 0


def test_default_user_comes_from_planner_user(monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    from planner_tui.cli import default_user

    monkeypatch.setenv("PLANNER_USER", "li")
    assert default_user() == "li"
    monkeypatch.setenv("PLANNER_USER", "  ")
    assert default_user() == getpass.getuser()


def test_the_ui_needs_a_terminal(demo_path: Path) -> None:
    before = demo_path.read_bytes()
    _assert_one_line_error(_planner(str(demo_path)), "needs a terminal")
    assert demo_path.read_bytes() == before


def test_a_mistyped_command_does_not_create_a_workspace(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "planner_tui", "hepl"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    _assert_one_line_error(result, "not a command or an existing workspace")
    assert list(tmp_path.iterdir()) == []


def test_demo_force_rebuilds_in_place_for_teammates_who_have_it_open(demo_path: Path) -> None:
    from planner_tui.domain.models import NewItem
    from planner_tui.store.items import add_item
    from planner_tui.store.workspace import Workspace

    teammate = Workspace.open(demo_path, actor="li")
    add_item(teammate, NewItem(title="li's scratch item"))
    assert _planner("demo", str(demo_path), "--no-open", "--force").returncode == 0
    titles = [row[0] for row in teammate.query("SELECT title FROM items")]
    assert "li's scratch item" not in titles
    assert len(titles) >= 35
    add_item(teammate, NewItem(title="written after the rebuild"))
    teammate.close()
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute(
            "SELECT count(*) FROM items WHERE title = 'written after the rebuild'"
        ).fetchone() == (1,)
    assert _planner("check", str(demo_path)).returncode == 0


def test_demo_force_never_rebuilds_a_teams_workspace(tmp_path: Path) -> None:
    from planner_tui.domain.models import NewItem
    from planner_tui.services.context import open_session
    from planner_tui.store.items import add_item

    path = tmp_path / "team.db"
    session = open_session(path, "li")
    add_item(session.workspace, NewItem(title="the team's real work"))
    session.close()
    before = path.read_bytes()
    _assert_one_line_error(
        _planner("demo", str(path), "--no-open", "--force"), "not a demo; --force rebuilds only"
    )
    assert path.read_bytes() == before


def test_teammates_stay_themselves_and_keep_hearing_changes_after_a_rebuild(
    demo_path: Path,
) -> None:
    """`planner demo --force` while teammates have the demo open: its people are numbered
    anew and its change log starts over. Those who have it open keep beating (they once
    crashed on a missing person), keep their name, and still hear every later change."""
    from planner_tui.domain.models import NewItem
    from planner_tui.services.context import open_session
    from planner_tui.store.items import add_item
    from planner_tui.store.people import same_name
    from planner_tui.store.presence import here_now

    li = open_session(demo_path, "li")
    for number in range(200):  # a long history: li has seen change ids far past the demo's
        add_item(li.workspace, NewItem(title=f"scratch {number}"))
    li.heartbeat("backlog")
    assert li.poll_changes() is None
    for _ in range(2):  # the second rebuild comes to as many log rows as the first
        assert _planner("demo", str(demo_path), "--no-open", "--force").returncode == 0
        assert "workspace" in (li.poll_changes() or ())
        li.heartbeat("backlog")  # not an IntegrityError on a person who is gone
    assert same_name(li.workspace, "li") == li.my_id
    assert li.workspace.query_one("SELECT name FROM people WHERE id = ?", [li.my_id])[0] == "li"
    assert "li" in here_now(li.workspace)
    other = open_session(demo_path, "sam")
    add_item(other.workspace, NewItem(title="after the rebuild"))
    other.close()
    assert "item" in (li.poll_changes() or ())
    li.close()


def test_demo_never_replaces_a_file_that_is_not_a_workspace(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("my notes\n")
    _assert_one_line_error(_planner("demo", str(junk), "--no-open", "--force"), "not a planner")
    _assert_one_line_error(_planner("demo", str(junk), "--no-open"), "not a planner")
    assert junk.read_text() == "my notes\n"


def test_a_mistyped_command_with_a_file_names_the_commands(tmp_path: Path) -> None:
    _assert_one_line_error(_planner("chekc", str(tmp_path / "team.db")), "no command 'chekc'")


@pytest.mark.parametrize("name", [" ", "a\nb"])
def test_names_from_planner_user_are_checked_and_blamed_on_it(name: str, tmp_path: Path) -> None:
    result = _planner(str(tmp_path / "x.db"), env={"PLANNER_USER": name})
    if name.strip():
        _assert_one_line_error(result, "PLANNER_USER")
    else:  # blank means unset: the login name is used, and no terminal is the next problem
        _assert_one_line_error(result, "needs a terminal")


def test_names_are_trimmed_and_match_whatever_the_case(demo_path: Path) -> None:
    from planner_tui.services.context import open_session

    first = open_session(demo_path, "Maya")
    second = open_session(demo_path, "maya")
    assert first.my_id == second.my_id
    first.workspace.close()
    second.workspace.close()


def test_a_locked_file_says_it_is_waiting_then_gives_up(demo_path: Path) -> None:
    holder = sqlite3.connect(demo_path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "planner_tui", str(demo_path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2
    assert lines[0].startswith("planner: waiting for another program to release")
    assert "locked by another program" in lines[-1]
    assert "Traceback" not in result.stderr


def test_export_lists_the_ids_its_session_and_sprint_options_take(demo_path: Path) -> None:
    """`export --session ID` needed ids the CLI could not list (issue 18's trap)."""
    import re

    listed = CliRunner().invoke(main, ["export", str(demo_path), "--list"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    retro = next(line for line in lines if "Sprint 13 retro" in line)
    sprint = next(line for line in lines if line.rstrip().endswith("Sprint 14"))
    assert "retro" in retro and "closed" in retro and "active" in sprint
    session_id = re.match(r"\s*(\d+)\s", retro)
    sprint_id = re.match(r"\s*(\d+)\s", sprint)
    assert session_id and sprint_id
    by_session = CliRunner().invoke(main, ["export", str(demo_path), "--session", session_id[1]])
    assert by_session.exit_code == 0 and "Sprint 13 retro" in by_session.output
    by_sprint = CliRunner().invoke(main, ["export", str(demo_path), "--sprint", sprint_id[1]])
    assert by_sprint.exit_code == 0 and "Sprint 14" in by_sprint.output


def test_shell_completion_offers_the_commands_and_files(tmp_path: Path) -> None:
    """Completion of the first word offered only files, never `serve` or `export`
    (issue 18's trap)."""

    def complete(line: str) -> list[str]:
        words = line.split(" ")
        result = subprocess.run(
            [str(Path(sys.executable).parent / "planner")],
            env={
                **os.environ,
                "_PLANNER_COMPLETE": "bash_complete",
                "COMP_WORDS": line,
                "COMP_CWORD": str(len(words) - 1),
            },
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        return result.stdout.splitlines()

    assert complete("planner se") == ["plain,serve", "file,se"]
    assert {"plain,demo", "plain,export", "plain,invite", "file,"} <= set(complete("planner "))
    assert "plain,--list" in complete("planner export --")


@pytest.mark.parametrize(
    "args",
    [
        ("export", "{demo}", "--list"),
        ("people", "{demo}"),
        ("check", "{demo}"),
        ("keys",),
        ("--help",),
        ("open", "--help"),
    ],
    ids=["export-list", "people", "check", "keys", "help", "open-help"],
)
def test_a_reader_that_stops_reading_ends_a_command_quietly(
    demo_path: Path, args: tuple[str, ...]
) -> None:
    """`planner export X --list | head -1`: like any Unix tool, planner ends at the closed
    pipe, by SIGPIPE, saying nothing (it said `unexpected error: BrokenPipeError`)."""
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before planner writes a byte
    try:
        result = subprocess.run(
            [sys.executable, "-m", "planner_tui", *(a.format(demo=demo_path) for a in args)],
            stdout=writing,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writing)
    assert result.stderr == ""
    assert result.returncode == -13  # SIGPIPE
