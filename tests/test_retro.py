"""Retro boards through the services: phases, privacy, grouping, dot votes, reviews, anonymity."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from planner_tui.domain.enums import ActionStatus
from planner_tui.domain.errors import InvalidInput, NotFound
from planner_tui.domain.models import NewAction
from planner_tui.domain.poker import NotFacilitator
from planner_tui.domain.retro import (
    BUILTIN_TEMPLATES,
    Phase,
    RetroSettings,
    ReviewDecision,
    template_columns,
    totals_shown,
)
from planner_tui.services import retro, retro_view
from planner_tui.services.context import Session, open_session

WWW = BUILTIN_TEMPLATES["Went well / To improve / Actions"]


@pytest.fixture
def sam(workspace_path: Path, empty_session: Session) -> Iterator[Session]:
    """A second person with their own connection to maya's file."""
    other = open_session(workspace_path, "sam")
    yield other
    other.workspace.close()


def _start(session: Session, **settings: object) -> int:
    return retro.start(session, "Sprint 14 retro", "Went well / To improve / Actions", WWW,
                       RetroSettings(**settings))  # fmt: skip


def _to(session: Session, sid: int, phase: Phase) -> None:
    from planner_tui.store import retro as store

    store.set_phase(session.workspace, sid, phase)


def _texts(board) -> list[str]:
    return [
        card.text
        for column in board.columns
        for card in (*column.cards, *(c for t in column.themes for c in t.cards))
    ]


# --- templates and phases ----------------------------------------------------------------


def test_templates_are_the_usual_ones_plus_the_workspaces_own(empty_session: Session) -> None:
    names = [name for name, _ in retro.templates(empty_session)]
    assert names == [
        "Went well / To improve / Actions",
        "Start / Stop / Continue",
        "Mad / Sad / Glad",
        "4Ls",
        "Sailboat",
    ]
    assert BUILTIN_TEMPLATES["Sailboat"] == ("Wind", "Anchors", "Rocks", "Island")
    columns = template_columns("Keep, Drop ,Try")
    retro.start(empty_session, "Custom", "KDT", columns, save_template=True)
    assert retro.templates(empty_session)[-1] == ("KDT", ("Keep", "Drop", "Try"))
    assert template_columns("CI/CD, [/b] Ops") == ("CI/CD", "[/b] Ops")
    with pytest.raises(InvalidInput, match="own"):
        template_columns("Keep, keep")
    with pytest.raises(InvalidInput, match="commas"):
        template_columns(" , ")


def test_a_retro_with_nothing_to_review_starts_at_write(empty_session: Session) -> None:
    sid = _start(empty_session)
    board = retro_view.board(empty_session, sid)
    assert board.info.phase is Phase.WRITE
    assert [c.name for c in board.columns] == list(WWW)
    assert board.votes_left == 3 and board.i_facilitate


def test_only_the_facilitator_moves_phases_forwards_and_back(
    empty_session: Session, sam: Session
) -> None:
    sid = _start(empty_session)
    retro.join(sam, sid)
    with pytest.raises(NotFacilitator, match="only the facilitator"):
        retro.move_phase(sam, sid, 1)
    assert retro.move_phase(empty_session, sid, 1) is Phase.REVEAL
    assert retro.move_phase(empty_session, sid, -1) is Phase.WRITE
    assert retro.move_phase(empty_session, sid, -1) is Phase.REVIEW
    with pytest.raises(InvalidInput, match="first phase"):
        retro.move_phase(empty_session, sid, -1)
    with pytest.raises(InvalidInput, match="Close phase"):
        retro.end(empty_session, sid)


def test_moves_belong_to_their_phase(empty_session: Session) -> None:
    sid = _start(empty_session)
    card = retro.write(empty_session, sid, "Went well", "Pairing")
    with pytest.raises(InvalidInput, match="Vote phase"):
        retro.dot(empty_session, sid, card_id=card)
    with pytest.raises(InvalidInput, match="Group phase"):
        retro.group(empty_session, sid, card, title="Pairing")
    _to(empty_session, sid, Phase.VOTE)
    with pytest.raises(InvalidInput, match="Write phase"):
        retro.write(empty_session, sid, "Went well", "late card")
    with pytest.raises(InvalidInput, match="no column"):
        _to(empty_session, sid, Phase.WRITE)
        retro.write(empty_session, sid, "Nope", "x")


def test_totals_hidden_until_voting_ends_unless_the_board_shows_them() -> None:
    assert not totals_shown(Phase.VOTE, hide_totals=True)
    assert totals_shown(Phase.DISCUSS, hide_totals=True)
    assert totals_shown(Phase.VOTE, hide_totals=False)
    assert not totals_shown(Phase.GROUP, hide_totals=False)


# --- writing privately -------------------------------------------------------------------


def test_cards_are_private_until_the_reveal(empty_session: Session, sam: Session) -> None:
    sid = _start(empty_session, anonymous=False)
    retro.join(sam, sid)
    retro.write(sam, sid, "To improve", "Flaky CI {red}")
    retro.write(sam, sid, "Went well", "Demo day")
    retro.write(empty_session, sid, "Went well", "Pairing")
    mine = retro_view.board(empty_session, sid)
    assert _texts(mine) == ["Pairing"]
    assert [c.count for c in mine.columns] == [2, 1, 0]
    assert mine.card_count == 3 and mine.writers == 2
    assert sorted(_texts(retro_view.board(sam, sid))) == ["Demo day", "Flaky CI {red}"]
    _to(empty_session, sid, Phase.REVEAL)
    shown = retro_view.board(empty_session, sid)
    assert sorted(_texts(shown)) == ["Demo day", "Flaky CI {red}", "Pairing"]
    flaky = next(c for c in shown.columns[1].cards)
    assert flaky.author == "sam" and not flaky.mine


def test_facilitator_types_cards_for_the_room_without_seeing_them_before_reveal(
    empty_session: Session, sam: Session
) -> None:
    sid = _start(empty_session)
    retro.write(empty_session, sid, "Went well", "Release went fine", for_room=True)
    with pytest.raises(NotFacilitator):
        retro.write(sam, sid, "Went well", "sneaky", for_room=True)
    board = retro_view.board(empty_session, sid)
    assert _texts(board) == [] and board.card_count == 1


def test_own_cards_can_be_edited_and_taken_back_but_not_others(
    empty_session: Session, sam: Session
) -> None:
    sid = _start(empty_session)
    mine = retro.write(empty_session, sid, "Went well", "Pairnig")
    theirs = retro.write(sam, sid, "Went well", "Demo")
    retro.edit(empty_session, sid, mine, "Pairing")
    with pytest.raises(InvalidInput, match="your own"):
        retro.edit(empty_session, sid, theirs, "changed")
    with pytest.raises(InvalidInput, match="your own"):
        retro.delete(empty_session, sid, theirs)
    retro.delete(sam, sid, theirs)
    assert _texts(retro_view.board(empty_session, sid)) == ["Pairing"]
    assert retro_view.board(empty_session, sid).card_count == 1
    with pytest.raises(ValidationError, match="must not be empty"):
        retro.edit(empty_session, sid, mine, "   ")


# --- anonymity ---------------------------------------------------------------------------


def test_an_anonymous_board_stores_no_author_anywhere(
    empty_session: Session, sam: Session, workspace_path: Path
) -> None:
    sid = _start(empty_session)
    retro.join(sam, sid)
    retro.write(sam, sid, "To improve", "Standups run long")
    retro.write(empty_session, sid, "Went well", "Pairing")
    retro.write(sam, sid, "Went well", "Demo day")
    assert retro_view.board(empty_session, sid).writers == 2
    _to(empty_session, sid, Phase.REVEAL)
    assert all(c.author is None for col in retro_view.board(sam, sid).columns for c in col.cards)
    raw = sqlite3.connect(workspace_path)
    assert raw.execute(
        "SELECT count(*) FROM retro_cards WHERE author_id IS NOT NULL"
    ).fetchone() == (0,)
    # Nothing in the change log about cards, so its order cannot be matched to writers.
    assert raw.execute("SELECT count(*) FROM changes WHERE entity = 'card'").fetchone() == (0,)
    times = raw.execute("SELECT DISTINCT created_at FROM retro_cards").fetchall()
    assert len(times) == 1  # every card carries the Write phase's start, not its own moment
    ids = [row[0] for row in raw.execute("SELECT id FROM retro_cards ORDER BY rowid")]
    assert sorted(ids) != list(range(min(ids), min(ids) + 3))  # random, not in writing order
    raw.close()


# --- grouping ----------------------------------------------------------------------------


def test_grouping_makes_moves_and_dissolves_themes(empty_session: Session) -> None:
    sid = _start(empty_session)
    ci = retro.write(empty_session, sid, "To improve", "CI is slow")
    flaky = retro.write(empty_session, sid, "To improve", "Flaky tests")
    demo = retro.write(empty_session, sid, "Went well", "Demo day")
    _to(empty_session, sid, Phase.GROUP)
    theme = retro.group(empty_session, sid, ci, title="  Build pipeline ")
    retro.group(empty_session, sid, flaky, theme_id=theme)
    retro.group(empty_session, sid, demo, theme_id=theme)  # takes the theme's column
    board = retro_view.board(empty_session, sid)
    built = board.theme(theme)
    assert built is not None and built.title == "Build pipeline" and built.column == "To improve"
    assert sorted(c.text for c in built.cards) == ["CI is slow", "Demo day", "Flaky tests"]
    assert board.columns[0].count == 0
    retro.move(empty_session, sid, demo, "Went well")
    retro.ungroup(empty_session, sid, flaky)
    board = retro_view.board(empty_session, sid)
    assert [c.text for c in board.columns[0].cards] == ["Demo day"]
    assert [c.text for c in board.columns[1].cards] == ["Flaky tests"]
    retro.rename_theme(empty_session, sid, theme, "CI")
    retro.ungroup(empty_session, sid, ci)
    assert retro_view.board(empty_session, sid).theme(theme) is None  # empty themes go
    with pytest.raises(NotFound):
        retro.group(empty_session, sid, ci, theme_id=theme)
    with pytest.raises(InvalidInput, match="title"):
        retro.group(empty_session, sid, ci, title=" ")


# --- dot votes ---------------------------------------------------------------------------


def test_dot_votes_keep_to_the_limit_and_stay_hidden_until_voting_ends(
    empty_session: Session, sam: Session
) -> None:
    sid = _start(empty_session, votes_per_person=2)
    a = retro.write(empty_session, sid, "To improve", "CI is slow")
    b = retro.write(empty_session, sid, "To improve", "Flaky tests")
    _to(empty_session, sid, Phase.GROUP)
    theme = retro.group(empty_session, sid, b, title="Tests")
    _to(empty_session, sid, Phase.VOTE)
    assert retro.dot(empty_session, sid, card_id=a) == 1
    with pytest.raises(InvalidInput, match="one vote per card"):
        retro.dot(empty_session, sid, card_id=a)
    assert retro.dot(empty_session, sid, theme_id=theme) == 0
    with pytest.raises(InvalidInput, match="used all 2 votes"):
        retro.dot(empty_session, sid, card_id=b)
    retro.dot(sam, sid, card_id=b)
    with pytest.raises(InvalidInput, match="a theme and its cards count as one"):
        retro.dot(sam, sid, theme_id=theme)
    retro.dot(sam, sid, card_id=a)
    board = retro_view.board(sam, sid)
    assert board.votes_left == 0 and board.columns[1].cards[0].votes is None
    assert board.theme(theme).my_votes == 0 and board.theme(theme).cards[0].my_votes == 1
    retro.undot(empty_session, sid, card_id=a)
    with pytest.raises(InvalidInput, match="no vote there"):
        retro.undot(empty_session, sid, card_id=a)
    _to(empty_session, sid, Phase.DISCUSS)
    board = retro_view.board(sam, sid)
    assert board.theme(theme).votes == 2  # one on the theme, one on its card
    assert [t.title for t in board.columns[1].themes] == ["Tests"]
    assert board.columns[1].cards[0].votes == 1


def test_several_dots_on_one_card_when_the_board_allows_it(empty_session: Session) -> None:
    sid = _start(empty_session, several_votes_per_card=True, hide_totals=False)
    a = retro.write(empty_session, sid, "To improve", "CI is slow")
    _to(empty_session, sid, Phase.VOTE)
    for left in (2, 1, 0):
        assert retro.dot(empty_session, sid, card_id=a) == left
    assert retro_view.board(empty_session, sid).columns[1].cards[0].votes == 3


def test_concurrent_voting_never_passes_the_limit(
    workspace_path: Path, empty_session: Session
) -> None:
    sid = _start(empty_session, votes_per_person=3, several_votes_per_card=True)
    card = retro.write(empty_session, sid, "To improve", "CI is slow")
    _to(empty_session, sid, Phase.VOTE)
    terminals = [open_session(workspace_path, "sam") for _ in range(4)]
    accepted: list[int] = []
    refused: list[str] = []

    def vote(terminal: Session) -> None:
        for _ in range(3):
            try:
                retro.dot(terminal, sid, card_id=card)
                accepted.append(1)
            except InvalidInput as error:
                refused.append(str(error))

    threads = [threading.Thread(target=vote, args=(t,)) for t in terminals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for terminal in terminals:
        terminal.workspace.close()
    assert len(accepted) == 3 and len(refused) == 9
    assert all("used all 3 votes" in message for message in refused)


# --- review, actions, close --------------------------------------------------------------


def test_actions_are_reviewed_and_carried_into_the_next_retro(
    empty_session: Session, sam: Session
) -> None:
    first = _start(empty_session)
    card = retro.write(empty_session, first, "To improve", "CI is slow")
    _to(empty_session, first, Phase.DISCUSS)
    due = date(2026, 12, 1)
    cache = retro.add_action(
        empty_session, first, NewAction(text="Cache deps", owner="sam", due=due), card_id=card
    )
    docs = retro.add_action(empty_session, first, NewAction(text="Write runbook"))
    drop = retro.add_action(empty_session, first, NewAction(text="Try mob Fridays"))
    _to(empty_session, first, Phase.CLOSE)
    retro.rate(empty_session, first, 4)
    retro.rate(sam, first, 2)
    assert (
        retro_view.board(empty_session, first).average_rating is None
    )  # two would tell each other
    lena = open_session(empty_session.path, "lena")
    retro.rate(lena, first, 3)
    lena.workspace.close()
    with pytest.raises(InvalidInput, match="1"):
        retro.rate(sam, first, 6)
    with pytest.raises(NotFacilitator):
        retro.end(sam, first)
    ended = retro.end(empty_session, first)
    assert not ended.info.open and ended.average_rating == 3.0
    assert "Cache deps (sam, due 2026-12-01) — from: CI is slow" in ended.info.summary
    assert "worth the time: 3.0/5" in ended.info.summary
    with pytest.raises(InvalidInput, match="ended"):
        retro.rate(sam, first, 5)

    second = _start(empty_session)
    board = retro_view.board(sam, second)
    assert board.info.phase is Phase.REVIEW
    assert {entry.text for entry in board.review} == {
        "Cache deps",
        "Write runbook",
        "Try mob Fridays",
    }
    assert next(e for e in board.review if e.action_id == cache).origin == "Sprint 14 retro"
    retro.review(sam, second, cache, ReviewDecision.DONE)
    retro.review(empty_session, second, docs, ReviewDecision.CARRIED_OVER, "half written")
    retro.review(empty_session, second, drop, ReviewDecision.DROPPED)
    board = retro_view.board(empty_session, second)
    decided = {e.action_id: (e.decision, e.decided_by, e.status) for e in board.review}
    assert decided[cache] == (ReviewDecision.DONE, "sam", ActionStatus.DONE)
    assert decided[docs] == (ReviewDecision.CARRIED_OVER, "maya", ActionStatus.OPEN)
    assert decided[drop] == (ReviewDecision.DROPPED, "maya", ActionStatus.DROPPED)
    views = {a.id: a for a in retro.actions(empty_session)}
    assert views[cache].prompted_by == "CI is slow" and views[cache].owner == "sam"
    assert not views[cache].overdue(date(2026, 12, 5))  # done: never overdue

    _to(empty_session, second, Phase.CLOSE)
    retro.end(empty_session, second)
    third = retro_view.board(empty_session, _start(empty_session))
    assert [entry.text for entry in third.review] == ["Write runbook"]  # carried over only


def test_action_items_are_edited_anywhere(empty_session: Session) -> None:
    sid = _start(empty_session)
    _to(empty_session, sid, Phase.DISCUSS)
    action = retro.add_action(empty_session, sid, NewAction(text="Cache deps"))
    retro.update_action(
        empty_session,
        action,
        text="Cache npm deps",
        owner="lena",
        due=date(2026, 11, 20),
        status=ActionStatus.IN_PROGRESS,
    )
    view = retro.actions(empty_session)[0]
    assert (view.text, view.owner, view.status) == (
        "Cache npm deps",
        "lena",
        ActionStatus.IN_PROGRESS,
    )
    assert view.overdue(date(2026, 11, 24)) and view.origin == "Sprint 14 retro"
    with pytest.raises(NotFound):
        retro.update_action(
            empty_session, 999, text="x", owner=None, due=None, status=ActionStatus.OPEN
        )
    loose = retro.add_loose_action(empty_session, NewAction(text="Book the offsite"))
    assert next(a for a in retro.actions(empty_session) if a.id == loose).origin == ""


def test_a_due_date_is_a_date_from_2000_to_2200_or_days_from_today() -> None:
    from planner_tui.domain.errors import InvalidInput
    from planner_tui.domain.retro import parse_due

    today = date(2026, 11, 24)
    assert parse_due("+7", today) == date(2026, 12, 1)
    assert parse_due("2026-12-01", today) == date(2026, 12, 1)
    assert parse_due("", today) is None
    for slip in ("1999-01-01", "9999-12-31", "12/01/2026"):
        with pytest.raises(InvalidInput, match="due date"):
            parse_due(slip, today)


# --- a column read a page at a time ------------------------------------------------------


def test_a_column_read_page_by_page_lists_what_the_whole_read_lists(
    empty_session: Session, sam: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random

    from planner_tui.services import pages

    monkeypatch.setattr(pages, "PAGE", 7)  # many page edges in a small board
    pick = random.Random(9)
    sid = _start(empty_session, votes_per_person=20, several_votes_per_card=True,
                 hide_totals=False)  # fmt: skip
    written: dict[str, set[int]] = {"maya": set(), "sam": set()}
    for number in range(90):
        who = pick.choice((empty_session, sam))
        card = retro.write(who, sid, pick.choice(WWW), f"card {number} [b]{{x}}")
        written[who.me].add(card)
    every = sorted(written["maya"] | written["sam"])

    def paged(viewer: Session) -> list[list[int]]:
        """Each column's loose cards: the first 5 read with the board, the rest by page."""
        board, pages = retro_view.board_pages(viewer, sid, first=5)
        columns = []
        for column in board.columns:
            ids = [card.id for card in column.cards]
            assert len(ids) == min(5, column.loose)
            for index in range(len(ids), column.loose):
                card = pages.at(column.name, index)
                assert card is not None and pages.position(column.name, card.id) == index
                ids.append(card.id)
            columns.append(ids)
        return columns

    def whole(viewer: Session) -> list[list[int]]:
        return [
            [card.id for card in column.cards] for column in retro_view.board(viewer, sid).columns
        ]

    for viewer in (empty_session, sam):  # Write: each sees their own cards, in writing order
        assert paged(viewer) == whole(viewer)
        assert sorted(i for ids in paged(viewer) for i in ids) == sorted(written[viewer.me])
    _to(empty_session, sid, Phase.GROUP)
    for number in range(4):
        retro.group(empty_session, sid, every[number * 9], title=f"Theme {number}")
    _to(empty_session, sid, Phase.VOTE)
    for who in (empty_session, sam):
        for _ in range(20):
            retro.dot(who, sid, card_id=pick.choice(every))
    assert paged(sam) == whole(sam)
    _to(empty_session, sid, Phase.DISCUSS)
    for viewer in (empty_session, sam):  # now most dots first, then in writing order
        board = retro_view.board(viewer, sid)
        assert paged(viewer) == whole(viewer)
        for column in board.columns:
            assert [c.id for c in column.cards] == [
                c.id for c in sorted(column.cards, key=lambda c: (-(c.votes or 0), c.id))
            ]
            assert all(c.theme_id is None for c in column.cards)
        grouped = {c.id for column in board.columns for t in column.themes for c in t.cards}
        assert sorted(grouped | {i for ids in paged(viewer) for i in ids}) == every


def test_a_dot_drawn_before_it_is_saved_reads_as_the_board_reads_it_after(
    empty_session: Session,
) -> None:
    """What the board draws when a dot is put (before its save) is what it reads once the
    dot is saved: on a loose card, on a card under a theme (it counts in the theme's
    total), and on the theme itself; with totals shown and hidden."""
    from planner_tui.domain.retro import theme_with_my_dots, with_my_dots

    for hide in (False, True):
        settings = RetroSettings(hide_totals=hide, several_votes_per_card=True)
        sid = retro.start(empty_session, f"Dots {hide}", "4Ls", BUILTIN_TEMPLATES["4Ls"], settings)
        loose = retro.write(empty_session, sid, "Liked", "Loose card")
        themed = retro.write(empty_session, sid, "Liked", "Card under a theme")
        _to(empty_session, sid, Phase.GROUP)
        theme = retro.group(empty_session, sid, themed, title="A theme")
        _to(empty_session, sid, Phase.VOTE)
        for target in ({"card_id": loose}, {"card_id": themed}, {"theme_id": theme}):
            before = retro_view.board(empty_session, sid)
            retro.dot(empty_session, sid, **target)
            after = retro_view.board(empty_session, sid)
            if "theme_id" in target:
                view = before.theme(theme)
                drawn = theme_with_my_dots(view, view.my_votes + 1, {})
                assert drawn == after.theme(theme)
            elif target["card_id"] == themed:
                view = before.theme(theme)
                card = before.card(themed)
                drawn = theme_with_my_dots(view, None, {themed: card.my_votes + 1})
                assert drawn == after.theme(theme)
            else:
                card = before.card(loose)
                assert with_my_dots(card, card.my_votes + 1) == after.card(loose)


def test_history_shows_velocity_ratings_and_how_long_actions_wait(demo_path) -> None:
    """Nothing showed velocity over sprints, the ROTI trend or the age of open actions
    (issue 18): the History view does, in numbers beside its bars."""
    import asyncio
    from datetime import timedelta

    from planner_tui.screens.history import HistoryModal, history_text
    from planner_tui.services import history
    from planner_tui.services.context import open_session

    from .conftest import TODAY, live_app, wait_until

    session = open_session(demo_path, "maya")
    try:
        seen = history.history(session, TODAY + timedelta(days=10))
        assert [(s.name, s.done) for s in seen.sprints] == [("Sprint 13", 29.0)]
        assert seen.sprints[0].committed >= seen.sprints[0].done
        assert all(a.days_open >= 10 for a in seen.actions) and seen.actions
        (retro,) = seen.retros
        text = history_text(seen).plain
        assert "Sprint 13" in text and "done" in text and " 29" in text
        if retro.ratings < 3:
            said = "not rated" if not retro.ratings else "too few to average (3 needed)"
            assert retro.average is None and said in text
        else:
            assert f"{retro.average:.1f}/5" in text
        assert f"{seen.actions[0].days_open} days" in text

        async def shown() -> None:
            app = live_app(session)
            async with app.run_test(size=(100, 34)) as pilot:
                app.action_history()
                await wait_until(
                    pilot,
                    lambda: isinstance(app.screen, HistoryModal) and app.screen.query("#history"),
                    "the history",
                )
                assert "Velocity" in str(app.screen.query_one("#history").render())

        asyncio.run(shown())
    finally:
        session.workspace.close()


def test_a_workspace_rebuilt_under_me_counts_my_first_card_on_its_new_board(
    empty_session: Session, workspace_path: Path
) -> None:
    """`planner demo --force` empties a workspace in place and builds it again: the new
    board has the old one's id, and what I kept about the old (that I was counted among
    its writers) must not keep me from being counted on the new, in this terminal or
    the next."""
    from planner_tui.store import retro_reads
    from planner_tui.store.workspace import clear_workspace

    ws = empty_session.workspace
    first = _start(empty_session)
    old_board = retro_reads.board_row(ws, first)["board_id"]
    retro.write(empty_session, first, "Went well", "Pairing")
    assert retro_view.board(empty_session, first).writers == 1
    with ws.write():
        clear_workspace(ws)
    again = _start(empty_session)
    assert retro_reads.board_row(ws, again)["board_id"] == old_board  # what makes it matter
    retro.write(empty_session, again, "Went well", "Demo day")
    assert retro_view.board(empty_session, again).writers == 1
    later = open_session(workspace_path, empty_session.me)  # my next terminal
    try:
        retro.write(later, again, "To improve", "Standups")
        board = retro_view.board(later, again)
        assert board.writers == 1
        mine = {c.text for column in board.columns for c in column.cards if c.mine}
        assert mine == {"Demo day", "Standups"}
    finally:
        later.close()
