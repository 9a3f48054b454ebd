"""Closed sets of values used across the domain."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a person does in the team."""

    PRODUCT = "product"
    ENGINEERING = "engineering"
    DESIGN = "design"
    OTHER = "other"


class ItemKind(StrEnum):
    """The kind of a backlog item."""

    STORY = "story"
    BUG = "bug"
    CHORE = "chore"
    SPIKE = "spike"
    EPIC = "epic"


class ItemStatus(StrEnum):
    """Where a backlog item is in its life."""

    NEW = "new"
    READY = "ready"
    IN_PROGRESS = "in progress"
    DONE = "done"
    WONT_DO = "won't do"


class Level(StrEnum):
    """A three-step scale for the effort and risk of an option."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class SprintStatus(StrEnum):
    """The state of a sprint; only one may be active at a time."""

    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"


class SessionKind(StrEnum):
    """The kind of meeting a session records."""

    PLANNING = "planning"
    ESTIMATION = "estimation"
    RETRO = "retro"


class SessionStatus(StrEnum):
    """Whether a meeting is still going on."""

    OPEN = "open"
    CLOSED = "closed"


class RiskCategory(StrEnum):
    """What a risk is about."""

    TECHNICAL = "technical"
    SECURITY = "security"
    DEPENDENCY = "dependency"
    SCOPE = "scope"
    CAPACITY = "capacity"
    TECH_DEBT = "tech debt"
    OTHER = "other"


class RiskStatus(StrEnum):
    """Open, or one of the ROAM decisions."""

    OPEN = "open"
    RESOLVED = "resolved"
    OWNED = "owned"
    ACCEPTED = "accepted"
    MITIGATED = "mitigated"


class ActionStatus(StrEnum):
    """The state of a retro action item."""

    OPEN = "open"
    IN_PROGRESS = "in progress"
    DONE = "done"
    DROPPED = "dropped"


class Confidence(StrEnum):
    """How sure a voter is of their card."""

    UNSURE = "unsure"
    NORMAL = "normal"
    SURE = "sure"
