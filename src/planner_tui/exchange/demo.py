"""The demo workspace: a checkout team in the middle of a sprint, shipped as data.

The demo is `data/demo.json`, a whole-workspace export in our own JSON format (see
docs/json-format.md), and it is loaded the way `planner import` restores such a file.
One step comes first: its dates are written for `ANCHOR`, and every date and time in it
moves by the days from `ANCHOR` to the day the demo is built, so the sprint is always
running "now". To change the demo, change the file (build a workspace, export it as JSON,
move its dates to `ANCHOR`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from planner_tui.exchange import json_format
from planner_tui.store import files
from planner_tui.store.exchange import is_empty
from planner_tui.store.workspace import Workspace, WorkspaceError, clear_workspace

DEMO_ACTOR = "maya"
"""Who builds the demo: the team's product manager, who facilitates its meetings."""

ANCHOR = date(2026, 11, 24)
"""The day the dates in `data/demo.json` are written for: its "today"."""

_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z)?")


def demo_document(today: date) -> dict[str, Any]:
    """The demo as a JSON export whose dates are moved from `ANCHOR` to `today`."""
    text = resources.files("planner_tui").joinpath("data", "demo.json").read_text("utf-8")
    document = json_format.load(text)
    shift = today - ANCHOR
    if shift:
        for part in document["tables"].values():
            part["rows"] = [[_moved(value, shift) for value in row] for row in part["rows"]]
    return document


def _moved(value: object, shift: timedelta) -> object:
    """A date or a time moved by `shift`; anything else as it is."""
    if not isinstance(value, str):
        return value
    if _DAY.fullmatch(value):
        return (date.fromisoformat(value) + shift).isoformat()
    if _MOMENT.fullmatch(value):
        moved = datetime.fromisoformat(value.replace("Z", "+00:00")) + shift
        return moved.isoformat(timespec="seconds")
    return value


def build_demo(ws: Workspace, today: date) -> None:
    """Restore the demo into the empty workspace `ws`, dated for `today` (one transaction)."""
    with ws.write():
        json_format.restore(ws, demo_document(today))
        ws.log("workspace", None, "demo", "the demo workspace")


def is_demo(ws: Workspace) -> bool:
    """Whether the workspace was built by `planner demo` (or holds no work yet): only
    such a workspace is ever rebuilt, however the command is typed."""
    built = ws.row(
        "SELECT EXISTS(SELECT 1 FROM changes WHERE entity = 'workspace' AND action = 'demo')"
    )[0]
    return bool(built) or is_empty(ws)


_PERSON = ("name", "display_name", "role", "created_at", "bound_to", "bound_at")


def _people(ws: Workspace) -> list[tuple[object, ...]]:
    return [tuple(row) for row in ws.conn.execute(f"SELECT {', '.join(_PERSON)} FROM people")]


def _keep_people(ws: Workspace, people: list[tuple[object, ...]]) -> None:
    """After a rebuild in place: everyone who was in the workspace still is, bound to the
    same account (the teammates who have it open keep writing as themselves; the demo's
    own people take their accounts back if they had any)."""
    ws.conn.executemany(
        f"INSERT INTO people({', '.join(_PERSON)}) VALUES ({', '.join('?' * len(_PERSON))})"
        " ON CONFLICT(name) DO UPDATE SET bound_to = excluded.bound_to,"
        " bound_at = excluded.bound_at",
        people,
    )


def write_demo_workspace(path: Path, *, replace: bool, today: date | None = None) -> None:
    """Write the demo to `path`; an interrupted build never leaves half a workspace.

    A new file is built under a private name beside `path` and linked into place
    only if nothing appeared there meanwhile (a teammate's file is never replaced
    or deleted). An existing demo workspace (with `replace`) is emptied and rebuilt
    in one transaction, in place, so that teammates who have it open see the new
    demo rather than keep writing to a file that was swapped away under them; its
    people stay. A team's workspace, or a file that is not a workspace, is never
    replaced.
    """
    path = Path(path).expanduser().absolute()
    when = today or date.today()
    if path.exists():
        if path.stat().st_size > 0 and not replace:
            raise WorkspaceError(f"{path} already exists")
        workspace = Workspace.open(path, actor=DEMO_ACTOR)
        try:
            with workspace.write():
                if not is_demo(workspace):
                    raise WorkspaceError(
                        f"{path.name} is a team's workspace, not a demo; --force rebuilds only "
                        "a demo: write the demo to another file"
                    )
                people = _people(workspace)
                clear_workspace(workspace)
                build_demo(workspace, when)
                _keep_people(workspace, people)
        finally:
            workspace.close()
        return
    if not path.parent.is_dir():
        raise WorkspaceError(
            f"folder {path.parent} does not exist; create it first or choose another path"
        )
    built = files.aside(path, "demo")
    try:
        workspace = Workspace.open(built, actor=DEMO_ACTOR)
        try:
            build_demo(workspace, when)
        finally:
            workspace.close()  # the last connection folds the journal into the file
        if not files.publish(built, path):
            raise WorkspaceError(
                f"{path} was created by someone else meanwhile; it was left as it is "
                "(planner demo --force rebuilds a workspace in place)"
            )
    finally:
        files.remove_built(built)
