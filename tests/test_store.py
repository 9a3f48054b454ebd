"""The store on real temporary files: opening, refusing bad files, migrations, transactions."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from planner_tui.domain.models import NewItem
from planner_tui.store import workspace as workspace_module
from planner_tui.store.items import add_item, add_items
from planner_tui.store.schema import APPLICATION_ID, SCHEMA_VERSION, build_migrations
from planner_tui.store.workspace import (
    Workspace,
    WorkspaceBusy,
    WorkspaceError,
    WorkspaceReadOnly,
    WouldWait,
)

from .conftest import WAIT_SECONDS


def _count_items(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM items").fetchone()[0]


def test_new_workspace_is_created_current_and_in_wal_mode(workspace: Workspace) -> None:
    assert workspace.query_one("PRAGMA user_version")[0] == SCHEMA_VERSION
    assert workspace.query_one("PRAGMA application_id")[0] == APPLICATION_ID
    assert workspace.query_one("PRAGMA journal_mode")[0] == "wal"
    assert workspace.query_one("PRAGMA foreign_keys")[0] == 1


def test_schema_version_counts_the_migrations() -> None:
    assert len(build_migrations().pending(Database(memory=True))) == SCHEMA_VERSION


def test_reopening_keeps_data(workspace_path: Path) -> None:
    ws = Workspace.open(workspace_path, actor="maya")
    add_item(ws, NewItem(title="Save partial checkout forms"))
    ws.close()
    again = Workspace.open(workspace_path, actor="li")
    assert again.query_one("SELECT title, created_by FROM items")[:] == (
        "Save partial checkout forms",
        "maya",
    )
    again.close()


def test_every_change_records_who_made_it(workspace: Workspace) -> None:
    item_id = add_item(workspace, NewItem(title="Autofill address"))
    change = workspace.query_one(
        "SELECT actor, entity, entity_id, action FROM changes ORDER BY id DESC LIMIT 1"
    )
    assert tuple(change) == ("maya", "item", item_id, "added")


def test_a_failed_action_writes_nothing(workspace: Workspace) -> None:
    with pytest.raises(sqlite3.IntegrityError), workspace.write() as conn:
        conn.execute(
            "INSERT INTO items(key, title, kind, status, rank, created_at, created_by,"
            " updated_at, updated_by) VALUES ('K-1', 't', 'story', 'new', 1, '', '', '', '')"
        )
        conn.execute(
            "INSERT INTO items(key, title, kind, status, rank, created_at, created_by,"
            " updated_at, updated_by) VALUES ('K-1', 't', 'story', 'new', 2, '', '', '', '')"
        )
    assert workspace.query_one("SELECT count(*) FROM items")[0] == 0


def test_bulk_add_is_all_or_nothing(workspace: Workspace) -> None:
    from planner_tui.domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        add_items(
            workspace,
            [NewItem(title="fine"), NewItem(title="orphan", parent_key="NOPE-1")],
        )
    assert workspace.query_one("SELECT count(*) FROM items")[0] == 0


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="is a directory"):
        Workspace.open(tmp_path, actor="maya")


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="does not exist"):
        Workspace.open(tmp_path / "nope" / "team.db", actor="maya")
    assert not (tmp_path / "nope").exists()


def test_a_text_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n")
    with pytest.raises(WorkspaceError, match="not an SQLite file"):
        Workspace.open(path, actor="maya")
    assert path.read_text() == "shopping list\n"


def test_a_foreign_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs(title TEXT)")
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="not a planner workspace"):
        Workspace.open(path, actor="maya")
    assert path.read_bytes() == before


def test_a_newer_workspace_is_refused_and_untouched(workspace_path: Path) -> None:
    Workspace.open(workspace_path, actor="maya").close()
    with sqlite3.connect(workspace_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = workspace_path.read_bytes()
    with pytest.raises(WorkspaceError, match="newer planner"):
        Workspace.open(workspace_path, actor="maya")
    assert workspace_path.read_bytes() == before


def test_a_read_only_file_is_refused(workspace_path: Path) -> None:
    """A file without write permission is not opened to write, even for root (who could)."""
    Workspace.open(workspace_path, actor="maya").close()
    workspace_path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = workspace_path.read_bytes()
    with pytest.raises(WorkspaceReadOnly, match="no write permission on team"):
        Workspace.open(workspace_path, actor="maya")
    assert workspace_path.read_bytes() == before
    assert not workspace_path.with_name("team.db-wal").exists()


@pytest.mark.parametrize("special", ["/dev/null", "fifo"])
def test_a_file_that_is_not_regular_is_refused(special: str, tmp_path: Path) -> None:
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "pipe.db"
        os.mkfifo(path)
    with pytest.raises(WorkspaceError, match="not a regular file"):
        Workspace.open(path, actor="maya")


def _make_v1_workspace(path: Path) -> None:
    db = Database(path)
    build_migrations().apply(db, stop_before="0002_presence")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO items(key, title, kind, status, rank, created_at, created_by, updated_at,"
        " updated_by) VALUES ('PLN-1', 'Old item', 'story', 'new', 1024, 't', 'maya', 't', 'maya')"
    )
    db.conn.commit()
    db.close()


def test_an_older_workspace_is_backed_up_then_migrated(workspace_path: Path) -> None:
    _make_v1_workspace(workspace_path)
    ws = Workspace.open(workspace_path, actor="maya")
    assert ws.query_one("PRAGMA user_version")[0] == SCHEMA_VERSION
    assert ws.query_one("SELECT title FROM items")[0] == "Old item"
    assert ws.query_one("SELECT count(*) FROM presence")[0] == 0
    ws.close()
    backup = workspace_path.with_name("team.db.bak-v1")
    assert backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT title FROM items").fetchone()[0] == "Old item"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "presence" not in tables


def test_a_current_workspace_makes_no_backup(workspace_path: Path) -> None:
    Workspace.open(workspace_path, actor="maya").close()
    Workspace.open(workspace_path, actor="maya").close()
    assert not list(workspace_path.parent.glob("*.bak-v*"))


def _add_items_in_process(path: str, who: str, count: int) -> None:
    ws = Workspace.open(path, actor=who)
    for number in range(count):
        add_item(ws, NewItem(title=f"{who} item {number}"))
    ws.close()


def test_processes_writing_at_once_lose_nothing(workspace_path: Path) -> None:
    Workspace.open(workspace_path, actor="maya").close()
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=_add_items_in_process, args=(str(workspace_path), f"p{n}", 150))
        for n in range(4)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert [writer.exitcode for writer in writers] == [0, 0, 0, 0]
    assert _count_items(workspace_path) == 600
    ws = Workspace.open(workspace_path, actor="maya")
    keys = [row[0] for row in ws.query("SELECT key FROM items")]
    ranks = [row[0] for row in ws.query("SELECT rank FROM items")]
    per_writer = ws.query("SELECT created_by, count(*) FROM items GROUP BY 1 ORDER BY 1")
    assert len(set(keys)) == 600
    assert len(set(ranks)) == 600
    assert [tuple(row) for row in per_writer] == [(f"p{n}", 150) for n in range(4)]
    ws.close()


def test_another_process_commit_is_noticed(workspace_path: Path) -> None:
    watcher = Workspace.open(workspace_path, actor="maya")
    assert watcher.poll_changes() is None
    other = Workspace.open(workspace_path, actor="li")
    add_item(other, NewItem(title="From li"))
    assert watcher.poll_changes() == frozenset({"item"})
    assert watcher.poll_changes() is None
    other.close()
    watcher.close()


def test_own_commits_are_not_reported_as_foreign(workspace: Workspace) -> None:
    add_item(workspace, NewItem(title="Mine"))
    assert workspace.poll_changes() is None


def test_a_long_held_lock_ends_in_a_clear_error(
    workspace_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace.open(workspace_path, actor="maya", busy_timeout=0.05)
    monkeypatch.setattr(workspace_module, "WRITE_ATTEMPTS", 2)
    holder = sqlite3.connect(workspace_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WorkspaceBusy, match="busy"):
            add_item(ws, NewItem(title="blocked"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    add_item(ws, NewItem(title="after"))
    assert [row[0] for row in ws.query("SELECT title FROM items")] == ["after"]
    ws.close()


def test_at_once_saves_now_or_says_it_would_wait_having_saved_nothing(
    workspace_path: Path,
) -> None:
    """A move saved on the UI thread (`at_once`) never waits: for another program's write
    lock (the busy timeout is 30 s here, so a wait would end in `WorkspaceBusy`), nor for
    this process's connection in a worker's hands; after it, writes wait as before."""
    ws = Workspace.open(workspace_path, actor="maya", busy_timeout=30)
    settings = ("PRAGMA busy_timeout", "PRAGMA wal_autocheckpoint")
    before = [ws.conn.execute(pragma).fetchone()[0] for pragma in settings]
    holder = sqlite3.connect(workspace_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WouldWait), ws.at_once():
            add_item(ws, NewItem(title="held by another program"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [ws.conn.execute(pragma).fetchone()[0] for pragma in settings] == before

    for lock, move in (
        (ws.lock, lambda: add_item(ws, NewItem(title="held by a worker"))),
        (ws._read_lock, lambda: ws.query("SELECT 1")),  # (the reading connection's)
    ):
        taken, let_go = threading.Event(), threading.Event()

        def hold(lock: threading.RLock, taken: threading.Event, let_go: threading.Event) -> None:
            with lock:
                taken.set()
                let_go.wait(WAIT_SECONDS)

        worker = threading.Thread(target=hold, args=(lock, taken, let_go))
        worker.start()
        try:
            assert taken.wait(WAIT_SECONDS)
            with pytest.raises(WouldWait), ws.at_once():
                move()
        finally:
            let_go.set()
            worker.join()

    with ws.at_once():
        add_item(ws, NewItem(title="free"))
        assert ws.query("SELECT count(*) FROM items")[0][0] == 1
    assert [ws.conn.execute(pragma).fetchone()[0] for pragma in settings] == before
    assert [row[0] for row in ws.query("SELECT title FROM items")] == ["free"]
    ws.close()


def test_an_exclusively_locked_file_is_refused_at_open(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    Workspace.open(path, actor="maya").close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(WorkspaceError, match="locked by another program"):
            Workspace.open(path, actor="maya", busy_timeout=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_read_only_open_changes_nothing(workspace_path: Path) -> None:
    Workspace.open(workspace_path, actor="maya").close()
    before = workspace_path.read_bytes()
    ws = Workspace.open(workspace_path, actor="check", readonly=True)
    assert ws.query_one("PRAGMA user_version")[0] == SCHEMA_VERSION
    with pytest.raises(Exception, match="read-only"):
        add_item(ws, NewItem(title="nope"))
    ws.close()
    assert workspace_path.read_bytes() == before


def test_item_tally_follows_every_kind_of_change(workspace: Workspace) -> None:
    import random

    from planner_tui.store.health import check_workspace

    chooser = random.Random(7)
    statuses = ["new", "ready", "in progress", "done", "won't do"]
    ids = add_items(workspace, [NewItem(title=f"item {n}") for n in range(60)])
    with workspace.write() as conn:
        for _ in range(400):
            item_id = chooser.choice(ids)
            change = chooser.randrange(4)
            if change == 0:
                conn.execute(
                    "UPDATE items SET status = ? WHERE id = ?", [chooser.choice(statuses), item_id]
                )
            elif change == 1:
                estimate = chooser.choice([None, 0.5, 1, 2, 3, 5, 8, 13])
                conn.execute("UPDATE items SET estimate = ? WHERE id = ?", [estimate, item_id])
            elif change == 2:
                deleted = chooser.choice([None, "2026-11-24T10:00:00+00:00"])
                conn.execute("UPDATE items SET deleted_at = ? WHERE id = ?", [deleted, item_id])
            else:
                conn.execute(
                    "UPDATE items SET status = ?, estimate = ?, deleted_at = NULL WHERE id = ?",
                    [chooser.choice(statuses), chooser.choice([None, 2, 5]), item_id],
                )
        conn.execute("DELETE FROM items WHERE id IN (?, ?, ?)", ids[:3])
    kept = {
        row[0]: (row[1], row[2], row[3])
        for row in workspace.query("SELECT status, items, estimated, points FROM item_tally")
        if row[1]
    }
    counted = {
        row[0]: (row[1], row[2], row[3])
        for row in workspace.query(
            "SELECT status, count(*), count(estimate), coalesce(sum(estimate), 0) FROM items"
            " WHERE deleted_at IS NULL GROUP BY status"
        )
    }
    assert kept == counted
    assert check_workspace(workspace).tally_matches


def test_check_notices_a_tally_out_of_step(workspace: Workspace) -> None:
    from planner_tui.store.health import check_workspace

    add_item(workspace, NewItem(title="one"))
    with workspace.write() as conn:
        conn.execute("UPDATE item_tally SET items = items + 1")
    report = check_workspace(workspace)
    assert not report.tally_matches
    assert not report.healthy


def test_presence_forgets_those_who_stopped_beating(workspace: Workspace) -> None:
    from planner_tui.store import presence
    from planner_tui.store.people import person_id

    maya, li = person_id(workspace, "maya"), person_id(workspace, "li")
    presence.heartbeat(workspace, maya)
    presence.heartbeat(workspace, li)
    assert presence.here_now(workspace) == ["li", "maya"]
    with workspace.write() as conn:
        conn.execute(
            "UPDATE presence SET seen_at = '2026-01-01T00:00:00+00:00' WHERE person_id = ?", [li]
        )
    assert presence.here_now(workspace) == ["maya"]
    presence.heartbeat(workspace, maya)
    rows = workspace.query("SELECT person_id FROM presence")
    assert [row[0] for row in rows] == [maya]


def test_every_change_another_process_logs_is_reported_once_polled(workspace_path: Path) -> None:
    """Commits landing while a poll reads the change log are reported by that poll or the next."""
    watcher = Workspace.open(workspace_path, actor="maya")
    other = Workspace.open(workspace_path, actor="li")
    logged = [f"kind{n}" for n in range(300)]

    def write_all() -> None:
        for kind in logged:
            with other.write():
                other.log(kind, 1, "touched")

    writer = threading.Thread(target=write_all)
    seen: set[str] = set()
    writer.start()
    while writer.is_alive():
        seen |= watcher.poll_changes() or frozenset()
    writer.join()
    seen |= watcher.poll_changes() or frozenset()
    other.close()
    watcher.close()
    assert [kind for kind in logged if kind not in seen] == []


def test_the_file_watch_wakes_on_another_process_commit_and_sleeps_otherwise(
    workspace_path: Path,
) -> None:
    """The watcher sleeps until a commit writes the WAL, and not for reads or other files."""
    from planner_tui.store.file_watch import FileWatch

    watcher = Workspace.open(workspace_path, actor="maya")
    watch = FileWatch.open(workspace_path)
    assert watch is not None, "inotify is there on Linux"
    other = Workspace.open(workspace_path, actor="li")
    other.query("SELECT count(*) FROM items")  # a read writes nothing
    (workspace_path.parent / "notes.txt").write_text("not the workspace")
    assert watch.wait(0.2) == (False, False)
    add_item(other, NewItem(title="From li"))
    assert watch.wait(5.0) == (True, False)
    assert watcher.poll_changes() == frozenset({"item"})
    watch.close()
    other.close()
    watcher.close()


def test_the_file_watch_wakes_when_a_followed_process_ends_or_when_poked(
    workspace_path: Path,
) -> None:
    """A teammate's process that ends writes nothing: the watch wakes on its end itself,
    so nobody needs to look every second (and a poke from another thread wakes it too)."""
    import subprocess
    import sys

    from planner_tui.store.file_watch import FileWatch

    watch = FileWatch.open(workspace_path)
    assert watch is not None
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        assert watch.follow([sleeper.pid]) is True
        assert watch.wait(0.2) == (False, False)
        threading.Timer(0.1, sleeper.kill).start()
        assert watch.wait(WAIT_SECONDS) == (False, True), "the end of the process woke nobody"
        sleeper.wait()
        # Gone: it cannot be followed again, and the caller hears so (it looks itself).
        assert watch.follow([sleeper.pid]) is False
        assert watch.follow([]) is True
        threading.Timer(0.1, watch.poke).start()
        assert watch.wait(WAIT_SECONDS) == (False, True), "a poke woke nobody"
        assert watch.wait(0.1) == (False, False), "one poke wakes one wait"
    finally:
        sleeper.kill()
        sleeper.wait()
        watch.close()
    watch.poke()  # after close: nothing to wake, and no error


def test_a_teammate_s_malformed_stored_values_do_not_stop_a_reader(demo_session) -> None:
    """Anyone who can write the file can put anything in a JSON column (a hand edit with
    sqlite3). Every reader takes what it can: the lists, the boards, the table and the
    exports still open (they once failed with a JSONDecodeError or a pydantic error)."""
    from planner_tui.domain.backlog import BacklogQuery
    from planner_tui.exchange import run
    from planner_tui.services import poker, retro, retro_view
    from planner_tui.store.backlog import backlog_page, count_backlog
    from planner_tui.store.items import get_item

    ws = demo_session.workspace
    retro_id = ws.query_one("SELECT id FROM sessions WHERE kind = 'retro' ORDER BY id")[0]
    poker_id = ws.query_one("SELECT id FROM sessions WHERE kind = 'estimation' ORDER BY id")[0]
    item_id = ws.query_one("SELECT min(id) FROM items WHERE deleted_at IS NULL")[0]
    with sqlite3.connect(ws.path) as teammate:
        teammate.execute("UPDATE items SET tags = 'notjson' WHERE id = ?", [item_id])
        teammate.execute("UPDATE retro_boards SET columns = 'garbage'")
        teammate.execute('UPDATE sessions SET settings = \'{"deck": 5, "timer_seconds": 90}\'')
        teammate.execute("INSERT INTO decks(name, cards, builtin) VALUES ('bad', '{', 0)")
        teammate.execute("INSERT INTO retro_templates(name, columns, builtin) VALUES ('b', '7', 0)")

    assert get_item(ws, item_id).tags == ()
    for query in (BacklogQuery(), BacklogQuery(text="zz"), BacklogQuery(tag="checkout")):
        assert len(backlog_page(ws, query, 0, 100)) == count_backlog(ws, query)
    assert retro_view.board(demo_session, retro_id).info.columns == ()
    assert "bad" not in [deck.name for deck in poker.decks(demo_session)]
    assert "b" not in [name for name, _ in retro.templates(demo_session)]
    assert poker.table(demo_session, poker_id).info.title
    for fmt in ("markdown", "json", "csv"):
        assert run.export(ws, fmt)
    assert run.export(ws, "markdown", session=retro_id)
