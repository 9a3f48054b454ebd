"""A person's settings (their config file), checked: what is wrong is said and left out.

The file is TOML, read by the standard library:

    theme = "projector"      # the colour theme (the app remembers the one last chosen)
    name = "maya"            # the name to open workspaces as, instead of the login
    [keys]                   # a binding id (planner keys lists them) = keys
    "backlog.filter" = "f"
    "app.help" = "f1,question_mark"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planner_tui.domain.text import NAME_RULE, is_name

KNOWN = ("theme", "name", "keys")
_KEY_NAME = re.compile(r"^[a-z0-9_+-]+(,[a-z0-9_+-]+)*$")


@dataclass(frozen=True)
class Settings:
    """What the config file says, each part checked."""

    theme: str | None = None
    name: str | None = None
    keys: dict[str, str] = field(default_factory=dict)


def read_settings(data: dict[str, object], where: str) -> tuple[Settings, list[str]]:
    """The settings in `data` (the parsed file at `where`), and one line per problem, each
    naming the file and the key; a setting with a problem is left out."""
    problems = [
        f"{where}: {key}: not a setting (planner reads {', '.join(KNOWN)})"
        for key in data
        if key not in KNOWN
    ]
    theme = data.get("theme")
    if theme is not None and not (isinstance(theme, str) and theme.strip()):
        problems.append(f'{where}: theme: give a theme name in quotes, such as "projector"')
        theme = None
    name = data.get("name")
    if name is not None and not (isinstance(name, str) and is_name(name.strip())):
        problems.append(f"{where}: name: {NAME_RULE}, in quotes")
        name = None
    keys: dict[str, str] = {}
    table = data.get("keys", {})
    if not isinstance(table, dict):
        problems.append(f'{where}: keys: a table of binding id = keys, e.g. "app.help" = "f1"')
        table = {}
    for binding, keystrokes in table.items():
        if not isinstance(keystrokes, str) or not _KEY_NAME.match(keystrokes.strip()):
            problems.append(
                f'{where}: keys.{binding}: keys such as "f1", "ctrl+e" or "j,down" '
                "(lower case, commas between keys)"
            )
            continue
        keys[str(binding)] = keystrokes.strip()
    return (
        Settings(
            theme=theme.strip() if isinstance(theme, str) else None,
            name=name.strip() if isinstance(name, str) else None,
            keys=keys,
        ),
        problems,
    )


__all__ = ["KNOWN", "Settings", "read_settings"]
