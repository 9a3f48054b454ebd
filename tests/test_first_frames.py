"""A screen shows what it shows in its first frame: no frame of an empty screen before its
data, no frame drawn and thrown away after a screen's key, and no screen under it drawn
again beneath each of its frames."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll

from planner_tui.domain.retro import BUILTIN_TEMPLATES, Phase
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.poker import PokerScreen
from planner_tui.screens.retro_board import RetroBoardScreen
from planner_tui.screens.sprint import SprintScreen
from planner_tui.services import poker, retro
from planner_tui.services.context import Session, open_session
from planner_tui.store import retro as retro_store
from planner_tui.widgets.deck_bar import DeckBar
from tests.conftest import live_app, settle, two_at_a_table, wait_until


def _text(screen: PlannerScreen[object]) -> str:
    """What the screen's last frame shows, as text."""
    return "\n".join(strip.text for strip in screen._compositor.render_strips())


class FirstFrames:
    """The first frame each screen draws on top: its text, and whether the terminal was
    sent it (frames drawn in a batch update are thrown away, and drawn again after)."""

    def __init__(self, app: object, monkeypatch: pytest.MonkeyPatch) -> None:
        self.text: dict[type[object], str] = {}
        self.sent: dict[type[object], bool] = {}
        draw = PlannerScreen._compositor_refresh

        def noted(screen: PlannerScreen[object]) -> None:
            draw(screen)
            if screen is app.screen and type(screen) not in self.text:  # type: ignore[attr-defined]
                self.text[type(screen)] = _text(screen)
                self.sent[type(screen)] = not app._batch_count  # type: ignore[attr-defined]

        monkeypatch.setattr(PlannerScreen, "_compositor_refresh", noted)


def _lines_shown(first: str, settled: str) -> tuple[int, int]:
    """How many of the settled screen's lines (title and keys aside, rules aside) the first
    frame shows as they are, of how many."""
    lines = [line.strip() for line in settled.splitlines()[1:-1] if line.strip(" ▏│─▁")]
    return sum(1 for line in lines if line in first), len(lines)


@pytest.mark.parametrize("key", ["2", "3", "4", "5", "6", "7"])
async def test_a_screen_s_first_frame_shows_what_it_reads_and_is_sent(
    demo_session: Session, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sprint, Risks and Actions drew a frame of empty lists ("No sprint.") before the
    reads behind them; and after any screen's key Textual held every frame back until a
    50 ms timer, which fired only once the new screen was built and drawn: that frame
    was thrown away and drawn again."""
    app = live_app(demo_session)
    frames = FirstFrames(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        home = type(app.screen)
        await pilot.press(key)
        await wait_until(pilot, lambda: type(app.screen) is not home, "the screen")
        await settle(pilot)
        shown = type(app.screen)
        settled = _text(app.screen)
    assert frames.sent[shown]
    found, of = _lines_shown(frames.text[shown], settled)
    assert found >= of / 2, f"{found} of {of} lines in the first frame:\n{frames.text[shown]}"


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
        await pilot.press("4")
        await wait_until(pilot, lambda: isinstance(app.screen, SprintScreen), "the sprint")
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
        await pilot.press("6")
        await wait_until(pilot, lambda: isinstance(app.screen, RetroBoardScreen), "the board")
        await settle(pilot)
        settled = _text(app.screen)
    first = frames.text[RetroBoardScreen]
    assert "Pairing [b]on[/] it" in first
    assert frames.sent[RetroBoardScreen]
    found, of = _lines_shown(first, settled)
    assert found >= of / 2, f"{found} of {of} lines in the first frame:\n{first}"


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
            await pilot.press("3")
            await wait_until(pilot, lambda: isinstance(app.screen, PokerScreen), "the table")
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
