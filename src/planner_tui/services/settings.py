"""The person's config file and what planner remembers for them: read, checked, kept.

The config file (`config_path`) is theirs: planner reads it and changes only its
`theme` line when a theme is chosen in the app, keeping everything else as written.
The workspaces opened lately are kept in the state folder, not in the config.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

from planner_tui.domain.settings import Settings, read_settings
from planner_tui.paths import state_folder

RECENT_KEPT = 9


def config_path() -> Path:
    """$XDG_CONFIG_HOME/planner/config.toml, else ~/.config/planner/config.toml."""
    base = os.environ.get("XDG_CONFIG_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "planner" / "config.toml"


def load() -> tuple[Settings, list[str]]:
    """The settings, and one line per problem (the file and key named); a file that
    cannot be read at all gives the defaults and says why. No file (the usual case)
    costs one failed open."""
    path = config_path()
    if not path.is_file():
        return Settings(), []
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:  # (gone since the look)
        return Settings(), []
    except (OSError, UnicodeDecodeError) as error:
        return Settings(), [f"{path}: cannot be read ({error}); using the defaults"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Settings(), [f"{path}: not TOML ({error}); using the defaults"]
    return read_settings(data, str(path))


_THEME_LINE = re.compile(r"^theme\s*=.*$", re.MULTILINE)
_FIRST_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


def remember_theme(theme: str) -> None:
    """Keep `theme` as the config's theme: its `theme = …` line is rewritten (or added
    before the first table), everything else in the file stays as it was."""
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    line = f"theme = {json.dumps(theme)}"
    head_end = m.start() if (m := _FIRST_TABLE.search(text)) else len(text)
    found = _THEME_LINE.search(text, 0, head_end)
    text = text[: found.start()] + line + text[found.end() :] if found else f"{line}\n{text}"
    _replace(path, text)


def _replace(path: Path, text: str) -> None:
    """Write `path` whole or not at all (another planner may be writing it too)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _recent_file() -> Path:
    return state_folder() / "recent.json"


def recent() -> list[Path]:
    """The workspaces opened lately, newest first, those still there."""
    try:
        listed = json.loads(_recent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(listed, list):
        return []
    return [Path(entry) for entry in listed if isinstance(entry, str) and Path(entry).is_file()]


def remember_workspace(path: Path) -> None:
    """Put `path` first among the recent workspaces (best effort: a full disk or an
    unwritable home folder does not stop anyone from working)."""
    where = str(path.expanduser().absolute())
    kept = [where, *(str(p) for p in recent() if str(p) != where)][:RECENT_KEPT]
    with contextlib.suppress(OSError):
        _replace(_recent_file(), json.dumps(kept, indent=1))


__all__ = ["config_path", "load", "recent", "remember_theme", "remember_workspace"]
