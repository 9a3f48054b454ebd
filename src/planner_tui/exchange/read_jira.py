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

Sprints, people, dates and time tracking are not part of a backlog item and are
skipped. `Priority` is not read as the value: every Jira issue has one (Medium unless
someone changed it), so it would give every item a value nobody chose.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import ValidationError

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.exchange import ImportedItem, Parsed
from planner_tui.exchange.read_common import (
    ColumnIndex,
    CsvTable,
    ProgressCallback,
    RowLoop,
    RowProblem,
    clean_tags,
    file_problem,
    looks_like_json,
    model_problem,
    multiline,
    parse_amount,
    ragged_message,
    shown,
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
        body, heading = ";".join(parts), ""
    else:
        when_text, author, body = parts
        when = parse_jira_date(when_text)
        shown_when = when.strftime("%Y-%m-%d %H:%M") if when else when_text.strip()
        heading = ", ".join(part for part in (author.strip(), shown_when) if part)
    text = body.strip().replace("\n", "\n  ")
    return f"- {heading}: {text}" if heading else f"- {text}"


class _JiraColumns:
    """Where the cells an item needs sit in this file's header."""

    def __init__(self, columns: ColumnIndex, title: int) -> None:
        self.title = title
        self.key = columns.first("Issue key")
        self.issue_id = columns.first("Issue id")
        self.key_name = columns.name(self.key, columns.name(self.issue_id, "Issue key"))
        self.kind = columns.first("Issue Type")
        self.status = columns.first("Status")
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
            "title": columns.name(title),
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
    column_index = table.column_index()
    title_position = column_index.first("Summary")
    if title_position is None:
        return file_problem(
            FORMAT, "there is no Summary column: a Jira export needs it for the titles", "Summary"
        )
    columns = _JiraColumns(column_index, title_position)
    if columns.key is None and columns.issue_id is None:
        return file_problem(
            FORMAT,
            "there is neither an Issue key nor an Issue id column: a Jira export needs one",
            "Issue key",
        )
    return _read_rows(table, columns, progress)


def _read_rows(table: CsvTable, columns: _JiraColumns, progress: ProgressCallback | None) -> Parsed:
    """The row loop: every cell check written out here, with positions in locals, for speed.

    A 100,000-row export goes through this loop, so it avoids a call per cell
    where a dictionary lookup or a string method does the job.
    """
    header_width = len(table.header)
    loop = RowLoop(progress)
    items = loop.items
    key_lines: dict[str, int] = {}
    keys_by_id: dict[str, str] = {}
    parent_ids_to_resolve: list[tuple[int, str]] = []
    kinds = _KINDS
    statuses = _STATUSES
    title_at, title_name = columns.title, columns.by_field["title"]
    key_at, id_at, key_name = columns.key, columns.issue_id, columns.key_name
    kind_at, status_at, description_at, url_at = (
        columns.kind,
        columns.status,
        columns.description,
        columns.url,
    )
    label_positions, component_positions = columns.labels, columns.components
    comment_positions, point_positions = columns.comments, columns.story_points
    parent_positions = columns.parents
    by_field = columns.by_field
    for line, cells in table.rows():
        loop.count_row()
        if len(cells) != header_width:
            message = ragged_message(len(cells), header_width, line, table.last_line)
            loop.add_problem(line, RowProblem("", message))
            continue
        try:
            issue_key = cells[key_at].strip() if key_at is not None else ""
            issue_id = cells[id_at].strip() if id_at is not None else ""
            if issue_key and issue_id:
                keys_by_id[issue_id] = issue_key
            title = cells[title_at]
            if not title or title.isspace():
                raise RowProblem(title_name, "the title is empty")
            external_key = issue_key or issue_id
            if not external_key:
                raise RowProblem(key_name, "the issue key is empty")
            earlier = key_lines.setdefault(external_key, line)
            if earlier != line:
                message = f"the issue key '{shown(external_key)}' is already used on line {earlier}"
                raise RowProblem(key_name, message)

            kind = ItemKind.STORY
            if kind_at is not None and cells[kind_at]:
                kind = kinds.get(cells[kind_at].strip().casefold(), ItemKind.STORY)
            status = ItemStatus.NEW
            if status_at is not None and cells[status_at]:
                status = statuses.get(cells[status_at].strip().casefold(), ItemStatus.NEW)

            estimate = None
            for position in point_positions:
                if cells[position]:
                    estimate = parse_amount(cells[position], table.header[position], "story points")
                    if estimate is not None:
                        break

            tag_cells = [cells[position] for position in label_positions if cells[position]]
            if tag_cells:
                tag_cells = [word for cell in tag_cells for word in cell.split()]
            tag_cells.extend(cells[position] for position in component_positions if cells[position])
            tags = clean_tags(tag_cells, "Labels") if tag_cells else ()

            parent_ref = ""
            for position in parent_positions:
                parent_ref = cells[position]
                if parent_ref:
                    parent_ref = parent_ref.strip()
                    break
            parent_id = ""
            if parent_ref.isdigit() and parent_ref.isascii():
                parent_id, parent_ref = parent_ref, ""

            description = multiline(cells[description_at]) if description_at is not None else ""
            if comment_positions:
                description = _with_comments(description, cells, comment_positions)

            try:
                item = ImportedItem(
                    line=line,
                    title=title,
                    kind=kind,
                    status=status,
                    description=description,
                    estimate=estimate,
                    tags=tags,
                    parent=parent_ref or None,
                    source=SOURCE,
                    external_key=external_key,
                    external_url=cells[url_at].strip() if url_at is not None else "",
                )
            except ValidationError as error:
                raise model_problem(error, by_field) from None
        except RowProblem as problem:
            loop.add_problem(line, problem)
            continue
        if parent_id:
            parent_ids_to_resolve.append((len(items), parent_id))
        items.append(item)
    for position, parent_id in parent_ids_to_resolve:
        parent_key = keys_by_id.get(parent_id)
        if parent_key:
            items[position] = items[position].model_copy(update={"parent": parent_key})
    return loop.result(FORMAT, table.problems)


def _with_comments(description: str, cells: list[str], comment_positions: list[int]) -> str:
    """The description with the row's comments listed under a "Comments" heading."""
    comments = [comment_line(cells[position]) for position in comment_positions if cells[position]]
    if not comments:
        return description
    heading = "Comments\n\n" + "\n".join(comments)
    return f"{description.rstrip()}\n\n{heading}" if description.strip() else heading
