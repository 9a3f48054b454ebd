"""Planning poker: decks, statistics, and the session rules, through the services."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from planner_tui.domain.enums import Confidence
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.estimation import PokerRole, PokerSettings, QueueState
from planner_tui.domain.models import NewItem
from planner_tui.domain.poker import (
    BUILTIN_DECKS,
    Agreement,
    Ballot,
    Deck,
    NotFacilitator,
    card_points,
    countdown,
    final_estimate,
    format_clock,
    next_change,
    parse_cards,
    round_stats,
    seconds_left,
)
from planner_tui.services import poker
from planner_tui.services.context import Session, open_session
from planner_tui.store.items import add_items
from planner_tui.widgets.round_stats import stats_text

from .conftest import rows

FIB = BUILTIN_DECKS[0]


def _ballots(**cards: str) -> list[Ballot]:
    return [Ballot(voter=name, card=card) for name, card in cards.items()]


# --- decks -------------------------------------------------------------------------------


def test_builtin_decks_are_the_usual_ones() -> None:
    by_name = {deck.name: deck.cards for deck in BUILTIN_DECKS}
    assert by_name["Fibonacci"] == ("0", "1", "2", "3", "5", "8", "13", "21", "?", "☕")
    assert by_name["Modified Fibonacci"] == (
        "0", "½", "1", "2", "3", "5", "8", "13", "20", "40", "100", "?", "☕",
    )  # fmt: skip
    assert by_name["T-shirt"] == ("XS", "S", "M", "L", "XL", "XXL", "?")
    assert by_name["Powers of two"] == ("1", "2", "4", "8", "16", "32", "64", "?")


def test_cards_that_never_count() -> None:
    assert FIB.counting == ("0", "1", "2", "3", "5", "8", "13", "21")
    assert FIB.has("pass") and FIB.has("☕") and not FIB.has("4")
    assert card_points("½") == 0.5
    assert card_points("XL") == 8
    assert card_points("?") is None and card_points("pass") is None


def test_custom_deck_rules() -> None:
    deck = Deck(name="Hours", cards=parse_cards("1, 2 4 8 ?"))
    assert deck.cards == ("1", "2", "4", "8", "?")
    with pytest.raises(ValidationError, match="twice"):
        Deck(name="Bad", cards=("1", "1"))
    with pytest.raises(ValidationError, match="counts"):
        Deck(name="Bad", cards=("?", "☕"))
    with pytest.raises(ValidationError, match="printable"):
        Deck(name="Bad", cards=("1", "\x1b[31m"))


# --- statistics --------------------------------------------------------------------------


def test_stats_of_a_wide_spread_name_the_outliers() -> None:
    stats = round_stats(FIB, _ballots(lena="5", raj="13", sam="8", ines="3", ola="?"))
    assert stats.counted == 4
    assert stats.distribution == (("3", 1), ("5", 1), ("8", 1), ("13", 1), ("?", 1))
    assert stats.modes == ()  # each card once: no mode
    assert (stats.low, stats.high) == ("3", "13")
    assert stats.median == 6.5
    assert stats.spread == 10
    assert stats.agreement is Agreement.WIDE
    assert stats.low_voters == ("ines",) and stats.high_voters == ("raj",)
    assert stats.suggestion == "8"  # 6.5 snaps to the nearer card: 5 is 1.5 away, 8 is 1.5: higher


def test_stats_consensus_near_and_mode() -> None:
    same = round_stats(FIB, _ballots(a="5", b="5", c="pass"))
    assert same.agreement is Agreement.CONSENSUS and same.modes == ("5",)
    assert same.low_voters == () and same.suggestion == "5"
    near = round_stats(FIB, _ballots(a="5", b="8", c="8"))
    assert near.agreement is Agreement.NEAR
    assert near.modes == ("8",) and near.median == 8 and near.suggestion == "8"
    two_apart = round_stats(FIB, _ballots(a="3", b="8"))
    assert two_apart.agreement is Agreement.SPREAD and two_apart.suggestion == "5"


def test_a_consensus_beside_an_unsure_card_says_so() -> None:
    """A round of 8 and ? was called a consensus, the ? only in the chart."""
    unsure = round_stats(FIB, _ballots(a="8", b="8", c="?", d="pass"))
    assert unsure.agreement is Agreement.CONSENSUS
    assert unsure.verdict == "consensus, but 1 voter played ?"
    assert round_stats(FIB, _ballots(a="8", b="?")).verdict == "only 1 card counts"
    near = round_stats(FIB, _ballots(a="5", b="8", c="?", d="?"))
    assert near.verdict == f"{Agreement.NEAR.value}, but 2 voters played ?"
    wide = round_stats(FIB, _ballots(a="1", b="13", c="?"))
    assert wide.verdict == wide.agreement.value  # (no consensus claimed: nothing to add)
    assert round_stats(FIB, _ballots(a="5", b="5", c="☕")).verdict == "consensus"


def test_stats_with_nothing_that_counts() -> None:
    stats = round_stats(FIB, _ballots(a="?", b="☕"))
    assert stats.counted == 0 and stats.suggestion is None
    assert stats.agreement is Agreement.NONE


def test_stats_on_tshirt_and_words() -> None:
    tshirt = BUILTIN_DECKS[2]
    stats = round_stats(tshirt, _ballots(a="S", b="M", c="XL"))
    assert stats.median == 3 and stats.suggestion == "M"
    # The room reads sizes: "median 3 ... spread 6" were points no card shows.
    assert stats.median_card == "M"
    shown = stats_text(stats).plain
    assert "median M" in shown and "range S–XL" in shown and "spread 6" not in shown, shown
    numbers = round_stats(FIB, _ballots(a="3", b="8"))
    assert numbers.median_card is None and "median 5.5" in stats_text(numbers).plain
    words = Deck(name="Words", cards=("tiny", "big", "huge"))
    stats = round_stats(words, _ballots(a="tiny", b="huge", c="huge"))
    assert stats.median is None and stats.suggestion == "huge"
    assert stats.modes == ("huge",)


def test_final_estimate_and_clock() -> None:
    assert final_estimate("8") == 8
    assert final_estimate("M") == 3
    assert final_estimate("tiny", "0.5") == 0.5
    with pytest.raises(InvalidInput, match="no points"):
        final_estimate("?")
    with pytest.raises(InvalidInput, match="not a number"):
        final_estimate("5", "five")
    start = datetime(2026, 11, 24, 12, tzinfo=UTC)
    assert seconds_left(start, 120, start + timedelta(seconds=30.5)) == 90
    assert seconds_left(start, 120, start + timedelta(seconds=125)) == -5
    assert seconds_left(None, 120, start) is None
    assert format_clock(90) == "1:30" and format_clock(-5) == "-0:05"
    # Whole minutes, rounded up, until the last minute; then to the second.
    assert [countdown(s) for s in (300, 241, 240, 61, 60, 9)] == [
        "5 min",
        "5 min",
        "4 min",
        "2 min",
        "1:00",
        "0:09",
    ]


# --- the session rules, through the services ----------------------------------------------


@pytest.fixture
def team(tmp_path: Path) -> Iterator[dict[str, Session]]:
    """maya, sam and lena, each with their own connection to one workspace file."""
    path = tmp_path / "team.db"
    people = {name: open_session(path, name) for name in ("maya", "sam", "lena")}
    yield people
    for person in people.values():
        person.workspace.close()


def _items(session: Session, count: int) -> list[int]:
    return add_items(
        session.workspace, [NewItem(title=f"Story {n}", problem=f"Why {n}") for n in range(count)]
    )


def test_nobody_sees_another_card_before_the_reveal(team: dict[str, Session]) -> None:
    maya, sam, lena = team["maya"], team["sam"], team["lena"]
    ids = _items(maya, 2)
    sid = poker.start(maya, "Estimation", ids, PokerSettings(auto_reveal=False))
    poker.join(sam, sid)
    poker.join(lena, sid)
    poker.vote(sam, sid, "8", Confidence.SURE)
    for viewer in (maya, lena):
        table = poker.table(viewer, sid)
        sams = next(vote for vote in table.round.votes if vote.voter == "sam")
        assert sams.card is None and sams.confidence is None
        assert table.voted_count == 1 and len(table.voters) == 3
        hidden = poker.summary(viewer, sid).items[0].rounds[0].votes
        assert [(vote.voter, vote.card) for vote in hidden] == [("sam", None)]
    own = next(vote for vote in poker.table(sam, sid).round.votes if vote.voter == "sam")
    assert own.card == "8"
    poker.vote(sam, sid, "5")  # changed before the reveal
    poker.reveal(maya, sid)
    for viewer in (maya, sam, lena):
        table = poker.table(viewer, sid)
        assert [(v.voter, v.card) for v in table.round.votes] == [("sam", "5")]
        assert table.round.stats is not None and table.round.stats.low == "5"


def test_only_the_facilitator_runs_the_session(team: dict[str, Session]) -> None:
    maya, sam = team["maya"], team["sam"]
    ids = _items(maya, 2)
    sid = poker.start(maya, "Estimation", ids, PokerSettings(auto_reveal=False))
    poker.join(sam, sid)
    for move in (
        lambda: poker.reveal(sam, sid),
        lambda: poker.accept(sam, sid, "5"),
        lambda: poker.next_item(sam, sid),
        lambda: poker.skip(sam, sid, ids[0]),
        lambda: poker.vote(sam, sid, "5", voter="maya"),
        lambda: poker.hand_over(sam, sid, "sam"),
    ):
        with pytest.raises(NotFacilitator, match="only the facilitator \\(maya\\)"):
            move()
    poker.hand_over(maya, sid, "sam")
    poker.reveal(sam, sid)
    assert poker.table(maya, sid).round.revealed
    with pytest.raises(NotFacilitator):
        poker.revote(maya, sid)


def test_votes_after_the_reveal_only_from_the_facilitator(team: dict[str, Session]) -> None:
    maya, sam = team["maya"], team["sam"]
    sid = poker.start(maya, "Call it out", _items(maya, 1), PokerSettings(auto_reveal=False))
    poker.join(sam, sid)
    poker.reveal(maya, sid)
    with pytest.raises(InvalidInput, match="turned"):
        poker.vote(sam, sid, "3")
    poker.vote(maya, sid, "3", voter="sam")  # the room calls its cards; the facilitator types
    poker.vote(maya, sid, "5")
    table = poker.table(sam, sid)
    assert {(v.voter, v.card, v.entered_by) for v in table.round.votes} == {
        ("sam", "3", "maya"),
        ("maya", "5", "maya"),
    }
    assert table.round.stats.agreement is Agreement.NEAR


def test_auto_reveal_waits_for_voters_not_spectators(team: dict[str, Session]) -> None:
    maya, sam, lena = team["maya"], team["sam"], team["lena"]
    sid = poker.start(maya, "Auto", _items(maya, 1), facilitator_votes=False)
    poker.join(sam, sid)
    poker.join(lena, sid, PokerRole.SPECTATOR)
    assert poker.vote(sam, sid, "3") is True  # sam is the only voter
    assert poker.table(lena, sid).round.revealed
    with pytest.raises(InvalidInput, match="not a card"):
        poker.vote(maya, sid, "4", voter="lena")


def test_wide_spread_and_revote_only_after_the_reveal(team: dict[str, Session]) -> None:
    maya, sam = team["maya"], team["sam"]
    sid = poker.start(maya, "Spread", _items(maya, 1))
    poker.join(sam, sid)
    poker.vote(maya, sid, "3")
    with pytest.raises(InvalidInput, match="reveal the cards first"):
        poker.revote(maya, sid)
    assert poker.vote(sam, sid, "13") is True
    first = poker.table(maya, sid).round
    assert first.stats.wide
    assert (first.stats.low_voters, first.stats.high_voters) == (("maya",), ("sam",))


def test_revote_keeps_every_round_and_accept_writes_the_item(team: dict[str, Session]) -> None:
    maya, sam = team["maya"], team["sam"]
    ids = _items(maya, 3)
    sid = poker.start(maya, "Three items", ids)
    poker.join(sam, sid)
    poker.vote(maya, sid, "3")
    poker.vote(sam, sid, "13")
    poker.set_notes(sam, sid, ids[0], "Sam knows the payment [SDK] well")
    poker.revote(maya, sid)
    second = poker.table(sam, sid)
    assert second.round.number == 2 and not second.round.revealed and second.round.votes == ()
    poker.vote(maya, sid, "8")
    poker.vote(sam, sid, "8")
    assert poker.table(maya, sid).round.stats.agreement is Agreement.CONSENSUS
    following = poker.accept(maya, sid, "8", rationale="OAuth adds security surface")
    assert following == ids[1]
    with sqlite3.connect(maya.path) as conn:
        assert conn.execute("SELECT estimate FROM items WHERE id = ?", [ids[0]]).fetchone() == (8,)
        rounds = conn.execute(
            "SELECT r.number, p.name, v.card FROM votes v JOIN estimation_rounds r ON r.id = v.round_id"
            " JOIN people p ON p.id = v.person_id WHERE r.item_id = ? ORDER BY r.number, p.name",
            [ids[0]],
        ).fetchall()
    assert rounds == [(1, "maya", "3"), (1, "sam", "13"), (2, "maya", "8"), (2, "sam", "8")]
    poker.skip(maya, sid, ids[1])
    assert poker.table(sam, sid).info.current_item_id == ids[2]
    result = poker.end(maya, sid)
    first = result.items[0]
    assert (first.final_card, first.final_estimate, len(first.rounds)) == ("8", 8, 2)
    assert first.notes == "Sam knows the payment [SDK] well"
    assert result.items[1].state is QueueState.SKIPPED
    with sqlite3.connect(maya.path) as conn:
        kept = conn.execute("SELECT status, summary FROM sessions WHERE id = ?", [sid]).fetchone()
    assert kept[0] == "closed"
    assert "Estimated 1 of 3 items, 8 points." in kept[1] and "OAuth adds security" in kept[1]
    with pytest.raises(InvalidInput, match="ended"):
        poker.vote(sam, sid, "5")


def test_queue_reorder_park_and_add_midway(team: dict[str, Session]) -> None:
    maya = team["maya"]
    ids = _items(maya, 4)
    sid = poker.start(maya, "Queue", ids[:3])
    poker.move(maya, sid, ids[2], -2)
    assert [e.item_id for e in poker.table(maya, sid).queue] == [ids[2], ids[0], ids[1]]
    assert poker.table(maya, sid).info.current_item_id == ids[0]  # the current item stays
    poker.park(maya, sid, ids[0])
    table = poker.table(maya, sid)
    assert table.info.current_item_id == ids[1]
    assert [e.item_id for e in table.queue][-1] == ids[0]
    assert poker.add_items(maya, sid, [ids[3], ids[1]]) == 1
    assert poker.next_item(maya, sid) == ids[3]  # next in queue order after the current one
    assert poker.next_item(maya, sid) == ids[2]  # then from the top: moved above, never done
    poker.go_to(maya, sid, ids[0])  # a parked item can be taken up again
    table = poker.table(maya, sid)
    assert table.item.item_id == ids[0] and table.item.state is QueueState.QUEUED


def test_timer_is_kept_in_the_file(team: dict[str, Session]) -> None:
    maya, sam = team["maya"], team["sam"]
    sid = poker.start(maya, "Timed", _items(maya, 1), PokerSettings(timer_seconds=90))
    table = poker.table(sam, sid)
    assert table.round.timer_seconds == 90 and table.round.timer_started_at is not None
    poker.add_time(maya, sid, 30)
    assert poker.table(sam, sid).round.timer_seconds in (119, 120)  # a second may have ticked
    with pytest.raises(NotFacilitator):
        poker.set_timer(sam, sid, 60)
    poker.set_timer(maya, sid, 0)
    assert poker.table(sam, sid).round.timer_started_at is None


def test_custom_deck_is_kept_and_builtin_names_are_refused(team: dict[str, Session]) -> None:
    maya, sam = team["maya"], team["sam"]
    poker.save_deck(maya, "Hours", ("1", "2", "4", "8"))
    assert [deck.name for deck in poker.decks(sam)][-1] == "Hours"
    with pytest.raises(InvalidInput, match="built-in"):
        poker.save_deck(maya, "fibonacci", ("1", "2"))


def test_take_over_only_when_the_facilitator_has_gone(team: dict[str, Session]) -> None:
    maya, sam = team["maya"], team["sam"]
    sid = poker.start(maya, "Takeover", _items(maya, 1))
    maya.heartbeat(poker.place(sid))
    with pytest.raises(InvalidInput, match="maya is here"):
        poker.take_over(sam, sid)
    # maya glances at a retro (its board is what she looks at), the table still open
    # in its own mode: she still holds the seat, and the table still shows her here.
    maya.heartbeat(f"retro:99 {poker.place(sid)}")
    with pytest.raises(InvalidInput, match="maya is here"):
        poker.take_over(sam, sid)
    assert "maya" in {person.name for person in poker.table(sam, sid).people if person.here}
    with sqlite3.connect(maya.path) as conn:  # maya's terminal dies: no beat for a minute
        conn.execute("UPDATE presence SET seen_at = '2000-01-01T00:00:00+00:00'")
    poker.take_over(sam, sid)
    assert poker.table(maya, sid).info.facilitator == "sam"
    poker.reveal(sam, sid)


def test_points_are_plain_numbers() -> None:
    assert final_estimate("5", "2½") == 2.5
    for typed in ("1e3", "1_000", "nan", "inf", "-1", "٣"):
        with pytest.raises(InvalidInput, match="not a number of points"):
            final_estimate("5", typed)


def test_a_mixed_custom_deck_counts_only_its_numbers() -> None:
    hours = Deck(name="Hours", cards=parse_cards("1 2 4 8 ? [x] 🍕"))
    assert hours.counting == ("1", "2", "4", "8")
    stats = round_stats(hours, _ballots(a="4", b="8", c="[x]", d="🍕"))
    assert (stats.median, stats.suggestion, stats.low, stats.high) == (6, "8", "4", "8")
    assert stats.not_counted == ("[x]", "🍕") and stats.counted == 2


def test_the_facilitator_cannot_overwrite_a_card_someone_played(team: dict[str, Session]) -> None:
    maya, sam = team["maya"], team["sam"]
    sid = poker.start(maya, "Own cards", _items(maya, 1), PokerSettings(auto_reveal=False))
    poker.join(sam, sid)
    poker.vote(sam, sid, "5")
    with pytest.raises(InvalidInput, match="sam played their own card"):
        poker.vote(maya, sid, "0", voter="sam")
    poker.vote(maya, sid, "3", voter="lena")  # lena has no terminal: maya enters hers
    poker.vote(maya, sid, "5", voter="lena")  # and may correct it
    assert poker.table(sam, sid).voted_count == 2


def test_skipped_items_come_back_and_a_lone_parked_item_stays(team: dict[str, Session]) -> None:
    maya = team["maya"]
    ids = _items(maya, 2)
    sid = poker.start(maya, "Back again", ids)
    poker.skip(maya, sid, ids[0])
    assert poker.park(maya, sid, ids[1]) == ids[1]  # nothing else waits: it comes back
    poker.accept(maya, sid, "3")
    assert poker.table(maya, sid).item is None
    assert poker.add_items(maya, sid, [ids[0]]) == 1  # the skipped item is queued again
    table = poker.table(maya, sid)
    assert table.item.item_id == ids[0] and table.item.state is QueueState.QUEUED


def test_hand_over_only_to_someone_taking_part(team: dict[str, Session]) -> None:
    maya, sam = team["maya"], team["sam"]
    sid = poker.start(maya, "Hand over", _items(maya, 1))
    with pytest.raises(
        InvalidInput, match="nobody is not in this session; hand over to one of: maya"
    ):
        poker.hand_over(maya, sid, "nobody")
    poker.join(sam, sid, PokerRole.SPECTATOR)
    poker.hand_over(maya, sid, "SAM")
    assert poker.table(maya, sid).info.facilitator == "sam"


def test_more_time_after_the_end_counts_from_now(team: dict[str, Session]) -> None:
    maya = team["maya"]
    sid = poker.start(maya, "Timer", _items(maya, 1), PokerSettings(timer_seconds=60))
    with sqlite3.connect(maya.path) as conn:  # the minute ran out long ago
        conn.execute("UPDATE estimation_rounds SET timer_started_at = '2026-01-01T10:00:00+00:00'")
    poker.add_time(maya, sid, 30)
    round_ = poker.table(maya, sid).round
    left = seconds_left(round_.timer_started_at, round_.timer_seconds, datetime.now(UTC))
    assert 28 <= left <= 30
    poker.add_time(maya, sid, -120)
    round_ = poker.table(maya, sid).round
    assert seconds_left(round_.timer_started_at, round_.timer_seconds, datetime.now(UTC)) <= 0


def test_a_countdown_wakes_only_when_what_it_shows_changes() -> None:
    """`next_change` is when `countdown` next shows something else: a minute apart while
    whole minutes show, a second apart in the last minute, never once time is up."""
    import random

    start = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

    def shown(at: float) -> str:
        left = seconds_left(start, 300, start + timedelta(seconds=at))
        assert left is not None
        return countdown(left) if left > 0 else "time's up"

    assert next_change(None, 300, start) is None
    assert next_change(start, 300, start) == 60
    assert next_change(start, 300, start + timedelta(seconds=239.5)) == 0.5  # 61 s: "2 min"
    assert next_change(start, 300, start + timedelta(seconds=240)) == 1  # "1:00", then "0:59"
    assert next_change(start, 300, start + timedelta(seconds=300)) is None
    pick = random.Random(16)
    for at in [pick.uniform(0, 299.9) for _ in range(300)]:
        delay = next_change(start, 300, start + timedelta(seconds=at))
        assert delay is not None and 0 < delay <= 60
        assert shown(at + delay - 0.001) == shown(at)  # nothing changes before it ...
        assert shown(at + delay + 0.001) != shown(at)  # ... and something does at it


def test_turned_rounds_read_the_same_kept_or_built_afresh(tmp_path: Path) -> None:
    """Turned rounds are kept as built (a long discussion's earlier rounds were rebuilt on
    every read); a card entered after the reveal still shows, and what is kept reads as
    what is built afresh."""
    from planner_tui.services import poker as service

    from .conftest import two_at_a_table

    maya, sam, sid = two_at_a_table(tmp_path / "team.db")
    try:
        service.vote(maya, sid, "3")
        service.vote(sam, sid, "8")
        service.reveal(maya, sid)
        first = service.table(maya, sid).round
        assert first is not None and first.stats is not None
        service.vote(maya, sid, "5", voter="kai")  # entered for someone after the reveal
        turned = service.table(sam, sid).round
        assert turned is not None and turned.stats is not None
        assert sorted(v.card or "" for v in turned.votes) == ["3", "5", "8"]
        assert turned.stats != first.stats
        service.revote(maya, sid)
        service.vote(sam, sid, "5")
        kept = service.table(maya, sid)
        service._TURNED.clear()
        afresh = service.table(maya, sid)
        assert kept.history == afresh.history
        assert [v.card for v in kept.history[0].votes] == [v.card for v in turned.votes]
        assert kept.round is not None
        assert [v.card for v in kept.round.votes if v.voter == "sam"] == [None]  # not turned
    finally:
        maya.workspace.close()
        sam.workspace.close()


def test_a_name_typed_for_someone_in_the_room_must_be_visible(team: dict[str, Session]) -> None:
    """A new name that could pass for another is refused before anything is written; a
    name the workspace already holds (written by an older planner) is taken as it is."""
    maya = team["maya"]
    with maya.workspace.write() as conn:
        conn.execute(
            "INSERT INTO people(name, display_name, role, created_at) VALUES (?, '', 'other', '')",
            ["old\u200bname"],
        )
    people_before = rows(maya.path, "SELECT name FROM people ORDER BY name")
    for spoof in ("sa\u200bm", "sam\u2066", "s\u00a0am"):
        with pytest.raises(ValidationError, match="none of them invisible"):
            poker.start(maya, "Estimation", _items(maya, 1), voters=["lena", spoof])
    assert rows(maya.path, "SELECT name FROM people ORDER BY name") == people_before
    assert rows(maya.path, "SELECT COUNT(*) FROM sessions") == [(0,)]
    sid = poker.start(maya, "Estimation", _items(maya, 1), voters=["old\u200bname"])
    with pytest.raises(ValidationError, match="none of them invisible"):
        poker.add_person(maya, sid, "le\u200bna", PokerRole.VOTER)
    with pytest.raises(ValidationError, match="none of them invisible"):
        poker.vote(maya, sid, "3", voter="ma\u200bya")
    poker.add_person(maya, sid, "ann", PokerRole.VOTER)
    poker.vote(maya, sid, "3", voter="old\u200bname")
    voters = {vote.voter for vote in poker.table(maya, sid).round.votes}
    assert voters == {"old\u200bname"}
