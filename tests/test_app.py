"""Pilot tests: real key presses against the app on a real workspace file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import Input

from planner_tui.app import SCREEN_ORDER, PlannerApp
from planner_tui.domain.models import NewItem
from planner_tui.screens.actions import ActionsScreen
from planner_tui.screens.backlog import BacklogScreen
from planner_tui.screens.estimation import EstimationScreen
from planner_tui.screens.help import HelpScreen
from planner_tui.screens.home import HomeScreen
from planner_tui.screens.quick_add import QuickAddModal
from planner_tui.screens.retro import RetroScreen
from planner_tui.screens.risks import RisksScreen
from planner_tui.screens.sprint import SprintScreen
from planner_tui.services.context import Session
from planner_tui.store.items import add_item
from planner_tui.store.workspace import Workspace
from planner_tui.widgets.glance import GlancePanel

from .conftest import TODAY, live_app, palette, settle, wait_until


def _app(session: Session) -> PlannerApp:
    return PlannerApp(session, heartbeat=False, clock=lambda: TODAY, poll_seconds=0.05)


def _panel_text(app: PlannerApp, panel_id: str) -> str:
    content = app.screen.query_one(f"#{panel_id}", GlancePanel).content
    assert isinstance(content, Text)
    return content.plain


def _open_items(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT count(*) FROM items WHERE deleted_at IS NULL"
            " AND status NOT IN ('done', 'won''t do')"
        ).fetchone()[0]


async def test_home_shows_the_workspace_at_a_glance(demo_session: Session) -> None:
    with sqlite3.connect(demo_session.path) as conn:
        sprint_name = conn.execute("SELECT name FROM sprints WHERE status = 'active'").fetchone()[0]
        open_risks = conn.execute("SELECT count(*) FROM risks WHERE status = 'open'").fetchone()[0]
        open_actions = conn.execute(
            "SELECT count(*) FROM action_items WHERE status IN ('open', 'in progress')"
        ).fetchone()[0]
        capacity, reserve_percent = conn.execute(
            "SELECT sum((days_available - days_off) * focus_factor * s.points_per_day),"
            " s.reserve_percent"
            " FROM sprint_capacity c JOIN sprints s ON s.id = c.sprint_id WHERE s.status = 'active'"
        ).fetchone()
        team = round(capacity, 1)
        plannable = round(team - round(team * reserve_percent / 100, 1), 1)
        latest_session = conn.execute(
            "SELECT title FROM sessions ORDER BY started_at DESC LIMIT 1"
        ).fetchone()[0]
    app = _app(demo_session)
    async with app.run_test(size=(120, 40)):
        assert isinstance(app.screen, HomeScreen)
        assert f"Open items   {_open_items(demo_session.path)}" in _panel_text(
            app, "glance-backlog"
        )
        assert sprint_name in _panel_text(app, "glance-sprint")
        assert f" of {plannable:g} plannable pts" in _panel_text(app, "glance-sprint")
        assert f"Open risks {open_risks}" in _panel_text(app, "glance-risks")
        assert "blocking commitment" in _panel_text(app, "glance-risks")
        assert f"Open {open_actions}" in _panel_text(app, "glance-actions")
        assert "overdue" in _panel_text(app, "glance-actions")
        assert latest_session[:20] in _panel_text(app, "glance-sessions")


async def test_number_keys_reach_every_screen(demo_session: Session) -> None:
    app = _app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        for number, name in enumerate(SCREEN_ORDER, start=1):
            await pilot.press(str(number))
            assert app.current_mode == name
            expected = {
                "home": HomeScreen,
                "backlog": BacklogScreen,
                "estimation": EstimationScreen,
                "retro": RetroScreen,
                "actions": ActionsScreen,
                "risks": RisksScreen,
                "sprint": SprintScreen,
            }[name]
            assert isinstance(app.screen, expected)
        await pilot.press("1")
        assert isinstance(app.screen, HomeScreen)


async def test_home_letters_and_escape_back(demo_session: Session) -> None:
    app = _app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        for key, name in [
            ("b", "backlog"),
            ("e", "estimation"),
            ("s", "sprint"),
            ("r", "risks"),
            ("t", "retro"),
            ("a", "actions"),
        ]:
            await pilot.press(key)
            assert app.current_mode == name
            await pilot.press("escape")
            assert app.current_mode == "home"


async def test_command_palette_reaches_every_screen(demo_session: Session) -> None:
    app = _app(demo_session)
    titles = {
        "backlog": "Backlog",
        "estimation": "Estimation",
        "sprint": "Sprint",
        "risks": "Risks",
        "retro": "Retro",
        "actions": "Action items",
        "home": "Home",
    }
    async with app.run_test(size=(120, 40)) as pilot:
        for name, title in titles.items():
            await palette(pilot, f"go to {title}", f"Go to {title}")
            await wait_until(
                pilot, lambda wanted=name: app.current_mode == wanted, f"the {title} screen"
            )


async def test_help_lists_every_key(demo_session: Session) -> None:
    app = _app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = {
            key for _, rows in app.help_sections() for keys, _ in rows for key in keys.split(" / ")
        }
        for binding in [*PlannerApp.BINDINGS, *HomeScreen.BINDINGS, *SprintScreen.BINDINGS]:
            for key in binding.key.split(","):
                assert app.get_key_display(Binding(key, "")) in listed, key
        assert app.get_key_display(Binding("ctrl+p", "")) in listed
        backlog = dict(dict(app.help_sections())["Backlog"])
        up, move_up = (app.get_key_display(Binding(k, "")) for k in ("up", "shift+up"))
        assert backlog[up] == "Up"  # the list's move(-1) and the Backlog's are not one
        assert backlog[move_up] == "Move the item up"
        quit_keys = " / ".join(app.get_key_display(Binding(k, "")) for k in ("q", "ctrl+q"))
        assert dict(dict(app.help_sections())["Everywhere"])[quit_keys] == "Quit planner"
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_quick_add_stores_the_title_exactly(demo_session: Session) -> None:
    typed = "[WIP] login [/] [bold]x "
    pasted = "😀 مرحبا \x1b[2J"
    title = typed + pasted
    before = _open_items(demo_session.path)
    app = _app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, QuickAddModal)
        await pilot.press(*typed)
        app.screen.query_one(Input).post_message(events.Paste(pasted))
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert f"Open items   {before + 1}" in _panel_text(app, "glance-backlog")
    with sqlite3.connect(demo_session.path) as conn:
        row = conn.execute(
            "SELECT title, created_by FROM items ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert row == (title, "maya")


async def test_lines_pasted_into_a_one_line_field_are_joined_not_dropped(
    demo_session: Session,
) -> None:
    """Textual's one-line field kept a paste's first line: a retro card pasted from notes
    lost the rest without a word. Pasted as the terminal sends it, through the app."""
    app = _app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, QuickAddModal) and isinstance(app.focused, Input),
            "the quick add's field",
        )
        app.post_message(events.Paste("Stand-ups run long\n  and start late\n\nsometimes\n"))
        field = app.screen.query_one(Input)
        await wait_until(pilot, lambda: field.value, "the paste in the field")
        assert field.value == "Stand-ups run long and start late sometimes"


async def test_quick_add_needs_a_title_and_escape_saves_nothing(demo_session: Session) -> None:
    before = _open_items(demo_session.path)
    app = _app(demo_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "space", "enter")
        assert isinstance(app.screen, QuickAddModal)
        assert "title is needed" in str(app.screen.query_one("#quick-add-error").content)
        await pilot.press("x", "escape")
        assert isinstance(app.screen, HomeScreen)
        await app.workers.wait_for_complete()
    assert _open_items(demo_session.path) == before


async def test_another_process_change_shows_without_a_key_press(demo_session: Session) -> None:
    app = _app(demo_session)
    before = _open_items(demo_session.path)
    async with app.run_test(size=(120, 40)) as pilot:
        other = Workspace.open(demo_session.path, actor="li")
        add_item(other, NewItem(title="Added by li in another terminal"))
        other.close()
        await wait_until(
            pilot,
            lambda: f"Open items   {before + 1}" in _panel_text(app, "glance-backlog"),
            "li's item on Home without a key press",
        )


async def test_a_change_heard_while_there_is_no_screen_is_let_go(demo_session: Session) -> None:
    """The watcher may tell of a teammate's write while the app has no screen: before the
    first one, or as it closes (the stack already emptied). That is no error."""
    from planner_tui.app import OthersChanged

    app = _app(demo_session)
    app.on_others_changed(OthersChanged(frozenset({"item", "presence"})))  # not started
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    app.on_others_changed(OthersChanged(frozenset({"item"})))  # closed: no screen left


async def test_projector_theme_toggles(demo_session: Session) -> None:
    app = _app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "nord"
        await pilot.press("ctrl+t")
        assert app.theme == "projector"
        await pilot.press("ctrl+t")
        assert app.theme == "nord"


async def test_a_tiny_terminal_still_works(demo_session: Session) -> None:
    app = _app(demo_session)
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.press("2", "1", "question_mark", "escape", "n", "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_empty_workspace_says_how_to_start(empty_session: Session) -> None:
    app = _app(empty_session)
    async with app.run_test(size=(80, 24)):
        text = _panel_text(app, "glance-backlog")
        assert "backlog is empty" in text
        assert "planner demo" in text


async def _burst(app: PlannerApp, keys: list[tuple[str, str | None]]) -> None:
    """Post keys all at once, as a fast typist or a laggy SSH link delivers them."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


def _typed(text: str) -> list[tuple[str, str | None]]:
    return [("enter", None) if ch == "\n" else (ch, ch) for ch in text]


def _latest_titles(path: Path, count: int) -> list[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT title FROM items ORDER BY id DESC LIMIT ?", [count]).fetchall()
    return [row[0] for row in reversed(rows)]


async def _saved(pilot, titles: list[str]) -> None:
    """Wait until the newest items are `titles` and the app is back on Home with nothing
    left to write; a title saved twice would stand between them."""
    path = pilot.app.session.path

    def done() -> bool:
        if _latest_titles(path, len(titles)) != titles:
            return False
        writing = any(w.group == "write" and not w.is_finished for w in pilot.app.workers)
        return isinstance(pilot.app.screen, HomeScreen) and not writing

    await wait_until(pilot, done, f"{titles[-1]!r} saved")
    await settle(pilot)


async def test_keys_typed_right_after_n_go_into_the_title(demo_session: Session) -> None:
    app = _app(demo_session)
    async with app.run_test(size=(100, 30)) as pilot:
        await _burst(app, _typed("nabc\n"))
        await _saved(pilot, ["abc"])
        assert app.current_mode == "home", "a typed letter ran a command"
        assert isinstance(app.screen, HomeScreen)
    assert _latest_titles(demo_session.path, 1) == ["abc"]


async def test_quick_rounds_and_double_enter_save_each_title_once(demo_session: Session) -> None:
    app = _app(demo_session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", *"first")
        await _burst(app, [("enter", None), ("enter", None)])
        saved = ["first"]
        await _saved(pilot, saved)
        for title in ("x1", "x2", "x3"):
            await _burst(app, _typed(f"n{title}\n"))
            saved.append(title)
            await _saved(pilot, saved)
        assert isinstance(app.screen, HomeScreen)
    assert _latest_titles(demo_session.path, 4) == ["first", "x1", "x2", "x3"]


async def test_a_teammate_who_dropped_leaves_here_now_without_any_write(
    demo_session: Session, monkeypatch
) -> None:
    import planner_tui.app as app_module
    from planner_tui.store import presence
    from planner_tui.store.people import person_id

    ws = demo_session.workspace
    li = person_id(ws, "li")
    presence.heartbeat(ws, li)
    monkeypatch.setattr(app_module, "HEARTBEAT_SECONDS", 0.1)
    app = PlannerApp(demo_session, clock=lambda: TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "li, maya" in _panel_text(app, "glance-team"), "li here")
        with ws.write() as conn:  # li's terminal died long ago: the row is stale
            conn.execute(
                "UPDATE presence SET seen_at = '2026-01-01T00:00:00+00:00' WHERE person_id = ?",
                [li],
            )
        ws.poll_changes()  # that write is ours, not a teammate's: no refresh from it
        await wait_until(
            pilot,
            lambda: "Here now    maya" in _panel_text(app, "glance-team"),
            "li gone from Here now by the heartbeat alone",
        )


def test_the_other_screens_code_is_loaded_once_the_app_has_started(demo_path: Path) -> None:
    """Start-up imports Home's code only; the other screens' is imported off the UI thread
    once the app is up, so no screen's first visit pays for it (it was ~100 ms)."""
    import subprocess
    import sys

    script = f"""
import asyncio, sys
from planner_tui.app import SCREEN_ORDER, PlannerApp
from planner_tui.services.context import open_session

others = [f"planner_tui.screens.{{name}}" for name in SCREEN_ORDER[1:]]
assert not [name for name in others if name in sys.modules], "imported before start-up"

async def main():
    session = open_session({str(demo_path)!r}, "maya")
    app = PlannerApp(session, heartbeat=False)
    async with app.run_test() as pilot:
        for _ in range(3000):  # (a deadline of about 30 s)
            if all(name in sys.modules for name in others):
                break
            await pilot.pause(0.01)
        missing = [name for name in others if name not in sys.modules]
        assert not missing and app.screen.__class__.__name__ == "HomeScreen", missing
    session.workspace.close()

asyncio.run(main())
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


async def test_under_no_color_every_warning_is_readable(
    demo_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR turned the red warnings into grey 237 on 233: invisible (issue 18). Each
    warning on Home now stands apart from its background, and says itself in words."""
    from textual.color import Color
    from textual.geometry import Region

    from planner_tui.themes import MIN_CONTRAST

    monkeypatch.setenv("NO_COLOR", "1")
    app = _app(demo_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        background = Color.parse(app.current_theme.background or "#000").monochrome
        seen: dict[str, float] = {}
        for panel in ("glance-risks", "glance-actions"):
            widget = app.screen.query_one(f"#{panel}")
            size = widget.size
            for strip in widget.render_lines(Region(0, 0, size.width, size.height)):
                for segment in strip:
                    for warning in ("critical", "blocking commitment", "overdue"):
                        if warning in segment.text and segment.style and segment.style.color:
                            fore = Color.from_rich_color(segment.style.color)
                            behind = (
                                Color.from_rich_color(segment.style.bgcolor)
                                if segment.style.bgcolor
                                else background
                            )
                            seen[warning] = abs(fore.brightness - behind.brightness)
        assert set(seen) == {"critical", "blocking commitment", "overdue"}, seen
        assert min(seen.values()) >= MIN_CONTRAST, seen


async def test_a_screen_first_visited_after_a_theme_change_wears_the_new_theme(
    demo_session: Session,
) -> None:
    """A new screen skips Textual's re-parse of every stylesheet on its first visit, and
    every screen's stylesheet is read ahead: neither may leave a screen in the old theme
    or without its own styles."""
    from textual.color import Color

    from planner_tui.widgets.row_view import RowView

    from .conftest import wait_until

    app = PlannerApp(demo_session, heartbeat=False, theme="textual-dark")
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
        for key, screen_type in (("5", RisksScreen), ("4", SprintScreen)):
            await pilot.press(key)
            await wait_until(pilot, lambda t=screen_type: isinstance(app.screen, t), "the screen")
            await pilot.pause()
            surface = Color.parse(app.theme_variables["surface"])
            assert app.screen.query(RowView).first().styles.background == surface
        # its own stylesheet applies: the risk list and its side panel sit side by side
        await pilot.press("5")
        await wait_until(pilot, lambda: isinstance(app.screen, RisksScreen), "Risks")
        body = app.screen.query_one("#risks-body")
        assert body.styles.layout is not None and body.styles.layout.name == "horizontal"
        # a screen made before a theme change takes the new one when it comes back
        await pilot.press("1")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
        app.theme = "textual-dark"
        await pilot.pause()
        await pilot.press("5")
        await wait_until(pilot, lambda: isinstance(app.screen, RisksScreen), "Risks again")
        await pilot.pause()
        surface = Color.parse(app.theme_variables["surface"])
        assert app.screen.query(RowView).first().styles.background == surface


@pytest.mark.parametrize(("key", "head"), [("3", "#sessions-head"), ("6", "#retros-head")])
async def test_a_reader_is_not_told_to_start_a_meeting(
    demo_path: Path, key: str, head: str
) -> None:
    """s starts nothing for someone who can only read the file: the lists do not offer it."""
    from textual.widgets import Static

    from planner_tui.services.context import open_viewer

    session = open_viewer(demo_path, "root", reason="no write permission")
    try:
        app = live_app(session)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press(key)
            await wait_until(
                pilot, lambda: app.screen.query(head), f"the list under {head} is shown"
            )
            shown = str(app.screen.query_one(head, Static).render())
            assert "past retros open" in shown or "Estimation sessions" in shown
            assert "s starts" not in shown
            await pilot.press("s")
            await settle(pilot)
            assert app.screen.query(head)  # no dialog to start one
            offered = {command.title for command in app.get_system_commands(app.screen)}
            assert "Export" in offered
            assert not offered & {"New backlog item", "Start an estimation session", "Raise a risk"}
    finally:
        session.close()


@pytest.mark.parametrize("width", [30, 120])
async def test_help_on_a_narrow_screen_lists_keys_above_what_they_do(
    demo_session: Session, width: int
) -> None:
    """At 30 columns the table's key column left its descriptions three letters a line;
    narrow help puts each key on a line of its own with what it does below."""
    from textual.widgets import Static

    app = _app(demo_session)
    async with app.run_test(size=(width, 8)) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        await settle(pilot)
        shown = app.screen.query_one(Static)
        lines = [line.text.strip() for line in shown.render_lines(shown.region.reset_offset)]
        if width == 30:
            assert lines[:3] == ["Everywhere", "n", "Add an item to the"], lines
        else:
            assert lines[1].startswith("n ") and lines[1].endswith("to the bottom of the backlog")


async def test_a_toast_that_says_what_one_on_screen_says_takes_its_place(
    demo_session: Session,
) -> None:
    """A board removed under an open card dialog said "that retro no longer exists" three
    times, one toast above the other: the same words now show once (others still stack)."""
    from textual.widgets._toast import Toast

    app = live_app(demo_session)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        for message in ("that retro no longer exists", "saved", "that retro no longer exists"):
            app.notify(message, severity="warning")
        app.notify("that retro no longer exists")  # (not a warning: a toast of its own)

        def shown() -> list[str]:
            return [str(toast.render()) for toast in app.screen.query(Toast)]

        await wait_until(pilot, lambda: len(shown()) == 3, "three toasts")
        await settle(pilot)
        assert sorted(shown()) == sorted(
            ["saved", "that retro no longer exists", "that retro no longer exists"]
        )
