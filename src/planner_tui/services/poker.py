"""Planning poker as the screens and the CLI use it.

Every read here is made for one person (`session.me`) and hides what that
person may not see: before the reveal, another voter's card is never in
what these functions return — only that they voted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import partial

from planner_tui.domain.backlog import metric_of
from planner_tui.domain.enums import Confidence, SessionStatus
from planner_tui.domain.estimation import (
    EARLIER_SHOWN,
    ItemContext,
    Participant,
    PokerRole,
    PokerSettings,
    PokerTable,
    QueueEntry,
    QueueState,
    RiskNote,
    RoundView,
    SessionInfo,
    SessionListing,
    SessionSummary,
    SummaryItem,
    VoteView,
)
from planner_tui.domain.models import Option
from planner_tui.domain.poker import (
    BUILTIN_DECKS,
    Deck,
    final_estimate,
    round_stats,
    shown_card,
)
from planner_tui.domain.stored import texts_of
from planner_tui.services.context import Session
from planner_tui.services.pages import Pages
from planner_tui.services.rows import from_row, from_rows
from planner_tui.store import estimation as store
from planner_tui.store import poker_base, poker_queue, poker_reads, poker_rounds
from planner_tui.store.people import check_newcomers
from planner_tui.store.presence import here_at
from planner_tui.store.sql import StoreRow


def place(session_id: int) -> str:
    """Where a terminal showing this session says it is, for presence."""
    return f"estimation:{session_id}"


def decks(session: Session) -> list[Deck]:
    """Every deck to choose from: the built-in ones, then the workspace's own."""
    return [*BUILTIN_DECKS, *poker_base.custom_decks(session.workspace)]


def save_deck(session: Session, name: str, cards: tuple[str, ...]) -> Deck:
    """Keep a custom deck in the workspace for every session after."""
    deck = Deck(name=name, cards=cards)
    poker_base.save_deck(session.workspace, deck)
    return deck


def start(
    session: Session,
    title: str,
    item_ids: list[int],
    settings: PokerSettings | None = None,
    *,
    facilitator_votes: bool = True,
    voters: list[str] | None = None,
) -> int:
    """Open an estimation session that `session.me` facilitates; returns its id.

    `voters` are people in the room whose cards the facilitator enters; anyone
    else joins by opening the session in their own terminal.
    """
    from planner_tui.domain.enums import SessionKind
    from planner_tui.domain.models import NewSession

    NewSession(kind=SessionKind.ESTIMATION, title=title, facilitator=session.me)  # validates
    names = [name.strip() for name in voters or ()]
    check_newcomers(session.workspace, names)
    return store.create_session(
        session.workspace,
        title.strip(),
        settings or PokerSettings(),
        item_ids,
        facilitator_votes=facilitator_votes,
        voters=names,
    )


def next_unestimated(session: Session, count: int) -> list[int]:
    """The top `count` unestimated items of the ranked backlog."""
    return poker_reads.unestimated_item_ids(session.workspace, count)


def listing(session: Session) -> list[SessionListing]:
    """Estimation sessions, open ones first."""
    return from_rows(SessionListing, poker_reads.list_sessions(session.workspace))


def _info(row: StoreRow) -> SessionInfo:
    return from_row(SessionInfo, row, settings=poker_base.settings_of(row))


def _rounds(
    session: Session, session_id: int, item_id: int, viewer: str, latest: int = -1
) -> tuple[list[RoundView], int]:
    """The rounds on an item (every one, or the `latest` few), with each card shown only
    where `viewer` may see it; and how many rounds the item has had in all."""
    rows = poker_reads.round_rows(session.workspace, session_id, item_id, latest)
    by_round: dict[int, list[StoreRow]] = {row["id"]: [] for row in rows}
    for vote in poker_reads.vote_rows(session.workspace, list(by_round)):
        by_round[vote["round_id"]].append(vote)
    rounds: list[RoundView] = []
    for row in rows:
        votes = by_round[row["id"]]
        if row["revealed_at"] is None:
            rounds.append(_round_view(row, votes, viewer))
            continue
        # A turned round reads the same for everyone until its votes change (a card
        # entered after the reveal): kept by content, a discussion's earlier rounds are
        # not rebuilt, their cards and figures, on every read (50 voters, 30 rounds: 9 ms).
        key = (
            tuple(row)[:-1],  # (not its last column, how many rounds there are)
            tuple(tuple(vote) for vote in votes),
        )
        view = _TURNED.get(key)
        if view is None:
            view = _round_view(row, votes, viewer)
            with _TURNED_LOCK:  # (reads run in worker threads)
                if len(_TURNED) >= _TURNED_KEPT:
                    del _TURNED[next(iter(_TURNED))]
                _TURNED[key] = view
        rounds.append(view)
    return rounds, rows[-1]["rounds"] if rows else 0


_TURNED: dict[tuple[object, ...], RoundView] = {}
"""Turned rounds as built, by their row and votes (the oldest forgotten first)."""

_TURNED_KEPT = 256
_TURNED_LOCK = threading.Lock()


def _round_view(row: StoreRow, votes: list[StoreRow], viewer: str) -> RoundView:
    revealed = row["revealed_at"] is not None
    views = tuple(
        VoteView(
            voter=vote["voter"],
            card=shown_card(vote["card"], voter=vote["voter"], viewer=viewer, revealed=revealed),
            confidence=vote["confidence"]
            if revealed or vote["voter"].casefold() == viewer.casefold()
            else None,
            voted_at=vote["voted_at"],
            entered_by=vote["entered_by"],
        )
        for vote in votes
    )
    view = from_row(RoundView, row, votes=views)
    if revealed:
        view = view.model_copy(update={"stats": round_stats(_round_deck(row), view.ballots())})
    return view


def _round_deck(row: StoreRow) -> Deck:
    cards = texts_of(row["deck_cards"])
    if not cards:
        return BUILTIN_DECKS[0]
    return Deck(name=row["deck_name"] or "deck", cards=cards)


def _item(session: Session, session_id: int, entry: StoreRow) -> ItemContext | None:
    ws = session.workspace
    row = poker_reads.item_context_row(ws, entry["item_id"])
    if row is None:
        return None
    options = tuple(from_rows(Option, poker_reads.option_rows(ws, row["id"])))
    risks = tuple(from_rows(RiskNote, poker_reads.open_risk_rows(ws, row["id"])))
    earlier = tuple(
        " · ".join(part for part in (n["notes"], n["rationale"]) if part)
        for n in poker_reads.earlier_notes(ws, session_id, row["id"])
    )
    return ItemContext(
        item_id=row["id"],
        key=row["key"],
        title=row["title"],
        status=row["status"],
        problem=row["problem"],
        description=row["description"],
        acceptance=row["acceptance"],
        options=options,
        risks=risks,
        estimate=row["estimate"],
        notes=entry["notes"],
        earlier_notes=earlier,
        state=entry["state"],
        final_card=entry["final_card"],
        rationale=entry["rationale"],
        metric=metric_of(row)[0],
    )


def _queue(rows: Iterable[StoreRow]) -> tuple[QueueEntry, ...]:
    return tuple(from_rows(QueueEntry, rows))


def _people(session: Session, session_id: int) -> tuple[Participant, ...]:
    here = {name.casefold() for name in here_at(session.workspace, place(session_id))}
    return tuple(
        Participant(name=row["name"], role=row["role"], here=row["name"].casefold() in here)
        for row in poker_reads.people_rows(session.workspace, session_id)
    )


def with_presence(session: Session, session_id: int, table: PokerTable) -> PokerTable:
    """`table` with who is here read afresh (a presence change changes nothing else)."""
    here = {name.casefold() for name in here_at(session.workspace, place(session_id))}
    people = tuple(
        person.model_copy(update={"here": person.name.casefold() in here})
        for person in table.people
    )
    return table.model_copy(update={"people": people})


def table(session: Session, session_id: int) -> PokerTable:
    """The session as `session.me` sees it: queue, people, the current item and its round."""
    return table_pages(session, session_id, first=None)[0]


def table_pages(
    session: Session, session_id: int, *, first: int | None
) -> tuple[PokerTable, Pages[QueueEntry]]:
    """The session as `session.me` sees it, with the first `first` items of its queue (None:
    all of them) and the pages that hold the rest."""
    ws = session.workspace
    info = _info(poker_reads.session_row(ws, session_id))
    queued, done = poker_reads.queue_counts(ws, session_id)
    queue = _queue(poker_reads.queue_rows(ws, session_id, 0, -1 if first is None else first))
    current = (
        poker_reads.queue_entry_row(ws, session_id, info.current_item_id)
        if info.current_item_id is not None
        else None
    )
    item = _item(session, session_id, current) if current is not None else None
    rounds: list[RoundView] = []
    count = 0
    if current is not None:
        item_id = current["item_id"]
        rounds, count = _rounds(session, session_id, item_id, session.me, EARLIER_SHOWN + 1)
    result = PokerTable(
        info=info,
        viewer=session.me,
        queue=queue,
        queued=queued,
        done=done,
        people=_people(session, session_id),
        item=item,
        round=rounds[-1] if rounds else None,
        history=tuple(rounds[:-1]),
        earlier_rounds=max(count - 1, 0),
    )
    return result, Pages(partial(_queue_page, session, session_id), queue)


def _queue_page(session: Session, session_id: int, offset: int, limit: int) -> list[QueueEntry]:
    return list(_queue(poker_reads.queue_rows(session.workspace, session_id, offset, limit)))


def summary(session: Session, session_id: int) -> SessionSummary:
    """Every item, round and revealed vote of a session, as `session.me` may see them."""
    ws = session.workspace
    info = _info(poker_reads.session_row(ws, session_id))
    items = tuple(
        SummaryItem(
            key=row["key"],
            title=row["title"],
            state=row["state"],
            final_card=row["final_card"],
            final_estimate=row["final_estimate"],
            rationale=row["rationale"],
            notes=row["notes"],
            rounds=tuple(_rounds(session, session_id, row["item_id"], session.me)[0]),
        )
        for row in poker_reads.queue_rows(ws, session_id)
    )
    return SessionSummary(info=info, people=_people(session, session_id), items=items)


def summary_text(result: SessionSummary) -> str:
    """The summary kept with the session when it ends: plain text, one item a line."""
    lines = []
    for item in result.items:
        rounds = len(item.rounds)
        if item.state is QueueState.DONE:
            outcome = f"{item.final_card} ({item.final_estimate:g} pts)"
        else:
            outcome = item.state.value
        line = f"{item.key} {item.title}: {outcome}, {rounds} round{'s' if rounds != 1 else ''}"
        if item.rationale:
            line += f" — {item.rationale}"
        lines.append(line)
    estimated = sum(1 for item in result.items if item.state is QueueState.DONE)
    head = (
        f"Estimated {estimated} of {len(result.items)} items, {result.estimated_points:g} points."
    )
    return "\n".join([head, *lines])


# --- moves -------------------------------------------------------------------------------


def join(session: Session, session_id: int, role: PokerRole | None = None) -> None:
    """Take part in the session (as a voter unless `role` says otherwise)."""
    if session.read_only:
        return  # a reader watches: taking part would write
    store.join(session.workspace, session_id, session.me, role)


def add_person(session: Session, session_id: int, name: str, role: PokerRole) -> None:
    """The facilitator adds someone in the room (a voter or a spectator)."""
    name = name.strip()
    check_newcomers(session.workspace, [name])
    store.join(session.workspace, session_id, name, role)


def vote(
    session: Session,
    session_id: int,
    card: str,
    confidence: Confidence = Confidence.NORMAL,
    *,
    voter: str | None = None,
) -> bool:
    """Play a card (for `voter`, when the facilitator enters one); True if it turned the cards."""
    name = (voter or session.me).strip()
    if voter is not None:
        check_newcomers(session.workspace, [name])  # a typed name
    return poker_rounds.cast_vote(session.workspace, session_id, name, card, confidence)


def withdraw(session: Session, session_id: int, voter: str | None = None) -> None:
    """Take a card back before the reveal."""
    poker_rounds.withdraw_vote(session.workspace, session_id, voter or session.me)


def reveal(session: Session, session_id: int) -> RoundView | None:
    """Turn every card of the current round (facilitator only); the round as turned, as
    `session.me` sees it (what the table needs to show the reveal, read without the rest)."""
    poker_rounds.reveal(session.workspace, session_id)
    ws = session.workspace
    with ws.reading():
        item_id = _info(poker_reads.session_row(ws, session_id)).current_item_id
        rounds = _rounds(session, session_id, item_id, session.me, 1)[0] if item_id else []
    return rounds[-1] if rounds else None


def revote(session: Session, session_id: int) -> None:
    """Start another round on the current item (facilitator only)."""
    poker_rounds.revote(session.workspace, session_id)


def accept(
    session: Session, session_id: int, card: str, typed_estimate: str = "", rationale: str = ""
) -> int | None:
    """Agree the estimate and write it to the item; returns the next current item."""
    estimate = final_estimate(card, typed_estimate)
    return poker_rounds.accept(session.workspace, session_id, card, estimate, rationale.strip())


def skip(session: Session, session_id: int, item_id: int) -> int | None:
    """Leave an item without an estimate in this session."""
    return poker_queue.set_state(session.workspace, session_id, item_id, QueueState.SKIPPED)


def park(session: Session, session_id: int, item_id: int) -> int | None:
    """Set an item aside to come back to after the rest of the queue."""
    return poker_queue.set_state(session.workspace, session_id, item_id, QueueState.PARKED)


def go_to(session: Session, session_id: int, item_id: int) -> None:
    """Estimate this item now; every terminal follows."""
    poker_queue.go_to_item(session.workspace, session_id, item_id)


def next_item(session: Session, session_id: int) -> int | None:
    """Move on to the next item in the queue."""
    return poker_queue.next_item(session.workspace, session_id)


def move(session: Session, session_id: int, item_id: int, steps: int) -> None:
    """Reorder the queue."""
    poker_queue.move_in_queue(session.workspace, session_id, item_id, steps)


def add_items(session: Session, session_id: int, item_ids: list[int]) -> int:
    """Add items to the queue mid-session; returns how many were new to it."""
    return poker_queue.queue_items(session.workspace, session_id, item_ids)


def find_items(session: Session, text: str) -> list[tuple[int, str, str, float | None]]:
    """(id, key, title, estimate) of items matching `text`, to add to the queue."""
    return [
        (row["id"], row["key"], row["title"], row["estimate"])
        for row in poker_reads.find_items(session.workspace, text.strip())
    ]


def set_notes(session: Session, session_id: int, item_id: int, notes: str) -> None:
    """Keep the discussion's notes on the item."""
    poker_queue.set_notes(session.workspace, session_id, item_id, notes)


def hand_over(session: Session, session_id: int, to: str) -> None:
    """Make someone else the facilitator."""
    store.hand_over(session.workspace, session_id, to.strip())


def take_over(session: Session, session_id: int) -> None:
    """Facilitate instead of a facilitator whose terminal has gone (closed, lost connection)."""
    store.take_over(session.workspace, session_id, place(session_id))


def set_timer(session: Session, session_id: int, seconds: int) -> None:
    """Restart the countdown of the current item at `seconds`."""
    poker_rounds.set_timer(session.workspace, session_id, seconds)


def add_time(session: Session, session_id: int, seconds: int) -> None:
    """Add (or take away) time on the running countdown."""
    poker_rounds.add_time(session.workspace, session_id, seconds)


def update_settings(session: Session, session_id: int, settings: PokerSettings) -> None:
    """Change deck, auto-reveal or default timer."""
    store.update_settings(session.workspace, session_id, settings)


def end(session: Session, session_id: int) -> SessionSummary:
    """End the session, keeping a text summary with it; returns the full summary."""
    result = summary(session, session_id)
    store.close_session(session.workspace, session_id, summary_text(result))
    return result.model_copy(
        update={"info": result.info.model_copy(update={"status": SessionStatus.CLOSED})}
    )


def now() -> datetime:
    """The clock the timer runs on (UTC)."""
    return datetime.now(UTC)
