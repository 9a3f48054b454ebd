"""Export and import as the command line and the app ask for them: which format, which part."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.exchange import ImportSummary, Parsed, Problem, Withheld
from planner_tui.exchange import csv_format, json_format, markdown
from planner_tui.exchange.document import Document
from planner_tui.store import bulk_import
from planner_tui.store import exchange as store
from planner_tui.store.workspace import Workspace

EXPORT_FORMATS = ("markdown", "json", "csv")
WHATS = ("backlog", "risks", "actions")
SUFFIXES = {"markdown": "md", "json": "json", "csv": "csv"}

Progress = Callable[[int, int | None], None]
"""Told (rows done, rows in all when known): reading counts first, then writing counts on."""


@dataclass(frozen=True)
class Exported:
    """An export's text, and how many hidden values it left out (to say so beside it)."""

    text: str
    withheld: Withheld


def export(
    ws: Workspace,
    fmt: str,
    *,
    session: int | None = None,
    sprint: int | None = None,
    what: str | None = None,
    progress: Progress | None = None,
) -> str:
    """The export's text (see `exported`)."""
    return exported(ws, fmt, session=session, sprint=sprint, what=what, progress=progress).text


def exported(
    ws: Workspace,
    fmt: str,
    *,
    session: int | None = None,
    sprint: int | None = None,
    what: str | None = None,
    progress: Progress | None = None,
) -> Exported:
    """The export, and what it withheld; `progress` hears (rows read, rows in all) for a
    whole-workspace read.

    JSON: the whole workspace, or a session or a sprint (lossless once its meetings
    have revealed or ended). CSV: the backlog (default), the risks or the actions.
    Markdown: a session's or sprint's summary, or the backlog, risks or actions; with
    nothing chosen, the current sprint. Every one reads through `store.dump`, which
    leaves out what a running meeting keeps hidden.

    Raises:
        InvalidInput: a combination that does not exist, or a session or sprint that does not.
    """
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(f"no export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if sum(x is not None for x in (session, sprint, what)) > 1:
        raise InvalidInput("choose one of --session, --sprint and --what")
    if what is not None and what not in WHATS:
        raise InvalidInput(f"--what is one of {', '.join(WHATS)}")
    if fmt == "json":
        if what is not None:
            raise InvalidInput(
                "JSON exports the whole workspace, a --session or a --sprint; "
                "for the backlog alone use --format csv"
            )
        if session is not None:
            dump = store.dump(ws, "session", session)
            return Exported(json_format.from_dump(dump, "session", session), dump.withheld)
        if sprint is not None:
            dump = store.dump(ws, "sprint", sprint)
            return Exported(json_format.from_dump(dump, "sprint", sprint), dump.withheld)
        dump = store.dump(ws, progress=_counted(ws, store.TABLES, progress))
        return Exported(json_format.from_dump(dump), dump.withheld)
    if fmt == "csv":
        if session is not None or sprint is not None:
            raise InvalidInput(
                "CSV exports the backlog, risks or actions (--what); "
                "a session or sprint goes to markdown or json"
            )
        needs = _NEEDS[what or "backlog"]
        doc = _document(ws, tables=needs, progress=_counted(ws, needs, progress))
        writers = {"backlog": csv_format.backlog, "risks": csv_format.risks}
        return Exported(writers.get(what or "backlog", csv_format.actions)(doc), doc.withheld)
    doc, text = _markdown(ws, session, sprint, what, progress)
    return Exported(markdown.page(text), doc.withheld)


def _document(
    ws: Workspace,
    scope: str = "workspace",
    scope_id: int | None = None,
    *,
    tables: tuple[str, ...] = store.TABLES,
    progress: store.Progress | None = None,
) -> Document:
    dump = store.dump(ws, scope, scope_id, tables, progress)
    return Document(dump.tables, dump.withheld)


def _markdown(
    ws: Workspace,
    session: int | None,
    sprint: int | None,
    what: str | None,
    progress: Progress | None,
) -> tuple[Document, str]:
    """The Markdown page asked for, and the document it was drawn from."""
    if session is not None:
        doc = _document(ws, "session", session)
        meeting = doc.get("sessions", session)
        if meeting is not None and meeting["kind"] == "planning" and meeting["sprint_id"]:
            # a planning meeting's summary is its sprint's: capacity, items, risks
            sprint_doc = _document(ws, "sprint", meeting["sprint_id"])
            return sprint_doc, markdown.sprint(sprint_doc, meeting["sprint_id"], meeting)
        return doc, _session_markdown(doc, session)
    if sprint is not None:
        doc = _document(ws, "sprint", sprint)
        return doc, markdown.sprint(doc, sprint)
    needs = _NEEDS[what or "sprint"]
    doc = _document(ws, tables=needs, progress=_counted(ws, needs, progress))
    if what is not None:
        pages = {"backlog": markdown.backlog, "risks": markdown.risks}
        return doc, pages.get(what, markdown.actions)(doc)
    current = _current_sprint(doc)
    return doc, markdown.sprint(doc, current) if current is not None else markdown.backlog(doc)


def _counted(
    ws: Workspace, tables: tuple[str, ...], progress: Progress | None
) -> store.Progress | None:
    """`progress` told the rows in all along with the rows read, or None."""
    if progress is None:
        return None
    total = store.count_rows(ws, tables)

    def told(done: int) -> None:
        progress(done, total)

    return told


_NEEDS = {
    "backlog": ("items",),
    "risks": ("people", "items", "sprints", "risks"),
    "actions": ("people", "sessions", "retro_boards", "action_items"),
    "sprint": ("people", "items", "sprints", "sprint_capacity", "sprint_items",
               "sprint_events", "sessions", "risks"),
}  # fmt: skip
"""The tables each list (and the current sprint's summary) is drawn from."""


def part_lines(ws: Workspace) -> list[str]:
    """The sessions and sprints an export can be limited to, a line each with its id."""
    sessions, sprints = store.exportable_parts(ws)
    lines = ["sessions (--session ID):"]
    lines += [
        f"  {row['id']:>4}  {row['kind']:<11} {row['status']:<7} {row['day']}  {row['title']}"
        for row in sessions
    ] or ["  none yet"]
    lines.append("sprints (--sprint ID):")
    lines += [
        f"  {row['id']:>4}  {row['status']:<11} {row['start_date']} → {row['end_date']}  "
        f"{row['name']}"
        for row in sprints
    ] or ["  none yet"]
    return lines


def check_target(path: Path, workspace: Path) -> None:
    """Refuse to write an export over the workspace, its journal files, or any SQLite file.

    Raises:
        InvalidInput: the file is the workspace (or goes with it), or holds a database.
    """
    target = path.expanduser().resolve()
    own = workspace.expanduser().resolve()
    if target in {own, Path(f"{own}-wal"), Path(f"{own}-shm"), Path(f"{own}-journal")}:
        raise InvalidInput(f"{path} is the workspace itself: export to another file")
    if target.is_file():
        try:
            with target.open("rb") as existing:
                head = existing.read(16)
        except OSError:
            return
        if head == b"SQLite format 3\x00":
            raise InvalidInput(
                f"{path} is a database (perhaps a workspace): export to another file"
            )


def _session_markdown(doc: Document, session_id: int) -> str:
    session = doc.get("sessions", session_id)
    assert session is not None  # the dump refuses a session that does not exist
    if session["kind"] == "retro":
        return markdown.retro(doc, session)
    if session["kind"] == "planning":
        if session["sprint_id"] is None:
            return f"# {markdown.md(session['title'])}\n\n{markdown.md(session['summary'])}\n"
        return markdown.sprint(doc, session["sprint_id"], session)
    return markdown.estimation(doc, session)


def _current_sprint(doc: Document) -> int | None:
    sprints = list(doc.rows("sprints"))
    for status in ("active", "planned"):
        found = [s for s in sprints if s["status"] == status]
        if found:
            return int(min(found, key=lambda s: s["start_date"])["id"])
    return int(max(sprints, key=lambda s: s["end_date"])["id"]) if sprints else None


class ImportRefused(InvalidInput):
    """The file has bad rows and `skip_invalid` was not given: nothing was written."""

    def __init__(self, parsed: Parsed) -> None:
        count = len(parsed.problems)
        whole = any(p.line == 0 for p in parsed.problems) or not parsed.items
        advice = "fix the file" if whole else "fix them, or --skip-invalid imports the rest"
        super().__init__(
            f"nothing imported: {count} problem{'s' if count != 1 else ''} in the file "
            f"({parsed.problems[0].describe()}); {advice}"
        )
        self.parsed = parsed


@dataclass(frozen=True)
class Outcome:
    """What an import read and what it did (or, a dry run, would do)."""

    format: str
    parsed: Parsed
    summary: ImportSummary
    restored_rows: int = 0
    restored: str = ""
    """What a JSON restore wrote: `workspace`, `session` or `sprint`."""


def import_file(
    ws: Workspace,
    data: bytes,
    name: str,
    fmt: str | None = None,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Read `data` (the file called `name`) and bring it into the workspace in one transaction.

    Our JSON (a workspace, session or sprint) goes into an empty workspace as it was
    (ids and all); into a workspace with work, only its items come, matched as any
    import's.

    Raises:
        InvalidInput: the file cannot be read, or is of no format we know.
        ImportRefused: some rows are bad and `skip_invalid` is off; nothing was written.
    """
    from planner_tui.exchange import readers

    text = readers.decode(data)
    fmt = fmt or readers.detect(name, text)
    if fmt not in readers.FORMATS:
        raise InvalidInput(f"no import format {fmt!r}; use one of {', '.join(readers.FORMATS)}")
    if fmt == "json":
        document = json_format.load(text)
        parsed = json_format.items_of(document)
        if parsed.problems:
            raise ImportRefused(parsed)
        if store.is_empty(ws):  # a workspace, session or sprint, written as it was
            rows = sum(len(part["rows"]) for part in document["tables"].values())
            if not dry_run:  # (a dry run still checks every table's types)
                json_format.restore(
                    ws, document, (lambda done: progress(done, rows)) if progress else None
                )
            added = tuple(item.title for item in parsed.items)
            kind = str(document.get("scope", {}).get("kind", "workspace"))
            return Outcome(
                fmt, parsed, ImportSummary(added=added), restored_rows=rows, restored=kind
            )
    else:
        parsed = readers.read(text, fmt, (lambda done: progress(done, None)) if progress else None)
    problems = parsed.problems
    if not parsed.items and not problems:
        raise InvalidInput("the file holds no items to import")
    whole_file = any(problem.line == 0 for problem in problems)
    if problems and (not skip_invalid or whole_file or not parsed.items):
        raise ImportRefused(parsed)
    read = parsed.rows
    summary = bulk_import.import_items(
        ws,
        parsed.items,
        dry_run=dry_run,
        progress=(lambda done: progress(read + done, 2 * read)) if progress else None,
    )
    skipped: tuple[Problem, ...] = problems
    return Outcome(fmt, parsed, summary.model_copy(update={"skipped": skipped}))
