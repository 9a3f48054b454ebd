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


async def test_the_room_screen_setting_opens_the_presenter_view_for_the_facilitator(
    empty_session: Session,
) -> None:
    """Issue 18: the presenter view can be a session's default for its shared screen. The
    start dialog's tick keeps it with the session; the facilitator's screen then opens
    the session presenting (once: escape leaves it), a teammate's does not, and the
    session menu turns it off."""
    from textual.widgets import Checkbox

    from planner_tui.domain.estimation import DEFAULT_DECK, PokerSettings
    from planner_tui.screens.poker_menu import SessionMenu
    from planner_tui.screens.poker_modals import StartPokerModal
    from planner_tui.services.context import open_session
    from planner_tui.store.poker_base import settings_of

    (item,) = add_items(empty_session.workspace, [NewItem(title="Checkout form")])
    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        chosen: list = []
        app.push_screen(StartPokerModal([DEFAULT_DECK], "Room", picked=1), chosen.append)
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, StartPokerModal) and app.screen.query("#start-deck"),
            "the dialog",
        )
        await settle(pilot)
        assert app.screen.query_one("#start-present", Checkbox).value is False
        app.screen.query_one("#start-present", Checkbox).value = True
        app.screen.action_submit()  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: chosen, "the dialog's answer")
        assert chosen[0].present is True

    sid = poker.start(empty_session, "Room", [item], PokerSettings(present=True))

    def stored() -> bool:
        row = empty_session.workspace.query_one("SELECT settings FROM sessions WHERE id = ?", [sid])
        return settings_of(row).present

    app = live_app(empty_session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await wait_until(pilot, lambda: isinstance(app.screen, PresenterScreen), "presenting")
        assert "PLN-1  Checkout form" in _shown(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PresenterScreen), "back")
        app.notify_screen(frozenset({"round"}))  # a later read does not open it again
        await settle(pilot)
        assert not isinstance(app.screen, PresenterScreen)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionMenu), "the menu")
        menu = app.screen.query_one("#menu-choices")
        index = next(
            n for n in range(menu.option_count) if menu.get_option_at_index(n).id == "present"
        )
        assert "on → off" in str(menu.get_option_at_index(index).prompt)
        menu.highlighted = index
        await pilot.press("enter")
        await wait_until(pilot, lambda: not stored(), "the setting turned off")

    poker.update_settings(empty_session, sid, PokerSettings(present=True))
    lena = open_session(empty_session.path, "lena")
    try:
        app = live_app(lena)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("3")
            await wait_until(
                pilot,
                lambda: app.screen.table is not None,
                "lena's table",  # type: ignore[attr-defined]
            )
            await settle(pilot)
            assert not isinstance(app.screen, PresenterScreen)  # only the facilitator's
    finally:
        lena.workspace.close()


async def test_a_retro_set_for_the_room_opens_presenting_for_the_facilitator(
    empty_session: Session,
) -> None:
    from planner_tui.domain.retro import BUILTIN_TEMPLATES, RetroSettings
    from planner_tui.screens.modal import ConfirmModal
    from planner_tui.screens.retro_board import RetroBoardScreen
    from planner_tui.services import retro
    from planner_tui.services.context import open_session
    from planner_tui.store.retro_base import settings_of

    www = BUILTIN_TEMPLATES["Went well / To improve / Actions"]
    sid = retro.start(empty_session, "Retro", "Went well / To improve / Actions", www,
                      RetroSettings(present=True))  # fmt: skip

    def stored() -> bool:
        row = empty_session.workspace.query_one("SELECT settings FROM sessions WHERE id = ?", [sid])
        return settings_of(row).present

    for session, presenting in ((empty_session, True), (None, False)):
        who = session or open_session(empty_session.path, "lena")
        try:
            app = live_app(who)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.press("6")
                await wait_until(
                    pilot,
                    lambda app=app: isinstance(app.screen, RetroBoardScreen) and app.screen.board,
                    "the board",
                )
                await settle(pilot)
                assert app.screen.presenting is presenting  # type: ignore[attr-defined]
                assert (app.theme == "projector") is presenting
                if presenting:  # leaving it asks whether the board keeps opening in it
                    await pilot.press("P")
                    await wait_until(pilot, lambda app=app: isinstance(app.screen, ConfirmModal),
                                     "the question")  # fmt: skip
                    await pilot.press("n")
                    await wait_until(pilot, lambda: not stored(), "the setting turned off")
        finally:
            if session is None:
                who.workspace.close()
