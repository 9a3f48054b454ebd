"""A workspace's files: modes from the umask, imports built aside, backups whole or absent."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlite_utils import Database

from planner_tui.domain.models import NewItem
from planner_tui.services.context import open_session
from planner_tui.store.files import backup_is_whole
from planner_tui.store.items import add_items
from planner_tui.store.schema import APPLICATION_ID, build_migrations
from planner_tui.store.workspace import Workspace

from .conftest import rows


def wait_for(condition: Callable[[], object], what: str, seconds: float = 60.0) -> None:
    """Wait until `condition()` is true (a deadline, not a fixed sleep)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.002)


@contextmanager
def umask(mask: int) -> Iterator[None]:
    before = os.umask(mask)
    try:
        yield
    finally:
        os.umask(before)


def test_a_new_workspace_and_its_journal_take_the_umasks_mode(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    with umask(0o002):
        ws = Workspace.open(path, actor="maya")
        try:
            ws.conn.execute("SELECT 1").fetchone()
            assert stat.S_IMODE(path.stat().st_mode) == 0o664
            assert stat.S_IMODE(Path(f"{path}-wal").stat().st_mode) == 0o664
            assert stat.S_IMODE(Path(f"{path}-shm").stat().st_mode) == 0o664
        finally:
            ws.close()
    with umask(0o077):
        Workspace.open(tmp_path / "private.db", actor="maya").close()
    assert stat.S_IMODE((tmp_path / "private.db").stat().st_mode) == 0o600


def _csv(path: Path, rows_count: int, *, broken_at_end: bool) -> None:
    lines = ["title,kind,status"]
    lines += [f"Imported story {n},story,new" for n in range(rows_count)]
    if broken_at_end:
        lines.append("Bad row,no-such-kind,new")
    path.write_text("\n".join(lines) + "\n")


def _start_import(workspace: Path, source: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "planner_tui", "import", str(workspace), str(source),
         "--as", "li", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def _teammate_creates_while_import_runs(target: Path, importer: subprocess.Popen[str]) -> None:
    """Once the import has started building, stop it, let a teammate create `target`
    and add six items, and let the import go on."""
    wait_for(
        lambda: any(target.parent.glob(f".{target.name}.import-*")) or importer.poll() is not None,
        "the import to start building its workspace",
    )
    assert importer.poll() is None, "the import ended before the teammate could act"
    os.kill(importer.pid, signal.SIGSTOP)
    try:
        teammate = open_session(target, "sam")
        try:
            add_items(teammate.workspace, [NewItem(title=f"Sam's item {n}") for n in range(6)])
        finally:
            teammate.close()
    finally:
        os.kill(importer.pid, signal.SIGCONT)


@pytest.mark.parametrize("how", ["fails", "dry run"])
def test_an_import_into_a_new_path_never_deletes_what_a_teammate_created(
    tmp_path: Path, how: str
) -> None:
    target = tmp_path / "new.db"
    source = tmp_path / "big.csv"
    _csv(source, 20_000, broken_at_end=how == "fails")
    importer = _start_import(target, source, *(["--dry-run"] if how == "dry run" else []))
    _teammate_creates_while_import_runs(target, importer)
    _out, err = importer.communicate(timeout=120)
    assert importer.returncode == (2 if how == "fails" else 0), err
    titles = [row[0] for row in rows(target, "SELECT title FROM items ORDER BY id")]
    assert titles == [f"Sam's item {n}" for n in range(6)]
    assert not list(tmp_path.glob(".new.db.import-*"))  # nothing left half-built


def test_an_import_whose_path_appeared_meanwhile_goes_into_that_file(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    source = tmp_path / "big.csv"
    _csv(source, 20_000, broken_at_end=False)
    importer = _start_import(target, source)
    _teammate_creates_while_import_runs(target, importer)
    _out, err = importer.communicate(timeout=120)
    assert importer.returncode == 0, err
    assert "was created meanwhile; importing into it" in err
    assert rows(target, "SELECT count(*) FROM items") == [(20_006,)]
    assert not list(tmp_path.glob(".new.db.import-*"))


def test_an_import_into_a_new_path_moves_it_into_place_whole(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    source = tmp_path / "small.csv"
    _csv(source, 3, broken_at_end=False)
    done = _start_import(target, source)
    _out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert not Path(f"{target}-wal").exists()  # folded into the one file before the move
    assert rows(target, "SELECT count(*) FROM items") == [(3,)]
    assert rows(target, "SELECT name, bound_to IS NOT NULL FROM people") == [("li", 1)]


def test_a_restore_into_a_new_path_leaves_nothing_beside_it(
    demo_path: Path, tmp_path: Path
) -> None:
    """A whole-workspace JSON once left the built file's lock (`.new.db.import-<pid>-here`)."""
    from planner_tui.exchange import json_format
    from planner_tui.store.workspace import Workspace

    source, target = tmp_path / "whole.json", tmp_path / "new.db"
    demo = Workspace.open(demo_path, actor="li")
    source.write_text(json_format.export(demo))
    demo.close()
    done = _start_import(target, source)
    _out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert not list(tmp_path.glob(".new.db*")), err


def _make_old_workspace(path: Path, megabytes: int) -> None:
    """A workspace at schema v5 with `megabytes` of item text (so its backup takes a while)."""
    db = Database(path)
    build_migrations().apply(db, stop_before="0006_bound_names")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 5")
    blob = "x" * 1_000_000
    for n in range(megabytes):
        db.execute(
            "INSERT INTO items(key, title, kind, status, rank, description, created_at,"
            " created_by, updated_at, updated_by) VALUES (?, 'Old', 'story', 'new', ?, ?, 't',"
            " 'maya', 't', 'maya')",
            [f"PLN-{n + 1}", n, blob],
        )
    db.conn.commit()
    db.close()


_MIGRATE = "import sys; from planner_tui.store.workspace import Workspace; Workspace.open(sys.argv[1], actor='maya').close()"


def test_a_kill_during_the_backup_leaves_no_backup_or_a_whole_one(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    _make_old_workspace(path, megabytes=150)
    backup = tmp_path / "team.db.bak-v5"
    migrating = subprocess.Popen([sys.executable, "-c", _MIGRATE, str(path)])
    wait_for(
        lambda: any(tmp_path.glob(".team.db.bak-v5.partial-*")) or migrating.poll() is not None,
        "the backup to start",
    )
    migrating.send_signal(signal.SIGKILL)
    migrating.wait(timeout=60)
    assert not backup.exists() or backup_is_whole(backup, 5, APPLICATION_ID)
    # The next open finishes the job: a whole backup, the abandoned part gone, migrated.
    Workspace.open(path, actor="maya").close()
    assert backup_is_whole(backup, 5, APPLICATION_ID)
    assert not list(tmp_path.glob(".team.db.bak-v5.partial-*"))
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == 150


def test_a_broken_backup_is_never_taken_for_a_good_one(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    _make_old_workspace(path, megabytes=1)
    backup = tmp_path / "team.db.bak-v5"
    backup.write_bytes(path.read_bytes()[:5000])  # what a kill mid-copy used to leave
    assert not backup_is_whole(backup, 5, APPLICATION_ID)
    with umask(0o077):  # the backup has the workspace's mode, whatever the umask
        path.chmod(0o640)
        Workspace.open(path, actor="maya").close()
    assert backup_is_whole(backup, 5, APPLICATION_ID)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o640
