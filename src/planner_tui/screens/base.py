"""The base of every full screen: typed access to the host, and the hooks the app calls.

The app calls these on whichever `PlannerScreen` is shown; a screen overrides the ones
it has something to say to (the defaults do nothing, offer nothing):

- `reload()`: read and draw afresh (`reload_soon()` asks for it once per frame).
- `workspace_changed(kinds)`: another terminal (or a worker) wrote; redraw those kinds.
- `export_choices()`: this screen's own exports, offered first by ctrl+e.
- `presence_place`: where this terminal is, for the others' "here now".
- `go_again()`: the screen's own number key pressed while it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from textual.geometry import Size
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from planner_tui.widgets.host import Host, host_of
from planner_tui.widgets.read_only import ReadOnlyAware

if TYPE_CHECKING:
    from planner_tui.screens.export import ExportChoice
    from planner_tui.services.context import Session

R = TypeVar("R")

FRAME_AT_MOST = 0.05
"""How long `after_frame` work waits for a frame before it runs anyway (nothing to draw)."""


class PlannerScreen(ReadOnlyAware, Screen[R]):
    """A screen of the app (not a dialog): it reads the workspace through its host."""

    _after_frame: list[Callable[[], object]] | None = None
    _after_frame_timer: Timer | None = None

    def after_frame(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the next frame is on its way to the terminal (or, if none
        comes within `FRAME_AT_MOST`, then): work that would share the interpreter with
        drawing a key's frame (saving the move the frame shows) waits for it. Textual's
        `call_after_refresh` may run before the frame: a vote's save and read then held
        its frame 2 ms."""
        if self._after_frame is None:
            self._after_frame = []
            self._after_frame_timer = self.set_timer(FRAME_AT_MOST, self._run_after_frame)
        self._after_frame.append(callback)

    def _run_after_frame(self) -> None:
        callbacks, self._after_frame = self._after_frame or [], None
        if self._after_frame_timer is not None:
            self._after_frame_timer.stop()
            self._after_frame_timer = None
        for callback in callbacks:
            callback()

    @property
    def host(self) -> Host:
        """The app, as the screens see it."""
        return host_of(self.app)

    @property
    def session(self) -> Session:
        """The open workspace and who I am."""
        return self.host.session

    @property
    def clock(self) -> Callable[[], date]:
        """Today's date (fixed in tests)."""
        return self.host.clock

    @property
    def me(self) -> str:
        """The person at this terminal."""
        return self.host.me

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        """(Textual's, private; pinned in pyproject.toml) A layout draws what it changed in
        one frame.

        Laying the screen out tells each widget its size. A scroll container or a text
        whose size changed then asks for a layout again (its virtual size is a reactive
        that lays out), and scrollbars given new thumbs ask to be drawn after the
        layout's frame: revealing a round of 50 cards drew three frames over 50 ms,
        the second a whole screen again. The frame is drawn with those repaints (see
        `_compositor_refresh`), and the layouts asked for by the sizes this layout gave
        are dropped: it gave them. Not when a scrollbar came or went: what it scrolls
        must be laid out again, narrower or wider.
        """
        widgets = self._compositor.widgets
        asked = {widget for widget in widgets if widget._layout_required}
        bars = {widget: widget.scrollbars_enabled for widget in widgets}
        super()._refresh_layout(size, scroll)
        if any(widget.scrollbars_enabled != bars.get(widget) for widget in bars):
            return
        for widget in self._compositor.widgets:
            if widget._layout_required and widget not in asked:
                widget._layout_required = False

    def _compositor_refresh(self) -> None:
        """(Textual's, private) Draw, with every widget on screen that asked to be drawn
        again: one asking during a layout was otherwise drawn a frame after it. One out
        of sight (scrolled off) is drawn when it comes into sight, as ever; asking, it
        drew an empty frame after this one. Nothing while frames are held (it would be
        thrown away): the release draws the whole screen."""
        if self.host.holding_frames:
            return
        if self._whole_next and self is self.app.screen:
            self._whole_next = False
            self._compositor.update_widgets({self})  # (the terminal shows another screen)
        if self is self.app.screen:
            compositor = self._compositor
            shown = compositor.visible_widgets.keys()  # (with the scrollbars)
            waiting = {w for w in compositor.widgets | shown if w._repaint_required}
            if waiting:
                for widget in waiting:
                    widget._repaint_required = False
                compositor.update_widgets(waiting & shown)
        super()._compositor_refresh()
        self._painted = self._painted or self is self.app.screen
        if self._after_frame is not None and self is self.app.screen:
            self._run_after_frame()

    _reload_pending = False

    def reload(self) -> None:
        """Read what the screen shows and draw it; nothing by default."""

    _painted = False
    """A frame of this screen has been drawn."""
    _whole_next = False

    def lay_out(self) -> None:
        """Lay the screen out now (its widgets are told their sizes), with the sizes its
        widgets asked for since the last: Textual reads those as each widget goes idle,
        after this (a risk list's head, grown a line, was drawn a line short)."""
        for widget in self.walk_children(Widget):
            if widget._layout_required:  # (Textual's, private: pinned in pyproject.toml)
                widget._check_refresh()
        self._refresh_layout(self.app.size)

    def show_held(self) -> None:
        """Frames held for this screen go: lay out what it drew meanwhile and draw it whole,
        in one frame."""
        self._whole_next = True
        self.lay_out()

    _showing = False
    """Resumed and not suspended since."""

    def on_screen_resume(self) -> None:
        # (after the screen's own handler, which has read what it shows: Textual calls each
        # class's, the screen's first; a list that opened a meeting on top is not shown)
        self._showing = True
        if self is shown_screen(self.app.screen_stack):
            self.call_later(self.host.release_frames)  # (after what the screen asked for)

    def on_screen_suspend(self) -> None:
        self._showing = False

    def read_as_shown(self) -> None:
        """Shown (resumed): read what the screen shows, for its first frame (a switch of
        screens holds frames until then; a sprint opened showed "No sprint." for a frame,
        and a screen shown again its look from before a teammate's change). A screen's
        first showing is resumed twice (Textual sends two): the second, coming before any
        suspend, reads nothing. Shown again as a dialog closes, it reads after the frame,
        as ever."""
        if self._showing:
            return
        if self._painted and not self.host.holding_frames:
            self.reload_soon()
            return
        if not self._painted and self.host.holding_frames:
            self.call_later(self.reload)  # (once laid out: what is drawn fits its sizes)
        else:
            self.reload()

    def reload_soon(self) -> None:
        """`reload` once after the next frame, however many ask meanwhile (a burst of
        changes arrives one by one)."""
        if not self._reload_pending:
            self._reload_pending = True
            self.call_after_refresh(self._reload_now)

    def _reload_now(self) -> None:
        self._reload_pending = False
        self.reload()

    def workspace_changed(self, kinds: frozenset[str]) -> None:
        """Records of these kinds changed elsewhere; a screen showing them redraws."""

    def export_choices(self) -> list[ExportChoice]:
        """This screen's own exports, offered first; none by default."""
        return []

    @property
    def presence_place(self) -> str | None:
        """Where this terminal is for the others' "here now"; None: its mode's name."""
        return None

    def leave_gone(self) -> None:
        """The meeting this screen shows no longer exists (a teammate rebuilt the demo, or
        deleted it): back to the list it was opened from."""
        if self.is_current and len(self.app.screen_stack) > 1:
            self.dismiss()

    def go_again(self) -> None:
        """The key of the screen already shown was pressed again; nothing by default."""


def shown_screen(stack: list[Screen[Any]]) -> PlannerScreen[Any] | None:
    """The screen on top of `stack`, or under the dialogs on top of it (a card typed with
    the key that showed its board: the dialog is on top before the board is resumed)."""
    return next((s for s in reversed(stack) if isinstance(s, PlannerScreen)), None)


class Reading(Protocol):
    """A screen's read (`LatestRead`): in a worker when called, or `now` on the UI thread."""

    def __call__(self) -> None: ...

    def now(self) -> bool: ...


class MeetingScreen(PlannerScreen[None]):
    """A running or ended meeting, opened on top of its list (`MODE`'s screen): a poker
    table, a retro board. Its key pressed elsewhere leads back to what the mode last
    showed; an ended meeting then steps aside for the one running now."""

    MODE = ""
    session_id: int
    load: Reading
    """Read the meeting again and draw it."""

    def running_now(self) -> list[int]:
        """The ids of the meetings of this kind running now, read now."""
        return []

    def on_screen_resume(self) -> None:
        """Shown (again): led here by the mode's key pressed elsewhere, as `go_again`."""
        if self.host.take_arrival(self.MODE):
            self.go_again()
        else:
            self.read_shown()

    def read_shown(self) -> None:
        """The meeting read and drawn as it is shown, on the UI thread: read in a worker, a
        frame of an empty table or board came first (two at a poker table), or of the
        meeting as it was before a teammate's move. Shown again as a dialog closes, it is
        read in the worker, as ever."""
        if self._painted and not self.host.holding_frames:
            self.load()
        elif not self.load.now():
            self.load()  # (which says what went wrong)

    def go_again(self) -> None:
        """The mode's key pressed (again): from an ended meeting to the one running now, back
        through the list, which opens it; else read this one again."""
        from planner_tui.services.errors import USER_ERRORS

        if len(self.app.screen_stack) > 1:
            try:
                running = self.running_now()
            except USER_ERRORS:
                running = []
            if running and self.session_id not in running:
                self.host.arrive(self.MODE)
                self.dismiss()
                return
        self.read_shown()
