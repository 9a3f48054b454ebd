"""Retro: the list of retros, running ones first; start one, join one, read a past one."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planner_tui.domain.retro import RetroListing
from planner_tui.domain.text import count_of, one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.export import ExportChoice
from planner_tui.services import directory, retro, retro_view
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.read_only import is_read_only
from planner_tui.widgets.titlebar import TitleBar
from planner_tui.widgets.user_text import show_text

if TYPE_CHECKING:
    from planner_tui.screens.retro_modals import RetroStart


def listing_label(entry: RetroListing) -> Text:
    """One line of the retro list."""
    running = entry.status.value == "open"
    return Text.assemble(
        ("● " if running else "○ ", "bold green" if running else "dim"),
        (one_line(entry.title, 50), "bold"),
        (f"  {entry.phase.value}" if running else "  ended", "green" if running else "dim"),
        (f"  ·  {count_of(entry.cards, 'card')} · {count_of(entry.actions, 'action')}", "dim"),
        ("  ·  ", "dim"),
        one_line(entry.facilitator or "nobody", 20),
        (f"  ·  {entry.started_at:%Y-%m-%d}", "dim"),
    )


class RetroScreen(PlannerScreen[None]):
    """The way into retros: a running retro opens straight away; past ones open read-only."""

    WRITE_ACTIONS = frozenset({"start"})

    CSS_PATH = str(styles_dir() / "retro.tcss")
    AUTO_FOCUS = "#retros"
    BINDINGS = [
        Binding("s", "start", "Start retro", id="retro_list.start", tooltip="Start a retro"),
        Binding("enter", "open", "Open", id="retro_list.open", tooltip="Join or read the retro"),
        Binding(
            "escape,h",
            "app.go('home')",
            "Home",
            id="retro_list.home",
            show=False,
            tooltip="Back to the home screen",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="retro")
        self.retros: list[RetroListing] = []
        self._seen: set[int] = set()
        """Retros opened from here: back on the list, they do not open again by themselves."""

    def export_choices(self) -> list[ExportChoice]:
        """The highlighted retro's summary first, for the Export dialog."""
        from planner_tui.screens.export import meeting_choices

        index = self.query_one("#retros", OptionList).highlighted
        if index is None or not 0 <= index < len(self.retros):
            return []
        chosen = self.retros[index]
        return meeting_choices(chosen.session_id, chosen.title)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="retros-head")
        yield OptionList(id="retros")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        """Shown: a running retro this terminal has not opened yet opens straight away."""
        arrived = self.host.take_arrival("retro")  # t or 6 leads to the running retro
        self.reload()
        running = next(
            (
                r
                for r in self.retros
                if r.status.value == "open" and (arrived or r.session_id not in self._seen)
            ),
            None,
        )
        if running is not None:
            self.open_retro(running.session_id)

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Someone started, ended or wrote in a retro: list it afresh."""
        if kinds & {"session", "retro", "card", "action", "workspace"}:
            self.reload()

    def reload(self) -> None:
        """Read the list of retros (one query)."""
        from planner_tui.domain.errors import PlannerError

        try:
            self.retros = retro_view.listing(self.session)
        except PlannerError as error:
            self.notify(str(error), severity="error")
            return
        box = self.query_one("#retros", OptionList)
        highlighted = box.highlighted
        box.clear_options()
        for entry in self.retros:
            box.add_option(Option(listing_label(entry), id=str(entry.session_id)))
        if self.retros:
            box.highlighted = min(highlighted or 0, len(self.retros) - 1)
        running = sum(1 for r in self.retros if r.status.value == "open")
        head = Text.assemble(
            ("Retros", "bold"),
            (f"  ·  {running} running" if running else "", "green"),
            (
                "  ·  past retros open with their summary"
                if is_read_only(self.app)
                else "  ·  s starts one; past retros open read-only with their summary",
                "dim",
            ),
        )
        if not self.retros:
            head.append(
                "\n\nNo retro yet. Press s to start one: the team writes cards privately, "
                "reveals them together, groups and votes, and ends with owned action items.",
                style="dim",
            )
        show_text(self.query_one("#retros-head", Static), head)

    def open_retro(self, session_id: int) -> None:
        """Show the retro on top of this list."""
        from planner_tui.screens.retro_board import RetroBoardScreen

        self._seen.add(session_id)
        top = self.app.screen
        if isinstance(top, RetroBoardScreen) and top.session_id == session_id:
            return
        listed = next((r for r in self.retros if r.session_id == session_id), None)
        self.app.push_screen(RetroBoardScreen(session_id, listed))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_retro(int(event.option.id or 0))

    def action_open(self) -> None:
        box = self.query_one("#retros", OptionList)
        if box.highlighted is not None and self.retros:
            self.open_retro(self.retros[box.highlighted].session_id)

    def action_start(self) -> None:
        from planner_tui.screens.retro_modals import StartRetroModal
        from planner_tui.services.errors import USER_ERRORS, friendly

        today = self.clock()
        try:
            templates = retro.templates(self.session)
            sprints = directory.sprints(self.session)
        except USER_ERRORS as error:
            self.notify(friendly(error), severity="error")
            return
        self.app.push_screen(
            StartRetroModal(templates, f"Retro {today:%Y-%m-%d}", sprints), self._start
        )

    def _start(self, choice: RetroStart | None) -> None:
        if choice is None:
            return
        self.run_worker(partial(self._start_in_thread, choice), thread=True, group="retro-start")

    def _start_in_thread(self, choice: RetroStart) -> None:
        from planner_tui.services.errors import USER_ERRORS, friendly

        try:
            session_id = retro.start(
                self.session,
                choice.title,
                choice.template,
                choice.columns,
                choice.settings,
                sprint=choice.sprint,
                save_template=choice.save_template,
            )
        except USER_ERRORS as error:
            self.app.call_from_thread(self.notify, friendly(error), severity="error")
            return
        self.app.call_from_thread(self.reload)
        self.app.call_from_thread(self.open_retro, session_id)
