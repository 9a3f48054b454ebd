"""What the turned cards say: a distribution chart, the numbers, and who explains first."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from planner_tui.domain.poker import Agreement, RoundStats
from planner_tui.domain.text import one_line

_AGREEMENT_STYLES = {
    Agreement.CONSENSUS: "bold green",
    Agreement.NEAR: "green",
    Agreement.SPREAD: "yellow",
    Agreement.WIDE: "bold red",
    Agreement.NONE: "dim",
}


def _points(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def stats_text(stats: RoundStats, width: int = 60) -> Text:
    """The distribution as bars, then median, mode, range and the suggested card."""
    lines: list[Text] = []
    most = max((count for _, count in stats.distribution), default=1)
    distribution = [(one_line(card), count) for card, count in stats.distribution]
    label_width = max((cell_len(card) for card, _ in distribution), default=1)
    bar_room = max(min(width - label_width - 8, 30), 4)
    for (card, count), (played, _) in zip(distribution, stats.distribution, strict=True):
        bar = "█" * max(1, round(count * bar_room / most))
        counts = played not in stats.not_counted
        lines.append(
            Text.assemble(
                (" " * (label_width - cell_len(card)) + card, "bold" if counts else "dim"),
                "  ",
                (bar, "cyan" if counts else "dim"),
                f" {count}",
                ("" if counts else "  not counted", "dim"),
            )
        )
    verdict = Text(stats.verdict, style=_AGREEMENT_STYLES[stats.agreement])
    if stats.counted:
        numbers = Text.assemble(
            ("median ", "dim"),
            (one_line(stats.median_card or _points(stats.median)), "bold"),
            ("  mode ", "dim"),
            (one_line(" ".join(stats.modes)) or "none", "bold"),
            ("  range ", "dim"),
            (
                one_line(
                    f"{stats.low}–{stats.high}" if stats.low != stats.high else str(stats.low)
                ),
                "bold",
            ),
        )
        if stats.spread is not None and stats.median_card is None:  # (sizes: range says it)
            numbers.append_text(
                Text.assemble(("  spread ", "dim"), (_points(stats.spread), "bold"))
            )
        lines.append(numbers)
    lines.append(verdict)
    if stats.apart >= 2:
        lows, highs = ", ".join(stats.low_voters), ", ".join(stats.high_voters)
        lines.append(
            Text.assemble(
                ("Explain first: ", "bold"),
                one_line(lows, width // 3),
                (f" ({one_line(str(stats.low))}) and ", "dim"),
                one_line(highs, width // 3),
                (f" ({one_line(str(stats.high))})", "dim"),
            )
        )
    if stats.suggestion is not None:
        lines.append(
            Text.assemble(("Suggested ", "dim"), (one_line(stats.suggestion), "bold reverse"))
        )
    return Text("\n").join(lines)
