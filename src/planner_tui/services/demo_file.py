"""Writing the demo workspace to a file, all or nothing."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from planner_tui.store.workspace import Workspace, WorkspaceError

DEMO_ACTOR = "maya"


def write_demo_workspace(path: Path, *, replace: bool, today: date | None = None) -> None:
    """Build the demo into a temporary file beside `path`, then move it into place.

    An interrupted build leaves no half-written workspace behind.
    """
    from planner_tui.services.demo import build_demo

    path = Path(path).expanduser().absolute()
    if path.exists() and not replace:
        raise WorkspaceError(f"{path} already exists")
    if not path.parent.is_dir():
        raise WorkspaceError(
            f"folder {path.parent} does not exist; create it first or choose another path"
        )
    partial = path.with_name(f".{path.name}.building")
    for leftover in _sidecars(partial):
        leftover.unlink(missing_ok=True)
    workspace = Workspace.open(partial, actor=DEMO_ACTOR)
    try:
        build_demo(workspace, today or date.today())
        workspace.checkpoint()
    finally:
        workspace.close()
    for sidecar in _sidecars(path)[1:]:
        sidecar.unlink(missing_ok=True)
    os.replace(partial, path)


def _sidecars(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
