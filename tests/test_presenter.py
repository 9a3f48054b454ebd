"""The presenter view of a poker session: large, for the room, nothing private before the
reveal, at every size from 80x24 to 240x70."""

from __future__ import annotations

import pytest

from planner_tui.app import PlannerApp
from planner_tui.domain.models import NewItem
from planner_tui.screens.presenter import PresenterScreen
from planner_tui.services import poker
from planner_tui.services.context import Session
from planner_tui.store.items import add_items
from planner_tui.widgets.vote_cards import big_face

from .conftest import TODAY, live_app, settle, wait_until

SIZES = [(80, 24), (120, 40), (240, 70)]


def _session(session: Session, *, timer: int = 120) -> int:
    """A round where maya (facilitating, voting too) played 21 and lena has not voted."""
    from planner_tui.domain.estimation import PokerSettings

    (item,) = add_items(session.workspace, [NewItem(title="Checkout form")])
    settings = PokerSettings(timer_seconds=timer)
    sid = poker.start(session, "Room", [item], settings, voters=["lena"])
    poker.vote(session, sid, "21")
    return sid


def _shown(app: PlannerApp) -> str:
    return str(app.screen.query_one("#presenter").render())


@pytest.mark.parametrize("size", SIZES)
async def test_nothing_private_before_the_reveal_and_the_cards_after(
    empty_session: Session, size: tuple[int, int]
) -> None:
    """With 'I vote too' the facilitator's own card was face-up on the shared screen
    (issue 18): the presenter view draws who voted, never a value, until the reveal."""
    sid = _session(empty_session)
    app = live_app(empty_session)
    async with app.run_test(size=size) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("P")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PresenterScreen) and "voted" in _shown(app),
            "the presenter view",
        )
        shown = _shown(app)
        assert "21" not in shown and "you" not in shown
        figure = big_face("21", 12)
        assert figure is not None and figure[0] not in shown
        assert "✓ maya" in shown and "· lena" in shown and "PLN-1  Checkout form" in shown
        assert "left" in shown  # the timer, in large figures
        assert app.theme == "projector"  # high contrast while it shows

        turned = poker.vote(empty_session, sid, "8", voter="lena")  # the last card turns them
        if not turned:
            poker.reveal(empty_session, sid)
        app.notify_screen(frozenset({"round"}))
        await wait_until(pilot, lambda: figure[0] in _shown(app), "the reveal")
        assert "median" in _shown(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PresenterScreen), "back")
        assert app.theme != "projector"


@pytest.mark.parametrize("size", SIZES)
def test_presenter_snapshot(snap_compare, empty_session: Session, size: tuple[int, int]) -> None:
    _session(empty_session, timer=0)  # (a running clock would differ from run to run)
    app = PlannerApp(empty_session, theme="textual-dark", heartbeat=False, clock=lambda: TODAY)

    async def open_it(pilot) -> None:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("P")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PresenterScreen) and "voted" in _shown(app),
            "the presenter view",
        )

    assert snap_compare(app, terminal_size=size, run_before=open_it)
