"""Jira's CSV export, as the issue navigator downloads it, read into imported items.

Columns are found by name, in any order; Jira repeats a column (`Labels`,
`Sprint`, `Component/s`, `Comment`) as often as one issue needs, so every copy
is read. How the cells become an item:

- `Summary` → title (required). `Issue key` → external key (`Issue id` when a row has no key).
- `Issue Type` → kind: Story story; Bug bug; Task, Sub-task, Subtask chore; Spike spike;
  Epic epic; any other type story.
- `Status` → status: To Do, Open, Backlog, New new; Selected for Development, Ready ready;
  In Progress, In Review in progress; Done, Closed, Resolved done; Won't Do, Won't Fix,
  Cancelled, Rejected won't do; any other status new.
- `Priority` → value, since Jira has no value field and priority is the team's own
  ranking of worth: Highest/Blocker 10, High/Critical 8, Medium/Major 5, Low/Minor 3,
  Lowest/Trivial 1.
- `Custom field (Story Points)` or `Custom field (Story point estimate)`, the first that
  is filled → estimate.
- Every `Labels` cell (its words) and every `Component/s` cell → tags.
- The parent: `Parent`, else `Custom field (Epic Link)`, else `Parent id`. Jira Cloud
  writes the parent's issue id under `Parent`, older sites its key; an id is turned
  into a key through the `Issue id` and `Issue key` of the rows in the same file (an
  id not in the file leaves the item without a parent).
- `Description`, then each `Comment` cell (`date;author;text`) as a list under a
  "Comments" heading → description. Dates like `14/Jul/25 3:42 PM` are written as
  `2025-07-14 15:42`; a date in another shape is kept as it was.
- `URL` or `Issue URL`, which Jira does not write but some sites add → external URL.

Sprints, people, dates and time tracking are not part of a backlog item and are skipped.
"""

from __future__ import annotations

import re
from datetime import datetime

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.exchange import ImportedItem, Parsed
from planner_tui.exchange.read_common import (
    ColumnIndex,
    CsvTable,
    ProgressCallback,
    RowLoop,
    RowProblem,
    build_item,
    check_title,
    clean_tags,
    file_problem,
    looks_like_json,
    multiline,
    parse_amount,
    ragged_message,
)

FORMAT = "jira-csv"
SOURCE = "jira"

_KINDS = {
    "story": ItemKind.STORY,
    "bug": ItemKind.BUG,
    "task": ItemKind.CHORE,
    "sub-task": ItemKind.CHORE,
    "subtask": ItemKind.CHORE,
    "spike": ItemKind.SPIKE,
    "epic": ItemKind.EPIC,
}

_STATUSES = {
    "to do": ItemStatus.NEW,
    "open": ItemStatus.NEW,
    "backlog": ItemStatus.NEW,
    "new": ItemStatus.NEW,
    "selected for development": ItemStatus.READY,
    "ready": ItemStatus.READY,
    "in progress": ItemStatus.IN_PROGRESS,
    "in review": ItemStatus.IN_PROGRESS,
    "done": ItemStatus.DONE,
    "closed": ItemStatus.DONE,
    "resolved": ItemStatus.DONE,
    "won't do": ItemStatus.WONT_DO,
    "won't fix": ItemStatus.WONT_DO,
    "cancelled": ItemStatus.WONT_DO,
    "canceled": ItemStatus.WONT_DO,
    "rejected": ItemStatus.WONT_DO,
}

_VALUES = {
    "highest": 10,
    "blocker": 10,
    "high": 8,
    "critical": 8,
    "medium": 5,
    "major": 5,
    "low": 3,
    "minor": 3,
    "lowest": 1,
    "trivial": 1,
}

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}

_JIRA_DATE = re.compile(
    r"(\d{1,2})/([A-Za-z]{3})/(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?"
)
"""Jira's default date-time shape, `14/Jul/25 3:42 PM` (seconds and AM/PM optional)."""


def parse_jira_date(text: str) -> datetime | None:
    """A date-time as Jira writes it (`14/Jul/25 3:42 PM`) or in ISO form; None for anything else.

    Month names are read as English whatever the machine's locale, because
    `strptime("%b")` would follow the locale.
    """
    text = text.strip()
    match = _JIRA_DATE.fullmatch(text)
    if match is None:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    day, month_name, year, hour, minute, second, half_day = match.groups()
    month = _MONTHS.get(month_name.casefold())
    if month is None:
        return None
    hour_number = int(hour)
    if half_day:
        if not 1 <= hour_number <= 12:
            return None
        hour_number = hour_number % 12 + (12 if half_day.casefold() == "pm" else 0)
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return datetime(full_year, month, int(day), hour_number, int(minute), int(second or 0))
    except ValueError:
        return None


def comment_line(cell: str) -> str:
    """One `Comment` cell (`date;author;text`) as a list entry: `- author, 2025-07-14 15:42: text`."""
    parts = multiline(cell).split(";", 2)
    if len(parts) < 3:
        body, heading = parts[-1] if len(parts) == 1 else ";".join(parts), ""
    else:
        when_text, author, body = parts
        when = parse_jira_date(when_text)
        shown_when = when.strftime("%Y-%m-%d %H:%M") if when else when_text.strip()
        heading = ", ".join(part for part in (author.strip(), shown_when) if part)
    text = body.strip().replace("\n", "\n  ")
    return f"- {heading}: {text}" if heading else f"- {text}"


class _JiraColumns:
    """Where the cells an item needs sit in this file's header."""

    def __init__(self, columns: ColumnIndex) -> None:
        self.title = columns.first("Summary")
        self.key = columns.first("Issue key")
        self.issue_id = columns.first("Issue id")
        self.key_name = columns.name(self.key, columns.name(self.issue_id, "Issue key"))
        self.kind = columns.first("Issue Type")
        self.status = columns.first("Status")
        self.priority = columns.first("Priority")
        self.description = columns.first("Description")
        self.url = columns.first("URL", "Issue URL")
        self.labels = columns.every("Labels")
        self.components = columns.every("Component/s", "Components")
        self.comments = columns.every("Comment")
        self.story_points = columns.every(
            "Custom field (Story Points)", "Custom field (Story point estimate)"
        )
        parent_columns = ("Parent", "Custom field (Epic Link)", "Parent id")
        self.parents = [
            position
            for position in (columns.first(name) for name in parent_columns)
            if position is not None
        ]
        self.by_field = {
            "title": columns.name(self.title, "Summary"),
            "external_key": self.key_name,
            "description": columns.name(self.description, "Description"),
            "external_url": columns.name(self.url, "URL"),
            "tags": "Labels",
            "parent": columns.name(self.parents[0] if self.parents else None, "Parent"),
        }
        self.names = columns


def read_jira_csv(text: str, progress: ProgressCallback | None = None) -> Parsed:
    """Items from a Jira CSV export, and a problem for each row that cannot be one.

    Args:
        text: the whole file, decoded.
        progress: called with the rows read so far, every thousand rows.
    """
    if looks_like_json(text):
        return file_problem(FORMAT, "the file holds JSON, not CSV: pass --format github-json")
    table = CsvTable(text)
    missing = table.read_header()
    if missing:
        return file_problem(FORMAT, missing)
    columns = _JiraColumns(table.column_index())
    if columns.title is None:
        return file_problem(
            FORMAT, "there is no Summary column: a Jira export needs it for the titles", "Summary"
        )
    if columns.key is None and columns.issue_id is None:
        return file_problem(
            FORMAT,
            "there is neither an Issue key nor an Issue id column: a Jira export needs one",
            "Issue key",
        )
    header_width = len(table.header)
    loop = RowLoop(progress)
    keys_by_id: dict[str, str] = {}
    parent_ids_to_resolve: list[tuple[int, str]] = []
    for line, cells in table.rows():
        loop.count_row()
        if len(cells) != header_width:
            message = ragged_message(len(cells), header_width, line, table.last_line)
            loop.add_problem(line, RowProblem("", message))
            continue
        try:
            item, parent_id = _item_from_row(columns, cells, line, loop, keys_by_id)
        except RowProblem as problem:
            loop.add_problem(line, problem)
            continue
        if parent_id:
            parent_ids_to_resolve.append((len(loop.items), parent_id))
        loop.items.append(item)
    for position, parent_id in parent_ids_to_resolve:
        parent_key = keys_by_id.get(parent_id)
        if parent_key:
            loop.items[position] = loop.items[position].model_copy(update={"parent": parent_key})
    return loop.result(FORMAT, table.problems)


def _item_from_row(
    columns: _JiraColumns,
    cells: list[str],
    line: int,
    loop: RowLoop,
    keys_by_id: dict[str, str],
) -> tuple[ImportedItem, str]:
    """One row as an item, and the parent's issue id when only that is known yet.

    Raises:
        RowProblem: a cell is wrong.
    """
    issue_key = cells[columns.key].strip() if columns.key is not None else ""
    issue_id = cells[columns.issue_id].strip() if columns.issue_id is not None else ""
    if issue_key and issue_id:
        keys_by_id[issue_id] = issue_key
    title = check_title(cells[columns.title], columns.by_field["title"])  # type: ignore[index]
    external_key = issue_key or issue_id
    if not external_key:
        raise RowProblem(columns.key_name, "the issue key is empty")
    loop.claim_key(external_key, line, columns.key_name, "issue key")

    kind = ItemKind.STORY
    if columns.kind is not None:
        kind = _KINDS.get(cells[columns.kind].strip().casefold(), ItemKind.STORY)
    status = ItemStatus.NEW
    if columns.status is not None:
        status = _STATUSES.get(cells[columns.status].strip().casefold(), ItemStatus.NEW)
    value = None
    if columns.priority is not None:
        value = _VALUES.get(cells[columns.priority].strip().casefold())

    estimate = None
    for position in columns.story_points:
        if cells[position].strip():
            estimate = parse_amount(cells[position], columns.names.name(position), "story points")
            break

    tags: tuple[str, ...] = ()
    if columns.labels or columns.components:
        words = [word for position in columns.labels for word in cells[position].split()]
        words.extend(cells[position] for position in columns.components)
        tags = clean_tags(words, "Labels")

    parent_ref = ""
    for position in columns.parents:
        parent_ref = cells[position].strip()
        if parent_ref:
            break
    parent_id = ""
    if parent_ref.isascii() and parent_ref.isdigit():
        parent_id, parent_ref = parent_ref, ""

    description = multiline(cells[columns.description]) if columns.description is not None else ""
    comments = [comment_line(cells[position]) for position in columns.comments if cells[position]]
    if comments:
        heading = "Comments\n\n" + "\n".join(comments)
        description = f"{description.rstrip()}\n\n{heading}" if description.strip() else heading

    item = build_item(
        columns.by_field,
        line=line,
        title=title,
        kind=kind,
        status=status,
        description=description,
        value=value,
        estimate=estimate,
        tags=tags,
        parent=parent_ref or None,
        source=SOURCE,
        external_key=external_key,
        external_url=cells[columns.url].strip() if columns.url is not None else "",
    )
    return item, parent_id
