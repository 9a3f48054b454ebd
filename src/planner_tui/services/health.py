"""`planner check`: is this file a healthy workspace?"""

from __future__ import annotations

from pathlib import Path

from planner_tui.store.health import HealthReport, check_workspace
from planner_tui.store.workspace import Workspace


def health_report(path: Path) -> HealthReport:
    """Open `path` read-only (never migrating or changing it) and check it.

    Raises:
        WorkspaceError: the file is not a usable workspace.
    """
    workspace = Workspace.open(path, actor="check", readonly=True)
    try:
        return check_workspace(workspace)
    finally:
        workspace.close()
