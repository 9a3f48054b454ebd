"""The Textual app: screens as modes, global keys, the command palette, live refresh."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual._context import active_app
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import Notify, SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import AwaitMount, Widget

from planner_tui.domain.errors import PlannerError
from planner_tui.domain.text import one_line
from planner_tui.paths import styles_dir
from planner_tui.screens.base import PlannerScreen, shown_screen
from planner_tui.screens.home import HomeScreen
from planner_tui.services.context import HEARTBEAT_EVERY, STALE_AFTER, Session
from planner_tui.terminal_input import lenient_input
from planner_tui.themes import OUR_THEMES

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.driver import Driver
    from textual.filter import LineFilter
    from textual.widgets import Input

    from planner_tui.services.context import Here
    from planner_tui.store.file_watch import FileWatch

R = TypeVar("R")

POLL_SECONDS = 0.2
"""How often to ask SQLite whether another process committed (one PRAGMA, microseconds)."""
PRESENCE_SECONDS = 1.0
"""How often to look who is still here when the kernel cannot say when a teammate's process
ends (another machine, a process it cannot follow): the process has let go of its lock."""
LONGEST_SLEEP = STALE_AFTER.total_seconds()
"""The longest the watcher sleeps with nothing written and nobody's row going stale."""
HEARTBEAT_SECONDS = HEARTBEAT_EVERY.total_seconds()
RECHECK_SECONDS = 0.01
RECHECK_WINDOW = 0.3
"""After the workspace was written but no commit showed yet: look every RECHECK_SECONDS for
RECHECK_WINDOW seconds (a commit in the middle of landing), then wait for the kernel again."""


def _can_take_keys(screen: Screen[Any]) -> bool:
    """Whether a dialog is up: composed, and its first field focused (if it has one)."""
    return screen.is_mounted and (screen.focused is not None or not screen.focus_chain)


def look_again_in(here: Here, *, followed: bool) -> float:
    """Seconds until the watcher must look who is here of its own accord, after `here`.

    Joining, moving and leaving cleanly write the workspace, which wakes the watcher;
    a teammate's process on this machine that ends wakes it when `followed` (see
    `FileWatch.follow`). Left to look for: a row going stale (a terminal suspended), a
    process that cannot be followed, and teammates on another machine.
    """
    if not followed or here.elsewhere:
        return PRESENCE_SECONDS
    if here.stale_in is None:
        return LONGEST_SLEEP
    return min(max(here.stale_in, PRESENCE_SECONDS), LONGEST_SLEEP)


class OthersChanged(Message):
    """Other processes changed these kinds of record, or who is here (`presence`)."""

    def __init__(self, kinds: frozenset[str]) -> None:
        super().__init__()
        self.kinds = kinds


SCREEN_ORDER = ("home", "backlog", "estimation", "sprint", "risks", "retro", "actions")
SCREEN_TITLES = {
    "home": "Home",
    "backlog": "Backlog",
    "estimation": "Estimation",
    "sprint": "Sprint",
    "risks": "Risks",
    "retro": "Retro",
    "actions": "Action items",
}


SCREEN_HELP = {
    "home": "The workspace at a glance",
    "backlog": "Every item by rank: filter as you type, sort by value, estimate, value per effort",
    "estimation": "Planning poker: start or join a session, vote, reveal, agree estimates",
    "sprint": "Plan a sprint: capacity, velocity, commit ranked items, scope change, close, burn-down",
    "risks": "The risk register: by score, filtered, the 5x5 matrix, ROAM decisions",
    "retro": "Retro boards: review last actions, write privately, reveal, group, vote, act",
    "actions": "Every action item from every retro: owner, due date, status, origin",
}


def _screen_factory(name: str) -> Screen[None]:
    screen = _new_screen(name)
    # A screen made now is styled from the current stylesheet as it mounts; Textual would
    # still re-parse every stylesheet twice on its first visit to bring it "up to date"
    # (~20 ms of a first visit). Those refreshes are for screens made before a theme change.
    count = getattr(active_app.get(), "_css_update_count", None)  # (Textual's own, private)
    if isinstance(count, int):
        screen._css_update_count = count
    return screen


def _new_screen(name: str) -> Screen[None]:
    if name == "home":
        return HomeScreen()
    if name == "backlog":
        from planner_tui.screens.backlog import BacklogScreen

        return BacklogScreen()
    if name == "estimation":
        from planner_tui.screens.estimation import EstimationScreen

        return EstimationScreen()
    if name == "risks":
        from planner_tui.screens.risks import RisksScreen

        return RisksScreen()
    if name == "retro":
        from planner_tui.screens.retro import RetroScreen

        return RetroScreen()
    if name == "actions":
        from planner_tui.screens.actions import ActionsScreen

        return ActionsScreen()
    if name == "sprint":
        from planner_tui.screens.sprint import SprintScreen

        return SprintScreen()
    raise ValueError(f"no screen called {name!r}")


def _import_screens(app: PlannerApp) -> None:
    """Import the other screens' code, off the UI thread once the first frame is drawn:
    start-up stays quick (only Home is imported before it), and a screen's first visit no
    longer pays for its imports (~100 ms of a first Risks or Sprint at 100,000 items)."""
    import importlib

    for name in SCREEN_ORDER[1:]:
        importlib.import_module(f"planner_tui.screens.{name}")
    with suppress(RuntimeError):  # the app ended meanwhile
        app.call_from_thread(app.load_all_styles)
    if app._keymap_asked:
        with suppress(RuntimeError):  # the app ended meanwhile
            app.call_from_thread(app.check_keymap)


def bindings_by_id() -> dict[str, tuple[str, str]]:
    """Every key binding of the app, its screens and widgets (whose code is loaded), by
    id: its keys and what it does. What a config's [keys] table can rebind."""
    from textual.dom import DOMNode

    found: dict[str, tuple[str, str]] = {}
    classes: list[type[DOMNode]] = [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if not cls.__module__.startswith("planner_tui"):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            binding_id = getattr(binding, "id", None)
            if binding_id:
                meaning = binding.tooltip or binding.description or binding.action
                found[binding_id] = (binding.key, meaning)
    return found


def binding_ids() -> set[str]:
    """The ids a config's [keys] table can rebind (see `bindings_by_id`)."""
    return set(bindings_by_id())


def spare_the_collector() -> None:
    """Called once a process has imported the app and is about to run it: what start-up
    made lives as long as the app, so the garbage collector stops looking at it, and it
    runs a collection per 5,000 new objects instead of per 700.

    A retro board of 20,000 cards read afresh spent 140 ms of each read in collections
    that walked every object loaded since start-up; 30 ms after this. (Not in tests,
    where many apps come and go in one process and each must be collected.)"""
    import gc

    gc.freeze()
    gc.set_threshold(5_000, 10, 10)


def _help_owners() -> list[tuple[str, type[Screen[Any]], tuple[type[DOMNode], ...]]]:
    """Help's sections after "Everywhere": title, the screen they are the keys of, and whose
    bindings they list (a list widget's first: the Backlog's table, the poker hand)."""
    from planner_tui.screens.actions import ActionsScreen
    from planner_tui.screens.backlog import BacklogScreen
    from planner_tui.screens.estimation import EstimationScreen
    from planner_tui.screens.item_editor import ItemEditor
    from planner_tui.screens.poker import PokerScreen
    from planner_tui.screens.retro import RetroScreen
    from planner_tui.screens.retro_board import RetroBoardScreen
    from planner_tui.screens.risks import RisksScreen
    from planner_tui.screens.sprint import SprintScreen
    from planner_tui.screens.value_effort import ValueEffortScreen
    from planner_tui.widgets.backlog_table import BacklogTable
    from planner_tui.widgets.deck_bar import DeckBar

    return [
        ("Home", HomeScreen, (HomeScreen,)),
        ("Backlog", BacklogScreen, (BacklogTable, BacklogScreen)),
        ("Item editor", ItemEditor, (ItemEditor,)),
        ("Value against effort", ValueEffortScreen, (ValueEffortScreen,)),
        ("Estimation sessions", EstimationScreen, (EstimationScreen,)),
        ("Estimating", PokerScreen, (DeckBar, PokerScreen)),
        ("Sprint", SprintScreen, (SprintScreen,)),
        ("Risks", RisksScreen, (RisksScreen,)),
        ("Retros", RetroScreen, (RetroScreen,)),
        ("Retro board", RetroBoardScreen, (RetroBoardScreen,)),
        ("Action items", ActionsScreen, (ActionsScreen,)),
    ]


class TerminalGone(Message):
    """The terminal went away without a hang-up signal that ended planner."""


HOLD_AT_MOST = 0.5
"""Seconds a switch of screens holds frames at most, waiting for the screen to read."""


class PlannerApp(App[None]):
    """planner: sprint planning and retros over one shared workspace file."""

    TITLE = "planner"
    CSS = """
    /* Each screen lays itself out to fit (its lists scroll, not the screen): Textual's
       screens scroll, and a screen here scrolled a line to a widget given the focus. */
    PlannerScreen {
        overflow: hidden hidden;
    }
    /* Toasts at the top, under the title: at the bottom they covered what a screen
       keeps there (the reveal's statistics, who is here, the keys) at 80x24. */
    ToastRack {
        dock: top;
        align: right top;
        margin-top: 1;
    }
    /* A retro board keeps its hint (votes left, what the phase asks) at the top: its
       toasts go at the bottom, above who is here and the keys. */
    RetroBoardScreen ToastRack {
        dock: bottom;
        align: right bottom;
        margin-top: 0;
        margin-bottom: 2;
    }
    """
    MODES = {name: partial(_screen_factory, name) for name in SCREEN_ORDER}
    DEFAULT_MODE = "home"
    BINDINGS = [
        Binding(
            "n",
            "quick_add",
            "New item",
            id="app.quick_add",
            tooltip="Add an item to the bottom of the backlog",
        ),
        Binding(
            "ctrl+e",
            "export",
            "Export",
            id="app.export",
            show=False,  # the screens' own keys need the bar's room; ? and the palette list it
            tooltip="Export this screen's part, or the backlog, risks, actions or workspace",
        ),
        Binding("question_mark", "help", "Keys", id="app.help", tooltip="Show every key"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit planner"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit_anywhere", show=False, priority=True),
        Binding(
            "ctrl+t",
            "toggle_projector",
            "Projector",
            id="app.projector",
            show=False,
            tooltip="Switch the high-contrast projector theme on or off",
        ),
        *(
            Binding(
                str(number),
                f"go('{name}')",
                SCREEN_TITLES[name],
                id=f"app.go_{name}",
                show=False,
                tooltip=f"Go to {SCREEN_TITLES[name]}",
            )
            for number, name in enumerate(SCREEN_ORDER, start=1)
        ),
    ]

    def __init__(
        self,
        session: Session,
        *,
        theme: str | None = None,
        poll_seconds: float = POLL_SECONDS,
        heartbeat: bool = True,
        clock: Callable[[], date] = date.today,
        keymap: dict[str, str] | None = None,
        problems: list[str] | None = None,
        remember_theme: bool = False,
    ) -> None:
        """Build the app around an open session.

        Args:
            session: the open workspace and who I am.
            theme: a theme name; None keeps Textual's default.
            poll_seconds: how often to look for other processes' commits.
            heartbeat: whether to announce presence (off in snapshot tests).
            clock: today's date, passed in so tests can fix it.
            keymap: binding id → keys, from the person's config file.
            problems: what is wrong in the config file, said once the app shows.
            remember_theme: keep a theme chosen in the app in the config file.
        """
        super().__init__()
        self.session = session
        self.clock = clock
        self.me = session.me
        self._poll_seconds = poll_seconds
        self._heartbeat = heartbeat and not session.read_only  # a reader writes nothing
        self.crash_log: Path | None = None
        self._type_ahead: list[str] | None = None
        self._type_ahead_answered = False
        self._estimation_request: int | None = None
        self._arriving = ""
        """The screen whose key was just pressed elsewhere (see `take_arrival`)."""
        self._stop_watching = threading.Event()
        self._held_keys: list[events.Key] = []
        self._dialogs_up: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()
        self._sent_to: dict[int, tuple[Screen[Any], Widget | None]] = {}
        """Where each key was sent: the screen, and the widget focused then."""
        """Which screen each key from the terminal went to (see `_straggler`)."""
        self._pressing_again: list[events.Key] = []
        self._pressed_at = 0.0
        self._awaiting: events.Key | None = None
        """A held key pressed again, whose handling the rest of the held keys wait for."""
        self._look_soon = False
        self._file_watch: FileWatch | None = None
        self._watcher = threading.Thread(target=self._watch, name="planner-watch", daemon=True)
        self._theme_before_projector = "textual-dark"
        for our_theme in OUR_THEMES:
            self.register_theme(our_theme)
        if theme:
            self.theme = theme
        self._keymap_asked = dict(keymap or {})
        if keymap:
            self.set_keymap(keymap)
        self._config_problems = list(problems or ())
        self._remember_theme = remember_theme
        self.read_only = session.read_only
        """The person can only read the file: no write keys, a banner says so."""
        self.read_only_reason = one_line(session.read_only_reason)
        self.sub_title = f"{session.path.name} · {session.me}" + (
            " · read-only" if self.read_only else ""
        )

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, with NO_COLOR's greys kept readable (`ReadableMonochrome`)."""
        filters = super().get_line_filters()
        if not self.no_color:
            return filters
        from textual.filter import Monochrome

        from planner_tui.themes import READABLE_MONOCHROME

        return [
            READABLE_MONOCHROME if isinstance(found, Monochrome) else found for found in filters
        ]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a toast, always without markup or control characters: messages carry what
        users typed, shown literally.

        Widgets' own `notify` passes `markup=True` through, so the flag is ignored here.
        Every toast of the app comes through here, so this is where its text is made safe.
        """
        from planner_tui.domain.text import one_line, visible

        super().notify(
            visible(message),
            title=one_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _on_notify(self, event: Notify) -> None:
        """(Textual's, private; pinned in pyproject.toml) A toast that says what one still
        on screen says takes its place, not a place above it: a board removed under an
        open dialog said "that retro no longer exists" three times over (the save, the
        read after it, the change noticed)."""
        new = event.notification
        for shown in list(self._notifications):
            if (shown.message, shown.title, shown.severity) == (
                new.message,
                new.title,
                new.severity,
            ):
                self._unnotify(shown, refresh=False)
        super()._on_notify(event)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal (or the browser), reading input leniently:
        an invalid byte cannot end planner, a paste arrives whole (`terminal_input`)."""
        return lenient_input(super().get_driver_class(), on_end=self._terminal_gone)

    def _terminal_gone(self) -> None:
        """(From the input thread.) The terminal hung up and nothing ended us: quit as if q
        was pressed (drafts are kept as typed; leaving frees this terminal's place)."""
        self.post_message(TerminalGone())

    def on_terminal_gone(self, _message: TerminalGone) -> None:
        self.exit()

    def panic(self, *renderables: RenderableType) -> None:
        """Textual's own last resort (its input thread failed, say): a crash like any
        other, kept in a file with the CLI's one line, not a traceback on the screen."""
        from io import StringIO

        from rich.console import Console

        from planner_tui.crash import write_crash_log

        details = StringIO()
        Console(file=details, width=100, color_system=None).print(*renderables)
        if self.crash_log is None:
            self.crash_log = write_crash_log(details.getvalue())
        self._close_messages_no_wait()

    def _fatal_error(self) -> None:
        """An unhandled error: keep the traceback in a file and quit; the CLI says one line."""
        import traceback

        from planner_tui.crash import write_crash_log

        details = traceback.format_exc()
        if self.crash_log is None:
            self.crash_log = write_crash_log(details)
        else:  # errors while closing down follow the first; keep them all, first on top
            with self.crash_log.open("a", encoding="utf-8") as log:
                log.write("\nWhile closing:\n" + details)
        self._close_messages_no_wait()

    WRITE_ACTIONS = frozenset({"quick_add", "start_estimation", "raise_risk"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A read-only view offers no key or command that writes."""
        if self.read_only and action in self.WRITE_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        for problem in self._config_problems:  # the app opens anyway, with the rest
            self.notify(problem, title="Config", severity="warning", timeout=15)
        if self._remember_theme:
            self.theme_changed_signal.subscribe(self, self._theme_chosen)
        self._watcher.start()
        self.call_after_refresh(  # (a screen that fails to import says so when opened)
            self.run_worker,
            partial(_import_screens, self),
            thread=True,
            group="warm-up",
            exit_on_error=False,
        )
        if self._heartbeat:
            self.call_after_refresh(self._beat)
            self.set_interval(HEARTBEAT_SECONDS, self._beat, name="presence heartbeat")

    def _theme_chosen(self, theme: Any) -> None:
        """Keep the theme chosen in the app (ctrl+t, the palette) for the next run."""
        from planner_tui.services.settings import remember_theme

        with suppress(OSError):  # an unwritable config folder loses only the memory
            remember_theme(theme.name)

    def load_all_styles(self) -> None:
        """Read every screen's stylesheet now, once, while nothing is asked of the app: a
        screen's first visit otherwise re-parses every style the app has to add its own.
        (Each file's rules name their own screen or dialog, so reading early changes no
        screen's look.)"""
        sheet = self.stylesheet
        new = [
            path
            for path in sorted(styles_dir().glob("*.tcss"))
            if not sheet.has_source(str(path), "")
        ]
        for path in new:
            sheet.read(path)
        if new:
            sheet.reparse()
            sheet.update(self)

    def check_keymap(self) -> None:
        """Say which of the config's key bindings name no binding (all screens' code is
        loaded by then: see `_import_screens`)."""
        unknown = sorted(set(self._keymap_asked) - binding_ids())
        if unknown:
            from planner_tui.services.settings import config_path

            listed = ", ".join(unknown[:3]) + (" …" if len(unknown) > 3 else "")
            self.notify(
                f"{config_path()}: keys: no binding called {listed} (planner keys lists them)",
                title="Config",
                severity="warning",
                timeout=15,
            )

    def on_unmount(self) -> None:
        self._stop_watching.set()
        if self._file_watch is not None:
            self._file_watch.poke()

    def _watch(self) -> None:
        """Off the UI thread: wait for other processes' commits, and look who is here.

        The kernel says when the workspace was written (`Session.watch_file`; where it
        cannot, a PRAGMA every `poll_seconds` asks) and when a teammate's process on
        this machine ended (it lets go of its lock without writing a word). So the
        watcher looks who is here only when told, or when a row would go stale; it
        looks every second only for what the kernel cannot tell (a teammate on
        another machine). The UI thread wakes only when something changed, so an idle
        app costs what a bare Textual app does.
        """
        watch = self._file_watch = self.session.watch_file()
        next_look = 0.0
        recheck_until = 0.0
        seen: tuple[tuple[str, str], ...] | None = None
        try:
            while not self._stop_watching.is_set():
                written = look = False
                if watch is not None:
                    timeout = next_look - time.monotonic()
                    if time.monotonic() < recheck_until:
                        timeout = min(timeout, RECHECK_SECONDS)
                    written, look = watch.wait(max(0.0, timeout))
                elif self._stop_watching.wait(self._poll_seconds):
                    break
                if self._stop_watching.is_set():
                    break  # the app ended while we slept; its workspace may be closed
                kinds = self.session.poll_changes(wait=True)
                if written and kinds is None:
                    # The kernel tells of the log being written before the commit shows
                    # (its index lives in shared memory, which makes no event): look again
                    # shortly, not at the next look a second later.
                    recheck_until = time.monotonic() + RECHECK_WINDOW
                elif kinds is not None:
                    recheck_until = 0.0
                look = look or self._look_soon
                self._look_soon = False
                if kinds is None and not look and time.monotonic() < next_look:
                    continue
                try:
                    here = self.session.presence()
                except PlannerError:  # the file cannot be read this moment: look again soon
                    next_look = time.monotonic() + PRESENCE_SECONDS
                    now = seen
                else:
                    followed = watch is not None and watch.follow(here.processes)
                    next_look = time.monotonic() + look_again_in(here, followed=followed)
                    now = here.people
                changed = set(kinds or ())
                if changed & {"workspace", "person"}:  # rebuilt, or someone renamed: still me?
                    with suppress(PlannerError):
                        self.session.confirm_identity()
                if now != seen:
                    changed.add("presence")
                seen = now
                if changed:
                    self._tell_screen(frozenset(changed))
        finally:
            if watch is not None:
                watch.close()

    def _tell_screen(self, kinds: frozenset[str]) -> None:
        """From the watcher: hand `kinds` to the UI thread without waiting for it."""
        self.post_message(OthersChanged(kinds))  # thread-safe; dropped once the app closed

    def on_others_changed(self, message: OthersChanged) -> None:
        if "workspace" in message.kinds:  # rebuilt in place: it no longer knows I am here
            self.beat_now()
        self.notify_screen(message.kinds)

    def notify_screen(self, kinds: frozenset[str]) -> None:
        """Tell the visible screen which kinds of record changed, so it redraws only those."""
        # A screen still composing reads everything when it mounts; a heartbeat
        # arriving before then has nothing to redraw yet. The watcher may tell of a
        # change while the app has no screen at all (opening, or closing: the stack
        # emptied while a teammate wrote).
        try:
            screen = self.screen
        except ScreenStackError:
            return
        if screen.is_mounted and isinstance(screen, PlannerScreen):
            screen.workspace_changed(kinds)

    def _beat(self) -> None:
        # A modal (notes, accept) sits on top of the screen that says where I am; and
        # a glance at another screen (Action items during a retro) does not leave
        # the meeting still open in its own mode, so the others still see me there.
        stacks = [
            self.screen_stack,
            *(s for m, s in self._screen_stacks.items() if m != self.current_mode),
        ]
        places = [
            screen.presence_place
            for stack in stacks
            for screen in reversed(stack)
            if isinstance(screen, PlannerScreen)
        ]
        # Every meeting open in any mode, where I look first: a facilitator who glances
        # at a retro still holds the poker table's seat.
        place = " ".join(dict.fromkeys(p for p in places if p)) or self.current_mode or "home"
        self.run_worker(
            partial(self._beat_in_thread, place), thread=True, group="presence", exclusive=True
        )

    def beat_now(self) -> None:
        """Tell the others at once where I am (a screen that shows who is here calls this)."""
        if self._heartbeat:
            self._beat()

    def _beat_in_thread(self, place: str) -> None:
        # Presence is best-effort: if the file is busy, the next beat tries again.
        with suppress(PlannerError):
            self.session.heartbeat(place)
            self._look_soon = True  # I may have moved: the watcher tells the screen
            if self._file_watch is not None:
                self._file_watch.poke()

    _switching = False
    _held: Timer | None = None

    def switch_mode(self, mode: str) -> AwaitMount:
        """(Textual's) With frames held until the screen shown has read what it shows."""
        if mode != self.current_mode and mode in self._modes and self._held is None:
            self._begin_batch()  # (Textual's own way to hold frames)
            self._held = self.set_timer(HOLD_AT_MOST, self._let_go)
        self._switching = True
        try:
            shown = super().switch_mode(mode)
        finally:
            self._switching = False
        if shown_screen(self.screen_stack) is not self.screen:
            self.release_frames()  # (a dialog left open there: nothing to read)
        return shown

    def delay_update(self, delay: float = 0.05) -> None:
        """(Textual's) Not on a switch of screens, which holds frames its own way: Textual's
        hold is a timer (50 ms), which fired only once the new screen had been built, read
        and drawn, whose frames were drawn and thrown away meanwhile, then drawn again."""
        if not self._switching:
            super().delay_update(delay)

    @property
    def holding_frames(self) -> bool:
        return self._held is not None

    def release_frames(self) -> None:
        """Send the shown screen's frame: it has read what it shows (or the hold ran out).
        Held, a screen switched to draws nothing: not its last look, which a teammate may
        have changed meanwhile, nor the list a running meeting is opened from."""
        if self._held is None or self._letting_go:
            return
        shown = shown_screen(self.screen_stack)
        if shown is not None:
            # Laid out first (still held: nothing is drawn), so that what the screen draws
            # to fit its sizes (a sprint's bars, a risk list's filter line) is drawn so.
            self._letting_go = True
            shown.lay_out()
            shown.call_later(self._let_go)  # (or the hold's timer, if the screen goes)
        else:
            self._let_go()

    _letting_go = False

    def _let_go(self) -> None:
        if self._held is None:
            return
        self._held.stop()
        self._held = None
        self._letting_go = False
        screen = self.screen
        if isinstance(screen, PlannerScreen):
            self._end_batch()
            screen.show_held()
            return
        # A dialog, and the screen under it, drawn whole: the terminal shows another screen,
        # and a frame of what changed mixed the two.
        screen._compositor.update_widgets({screen})  # (Textual's, private)
        screen.refresh()
        self._end_batch()

    def action_go(self, name: str) -> None:
        """Show the top-level screen `name`."""
        if name in self._modes and self.current_mode != name:
            self._arriving = name
            self.switch_mode(name)
        elif name == self.current_mode and isinstance(self.screen, PlannerScreen):
            self.screen.go_again()  # e.g. from an ended retro to the running one

    def open_estimation(self, session_id: int) -> None:
        """Show an estimation session on the Estimation screen, whatever was showing there."""
        from planner_tui.screens.estimation import EstimationScreen

        self._estimation_request = session_id
        if self.current_mode != "estimation":
            self.switch_mode("estimation")
        stack = self.screen_stack
        if len(stack) > 1 and isinstance(stack[0], EstimationScreen):
            self.pop_screen()  # the list's resume takes the request up
        elif stack and isinstance(stack[-1], EstimationScreen) and stack[-1].is_mounted:
            stack[-1].on_screen_resume()

    def arrive(self, name: str) -> None:
        """The next showing of screen `name` counts as its key pressed elsewhere."""
        self._arriving = name

    def take_arrival(self, name: str) -> bool:
        """Whether screen `name` is shown because its key was pressed elsewhere, once: a
        meeting list shown so opens the running meeting, one shown because the meeting
        on top of it closed stays a list."""
        arrived, self._arriving = self._arriving == name, ""
        return arrived

    def take_estimation_request(self) -> int | None:
        """The session `open_estimation` asked for, once."""
        request, self._estimation_request = self._estimation_request, None
        return request

    def action_start_estimation(self) -> None:
        """Start planning poker on the next unestimated backlog items."""
        from planner_tui.screens.estimation import start_estimation

        start_estimation(self, [])

    def action_raise_risk(self) -> None:
        """Raise a risk against the workspace (the palette's way in)."""
        from planner_tui.screens.risk_raise import raise_risk_from

        raise_risk_from(self, "")

    def action_export(self) -> None:
        """Offer the exports, the shown screen's own first, and write the chosen file."""
        from textual.screen import ModalScreen

        from planner_tui.screens.export import export_from

        if isinstance(self.screen, ModalScreen):
            return
        own = self.screen.export_choices() if isinstance(self.screen, PlannerScreen) else []
        export_from(self, own)

    def action_invite(self) -> None:
        """Invite a guest to join through planner serve (a link and an SSH code)."""
        from textual.screen import ModalScreen

        from planner_tui.domain.invitations import is_guest
        from planner_tui.screens.invite import InviteModal

        if isinstance(self.screen, ModalScreen):
            return
        if is_guest(self.session.account):
            self.notify("Guests cannot invite others; ask a teammate.", severity="warning")
            return
        self.push_screen(InviteModal())

    def action_history(self) -> None:
        """Velocity per sprint, retro ratings and the age of open actions."""
        from textual.screen import ModalScreen

        from planner_tui.screens.history import HistoryModal
        from planner_tui.services.history import history

        if isinstance(self.screen, ModalScreen):
            return
        self.push_screen(HistoryModal(history(self.session, self.clock())))

    def action_help(self) -> None:
        """Show every key in a modal."""
        from planner_tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        sections = self.help_sections()
        here = self._help_section_of(self.screen)
        # The keys of the screen in use come first, after the ones that work everywhere.
        first = [s for s in sections[1:] if s[0] == here]
        rest = [s for s in sections[1:] if s not in first]
        self.push_screen(HelpScreen([sections[0], *first, *rest]))

    @staticmethod
    def _help_section_of(screen: Screen[Any]) -> str:
        """The help section with the keys of `screen` (a poker table's, not its list's)."""
        return next((title for title, kind, _ in _help_owners() if isinstance(screen, kind)), "")

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The keys of the app and of each screen, as currently bound; one row per action."""
        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "")
        everywhere = self._help_rows([*self._bindings_of(type(self)), palette])
        everywhere[-1] = (everywhere[-1][0], "Command palette: every screen and action by name")
        return [
            ("Everywhere", everywhere),
            *(
                (title, self._help_rows(*(self._bindings_of(owner) for owner in owners)))
                for title, _, owners in _help_owners()
            ),
        ]

    @staticmethod
    def _bindings_of(owner: type[DOMNode]) -> list[Binding]:
        return [binding for binding in owner.BINDINGS if isinstance(binding, Binding)]

    def _help_rows(self, *owners: list[Binding]) -> list[tuple[str, str]]:
        """(keys, what they do) with the keys of one action joined: `q / ^q`, said as the
        action's first binding says it. The same action of another owner joins them only
        if it says the same (the list's `move(-1)` is Up, the Backlog's moves the item)."""
        rows: dict[tuple[str, str], list[str]] = {}
        for bindings in owners:
            said: dict[str, str] = {}
            for binding in bindings:
                if binding.system:
                    continue  # (the hand's digits: its arrows' help says how to type a card)
                text = said.setdefault(binding.action, binding.tooltip or binding.description)
                keys = [
                    self.get_key_display(Binding(key.strip(), binding.action))
                    for key in binding.key.split(",")
                ]
                shown = rows.setdefault((binding.action, text), [])
                shown.extend(key for key in keys if key not in shown)
        return [(" / ".join(keys), text) for (_, text), keys in rows.items()]

    def action_toggle_projector(self) -> None:
        """Switch the projector theme on, or back off to the theme used before it."""
        if self.theme == "projector":
            self.theme = self._theme_before_projector
        else:
            self._theme_before_projector = self.theme
            self.theme = "projector"

    def action_quick_add(self, title: str = "", error: str = "") -> None:
        """Ask for a title and add the item at the bottom of the backlog."""
        from planner_tui.screens.quick_add import QuickAddModal

        if isinstance(self.screen, QuickAddModal):
            return
        self.push_typing(QuickAddModal(title, error), self._save_quick_add)

    def push_typing(self, modal: Screen[R], callback: Callable[[R | None], None]) -> None:
        """Show a modal that is typed into; keys typed while it opens go into it, not elsewhere.

        The modal names its input in `typing_input` and takes what was typed
        before it showed with `take_type_ahead` when it mounts.
        """
        self._type_ahead = []
        self._type_ahead_answered = False

        def done(result: R | None) -> None:
            self._type_ahead = None
            callback(result)

        self.push_screen(modal, done)

    def take_type_ahead(self) -> str:
        """The keys typed while a typing modal opened; later ones are passed to it."""
        typed = "".join(self._type_ahead or [])
        if self._type_ahead is not None:
            self._type_ahead.clear()
        return typed

    async def on_key(self, event: events.Key) -> None:
        """Keys typed while a typing modal (quick add, a retro card) opens go into it.

        A burst such as `n`, `a`, `b`, enter (fast typing, key repeat, SSH delivering
        keys in bunches) is queued on the screen under the modal before the modal
        takes focus; without this, `a` would open Action items. Keys that reach the
        app while the modal is up can only be such stragglers: its input would
        have taken them otherwise.
        """
        from planner_tui.screens.modal import NEXT_FIELD, PREVIOUS_FIELD, SUBMIT

        if event is self._awaiting:  # back at the app: its binding runs now, the rest after
            self.call_later(self._key_handled, event)
        if self._straggler(event) or self._to_field_since_focused(event):
            return
        fields = {"tab": NEXT_FIELD, "shift+tab": PREVIOUS_FIELD, "enter": SUBMIT}
        if (
            self._type_ahead is not None
            and not self._type_ahead_answered
            and (event.key in fields or (event.is_printable and event.character))
        ):
            event.stop()
            event.prevent_default()  # the key is taken: no binding runs for it
            box = self._typing_input()
            if box is None:
                self._type_ahead.append(fields.get(event.key) or event.character or "")
            elif event.key == "enter":
                await box.action_submit()
            elif event.key == "tab":
                self.screen.focus_next()
            elif event.key == "shift+tab":
                self.screen.focus_previous()
            else:
                box.replace(event.character or "", *box.selection)  # as a key does
            if event.key == "enter":
                # Answered: the keys after it are commands again. What came before it
                # is kept for the modal to take as it opens.
                self._type_ahead_answered = True

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._hold(event):
                return
            self._sent_to[id(event)] = (self.screen, self.screen.focused)
            if len(self._sent_to) > 256:  # keys a widget took never come back: forget them
                del self._sent_to[next(iter(self._sent_to))]
            await super().on_event(event)
            if event is self._awaiting and not event.is_forwarded:
                self.call_later(self._key_handled, event)  # a priority binding took it
            return
        if isinstance(event, events.Paste) and not event.is_forwarded:
            from textual.widgets import Input

            if isinstance(self.focused, Input) and "\n" in event.text.strip("\n"):
                # A one-line field keeps a paste's first line only (Textual's Input): a
                # retro card pasted from notes lost the rest, silently. Its lines, joined.
                event.text = " ".join(
                    line.strip() for line in event.text.splitlines() if line.strip()
                )
        await super().on_event(event)

    def _hold(self, key: events.Key) -> bool:
        """Hold a key arriving while a dialog opens; it is pressed again once the dialog is up.

        A dialog (raising a risk, a sprint, the item editor, a yes/no question) is
        pushed when its key is handled, but keys typed right after it were already
        sent to the screen below, and the dialog takes a moment to focus its first
        field: text was lost or ran the screen's commands, and an enter saved the
        form before the text typed ahead of it had landed. Such keys are held and
        pressed again, in order, once the dialog's field has focus, exactly as if
        typed then; keys arriving while they are pressed again wait behind them.
        """
        if self._pressing_again and key is self._pressing_again[0]:
            self._pressing_again.pop(0)
            return False
        if self._pressing_again and time.monotonic() - self._pressed_at > 1.0:
            self._pressing_again.clear()  # never came back (the app was busy closing): let keys be
        screen = self.screen
        dialog = isinstance(screen, ModalScreen)
        opening = dialog and not self._dialog_up(screen)
        # In a dialog that is up, only text typed into a field goes straight to it. Any
        # other key (tab, enter, an arrow, backspace, space on a box, ctrl+u) is a binding,
        # run when the key has gone up to the app, after the keys typed behind it have
        # reached the focused field: text after a tab went to the field left behind,
        # ctrl+u cleared the text typed after it, and an enter (a priority binding) saved
        # before the text ahead of it had landed. Such a key waits for the keys before it,
        # and the keys after it wait for it.
        from textual.widgets import Input, TextArea

        text = key.is_printable and isinstance(screen.focused, (Input, TextArea))
        binding = dialog and not text
        if not (opening or binding or self._held_keys or self._pressing_again):
            return False
        self._held_keys.append(events.Key(key.key, key.character))
        if len(self._held_keys) == 1:
            if opening:
                self.call_after_refresh(self._press_held_keys, screen)
            else:  # behind the keys the focused field has yet to handle
                (screen.focused or screen).call_later(self._press_held_keys, screen)
        return True

    def _dialog_up(self, dialog: Screen[Any]) -> bool:
        """Whether `dialog` has finished opening (once up, a click that blurs it holds nothing)."""
        if dialog in self._dialogs_up:
            return True
        if _can_take_keys(dialog):
            self._dialogs_up.add(dialog)
            return True
        return False

    def _press_held_keys(self, dialog: Screen[Any], tries: int = 0) -> None:
        from textual.widgets import Input, TextArea

        if self._awaiting is not None:
            return  # a key pressed again is still being handled: the rest follow it
        if dialog is not self.screen:
            # The dialog went away (saved, or it opened another: a menu's choice asking
            # for a name). Keys typed after it go where they would have gone typed
            # slowly: into the next dialog once it is up, else to the screen.
            if not isinstance(self.screen, ModalScreen) and tries < 3:
                self.call_after_refresh(self._press_held_keys, dialog, tries + 1)
                return
            dialog, tries = self.screen, 0
            if not isinstance(dialog, ModalScreen):
                keys, self._held_keys = self._held_keys, []
                for key in keys:  # pressed as typed, not held again
                    self._pressing_again.append(key)
                    self._pressed_at = time.monotonic()
                    self.post_message(key)
                return
        busy = any(node.message_queue_size for node in dialog.walk_children(with_self=True))
        if (
            not self._dialog_up(dialog) or busy  # (what a key set off: a choice focusing a field)
        ) and tries < 50:  # a dialog that never settles gets them anyway
            self.call_after_refresh(self._press_held_keys, dialog, tries + 1)
            return
        # Text goes straight into the focused field, so an enter after it sees every
        # field filled. Tab moves the focus, and the rest waits until the field has
        # taken it (a field that selects its text on focus has done so: what is typed
        # next replaces it, as it does for a slow typist). Any other key (enter,
        # escape, a yes/no answer) is pressed as a key, and the rest waits for it.
        while self._held_keys:
            key = self._held_keys.pop(0)
            field = dialog.focused
            if key.is_printable and key.character and isinstance(field, (Input, TextArea)):
                field.replace(key.character, *field.selection)  # as a key does: over a selection
            elif key.key in ("tab", "shift+tab"):
                dialog.focus_next() if key.key == "tab" else dialog.focus_previous()
                if self._held_keys:  # after the field's own Focus event, queued before this
                    (dialog.focused or dialog).call_later(self._press_held_keys, dialog)
                return
            else:
                self._pressing_again.append(key)
                self._pressed_at = time.monotonic()
                self.post_message(key)
                if self._held_keys:  # the rest once it has been handled (see on_key)
                    self._awaiting = key
                    self.set_timer(0.3, partial(self._key_handled, key))  # (if a widget took it)
                return

    def _key_handled(self, key: events.Key) -> None:
        """A held key pressed again has been handled: press the ones held behind it."""
        if self._awaiting is key:
            self._awaiting = None
            if self._held_keys:  # once what it set off (a choice, a new field) is drawn
                self.call_after_refresh(self._press_held_keys, self.screen)

    def _to_field_since_focused(self, event: events.Key) -> bool:
        """A character sent to a list that a field of the same screen has since taken the
        focus from goes into the field, as typed slowly: "/e" typed fast lost the e, or ran
        the Backlog's e (edit), as / opens the filter only once its own key is handled."""
        from textual.widgets import Input

        box = self.screen.focused
        sent = self._sent_to.get(id(event))
        if sent is None or not (event.is_printable and event.character):
            return False
        if not isinstance(box, Input) or sent[0] is not self.screen or sent[1] is box:
            return False
        del self._sent_to[id(event)]
        event.stop()
        event.prevent_default()  # the list's and the screen's bindings do not run for it
        box.replace(event.character, *box.selection)  # as the key would have
        return True

    def _straggler(self, event: events.Key) -> bool:
        """A key sent to a screen that a dialog has since covered: hold it for the dialog."""
        sent = self._sent_to.get(id(event))
        screen = self.screen
        if sent is None or sent[0] is screen or not isinstance(screen, ModalScreen):
            return False
        del self._sent_to[id(event)]
        event.stop()
        event.prevent_default()  # no binding of the dialog runs for it now, but when pressed again
        self._held_keys.append(events.Key(event.key, event.character))
        if len(self._held_keys) == 1:
            self.call_after_refresh(self._press_held_keys, screen)
        return True

    def _typing_input(self) -> Input | None:
        """The input of the typing modal on top, once it is up."""
        from textual.widgets import Input

        from planner_tui.screens.modal import TakesTypeAhead

        screen = self.screen
        if isinstance(screen, TakesTypeAhead) and screen.is_mounted:
            if isinstance(screen.focused, Input):
                return screen.focused  # the field tab moved to
            return screen.query_one(screen.typing_input, Input)
        return None

    def _save_quick_add(self, title: str | None) -> None:
        if title is not None:
            self.run_worker(partial(self._quick_add_in_thread, title), thread=True, group="write")

    def _quick_add_in_thread(self, title: str) -> None:
        from planner_tui.services.capture import quick_add
        from planner_tui.services.errors import USER_ERRORS, friendly

        slow = self.call_from_thread(
            self.set_timer,
            1.0,
            partial(self.notify, "Saving… another program is writing", timeout=3),
        )
        try:
            key = quick_add(self.session, title)
        except USER_ERRORS as error:
            self.call_from_thread(slow.stop)
            # Nothing typed is lost: the modal comes back with the title and the reason.
            self.call_from_thread(self.action_quick_add, title, friendly(error))
            return
        self.call_from_thread(slow.stop)
        self.call_from_thread(self._after_local_change, f"Added {key} to the bottom of the backlog")

    def _after_local_change(self, message: str) -> None:
        self.notify(message)
        self.notify_screen(frozenset({"item"}))

    def _screen_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """What the screen's keys do, by name, where they can be used right now."""
        seen: set[str] = set()
        for binding in self._bindings_of(type(screen)):
            action = binding.action
            if action in seen or action.startswith("app.") or not binding.tooltip:
                continue
            seen.add(action)
            name, _, _ = action.partition("(")
            if screen.check_action(name, ()) is False:
                continue
            keys = " / ".join(
                self.get_key_display(Binding(key.strip(), action)) for key in binding.key.split(",")
            )
            # The palette searches titles only: the word the footer shows ("Re-vote")
            # leads the title, so searching for it finds the command.
            title = binding.tooltip
            if binding.description.casefold() not in title.casefold():
                title = f"{binding.description} · {title}"
            yield SystemCommand(
                title, f"({keys}) {binding.description}", partial(screen.run_action, action)
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette: every screen, every action, then Textual's own commands."""
        from planner_tui.domain.invitations import is_guest

        for number, name in enumerate(SCREEN_ORDER, start=1):
            title = SCREEN_TITLES[name]
            yield SystemCommand(
                f"Go to {title}", f"({number}) {SCREEN_HELP[name]}", partial(self.action_go, name)
            )
        writes = (
            SystemCommand(
                "New backlog item",
                "(n) Add an item to the bottom of the backlog",
                self.action_quick_add,
            ),
            SystemCommand(
                "Start an estimation session",
                "Planning poker on the next unestimated items (or pick items in the Backlog, "
                "then p)",
                self.action_start_estimation,
            ),
            SystemCommand(
                "Raise a risk",
                "(! on Backlog, Estimation and Sprint: against the item there) A risk, scored "
                "and tracked",
                self.action_raise_risk,
            ),
        )
        if not self.read_only:  # (the WRITE_ACTIONS: a reader is offered none of them)
            yield from writes
        yield from self._screen_commands(screen)
        yield SystemCommand(
            "Export",
            "(ctrl+e) Markdown, JSON or CSV of this screen's part, the backlog, risks or actions",
            self.action_export,
        )
        yield SystemCommand("Keys", "(?) Every key of every screen", self.action_help)
        yield SystemCommand(
            "History",
            "Velocity per sprint, how retros were rated, how long actions have been open",
            self.action_history,
        )
        guest = is_guest(self.session.account)
        if not guest and not self.session.read_only:
            yield SystemCommand(
                "Invite a guest",
                "A link and an SSH code to join through planner serve, without an account here",
                self.action_invite,
            )
        yield SystemCommand(
            "Projector theme",
            "(ctrl+t) High contrast for shared screens",
            self.action_toggle_projector,
        )
        for command in super().get_system_commands(screen):
            if command.title == "Keys":  # Textual's key panel; ours above lists every screen
                continue
            if command.title == "Screenshot" and guest and not self.is_web:
                continue  # it would write a file on the team box, which a guest never does
            yield command
