"""What an estimation session looks like to one person: plain records, no I/O."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from planner_tui.domain.enums import Confidence, SessionStatus
from planner_tui.domain.models import Option, Value
from planner_tui.domain.poker import DEFAULT_DECK, Ballot, Deck, RoundStats

DEFAULT_TIMER_SECONDS = 120

EARLIER_SHOWN = 5
"""Earlier rounds on the item on the table, the latest, that its table holds and shows: a long
discussion's thirtieth round listed all 29 before it (wrapping them held every redraw
11 ms), and read every card of every one of them (a reveal's read took 5 ms after 40)."""


class PokerRole(StrEnum):
    """How someone takes part in an estimation session."""

    VOTER = "voter"
    SPECTATOR = "spectator"


class QueueState(StrEnum):
    """Where an item stands in a session's queue."""

    QUEUED = "queued"
    DONE = "done"
    SKIPPED = "skipped"
    PARKED = "parked"


class PokerSettings(Value):
    """A session's settings, kept with the session in the workspace."""

    deck: Deck = DEFAULT_DECK
    auto_reveal: bool = True
    """Turn the cards as soon as every voter has voted."""
    timer_seconds: int = Field(default=DEFAULT_TIMER_SECONDS, ge=0, le=3600)
    """The countdown each item starts with; 0 means no timer."""
    present: bool = False
    """The facilitator's screen is the room's (a projector): it opens in the presenter
    view, where nothing private is drawn."""


class SessionInfo(Value):
    """An estimation session: who runs it, how, and where it is."""

    id: int
    title: str
    facilitator: str | None
    status: SessionStatus
    started_at: datetime
    ended_at: datetime | None = None
    settings: PokerSettings
    current_item_id: int | None = None
    summary: str = ""

    @property
    def open(self) -> bool:
        """Whether the session is still going on."""
        return self.status is SessionStatus.OPEN


class SessionListing(Value):
    """A line of the list of estimation sessions."""

    id: int
    title: str
    facilitator: str | None
    status: SessionStatus
    started_at: datetime
    items: int
    estimated: int


class QueueEntry(Value):
    """An item in a session's queue."""

    item_id: int
    key: str
    title: str
    state: QueueState
    position: int
    estimate: float | None = None
    final_card: str | None = None
    rounds: int = 0
    open_risks: int = 0
    worst_risk: int | None = None
    """The highest score among the item's live risks."""


class Participant(Value):
    """Someone in the session, and whether their terminal has it open now."""

    name: str
    role: PokerRole
    here: bool = False


class VoteView(Value):
    """One voter's vote as the viewer may see it: before reveal, the card is None."""

    voter: str
    card: str | None = None
    """The card, where the viewer may see it (revealed, or it is the viewer's own)."""
    confidence: Confidence | None = None
    voted_at: datetime | None = None
    entered_by: str | None = None


class RoundView(Value):
    """One round of voting on an item."""

    id: int
    number: int
    started_at: datetime
    revealed_at: datetime | None = None
    timer_seconds: int = 0
    timer_started_at: datetime | None = None
    votes: tuple[VoteView, ...] = ()
    stats: RoundStats | None = None
    """Only once revealed."""

    @property
    def revealed(self) -> bool:
        """Whether the cards have been turned."""
        return self.revealed_at is not None

    def ballots(self) -> tuple[Ballot, ...]:
        """The votes whose cards the viewer can see."""
        return tuple(
            Ballot(
                voter=vote.voter, card=vote.card, confidence=vote.confidence or Confidence.NORMAL
            )
            for vote in self.votes
            if vote.card is not None
        )


class RiskNote(Value):
    """An open risk on the item being estimated."""

    id: int
    title: str
    category: str
    score: int
    blocking: bool


class ItemContext(Value):
    """What the room needs to see while estimating an item."""

    item_id: int
    key: str
    title: str
    status: str
    problem: str = ""
    description: str = ""
    acceptance: str = ""
    options: tuple[Option, ...] = ()
    risks: tuple[RiskNote, ...] = ()
    estimate: float | None = None
    notes: str = ""
    """Discussion notes taken in this session."""
    earlier_notes: tuple[str, ...] = ()
    """Notes from earlier sessions on the same item."""
    state: QueueState = QueueState.QUEUED
    final_card: str | None = None
    rationale: str = ""
    metric: str = ""
    """The success metric it is for, target against actual; empty if none."""


class PokerTable(Value):
    """Everything one person's Estimation screen draws, with nothing they may not see."""

    info: SessionInfo
    viewer: str
    queue: tuple[QueueEntry, ...]
    """The queue from its start: whole, or its first page for a screen."""
    queued: int
    """Items in the queue."""
    done: int
    """Items estimated."""
    people: tuple[Participant, ...]
    item: ItemContext | None = None
    round: RoundView | None = None
    history: tuple[RoundView, ...] = ()
    """The current item's latest earlier rounds in this session (a few), oldest first."""
    earlier_rounds: int = 0
    """How many earlier rounds the current item has had in this session, in all."""

    @property
    def facilitating(self) -> bool:
        """Whether the viewer facilitates."""
        facilitator = self.info.facilitator
        return facilitator is not None and facilitator.casefold() == self.viewer.casefold()

    @property
    def voters(self) -> tuple[str, ...]:
        """Who votes in this session."""
        return tuple(person.name for person in self.people if person.role is PokerRole.VOTER)

    @property
    def my_role(self) -> PokerRole | None:
        """The viewer's role, or None before they join."""
        for person in self.people:
            if person.name.casefold() == self.viewer.casefold():
                return person.role
        return None

    @property
    def my_vote(self) -> VoteView | None:
        """The viewer's vote in the current round."""
        if self.round is None:
            return None
        for vote in self.round.votes:
            if vote.voter.casefold() == self.viewer.casefold():
                return vote
        return None

    def with_my_card(self, card: str, confidence: Confidence, at: datetime) -> PokerTable:
        """The table as it will read once my `card` is saved, drawn the moment it is played
        (the save and the read after it took a vote's frame 20 ms past the key). The read
        that follows replaces it: a refused card goes away with the reason said."""
        if self.round is None:
            return self
        me = self.viewer.casefold()
        mine = self.my_vote
        votes = [vote for vote in self.round.votes if vote.voter.casefold() != me]
        votes.append(
            VoteView(
                voter=mine.voter if mine else self.viewer,
                card=card,
                confidence=confidence,
                voted_at=at,
                entered_by=self.viewer,
            )
        )
        votes.sort(key=lambda vote: vote.voter.casefold())  # (as they are read)
        round_ = self.round.model_copy(update={"votes": tuple(votes)})
        return self.model_copy(update={"round": round_})

    def revoted(self, at: datetime) -> PokerTable:
        """The table as it will read once a re-vote started `at` is saved, drawn with the
        key (the save and the read after it held the frame 5 ms): a new round on the item,
        no card down, the turned round the latest of the earlier ones. The read after the
        save replaces it; a refused re-vote goes away with the reason said. Unchanged if
        the cards are not turned (a re-vote is refused then)."""
        turned = self.round
        if turned is None or not turned.revealed:
            return self
        timer = self.info.settings.timer_seconds
        fresh = RoundView(
            id=0,  # (not saved yet)
            number=turned.number + 1,
            started_at=at,
            timer_seconds=timer,
            timer_started_at=at if timer else None,
        )
        history = (*self.history, turned)[-EARLIER_SHOWN:]
        return self.model_copy(
            update={"round": fresh, "history": history, "earlier_rounds": self.earlier_rounds + 1}
        )

    @property
    def voted_count(self) -> int:
        """How many of the voters have voted in the current round."""
        if self.round is None:
            return 0
        voted = {vote.voter.casefold() for vote in self.round.votes}
        return sum(1 for name in self.voters if name.casefold() in voted)


class SummaryItem(Value):
    """One item in a session's summary."""

    key: str
    title: str
    state: QueueState
    final_card: str | None = None
    final_estimate: float | None = None
    rationale: str = ""
    notes: str = ""
    rounds: tuple[RoundView, ...] = ()


class SessionSummary(Value):
    """A session as it is kept: every item, every round, every revealed vote."""

    info: SessionInfo
    people: tuple[Participant, ...]
    items: tuple[SummaryItem, ...]

    @property
    def estimated_points(self) -> float:
        """The points of every accepted estimate."""
        return sum(item.final_estimate or 0 for item in self.items)
