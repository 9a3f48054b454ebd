"""Import readers: Jira, GitHub, Linear and our own CSV read into items, and broken files reported."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import json
import random
from datetime import datetime
from pathlib import Path

import pytest

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.exchange import BACKLOG_COLUMNS, ImportedItem, Parsed, Problem, neutral_cell
from planner_tui.exchange import readers
from planner_tui.exchange.read_csv import unguarded
from planner_tui.exchange.read_jira import comment_line, parse_jira_date

FIXTURES = Path(__file__).parent / "fixtures" / "import"

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
)


def fixture_text(name: str) -> str:
    """A fixture file as the import command would hand it to the readers."""
    return readers.decode((FIXTURES / name).read_bytes())


def read_fixture(name: str, fmt: str) -> Parsed:
    return readers.read(fixture_text(name), fmt)


def by_key(parsed: Parsed) -> dict[str, ImportedItem]:
    return {item.external_key: item for item in parsed.items}


def problems_of(parsed: Parsed) -> list[tuple[int, str, str]]:
    return [(problem.line, problem.column, problem.message) for problem in parsed.problems]


# --- decoding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "Summary,Issue key\nCafé crème,SHOP-1\n".encode(),
        b"\xef\xbb\xbf" + "Summary,Issue key\nCafé crème,SHOP-1\n".encode(),
        "\ufeffSummary,Issue key\nCafé crème,SHOP-1\n".encode("utf-16-le"),
        "\ufeffSummary,Issue key\nCafé crème,SHOP-1\n".encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16-le with BOM", "utf-16-be with BOM"],
)
def test_decode_reads_utf8_and_utf16_and_drops_the_bom(data: bytes) -> None:
    assert readers.decode(data) == "Summary,Issue key\nCafé crème,SHOP-1\n"


def test_decode_refuses_latin1_saying_where_and_what_to_do() -> None:
    data = "Summary,Issue key\nCafé crème,SHOP-1\n".encode("latin-1")
    with pytest.raises(InvalidInput) as raised:
        readers.decode(data)
    message = str(raised.value)
    assert message.startswith("the file is not UTF-8 text (byte 0xE9 on line 2")
    assert message.endswith(": save it as UTF-8 and try again")
    assert "\n" not in message


def test_decode_refuses_an_image() -> None:
    with pytest.raises(InvalidInput, match=r"not UTF-8 text .*save it as UTF-8 and try again"):
        readers.decode(PNG_BYTES)


def test_decode_refuses_utf8_that_holds_nul_characters() -> None:
    with pytest.raises(InvalidInput, match="NUL character on line 2"):
        readers.decode(b"title\nabc\x00def\n")


def test_decode_refuses_broken_utf16() -> None:
    with pytest.raises(InvalidInput, match="not UTF-8 text"):
        readers.decode(b"\xff\xfeS\x00u\x00m")


# --- detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("jira_cloud.csv", "jira-csv"),
        ("jira_server.csv", "jira-csv"),
        ("jira_broken.csv", "jira-csv"),
        ("github_issues.json", "github-json"),
        ("linear_30.csv", "linear-csv"),
        ("linear_34.csv", "linear-csv"),
        ("backlog.csv", "csv"),
    ],
)
def test_detect_knows_each_fixture(name: str, fmt: str) -> None:
    assert readers.detect(name, fixture_text(name)) == fmt


def test_detect_ignores_the_file_name() -> None:
    assert readers.detect("export.txt", fixture_text("github_issues.json")) == "github-json"
    assert readers.detect("issues.json", fixture_text("linear_30.csv")) == "linear-csv"


def test_detect_knows_our_json_and_an_empty_github_list() -> None:
    ours = json.dumps({"format": "planner-tui", "version": 1, "items": []})
    assert readers.detect("team.json", ours) == "json"
    assert readers.detect("issues.json", "[]\n") == "github-json"


def test_detect_knows_our_csv_with_only_some_columns() -> None:
    assert readers.detect("mine.csv", "title,estimate\nLogin,3\n") == "csv"
    assert readers.detect("mine.csv", "\ufeffkey,title,kind\nPT-1,Login,bug\n") == "csv"


@pytest.mark.parametrize(
    "text",
    [
        "name,age\nmaya,31\n",
        "just a sentence, with a comma\n",
        '{"format": "something-else"}',
        '[{"id": 1, "name": "not an issue"}]',
    ],
)
def test_detect_refuses_other_files_naming_the_formats(text: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        readers.detect("data.txt", text)
    message = str(raised.value)
    assert "data.txt" in message
    assert "jira-csv, github-json, linear-csv, csv and json" in message
    assert "pass --format" in message


def test_detect_says_when_json_holds_a_number_too_long_to_read() -> None:
    with pytest.raises(InvalidInput, match="not JSON a reader can follow"):
        readers.detect("issues.json", '[{"number": 1' + "0" * 5_000 + ', "title": "x"}]')


def test_detect_says_when_json_does_not_parse() -> None:
    with pytest.raises(InvalidInput, match=r"starts like JSON but is not JSON \(line 2"):
        readers.detect("issues.json", '[{"number": 1,\n "title": }]')


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\ufeff"])
def test_detect_says_an_empty_file_is_empty(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"empty\.json is empty"):
        readers.detect("empty.json", text)


def test_read_refuses_formats_it_does_not_read() -> None:
    with pytest.raises(InvalidInput, match="workspace import"):
        readers.read("{}", "json")
    with pytest.raises(InvalidInput, match="no import format 'xlsx'"):
        readers.read("", "xlsx")


def test_reading_leaves_the_garbage_collector_as_it_was() -> None:
    assert gc.isenabled()
    readers.read(fixture_text("jira_cloud.csv"), "jira-csv")
    assert gc.isenabled()
    gc.disable()
    try:
        readers.read(fixture_text("jira_cloud.csv"), "jira-csv")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_formats_are_the_cli_names() -> None:
    assert readers.FORMATS == ("jira-csv", "github-json", "linear-csv", "csv", "json")


# --- Jira -----------------------------------------------------------------------------------


def test_jira_cloud_export_with_repeated_columns_in_any_order() -> None:
    parsed = read_fixture("jira_cloud.csv", "jira-csv")

    assert parsed.format == "jira-csv"
    assert parsed.problems == ()
    assert parsed.rows == 5
    assert [item.external_key for item in parsed.items] == [
        "SHOP-1",
        "SHOP-2",
        "SHOP-3",
        "SHOP-4",
        "SHOP-5",
    ]
    items = by_key(parsed)
    epic = items["SHOP-1"]
    assert epic.title == "Checkout redesign"
    assert (epic.kind, epic.status, epic.line) == (ItemKind.EPIC, ItemStatus.IN_PROGRESS, 2)
    assert epic.description == (
        'Make checkout one page.\n\nGoals:\n- fewer steps\n- keep the "Pay" button above the fold'
    )
    assert epic.tags == ("checkout", "Web")
    assert (epic.source, epic.external_url, epic.parent, epic.estimate) == ("jira", "", None, None)

    story = items["SHOP-2"]
    assert story.title == "Guest checkout without an account"
    assert (story.kind, story.status, story.line) == (ItemKind.STORY, ItemStatus.NEW, 7)
    # Three Labels columns (first, middle, last) and two Component/s columns.
    assert story.tags == ("checkout", "mobile", "q3-goal", "Web", "Payments API")
    assert story.estimate == 5.0  # from Custom field (Story point estimate)
    assert story.parent == "SHOP-1"  # Parent held the epic's issue id, 10001
    assert story.description == (
        "As a first-time buyer I want to pay without creating an account.\n"
        "\n"
        "Comments\n"
        "\n"
        "- maya, 2025-07-14 15:42: Legal wants the terms checkbox kept.\n"
        "- ravi, 2025-07-15 09:05: Agreed; keep it\n"
        "  but make it smaller."
    )

    bug = items["SHOP-3"]
    assert (bug.kind, bug.status, bug.line) == (ItemKind.BUG, ItemStatus.READY, 9)
    assert bug.estimate == 2.0  # from Custom field (Story Points)
    assert bug.parent == "SHOP-1"  # Parent held the key
    assert bug.description.splitlines()[2] == '2. See "ERR_CARD_DECLINED, code=51"'
    assert "\r" not in bug.description

    subtask = items["SHOP-4"]
    assert (subtask.kind, subtask.status, subtask.line) == (ItemKind.CHORE, ItemStatus.DONE, 14)
    assert subtask.parent == "SHOP-2"
    assert subtask.tags == ()

    spike = items["SHOP-5"]
    assert (spike.kind, spike.status, spike.estimate) == (ItemKind.SPIKE, ItemStatus.WONT_DO, 0.5)
    assert spike.description.endswith(
        "- 557058:f58131cb-b67d-43c7-b30d-6b58d40bd077, 2025-06-06 00:01: Parked until Q4."
    )


def test_jira_server_export_with_epic_link_and_parent_ids() -> None:
    parsed = read_fixture("jira_server.csv", "jira-csv")

    assert parsed.problems == ()
    items = by_key(parsed)
    # The sub-task comes before its parent: the id is turned into a key all the same.
    assert items["CAT-21"].parent == "CAT-20"
    assert items["CAT-21"].kind == ItemKind.CHORE
    assert items["CAT-21"].status == ItemStatus.DONE
    assert items["CAT-21"].estimate == 1.0
    assert items["CAT-21"].tags == ("db", "Search")
    assert items["CAT-21"].description == (
        "Comments\n\n- lee, 2025-07-16 16:12: Index added, p95 now 300 ms"
    )
    assert items["CAT-20"].parent == "CAT-10"  # Custom field (Epic Link)
    assert (items["CAT-20"].kind, items["CAT-20"].status) == (ItemKind.BUG, ItemStatus.NEW)
    assert items["CAT-20"].estimate == 3.0
    assert items["CAT-10"].status == ItemStatus.IN_PROGRESS  # In Review
    # A parent id that no row in the file has cannot become a key.
    assert items["CAT-22"].parent is None
    assert items["CAT-22"].status == ItemStatus.DONE  # Resolved
    assert [item.value for item in parsed.items] == [None, None, None, None]


def test_jira_broken_rows_are_reported_by_file_line_and_left_out() -> None:
    parsed = read_fixture("jira_broken.csv", "jira-csv")

    assert problems_of(parsed) == [
        (4, "Summary", "the title is empty"),
        (5, "Custom field (Story Points)", "story points 'abc' is not a number"),
        (6, "", "a row has 5 cells where the header has 7"),
        (7, "Issue key", "the issue key 'SHOP-40' is already used on line 2"),
        (11, "Custom field (Story Points)", "story points '-2' is below 0"),
    ]
    assert [(item.line, item.external_key) for item in parsed.items] == [
        (2, "SHOP-40"),
        (8, "SHOP-45"),
    ]
    assert by_key(parsed)["SHOP-45"].description == "Seen on\nthree\ninvoices"
    assert parsed.rows == 7  # the trailing blank lines are not rows
    assert parsed.problems[0].describe() == "line 4, column Summary: the title is empty"


def test_jira_row_with_a_quote_left_open_is_reported_on_its_first_line() -> None:
    text = (
        "Summary,Issue key,Description\n"
        "Fine,SHOP-1,ok\n"
        'Broken,SHOP-2,"never closed\n'
        "Lost,SHOP-3,swallowed\n"
    )
    parsed = readers.read(text, "jira-csv")
    assert [item.external_key for item in parsed.items] == ["SHOP-1"]
    assert problems_of(parsed) == [(3, "", "a quote opened in this row is never closed")]


def test_jira_quoted_cell_with_text_after_its_closing_quote() -> None:
    text = 'Summary,Issue key\n"Half" quoted,SHOP-1\nGood,SHOP-2\n'
    parsed = readers.read(text, "jira-csv")
    assert [item.external_key for item in parsed.items] == ["SHOP-2"]
    assert parsed.problems[0].line == 2
    assert "text after its closing quote" in parsed.problems[0].message


def test_jira_ragged_row_that_runs_over_lines_hints_at_a_quote() -> None:
    text = 'Summary,Issue key,Description\nOne,SHOP-1,"a\nb",extra\n'
    parsed = readers.read(text, "jira-csv")
    assert problems_of(parsed) == [
        (
            2,
            "",
            "a row has 4 cells where the header has 3 (it runs on to line 3: is a quote left open?)",
        )
    ]


def test_jira_file_saved_with_windows_line_ends_everywhere() -> None:
    text = (
        "Summary,Issue key,Description\r\n"
        '"Export button",SHOP-1,"First line\r\nsecond line"\r\n'
        ",SHOP-2,no title\r\n"
    )
    parsed = readers.read(text, "jira-csv")
    assert [(item.line, item.description) for item in parsed.items] == [
        (2, "First line\nsecond line")
    ]
    assert problems_of(parsed) == [(4, "Summary", "the title is empty")]


def test_jira_issue_id_stands_in_for_a_missing_key() -> None:
    parsed = readers.read("Issue id,Summary\n10001,No key column here\n", "jira-csv")
    assert [(item.external_key, item.title) for item in parsed.items] == [
        ("10001", "No key column here")
    ]


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("Issue key,Status\nSHOP-1,Open\n", "Summary", "there is no Summary column"),
        ("Summary,Status\nLogin,Open\n", "Issue key", "neither an Issue key nor an Issue id"),
    ],
)
def test_jira_without_a_needed_column_is_a_file_problem(
    text: str, column: str, message: str
) -> None:
    parsed = readers.read(text, "jira-csv")
    assert parsed.items == ()
    assert len(parsed.problems) == 1
    assert (parsed.problems[0].line, parsed.problems[0].column) == (0, column)
    assert message in parsed.problems[0].message


def test_github_json_read_as_jira_csv_is_a_file_problem() -> None:
    parsed = readers.read(fixture_text("github_issues.json"), "jira-csv")
    assert parsed.items == ()
    assert problems_of(parsed) == [
        (0, "", "the file holds JSON, not CSV: pass --format github-json")
    ]


@pytest.mark.parametrize("fmt", ["jira-csv", "linear-csv", "csv", "github-json"])
def test_an_empty_file_is_a_file_problem(fmt: str) -> None:
    parsed = readers.read("", fmt)
    assert parsed.items == ()
    assert problems_of(parsed) == [(0, "", "the file is empty")]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("jira_cloud.csv", "jira-csv"),
        ("linear_34.csv", "linear-csv"),
        ("backlog.csv", "csv"),
    ],
)
def test_a_header_only_file_has_nothing_to_import_and_nothing_wrong(name: str, fmt: str) -> None:
    header_line = fixture_text(name).splitlines()[0]
    parsed = readers.read(header_line + "\r\n\r\n", fmt)
    assert parsed == Parsed(format=fmt, items=(), problems=(), rows=0)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("14/Jul/25 3:42 PM", datetime(2025, 7, 14, 15, 42)),
        ("01/Jan/25 12:05 AM", datetime(2025, 1, 1, 0, 5)),
        ("31/Dec/24 12:00 PM", datetime(2024, 12, 31, 12, 0)),
        ("14/jul/2025 15:42", datetime(2025, 7, 14, 15, 42)),
        ("2025-07-17T08:30:00", datetime(2025, 7, 17, 8, 30)),
        ("31/Feb/25 1:00 PM", None),
        ("14/Jui/25 3:42 PM", None),
        ("13:42 PM", None),
        ("yesterday", None),
    ],
)
def test_jira_dates(cell: str, written: datetime | None) -> None:
    assert parse_jira_date(cell) == written


def test_jira_comment_cells_in_other_shapes_are_kept() -> None:
    assert comment_line("just a remark") == "- just a remark"
    assert comment_line("gestern 15:42;maya;hi") == "- maya, gestern 15:42: hi"
    assert comment_line("14/Jul/25 3:42 PM;;no author") == "- 2025-07-14 15:42: no author"


def test_jira_progress_is_reported_every_thousand_rows_and_at_the_end() -> None:
    lines = ["Summary,Issue key,Custom field (Story Points)"]
    lines += [f"Item {number},SHOP-{number},{number % 13}" for number in range(1, 2_501)]
    seen: list[int] = []
    parsed = readers.read("\n".join(lines), "jira-csv", progress=seen.append)
    assert seen == [1_000, 2_000, 2_500]
    assert len(parsed.items) == 2_500
    assert parsed.items[-1].line == 2_501
    assert parsed.items[-1].estimate == 2_500 % 13


def test_jira_too_long_description_is_a_problem_not_a_crash() -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Summary", "Issue key", "Description"])
    writer.writerow(["Huge", "SHOP-1", "x" * 100_001])
    writer.writerow(["Small", "SHOP-2", "fine"])
    parsed = readers.read(buffer.getvalue(), "jira-csv")
    assert [item.external_key for item in parsed.items] == ["SHOP-2"]
    assert problems_of(parsed) == [
        (2, "Description", "the description is longer than 100,000 characters")
    ]


# --- GitHub ---------------------------------------------------------------------------------


def test_github_issues_with_estimate_labels_and_milestones() -> None:
    parsed = read_fixture("github_issues.json", "github-json")

    assert parsed.problems == ()
    assert parsed.rows == 4
    assert [item.external_key for item in parsed.items] == [
        "acme/reports#412",
        "acme/reports#400",
        "acme/reports#401",
        "acme/reports#388",
    ]
    items = by_key(parsed)

    export_bug = items["acme/reports#412"]
    assert export_bug.title == "CSV export times out for large reports"
    assert (export_bug.kind, export_bug.status, export_bug.estimate) == (
        ItemKind.BUG,
        ItemStatus.NEW,
        5.0,
    )
    assert export_bug.tags == ("area/export", "milestone:v2.4 — July release")
    assert export_bug.external_url == "https://github.com/acme/reports/issues/412"
    assert export_bug.source == "github"
    assert export_bug.line == 1
    assert export_bug.description.startswith("Exports over 50 MB time out.\n\n### Steps\n")
    assert "\r" not in export_bug.description

    epic = items["acme/reports#400"]
    assert (epic.kind, epic.estimate, epic.line) == (ItemKind.EPIC, 13.0, 2)
    assert epic.tags == ("milestone:v2.4 — July release",)

    closed = items["acme/reports#401"]
    assert closed.title == "Cron syntax help text [beta]"
    assert (closed.kind, closed.status, closed.estimate) == (ItemKind.STORY, ItemStatus.DONE, 3.0)
    assert closed.tags == ("good first issue", "area/export")

    plain = items["acme/reports#388"]
    assert (plain.description, plain.estimate, plain.tags) == ("", None, ())


def test_github_closed_as_not_planned_is_wont_do() -> None:
    record = {"number": 9, "title": "Won't fix", "state": "CLOSED", "stateReason": "NOT_PLANNED"}
    parsed = readers.read(json.dumps([record]), "github-json")
    assert parsed.items[0].status == ItemStatus.WONT_DO


def test_github_label_that_merely_starts_like_points_is_a_tag() -> None:
    record = {"number": 9, "title": "x", "labels": [{"name": "sp-frontend"}, {"name": "pts=2"}]}
    parsed = readers.read(json.dumps([record]), "github-json")
    assert (parsed.items[0].tags, parsed.items[0].estimate) == (("sp-frontend",), 2.0)


def test_github_bad_records_are_reported_by_record_number() -> None:
    records = [
        {"number": 1, "title": "Good"},
        {"number": 2},
        {"title": "No number"},
        "not an object",
        {"number": "4", "title": "Number as text"},
        {"number": 5, "title": "   "},
        {"number": 6, "title": "Labels wrong", "labels": "bug"},
        {"number": 7, "title": "Body wrong", "body": 12},
        {"number": 1, "title": "Same number again"},
        {"number": 10, "title": "Good too", "labels": ["estimate: 8", {"name": "ui"}]},
    ]
    parsed = readers.read(json.dumps(records, indent=2), "github-json")

    assert [(item.line, item.external_key, item.estimate) for item in parsed.items] == [
        (1, "#1", None),
        (10, "#10", 8.0),
    ]
    assert problems_of(parsed) == [
        (2, "title", "the title is missing"),
        (3, "number", "the number is missing"),
        (4, "", "the record is not an object with an issue's fields"),
        (5, "number", 'the number "4" is not a positive whole number'),
        (6, "title", "the title is empty"),
        (7, "labels", "the labels are not a list"),
        (8, "body", "the body is not text"),
        (9, "number", "the issue number '#1' is already used on line 1"),
    ]
    assert parsed.rows == 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"number": 1, "title": "x"}', "the file holds an object, not a list of issues"),
        ("42", "the file holds a single value, not a list of issues"),
        ("Summary,Issue key\nLogin,SHOP-1\n", "the file is not JSON (line 1, column 1"),
        (
            '[{"number": 1, "title": "x"}',
            "the file is not JSON (line 1, column 29: Expecting ',' delimiter)",
        ),
        ("[" * 100_000, "the file is not JSON"),
        ('[{"number": 1' + "0" * 5_000 + ', "title": "x"}]', "the file is not JSON a reader"),
    ],
)
def test_github_file_that_is_no_list_of_issues(text: str, message: str) -> None:
    parsed = readers.read(text, "github-json")
    assert parsed.items == ()
    assert parsed.problems[0].line == 0
    assert parsed.problems[0].message.startswith(message)


# --- Linear ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["linear_30.csv", "linear_34.csv"])
def test_linear_export_in_both_shapes(name: str) -> None:
    parsed = read_fixture(name, "linear-csv")

    assert parsed.problems == ()
    assert parsed.rows == 5
    assert [item.external_key for item in parsed.items] == [
        "ENG-7",
        "ENG-8",
        "ENG-9",
        "ENG-10",
        "DES-3",
    ]
    items = by_key(parsed)
    offline = items["ENG-7"]
    assert offline.title == "Offline mode for the field app"
    assert offline.description == (
        "Field staff lose signal in basements.\n\n## Scope\n- read-only cached jobs\n- queue edits"
    )
    assert (offline.status, offline.estimate, offline.value) == (ItemStatus.IN_PROGRESS, 8.0, 8)
    assert offline.tags == ("Feature", "Mobile")
    assert (offline.source, offline.external_url, offline.parent, offline.line) == (
        "linear",
        "",
        None,
        2,
    )

    sync_bug = items["ENG-8"]
    assert sync_bug.line == 7
    assert (sync_bug.kind, sync_bug.status, sync_bug.value) == (ItemKind.BUG, ItemStatus.NEW, 10)
    assert sync_bug.tags == ("Mobile", "sync")
    assert sync_bug.parent == "ENG-7"

    assert (items["ENG-9"].status, items["ENG-9"].value) == (ItemStatus.DONE, 3)
    dropped = items["ENG-10"]
    assert (dropped.status, dropped.value, dropped.estimate, dropped.tags) == (
        ItemStatus.WONT_DO,
        None,
        None,
        (),
    )
    icons = items["DES-3"]
    assert (icons.status, icons.value, icons.tags) == (ItemStatus.NEW, 5, ("Design system",))


def test_linear_bad_rows() -> None:
    text = (
        "ID,Team,Title,Status,Estimate,Priority,Labels\n"
        "ENG-1,Eng,Fine,Todo,2,Low,api\n"
        "ENG-2,Eng,Estimate in words,Todo,two,Low,\n"
        ",Eng,No id,Todo,,,\n"
        "ENG-4,Eng,,Todo,,,\n"
        "ENG-5,Eng,Too few cells\n"
        "ENG-6,Eng,Custom status,In QA,1e9,High,\n"
    )
    parsed = readers.read(text, "linear-csv")
    assert [item.external_key for item in parsed.items] == ["ENG-1"]
    assert problems_of(parsed) == [
        (3, "Estimate", "the estimate 'two' is not a number"),
        (4, "ID", "the ID is empty"),
        (5, "Title", "the title is empty"),
        (6, "", "a row has 3 cells where the header has 7"),
        (7, "Estimate", "the estimate '1e9' is more than 10,000"),
    ]


def test_linear_without_a_title_column_is_a_file_problem() -> None:
    parsed = readers.read("ID,Team,Name\nENG-1,Eng,Login\n", "linear-csv")
    assert problems_of(parsed) == [
        (0, "Title", "there is no Title column: a Linear export needs it for the titles")
    ]


# --- our own CSV ----------------------------------------------------------------------------


def test_backlog_csv_in_another_column_order() -> None:
    parsed = read_fixture("backlog.csv", "csv")

    assert parsed.problems == ()
    assert parsed.rows == 4
    first, guarded, quoted, keyless = parsed.items

    # Imported from Jira once and exported again: it keeps its Jira identity.
    assert (first.source, first.external_key, first.external_url) == (
        "jira",
        "SHOP-1",
        "https://acme.atlassian.net/browse/SHOP-1",
    )
    assert (first.kind, first.status, first.value, first.estimate) == (
        ItemKind.EPIC,
        ItemStatus.IN_PROGRESS,
        9,
        None,
    )
    assert first.tags == ("checkout", "q3")
    assert first.problem == "Shoppers abandon a 4-step checkout"

    # The exporter's formula guard is taken off again.
    assert guarded.title == "=SUM(A1:A9) shows as text in exports"
    assert guarded.description == "-1 is a valid cell value and must stay text"
    assert guarded.acceptance == "- the cell reads =SUM(A1:A9)\n- no formula runs"
    assert (guarded.source, guarded.external_key, guarded.external_url) == ("csv", "PT-2", "")
    assert (guarded.kind, guarded.estimate, guarded.value) == (ItemKind.BUG, 2.0, 6)
    assert guarded.tags == ("export", "csv")
    assert guarded.parent == "PT-1"
    assert guarded.line == 3

    assert quoted.title == "'Quoted' title keeps its quote"
    assert (quoted.status, quoted.estimate, quoted.line) == (ItemStatus.READY, 0.5, 5)

    assert (keyless.external_key, keyless.status, keyless.kind) == (
        "Research offline sync",
        ItemStatus.WONT_DO,
        ItemKind.SPIKE,
    )


def test_backlog_csv_bad_rows_name_what_is_allowed() -> None:
    text = (
        "key,title,kind,status,value,estimate,tags\n"
        "PT-1,Fine,story,new,5,3,\n"
        "PT-2,Bad kind,feature,new,,,\n"
        "PT-3,Bad status,story,blocked,,,\n"
        "PT-4,Bad value,story,new,11,,\n"
        "PT-5,Value not whole,story,new,2.5,,\n"
        "PT-6,Negative estimate,story,new,,-1,\n"
        "PT-7,Long tag,story,new,,," + "t" * 101 + "\n"
        "PT-1,Same key,story,new,,,\n"
        "PT-9,Ragged\n"
    )
    parsed = readers.read(text, "csv")
    assert [item.external_key for item in parsed.items] == ["PT-1"]
    assert problems_of(parsed) == [
        (3, "kind", "the kind 'feature' is not one of story, bug, chore, spike, epic"),
        (4, "status", "the status 'blocked' is not one of new, ready, in progress, done, won't do"),
        (5, "value", "the value '11' is not a whole number from 1 to 10"),
        (6, "value", "the value '2.5' is not a whole number from 1 to 10"),
        (7, "estimate", "the estimate '-1' is below 0"),
        (
            8,
            "tags",
            "the tag 'ttttttttttttttttttttttttttttttttttttttt…' is longer than 100 characters",
        ),
        (9, "key", "the key 'PT-1' is already used on line 2"),
        (10, "", "a row has 2 cells where the header has 7"),
    ]


def test_backlog_csv_without_a_title_column_is_a_file_problem() -> None:
    parsed = readers.read("key,name\nPT-1,Login\n", "csv")
    assert parsed.problems == (
        Problem(
            line=0,
            column="title",
            message="there is no title column: a backlog CSV needs it for the titles",
        ),
    )


def test_backlog_csv_written_like_the_exporter_reads_back_the_same() -> None:
    tricky = [
        "=1+1",
        "+44 20 7946 0000",
        "-5 °C",
        "@maya",
        "'already quoted",
        "plain",
        "\tindented",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(BACKLOG_COLUMNS)
    for number, text in enumerate(tricky, start=1):
        row = dict.fromkeys(BACKLOG_COLUMNS, "")
        row.update(key=f"PT-{number}", title=text, description=text, tags="a, b")
        writer.writerow([neutral_cell(row[column]) for column in BACKLOG_COLUMNS])
    parsed = readers.read(buffer.getvalue(), "csv")
    assert parsed.problems == ()
    assert [item.title for item in parsed.items] == tricky
    assert [item.description for item in parsed.items] == tricky


@pytest.mark.parametrize(
    ("cell", "kept"),
    [("'=A1", "=A1"), ("'+1", "+1"), ("'-1", "-1"), ("'@x", "@x"), ("'x", "'x"), ("'", "'")],
)
def test_unguarded_takes_off_only_the_formula_guard(cell: str, kept: str) -> None:
    assert unguarded(cell) == kept


# --- no traceback, whatever the file holds --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("jira_cloud.csv", "jira-csv"),
        ("jira_server.csv", "jira-csv"),
        ("github_issues.json", "github-json"),
        ("linear_34.csv", "linear-csv"),
        ("backlog.csv", "csv"),
    ],
)
def test_damaged_files_give_problems_never_exceptions(name: str, fmt: str) -> None:
    original = fixture_text(name)
    randomness = random.Random(f"{name}-{fmt}")
    noise = ['"', ",", "\n", "\r", ";", "[", "{", "}", "]", ":", "x", "'", "é", "-1", "null"]
    for _ in range(300):
        text = list(original)
        for _ in range(randomness.randint(1, 6)):
            spot = randomness.randrange(len(text) + 1)
            if randomness.random() < 0.5 and spot < len(text):
                del text[spot : spot + randomness.randint(1, 20)]
            else:
                text.insert(spot, randomness.choice(noise))
        damaged = "".join(text)
        for any_format in ("jira-csv", "github-json", "linear-csv", "csv"):
            parsed = readers.read(damaged, any_format)
            assert isinstance(parsed, Parsed)
        with contextlib.suppress(InvalidInput):
            assert readers.detect(name, damaged) in readers.FORMATS


def test_a_header_that_is_not_csv_is_a_file_problem() -> None:
    parsed = readers.read('"Summary"x,Issue key\nLogin,SHOP-1\n', "jira-csv")
    assert parsed.items == ()
    assert problems_of(parsed) == [
        (
            0,
            "",
            'the header (line 1) is not CSV: a quoted cell has text after its closing quote (write "" for a quote inside a cell)',
        )
    ]


def test_an_imported_sub_issue_of_a_story_can_be_edited(empty_session) -> None:
    """A Linear sub-issue whose parent is a story could not be saved at all: every save
    said the parent must be an epic (issue 18's trap). The imported parent is kept."""
    from planner_tui.exchange import run
    from planner_tui.services import grooming

    ws = empty_session.workspace
    run.import_file(ws, (FIXTURES / "linear_34.csv").read_bytes(), "linear.csv")
    (child, parent_kind) = ws.query_one(
        """SELECT c.id, p.kind FROM items c JOIN items p ON p.id = c.parent_id
           WHERE c.external_key = 'ENG-8'"""
    )
    assert parent_kind != "epic"
    from planner_tui.domain.models import NewItem

    loaded = grooming.load(empty_session, child)
    original = NewItem(**loaded.model_dump(include=set(NewItem.model_fields)))
    edited = original.model_copy(update={"title": "Sync bug, reworded"})
    grooming.save(empty_session, child, original, edited)  # as the editor saves it
    saved = grooming.load(empty_session, child)
    assert saved.title == "Sync bug, reworded" and saved.parent_key == loaded.parent_key
