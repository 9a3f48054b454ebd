"""Our JSON: lossless. A workspace (or a session or sprint with what it points at) as
every table's columns and rows, so exporting, importing into an empty workspace and
exporting again gives the same document. Documented in docs/json-format.md.

One row per line: the file stays readable and diffs well, and each row is encoded by
the C encoder (an indented `json.dumps` runs in pure Python, several times slower)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from planner_tui.domain.enums import ItemKind, ItemStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.exchange import ImportedItem, Parsed, Problem
from planner_tui.exchange.document import Document, tags_of
from planner_tui.store import exchange as store
from planner_tui.store.restore import restore as restore_tables
from planner_tui.store.schema import SCHEMA_VERSION
from planner_tui.store.workspace import Workspace

FORMAT = "planner-tui"
VERSION = 1
"""The document's own version: it changes only when its shape does."""


def export(
    ws: Workspace,
    scope: str = "workspace",
    scope_id: int | None = None,
    progress: store.Progress | None = None,
) -> str:
    """The document for the whole workspace, or for one session or sprint."""
    return from_dump(store.dump(ws, scope, scope_id, progress=progress), scope, scope_id)


def from_dump(dump: store.Dump, scope: str = "workspace", scope_id: int | None = None) -> str:
    """The JSON text of a dump; `withheld` counts what a running meeting kept out of it."""
    head: dict[str, object] = {
        "format": FORMAT,
        "version": VERSION,
        "schema": SCHEMA_VERSION,
        "scope": {"kind": scope, "id": scope_id} if scope_id is not None else {"kind": scope},
    }
    if dump.withheld.total:
        head["withheld"] = dump.withheld.counts()
    tables = dump.tables
    encode = json.JSONEncoder(ensure_ascii=False).encode  # C-speed; `indent` is pure Python
    parts = ["{"]
    parts += [f" {encode(key)}: {encode(value)}," for key, value in head.items()]
    parts.append(' "tables": {')
    for number, (table, part) in enumerate(tables.items()):
        rows = ",\n    ".join(encode(row) for row in part["rows"])
        parts.append(
            f'  {encode(table)}: {{\n   "columns": {encode(part["columns"])},\n'
            f'   "rows": [{chr(10) + "    " + rows + chr(10) + "   " if rows else ""}]\n  }}'
            + ("," if number < len(tables) - 1 else "")
        )
    parts += [" }", "}"]
    return "\n".join(parts) + "\n"


def load(text: str) -> dict[str, Any]:
    """The document in `text`, checked for shape.

    Raises:
        InvalidInput: not JSON, not ours, or from a newer version.
    """
    try:
        document = json.loads(text)
    except ValueError as error:
        raise InvalidInput(f"the file is not JSON: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput('this JSON is not a planner-tui export (no "format": "planner-tui")')
    if not isinstance(document.get("version"), int) or document["version"] > VERSION:
        raise InvalidInput(
            f"this file is version {document.get('version')!r} of the format; "
            f"this planner reads up to {VERSION}: upgrade planner"
        )
    tables = document.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(part, dict)
        and isinstance(part.get("columns"), list)
        and isinstance(part.get("rows"), list)
        for part in tables.values()
    ):
        raise InvalidInput('the file\'s "tables" are not columns and rows')
    unknown = sorted(set(tables) - set(store.TABLES))
    if unknown:
        raise InvalidInput(f"the file has a table this planner does not know: {unknown[0]}")
    return document


def restore(ws: Workspace, document: dict[str, Any], progress: store.Progress | None = None) -> int:
    """Write the whole document into an empty workspace; returns the rows written."""
    return restore_tables(ws, document["tables"], progress)


def items_of(document: dict[str, Any]) -> Parsed:
    """The document's live items as imported items: for importing into a workspace with work.

    Items keep the source and external key they came with; our own items are matched
    by their key under the source `planner`.
    """
    doc = Document(document["tables"])
    items: list[ImportedItem] = []
    problems: list[Problem] = []
    by_id = {item["id"]: item for item in doc.rows("items")}
    every = sorted(by_id.values(), key=lambda item: (item["deleted_at"] is not None, item["rank"]))
    for number, item in enumerate(every, start=1):
        parent = by_id.get(item["parent_id"]) if item["parent_id"] else None
        for field, kind in (("kind", ItemKind), ("status", ItemStatus)):
            if item.get(field) not in {value.value for value in kind}:
                allowed = ", ".join(value.value for value in kind)
                shown = repr(item.get(field))[:30]
                message = f"item {item.get('key', number)}: {field} {shown} is not one of {allowed}"
                problems.append(Problem(line=0, column="items", message=message))
                break
        else:
            _check(item, number, parent, items, problems)
    return Parsed(format="json", items=tuple(items), problems=tuple(problems), rows=len(items))


def _check(
    item: dict[str, Any],
    number: int,
    parent: dict[str, Any] | None,
    items: list[ImportedItem],
    problems: list[Problem],
) -> None:
    """Build the imported item from a row, or note what is wrong with it."""
    try:
        checked = ImportedItem(
            line=number,
            title=item["title"],
            kind=ItemKind(item["kind"]),
            status=ItemStatus(item["status"]),
            description=item["description"],
            acceptance=item["acceptance"],
            problem=item["problem"],
            value=item["value"],
            estimate=item["estimate"],
            tags=tuple(tags_of(item)),
            parent=_external(parent) if parent else None,
            source=item["source"] or "planner",
            external_key=item["external_key"] or item["key"],
            external_url=item["external_url"],
            metric_name=item.get("metric_name") or "",
            metric_unit=item.get("metric_unit") or "",
            metric_target=item.get("metric_target"),
            metric_actual=item.get("metric_actual"),
            metric_aim=item.get("metric_better") or "",
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = f"item {item.get('key', number)}, {where}: {first.get('msg', 'invalid')}"
        problems.append(Problem(line=0, column="items", message=message[:200]))
    except (ValueError, KeyError, TypeError) as error:
        message = f"item {item.get('key', number)}: {str(error).splitlines()[0][:160]}"
        problems.append(Problem(line=0, column="items", message=message))
    else:
        if item["deleted_at"] is None:
            items.append(checked)


def _external(item: dict[str, Any]) -> str:
    return str(item["external_key"] or item["key"])
