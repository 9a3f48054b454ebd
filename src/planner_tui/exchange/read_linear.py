"""Linear's CSV export (the 30- and 34-column shapes) read into imported items.

Columns are found by name, in any order; the columns an item does not need
(team, cycle, project, timestamps, people) are skipped, so both shapes read
alike. How the cells become an item:

- `Title` → title (required). `ID` (`ENG-7`) → external key (required).
- `Status` → status: Backlog, Todo, Triage new; Ready ready; In Progress, In Review
  in progress; Done done; Canceled, Duplicate won't do; a team's own status new.
- `Priority` → value: Urgent 10, High 8, Medium 5, Low 3; No priority (or empty) none.
- `Estimate` → estimate (a number).
- `Labels`, one comma-separated cell → tags. A `Bug` label makes the item a bug
  and is not kept as a tag, as with GitHub labels.
- `Parent issue` (the parent's ID) → parent. `Description` (Markdown) → description.
- `URL`, when a workspace's export has one → external URL.
"""

from __future__ import annotations

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.exchange import ImportedItem, Parsed
from planner_tui.exchange.read_common import (
    ColumnIndex,
    ProgressCallback,
    RowLoop,
    RowProblem,
    build_item,
    check_title,
    clean_tags,
    even_rows,
    file_problem,
    multiline,
    open_csv,
    parse_amount,
)

FORMAT = "linear-csv"
SOURCE = "linear"

_STATUSES = {
    "backlog": ItemStatus.NEW,
    "todo": ItemStatus.NEW,
    "to do": ItemStatus.NEW,
    "triage": ItemStatus.NEW,
    "ready": ItemStatus.READY,
    "in progress": ItemStatus.IN_PROGRESS,
    "in review": ItemStatus.IN_PROGRESS,
    "done": ItemStatus.DONE,
    "canceled": ItemStatus.WONT_DO,
    "cancelled": ItemStatus.WONT_DO,
    "duplicate": ItemStatus.WONT_DO,
}

_VALUES = {"urgent": 10, "high": 8, "medium": 5, "low": 3}

_BUG_LABEL = "bug"


class _LinearColumns:
    """Where the cells an item needs sit in this file's header."""

    def __init__(self, columns: ColumnIndex, title: int, issue_id: int) -> None:
        self.title = title
        self.issue_id = issue_id
        self.status = columns.first("Status")
        self.priority = columns.first("Priority")
        self.estimate = columns.first("Estimate")
        self.labels = columns.first("Labels")
        self.parent = columns.first("Parent issue", "Parent")
        self.description = columns.first("Description")
        self.url = columns.first("URL")
        self.names = columns
        self.by_field = {
            "title": columns.name(title),
            "external_key": columns.name(issue_id),
            "description": columns.name(self.description, "Description"),
            "tags": columns.name(self.labels, "Labels"),
            "parent": columns.name(self.parent, "Parent issue"),
            "external_url": columns.name(self.url, "URL"),
        }


def read_linear_csv(text: str, progress: ProgressCallback | None = None) -> Parsed:
    """Items from a Linear CSV export, and a problem for each row that cannot be one.

    Args:
        text: the whole file, decoded.
        progress: called with the rows read so far, every thousand rows.
    """
    opened = open_csv(text, FORMAT, "Title", "a Linear export")
    if isinstance(opened, Parsed):
        return opened
    table, column_index, title_position = opened
    id_position = column_index.first("ID")
    if id_position is None:
        return file_problem(
            FORMAT, "there is no ID column: a Linear export needs it for the issue keys", "ID"
        )
    columns = _LinearColumns(column_index, title_position, id_position)
    loop = RowLoop(progress)
    for line, cells in even_rows(table, loop):
        try:
            loop.items.append(_item_from_row(columns, cells, line, loop))
        except RowProblem as problem:
            loop.add_problem(line, problem)
    return loop.result(FORMAT, table.problems)


def _item_from_row(
    columns: _LinearColumns, cells: list[str], line: int, loop: RowLoop
) -> ImportedItem:
    """One row as an item.

    Raises:
        RowProblem: a cell is wrong.
    """
    title = check_title(cells[columns.title], columns.by_field["title"])
    issue_id = cells[columns.issue_id].strip()
    if not issue_id:
        raise RowProblem(columns.by_field["external_key"], "the ID is empty")
    loop.claim_key(issue_id, line, columns.by_field["external_key"], "ID")

    status = ItemStatus.NEW
    if columns.status is not None:
        status = _STATUSES.get(cells[columns.status].strip().casefold(), ItemStatus.NEW)
    value = None
    if columns.priority is not None:
        value = _VALUES.get(cells[columns.priority].strip().casefold())
    estimate = None
    if columns.estimate is not None:
        estimate = parse_amount(
            cells[columns.estimate], columns.names.name(columns.estimate), "the estimate"
        )

    kind = ItemKind.STORY
    tags: tuple[str, ...] = ()
    if columns.labels is not None and cells[columns.labels].strip():
        tags = clean_tags(cells[columns.labels].split(","), columns.by_field["tags"])
        if any(tag.casefold() == _BUG_LABEL for tag in tags):
            kind = ItemKind.BUG
            tags = tuple(tag for tag in tags if tag.casefold() != _BUG_LABEL)

    parent = cells[columns.parent].strip() if columns.parent is not None else ""
    return build_item(
        columns.by_field,
        line=line,
        title=title,
        kind=kind,
        status=status,
        description=multiline(cells[columns.description])
        if columns.description is not None
        else "",
        value=value,
        estimate=estimate,
        tags=tags,
        parent=parent or None,
        source=SOURCE,
        external_key=issue_id,
        external_url=cells[columns.url].strip() if columns.url is not None else "",
    )
