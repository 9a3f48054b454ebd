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
from operator import itemgetter

from pydantic import ValidationError

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.exchange import ImportedItem, Parsed
from planner_tui.exchange.read_common import (
    MAX_ESTIMATE,
    MAX_TAG,
    ColumnIndex,
    CsvTable,
    ProgressCallback,
    RowLoop,
    RowProblem,
    WordLookup,
    cells_getter,
    clean_tags,
    even_rows,
    file_problem,
    model_problem,
    multiline,
    open_csv,
    parse_amount,
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
        shown_when = f"{when:%Y-%m-%d %H:%M}" if when else when_text.strip()
        heading = ", ".join(part for part in (author.strip(), shown_when) if part)
    text = body.strip().replace("\n", "\n  ")
    return f"- {heading}: {text}" if heading else f"- {text}"


class _JiraColumns:
    """Where the cells an item needs sit in this file's header.

    A column the file lacks points one past the header's last cell, where the row
    loop puts an empty cell, so each row's cells come out in one `itemgetter` call.
    """

    def __init__(self, columns: ColumnIndex, title: int, width: int) -> None:
        def at(*names: str) -> int:
            position = columns.first(*names)
            return width if position is None else position

        self.title = title
        self.key = at("Issue key")
        self.issue_id = at("Issue id")
        self.has_key = self.key != width or self.issue_id != width
        self.key_name = columns.name(columns.first("Issue key", "Issue id"), "Issue key")
        self.kind = at("Issue Type")
        self.status = at("Status")
        self.description = at("Description")
        self.url = at("URL", "Issue URL")
        self.labels = columns.every("Labels")
        self.components = columns.every("Component/s", "Components")
        self.comments = columns.every("Comment")
        self.story_points = columns.every(
            "Custom field (Story Points)", "Custom field (Story point estimate)"
        )
        parent_names = ("Parent", "Custom field (Epic Link)", "Parent id")
        self.parents = [
            position
            for position in (columns.first(name) for name in parent_names)
            if position is not None
        ]
        self.point_names = {position: columns.name(position) for position in self.story_points}
        self.by_field = {
            "title": columns.name(title),
            "external_key": self.key_name,
            "description": columns.name(columns.first("Description"), "Description"),
            "external_url": columns.name(columns.first("URL", "Issue URL"), "URL"),
            "tags": "Labels",
            "parent": columns.name(self.parents[0] if self.parents else None, "Parent"),
        }


def read_jira_csv(text: str, progress: ProgressCallback | None = None) -> Parsed:
    """Items from a Jira CSV export, and a problem for each row that cannot be one.

    Args:
        text: the whole file, decoded.
        progress: called with the rows read so far, every thousand rows.
    """
    opened = open_csv(text, FORMAT, "Summary", "a Jira export")
    if isinstance(opened, Parsed):
        return opened
    table, column_index, title_position = opened
    columns = _JiraColumns(column_index, title_position, len(table.header))
    if not columns.has_key:
        return file_problem(
            FORMAT,
            "there is neither an Issue key nor an Issue id column: a Jira export needs one",
            "Issue key",
        )
    return _read_rows(table, columns, progress)


def _read_rows(table: CsvTable, columns: _JiraColumns, progress: ProgressCallback | None) -> Parsed:
    """The row loop, written for speed: a 100,000-row export goes through it.

    Cells are picked out of a row with `itemgetter`, words are looked up in
    caches, and the item is validated from a dict (cheaper than keyword arguments).
    """
    loop = RowLoop(progress)
    items = loop.items
    key_lines: dict[str, int] = {}
    keys_by_id: dict[str, str] = {}
    parent_ids_to_resolve: list[tuple[int, str]] = []
    kind_of = WordLookup(_KINDS, ItemKind.STORY)
    status_of = WordLookup(_STATUSES, ItemStatus.NEW)
    item_cells = itemgetter(
        columns.title,
        columns.key,
        columns.issue_id,
        columns.kind,
        columns.status,
        columns.description,
        columns.url,
    )
    label_cells = cells_getter(columns.labels)
    component_cells = cells_getter(columns.components)
    comment_cells = cells_getter(columns.comments)
    parent_cells = cells_getter(columns.parents)
    point_positions, point_names = columns.story_points, columns.point_names
    title_name, key_name, by_field = columns.by_field["title"], columns.key_name, columns.by_field
    validate = ImportedItem.model_validate
    for line, cells in even_rows(table, loop):
        cells.append("")
        title, issue_key, issue_id, kind, status, description, url = item_cells(cells)
        try:
            issue_key = issue_key.strip()
            issue_id = issue_id.strip()
            if issue_key and issue_id:
                keys_by_id[issue_id] = issue_key
            if not title or title.isspace():
                raise RowProblem(title_name, "the title is empty")
            external_key = issue_key or issue_id
            if not external_key:
                raise RowProblem(key_name, "the issue key is empty")
            earlier = key_lines.setdefault(external_key, line)
            if earlier != line:
                message = f"the issue key '{shown(external_key)}' is already used on line {earlier}"
                raise RowProblem(key_name, message)

            estimate = None
            for position in point_positions:
                points = cells[position]
                if points:
                    try:
                        estimate = float(points)
                    except ValueError:
                        estimate = None
                    if estimate is None or not 0 <= estimate <= MAX_ESTIMATE:
                        estimate = parse_amount(points, point_names[position], "story points")
                    if estimate is not None:
                        break

            words = " ".join(label_cells(cells)).split()
            for component in component_cells(cells):
                if component:
                    words.append(component.strip())
            tags: tuple[str, ...] = ()
            if words:
                tags = tuple(dict.fromkeys(words))
                if "" in tags or max(map(len, tags)) > MAX_TAG:
                    tags = clean_tags(tags, "Labels")

            parent_ref = next(filter(None, parent_cells(cells)), "").strip()
            parent_id = ""
            if parent_ref.isdigit() and parent_ref.isascii():
                parent_id, parent_ref = parent_ref, ""

            if "\r" in description:
                description = multiline(description)
            comments = comment_cells(cells)
            if any(comments):
                description = _with_comments(description, comments)

            try:
                item = validate(
                    {
                        "line": line,
                        "title": title,
                        "kind": kind_of[kind],
                        "status": status_of[status],
                        "description": description,
                        "estimate": estimate,
                        "tags": tags,
                        "parent": parent_ref or None,
                        "source": SOURCE,
                        "external_key": external_key,
                        "external_url": url.strip(),
                    }
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


def _with_comments(description: str, comment_cells: tuple[str, ...]) -> str:
    """The description with the row's comments listed under a "Comments" heading."""
    comments = "\n".join(comment_line(cell) for cell in comment_cells if cell)
    if not description.strip():
        return f"Comments\n\n{comments}"
    return f"{description.rstrip()}\n\nComments\n\n{comments}"
