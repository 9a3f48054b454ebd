"""Keys that arrive in one burst (a paste, a fast typist, SSH delivering keys in bunches)
give what the same keys typed slowly give."""

from __future__ import annotations

from textual import events

from planner_tui.screens.actions import ActionsScreen
from planner_tui.services.context import Session

from .conftest import live_app, rows, settle, wait_until

CHARACTERS = {"tab": "\t", "enter": "\r", "space": " "}


def _burst(app, keys: list[str]) -> None:
    """Queue every key at once, before the app has handled the first."""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


def _typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


async def test_an_action_item_typed_in_one_burst_keeps_its_owner(demo_session: Session) -> None:
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        _burst(app, ["a", *_typed("fix ci now"), "tab", *_typed("sam"), "enter"])
        await wait_until(
            pilot,
            lambda: (
                rows(
                    demo_session.path, "SELECT count(*) FROM action_items WHERE text = 'fix ci now'"
                )
                == [(1,)]
            ),
            "the action item saved",
        )
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        assert rows(
            demo_session.path,
            "SELECT p.name FROM action_items a JOIN people p ON p.id = a.owner_id "
            "WHERE a.text = 'fix ci now'",
        ) == [("sam",)]


async def test_a_quick_add_in_one_burst_saves_the_title_once(demo_session: Session) -> None:
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _burst(app, ["n", *_typed("burst title"), "enter", "enter"])
        await wait_until(
            pilot,
            lambda: (
                rows(demo_session.path, "SELECT count(*) FROM items WHERE title = 'burst title'")
                == [(1,)]
            ),
            "the item saved",
        )
        await settle(pilot)
        assert rows(
            demo_session.path, "SELECT count(*) FROM items WHERE title = 'burst title'"
        ) == [(1,)]


async def test_a_risk_raised_in_one_burst_fills_each_field(demo_session: Session) -> None:
    """The dialog is pushed while the rest of the burst is already on its way to the list."""
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        _burst(app, ["r", *_typed("Vendor API may slip"), "tab", *_typed("orders stall"), "enter"])
        await wait_until(
            pilot,
            lambda: (
                rows(
                    demo_session.path,
                    "SELECT description FROM risks WHERE title = 'Vendor API may slip'",
                )
                == [("orders stall",)]
            ),
            "the risk raised with both fields",
        )


async def test_an_edit_typed_in_one_burst_keeps_the_title_it_extends(
    demo_session: Session,
) -> None:
    """Typing as the editor opens adds to the title, as typing once it is open does."""
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        first = rows(demo_session.path, "SELECT key, title FROM items ORDER BY rank LIMIT 1")[0]
        _burst(app, ["e", *_typed(" v2"), "ctrl+s"])
        await wait_until(
            pilot,
            lambda: (
                rows(demo_session.path, "SELECT title FROM items WHERE key = ?", (first[0],))
                == [(f"{first[1]} v2",)]
            ),
            "the title extended",
        )


async def test_a_burst_into_a_question_answers_it_once(demo_session: Session) -> None:
    """`d` then `y` at once deletes the item asked about, and nothing else."""
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        before = rows(demo_session.path, "SELECT count(*) FROM items WHERE deleted_at IS NULL")
        _burst(app, ["d", "y"])
        await wait_until(
            pilot,
            lambda: (
                rows(demo_session.path, "SELECT count(*) FROM items WHERE deleted_at IS NULL")
                == [(before[0][0] - 1,)]
            ),
            "one item deleted",
        )
        await settle(pilot)
        assert rows(demo_session.path, "SELECT count(*) FROM items WHERE deleted_at IS NULL") == [
            (before[0][0] - 1,)
        ]


async def _typed_into_a_dialog(
    path, screen_key: str, keys: list[str], query: str, *, burst: bool
) -> list[tuple]:
    """What the workspace holds (`query`) after `keys` went into a fresh demo's screen, in
    one burst or one key at a time, each handled before the next."""
    from planner_tui.exchange.demo import write_demo_workspace
    from planner_tui.services.context import open_session

    from .conftest import TODAY

    write_demo_workspace(path, replace=False, today=TODAY)
    session = open_session(path, "maya")
    before = rows(path, query)
    app = live_app(session)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press(screen_key)
            await settle(pilot)
            screen = app.screen
            if burst:
                _burst(app, keys)
            else:
                for key in keys:
                    await pilot.press(key)
                    await pilot.pause()
            how = "in one burst" if burst else "slowly"
            await wait_until(pilot, lambda: rows(path, query) != before, f"{path.stem} {how}")
            await wait_until(pilot, lambda: app.screen is screen, "the dialog closed")
            await settle(pilot)
    finally:
        session.workspace.close()
    return rows(path, query)


DIALOGS = {
    "plan a sprint (name kept, goal typed)": (
        "4",
        ["p", "tab", *_typed("one tap pay"), "enter"],
        "SELECT name, goal FROM sprints ORDER BY id DESC LIMIT 1",
    ),
    "add a newcomer's capacity (enter twice: once to hear they are new)": (
        "4",
        ["a", *_typed("zoe"), "tab", "8", "tab", "1", "enter", "enter"],
        "SELECT p.name, c.days_available, c.days_off FROM sprint_capacity c "
        "JOIN people p ON p.id = c.person_id WHERE p.name = 'zoe'",
    ),
    "raise a risk against a sprint item": (
        "4",
        ["exclamation_mark", *_typed("Auth vendor slips"), "tab", *_typed("login stalls"), "enter"],
        "SELECT title, description, item_id, sprint_id FROM risks ORDER BY id DESC LIMIT 1",
    ),
}


async def test_every_dialog_typed_in_one_burst_saves_what_slow_typing_saves(tmp_path) -> None:
    """For each dialog: the same keys, slowly and then in one burst, on two fresh copies of
    the demo, leave the same rows behind."""
    for name, (screen_key, keys, query) in DIALOGS.items():
        slow = await _typed_into_a_dialog(
            tmp_path / f"slow-{len(keys)}-{screen_key}.db", screen_key, keys, query, burst=False
        )
        fast = await _typed_into_a_dialog(
            tmp_path / f"fast-{len(keys)}-{screen_key}.db", screen_key, keys, query, burst=True
        )
        assert slow, name
        assert fast == slow, name
