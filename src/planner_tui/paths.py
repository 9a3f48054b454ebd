"""Where the packaged stylesheets are, in an installed wheel and in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """The `styles/` folder: inside the package when installed, at the repo top when editable."""
    installed = _PACKAGE / "styles"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / "styles"


def state_folder() -> Path:
    """This account's planner state ($XDG_STATE_HOME/planner, else ~/.local/state/planner):
    what lasts between runs but is nobody's document, such as `planner serve`'s SSH host key."""
    import os

    base = os.environ.get("XDG_STATE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    return root / "planner"
