"""Risk scoring: likelihood times impact, banded into severities."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How bad a risk is, from its score."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)


def risk_score(likelihood: int, impact: int) -> int:
    """The score of a risk on the 5x5 matrix: 1 to 25."""
    if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
        raise ValueError("likelihood and impact run from 1 to 5")
    return likelihood * impact


def severity(score: int) -> Severity:
    """The severity band of a score: 1-4 low, 5-9 medium, 10-15 high, 16-25 critical."""
    if score >= 16:
        return Severity.CRITICAL
    if score >= 10:
        return Severity.HIGH
    if score >= 5:
        return Severity.MEDIUM
    return Severity.LOW
