"""A session's summary as text: every item, its outcome, its rounds and their revealed votes."""

from __future__ import annotations

from rich.text import Text

from planner_tui.domain.estimation import QueueState, RoundView, SessionSummary
from planner_tui.domain.poker import card_points
from planner_tui.domain.text import one_line

_STATE_STYLES = {
    QueueState.DONE: "bold green",
    QueueState.SKIPPED: "yellow",
    QueueState.PARKED: "yellow",
    QueueState.QUEUED: "dim",
}


def round_line(round_: RoundView, indent: str = "", *, named: int | None = None) -> Text:
    """`round 2: lena 8, maya 5 — near consensus`: the cards the viewer may see, and the verdict.
    With more than `named` cards turned, how many played each card instead: fifty names
    and cards wrapped to eight lines a round."""
    stats = round_.stats
    turned = [vote for vote in round_.votes if vote.card is not None]
    if named is not None and len(turned) > named and stats is not None:
        votes = ", ".join(f"{card} ×{count}" for card, count in stats.distribution)
    else:
        votes = ", ".join(f"{vote.voter} {vote.card}" for vote in turned)
    hidden = sum(1 for vote in round_.votes if vote.card is None)
    if hidden:
        votes = (votes + ", " if votes else "") + f"{hidden} face down"
    line = Text.assemble((f"{indent}round {round_.number}: ", "dim"), one_line(votes or "no votes"))
    if stats is not None and stats.counted:
        line.append(f" — {stats.verdict}", style="dim")
    return line


def summary_text(summary: SessionSummary) -> Text:
    """Head line, then one block per item; a vote is listed only where the viewer may see it."""
    info = summary.info
    done = [item for item in summary.items if item.state is QueueState.DONE]
    head = Text.assemble(
        (one_line(info.title), "bold"),
        ("  ·  ", "dim"),
        ("running" if info.open else "ended", "italic"),
        ("  ·  facilitated by ", "dim"),
        one_line(info.facilitator or "nobody"),
        ("  ·  ", "dim"),
        f"{info.started_at:%Y-%m-%d %H:%M}",
    )
    tally = Text.assemble(
        (f"{len(done)} of {len(summary.items)} items estimated, ", ""),
        (f"{summary.estimated_points:g} points", "bold"),
        ("  ·  ", "dim"),
        ("people: ", "dim"),
        one_line(", ".join(p.name for p in summary.people) or "nobody"),
    )
    blocks = [Text("\n").join([head, tally])]
    for item in summary.items:
        if item.state is QueueState.DONE and item.final_estimate is not None:
            outcome = Text.assemble(("→ ", "dim"), (one_line(item.final_card or ""), "bold"))
            if card_points(item.final_card or "") != item.final_estimate:
                outcome.append(f" ({item.final_estimate:g} pts)")
        else:
            outcome = Text(item.state.value, style=_STATE_STYLES[item.state])
        lines = [
            Text.assemble((one_line(item.key), "bold"), " ", one_line(item.title), "  ", outcome)
        ]
        lines.extend(round_line(round_, indent="  ") for round_ in item.rounds)
        if item.rationale:
            lines.append(Text.assemble(("  why: ", "dim"), one_line(item.rationale)))
        if item.notes:
            lines.append(Text.assemble(("  notes: ", "dim"), one_line(item.notes)))
        blocks.append(Text("\n").join(lines))
    return Text("\n\n").join(blocks)
