"""The lines around a retro board: the phase strip, the phase's hint, and who is here."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from planner_tui.domain.poker import countdown, seconds_left
from planner_tui.domain.retro import PHASE_HELP, PHASES, Board, Phase, phase_number
from planner_tui.domain.text import count_of, one_line


def _timer(board: Board, now: datetime) -> Text:
    """The phase's countdown, while the board has one (also after `-` took it to zero)."""
    info = board.info
    if not (info.phase_seconds or info.settings.phase_seconds):
        return Text()
    left = seconds_left(info.phase_started_at, info.phase_seconds, now)
    if left is None:
        return Text()
    return Text.assemble(
        "  ",
        (
            f"⏱ {countdown(left)}" if left > 0 else "⏱ time's up",
            "bold red" if left <= 30 else "bold",
        ),
    )


def phase_line(board: Board, width: int, now: datetime) -> Text:
    """Title, the seven phases with the current one marked, and the countdown, in `width` cells.

    When all seven do not fit, only the current phase and the next one show.
    """
    info = board.info
    line = Text(one_line(info.title, 40), style="bold")
    if not info.open:
        line.append(
            f"  ·  ended {info.ended_at:%Y-%m-%d}" if info.ended_at else "  ·  ended", "dim"
        )
        return line
    timer = _timer(board, now)
    full = Text("  ")
    for phase in PHASES:
        current = phase is info.phase
        label = f"{phase_number(phase)} {phase.value.capitalize()}"
        full.append(f" {label} " if current else label, style="bold reverse" if current else "dim")
        if phase is not PHASES[-1]:
            full.append(" › ", style="dim")
    if line.cell_len + full.cell_len + timer.cell_len > width - 2:
        number = phase_number(info.phase)
        full = Text("  ")
        full.append(f" {number}/{len(PHASES)} {info.phase.value.capitalize()} ", "bold reverse")
        if number < len(PHASES):
            full.append(f" › {PHASES[number].value.capitalize()}", style="dim")
    return Text.assemble(line, full, timer)


def hint_line(board: Board) -> Text:
    """What the phase is for, and its numbers: cards written, votes left, ratings."""
    info = board.info
    if not info.open:
        cards = f"{count_of(board.card_count, 'card')} · {count_of(len(board.actions), 'action')}"
        hint = Text(cards)
        if board.average_rating is not None:
            hint.append(
                f"  ·  worth the time {board.average_rating:.1f}/5"
                f" ({count_of(board.ratings, 'rating')})"
            )
        hint.append("  ·  s shows the summary", style="dim")
        return hint
    hint = Text(PHASE_HELP[info.phase], style="italic")
    if info.phase is Phase.WRITE:
        people = f" from {count_of(board.writers, 'person', 'people')}" if board.card_count else ""
        hint.append(f"  ·  {count_of(board.card_count, 'card')}{people}", style="bold")
    elif info.phase is Phase.VOTE:
        limit = info.settings.votes_per_person
        hint.append(f"  ·  you have {board.votes_left} of {limit} votes left", style="bold")
    elif info.phase is Phase.CLOSE:
        mine = f"you said {board.my_rating}/5" if board.my_rating else "r rates it"
        hint.append(f"  ·  {board.ratings} rated  ·  {mine}", style="bold")
    return hint


def status_line(board: Board) -> Text:
    """Who has the retro open, who facilitates (and whether they have gone), the board's kind."""
    info = board.info
    parts = [Text.assemble(("Here: ", "dim"), one_line(", ".join(board.here) or "—", 60))]
    facilitator = info.facilitator or "nobody"
    if board.i_facilitate:
        parts.append(Text("you facilitate", style="italic"))
    elif info.open and facilitator.casefold() not in {n.casefold() for n in board.here}:
        gone = f"{one_line(facilitator, 20)} (facilitator) is not here: m takes over"
        parts.append(Text(gone, style="bold yellow"))
    else:
        parts.append(Text.assemble(("facilitator ", "dim"), one_line(facilitator, 20)))
    kind = "anonymous" if info.settings.anonymous else "named"
    parts.append(Text(f"{kind} · {one_line(info.template, 40)}", style="dim"))
    return Text("  ·  ").join(parts)
