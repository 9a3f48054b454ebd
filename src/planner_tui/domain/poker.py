"""Planning poker: decks, what a round's votes say, and who may do what. No I/O.

A deck is an ordered tuple of card labels. Some cards never count in the maths
(`?`, `☕`, `pass`); the rest are ordered by their place in the deck, and most
carry points (numbers, `½`, T-shirt sizes) that become the item's estimate.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from datetime import datetime
from enum import StrEnum

from pydantic import Field, field_validator

from planner_tui.domain.enums import Confidence
from planner_tui.domain.errors import InvalidInput, PlannerError
from planner_tui.domain.models import Value
from planner_tui.domain.text import count_of

PASS = "pass"
UNSURE = "?"
NON_COUNTING = frozenset({UNSURE, "☕", PASS})
"""Cards that say "I can't say" or "break, please": shown, never part of the maths."""

TSHIRT_POINTS = {"XS": 1.0, "S": 2.0, "M": 3.0, "L": 5.0, "XL": 8.0, "XXL": 13.0}
"""Points a T-shirt size becomes when it is accepted as an item's estimate."""

MAX_CARDS = 30
MAX_CARD_LENGTH = 8


class NotFacilitator(PlannerError):
    """Someone other than the facilitator tried a facilitator's move."""


_PLAIN_NUMBER = re.compile(r"^\d{1,12}(\.\d{1,3})?$")


def parse_points(text: str) -> float | None:
    """A plain number of points as people write it (`5`, `0.5`, `½`, `2½`), else None.

    No signs, exponents, underscores, `inf` or `nan`: `1e3` is not read as 1000.
    """
    text = text.strip()
    if text.endswith("½"):
        whole = text[:-1] or "0"
        return float(whole) + 0.5 if whole.isdecimal() and whole.isascii() else None
    return float(text) if _PLAIN_NUMBER.match(text) and text.isascii() else None


def card_points(card: str) -> float | None:
    """The points a card stands for, or None (`?`, `☕`, pass, or a word with no points)."""
    if card in NON_COUNTING:
        return None
    if card in TSHIRT_POINTS:
        return TSHIRT_POINTS[card]
    return parse_points(card)


class Deck(Value):
    """A named deck of cards, in the order they are laid out."""

    name: str = Field(max_length=40)
    cards: tuple[str, ...]
    builtin: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value or any(ord(char) < 32 for char in value):
            raise ValueError("a deck needs a name")
        return value

    @field_validator("cards")
    @classmethod
    def _cards(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cards: list[str] = []
        for card in value:
            card = card.strip()
            if not card:
                continue
            if len(card) > MAX_CARD_LENGTH or any(ord(char) < 32 for char in card):
                raise ValueError(f"a card has at most {MAX_CARD_LENGTH} printable characters")
            if card in cards:
                raise ValueError(f"card {card} is in the deck twice")
            cards.append(card)
        if not any(card not in NON_COUNTING for card in cards):
            raise ValueError("a deck needs at least one card that counts (not ?, ☕ or pass)")
        if len(cards) > MAX_CARDS:
            raise ValueError(f"a deck has at most {MAX_CARDS} cards")
        return tuple(cards)

    @property
    def counting(self) -> tuple[str, ...]:
        """The cards that take part in the maths, in deck order.

        In a deck with points on its cards, a card without points (`[x]`, 🍕) is
        left out like `?`; a deck of words only is ordered by the deck's order.
        """
        candidates = tuple(card for card in self.cards if card not in NON_COUNTING)
        with_points = tuple(card for card in candidates if card_points(card) is not None)
        return with_points or candidates

    @property
    def playable(self) -> tuple[str, ...]:
        """What a voter can play: the deck, and pass when the deck has no pass card."""
        return self.cards if PASS in self.cards else (*self.cards, PASS)

    def has(self, card: str) -> bool:
        """Whether `card` can be played from this deck."""
        return card in self.playable

    def card_typed(self, typed: str) -> str | None:
        """The playable card someone typed, in any case, or by its word where the card is a
        symbol hard to type (`coffee` is ☕, `1/2` is ½, `unsure` is ?); None if none."""
        text = typed.strip().casefold()
        for card in self.playable:
            if card.casefold() == text:
                return card
        for card in self.playable:
            if text in CARD_WORDS.get(card, ()):
                return card
        return None


CARD_WORDS: dict[str, tuple[str, ...]] = {
    "☕": ("coffee", "break", "c"),
    "½": ("1/2", "0.5", ".5", "half"),
    "?": ("unsure", "dunno"),
}
"""Words that name the cards whose faces are symbols, for typing a card by name."""


def parse_cards(text: str) -> tuple[str, ...]:
    """Cards typed for a custom deck: separated by spaces or commas."""
    return tuple(part for part in text.replace(",", " ").split() if part)


BUILTIN_DECKS = (
    Deck(name="Fibonacci", cards=parse_cards("0 1 2 3 5 8 13 21 ? ☕"), builtin=True),
    Deck(
        name="Modified Fibonacci",
        cards=parse_cards("0 ½ 1 2 3 5 8 13 20 40 100 ? ☕"),
        builtin=True,
    ),
    Deck(name="T-shirt", cards=parse_cards("XS S M L XL XXL ?"), builtin=True),
    Deck(name="Powers of two", cards=parse_cards("1 2 4 8 16 32 64 ?"), builtin=True),
)
BUILTIN_DECK_NAMES = frozenset(deck.name.casefold() for deck in BUILTIN_DECKS)
DEFAULT_DECK = BUILTIN_DECKS[0]


class Agreement(StrEnum):
    """How close the counting votes of a round are."""

    NONE = "no votes that count"
    CONSENSUS = "consensus"
    NEAR = "near consensus: neighbouring cards"
    SPREAD = "no consensus"
    WIDE = "wide spread"


WIDE_FROM = 3
"""Cards apart (in deck order) from which the lowest and highest voters explain first."""


class Ballot(Value):
    """One revealed vote: who played which card, how sure."""

    voter: str
    card: str
    confidence: Confidence = Confidence.NORMAL


class RoundStats(Value):
    """What the revealed cards of one round say."""

    distribution: tuple[tuple[str, int], ...]
    """Every card of the deck that was played, in deck order, with how many played it."""
    counted: int
    """Votes that take part in the maths (not ?, ☕ or pass)."""
    not_counted: tuple[str, ...] = ()
    """Cards played that take no part in the maths."""
    low: str | None = None
    high: str | None = None
    median: float | None = None
    """Median of the points, where the counted cards carry points."""
    median_card: str | None = None
    """In a deck of sizes (T-shirts), the median as the card nearest it: what the room
    reads, where "median 3" would be points no card shows."""
    modes: tuple[str, ...] = ()
    """The most played card(s); empty when every card played was played equally often."""
    spread: float | None = None
    """Highest minus lowest points."""
    apart: int = 0
    """How many cards of the deck lie from the lowest to the highest counted vote."""
    agreement: Agreement = Agreement.NONE
    low_voters: tuple[str, ...] = ()
    high_voters: tuple[str, ...] = ()
    suggestion: str | None = None
    """The median snapped to the nearest card (the higher one on a tie)."""

    @property
    def verdict(self) -> str:
        """The agreement in words: a consensus (or a near one) beside a `?` says so, as a
        5 and a ? are no consensus yet; nor is one card alone."""
        if self.counted == 1:
            return "only 1 card counts"
        unsure = dict(self.distribution).get(UNSURE, 0)
        if unsure and self.agreement in (Agreement.CONSENSUS, Agreement.NEAR):
            return f"{self.agreement.value}, but {count_of(unsure, 'voter')} played {UNSURE}"
        return self.agreement.value

    @property
    def wide(self) -> bool:
        """Whether the lowest and highest voters should explain first."""
        return self.agreement is Agreement.WIDE


def round_stats(deck: Deck, ballots: tuple[Ballot, ...] | list[Ballot]) -> RoundStats:
    """Distribution, range, median, mode, spread and a suggested card for revealed votes."""
    order = {card: index for index, card in enumerate(deck.playable)}
    played = Counter(ballot.card for ballot in ballots)
    distribution = tuple(
        sorted(played.items(), key=lambda pair: (order.get(pair[0], len(order)), pair[0]))
    )
    ladder = deck.counting
    place = {card: index for index, card in enumerate(ladder)}
    counted = [ballot for ballot in ballots if ballot.card in place]
    not_counted = tuple(card for card, _ in distribution if card not in place)
    if not counted:
        return RoundStats(distribution=distribution, counted=0, not_counted=not_counted)
    positions = sorted(place[ballot.card] for ballot in counted)
    low, high = ladder[positions[0]], ladder[positions[-1]]
    apart = positions[-1] - positions[0]
    counts = Counter(ballot.card for ballot in counted)
    top = max(counts.values())
    modes = tuple(card for card in ladder if counts.get(card) == top)
    if len(modes) > 1 and len(modes) == len(counts):
        modes = ()  # every card played equally often: there is no mode
    points = [card_points(ballot.card) for ballot in counted]
    median: float | None = None
    spread: float | None = None
    if all(value is not None for value in points):
        numbers = [value for value in points if value is not None]
        median = float(statistics.median(numbers))
        spread = max(numbers) - min(numbers)
        suggestion = _snap(ladder, median)
    else:
        suggestion = ladder[_upper_median(positions)]
    if apart == 0:
        agreement = Agreement.CONSENSUS
    elif apart == 1:
        agreement = Agreement.NEAR
    elif apart >= WIDE_FROM:
        agreement = Agreement.WIDE
    else:
        agreement = Agreement.SPREAD
    sized = median is not None and any(parse_points(card) is None for card in ladder)
    return RoundStats(
        distribution=distribution,
        counted=len(counted),
        not_counted=not_counted,
        low=low,
        high=high,
        median=median,
        median_card=_snap(ladder, median) if sized and median is not None else None,
        modes=modes,
        spread=spread,
        apart=apart,
        agreement=agreement,
        low_voters=tuple(sorted(b.voter for b in counted if b.card == low)) if apart else (),
        high_voters=tuple(sorted(b.voter for b in counted if b.card == high)) if apart else (),
        suggestion=suggestion,
    )


def _upper_median(positions: list[int]) -> int:
    return positions[len(positions) // 2]


def _snap(ladder: tuple[str, ...], value: float) -> str | None:
    """The card whose points are nearest `value`; the higher card wins a tie."""
    best: str | None = None
    best_distance = float("inf")
    for card in ladder:
        points = card_points(card)
        if points is None:
            continue
        distance = abs(points - value)
        if distance <= best_distance:
            best, best_distance = card, distance
    return best


def shown_card(card: str, *, voter: str, viewer: str, revealed: bool) -> str | None:
    """The card `viewer` may see of `voter`'s vote: before reveal, only the voter sees it."""
    if revealed or voter.casefold() == viewer.casefold():
        return card
    return None


def vote_hidden(*, revealed: bool, running: bool) -> bool:
    """Whether a vote's card and confidence are the voter's alone: an unturned round of a
    running session. That someone voted is public."""
    return running and not revealed


def require_facilitator(actor: str, facilitator: str | None, doing: str) -> None:
    """Raise NotFacilitator unless `actor` facilitates the session.

    Args:
        actor: who is trying.
        facilitator: who facilitates now.
        doing: the move, for the message, e.g. `reveal the cards`.
    """
    if facilitator is None or actor.casefold() != facilitator.casefold():
        raise NotFacilitator(
            f"only the facilitator ({facilitator or 'nobody'}) can {doing}; "
            "ask them, or ask them to hand over with h"
        )


def final_estimate(card: str, typed: str | None = None) -> float:
    """The estimate written to the item: what the facilitator typed, else the card's points.

    Raises:
        InvalidInput: neither gives a number of points.
    """
    if typed is not None and typed.strip():
        value = parse_points(typed)
        if value is None:
            raise InvalidInput(f"{typed.strip()!r} is not a number of points, e.g. 5 or 0.5")
        if value > 100_000:
            raise InvalidInput("an estimate runs from 0 to 100000 points")
        return value
    points = card_points(card)
    if points is None:
        raise InvalidInput(f"card {card} has no points; type the estimate in points")
    return points


def seconds_left(started_at: datetime | None, seconds: int, now: datetime) -> int | None:
    """Whole seconds left on a round's timer (negative once over), or None with no timer."""
    if started_at is None:
        return None
    return math.ceil(seconds - (now - started_at).total_seconds())


def format_clock(seconds: int) -> str:
    """`1:05`, or `-0:12` once time is up."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 60}:{seconds % 60:02d}"


def next_change(started_at: datetime | None, seconds: int, now: datetime) -> float | None:
    """Seconds until the countdown as `countdown` shows it next changes; None when there is
    no countdown or its time is up (nothing changes until it is started again)."""
    if started_at is None:
        return None
    remaining = seconds - (now - started_at).total_seconds()
    if remaining <= 0:
        return None
    left = math.ceil(remaining)
    if left > 60:  # `N min` until N - 1 whole minutes are left (the last one to the second)
        return remaining - 60 * (-(-left // 60) - 1)
    return remaining - (left - 1)


def countdown(seconds: int) -> str:
    """A countdown as shown: `4 min` (whole minutes, rounded up) while more than a minute
    is left, then `0:42` to the second. The line changes once a minute until the last one,
    so a screen with a long timer running costs no more at rest than one without."""
    if seconds > 60:
        return f"{-(-seconds // 60)} min"
    return format_clock(seconds)


# --- the rules a poker session keeps (the store calls them inside its write) ---------------


def check_session_open(status: str) -> None:
    """Refuse any change to a session that has ended."""
    if status != "open":
        raise InvalidInput("this session has ended; its summary is kept, nothing more can change")


def check_custom_deck(deck: Deck) -> None:
    """Refuse a custom deck named like a built-in one."""
    if not deck.builtin and deck.name.casefold() in BUILTIN_DECK_NAMES:
        raise InvalidInput(f"{deck.name} is a built-in deck; give yours another name")


def check_card(deck: Deck, card: str, *, revealed: bool, facilitates: bool) -> None:
    """Refuse a card not in the deck, and a vote after the reveal (but the facilitator's
    record of cards said out loud)."""
    if not deck.has(card):
        raise InvalidInput(f"{card} is not a card of this deck ({' '.join(deck.playable)})")
    if revealed and not facilitates:
        raise InvalidInput("the cards are turned; the facilitator can start a re-vote (v)")


def check_entered_for(voter: str, *, their_own_card: bool) -> None:
    """A card a voter played themselves is theirs: nobody enters another over it."""
    if their_own_card:
        raise InvalidInput(f"{voter} played their own card; only they can change it")


def check_withdraw(*, revealed: bool) -> None:
    """A card cannot be taken back once the cards are turned."""
    if revealed:
        raise InvalidInput("the cards are turned; the facilitator can start a re-vote (v)")


def check_revote(*, revealed: bool) -> None:
    """A re-vote follows a reveal."""
    if not revealed:
        raise InvalidInput("reveal the cards first (r); then a re-vote starts a fresh round")


def check_timer(seconds: int) -> None:
    """A round's countdown runs from nothing to an hour."""
    if not 0 <= seconds <= 3600:
        raise InvalidInput("a timer runs from 0 to 60 minutes")
