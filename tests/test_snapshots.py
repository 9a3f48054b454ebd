"""Snapshots of key screens at fixed sizes, with a fixed clock, theme and data."""

from __future__ import annotations

from planner_tui.app import PlannerApp
from planner_tui.services.context import Session

from .conftest import TODAY


def _app(session: Session, theme: str = "textual-dark") -> PlannerApp:
    return PlannerApp(session, theme=theme, heartbeat=False, clock=lambda: TODAY)


def test_home_120x40(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(120, 40))


def test_home_80x24(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(80, 24))


def test_home_projector_theme(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session, "projector"), terminal_size=(120, 40))


def test_help_screen(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(100, 40), press=["question_mark"])


async def _steady(pilot) -> None:
    """No blinking cursors in snapshots."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


def test_backlog_80x24(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(80, 24), press=["2", "down"])


def test_backlog_160x50(snap_compare, demo_session: Session) -> None:
    assert snap_compare(
        _app(demo_session), terminal_size=(160, 50), press=["2", "down", "space", "space"]
    )


def test_item_editor(snap_compare, demo_session: Session) -> None:
    async def open_editor(pilot) -> None:
        await pilot.press("2", "down", "enter")
        await _steady(pilot)

    assert snap_compare(_app(demo_session), terminal_size=(120, 45), run_before=open_editor)


def _poker_session(session: Session, *, revealed: bool) -> None:
    """A running session on the demo's top unestimated items: three cards in, one still to come."""
    from planner_tui.domain.estimation import PokerSettings
    from planner_tui.services import poker

    ids = poker.next_unestimated(session, 3)
    settings = PokerSettings(auto_reveal=False, timer_seconds=0)
    sid = poker.start(session, "Snapshot", ids, settings, voters=["lena", "raj", "ines", "sam"])
    poker.vote(session, sid, "8")
    poker.vote(session, sid, "5", voter="lena")
    poker.vote(session, sid, "13", voter="raj")
    poker.vote(session, sid, "?", voter="ines")
    if revealed:
        poker.reveal(session, sid)


async def _open_estimation(pilot) -> None:
    await pilot.press("3")
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_poker_face_down_80x24(snap_compare, demo_session: Session) -> None:
    _poker_session(demo_session, revealed=False)
    assert snap_compare(_app(demo_session), terminal_size=(80, 24), run_before=_open_estimation)


def test_poker_revealed_140x45(snap_compare, demo_session: Session) -> None:
    _poker_session(demo_session, revealed=True)
    assert snap_compare(_app(demo_session), terminal_size=(140, 45), run_before=_open_estimation)


def _retro_in_discussion(session: Session) -> None:
    """A retro on the demo at Discuss: cards from the room, a theme, dots, notes and an action."""
    from planner_tui.domain.models import NewAction
    from planner_tui.domain.retro import BUILTIN_TEMPLATES, Phase, RetroSettings
    from planner_tui.services import retro
    from planner_tui.store.retro import set_phase

    columns = BUILTIN_TEMPLATES["Start / Stop / Continue"]
    sid = retro.start(
        session,
        "Sprint 14 retro",
        "Start / Stop / Continue",
        columns,
        # Named: anonymous cards get random ids, and so a different order each run.
        RetroSettings(
            anonymous=False, phase_seconds=0, several_votes_per_card=True, votes_per_person=5
        ),
    )
    set_phase(session.workspace, sid, Phase.WRITE)
    cards = {
        text: retro.write(session, sid, column, text, for_room=True)
        for column, text in [
            ("Start", "Pairing on risky stories before estimating them"),
            ("Start", "Writing acceptance criteria with [brackets] and emoji 🎯 together"),
            ("Stop", "Merging on Friday afternoons"),
            ("Stop", "Skipping the design review when the sprint is tight"),
            ("Stop", "Letting flaky end-to-end tests block the release"),
            ("Continue", "Demoing to support every sprint"),
        ]
    }
    set_phase(session.workspace, sid, Phase.GROUP)
    theme = retro.group(session, sid, cards["Merging on Friday afternoons"], title="Release habits")
    retro.group(
        session, sid, cards["Letting flaky end-to-end tests block the release"], theme_id=theme
    )
    set_phase(session.workspace, sid, Phase.VOTE)
    for _ in range(3):
        retro.dot(session, sid, theme_id=theme)
    retro.dot(session, sid, card_id=cards["Demoing to support every sprint"])
    set_phase(session.workspace, sid, Phase.DISCUSS)
    retro.set_notes(session, sid, "Two near-misses this sprint", theme_id=theme)
    retro.add_action(
        session,
        sid,
        NewAction(text="No merges after 2pm on Fridays", owner="sam", due=TODAY),
        theme_id=theme,
    )


def test_retro_board_80x24(snap_compare, demo_session: Session) -> None:
    _retro_in_discussion(demo_session)
    assert snap_compare(_app(demo_session), terminal_size=(80, 24), press=["6", "right"])


def test_retro_board_160x50(snap_compare, demo_session: Session) -> None:
    _retro_in_discussion(demo_session)
    assert snap_compare(_app(demo_session), terminal_size=(160, 50), press=["6", "right"])


def test_risks_with_the_matrix_120x40(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(120, 40), press=["5", "m", "down"])


def test_sprint_with_capacity_and_burn_down_120x40(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(120, 40), press=["4"])


def test_sprint_80x24(snap_compare, demo_session: Session) -> None:
    assert snap_compare(_app(demo_session), terminal_size=(80, 24), press=["4"])


# NO_COLOR: Textual draws greys; every warning, state and selection must still be seen.


def test_home_no_color_80x24(snap_compare, demo_session: Session, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(_app(demo_session), terminal_size=(80, 24))


def test_sprint_no_color_120x40(snap_compare, demo_session: Session, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(_app(demo_session), terminal_size=(120, 40), press=["4"])


def test_retro_start_dialog_no_color(snap_compare, demo_session: Session, monkeypatch) -> None:
    """Ticked and unticked boxes differ by their mark, not their colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(
        _app(demo_session), terminal_size=(100, 36), press=["6", "s"], run_before=_steady
    )
