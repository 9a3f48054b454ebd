"""The rules of meetings and sprints as pure functions of the domain, without a workspace:
what each refuses, in the words the user reads, and what each lets through."""

from __future__ import annotations

import pytest

from planner_tui.domain import poker, retro, sprint
from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.poker import Deck

FIBONACCI = Deck(name="fib", cards=("1", "2", "3", "5", "8", "?"))


def _refused(call: object, *args: object, **kwargs: object) -> str:
    assert callable(call)
    with pytest.raises(InvalidInput) as refusal:
        call(*args, **kwargs)
    return str(refusal.value)


def test_a_poker_card_must_be_in_the_deck_and_played_before_the_reveal() -> None:
    poker.check_card(FIBONACCI, "5", revealed=False, facilitates=False)
    poker.check_card(FIBONACCI, "5", revealed=True, facilitates=True)  # cards said out loud
    poker.check_card(FIBONACCI, "pass", revealed=False, facilitates=False)  # every deck has it
    assert (
        _refused(poker.check_card, FIBONACCI, "4", revealed=False, facilitates=False)
        == "4 is not a card of this deck (1 2 3 5 8 ? pass)"
    )
    assert "the cards are turned" in _refused(
        poker.check_card, FIBONACCI, "5", revealed=True, facilitates=False
    )


def test_nobody_enters_a_card_over_one_its_voter_played() -> None:
    poker.check_entered_for("lena", their_own_card=False)
    assert _refused(poker.check_entered_for, "lena", their_own_card=True) == (
        "lena played their own card; only they can change it"
    )


def test_a_round_moves_on_only_through_the_reveal() -> None:
    poker.check_revote(revealed=True)
    poker.check_withdraw(revealed=False)
    assert "reveal the cards first" in _refused(poker.check_revote, revealed=False)
    assert "the cards are turned" in _refused(poker.check_withdraw, revealed=True)


def test_timers_decks_and_ended_sessions() -> None:
    poker.check_timer(0)
    poker.check_timer(3600)
    assert "0 to 60 minutes" in _refused(poker.check_timer, 3601)
    assert "0 to 60 minutes" in _refused(poker.check_timer, -1)
    poker.check_custom_deck(Deck(name="team", cards=("1", "2")))
    assert "built-in deck" in _refused(
        poker.check_custom_deck, Deck(name="Fibonacci", cards=("1",))
    )
    poker.check_session_open("open")
    assert "this session has ended" in _refused(poker.check_session_open, "closed")


def test_a_retro_board_takes_named_themes_in_its_own_columns_and_ratings_of_one_to_five() -> None:
    retro.check_board_open("open")
    assert "this retro has ended" in _refused(retro.check_board_open, "closed")
    retro.check_column(("Went well", "To improve"), "To improve")
    assert (
        _refused(retro.check_column, ("Went well",), "Gossip") == "the board has no column Gossip"
    )
    assert retro.check_theme_title("  Flaky tests ") == "Flaky tests"
    assert _refused(retro.check_theme_title, "   ") == "a theme needs a title"
    assert _refused(retro.check_theme_title, None) == "a theme needs a title"
    for rating in (1, 5):
        retro.check_rating(rating)
    for rating in (0, 6):
        assert "from 1" in _refused(retro.check_rating, rating)


def test_a_sprint_starts_once_closes_once_and_runs_alone() -> None:
    sprint.check_can_start("Sprint 14", SprintStatus.PLANNED)
    assert _refused(sprint.check_can_start, "Sprint 14", SprintStatus.ACTIVE) == (
        "Sprint 14 is active already"
    )
    sprint.check_can_close("Sprint 14", SprintStatus.ACTIVE)
    assert "closed already" in _refused(sprint.check_can_close, "Sprint 14", SprintStatus.CLOSED)
    sprint.check_one_active(None)
    assert "Sprint 13 is active" in _refused(sprint.check_one_active, "Sprint 13")
    sprint.check_name_free("Sprint 15", taken=False)
    assert "already" in _refused(sprint.check_name_free, "Sprint 15", taken=True)
    sprint.check_carry_target(closing=2, target=3)
    sprint.check_carry_target(closing=2, target=None)
    assert "being closed" in _refused(sprint.check_carry_target, closing=2, target=2)


def test_only_open_work_goes_into_one_open_sprint() -> None:
    sprint.check_committable("CHK-4", "ready", already_in=None)
    assert _refused(sprint.check_committable, "CHK-4", "done", already_in=None) == (
        "CHK-4 is done; only open work goes into a sprint"
    )
    assert _refused(sprint.check_committable, "CHK-4", "new", already_in="Sprint 15") == (
        "CHK-4 is already in Sprint 15"
    )
    sprint.check_items_may_change("Sprint 14", SprintStatus.ACTIVE)
    assert "its items cannot change" in _refused(
        sprint.check_items_may_change, "Sprint 14", SprintStatus.CLOSED
    )
