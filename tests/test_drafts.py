"""Drafts and reconnects: what someone was typing survives their terminal, and coming back
is not being someone new."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from planner_tui.domain.drafts import NEW_ITEM, card_place
from planner_tui.domain.retro import BUILTIN_TEMPLATES, Phase
from planner_tui.screens.quick_add import QuickAddModal
from planner_tui.screens.retro_board import RetroBoardScreen
from planner_tui.screens.retro_modals import CardModal
from planner_tui.services import drafts, retro, retro_view
from planner_tui.services.context import Session, open_session
from planner_tui.store.own_state import OwnState

from .conftest import live_app, settle, wait_until

WWW = BUILTIN_TEMPLATES["Went well / To improve / Actions"]


async def _type_quick_add(session: Session, text: str) -> None:
    """Open quick add, type `text`, and leave without saving (as a dying terminal would)."""
    app = live_app(session)
    async with app.run_test() as pilot:
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, QuickAddModal), "quick add")
        await pilot.press(*text)
        await wait_until(
            pilot,
            lambda: (kept := drafts.kept(session, NEW_ITEM)) is not None and kept.text == text,
            "the draft to be kept",
        )


async def test_a_quick_add_typed_then_abandoned_is_offered_back(demo_path: Path) -> None:
    first = open_session(demo_path, "maya")
    await _type_quick_add(first, "Half a [b]thought")
    first.workspace.close()

    again = open_session(demo_path, "maya")  # the terminal came back
    app = live_app(again)
    async with app.run_test() as pilot:
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, QuickAddModal), "quick add")
        box = app.screen.query_one("#quick-add-title")
        assert box.value == "Half a [b]thought"
        await pilot.press("!", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, QuickAddModal), "saved")
        await wait_until(
            pilot,
            lambda: again.workspace.query("SELECT 1 FROM items WHERE title = 'Half a [b]thought!'"),
            "the item saved",
        )
    assert drafts.kept(again, NEW_ITEM) is None  # saved: nothing to offer back
    again.workspace.close()


async def test_escape_drops_the_draft_and_another_person_never_sees_it(demo_path: Path) -> None:
    maya = open_session(demo_path, "maya")
    await _type_quick_add(maya, "maya's idea")
    li = open_session(demo_path, "li")
    assert drafts.kept(li, NEW_ITEM) is None
    app = live_app(maya)
    async with app.run_test() as pilot:
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, QuickAddModal), "quick add")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, QuickAddModal), "cancelled")
    assert drafts.kept(maya, NEW_ITEM) is None
    li.workspace.close()
    maya.workspace.close()


def test_private_state_is_the_owners_alone_and_outside_the_workspace(
    empty_session: Session, private_state: Path, workspace_path: Path
) -> None:
    drafts.keep(empty_session, NEW_ITEM, "secret plan")
    files = list(private_state.glob("*.json"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(private_state.stat().st_mode) == 0o700
    assert json.loads(files[0].read_text())["drafts"][NEW_ITEM]["text"] == "secret plan"
    assert b"secret plan" not in workspace_path.read_bytes()


def test_a_broken_or_unwritable_state_file_keeps_drafts_for_the_run(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    state = OwnState(broken)
    assert state.draft(NEW_ITEM) is None
    state.keep_draft(NEW_ITEM, "still here")
    assert state.draft(NEW_ITEM) is not None

    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    state = OwnState(blocked / "state.json")  # its folder cannot be made
    state.keep_draft(NEW_ITEM, "kept in memory")
    draft = state.draft(NEW_ITEM)
    assert draft is not None and draft.text == "kept in memory"


def test_coming_back_to_an_anonymous_board_is_not_a_second_writer(workspace_path: Path) -> None:
    maya = open_session(workspace_path, "maya")
    sid = retro.start(maya, "Sprint 14 retro", "Went well / To improve / Actions", WWW)
    sam = open_session(workspace_path, "sam")
    retro.join(sam, sid)
    card = retro.write(sam, sid, "To improve", "Standups run long")
    sam.workspace.close()  # sam's connection drops

    back = open_session(workspace_path, "sam")
    board = retro_view.board(back, sid)
    mine = [c for col in board.columns for c in col.cards if c.mine]
    assert [c.id for c in mine] == [card]  # his card is still his to see and edit
    retro.edit(back, sid, card, "Standups run long, every day")
    retro.write(back, sid, "Went well", "Pairing")
    assert retro_view.board(maya, sid).writers == 1
    assert retro_view.board(maya, sid).info.phase is Phase.WRITE
    back.workspace.close()
    maya.workspace.close()


async def test_a_card_being_written_comes_back_in_the_same_column(workspace_path: Path) -> None:
    maya = open_session(workspace_path, "maya")
    sid = retro.start(maya, "Sprint 14 retro", "Went well / To improve / Actions", WWW)
    maya.own.keep_draft(card_place(sid, "To improve"), "The build is slow")
    app = live_app(maya)
    async with app.run_test() as pilot:
        app.push_screen(RetroBoardScreen(sid))
        await wait_until(pilot, lambda: getattr(app.screen, "board", None) is not None, "board")
        await settle(pilot)
        await pilot.press("right", "w")
        await wait_until(pilot, lambda: isinstance(app.screen, CardModal), "the card dialog")
        assert app.screen.query_one("#card-text").value == "The build is slow"
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: any(
                c.text == "The build is slow"
                for col in retro_view.board(maya, sid).columns
                for c in col.cards
            ),
            "the card saved",
        )
    assert maya.own.draft(card_place(sid, "To improve")) is None
    maya.workspace.close()
