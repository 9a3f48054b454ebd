"""Writing the demo workspace to a file, all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planner_tui.store import files
from planner_tui.store.workspace import Workspace, WorkspaceError, clear_workspace

DEMO_ACTOR = "maya"


def write_demo_workspace(path: Path, *, replace: bool, today: date | None = None) -> None:
    """Write the demo to `path`; an interrupted build never leaves half a workspace.

    A new file is built under a private name beside `path` and linked into place
    only if nothing appeared there meanwhile (a teammate's file is never replaced
    or deleted). An existing workspace (with `replace`) is emptied and rebuilt in
    one transaction, in place, so that teammates who have it open see the new
    demo rather than keep writing to a file that was swapped away under them. A
    file that is not a workspace is never replaced.
    """
    from planner_tui.services.demo import build_demo

    path = Path(path).expanduser().absolute()
    when = today or date.today()
    if path.exists():
        if path.stat().st_size > 0 and not replace:
            raise WorkspaceError(f"{path} already exists")
        workspace = Workspace.open(path, actor=DEMO_ACTOR)
        try:
            with workspace.write():
                clear_workspace(workspace)
                build_demo(workspace, when)
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
