"""A screen shows what it shows in its first frame: no frame of an empty screen before its
data, nor of its look before a teammate's change, nor of the list a meeting opens from;
no frame drawn to be thrown away; no screen under it drawn again beneath each frame."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll

from planner_tui.domain.enums import ActionStatus
from planner_tui.domain.retro import BUILTIN_TEMPLATES, Phase
from planner_tui.screens.actions import ActionsScreen
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.poker import PokerScreen
from planner_tui.screens.retro import RetroScreen
from planner_tui.screens.retro_board import RetroBoardScreen
from planner_tui.screens.sprint import SprintScreen
from planner_tui.services import poker, retro
from planner_tui.services.context import Session, open_session
from planner_tui.store import retro as retro_store
from planner_tui.widgets.deck_bar import DeckBar
from tests.conftest import live_app, settle, shown, two_at_a_table, wait_until
from tests.test_bursts import _burst


def _text(screen: PlannerScreen[object]) -> str:
    """What the screen's last frame shows, as text."""
    return "\n".join(strip.text for strip in screen._compositor.render_strips())


class FirstFrames:
    """The first frame each screen on top sends to the terminal (since `forget`), as text;
    and how many frames were drawn to be thrown away (drawn while Textual holds frames)."""

    def __init__(self, app: object, monkeypatch: pytest.MonkeyPatch) -> None:
        self.text: dict[type[object], str] = {}
        self.sent: list[type[object]] = []
        """The screens of the frames sent, in order."""
        self.thrown_away = 0
        draw = PlannerScreen._compositor_refresh

        def noted(screen: PlannerScreen[object]) -> None:
            skipped = getattr(app, "holding_frames", False)  # (held: nothing is drawn)
            draw(screen)
            if skipped or screen is not app.screen:  # type: ignore[attr-defined]
                return
            if app._batch_count:  # type: ignore[attr-defined]
                self.thrown_away += 1
                return
            self.sent.append(type(screen))
            if type(screen) not in self.text:
                self.text[type(screen)] = _text(screen)

        monkeypatch.setattr(PlannerScreen, "_compositor_refresh", noted)

    def forget(self) -> None:
        """From now on (the app has started: Textual holds frames as it starts)."""
        self.text.clear()
        self.sent.clear()
        self.thrown_away = 0


@pytest.mark.parametrize("key", ["2", "3", "4", "5", "6", "7"])
async def test_a_screen_s_first_frame_shows_what_it_reads(
    demo_session: Session, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sprint, Risks and Actions drew a frame of empty lists ("No sprint.") before the
    reads behind them; read first, a sprint's bars were then drawn before its layout, too
    wide. The first frame the terminal is sent is the screen as it settles."""
    app = live_app(demo_session)
    frames = FirstFrames(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        frames.forget()
        home = type(app.screen)
        await pilot.press(key)
        await wait_until(pilot, lambda: type(app.screen) is not home, "the screen")
        await settle(pilot)
        shown = type(app.screen)
        settled = _text(app.screen)
    assert frames.thrown_away == 0
    assert frames.text[shown] == settled  # (laid out as it settles: a sprint's bars too)


async def test_a_screen_opened_reads_once(
    demo_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual resumes a screen twice as it is first shown: one read serves both."""
    reads: list[object] = []
    reload = SprintScreen.reload

    def counted(screen: SprintScreen) -> None:
        reads.append(None)
        reload(screen)

    monkeypatch.setattr(SprintScreen, "reload", counted)
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, "4", SprintScreen)
        await settle(pilot)
        assert len(reads) == 1
        await pilot.press("1", "4")  # shown again: read again
        await wait_until(pilot, lambda: len(reads) == 2, "a second read")
        await settle(pilot)
        assert len(reads) == 2


async def test_a_retro_board_s_first_frame_shows_its_cards(
    empty_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board drew a frame with no columns, read in a worker, built its columns, drew
    them empty, then drew its cards: at 20,000 cards a person saw them 150 ms after `6`."""
    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    retro_store.set_phase(empty_session.workspace, sid, Phase.WRITE)
    retro.write(empty_session, sid, "Learned", "Pairing [b]on[/] it")
    app = live_app(empty_session)
    frames = FirstFrames(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        frames.forget()
        await shown(pilot, "6", RetroBoardScreen)
        await settle(pilot)
        settled = _text(app.screen)
    first = frames.text[RetroBoardScreen]
    assert "Pairing [b]on[/] it" in first
    assert frames.thrown_away == 0
    assert first == settled


@pytest.mark.parametrize("key", ["1", "6"])
async def test_a_screen_is_drawn_on_its_own_background(demo_session: Session, key: str) -> None:
    """A mixin that was a DOMNode hid Screen's styles from every screen here: no background
    of its own, so each frame of a screen shown over another (a retro board over the
    retro list) drew the one under it again beneath it."""
    app = live_app(demo_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(key)
        await settle(pilot)
        for screen in app.screen_stack:
            assert screen.styles.background.a == 1, type(screen).__name__


async def test_a_poker_table_s_first_frame_shows_the_item_and_stays_on_it(
    workspace_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table drew two empty frames before its read. Drawn in its first frame, it then
    slid down to the deck (Textual's scroll to the widget it focuses), below the voters'
    cards, and the item being estimated went off the top."""
    maya, sam, sid = two_at_a_table(workspace_path)
    others = [open_session(workspace_path, f"voter{n}") for n in range(12)]
    for voter in others:
        poker.join(voter, sid)
    app = live_app(maya)
    frames = FirstFrames(app, monkeypatch)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            frames.forget()
            await shown(pilot, "3", PokerScreen)
            await settle(pilot)
            main = app.screen.query_one("#poker-main", VerticalScroll)
            assert main.max_scroll_y > 0  # (the deck is below the fold)
            assert main.scroll_y == 0
            assert isinstance(app.screen.focused, DeckBar)
            assert "Story" in _text(app.screen)
        assert "Story" in frames.text[PokerScreen]
    finally:
        for session in (maya, sam, *others):
            session.close()


async def test_a_screen_shown_again_shows_a_teammate_s_change_in_its_first_frame(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shown again, a screen sent a frame of its look from before, then read: raj moved an
    action on while maya was on Home, and her Actions screen showed it open for a frame."""
    maya, raj = open_session(demo_path, "maya"), open_session(demo_path, "raj")
    app = live_app(maya)
    frames = FirstFrames(app, monkeypatch)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            frames.forget()
            await shown(pilot, "7", ActionsScreen)
            await pilot.press("1")
            await wait_until(pilot, lambda: not isinstance(app.screen, ActionsScreen), "Home")
            await settle(pilot)
            first = next(a for a in retro.actions(raj) if a.status is ActionStatus.OPEN)
            retro.update_action(
                raj,
                first.id,
                text=first.text,
                owner=first.owner,
                due=first.due_date,
                status=ActionStatus.IN_PROGRESS,
            )
            frames.forget()
            await pilot.press("7")
            await wait_until(pilot, lambda: ActionsScreen in frames.text, "a frame of Actions")
            lines = frames.text[ActionsScreen].splitlines()
            row = next(line for line in lines if first.text[:30] in line)
            assert "in progress" in row
    finally:
        raj.close()
        maya.close()


async def test_a_running_retro_opens_without_a_frame_of_its_list(
    empty_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Back on the retro list (escape), then elsewhere, then 6: the list was sent for a
    frame before the running retro opened on it."""
    retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    app = live_app(empty_session)
    frames = FirstFrames(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        frames.forget()
        await shown(pilot, "6", RetroBoardScreen)
        await shown(pilot, "escape", RetroScreen)
        await shown(pilot, "7", ActionsScreen)
        await settle(pilot)
        frames.forget()
        await shown(pilot, "6", RetroBoardScreen)
        await settle(pilot)
        assert frames.sent and set(frames.sent) == {RetroBoardScreen}


@pytest.mark.parametrize("key", ["1", "5"])
async def test_a_screen_too_small_for_it_is_cut_not_scrolled(
    demo_session: Session, key: str
) -> None:
    """Given Screen's styles, screens took Textual's overflow-y: auto: at 50x16 Home showed
    a scrollbar that took a column from every panel, and a screen scrolled a line to the
    widget it focused. Screens are laid out to fit; their lists scroll."""
    app = live_app(demo_session)
    async with app.run_test(size=(50, 16)) as pilot:
        await pilot.press(key)
        await settle(pilot)
        assert not app.screen.show_vertical_scrollbar
        assert app.screen.scroll_y == 0


async def test_frames_held_for_a_screen_that_goes_are_let_go(
    demo_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hold ends on a callback of the screen shown; a screen gone before it ran (its
    messages dropped) must not leave the app drawing nothing: the hold's timer ends it."""
    app = live_app(demo_session)
    call_later = PlannerScreen.call_later

    def dropping(screen: PlannerScreen[object], callback: object, *args: object) -> bool:
        if getattr(callback, "__name__", "") == "_let_go":
            return True  # (never run: the screen went)
        return call_later(screen, callback, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(PlannerScreen, "call_later", dropping)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await wait_until(pilot, lambda: not app.holding_frames, "frames let go")
        assert not app._batch_count


async def test_a_dialog_opened_with_the_key_that_shows_its_screen_comes_at_once_and_whole(
    empty_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`6w` typed in one go: the card dialog went on top before the board was resumed, the
    board was not the top screen, and only the hold's timer let frames go (0.5 s); the
    first frame then drew only what had changed over the screen the terminal still showed
    (Home, with pieces of the dialog)."""
    import planner_tui.app
    from planner_tui.screens.retro_modals import CardModal

    sid = retro.start(empty_session, "Retro", "4Ls", BUILTIN_TEMPLATES["4Ls"])
    retro_store.set_phase(empty_session.workspace, sid, Phase.WRITE)
    monkeypatch.setattr(planner_tui.app, "HOLD_AT_MOST", 600.0)  # (ended here only by a release)
    app = live_app(empty_session)
    sent: list[str] = []
    display = app._display

    def noted(screen: object, update: object) -> None:
        if update is not None and not app._batch_count:
            sent.append(type(update).__name__)
        display(screen, update)  # type: ignore[arg-type]

    monkeypatch.setattr(app, "_display", noted)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, "6", RetroBoardScreen)
        await pilot.press("1")
        await wait_until(pilot, lambda: not isinstance(app.screen, RetroBoardScreen), "Home")
        await settle(pilot)
        sent.clear()
        _burst(app, ["6", "w"])
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, CardModal) and not app.holding_frames,
            "the card dialog, shown",
        )
        await settle(pilot)
        assert sent[0] == "LayoutUpdate"  # (the whole terminal, not what changed)
