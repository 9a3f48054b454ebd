"""Pydantic models: every record that enters the store passes through one of these."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from planner_tui.domain.enums import (
    ActionStatus,
    ItemKind,
    ItemStatus,
    Level,
    RiskCategory,
    RiskStatus,
    Role,
    SessionKind,
    SessionStatus,
    SprintStatus,
)
from planner_tui.domain.text import NAME_RULE, is_name, name_key

MAX_TEXT = 100_000
"""Longest text accepted in any field: generous, so pasted documents are kept whole."""


def _not_blank(value: str, what: str) -> str:
    if not value.strip():
        raise ValueError(f"{what} must not be empty")
    return value


class Value(BaseModel):
    """Base of the domain models: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


class Person(Value):
    """Someone on the team; `name` is what they pass to `--as`."""

    name: str = Field(max_length=64)
    """Short unique name, e.g. `maya`."""
    display_name: str = Field(default="", max_length=200)
    """Full name shown in summaries; falls back to `name`."""
    role: Role = Role.OTHER

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not is_name(value):
            raise ValueError(NAME_RULE)
        return name_key(value)


class Option(Value):
    """An alternative approach to an item, with its effort and risk (the seed's scoping step)."""

    description: str = Field(max_length=2_000)
    effort: str = Field(default="", max_length=200)
    """Effort in the team's words, e.g. `2 weeks` or `5 points`."""
    risk: Level = Level.MEDIUM
    chosen: bool = False

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        return _not_blank(value, "an option's description")


class SuccessMetric(Value):
    """How an item's success is measured after launch."""

    name: str = Field(max_length=500)
    unit: str = Field(default="", max_length=50)
    target: float | None = None
    actual: float | None = None
    lower_better: bool = False
    """True for a metric aimed low (latency, churn): met at or under the target."""


class NewItem(Value):
    """A backlog item as it is offered to the store."""

    title: str = Field(max_length=MAX_TEXT)
    kind: ItemKind = ItemKind.STORY
    status: ItemStatus = ItemStatus.NEW
    problem: str = Field(default="", max_length=MAX_TEXT)
    """Who has what problem: the seed's discovery step."""
    description: str = Field(default="", max_length=MAX_TEXT)
    acceptance: str = Field(default="", max_length=MAX_TEXT)
    """Acceptance criteria, one per line."""
    value: int | None = Field(default=None, ge=1, le=10)
    impact: str = Field(default="", max_length=2_000)
    """Expected impact in words, e.g. `+15% checkout conversion`."""
    estimate: float | None = Field(default=None, ge=0)
    tags: tuple[str, ...] = ()
    parent_key: str | None = None
    metric: SuccessMetric | None = None
    options: tuple[Option, ...] = ()
    source: str = ""
    external_key: str = ""
    external_url: str = ""

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _not_blank(value, "the title")

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned: list[str] = []
        for tag in value:
            if not tag.strip():
                continue
            if len(tag) > 100:
                raise ValueError("a tag may have at most 100 characters")
            if tag not in cleaned:
                cleaned.append(tag)
        return tuple(cleaned)

    @field_validator("options")
    @classmethod
    def _one_chosen_option(cls, value: tuple[Option, ...]) -> tuple[Option, ...]:
        # (a field's own check, so that the editor shows the problem under Options)
        if sum(option.chosen for option in value) > 1:
            raise ValueError("at most one option can be chosen")
        return value


class Item(NewItem):
    """A backlog item as read from the store."""

    id: int
    key: str
    rank: int
    created_at: datetime
    created_by: str


class NewSprint(Value):
    """A sprint as it is offered to the store."""

    name: str = Field(max_length=200)
    goal: str = Field(default="", max_length=MAX_TEXT)
    start: date
    end: date
    status: SprintStatus = SprintStatus.PLANNED
    points_per_day: float = Field(default=1.0, gt=0)
    reserve_percent: int = Field(default=0, ge=0, le=90)
    velocity_guess: float | None = Field(default=None, ge=0)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _not_blank(value, "the sprint name")

    @model_validator(mode="after")
    def _dates_in_order(self) -> NewSprint:
        if self.end < self.start:
            raise ValueError("a sprint cannot end before it starts")
        if not (self.start.year >= 2000 and self.end.year <= 2200):
            raise ValueError("a sprint's dates must fall between the years 2000 and 2200")
        if (self.end - self.start).days > 366:
            raise ValueError("a sprint lasts at most a year")
        if self.start.weekday() >= 5 and (self.end - self.start).days < 2:
            raise ValueError("a sprint needs at least one working day (Monday to Friday)")
        return self


class CapacityEntry(Value):
    """One person's availability in a sprint."""

    person: str
    days_available: float = Field(ge=0, le=366)
    days_off: float = Field(default=0, ge=0, le=366)
    focus_factor: float = Field(default=0.7, gt=0, le=1)


class NewRisk(Value):
    """A risk flag as it is raised."""

    title: str = Field(max_length=2_000)
    description: str = Field(default="", max_length=MAX_TEXT)
    category: RiskCategory = RiskCategory.TECHNICAL
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    owner: str | None = None
    mitigation: str = Field(default="", max_length=MAX_TEXT)
    follow_up: date | None = None
    item_key: str | None = None
    sprint_name: str | None = None
    blocking: bool | None = None
    """None means the default: blocking for security risks only."""
    status: RiskStatus = RiskStatus.OPEN
    decision_note: str = ""

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _not_blank(value, "the risk title")

    @property
    def is_blocking(self) -> bool:
        """Whether the risk blocks commitment: security risks do unless said otherwise."""
        if self.blocking is None:
            return self.category is RiskCategory.SECURITY
        return self.blocking


class NewSession(Value):
    """A meeting: planning, estimation or retro."""

    kind: SessionKind
    title: str = Field(max_length=500)
    facilitator: str
    sprint_name: str | None = None
    status: SessionStatus = SessionStatus.OPEN
    summary: str = Field(default="", max_length=MAX_TEXT)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _not_blank(value, "the session title")


class NewRetroBoard(Value):
    """A retro board: its columns come from a template or are custom."""

    template: str
    columns: tuple[str, ...]
    anonymous: bool = True
    votes_per_person: int = Field(default=3, ge=0, le=50)
    several_votes_per_card: bool = False
    phase: str = "review"

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("a board needs at least one column")
        for column in value:
            _not_blank(column, "a column name")
        return value


class NewCard(Value):
    """A retro card. On an anonymous board `author` is None and never stored."""

    column: str
    text: str = Field(max_length=MAX_TEXT)
    author: str | None = None

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return _not_blank(value, "a card")


class NewAction(Value):
    """An action item that came out of a retro."""

    text: str = Field(max_length=MAX_TEXT)
    owner: str | None = None
    due: date | None = None
    status: ActionStatus = ActionStatus.OPEN

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return _not_blank(value, "an action")
