"""Hostile text: what a teammate, an import or a pasted document can put into any text field.

Each piece would steer a terminal if it were written out raw: set the window
title, write the clipboard, clear or move around the screen, ring the bell,
reorder what a reader sees, or (as markup) restyle and link what follows. The
app must show all of it literally, as visible placeholders (see
`planner_tui.domain.text.visible`), and never send it to a terminal.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from planner_tui.domain.text import visible

TITLE_OSC = "\x1b]0;PWNED\x07"
"""Sets the terminal (and tmux pane) title, ended by BEL."""
TITLE_OSC_ST = "\x1b]2;PWNED\x1b\\"
"""Sets the window title, ended by the string terminator ESC backslash."""
CLIPBOARD_OSC = "\x1b]52;c;cHduZWQ=\x07"
"""Writes `pwned` to the clipboard (OSC 52)."""
CLEAR_SCREEN = "\x1b[2J\x1b[H"
CURSOR_MOVES = "\x1b[5A\x1b[10;10H\x1b7\x1b8"
BELL = "\x07"
C1_CSI = "\x9b2J"
"""CSI as the single C1 byte: clears the screen on terminals that take 8-bit controls."""
BIDI = "\u202eevil\u202c \u2066isolated\u2069 \u2067rtl\u2069 \u2068fs\u2069 \u202dlro\u202c"
"""Overrides and isolates: they reorder what a reader sees (Trojan Source)."""
NUL = "\x00"
DEL = "\x7f"
MARKUP = "[bold red]x[/] [/] [link=http://x]link"
EMOJI = "😀 👩‍👩‍👧 ✅"

ALL_CONTROLS = (
    TITLE_OSC + TITLE_OSC_ST + CLIPBOARD_OSC + CLEAR_SCREEN + CURSOR_MOVES + BELL + C1_CSI
    + BIDI + NUL + DEL
)  # fmt: skip


def hostile(label: str) -> str:
    """A short piece of text named `label`, carrying every kind of hostile text."""
    return f"{label} {ALL_CONTROLS} {MARKUP} {EMOJI}"


def hostile_lines(label: str) -> str:
    """`hostile` over several lines, with a long one, for multi-line fields."""
    long_line = " ".join(["long"] * 80)
    return f"{hostile(label)}\n{TITLE_OSC}second line{CLEAR_SCREEN}\n{long_line}{C1_CSI}"


def hostile_name(label: str) -> str:
    """A name planner no longer takes (it refuses every control and invisible character),
    but a workspace may hold: written by an older planner, or by `sqlite3`."""
    return f"{label}\x9b2J\u202e[/]"


def short_hostile(label: str, limit: int) -> str:
    """`hostile(label)` cut to `limit` characters, keeping the title-setting OSC."""
    return (f"{label}{TITLE_OSC}{C1_CSI}\u202e[/]{CLIPBOARD_OSC}")[:limit]


FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""A character that must never be drawn: C0 and C1 controls, DEL, bidirectional controls."""

PLACEHOLDERS = (visible(TITLE_OSC), visible(C1_CSI), "‹RLO›", "[bold red]x[/]")
"""What the hostile text looks like on screen: `␛]0;PWNED␇`, `‹9B›2J`, `‹RLO›`, the markup."""

RAW_SEQUENCES = (
    b"\x1b]0;PWNED",
    b"\x1b]2;PWNED",
    b"\x1b]52;",
    b"PWNED\x07",
    b"\xc2\x9b",
    "\u202e".encode(),
    "\u2066".encode(),
)
"""Bytes of the corpus that must never reach a terminal (UTF-8, as the app writes them)."""


def build_workspace(session, today: date) -> dict[str, object]:
    """Put hostile text into every text field of a workspace, through the services.

    Leaves a running sprint with capacity and owners, risks (one decided), an
    ended and a running planning-poker session with a custom deck, an ended
    retro with themes, notes and actions and a running one with cards, and a
    loose action item. Returns the ids the tests need.
    """
    from planner_tui.domain.enums import RiskStatus
    from planner_tui.domain.estimation import PokerSettings
    from planner_tui.domain.models import NewAction, NewItem, NewRisk, NewSprint, SuccessMetric
    from planner_tui.domain.models import Option as ItemOption
    from planner_tui.domain.retro import Phase, RetroSettings
    from planner_tui.domain.sprint import CapacityLine
    from planner_tui.services import grooming, poker, retro, risks, sprints

    teammate = hostile_name("eve")
    with session.workspace.write() as conn:  # as an older planner or sqlite3 would
        conn.execute(
            "INSERT INTO people(name, display_name, role, created_at) VALUES (?, '', 'other', '')",
            [teammate],
        )
    items = []
    for number in range(1, 4):
        item_id, _ = grooming.add(
            session,
            NewItem(
                title=hostile(f"Item {number}"),
                problem=hostile_lines("problem"),
                description=hostile_lines("description"),
                acceptance=hostile_lines("acceptance"),
                impact=hostile("impact"),
                value=number + 3,
                estimate=None if number > 1 else 3,
                tags=(short_hostile("tag", 60), "plain"),
                metric=SuccessMetric(name=hostile("metric"), unit=short_hostile("u", 20)),
                options=(
                    ItemOption(description=hostile("option"), effort=short_hostile("effort", 60)),
                ),
                external_key=short_hostile("EXT", 30),
            ),
        )
        items.append(item_id)
    keys = [grooming.load(session, item_id).key for item_id in items]

    sprint = NewSprint(
        name=short_hostile("Sprint", 60),
        goal=hostile_lines("goal"),
        start=today - timedelta(days=2),
        end=today + timedelta(days=11),
        points_per_day=1,
    )
    sprint_id = sprints.plan_sprint(session, sprint)
    sprints.set_capacity(session, sprint_id, CapacityLine(person=teammate, days_available=8))
    sprints.commit(session, sprint_id, items[:1])
    sprints.set_owner(session, sprint_id, items[0], teammate)
    info = next(s for s in sprints.all_sprints(session) if s.id == sprint_id)
    sprints.start(session, info, today)

    risk_fields = {
        "title": hostile("risk"),
        "description": hostile_lines("what could happen"),
        "mitigation": hostile_lines("mitigation"),
        "owner": teammate,
        "likelihood": 4,
        "impact": 4,
        "follow_up": today - timedelta(days=1),
    }
    risks.raise_risk(session, NewRisk(**risk_fields, item_key=keys[0]))  # type: ignore[arg-type]
    decided = risks.raise_risk(
        session,
        NewRisk(**risk_fields, sprint_name=sprint.name),  # type: ignore[arg-type]
    )
    risks.decide(session, decided, RiskStatus.ACCEPTED, hostile("why"), teammate)

    deck = poker.save_deck(
        session, short_hostile("Deck", 40).replace("\x1b", "").replace("\x07", ""),
        ("1", "2", "\x9b3", "[/]", "\u202e5", "?"),
    )  # fmt: skip
    settings = PokerSettings(deck=deck, timer_seconds=0)
    ended = poker.start(session, hostile("Poker"), items[1:2], settings, voters=[teammate])
    poker.set_notes(session, ended, items[1], hostile_lines("poker notes"))
    poker.vote(session, ended, "2", voter=teammate)
    poker.vote(session, ended, "[/]")
    poker.reveal(session, ended)
    poker.accept(session, ended, "2", rationale=hostile("rationale"))
    poker.end(session, ended)
    running = poker.start(session, hostile("Running poker"), items[2:], settings, voters=[teammate])
    poker.set_notes(session, running, items[2], hostile_lines("poker notes"))
    poker.vote(session, running, "\x9b3", voter=teammate)

    columns = (short_hostile("Col A", 40), short_hostile("Col B", 40))
    settings_retro = RetroSettings(anonymous=False, phase_seconds=0)
    retro_id = retro.start(
        session, hostile("Retro"), short_hostile("Tpl", 60), columns, settings_retro,
        sprint=sprint.name, save_template=True,
    )  # fmt: skip
    _to_phase(session, retro_id, Phase.WRITE)
    first = retro.write(session, retro_id, columns[0], hostile("card one"))
    second = retro.write(session, retro_id, columns[1], hostile("card two"))
    retro.write(session, retro_id, columns[0], hostile("card for eve"), for_someone=teammate)
    _to_phase(session, retro_id, Phase.GROUP)
    theme = retro.group(session, retro_id, first, title=hostile("theme"))
    _to_phase(session, retro_id, Phase.VOTE)
    retro.dot(session, retro_id, theme_id=theme)
    _to_phase(session, retro_id, Phase.DISCUSS)
    retro.set_notes(session, retro_id, hostile_lines("theme notes"), theme_id=theme)
    retro.set_notes(session, retro_id, hostile_lines("card notes"), card_id=second)
    _to_phase(session, retro_id, Phase.CLOSE)
    retro.add_action(
        session, retro_id, NewAction(text=hostile("retro action"), owner=teammate), theme_id=theme
    )
    retro.end(session, retro_id)
    running_retro = retro.start(
        session, hostile("Running retro"), short_hostile("Tpl", 60), columns, settings_retro
    )
    retro.review(
        session,
        running_retro,
        retro.actions(session)[0].id,
        retro_review_decision(),
        hostile("review note"),
    )
    _to_phase(session, running_retro, Phase.WRITE)
    retro.write(session, running_retro, columns[1], hostile("running card"))
    retro.add_loose_action(session, NewAction(text=hostile("loose action"), owner=teammate))
    return {
        "items": items,
        "keys": keys,
        "sprint": sprint_id,
        "teammate": teammate,
        "poker_ended": ended,
        "poker_running": running,
        "retro_ended": retro_id,
        "retro_running": running_retro,
        "columns": columns,
    }


def _to_phase(session, retro_id: int, phase) -> None:
    """Move a retro forwards until it is at `phase`."""
    from planner_tui.domain.retro import PHASES
    from planner_tui.services import retro, retro_view

    while (now := retro_view.board(session, retro_id).info.phase) is not phase:
        assert PHASES.index(now) < PHASES.index(phase), (now, phase)
        retro.move_phase(session, retro_id, 1)


def retro_review_decision():
    """Carry the earlier retro's action over (a review with a note)."""
    from planner_tui.domain.retro import ReviewDecision

    return ReviewDecision.CARRIED_OVER


def hostile_csv() -> str:
    """A backlog CSV whose every column carries hostile text; its last row has a bad kind."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["key", "title", "problem", "description", "acceptance", "tags", "value", "kind"]
    )
    for number in range(1, 5):
        writer.writerow(
            [
                short_hostile(f"K{number}", 30),
                hostile(f"Imported {number}"),
                hostile_lines("imported problem"),
                hostile_lines("imported description"),
                hostile_lines("imported acceptance"),
                short_hostile("itag", 60),
                str(number),
                short_hostile("kind", 30) if number == 4 else "",  # a row with a problem
            ]
        )
    return out.getvalue().replace(NUL, "")  # a NUL marks a binary file: the reader refuses it
