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
