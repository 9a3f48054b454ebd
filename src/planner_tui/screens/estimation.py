"""Estimation: the list of sessions, running ones first; start one, join one, read a past one."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planner_tui.domain.estimation import PokerSettings, SessionListing
from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.export import ExportChoice
from planner_tui.services import poker
from planner_tui.widgets.host import host_of
from planner_tui.widgets.keybar import KeyBar
from planner_tui.widgets.read_only import is_read_only
from planner_tui.widgets.titlebar import TitleBar
from planner_tui.widgets.user_text import show_text

if TYPE_CHECKING:
    from planner_tui.screens.poker_modals import PokerStart


def listing_label(entry: SessionListing) -> Text:
    """One line of the session list."""
    running = entry.status.value == "open"
    return Text.assemble(
        ("● " if running else "○ ", "bold green" if running else "dim"),
        (one_line(entry.title, 50), "bold"),
        ("  running" if running else "  ended", "green" if running else "dim"),
        (f"  ·  {entry.estimated} of {entry.items} estimated", "dim"),
        ("  ·  ", "dim"),
        one_line(entry.facilitator or "nobody", 20),
        (f"  ·  {entry.started_at:%Y-%m-%d}", "dim"),
    )


class EstimationScreen(PlannerScreen[None]):
    """The way into planning poker: a running session opens straight away."""

    WRITE_ACTIONS = frozenset({"start"})

    CSS_PATH = str(styles_dir() / "poker.tcss")
    AUTO_FOCUS = "#sessions"
    BINDINGS = [
        Binding(
            "s",
            "start",
            "Start session",
            id="estimation.start",
            tooltip="Start an estimation session on the next unestimated items",
        ),
        Binding("enter", "open", "Open", id="estimation.open", tooltip="Join or read the session"),
        Binding(
            "escape,h",
            "app.go('home')",
            "Home",
            id="estimation.home",
            show=False,
            tooltip="Back to the home screen",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="estimation")
        self.sessions: list[SessionListing] = []
        self._first_look = True

    def export_choices(self) -> list[ExportChoice]:
        """The highlighted session's summary first, for the Export dialog."""
        from planner_tui.screens.export import meeting_choices

        index = self.query_one("#sessions", OptionList).highlighted
        if index is None or not 0 <= index < len(self.sessions):
            return []
        chosen = self.sessions[index]
        return meeting_choices(chosen.id, chosen.title)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="sessions-head")
        yield OptionList(id="sessions")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        """Shown: take up a session asked for elsewhere, or join the running one the first time."""
        request = self.host.take_estimation_request()
        arrived = self.host.take_arrival("estimation")
        self.reload()
        if request is not None:
            self.open_session(request)
        elif self._first_look or arrived:  # e or 3 leads to the running session
            running = next((s for s in self.sessions if s.status.value == "open"), None)
            if running is not None:
                self.open_session(running.id)
        self._first_look = False

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Someone started, ended or estimated in a session: list it afresh."""
        if kinds & {"session", "round", "item", "workspace"}:
            self.reload()

    def reload(self) -> None:
        """Read the list of sessions (one query)."""
        from planner_tui.domain.errors import PlannerError

        try:
            self.sessions = poker.listing(self.session)
        except PlannerError as error:
            self.notify(str(error), severity="error")
            return
        box = self.query_one("#sessions", OptionList)
        highlighted = box.highlighted
        box.clear_options()
        for entry in self.sessions:
            box.add_option(Option(listing_label(entry), id=str(entry.id)))
        if self.sessions:
            box.highlighted = min(highlighted or 0, len(self.sessions) - 1)
        running = sum(1 for s in self.sessions if s.status.value == "open")
        head = Text.assemble(
            ("Estimation sessions", "bold"),
            (f"  ·  {running} running" if running else "", "green"),
            (
                ""
                if is_read_only(self.app)
                else "  ·  s starts one on the next unestimated backlog items",
                "dim",
            ),
        )
        if not self.sessions:
            head.append(
                "\n\nNo session yet. Press s to start planning poker on the top of the backlog, "
                "or pick items in the Backlog (space) and press p there.",
                style="dim",
            )
        show_text(self.query_one("#sessions-head", Static), head)

    def open_session(self, session_id: int) -> None:
        """Show the session (joining it if it runs), on top of this list."""
        from planner_tui.screens.poker import PokerScreen

        top = self.app.screen
        if isinstance(top, PokerScreen) and top.session_id == session_id:
            return
        self.app.push_screen(PokerScreen(session_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_session(int(event.option.id or 0))

    def action_open(self) -> None:
        box = self.query_one("#sessions", OptionList)
        if box.highlighted is not None and self.sessions:
            self.open_session(self.sessions[box.highlighted].id)

    def action_start(self) -> None:
        start_estimation(self.app, [])


def start_estimation(app: App[Any], item_ids: list[int]) -> None:
    """Ask how to run a new session on `item_ids` (none: the next unestimated), then open it.

    With items picked while I facilitate a running session, first offer to add them to it.
    """
    from planner_tui.domain.errors import PlannerError
    from planner_tui.screens.modal import ConfirmModal

    try:
        mine = next(
            (
                listed
                for listed in poker.listing(host_of(app).session)
                if listed.status.value == "open"
                and (listed.facilitator or "").casefold() == host_of(app).me.casefold()
            ),
            None,
        )
    except PlannerError as error:
        app.notify(str(error), severity="error")
        return
    if item_ids and mine is not None:
        count = len(item_ids)
        question = (
            f"Add the {count} picked item{'s' if count != 1 else ''} to the queue of "
            f"'{one_line(mine.title, 40)}', which you facilitate?  (n: start a new session)"
        )
        app.push_screen(ConfirmModal(question), partial(_add_or_start, app, item_ids, mine.id))
        return
    _ask_start(app, item_ids)


def _add_or_start(app: App[Any], item_ids: list[int], session_id: int, add: bool | None) -> None:
    if add is None:
        return
    if not add:
        _ask_start(app, item_ids)
        return

    def work() -> None:
        from planner_tui.services.errors import USER_ERRORS, friendly

        try:
            added = poker.add_items(host_of(app).session, session_id, item_ids)
        except USER_ERRORS as error:
            app.call_from_thread(app.notify, friendly(error), severity="error")
            return
        app.call_from_thread(app.notify, f"{added} added to the queue")
        app.call_from_thread(host_of(app).open_estimation, session_id)

    app.run_worker(work, thread=True, group="poker-start")


def _ask_start(app: App[Any], item_ids: list[int]) -> None:
    from planner_tui.domain.errors import PlannerError
    from planner_tui.screens.poker_modals import StartPokerModal

    try:
        decks = poker.decks(host_of(app).session)
    except PlannerError as error:
        app.notify(str(error), severity="error")
        return
    title = f"Estimation {host_of(app).clock():%Y-%m-%d}"
    app.push_screen(StartPokerModal(decks, title, len(item_ids)), partial(_create, app, item_ids))


def _create(app: App[Any], item_ids: list[int], choice: PokerStart | None) -> None:
    if choice is not None:
        app.run_worker(
            partial(_create_in_thread, app, item_ids, choice), thread=True, group="poker-start"
        )


def _create_in_thread(app: App[Any], item_ids: list[int], choice: PokerStart) -> None:
    from planner_tui.services.errors import USER_ERRORS, friendly

    session = host_of(app).session
    try:
        if choice.save_deck:
            poker.save_deck(session, choice.deck.name, choice.deck.cards)
        ids = item_ids or poker.next_unestimated(session, choice.unestimated)
        if not ids:
            message = (
                "Every live backlog item has an estimate or is queued in a running session; "
                "pick items in the Backlog"
            )
            app.call_from_thread(app.notify, message, severity="warning")
            return
        settings = PokerSettings(
            deck=choice.deck,
            auto_reveal=choice.auto_reveal,
            timer_seconds=choice.timer_seconds,
            present=choice.present,
        )
        session_id = poker.start(
            session,
            choice.title,
            ids,
            settings,
            facilitator_votes=choice.facilitator_votes,
            voters=list(choice.voters),
        )
    except USER_ERRORS as error:
        app.call_from_thread(app.notify, friendly(error), severity="error")
        return
    app.call_from_thread(host_of(app).open_estimation, session_id)
