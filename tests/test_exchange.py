"""Export and the lossless JSON round trip, on real files; export from the app."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner_tui.cli import main
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.exchange import neutral_cell
from planner_tui.domain.models import NewItem, NewRisk
from planner_tui.exchange import json_format, run
from planner_tui.screens.export import ExportModal
from planner_tui.services.context import Session
from planner_tui.store.items import add_items
from planner_tui.store.risks import raise_risk
from planner_tui.store.workspace import Workspace

from .conftest import live_app, settle


@pytest.mark.parametrize(
    ("scope", "scope_id"), [("workspace", None), ("session", 2), ("session", 3), ("sprint", 2)]
)
def test_json_round_trip_gives_the_identical_document(
    demo_path: Path, tmp_path: Path, scope: str, scope_id: int | None
) -> None:
    source = Workspace.open(demo_path, actor="maya")
    first = json_format.export(source, scope, scope_id)
    source.close()
    target = Workspace.open(tmp_path / "empty.db", actor="li")  # li is in the file or not
    outcome = run.import_file(target, first.encode(), "backup.json")
    again = json_format.export(target, scope, scope_id)
    target.close()
    assert again == first
    document = json.loads(first)
    assert document["format"] == "planner-tui" and document["version"] == 1
    if scope == "workspace":
        assert outcome.restored_rows == sum(len(t["rows"]) for t in document["tables"].values())
    tables = document["tables"]
    if scope == "session" and scope_id == 2:  # the estimation session brings what it points at
        assert len(tables["sessions"]["rows"]) == 1
        assert tables["votes"]["rows"] and tables["items"]["rows"] and tables["people"]["rows"]


def test_a_workspace_json_into_a_workspace_with_work_brings_only_items(
    demo_path: Path, empty_session: Session
) -> None:
    add_items(empty_session.workspace, [NewItem(title="Already here")])
    with _opened(demo_path) as source:
        text = json_format.export(source)
    outcome = run.import_file(empty_session.workspace, text.encode(), "demo.json")
    assert outcome.restored_rows == 0
    assert len(outcome.summary.added) == outcome.parsed.rows > 30
    again = run.import_file(empty_session.workspace, text.encode(), "demo.json")
    assert again.summary.added == () and again.summary.unchanged == outcome.parsed.rows


class _opened:
    def __init__(self, path: Path) -> None:
        self.ws = Workspace.open(path, actor="maya")

    def __enter__(self) -> Workspace:
        return self.ws

    def __exit__(self, *exc) -> None:
        self.ws.close()


def test_csv_cells_a_spreadsheet_would_run_are_neutralized(empty_session: Session) -> None:
    add_items(
        empty_session.workspace,
        [
            NewItem(title='=HYPERLINK("http://evil")', description="+1 then -2", tags=("@x",)),
            NewItem(title='Plain, with "quotes"\nand a newline', estimate=3),
        ],
    )
    raise_risk(
        empty_session.workspace,
        NewRisk(title="-5 days of slack", likelihood=2, impact=3, mitigation="=cmd|' /C calc'!A0"),
    )
    rows = list(csv.DictReader(io.StringIO(run.export(empty_session.workspace, "csv"))))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["description"] == "'+1 then -2" and rows[0]["tags"] == "'@x"
    assert rows[1]["title"] == 'Plain, with "quotes"\nand a newline' and rows[1]["estimate"] == "3"
    risk_csv = run.export(empty_session.workspace, "csv", what="risks")
    risk = next(csv.DictReader(io.StringIO(risk_csv)))
    assert risk["title"] == "'-5 days of slack" and risk["mitigation"].startswith("'=cmd")
    assert risk["score"] == "6"
    assert neutral_cell("plain") == "plain" and neutral_cell("\t=1") == "'\t=1"


def test_markdown_escapes_what_people_typed(demo_path: Path, empty_session: Session) -> None:
    add_items(empty_session.workspace, [NewItem(title="[WIP] | <b>bold</b> *not* #1")])
    text = run.export(empty_session.workspace, "markdown", what="backlog")
    assert "\\[WIP\\] \\| \\<b\\>bold\\</b\\> \\*not\\* \\#1" in text
    with _opened(demo_path) as demo:
        sprint = run.export(demo, "markdown", sprint=2)
        retro = run.export(demo, "markdown", session=1)
        estimation = run.export(demo, "markdown", session=2)
    assert sprint.startswith("# Sprint 14\n")
    assert "## Capacity" in sprint and "## Committed items" in sprint
    assert "(added after the start)" in sprint and "## Scope change after the start" in sprint
    assert "## Risks" in sprint and "## Decisions" in sprint
    assert "## Went well" in retro and "## Action items" in retro and "vote" in retro
    assert "- Round 1: ines 3, lena 5, raj 13, sam 8" in estimation


def test_export_refuses_what_does_not_exist(demo_path: Path) -> None:
    with _opened(demo_path) as demo:
        with pytest.raises(InvalidInput, match="no session 99"):
            run.export(demo, "markdown", session=99)
        with pytest.raises(InvalidInput, match="JSON exports the whole workspace"):
            run.export(demo, "json", what="risks")
        with pytest.raises(InvalidInput, match="CSV exports the backlog"):
            run.export(demo, "csv", sprint=2)


def test_the_command_writes_to_stdout_or_a_file(demo_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    piped = runner.invoke(main, ["export", str(demo_path), "--format", "csv", "--what", "risks"])
    assert piped.exit_code == 0 and piped.stdout.startswith("id,title,category")
    out = tmp_path / "s.md"
    written = runner.invoke(main, ["export", str(demo_path), "--sprint", "2", "-o", str(out)])
    assert written.exit_code == 0 and out.read_text().startswith("# Sprint 14")
    missing = runner.invoke(main, ["export", str(tmp_path / "nope.db")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


async def test_export_from_the_sprint_screen(demo_session: Session) -> None:
    folder = demo_session.path.parent
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportModal)
        path = Path(modal.query_one("#export-path").value)
        assert path == folder / f"{demo_session.path.stem}-sprint-2.md"
        await pilot.press("enter")
        await settle(pilot)
        assert path.read_text().startswith("# Sprint 14\n")
        assert any(f"Exported to {path}" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+e")  # again: a new file, the first is kept
        await pilot.pause()
        assert app.screen.query_one("#export-path").value.endswith("-sprint-2-2.md")


FIXTURES = Path(__file__).parent / "fixtures" / "import"


def test_import_adds_then_updates_and_a_dry_run_writes_nothing(empty_session: Session) -> None:
    ws = empty_session.workspace
    data = (FIXTURES / "jira_cloud.csv").read_bytes()
    dry = run.import_file(ws, data, "jira_cloud.csv", dry_run=True)
    assert dry.format == "jira-csv" and dry.summary.added
    assert ws.query_one("SELECT count(*) FROM items")[0] == 0
    first = run.import_file(ws, data, "jira_cloud.csv")
    assert len(first.summary.added) == dry.parsed.rows - len(dry.parsed.problems)
    items = ws.query("SELECT source, external_key FROM items ORDER BY rank")
    assert {row[0] for row in items} == {"jira"}
    second = run.import_file(ws, data, "jira_cloud.csv")
    assert second.summary.added == () and second.summary.unchanged == len(first.summary.added)
    assert ws.query_one("SELECT count(*) FROM items")[0] == len(first.summary.added)
    tally = ws.query_one("SELECT sum(items) FROM item_tally")[0]
    assert tally == len(first.summary.added)


def test_an_interrupted_import_leaves_the_workspace_as_it_was(empty_session: Session) -> None:
    ws = empty_session.workspace
    add_items(ws, [NewItem(title="Kept")])

    def interrupt(done: int, total: int | None) -> None:
        raise KeyboardInterrupt

    data = (FIXTURES / "backlog.csv").read_bytes()
    with pytest.raises(KeyboardInterrupt):
        run.import_file(ws, data, "backlog.csv", progress=interrupt)
    assert [row[0] for row in ws.query("SELECT title FROM items")] == ["Kept"]


def test_a_bad_file_changes_nothing_and_reports_line_and_column(
    empty_session: Session, tmp_path: Path
) -> None:
    path = empty_session.path
    bad = FIXTURES / "jira_broken.csv"
    runner = CliRunner()
    refused = runner.invoke(main, ["import", str(path), str(bad), "--as", "maya"])
    assert refused.exit_code == 2
    assert "nothing imported" in refused.stderr and "line " in refused.stderr
    assert rows_in(path) == 0
    skipped = runner.invoke(main, ["import", str(path), str(bad), "--skip-invalid"])
    assert skipped.exit_code == 0, skipped.stderr
    assert "skipped (invalid)" in skipped.stdout and rows_in(path) > 0
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Summary,Issue key\nCaf\xe9,SHOP-1\n".encode("latin-1"))
    encoding = runner.invoke(main, ["import", str(path), str(latin)])
    assert encoding.exit_code == 2 and "not UTF-8" in encoding.stderr


def rows_in(path: Path) -> int:
    from .conftest import rows

    return rows(path, "SELECT count(*) FROM items")[0][0]


def test_the_backlog_csv_comes_back_as_it_was_typed(empty_session: Session, tmp_path: Path) -> None:
    typed = ["=SUM(A1)", "'quoted already", "-minus", "plain [WIP] 🚀", "@mention"]
    add_items(empty_session.workspace, [NewItem(title=t, tags=("+1",)) for t in typed])
    text = run.export(empty_session.workspace, "csv")
    target = Workspace.open(tmp_path / "other.db", actor="li")
    outcome = run.import_file(target, text.encode(), "backlog.csv")
    titles = [row[0] for row in target.query("SELECT title FROM items ORDER BY rank")]
    tags = {row[0] for row in target.query("SELECT tags FROM items")}
    target.close()
    assert outcome.format == "csv" and titles == typed and tags == {'["+1"]'}


def test_a_hand_edited_json_with_wrong_values_is_refused_whole(
    demo_path: Path, tmp_path: Path
) -> None:
    with _opened(demo_path) as demo:
        document = json.loads(json_format.export(demo))
    items = document["tables"]["items"]
    kind, estimate = items["columns"].index("kind"), items["columns"].index("estimate")
    items["rows"][0][kind] = "saga"
    target = Workspace.open(tmp_path / "empty.db", actor="li")
    with pytest.raises(run.ImportRefused, match=r"kind 'saga' is not one of story"):
        run.import_file(target, json.dumps(document).encode(), "tampered.json")
    items["rows"][0][kind] = "story"
    items["rows"][1][estimate] = "lots"
    with pytest.raises(InvalidInput, match="estimate"):
        run.import_file(target, json.dumps(document).encode(), "tampered.json")
    assert target.query_one("SELECT count(*) FROM items")[0] == 0
    target.close()


@pytest.mark.parametrize(
    ("table", "column", "value", "said"),
    [
        ("items", "tags", "notjson", r"items, row 1, tags: 'notjson' is not a JSON list of texts"),
        ("items", "tags", '["ok", 5]', r"items, row 1, tags: .* is not a JSON list of texts"),
        ("retro_boards", "columns", "garbage", r"retro_boards, row 1, columns: 'garbage' is not"),
        ("sessions", "settings", '{"deck": 5}', r"sessions, row \d+, settings: deck: "),
        ("sessions", "settings", "[1]", r"sessions, row 1, settings: not a JSON object"),
        ("risks", "likelihood", 77, r"risks, row 1: a value is out of range \(likelihood"),
        ("action_items", "owner_id", 999, r"action_items, the row with id \d+: refers to a people"),
    ],
)
def test_a_hand_edited_json_names_the_row_and_the_value_it_refuses(
    demo_path: Path, tmp_path: Path, table: str, column: str, value: object, said: str
) -> None:
    """Each of these once went in whole (or failed as an "unexpected error") and then stopped
    a screen: the file is refused, saying where, and nothing is written."""
    with _opened(demo_path) as demo:
        document = json.loads(json_format.export(demo))
    part = document["tables"][table]
    rows = part["rows"]
    if table == "sessions":  # an estimation session's settings are checked as poker settings
        kind = part["columns"].index("kind")
        rows.sort(key=lambda row: row[kind] != "estimation")
        said = said.replace(r"row \d+", "row 1")
    rows[0][part["columns"].index(column)] = value
    target = Workspace.open(tmp_path / "empty.db", actor="li")
    with pytest.raises(InvalidInput, match=said):
        run.import_file(target, json.dumps(document).encode(), "tampered.json")
    assert target.query_one("SELECT count(*) FROM items")[0] == 0
    target.close()


def test_reimporting_keeps_what_the_file_leaves_blank_and_our_csv_updates_in_place(
    empty_session: Session,
) -> None:
    ws = empty_session.workspace
    header = "Summary,Issue key,Custom field (Story Points)\n"
    run.import_file(ws, (header + "Saved cards,SHOP-1,\n").encode(), "jira.csv")
    ws.conn.execute("UPDATE items SET estimate = 8")  # estimated in planning poker
    again = run.import_file(ws, (header + "Saved cards!,SHOP-1,\n").encode(), "jira.csv")
    assert again.summary.updated and ws.query_one("SELECT title, estimate FROM items")[:] == (
        "Saved cards!",
        8.0,
    )
    add_items(ws, [NewItem(title="Native item")])
    exported = run.export(ws, "csv").replace("Native item", "Native item edited")
    back = run.import_file(ws, exported.encode(), "backlog.csv")
    assert back.summary.added == () and len(back.summary.updated) == 1
    assert ws.query_one("SELECT count(*) FROM items")[0] == 2


def test_a_planning_meeting_summary_has_its_sprint(demo_path: Path) -> None:
    with _opened(demo_path) as demo:
        planning = demo.query_one("SELECT id FROM sessions WHERE kind = 'planning'")[0]
        text = run.export(demo, "markdown", session=planning)
    assert "Planning session: Sprint 14 planning" in text
    assert "| ines |" in text and "## Committed items" in text and "Nothing committed" not in text


def test_a_read_only_workspace_exports_and_a_failed_import_leaves_no_file(
    demo_path: Path, tmp_path: Path
) -> None:
    demo_path.chmod(0o444)
    runner = CliRunner()
    exported = runner.invoke(main, ["export", str(demo_path), "--format", "csv", "-o", "-"])
    demo_path.chmod(0o644)
    assert exported.exit_code == 0, exported.stderr
    assert exported.stdout.startswith("key,title")
    new = tmp_path / "new.db"
    bad = tmp_path / "notes.csv"
    bad.write_text("Shopping list;eggs\nmilk;bread\n")
    failed = runner.invoke(main, ["import", str(new), str(bad)])
    assert failed.exit_code == 2 and "cannot tell which format" in failed.stderr
    assert not new.exists()


@pytest.mark.parametrize(
    ("separator", "said"), [(";", "semicolons"), ("\t", "tabs"), (",", "commas")]
)
def test_csv_separated_by_semicolons_or_tabs_is_read_and_said(
    tmp_path: Path, separator: str, said: str
) -> None:
    """Spreadsheets in many locales save CSV with semicolons (and copies are tab
    separated); they were refused (issue 18's trap). A quoted cell may hold the others."""
    rows = [
        ["Summary", "Issue key", "Status", "Story Points"],
        ["Save the cart; later", "SHOP-1", "Done", "3"],
        ['Say "hello", politely', "SHOP-2", "To Do", "5"],
    ]

    def cell(text: str) -> str:
        needs = any(ch in text for ch in ',;\t"')
        return '"' + text.replace('"', '""') + '"' if needs else text

    (tmp_path / "jira.csv").write_text(
        "".join(separator.join(cell(c) for c in row) + "\n" for row in rows)
    )
    target = tmp_path / "team.db"
    result = CliRunner().invoke(main, ["import", str(target), str(tmp_path / "jira.csv")])
    assert result.exit_code == 0, result.output
    assert f"jira-csv, cells separated by {said}: 2 rows read" in result.output
    ws = Workspace.open(target, actor="check", readonly=True)
    try:
        titles = [row[0] for row in ws.query("SELECT title FROM items ORDER BY id")]
    finally:
        ws.close()
    assert titles == ["Save the cart; later", 'Say "hello", politely']


def test_parents_survive_our_csv_into_a_new_workspace(
    empty_session: Session, tmp_path: Path
) -> None:
    ws = empty_session.workspace
    jira = (
        "Summary,Issue key,Issue Type,Parent\n"
        "Checkout redesign,SHOP-1,Epic,\n"
        "One-page checkout,SHOP-2,Story,SHOP-1\n"
    )
    run.import_file(ws, jira.encode(), "jira.csv")
    exported = run.export(ws, "csv")
    target = Workspace.open(tmp_path / "other.db", actor="li")
    run.import_file(target, exported.encode(), "backlog.csv")
    linked = target.query(
        "SELECT c.external_key, p.external_key FROM items c JOIN items p ON p.id = c.parent_id"
    )
    target.close()
    assert [tuple(row) for row in linked] == [("SHOP-2", "SHOP-1")]


def test_an_export_never_lands_on_the_workspace_or_another_database(
    demo_path: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    before = demo_path.read_bytes()
    onto = runner.invoke(main, ["export", str(demo_path), "--format", "csv", "-o", str(demo_path)])
    assert onto.exit_code == 2 and "is the workspace itself" in onto.stderr
    other = tmp_path / "other.db"
    Workspace.open(other, actor="li").close()
    into_db = runner.invoke(main, ["export", str(demo_path), "-o", str(other)])
    assert into_db.exit_code == 2 and "is a database" in into_db.stderr
    assert demo_path.read_bytes() == before


async def test_the_export_dialog_refuses_the_workspace_and_asks_before_replacing(
    demo_session: Session,
) -> None:
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportModal)
        modal.query_one("#export-path").value = str(demo_session.path)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal
        assert "workspace itself" in str(modal.query_one(".modal-error").render())
        modal.query_one("#export-path").value = "/proc/self/backlog.csv"  # a folder, unwritable
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal  # it once closed, and a toast said so afterwards
        assert "Cannot write /proc/self/backlog.csv" in str(
            modal.query_one(".modal-error").render()
        )
        existing = demo_session.path.parent / "notes.csv"
        existing.write_text("keep me")
        modal.query_one("#export-path").value = str(existing)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal and existing.read_text() == "keep me"
        assert "enter again replaces it" in str(modal.query_one(".modal-error").render())
        await pilot.press("enter")
        await settle(pilot)
        assert existing.read_text(encoding="utf-8-sig").startswith("key,title")


def test_success_metrics_go_through_our_csv_and_a_tracker_file_keeps_them(
    empty_session: Session, tmp_path: Path
) -> None:
    """Issue 18: a success metric showed nowhere outside the editor, CSV included. Our
    backlog CSV carries it (name, unit, target, actual, aim) and reads it back; the same
    file read again changes nothing; a tracker's file with no metric keeps the one here;
    a bad aim or a target without a name is one line naming the column."""
    from planner_tui.domain.models import SuccessMetric
    from planner_tui.store.items import get_item

    add_items(
        empty_session.workspace,
        [
            NewItem(
                title="Faster page",
                metric=SuccessMetric(
                    name="=p95 load", unit="s", target=2.5, actual=2.1, lower_better=True
                ),
            ),
            NewItem(title="Saved cards", metric=SuccessMetric(name="adoption", target=50)),
            NewItem(title="No metric"),
        ],
    )
    text = run.export(empty_session.workspace, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["metric"], r["metric_unit"], r["metric_target"], r["metric_actual"],
             r["metric_aim"]) for r in rows] == [
        ("'=p95 load", "s", "2.5", "2.1", "lower"),
        ("adoption", "", "50", "", "higher"),
        ("", "", "", "", ""),
    ]  # fmt: skip
    target = Workspace.open(tmp_path / "other.db", actor="li")
    try:
        run.import_file(target, text.encode(), "backlog.csv")
        first = get_item(target, 1).metric
        assert first == SuccessMetric(
            name="=p95 load", unit="s", target=2.5, actual=2.1, lower_better=True
        )
        assert get_item(target, 2).metric == SuccessMetric(name="adoption", unit="", target=50)
        assert get_item(target, 3).metric is None
        again = run.import_file(target, text.encode(), "backlog.csv")
        assert again.summary.updated == () and again.summary.unchanged == 3
        bare = text.replace("'=p95 load,s,2.5,2.1,lower", ",,,,")
        run.import_file(target, bare.encode(), "backlog.csv")  # no metric in the file
        assert get_item(target, 1).metric == first
    finally:
        target.close()
    header = "title,metric,metric_target,metric_aim\n"
    for row, said in (
        ("A,use,10,sideways", "metric_aim: the aim 'sideways' is not higher or lower"),
        ("B,,10,", "metric: a target, actual or aim needs the metric's name"),
        ("D,,,lower", "metric: a target, actual or aim needs the metric's name"),
        ("C,use,ten,", "metric_target: the target 'ten' is not a number"),
    ):
        with pytest.raises(run.ImportRefused) as refused:
            run.import_file(empty_session.workspace, (header + row + "\n").encode(), "b.csv")
        assert said in str(refused.value), str(refused.value)
