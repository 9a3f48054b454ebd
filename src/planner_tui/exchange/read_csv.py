"""Our own backlog CSV (the columns of `BACKLOG_COLUMNS`), as exported or edited in a spreadsheet.

Columns are found by name in any order; only `title` is required, and columns
we do not know are skipped. How the cells become an item:

- `title`, `problem`, `description`, `acceptance` as written; `parent` → the parent's key.
- `kind` and `status` must be one of our values (empty means story and new).
- `value` a whole number from 1 to 10; `estimate` a number from 0; `tags` comma-separated.
- Where it came from: `source`, `external_key` and `external_url` when the row has both a
  source and an external key (an item imported from Jira and exported again keeps its
  Jira key); otherwise source `csv` and the `key` column as the external key, or the
  title when there is no key.
- `metric` (its name), `metric_unit`, `metric_target`, `metric_actual` (numbers) and
  `metric_aim` (`higher` or `lower`, which way it aims): the success metric. A row
  with no metric name keeps the metric an item already has.
- The exporter puts `'` before a cell that a spreadsheet would run as a formula; that
  `'` is taken off again, and only there, so a title that really starts with `'` stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.exchange import FORMULA_STARTS, ImportedItem, Parsed
from planner_tui.exchange.read_common import (
    ColumnIndex,
    ProgressCallback,
    RowLoop,
    RowProblem,
    build_item,
    check_title,
    clean_tags,
    even_rows,
    multiline,
    open_csv,
    parse_amount,
    parse_number,
    parse_value,
    shown,
)

FORMAT = "csv"
SOURCE = "csv"

E = TypeVar("E", bound=Enum)

_KINDS = {kind.value: kind for kind in ItemKind}
_STATUSES = {status.value: status for status in ItemStatus}
_KIND_NAMES = ", ".join(_KINDS)
_STATUS_NAMES = ", ".join(_STATUSES)

_TEXT_FIELDS = ("problem", "description", "acceptance")
_METRIC_COLUMNS = {
    "metric_name": "metric",
    "metric_unit": "metric_unit",
    "metric_target": "metric_target",
    "metric_actual": "metric_actual",
    "metric_aim": "metric_aim",
}
"""Our metric columns, by the item field each fills."""

MAX_KEY = 200
"""Longest external key an imported item accepts; a title standing in for a key is cut to it."""


def unguarded(cell: str) -> str:
    """A cell without the `'` the exporter adds before formula-like text (`'=SUM(A1)` → `=SUM(A1)`)."""
    if cell[:1] == "'" and cell[1:2] and (cell[1] in FORMULA_STARTS or cell[1] == "'"):
        return cell[1:]
    return cell


class _CsvColumns:
    """Where each of our columns sits in this file's header (None when it is not there)."""

    def __init__(self, columns: ColumnIndex, title: int) -> None:
        self.title = title
        self.key = columns.first("key")
        self.kind = columns.first("kind")
        self.status = columns.first("status")
        self.value = columns.first("value")
        self.estimate = columns.first("estimate")
        self.tags = columns.first("tags")
        self.parent = columns.first("parent")
        self.texts = [(field, columns.first(field)) for field in _TEXT_FIELDS]
        self.source = columns.first("source")
        self.external_key = columns.first("external_key")
        self.external_url = columns.first("external_url")
        self.metric = {field: columns.first(column) for field, column in _METRIC_COLUMNS.items()}
        self.names = columns
        self.by_field = {
            field: columns.name(columns.first(field), field)
            for field in (*_TEXT_FIELDS, "tags", "parent", "source", "external_key", "external_url")
        }
        for field, column in _METRIC_COLUMNS.items():
            self.by_field[field] = columns.name(self.metric[field], column)
        self.by_field["title"] = columns.name(title)
        self.key_name = columns.name(self.key, "key")


def read_backlog_csv(text: str, progress: ProgressCallback | None = None) -> Parsed:
    """Items from our own backlog CSV, and a problem for each row that cannot be one.

    Args:
        text: the whole file, decoded.
        progress: called with the rows read so far, every thousand rows.
    """
    opened = open_csv(text, FORMAT, "title", "a backlog CSV")
    if isinstance(opened, Parsed):
        return opened
    table, column_index, title_position = opened
    columns = _CsvColumns(column_index, title_position)
    loop = RowLoop(progress)
    by_key: dict[str, ImportedItem] = {}
    for line, cells in even_rows(table, loop):
        try:
            item = _item_from_row(columns, cells, line, loop)
        except RowProblem as problem:
            loop.add_problem(line, problem)
        else:
            loop.items.append(item)
            if columns.key is not None and cells[columns.key].strip():
                by_key[cells[columns.key].strip()] = item
    _parents_by_key(loop.items, by_key)
    return loop.result(FORMAT, table.problems)


def _parents_by_key(items: list[ImportedItem], by_key: dict[str, ImportedItem]) -> None:
    """Point each item's parent at the parent row's own key in its source.

    The parent column names the parent by its key in the exporting workspace (`PT-1`);
    when that row came from Jira (`jira`, `SHOP-1`), the importer finds it by the
    latter, so the link is rewritten to it.
    """
    for index, item in enumerate(items):
        parent = by_key.get(item.parent or "")
        same_source = parent is not None and parent.source == item.source
        if parent is not None and same_source and parent.external_key != item.parent:
            items[index] = item.model_copy(update={"parent": parent.external_key})


def _cell(cells: list[str], position: int | None) -> str:
    """The cell at `position` without the formula guard; "" when the column is absent."""
    return "" if position is None else unguarded(cells[position])


def _choice(
    cells: list[str],
    columns: _CsvColumns,
    position: int | None,
    words: Mapping[str, E],
    what: str,
    names: str,
) -> E | None:
    """The enum member a cell names (any case); None for an empty cell.

    Raises:
        RowProblem: the cell names none of them.
    """
    text = _cell(cells, position).strip()
    if not text:
        return None
    found = words.get(text.casefold())
    if found is None:
        raise RowProblem(
            columns.names.name(position), f"the {what} '{shown(text)}' is not one of {names}"
        )
    return found


def _item_from_row(
    columns: _CsvColumns, cells: list[str], line: int, loop: RowLoop
) -> ImportedItem:
    """One row as an item.

    Raises:
        RowProblem: a cell is wrong.
    """
    title = check_title(unguarded(cells[columns.title]), columns.by_field["title"])

    kind = _choice(cells, columns, columns.kind, _KINDS, "kind", _KIND_NAMES) or ItemKind.STORY
    status = (
        _choice(cells, columns, columns.status, _STATUSES, "status", _STATUS_NAMES)
        or ItemStatus.NEW
    )

    value = parse_value(_cell(cells, columns.value), columns.names.name(columns.value))
    estimate = parse_amount(
        _cell(cells, columns.estimate), columns.names.name(columns.estimate), "the estimate"
    )
    tags_text = _cell(cells, columns.tags)
    tags = clean_tags(tags_text.split(","), columns.by_field["tags"]) if tags_text.strip() else ()
    parent = _cell(cells, columns.parent).strip()

    source = _cell(cells, columns.source).strip()
    external_key = _cell(cells, columns.external_key).strip()
    external_url = ""
    key_column, key_what = columns.by_field["external_key"], "external key"
    if source and external_key:
        external_url = _cell(cells, columns.external_url).strip()
    else:
        source = SOURCE
        external_key = _cell(cells, columns.key).strip()
        key_column, key_what = columns.key_name, "key"
        if not external_key:
            external_key = title.strip()[:MAX_KEY]
            key_column, key_what = columns.by_field["title"], "title (the key, as the row has none)"
    loop.claim_key(external_key, line, key_column, key_what, scope=source)

    texts = {field: multiline(_cell(cells, position)) for field, position in columns.texts}
    return build_item(
        columns.by_field,
        line=line,
        title=title,
        kind=kind,
        status=status,
        value=value,
        estimate=estimate,
        tags=tags,
        parent=parent or None,
        source=source,
        external_key=external_key,
        external_url=external_url,
        **texts,
        **_metric(columns, cells),
    )


def _metric(columns: _CsvColumns, cells: list[str]) -> dict[str, object]:
    """The success metric's fields; none when its name is empty (one here is then kept).

    Raises:
        RowProblem: a number is not one, the aim is not higher or lower, or a metric's
            figures are given without its name.
    """
    at = columns.metric
    name = _cell(cells, at["metric_name"]).strip()
    figures = {
        field: parse_number(_cell(cells, at[field]), columns.by_field[field], what)
        for field, what in (("metric_target", "the target"), ("metric_actual", "the actual"))
    }
    aim = _cell(cells, at["metric_aim"]).strip().casefold()
    if aim not in ("", "higher", "lower"):
        raise RowProblem(
            columns.by_field["metric_aim"], f"the aim '{shown(aim)}' is not higher or lower"
        )
    if not name:
        if aim or any(value is not None for value in figures.values()):
            raise RowProblem(
                columns.by_field["metric_name"], "a target, actual or aim needs the metric's name"
            )
        return {}
    return {
        "metric_name": name,
        "metric_unit": _cell(cells, at["metric_unit"]).strip(),
        "metric_aim": aim,
        **figures,
    }
