"""Retrospectives: templates, phases and their rules, and what a board looks like to one person.

Pure: no I/O. The store applies these rules inside its write transactions and
the service builds the views; screens only draw them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from pydantic import Field, field_validator

from planner_tui.domain.enums import ActionStatus, SessionStatus
from planner_tui.domain.errors import InvalidInput
from planner_tui.domain.models import Value

BUILTIN_TEMPLATES: dict[str, tuple[str, ...]] = {
    "Went well / To improve / Actions": ("Went well", "To improve", "Actions"),
    "Start / Stop / Continue": ("Start", "Stop", "Continue"),
    "Mad / Sad / Glad": ("Mad", "Sad", "Glad"),
    "4Ls": ("Liked", "Learned", "Lacked", "Longed for"),
    "Sailboat": ("Wind", "Anchors", "Rocks", "Island"),
}
"""The templates every workspace has, in the order they are offered."""

DEFAULT_TEMPLATE = "Went well / To improve / Actions"
MAX_COLUMNS = 8
DEFAULT_PHASE_SECONDS = 300


class Phase(StrEnum):
    """The steps of a retro, in order; the facilitator moves forwards and back."""

    REVIEW = "review"
    WRITE = "write"
    REVEAL = "reveal"
    GROUP = "group"
    VOTE = "vote"
    DISCUSS = "discuss"
    CLOSE = "close"


PHASES = tuple(Phase)

PHASE_HELP = {
    Phase.REVIEW: "Review the open actions from earlier retros: done, carried over or dropped",
    Phase.WRITE: "Write cards privately; nobody sees anyone else's until the reveal",
    Phase.REVEAL: "Every card shows at once; read them together",
    Phase.GROUP: "Put cards that say the same thing under a theme; move cards between columns",
    Phase.VOTE: "Spend your dots on the cards and themes to talk about",
    Phase.DISCUSS: "Talk through the most-voted first; note it and agree owned actions",
    Phase.CLOSE: "Rate the retro from 1 to 5 and end it with a summary",
}


def phase_number(phase: Phase) -> int:
    """1 for Review up to 7 for Close."""
    return PHASES.index(phase) + 1


def step(phase: Phase, by: int) -> Phase:
    """The phase `by` steps after (or before, when negative) `phase`.

    Raises:
        InvalidInput: there is no phase there.
    """
    index = PHASES.index(phase) + by
    if not 0 <= index < len(PHASES):
        where = "first" if index < 0 else "last"
        raise InvalidInput(f"{phase.value.capitalize()} is the {where} phase")
    return PHASES[index]


def cards_revealed(phase: Phase) -> bool:
    """Whether everyone sees every card: from the reveal on."""
    return PHASES.index(phase) >= PHASES.index(Phase.REVEAL)


def totals_shown(phase: Phase, hide_totals: bool) -> bool:
    """Whether vote totals show: always, or once voting has ended when they are hidden."""
    if not hide_totals:
        return PHASES.index(phase) >= PHASES.index(Phase.VOTE)
    return PHASES.index(phase) > PHASES.index(Phase.VOTE)


def cards_hidden(phase: Phase, *, running: bool) -> bool:
    """Whether each card (and any theme) is its writer's alone: a running retro before the reveal."""
    return running and not cards_revealed(phase)


def dots_hidden(phase: Phase, hide_totals: bool, *, running: bool) -> bool:
    """Whether the dots (totals and who put them where) are hidden: a running retro whose
    totals do not show yet."""
    return running and not totals_shown(phase, hide_totals)


def ratings_hidden(*, running: bool) -> bool:
    """Whether ratings (each one and their average) are hidden: until the retro ends.

    That some people have rated is public; what they gave is not.
    """
    return running


def require_phase(phase: Phase, allowed: tuple[Phase, ...], doing: str) -> None:
    """Refuse a move made in the wrong phase, naming the phase where it can be made."""
    if phase not in allowed:
        names = " or ".join(p.value.capitalize() for p in allowed)
        raise InvalidInput(f"you can {doing} in the {names} phase; the board is at {phase.value}")


def check_dot(
    *, limit: int, several_per_target: bool, spent: int, on_target: int, voter: str
) -> None:
    """Refuse a dot over the voter's limit, or a second dot on one card when that is off.

    Checked inside the write transaction, so two terminals voting at once cannot pass it.
    """
    if spent >= limit:
        raise InvalidInput(
            f"{voter} has used all {limit} votes; take one back (x) to vote elsewhere"
        )
    if on_target and not several_per_target:
        raise InvalidInput(
            "one vote per card or theme on this board (a theme and its cards count as one)"
        )


class ReviewDecision(StrEnum):
    """What a retro decided about an earlier retro's open action."""

    DONE = "done"
    CARRIED_OVER = "carried over"
    DROPPED = "dropped"


DECISION_STATUS = {
    ReviewDecision.DONE: ActionStatus.DONE,
    ReviewDecision.DROPPED: ActionStatus.DROPPED,
}
"""The status a decision gives the action; carried over keeps it as it is."""


def template_columns(text: str) -> tuple[str, ...]:
    """Columns typed as `Keep, Drop, Try` (commas between them; `CI/CD` is one name).

    Raises:
        InvalidInput: fewer than one or more than MAX_COLUMNS columns, or a repeated one.
    """
    parts = [part.strip() for part in text.split(",")]
    columns = tuple(part for part in parts if part)
    if not columns:
        raise InvalidInput("type the columns with commas between them, e.g. Keep, Drop, Try")
    if len(columns) > MAX_COLUMNS:
        raise InvalidInput(f"a board has at most {MAX_COLUMNS} columns")
    if len({c.casefold() for c in columns}) != len(columns):
        raise InvalidInput("each column needs a name of its own")
    for column in columns:
        if len(column) > 40:
            raise InvalidInput(f"column names are at most 40 characters: {column[:40]}…")
    return columns


class RetroSettings(Value):
    """How a board runs, chosen when it starts."""

    anonymous: bool = True
    """No author is stored for any card: not hidden, absent."""
    votes_per_person: int = Field(default=3, ge=1, le=20)
    several_votes_per_card: bool = False
    hide_totals: bool = True
    """Keep vote totals hidden until the Vote phase ends."""
    phase_seconds: int = Field(default=DEFAULT_PHASE_SECONDS, ge=0, le=3600)
    """The countdown each phase starts with; 0 means no timer."""
    present: bool = False
    """The facilitator's screen is the room's (a projector): it opens in the presenter
    view, where nothing private is drawn."""


class CardView(Value):
    """A card as one person may see it."""

    id: int
    column: str
    text: str
    author: str | None = None
    """Shown on a named board once cards are revealed (or to the author)."""
    mine: bool = False
    theme_id: int | None = None
    notes: str = ""
    votes: int | None = None
    """None while totals are hidden."""
    my_votes: int = 0


class ThemeView(Value):
    """Cards grouped under a title."""

    id: int
    column: str
    title: str
    notes: str = ""
    cards: tuple[CardView, ...] = ()
    votes: int | None = None
    """Dots on the theme and on its cards; None while totals are hidden."""
    my_votes: int = 0


Dotted = TypeVar("Dotted", CardView, ThemeView)


def with_my_dots(view: Dotted, mine: int) -> Dotted:
    """A card or theme as it will read once my dots on it number `mine`: a dot is drawn when
    it is put, before it is saved and read back."""
    votes = None if view.votes is None else view.votes + mine - view.my_votes
    return view.model_copy(update={"my_votes": mine, "votes": votes})


def theme_with_my_dots(theme: ThemeView, mine: int | None, cards: Mapping[int, int]) -> ThemeView:
    """A theme and the cards under it as they will read once my dots are saved: `mine` on
    the theme itself (None: as read), `cards` on its cards by id. A dot on a card under a
    theme counts in the theme's total, as the board counts it."""
    under = tuple(
        with_my_dots(card, cards[card.id]) if card.id in cards else card for card in theme.cards
    )
    extra = sum(new.my_votes - old.my_votes for old, new in zip(theme.cards, under, strict=True))
    themed = theme if mine is None else with_my_dots(theme, mine)
    votes = None if themed.votes is None else themed.votes + extra
    return themed.model_copy(update={"cards": under, "votes": votes})


class ColumnView(Value):
    """One column of the board."""

    name: str
    count: int
    """Cards in the column, whether or not this person may read them."""
    themes: tuple[ThemeView, ...] = ()
    cards: tuple[CardView, ...] = ()
    """Cards not in a theme (while the rest are hidden, the viewer's own): the first of
    them, or all when the board was read whole."""
    loose: int = 0
    """How many such cards there are: those past `cards` are read a page at a time."""


class ReviewEntry(Value):
    """An earlier retro's action, as this retro reviews it."""

    action_id: int
    text: str
    owner: str | None = None
    due_date: date | None = None
    status: ActionStatus
    origin: str = ""
    decision: ReviewDecision | None = None
    decided_by: str | None = None
    note: str = ""


class ActionView(Value):
    """An action item, wherever it came from."""

    id: int
    text: str
    owner: str | None = None
    due_date: date | None = None
    status: ActionStatus
    origin: str = ""
    """The retro that agreed it, or empty."""
    prompted_by: str = ""
    """The card or theme it came from."""
    session_id: int | None = None
    created_at: datetime | None = None

    def overdue(self, today: date) -> bool:
        """Past its due date and not finished."""
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        )


class RetroInfo(Value):
    """A retro session and its board."""

    session_id: int
    board_id: int
    title: str
    facilitator: str | None = None
    status: SessionStatus
    started_at: datetime
    ended_at: datetime | None = None
    summary: str = ""
    template: str
    columns: tuple[str, ...]
    sprint: str | None = None
    settings: RetroSettings
    phase: Phase
    phase_started_at: datetime | None = None
    phase_seconds: int = 0
    """The running phase's countdown (the facilitator can add or take time)."""

    @property
    def open(self) -> bool:
        """Whether the retro is still going on."""
        return self.status is SessionStatus.OPEN


class RetroListing(Value):
    """A line of the retro list."""

    session_id: int
    title: str
    status: SessionStatus
    started_at: datetime
    facilitator: str | None = None
    phase: Phase
    columns: tuple[str, ...] = ()
    cards: int = 0
    actions: int = 0


class Board(Value):
    """A retro as one person sees it now."""

    info: RetroInfo
    viewer: str
    columns: tuple[ColumnView, ...]
    card_count: int
    writers: int
    """How many people have written cards (counted without saying who wrote which)."""
    votes_left: int
    review: tuple[ReviewEntry, ...] = ()
    actions: tuple[ActionView, ...] = ()
    here: tuple[str, ...] = ()
    """Who has the retro open now."""
    ratings: int = 0
    average_rating: float | None = None
    """Shown once the retro has ended, or to the facilitator at Close."""
    my_rating: int | None = None

    @property
    def i_facilitate(self) -> bool:
        """Whether the viewer runs the retro."""
        who = self.info.facilitator
        return who is not None and who.casefold() == self.viewer.casefold()

    def card(self, card_id: int) -> CardView | None:
        """A card on the board the viewer can read."""
        for column in self.columns:
            for card in column.cards:
                if card.id == card_id:
                    return card
            for theme in column.themes:
                for card in theme.cards:
                    if card.id == card_id:
                        return card
        return None

    def theme(self, theme_id: int) -> ThemeView | None:
        """A theme on the board."""
        return next(
            (theme for column in self.columns for theme in column.themes if theme.id == theme_id),
            None,
        )


class NewTemplate(Value):
    """A custom set of columns kept in the workspace."""

    name: str = Field(max_length=60)
    columns: tuple[str, ...]

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a template needs a name")
        if value.casefold() in {name.casefold() for name in BUILTIN_TEMPLATES}:
            raise ValueError(f"{value} is a built-in template; give yours another name")
        return value


def parse_due(text: str, today: date) -> date | None:
    """A due date typed as `2026-12-01`, `+7` (days from today), or nothing.

    Raises:
        InvalidInput: anything else, saying what is accepted.
    """
    text = text.strip()
    if not text:
        return None
    if text.startswith("+") and text[1:].isdigit() and int(text[1:]) <= 3650:
        from datetime import timedelta

        return today + timedelta(days=int(text[1:]))
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"due date {text[:20]!r}: type a date like 2026-12-01, or +7 for a week from today",
            field="due",
        ) from None
    if not 2000 <= day.year <= 2200:  # 1999 or 9999 is a slip of the keys, not a plan
        raise InvalidInput(f"due date {text}: a date between 2000 and 2200", field="due")
    return day


# --- the rules a retro keeps (the store calls them inside its write) -----------------------


def check_board_open(status: str) -> None:
    """Refuse any change to a retro that has ended."""
    if status != "open":
        raise InvalidInput("this retro has ended; its board and summary are kept read-only")


def check_column(columns: Sequence[str], column: str) -> None:
    """A card goes in one of the board's columns."""
    if column not in columns:
        raise InvalidInput(f"the board has no column {column}")


def check_theme_title(title: str | None) -> str:
    """A theme is named: its title, trimmed."""
    if not title or not title.strip():
        raise InvalidInput("a theme needs a title")
    return title.strip()


def check_rating(rating: int) -> None:
    """A retro is rated from 1 to 5."""
    if not 1 <= rating <= 5:
        raise InvalidInput("rate the retro from 1 (not worth it) to 5 (well worth it)")
