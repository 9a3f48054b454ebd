"""Writing the demo workspace to a file, all or nothing."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from planner_tui.store.workspace import Workspace, WorkspaceError, clear_workspace

DEMO_ACTOR = "maya"


def write_demo_workspace(path: Path, *, replace: bool, today: date | None = None) -> None:
    """Write the demo to `path`; an interrupted build never leaves half a workspace.

    A new file is built beside `path` and moved into place. An existing workspace
    (with `replace`) is emptied and rebuilt in one transaction, in place, so that
    teammates who have it open see the new demo rather than keep writing to a
    file that was swapped away under them. A file that is not a workspace is
    never replaced.
    """
    from planner_tui.services.demo import build_demo

    path = Path(path).expanduser().absolute()
    when = today or date.today()
    if path.exists() and path.stat().st_size > 0:
        if not replace:
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
    partial = path.with_name(f".{path.name}.building")
    for leftover in _sidecars(partial):
        leftover.unlink(missing_ok=True)
    workspace = Workspace.open(partial, actor=DEMO_ACTOR)
    try:
        build_demo(workspace, when)
        workspace.checkpoint()
    finally:
        workspace.close()
    for sidecar in _sidecars(path)[1:]:
        sidecar.unlink(missing_ok=True)
    os.replace(partial, path)


def _sidecars(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
