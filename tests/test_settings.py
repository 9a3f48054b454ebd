"""Settings that last: the config file (theme, name, keymap), the theme chosen in the app,
the workspaces opened lately, and a broken config that costs one line, not the app."""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner_tui.domain.settings import read_settings
from planner_tui.services import settings
from planner_tui.services.context import Session

from .conftest import live_app, wait_until
from .test_e2e import Tmux

PLANNER = Path(sys.executable).parent / "planner"


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    (home / "planner").mkdir(parents=True)
    return home / "planner" / "config.toml"


def test_each_wrong_setting_is_named_and_left_out() -> None:
    found, problems = read_settings(
        {
            "theme": 5,
            "name": "maya",
            "colour": "red",
            "keys": {"app.help": "f1", "backlog.filter": "Ctrl E", "x": 3},
        },
        "config.toml",
    )
    assert found.name == "maya" and found.theme is None
    assert found.keys == {"app.help": "f1"}
    assert problems == [
        "config.toml: colour: not a setting (planner reads theme, name, keys)",
        'config.toml: theme: give a theme name in quotes, such as "projector"',
        'config.toml: keys.backlog.filter: keys such as "f1", "ctrl+e" or "j,down" '
        "(lower case, commas between keys)",
        'config.toml: keys.x: keys such as "f1", "ctrl+e" or "j,down" '
        "(lower case, commas between keys)",
    ]


def test_a_file_that_is_not_toml_gives_the_defaults_and_one_line(config_home: Path) -> None:
    config_home.write_text('theme = "projector\nname = 3\n')
    found, problems = settings.load()
    assert found == settings.Settings()
    assert len(problems) == 1 and str(config_home) in problems[0] and "not TOML" in problems[0]


def test_the_theme_chosen_is_kept_and_nothing_else_in_the_file_changes(
    config_home: Path,
) -> None:
    config_home.write_text('# mine\nname = "maya"  # me\n\n[keys]\n"app.help" = "f1"\n')
    settings.remember_theme("projector")
    assert settings.load()[0].theme == "projector"
    settings.remember_theme("textual-light")
    assert config_home.read_text() == (
        'theme = "textual-light"\n# mine\nname = "maya"  # me\n\n[keys]\n"app.help" = "f1"\n'
    )


def test_recent_workspaces_newest_first_and_only_those_still_there(tmp_path: Path) -> None:
    paths = [tmp_path / f"w{n}.db" for n in range(3)]
    for path in paths:
        path.write_bytes(b"")
        settings.remember_workspace(path)
    settings.remember_workspace(paths[0])
    assert settings.recent() == [paths[0], paths[2], paths[1]]
    paths[2].unlink()
    assert settings.recent() == [paths[0], paths[1]]


async def test_a_keymap_from_the_config_rebinds_keys(demo_session: Session) -> None:
    from planner_tui.screens.help import HelpScreen

    app = live_app(demo_session)
    app.set_keymap({"app.help": "f1"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the keys")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    yield server
    server.kill()


@pytest.mark.e2e
def test_the_config_is_used_remembered_and_a_broken_one_costs_a_line(
    tmux: Tmux, tmp_path: Path
) -> None:
    """A real terminal: the config's name, theme and keys; the theme chosen with ctrl+t
    kept for the next run; a broken config named in one line while the app opens."""
    import subprocess

    workspace = tmp_path / "team.db"
    subprocess.run([str(PLANNER), "demo", str(workspace), "--no-open"], check=True)
    config = tmp_path / "config" / "planner" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('theme = "projector"\nname = "ravi"\n[keys]\n"app.help" = "f1"\n')
    env = f"XDG_CONFIG_HOME={shlex.quote(str(tmp_path / 'config'))} "
    env += f"XDG_STATE_HOME={shlex.quote(str(tmp_path / 'state'))} "
    tmux.start("a", f"{env}{PLANNER} {shlex.quote(str(workspace))}", size=(100, 30))
    tmux.wait_for("a", lambda s: "planner — team.db · ravi" in s and "Open items" in s)
    tmux.keys("a", "F1")
    tmux.wait_for("a", lambda s: "escape closes" in s)
    tmux.keys("a", "Escape")
    tmux.wait_for("a", lambda s: "escape closes" not in s)
    tmux.keys("a", "C-t")  # projector off: back to the default theme, and remembered
    _wait(lambda: 'theme = "textual-dark"' in config.read_text(), "the theme kept")
    tmux.keys("a", "q")

    config.write_text('theme = "projector\n')  # broken: an unclosed string
    tmux.start("b", f"{env}{PLANNER} {shlex.quote(str(workspace))}", size=(100, 30))
    # (the toast wraps the config's path where it must: its words are read across lines)
    tmux.wait_for("b", lambda s: "Open items" in s and "not TOML" in _words(s))

    # No workspace named: the ones opened lately are offered.
    other = tmp_path / "other.db"
    subprocess.run([str(PLANNER), "demo", str(other), "--no-open"], check=True)
    config.unlink()
    tmux.start("c", f"{env}{PLANNER} {shlex.quote(str(other))} --as ravi; sleep 30")
    tmux.wait_for("c", lambda s: "Open items" in s)
    tmux.keys("c", "q")
    empty = tmp_path / "empty"
    empty.mkdir()
    tmux.start("d", f"cd {shlex.quote(str(empty))} && {env}{PLANNER} --as ravi")
    tmux.wait_for("d", lambda s: "Open which" in s and str(other) in s and str(workspace) in s)
    tmux.type("d", "2")
    tmux.keys("d", "Enter")
    tmux.wait_for("d", lambda s: "planner — team.db · ravi" in s)


def _words(screen: str) -> str:
    """The screen's words in a row, without the lines and borders between them."""
    return " ".join(re.sub(r"[│▌╭╮╰╯─]", " ", screen).split())


def _wait(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)
