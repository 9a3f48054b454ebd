"""Home: the workspace at a glance, and the way to every other screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding

from planner_tui.domain.errors import PlannerError
from planner_tui.domain.overview import Overview
from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen
from planner_tui.services.overview import with_presence, workspace_overview
from planner_tui.widgets.glance import GlanceGrid, GlancePanel
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.titlebar import TitleBar

_SEVERITY_STYLES = {
    "critical": "bold red",
    "high": "red",
    "medium": "yellow",
    "low": "green",
}


def _points(value: float) -> str:
    return f"{value:g}"


def _pair(label: str, value: str, value_style: str = "bold") -> Text:
    return Text.assemble((label, "dim"), (value, value_style))


def backlog_lines(overview: Overview) -> Text:
    """The Backlog panel: size, how much is estimated, points."""
    if not overview.open_items and not overview.done_items:
        return Text.assemble(
            ("The backlog is empty.\n", "bold"),
            ("Press n to add an item, or run\n", "dim"),
            ("planner demo", "bold"),
            (" to explore a demo team.", "dim"),
        )
    share = (
        f" ({overview.estimated_items * 100 // overview.open_items}%)"
        if overview.open_items
        else ""
    )
    return Text("\n").join(
        [
            _pair("Open items   ", str(overview.open_items)),
            _pair("Estimated    ", f"{overview.estimated_items}{share}"),
            _pair("Points       ", _points(overview.estimated_points)),
            _pair("Done         ", str(overview.done_items)),
        ]
    )


def sprint_lines(overview: Overview, width: int = 60) -> Text:
    """The Sprint panel: the active or next sprint, committed against capacity."""
    sprint = overview.sprint
    if sprint is None:
        return Text("No active or planned sprint yet.", style="dim")
    lines = [
        Text.assemble((one_line(sprint.name, width), "bold"), (f"  {sprint.status}", "italic")),
        Text(f"{sprint.start} → {sprint.end}", style="dim"),
    ]
    if sprint.goal:
        lines.append(Text.assemble(("Goal ", "dim"), one_line(sprint.goal, width - 5)))
    committed = _points(sprint.committed_points)
    unit = " pts"
    if sprint.plannable_points is not None:  # counted as the Sprint screen counts it
        committed += f" of {_points(sprint.plannable_points)}"
        unit = " plannable pts"
    lines.append(Text.assemble((committed, "bold"), (f"{unit} · {sprint.item_count} items", "dim")))
    done = Text.assemble((_points(sprint.done_points), "bold"), (" pts done", "dim"))
    if overview.last_velocity is not None:
        done.append_text(
            Text.assemble((" · velocity ", "dim"), (_points(overview.last_velocity), "bold"))
        )
    lines.append(done)
    return Text("\n").join(lines)


def risk_lines(overview: Overview) -> Text:
    """The Risks panel: open risks by severity, and how many block commitment."""
    if not overview.open_risks:
        return Text("No open risks.", style="dim")
    lines = [_pair("Open risks ", str(overview.open_risks))]
    for level, count in overview.open_risks_by_severity.items():
        if count:
            lines.append(Text.assemble((f"  {level:<9}", _SEVERITY_STYLES[level]), str(count)))
    if overview.blocking_risks:
        lines.append(Text(f"{overview.blocking_risks} blocking commitment", style="bold red"))
    return Text("\n").join(lines)


def _fit(head: list[Text], entries: list[list[Text]], total: int, max_lines: int) -> Text:
    """Head lines, then as many whole entries as fit, then `+N more` for the rest."""
    lines = list(head)
    shown = 0
    for entry in entries:
        more_after = total - shown - 1
        needed = len(entry) + (1 if more_after else 0)
        if len(lines) + needed > max_lines:
            break
        lines.extend(entry)
        shown += 1
    if shown < total:
        lines.append(Text(f"+{total - shown} more", style="dim italic"))
    return Text("\n").join(lines)


def action_lines(overview: Overview, width: int = 60, max_lines: int = 99) -> Text:
    """The Actions panel: open retro actions, overdue ones in red, as many as fit."""
    if not overview.open_actions:
        return Text("No open action items.", style="dim")
    head = Text.assemble(("Open ", "dim"), (str(overview.open_actions), "bold"))
    if overview.overdue_actions:
        head.append(f"  {overview.overdue_actions} overdue", style="bold red")
    entries = []
    for action in overview.top_actions:
        due = f" · due {action.due}" if action.due else ""
        # Overdue says so in a mark and a word too, not only in red (NO_COLOR, projectors).
        style = "red" if action.overdue else ""
        mark = ("! ", "bold red") if action.overdue else "• "
        late = (" · overdue", "bold") if action.overdue else ""
        entries.append(
            [
                Text.assemble(mark, (one_line(action.text, width - 2), style)),
                Text.assemble(
                    (one_line(f"  {action.owner}{due}", width - (10 if late else 0)), "dim"), late
                ),
            ]
        )
    return _fit([head], entries, overview.open_actions, max_lines)


def session_lines(overview: Overview, width: int = 60, max_lines: int = 99) -> Text:
    """The Sessions panel: the latest meetings (● still open, ○ finished), as many as fit."""
    if not overview.recent_sessions:
        return Text("No meetings yet.", style="dim")
    entries = []
    for session in overview.recent_sessions:
        marker = "● " if session.status == "open" else "○ "
        entries.append(
            [
                Text.assemble(marker, one_line(session.title, width - 2)),
                Text(
                    f"  {session.kind} · {session.status} · {session.started_at[:10]}", style="dim"
                ),
            ]
        )
    return _fit([], entries, len(entries), max_lines)


def team_lines(overview: Overview, me: str) -> Text:
    """The Team panel: who is in the workspace now."""
    lines = [_pair("People      ", str(overview.people))]
    here = ", ".join(one_line(name, 30) for name in overview.here_now) or "just you"
    lines.append(Text.assemble(("Here now    ", "dim"), (here, "bold green")))
    lines.append(Text.assemble(("You are     ", "dim"), one_line(me, 40)))
    return Text("\n").join(lines)


class HomeScreen(PlannerScreen[None]):
    """The workspace at a glance."""

    CSS_PATH = str(styles_dir() / "home.tcss")

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding(
            "b",
            "app.go('backlog')",
            "Backlog",
            id="home.backlog",
            tooltip="Backlog: groom and rank items",
        ),
        Binding(
            "e",
            "app.go('estimation')",
            "Estimate",
            id="home.estimation",
            tooltip="Estimation: planning poker",
        ),
        Binding(
            "s",
            "app.go('sprint')",
            "Sprint",
            id="home.sprint",
            tooltip="Sprint: capacity and commitment",
        ),
        Binding(
            "r",
            "app.go('risks')",
            "Risks",
            id="home.risks",
            tooltip="Risks: raise, score and decide",
        ),
        Binding("t", "app.go('retro')", "Retro", id="home.retro", tooltip="Retro boards"),
        Binding(
            "a",
            "app.go('actions')",
            "Actions",
            id="home.actions",
            tooltip="Action items from retros",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="home")
        self._overview: Overview | None = None
        self._last_error = ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with GlanceGrid(id="glance"):
            yield GlancePanel("Backlog", "b", id="glance-backlog")
            yield GlancePanel("Sprint", "s", id="glance-sprint")
            yield GlancePanel("Risks", "r", id="glance-risks")
            yield GlancePanel("Action items", "a", id="glance-actions")
            yield GlancePanel("Recent sessions", "e · t", id="glance-sessions")
            yield GlancePanel("Team", "", id="glance-team")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        """Shown (first time or again): read fresh numbers."""
        self.reload()

    def on_resize(self) -> None:
        self._render_overview()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Other processes changed the workspace: the home screen shows all kinds, so reload;
        someone came or went: only the Team panel changes."""
        if kinds != {"presence"}:
            self.reload()
            return
        if self._overview is None:
            return
        try:
            self._overview = with_presence(self.session, self._overview)
        except PlannerError:
            return  # the next look tries again
        self.query_one("#glance-team", GlancePanel).show(team_lines(self._overview, self.me))

    def reload(self) -> None:
        """Read the overview (a few indexed queries) and redraw the panels."""
        try:
            overview = workspace_overview(self.session, self.clock())
        except PlannerError as error:
            if str(error) != self._last_error:  # say it once, not on every refresh
                self._last_error = str(error)
                self.notify(str(error), severity="error", timeout=10)
            return
        self._last_error = ""
        self._overview = overview
        self._render_overview()

    def _render_overview(self) -> None:
        overview = self._overview
        if overview is None:
            return
        columns = 3 if self.has_class("-wide") else 2
        width = max((self.size.width - 2) // columns - 5, 12)
        self.query_one("#glance-backlog", GlancePanel).show(backlog_lines(overview))
        self.query_one("#glance-sprint", GlancePanel).show(sprint_lines(overview, width))
        self.query_one("#glance-risks", GlancePanel).show(risk_lines(overview))
        actions = self.query_one("#glance-actions", GlancePanel)
        actions.show(action_lines(overview, width, actions.lines_available))
        sessions = self.query_one("#glance-sessions", GlancePanel)
        sessions.show(session_lines(overview, width, sessions.lines_available))
        self.query_one("#glance-team", GlancePanel).show(team_lines(overview, self.me))
