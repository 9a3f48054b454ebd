"""CSV for spreadsheets: the backlog, the risks, the action items.

Every text cell that a spreadsheet would run as a formula (one starting with `=`,
`+`, `-`, `@`, a tab or a carriage return) starts with `'` instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from planner_tui.domain.exchange import BACKLOG_COLUMNS, FORMULA_STARTS, neutral_cell
from planner_tui.domain.risk import risk_score
from planner_tui.exchange.document import Document, tags_of

RISK_COLUMNS = ("id", "title", "category", "likelihood", "impact", "score", "status",
                "blocking", "item", "sprint", "owner", "mitigation", "follow_up", "raised_by",
                "raised_at", "decided_by", "decided_at", "decision_note", "description")  # fmt: skip
ACTION_COLUMNS = ("id", "text", "owner", "due", "status", "retro", "created_by", "created_at",
                  "decided_by", "decided_at", "review_note")  # fmt: skip


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutral_cell(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _write(columns: tuple[str, ...], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue()


def backlog(doc: Document) -> str:
    """Every live item by rank, in our own CSV's columns (read back by `planner import`).

    Read straight from the rows by column position: at 100,000 items a dictionary per
    row and a function call per cell would be most of the time.
    """
    part = doc.tables["items"]
    at = {name: index for index, name in enumerate(part["columns"])}
    rows = sorted(
        (row for row in part["rows"] if row[at["deleted_at"]] is None),
        key=lambda row: row[at["rank"]],
    )
    keys = {row[at["id"]]: row[at["key"]] for row in part["rows"]}
    text = [at[name] for name in ("title", "problem", "description", "acceptance", "source",
                                  "external_key", "external_url", "metric_name",
                                  "metric_unit")]  # fmt: skip
    starts = (*FORMULA_STARTS, "'")  # as neutral_cell: a typed ' survives the round trip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BACKLOG_COLUMNS)
    for row in rows:
        title, problem, description, acceptance, source, external_key, url, metric, unit = (
            "'" + row[i] if row[i] and row[i].startswith(starts) else row[i] for i in text
        )
        estimate = row[at["estimate"]]
        stored_tags = row[at["tags"]]
        tags = "" if stored_tags == "[]" else ", ".join(tags_of({"tags": stored_tags}))
        writer.writerow(
            (
                row[at["key"]],
                title,
                row[at["kind"]],
                row[at["status"]],
                "" if row[at["value"]] is None else row[at["value"]],
                _number(estimate),
                "'" + tags if tags.startswith(starts) else tags,
                keys.get(row[at["parent_id"]], ""),
                problem,
                description,
                acceptance,
                source,
                external_key,
                url,
                metric or "",
                unit if metric else "",
                _number(row[at["metric_target"]]) if metric else "",
                _number(row[at["metric_actual"]]) if metric else "",
                row[at["metric_better"]] if metric else "",
            )
        )
    return out.getvalue()


def _number(value: float | None) -> object:
    """A number as a spreadsheet cell: empty for none, whole numbers without `.0`."""
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def risks(doc: Document) -> str:
    """Every risk, highest score first."""
    ordered = sorted(
        doc.rows("risks"), key=lambda r: (-risk_score(r["likelihood"], r["impact"]), -r["id"])
    )
    sprint_names = {s["id"]: s["name"] for s in doc.rows("sprints")}
    rows = (
        (
            f"R-{r['id']}",
            r["title"],
            r["category"],
            r["likelihood"],
            r["impact"],
            risk_score(r["likelihood"], r["impact"]),
            r["status"],
            "yes" if r["blocking"] else "no",
            doc.item_key(r["item_id"]),
            sprint_names.get(r["sprint_id"], ""),
            doc.name(r["owner_id"]),
            r["mitigation"],
            r["follow_up"],
            r["raised_by"],
            r["raised_at"],
            r["decided_by"],
            r["decided_at"],
            r["decision_note"],
            r["description"],
        )
        for r in ordered
    )
    return _write(RISK_COLUMNS, rows)


def actions(doc: Document) -> str:
    """Every action item from every retro, oldest first."""
    titles = {}
    for board in doc.rows("retro_boards"):
        session = doc.get("sessions", board["session_id"])
        titles[board["id"]] = session["title"] if session else ""
    rows = (
        (
            a["id"],
            a["text"],
            doc.name(a["owner_id"]),
            a["due_date"],
            a["status"],
            titles.get(a["board_id"], ""),
            a["created_by"],
            a["created_at"],
            a["decided_by"],
            a["decided_at"],
            a["review_note"],
        )
        for a in doc.rows("action_items")
    )
    return _write(ACTION_COLUMNS, rows)
