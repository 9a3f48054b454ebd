"""What the Sprint screen draws, as text: the head line, the team's capacity, the rows of its
tables and the line about the row under the cursor. Pure functions of the sprint's data;
the screen puts them on screen."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from planner_tui.domain.backlog import COUNT_AT_MOST
from planner_tui.domain.enums import SprintStatus
from planner_tui.domain.sprint import (
    SprintInfo,
    SprintItem,
    show_points,
    working_days,
)
from planner_tui.domain.text import count_of, one_line
from planner_tui.services.sprints import BacklogCandidate, SprintBoard
from planner_tui.widgets.capacity_bar import capacity_bar

_STATUS_STYLE = {"active": "bold green", "planned": "bold yellow", "closed": "dim"}


def head_text(
    sprint: SprintInfo | None, every: list[SprintInfo], today: date, *, wide: bool
) -> Text:
    """The sprint's name, status, dates, day and goal; how to start when there is none."""
    if sprint is None:
        return Text.assemble(
            ("No sprints yet", "bold"),
            ("  ·  p plans the first one; then a adds each person's capacity", "dim"),
        )
    position = next(i for i, s in enumerate(every) if s.id == sprint.id) + 1
    line = Text.assemble(
        (one_line(sprint.name, 40), "bold"),
        "  ",
        (sprint.status.value, _STATUS_STYLE[sprint.status.value]),
        f"  ·  {sprint.start_date:%d %b} → {sprint.end_date:%d %b %Y}",
    )
    if wide:
        line.append(f" ({working_days(sprint.start_date, sprint.end_date)} working days)")
    if sprint.status is SprintStatus.ACTIVE:
        line.append(f"  ·  {sprint.day_of(today)}")
    if sprint.status is SprintStatus.CLOSED and sprint.completed_points is not None:
        line.append(f"  ·  completed {show_points(sprint.completed_points)} points")
    line.append(f"  ·  {position} of {len(every)} [ ]", style="dim")
    line.append("\nGoal: ", style="bold")
    line.append(one_line(sprint.goal, 300) if sprint.goal else "none yet (e sets it)")
    return line


def team_text(board: SprintBoard, bar_width: int) -> Text:
    """The team's capacity against what is committed, its bar, and the scope change."""
    room = board.capacity
    sprint = board.sprint
    if sprint.status is SprintStatus.CLOSED:
        text = Text.assemble(
            ("Closed ", "bold"),
            f"{show_points(sprint.completed_points or 0)} of "
            f"{show_points(room.committed)} committed points done: its velocity",
            (f"\ncapacity was {show_points(room.team)}", "dim"),
            (f"\nbefore it: {board.velocity.describe()}\n", "dim"),
        )
    elif board.people:
        text = Text.assemble(
            ("Team ", "bold"),
            f"{show_points(room.committed)} of {show_points(room.plannable)} plannable",
            (
                f" · {show_points(room.over_by)} over"
                if room.over_by
                else f" · {show_points(room.plannable - room.committed)} free",
                "bold red" if room.over_by else "green",
            ),
            (
                f"\ncapacity {show_points(room.team)}, reserve {show_points(room.reserve)}"
                f" ({sprint.reserve_percent}%)\n{board.velocity.describe()}\n",
                "dim",
            ),
        )
    else:
        text = Text.assemble(
            ("Team ", "bold"),
            f"{show_points(room.committed)} committed",
            ("\nno capacity yet: a adds each person's days", "yellow"),
            (f"\n{board.velocity.describe()}\n", "dim"),
        )
    if board.people or board.velocity.average is None:
        text.append_text(capacity_bar(room.committed, room.team, room.reserve, bar_width))
    else:  # no capacity yet: measure against the velocity (or the guess)
        text.append_text(capacity_bar(room.committed, board.velocity.average, 0, bar_width))
    scope = board.scope
    if sprint.status is SprintStatus.PLANNED:
        text.append("\nscope change is counted from the start", style="dim")
    else:
        text.append("\n" + scope.describe(), style="bold magenta" if scope.events else "dim")
    return text


CAPACITY_COLUMNS = [("Person", 10), ("Days", 4), ("Off", 3), ("Focus", 5), ("Pts", 5), ("Load", 0)]
NARROW_CAPACITY_COLUMNS = [("Person", 8), ("Pts", 5), ("Load", 0)]
"""Under 54 columns: days, days off and focus are in the dialog (enter)."""


def capacity_rows(
    board: SprintBoard, columns: list[tuple[str, int]], load_width: int
) -> list[tuple[list[Text | str], str]]:
    """(cells, key) of the capacity table: each person, then owners without capacity and
    the points nobody has taken."""
    room = board.capacity
    rows: list[tuple[list[Text | str], str]] = []
    for line, load in zip(board.people, room.listed, strict=True):
        overload = load.committed > load.capacity + 0.05
        cells: dict[str, Text | str] = {
            "Person": Text(one_line(line.person, 20)),
            "Days": show_points(line.days_available),
            "Off": show_points(line.days_off),
            "Focus": show_points(line.focus_factor),
            "Pts": Text(show_points(load.capacity), style="italic" if line.points_override else ""),
            "Load": Text.assemble(
                capacity_bar(load.committed, load.capacity, 0, load_width),
                (f" {show_points(load.committed)}", "bold red" if overload else ""),
            ),
        }
        rows.append(([cells[name] for name, _ in columns], line.person))
    blanks: list[Text | str] = [""] * (len(columns) - 2)
    for load in room.people:
        if not load.listed:  # owns items, but has no capacity in this sprint
            rows.append(
                (
                    [
                        Text(one_line(load.person, 20), style="yellow"),
                        *blanks,
                        Text(
                            f"{show_points(load.committed)} points, no capacity (a)",
                            style="yellow",
                        ),
                    ],
                    f"\0{load.person}",
                )
            )
    if room.unassigned:
        rows.append(
            (
                [
                    Text("nobody", style="dim italic"),
                    *blanks,
                    Text(f"{show_points(room.unassigned)} points not taken yet (o)", style="dim"),
                ],
                "\0nobody",
            )
        )
    return rows


def items_head_text(board: SprintBoard | None) -> Text:
    """The line over the sprint's items: how many, their points, what the marks mean."""
    if board is None:
        return Text("In the sprint: nothing (no sprint yet)", style="dim")
    live = board.live_items
    return Text.assemble(
        ("In the sprint ", "bold"),
        f"{count_of(len(live), 'item')} · {show_points(board.capacity.committed)} points"
        f" · {show_points(board.done_points)} points done",
        (" · + added after the start, − taken out" if board.scope.events else "", "dim"),
        (" · ↻ carried over" if any(i.carried_from for i in live) else "", "dim"),
    )


def item_cells(item: SprintItem) -> list[Text]:
    """A row of the sprint's items: its mark (done, added, taken out, carried), key, title,
    points and owner."""
    if not item.in_sprint:
        mark, style = Text("−", style="bold magenta"), "dim strike"
    elif item.done:
        mark, style = Text("✓", style="bold green"), "dim"
    elif item.added_after_start:
        mark, style = Text("+", style="bold magenta"), ""
    elif item.carried_from:
        mark, style = Text("↻", style="yellow"), ""
    else:
        mark, style = Text(""), ""
    title = Text(one_line(item.title, 200), style=style)
    if item.blocking_risk and item.in_sprint and not item.done:
        title = Text.assemble(("⛔ ", "bold red"), title)
    return [
        mark,
        Text(item.key, style="dim" if style else "bold"),
        title,
        Text(
            show_points(item.estimate) if item.estimate is not None else "?",
            style="" if item.estimate is not None else "yellow",
        ),
        Text(one_line(item.owner or "—", 20), style="dim" if not item.owner else ""),
    ]


def candidate_cells(candidate: BacklogCandidate, marked: bool) -> list[Text]:
    """A row of the backlog to commit from: marked or not, key, title, points."""
    title = Text(one_line(candidate.title, 200))
    if candidate.blocking_risk:
        title = Text.assemble(("⛔ ", "bold red"), title)
    return [
        Text("●", style="bold cyan") if marked else Text(""),
        Text(candidate.key, style="bold"),
        title,
        Text(show_points(candidate.estimate), style="")
        if candidate.estimate is not None
        else Text("?", style="yellow"),
    ]


def backlog_head_text(
    backlog: list[BacklogCandidate],
    total: int,
    marked: set[int],
    find_text: str,
    sprint: SprintInfo | None,
) -> Text:
    """The line over the backlog: how many items, what is found, what is marked, what to do."""
    chosen = [c for c in backlog if c.item_id in marked]
    points = sum(c.estimate or 0 for c in chosen)
    shown = len(backlog)
    many = find_text and total > COUNT_AT_MOST  # (the find stopped counting there)
    text = Text.assemble(
        ("Ranked backlog ", "bold"),
        f"{COUNT_AT_MOST:,}+ open items" if many else count_of(total, "open item"),
        (f" (top {shown} shown)" if shown < total else "", "dim"),
        (f" matching “{one_line(find_text, 20)}”" if find_text else "", "italic"),
    )
    if sprint is not None and sprint.status is SprintStatus.CLOSED:
        text.append(" · this sprint is closed: [ ] for the others", style="dim")
    elif not total and not find_text:
        text.append(" · nothing to commit: n adds an item", style="yellow")
    elif chosen:
        text.append(f" · {len(chosen)} marked, {show_points(points)} pts: c", style="bold cyan")
    else:
        text.append(" · space marks, c commits", style="dim")
    return text


def detail_text(
    item: SprintItem | None, candidate: BacklogCandidate | None, sprint: SprintInfo | None
) -> Text:
    """The line under the tables about the row under the cursor."""
    if item is not None:
        said = Text.assemble(
            (f"{item.key} ", "bold"),
            f"committed by {one_line(item.added_by, 20)} {item.added_at:%a %d %b %H:%M}",
            (" after the start (scope change)", "magenta") if item.added_after_start else "",
        )
        if item.removed_at:
            said.append(
                f" · taken out by {one_line(item.removed_by or '?', 20)} "
                f"{item.removed_at:%a %d %b %H:%M}",
                style="magenta",
            )
        if item.done_at:
            said.append(f" · done {item.done_at:%a %d %b}", style="green")
        if item.carried_from:
            said.append(f" · carried over from {one_line(item.carried_from, 30)}")
        if sprint and sprint.status is SprintStatus.CLOSED and not item.done:
            where = f"now in {one_line(item.now_in, 30)}" if item.now_in else "back in the backlog"
            said.append(f" · not finished: {where}", style="yellow")
        if item.blocking_risk:
            said.append(f" · blocking risk R-{item.blocking_risk}", style="bold red")
        return said
    if candidate is not None:
        if candidate.refusal:
            return Text.assemble(
                (f"{candidate.key} ", "bold"),
                (
                    f"has blocking risk R-{candidate.blocking_risk}: resolve, mitigate or "
                    "accept it on the Risks screen to commit it",
                    "red",
                ),
            )
        return Text.assemble(
            (f"{candidate.key} ", "bold"),
            (one_line(candidate.title, 60) + " ", ""),
            (f"· {candidate.kind} · {candidate.status}", "dim"),
        )
    return Text("tab moves between capacity, the sprint and the backlog", style="dim")
