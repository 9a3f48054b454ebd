"""Keys that arrive in one burst (a paste, a fast typist, SSH delivering keys in bunches)
give what the same keys typed slowly give."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from pathlib import Path

import pytest
from textual import events
from textual.keys import key_to_character
from textual.pilot import Pilot
from textual.screen import ModalScreen

from planner_tui.screens.actions import ActionsScreen
from planner_tui.services.context import Session

from .conftest import live_app, rows, settle, shown, wait_until

KEYS = {" ": "space", ",": "comma", "-": "minus", "+": "plus", ".": "full_stop"}
"""The names of the keys that type these characters."""
CHARACTERS = {"tab": "\t", "enter": "\r", **{key: c for c, key in KEYS.items()}}


def _burst(app, keys: list[str]) -> None:
    """Queue every key at once, before the app has handled the first."""
    for key in keys:
        character = CHARACTERS.get(key) or key_to_character(key)
        app.post_message(events.Key(key, character))


def _typed(text: str) -> list[str]:
    return [KEYS.get(c, c) for c in text]


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


Setup = list[str | Callable[[Pilot, ExitStack], Awaitable[None]]]
"""Keys pressed slowly, each settled, before the measured keys; or a step of its own."""


async def _typed_into_a_dialog(
    path: Path, screen_key: str, setup: Setup, keys: list[str], query: str, *, burst: bool
) -> list[tuple]:
    """What the workspace holds (`query`) after `keys` went into a fresh demo's screen, in
    one burst or one key at a time, each handled before the next. The `setup` comes first,
    slowly (a session started, a retro moved on to its phase, a dialog opened)."""
    from planner_tui.exchange.demo import write_demo_workspace
    from planner_tui.services.context import open_session

    from .conftest import TODAY

    write_demo_workspace(path, replace=False, today=TODAY)
    with ExitStack() as stack:
        session = open_session(path, "maya")
        stack.callback(session.workspace.close)
        app = live_app(session)
        async with app.run_test(size=(120, 40)) as pilot:
            for step in [screen_key, *setup]:
                if isinstance(step, str):
                    await pilot.press(step)
                    await settle(pilot)
                else:
                    await step(pilot, stack)
            before = rows(path, query)
            if burst:
                _burst(app, keys)
            else:
                for key in keys:  # the same key events, each once the one before is handled
                    _burst(app, [key])
                    await pilot.pause()
            how = "in one burst" if burst else "slowly"
            await wait_until(pilot, lambda: rows(path, query) != before, f"{path.stem} {how}")
            await wait_until(
                pilot, lambda: not isinstance(app.screen, ModalScreen), "the dialog closed"
            )
            await settle(pilot)
    return rows(path, query)


def _moved_on_to(phase: str) -> Callable[[Pilot, ExitStack], Awaitable[None]]:
    """The retro on the screen moved on, `]` after `]`, to `phase` (write, reveal, ...)."""

    async def move_on(pilot: Pilot, stack: ExitStack) -> None:
        screen = pilot.app.screen
        while (was := screen.board.info.phase) != phase:
            await pilot.press("right_square_bracket")
            await wait_until(
                pilot, lambda: screen.board.info.phase != was, f"the phase after {was}"
            )

    return move_on


async def _raj_has_the_retro_open(pilot: Pilot, stack: ExitStack) -> None:
    """raj opens the running retro on his terminal: someone here to hand it over to."""
    from planner_tui.services import retro, retro_view
    from planner_tui.services.context import open_session

    board = pilot.app.screen
    raj = open_session(pilot.app.session.path, "raj")
    stack.callback(raj.close)
    retro.join(raj, board.session_id)
    raj.heartbeat(retro_view.place(board.session_id))
    await wait_until(
        pilot, lambda: board.board is not None and "raj" in board.board.here, "raj here"
    )


def _fields(*texts: str) -> list[str]:
    """Each text typed into a field of a form, tab between them ("": the field is passed)."""
    keys: list[str] = []
    for number, text in enumerate(texts):
        keys += [*(["tab"] if number else []), *_typed(text)]
    return keys


START_POKER = ["s", "enter"]
"""On the Estimation screen: a session on the next unestimated items; maya facilitates."""
START_RETRO = ["s", "enter"]
"""On the Retro screen: a retro on the default template, at its Review phase."""
NEWEST_SESSION = "(SELECT max(id) FROM sessions)"
NEWEST_BOARD = f"(SELECT id FROM retro_boards WHERE session_id = {NEWEST_SESSION})"

DIALOGS: dict[str, tuple[str, Setup, list[str], str]] = {
    "plan a sprint (name kept, goal typed)": (
        "4",
        [],
        ["p", "tab", *_typed("one tap pay"), "enter"],
        "SELECT name, goal FROM sprints ORDER BY id DESC LIMIT 1",
    ),
    "plan a sprint, its dialog open before the burst": (
        "4",
        ["p"],
        [*_fields("", "fast pay", "", "", "1.5"), "enter"],
        "SELECT name, goal, points_per_day FROM sprints ORDER BY id DESC LIMIT 1",
    ),
    "add a newcomer's capacity (enter twice: once to hear they are new)": (
        "4",
        [],
        ["a", *_typed("zoe"), "tab", "8", "tab", "1", "enter", "enter"],
        "SELECT p.name, c.days_available, c.days_off FROM sprint_capacity c "
        "JOIN people p ON p.id = c.person_id WHERE p.name = 'zoe'",
    ),
    "raise a risk against a sprint item": (
        "4",
        [],
        ["exclamation_mark", *_typed("Auth vendor slips"), "tab", *_typed("login stalls"), "enter"],
        "SELECT title, description, item_id, sprint_id FROM risks ORDER BY id DESC LIMIT 1",
    ),
    "give a sprint item an owner": (
        "4",
        ["shift+tab"],  # the sprint's items
        ["o", *_typed("ines"), "enter"],
        "SELECT item_id, owner_id FROM sprint_items WHERE sprint_id = 2 ORDER BY item_id",
    ),
    "close the sprint (two ticked, the rest to a new sprint)": (
        "4",
        [],
        ["C", "space", "down", "space", "tab", "down", "enter"],
        "SELECT s.name, s.status, (SELECT group_concat(i.item_id || ':' || i.done) "
        "FROM sprint_items i WHERE i.sprint_id = s.id) FROM sprints s ORDER BY s.id",
    ),
    "raise a risk, every field typed": (
        "5",
        [],
        [
            "r",
            *_fields("Vault down", "no cards", "scope", "4", "2"),
            "tab",
            *_fields("chk-3", "", "sam", "retry", "+7"),
            "enter",
        ],
        "SELECT title, description, category, likelihood, impact, item_id, sprint_id, "
        "owner_id, mitigation, follow_up FROM risks ORDER BY id DESC LIMIT 1",
    ),
    "decide a risk (owned, with a note)": (
        "5",
        [],
        ["d", "down", *_fields("", "sam has it", "sam"), "enter"],
        "SELECT id, status, decision_note, owner_id FROM risks ORDER BY id",
    ),
    "change the item under the cursor in bulk (add a tag)": (
        "2",
        [],
        ["b", "end", "up", "enter", *_typed("burst tag"), "enter"],
        "SELECT key, tags FROM items ORDER BY id",
    ),
    "a new item in the editor (title, value, estimate, problem)": (
        "2",
        [],
        ["n", *_fields("Bank pay", "", "", "8", "5", "no card"), "ctrl+s"],
        "SELECT title, value, estimate, problem FROM items ORDER BY id DESC LIMIT 1",
    ),
    "quick add": (
        "1",
        [],
        ["n", *_typed("Apple Pay"), "enter"],
        "SELECT title FROM items ORDER BY id DESC LIMIT 1",
    ),
    "start an estimation session (title, deck, items, voters, timer)": (
        "3",
        [],
        ["s", *_fields("sizing", ""), "down", *_fields("", "", "3", "lena, raj", "60"), "enter"],
        "SELECT s.title, s.settings, (SELECT count(*) FROM session_items i "
        "WHERE i.session_id = s.id), (SELECT group_concat(p.name) FROM session_people sp "
        "JOIN people p ON p.id = sp.person_id WHERE sp.session_id = s.id) "
        "FROM sessions s ORDER BY s.id DESC LIMIT 1",
    ),
    "start an estimation session, dialog open, its title cleared with ctrl+u first": (
        "3",
        ["s"],
        ["ctrl+u", *_fields("sizing day", "", "", "3", "lena, raj", "60"), "enter"],
        "SELECT s.title, (SELECT count(*) FROM session_items i WHERE i.session_id = s.id) "
        "FROM sessions s ORDER BY s.id DESC LIMIT 1",
    ),
    "accept an estimate (card, points, why)": (
        "3",
        START_POKER,
        ["a", *_fields("5", "4", "known"), "enter"],
        "SELECT item_id, state, final_estimate, final_card, rationale FROM session_items "
        f"WHERE session_id = {NEWEST_SESSION} ORDER BY position",
    ),
    "notes on the item in discussion (two lines)": (
        "3",
        START_POKER,
        ["o", *_typed("ask lena"), "enter", *_typed("size it"), "ctrl+s"],
        f"SELECT item_id, notes FROM session_items WHERE session_id = {NEWEST_SESSION}",
    ),
    "enter a card for a newcomer in the room (enter twice)": (
        "3",
        START_POKER,
        ["f", "shift+tab", *_fields("zoe", "8"), "enter", "enter"],
        "SELECT p.name, v.card FROM votes v JOIN people p ON p.id = v.person_id "
        f"JOIN estimation_rounds r ON r.id = v.round_id WHERE r.session_id = {NEWEST_SESSION}",
    ),
    "add an item to the queue, found by a word of its title": (
        "3",
        START_POKER,
        ["i", *_typed("bundle"), "enter"],
        f"SELECT item_id, position FROM session_items WHERE session_id = {NEWEST_SESSION}",
    ),
    "the session menu: add a voter": (
        "3",
        START_POKER,
        ["m", "down", "enter", *_typed("zoe"), "enter"],
        "SELECT p.name, sp.role FROM session_people sp JOIN people p ON p.id = sp.person_id "
        f"WHERE sp.session_id = {NEWEST_SESSION} ORDER BY p.name",
    ),
    "start a retro (title, own columns kept as a template, votes, timer)": (
        "6",
        [],
        ["s", *_fields("Q4", "", "Keep, Try", "kt", "", "5", "0"), "enter"],
        "SELECT s.title, b.template, b.columns, b.votes_per_person, "
        "b.phase_seconds FROM sessions s JOIN retro_boards b ON b.session_id = s.id "
        "ORDER BY s.id DESC LIMIT 1",
    ),
    "write a card": (
        "6",
        [*START_RETRO, _moved_on_to("write")],
        ["w", *_typed("calm deploys"), "enter"],
        f"SELECT column_name, text FROM retro_cards WHERE board_id = {NEWEST_BOARD}",
    ),
    "group a card under a new theme": (
        "6",
        [*START_RETRO, _moved_on_to("write"), "w", "x", "enter", _moved_on_to("group")],
        ["g", *_typed("CI flakes"), "enter"],
        "SELECT t.title, c.text FROM retro_cards c JOIN retro_themes t ON t.id = c.theme_id "
        f"WHERE c.board_id = {NEWEST_BOARD}",
    ),
    "rate the retro": (
        "6",
        [*START_RETRO, _moved_on_to("close")],
        ["r", "4"],
        f"SELECT person_id, rating FROM retro_ratings WHERE board_id = {NEWEST_BOARD}",
    ),
    "hand the retro over": (
        "6",
        [*START_RETRO, _raj_has_the_retro_open],
        ["m", *_typed("raj"), "enter"],
        "SELECT p.name FROM sessions s JOIN people p ON p.id = s.facilitator_id "
        f"WHERE s.id = {NEWEST_SESSION}",
    ),
    "add an action item (text, owner, due)": (
        "7",
        [],
        ["a", *_fields("fix ci", "sam", "+2"), "enter"],
        "SELECT text, owner_id, due_date, status FROM action_items ORDER BY id DESC LIMIT 1",
    ),
}


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_a_dialog_typed_in_one_burst_saves_what_slow_typing_saves(tmp_path, name) -> None:
    """The same keys, slowly and then in one burst, on two fresh copies of the demo, leave
    the same rows behind."""
    screen_key, setup, keys, query = DIALOGS[name]
    slow = await _typed_into_a_dialog(
        tmp_path / "slow.db", screen_key, setup, keys, query, burst=False
    )
    fast = await _typed_into_a_dialog(
        tmp_path / "fast.db", screen_key, setup, keys, query, burst=True
    )
    assert slow, name
    assert fast == slow, name


@pytest.mark.parametrize(
    ("screen_key", "field"), [("2", "#backlog-filter"), ("4", "#backlog-find")]
)
async def test_a_find_opened_and_typed_in_one_burst_gets_the_text(
    demo_session: Session, screen_key: str, field: str
) -> None:
    """Found by hand: "/ex" typed fast on the Backlog opened the item editor (its e), and
    on the Sprint screen lost the text: / opens the field only once its own key is
    handled, and the keys behind it were already sent to the list."""
    from textual.widgets import Input

    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(screen_key)
        await settle(pilot)
        screen = app.screen
        _burst(app, ["slash", *_typed("ex")])
        await settle(pilot)
        assert app.screen is screen  # no editor, no dialog
        assert screen.query_one(field, Input).value == "ex"


async def test_columns_crossed_in_one_burst_arrive_where_slow_keys_do(
    empty_session: Session,
) -> None:
    """Found by hand: → → pressed fast from the first retro column reached the second, and
    a card written then went under the wrong heading: each key read the focus the one
    before had asked for but not yet given."""
    from planner_tui.domain.retro import BUILTIN_TEMPLATES, Phase
    from planner_tui.screens.retro_board import RetroBoardScreen
    from planner_tui.services import retro
    from planner_tui.store import retro as retro_store
    from planner_tui.widgets.retro_column import RetroColumn

    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    retro_store.set_phase(empty_session.workspace, sid, Phase.WRITE)
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, "6", RetroBoardScreen)
        await settle(pilot)
        screen = app.screen

        def column() -> int:
            focused = screen.focused
            return focused.index if isinstance(focused, RetroColumn) else -1

        assert column() == 0
        for keys, arrived in ((["right"] * 3, 3), (["left"] * 2, 1), (["right"] * 9, 3)):
            _burst(app, keys)
            await settle(pilot)
            assert (keys, column(), screen.active) == (keys, arrived, arrived)


async def test_a_card_picked_from_the_queue_and_played_in_one_burst_is_played(
    tmp_path: Path,
) -> None:
    """A digit typed with the poker queue focused hands the focus to the hand and picks
    that card; the enter typed right behind it went to the queue (the focus moved after
    the keys already queued): the facilitator took up another item instead of voting."""
    from planner_tui.screens.poker import PokerScreen
    from planner_tui.services import poker
    from planner_tui.widgets.poker_queue import PokerQueue

    from .conftest import two_at_a_table

    maya, sam, sid = two_at_a_table(tmp_path / "team.db")
    try:
        from planner_tui.domain.models import NewItem
        from planner_tui.store.items import add_items

        poker.add_items(maya, sid, add_items(maya.workspace, [NewItem(title="Later")]))
        app = live_app(maya)
        async with app.run_test(size=(120, 40)) as pilot:
            await shown(pilot, "3", PokerScreen)
            await settle(pilot)
            screen = app.screen
            await pilot.press("l")  # the queue
            await wait_until(pilot, lambda: screen.query_one(PokerQueue).has_focus, "queue")
            item = screen.table.info.current_item_id
            _burst(app, ["5", "enter"])
            await wait_until(
                pilot, lambda: poker.table(maya, sid).my_vote is not None, "my card saved"
            )
            await settle(pilot)
            assert poker.table(maya, sid).my_vote.card == "5"
            assert screen.table.info.current_item_id == item
    finally:
        maya.workspace.close()
        sam.workspace.close()


async def test_keys_behind_a_find_s_enter_move_the_list_as_slow_keys_do(
    demo_session: Session,
) -> None:
    """Sprint: "/e", enter, ↓ ↓ typed fast left the cursor at the top: enter hands the
    focus to the list only once its message is handled, and the ↓s reached the find box
    first and were lost. ↑ ↓ in the box move the list it narrows."""
    from textual.widgets import Input

    keys = ["slash", "e", "enter", "down", "down"]
    cursors = []
    for fast in (False, True):
        app = live_app(demo_session)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("4")
            await settle(pilot)
            if fast:
                _burst(app, keys)
            else:
                for key in keys:
                    await pilot.press(key)
                    await settle(pilot)
            await settle(pilot)
            focused = app.screen.focused
            assert focused is not None and not isinstance(focused, Input), focused
            cursors.append(getattr(focused, "cursor_row", None))
    assert cursors[0] == cursors[1] == 2, cursors
