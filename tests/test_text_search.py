"""Text searches find exactly what reading every item finds, whether they read the few
items the trigram index names or walk the list; the index follows every change."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from planner_tui.domain.backlog import BacklogQuery
from planner_tui.domain.models import NewItem
from planner_tui.store import text_search
from planner_tui.store.backlog import backlog_page, count_backlog
from planner_tui.store.items import add_items, delete_items, update_item
from planner_tui.store.poker_reads import find_items
from planner_tui.store.schema import APPLICATION_ID, SCHEMA_VERSION, build_migrations
from planner_tui.store.sprint_reads import candidate_rows
from planner_tui.store.workspace import Workspace, clear_workspace

WORDS = ["checkout", "Address", "retry", "Café", "ÉCLAIR", "naïve", "🚀 launch", "bundle"]
ODD = ["50% off", "under_score", "bang!", 'say "hi"', "[b]bold[/b]", "tab\there", "a'b"]


def _items() -> list[NewItem]:
    """Items whose text mixes words, cases, wildcards, quotes, emoji and accents, so that
    pieces fall within one field, across two, and in none."""
    items = []
    for number in range(240):
        word = WORDS[number % len(WORDS)]
        odd = ODD[number % len(ODD)]
        title = f"{word.upper() if number % 3 == 0 else word} item {number} {odd}"
        problem = f"problem {WORDS[(number * 5) % len(WORDS)]} {number % 11}"
        tags = (f"area-{number % 6}", WORDS[(number * 3) % len(WORDS)].lower())
        items.append(NewItem(title=title, problem=problem, tags=tags))
    return items


def _fold(text: str) -> str:
    """ASCII letters in one case (as SQLite's LIKE compares them)."""
    return text.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


def _holds(field: str, text: str) -> bool:
    """Letter case aside: SQLite's LIKE for ASCII text, Python's lowering for the rest
    (`éclair` finds `ÉCLAIR`)."""
    if text.isascii():
        return _fold(text) in _fold(field)
    return text.lower() in field.lower()


def _live(ws: Workspace) -> list[sqlite3.Row]:
    return ws.query(
        "SELECT id, key, title, problem, tags, status FROM items WHERE deleted_at IS NULL"
    )


ACROSS = "0\narea"
"""A problem's end then its first tag: in the index, which joins them, but in no field."""

TEXTS = [
    "e",
    "it",
    "item 1",
    "item 17",
    "ITEM 23",
    "café",
    "CAFÉ",
    "Éclair",
    "🚀 la",
    "50%",
    "0% o",
    "r_s",
    "g!",
    '"hi"',
    "[b]",
    "t\th",
    "a'b",
    "area-3",
    "ea-3",
    "-1 ",  # the Backlog's filter drops the space; the others keep it
    "problem retry 7",
    ACROSS,
    ACROSS,
    "nowhere at all",
]


@pytest.fixture
def searched(workspace: Workspace) -> Workspace:
    ids = add_items(workspace, _items())
    delete_items(workspace, ids[::9])  # the trash is searched apart
    return workspace


@pytest.mark.parametrize(
    "few", [0, 10**6], ids=["walking the list", "reading what the index names"]
)
def test_every_text_search_finds_what_reading_every_item_finds(
    searched: Workspace, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    monkeypatch.setattr(text_search, "FEW", few)
    live = _live(searched)
    for text in TEXTS:
        filtered = text.strip()  # as the Backlog's filter reads it
        anywhere = sorted(
            row["id"]
            for row in live
            if any(_holds(row[field], filtered) for field in ("key", "title", "problem"))
            or any(_holds(tag, filtered) for tag in json.loads(row["tags"]))
        )
        named = sorted(
            row["id"] for row in live if _holds(row["key"], text) or _holds(row["title"], text)
        )
        query = BacklogQuery(text=text)
        assert sorted(r.id for r in backlog_page(searched, query, 0, 1000)) == anywhere, text
        assert count_backlog(searched, query) == len(anywhere), text
        rows, count = candidate_rows(searched, text, 1000)
        assert sorted(row["item_id"] for row in rows) == named, text
        assert count == len(named), text
        assert sorted(row["id"] for row in find_items(searched, text, 1000)) == named, text
    found = searched.query(
        "SELECT rowid FROM item_details WHERE item_details MATCH ?", ['"0\narea"']
    )
    assert found, "the index finds a piece across two fields, which the search leaves out"


def _index_is_sound(ws: Workspace) -> None:
    """FTS5's own check: the indexes hold exactly the text of the items."""
    with ws.write() as conn:
        for index in text_search.ALL_TEXT:
            conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
        names = conn.execute("SELECT count(*) FROM item_names").fetchone()[0]
        items = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    assert names == items


def test_the_index_follows_edits_deletes_and_a_cleared_workspace(workspace: Workspace) -> None:
    (first, second) = add_items(
        workspace,
        [NewItem(title="Quartz clock", tags=("jade",)), NewItem(title="Onyx", problem="amber")],
    )
    update_item(workspace, first, NewItem(title="Granite clock", tags=("opal",)))
    for text, found in [("quartz", []), ("granite", [first]), ("jade", []), ("opal", [first])]:
        assert [r.id for r in backlog_page(workspace, BacklogQuery(text=text), 0, 9)] == found
    delete_items(workspace, [second])
    assert backlog_page(workspace, BacklogQuery(text="amber"), 0, 9) == []
    in_trash = backlog_page(workspace, BacklogQuery(text="amber", in_trash=True), 0, 9)
    assert [r.id for r in in_trash] == [second]
    _index_is_sound(workspace)

    with workspace.write():
        clear_workspace(workspace)
    _index_is_sound(workspace)
    (third,) = add_items(workspace, [NewItem(title="Granite again")])
    assert [r.id for r in backlog_page(workspace, BacklogQuery(text="granite"), 0, 9)] == [third]
    _index_is_sound(workspace)


def test_an_older_workspaces_items_are_indexed_when_it_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    build_migrations().apply(db, stop_before="0013_item_text")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    db.execute(
        "INSERT INTO items(key, title, problem, tags, kind, status, rank, created_at,"
        " created_by, updated_at, updated_by) VALUES ('PLN-1', 'Old zircon item', 'beryl',"
        " '[\"topaz\"]', 'story', 'new', 1024, 't', 'maya', 't', 'maya')"
    )
    db.conn.commit()
    db.close()
    ws = Workspace.open(path, actor="maya")
    try:
        for text in ("zircon", "beryl", "topaz"):
            assert text_search.narrowing(ws, "i.id", text, text_search.ALL_TEXT)[1], text
            assert [r.key for r in backlog_page(ws, BacklogQuery(text=text), 0, 9)] == ["PLN-1"]
        _index_is_sound(ws)
    finally:
        ws.close()


def test_items_imported_in_bulk_are_indexed_once_and_found(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large import sets the per-row triggers aside and indexes the new rows in one go."""
    from planner_tui.domain.exchange import ImportedItem
    from planner_tui.store import bulk_import

    add_items(workspace, [NewItem(title="Already here: obsidian")])
    monkeypatch.setattr(bulk_import, "BULK", 2)
    imported = [
        ImportedItem(
            line=number,
            title=f"Imported {'malachite' if number == 7 else 'item'} {number}",
            problem="garnet" if number == 3 else "",
            tags=("peridot",) if number == 5 else (),
            source="jira",
            external_key=f"SHOP-{number}",
        )
        for number in range(1, 11)
    ]
    bulk_import.import_items(workspace, imported)
    _index_is_sound(workspace)
    for text, title in [
        ("obsidian", "Already here: obsidian"),
        ("malachite", "Imported malachite 7"),
        ("garnet", "Imported item 3"),
        ("peridot", "Imported item 5"),
    ]:
        assert [r.title for r in backlog_page(workspace, BacklogQuery(text=text), 0, 9)] == [title]
    triggers = {
        row[0] for row in workspace.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert {"items_tally_insert", "item_text_insert"} <= triggers  # put back


def test_a_search_ignores_the_case_of_any_letter_not_its_accent(workspace: Workspace) -> None:
    """Found trying the filter by hand: `éclair` did not find `ÉCLAIR` (SQLite's LIKE
    ignores the case of ASCII letters only)."""
    add_items(workspace, [NewItem(title="ÉCLAIR au café", tags=("Straße",))])
    for text, found in [("éclair", 1), ("CAFÉ", 1), ("STRAßE", 1), ("eclair", 0), ("cafe", 0)]:
        assert count_backlog(workspace, BacklogQuery(text=text)) == found, text
        assert len(find_items(workspace, text)) == (found if text != "STRAßE" else 0), text


def test_a_lists_read_asks_the_index_once(searched: Workspace, monkeypatch) -> None:
    """A Backlog read (its cursor's place, its count, its page) asks each index which
    items hold the text once, and finds what it found asking every time."""
    from planner_tui.store.backlog import backlog_position

    asked: list[str] = []
    query = searched.query

    def counting(sql: str, params=()):  # type: ignore[no-untyped-def]
        if " MATCH " in sql:
            asked.append(sql)
        return query(sql, params)

    wanted = BacklogQuery(text="checkout item 1")
    first = backlog_page(searched, wanted, 0, 50)[0].id

    def read() -> tuple:
        position = backlog_position(searched, wanted, first)
        return (
            position,
            count_backlog(searched, wanted, 1000),
            backlog_page(searched, wanted, 0, 50),
        )

    apart = read()  # (outside a reading: each asks)
    monkeypatch.setattr(searched, "query", counting)
    with searched.reading():
        together = read()
    assert len(asked) == len(text_search.ALL_TEXT)
    assert together == apart and together[1] == len(together[2]) > 1
