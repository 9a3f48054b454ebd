"""Saving a screen's moves one after another, in key order, off the UI thread."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

from planner_tui.screens.base import PlannerScreen
from planner_tui.screens.latest_read import LatestRead

T = TypeVar("T")

Done = str | Callable[[T], str]
"""What to say when a move is saved: a message, or a function of the move's result."""

Drawn = Callable[[T], object]
"""Draws a saved move from what it returned."""


class MoveQueue:
    """A screen's moves, saved by one worker in the order the keys were pressed.

    The file may be busy, so moves run in a thread; two quick moves (a 5, then
    an 8) must end with the 8, so one worker runs them in turn rather than a
    thread each racing for the file. After the queue empties, `after` runs on
    the UI thread (usually: read the screen's data again); what the moves have to say
    is said then. A `LatestRead` reads in the worker, after the moves, and the UI thread
    shows what it read, with what the moves say.
    """

    def __init__(
        self,
        screen: PlannerScreen[Any],
        group: str,
        after: Callable[[], None] | LatestRead[Any],
        *,
        settled: Callable[[], None] | None = None,
    ) -> None:
        self._screen = screen
        self._group = group
        self._after = after
        self._settled = settled
        """Called once the moves are saved and shown and none is waiting: a screen that
        drew a move before it was saved lets go of what it drew (a refused move's too)."""
        self._moves: deque[
            tuple[Callable[[], Any], Done[Any], Drawn[Any] | None, Callable[[Any], bool] | None]
        ] = deque()
        self._lock = threading.Lock()
        self._draining = False

    def __call__(
        self,
        work: Callable[[], T],
        done: Done[T],
        *,
        after_frame: bool = False,
        drawn: Drawn[T] | None = None,
        at_once: bool = False,
        unchanged: Callable[[T], bool] | None = None,
    ) -> None:
        """Queue `work`; say `done` (if not empty) once it is saved, or the error if it fails.

        `after_frame`: the screen has drawn the move already (a vote); the save starts
        once that is on the terminal, so its thread does not hold the frame back (two
        threads share one interpreter: the save and the read after it doubled the frame's
        time). Moves still save in the order they were made.

        `drawn`: what `work` returns is all the screen needs to show the move (a reveal
        returns the turned cards): `drawn` gets it on the UI thread as soon as the moves
        are saved, and the screen's read follows after that frame, not before it (a poker
        table's read held a reveal's frame 2 ms).

        `at_once` (with `drawn`): when no move is waiting and neither the file nor this
        process's connection is taken this instant, `work` is saved here, on the UI thread,
        and drawn in the key's frame (a reveal: the hop to a worker and back cost 1.2 ms of
        its 9). Whatever is in its way, it is saved in the worker instead, as ever: the UI
        never waits for a writer. `work` must be safe to run again (`Session.at_once`).

        `unchanged(result)`: the move found nothing to change (joining a retro already
        joined): when every move saved together says so, the screen is not read again (a
        20,000-card board opening read itself twice, once for the join)."""
        if at_once and drawn is not None and self._saved_here(work, done, drawn):
            return
        with self._lock:
            self._moves.append((work, done, drawn, unchanged))
            start = not self._draining
            self._draining = True
        if start and after_frame and self._screen.is_mounted:
            self._screen.after_frame(self._start)
        elif start:
            self._start()

    def _saved_here(self, work: Callable[[], T], done: Done[T], drawn: Drawn[T]) -> bool:
        """Save, draw and say `work` now if nothing is in its way; False if something is
        (it must be queued)."""
        from planner_tui.services.context import WouldWait
        from planner_tui.services.errors import USER_ERRORS, friendly

        with self._lock:
            if self._draining or not self._screen.is_mounted:
                return False
        try:
            with self._screen.session.at_once():
                result = work()
        except WouldWait:
            return False
        except USER_ERRORS as error:
            self._draw_then_read([(friendly(error), True)], [])
            return True
        said = done(result) if callable(done) else done
        self._draw_then_read([(said, False)] if said else [], [(drawn, result)])
        return True

    def _start(self) -> None:
        self._screen.run_worker(self._drain, thread=True, group=self._group)

    def _drain(self) -> None:
        from planner_tui.services.errors import USER_ERRORS, friendly

        app = self._screen.app
        notes: list[tuple[str, bool]] = []
        results: list[tuple[Drawn[Any], Any]] = []
        changed = False
        while True:
            with self._lock:
                if not self._moves:
                    self._draining = False
                    break
                work, done, drawn, unchanged = self._moves.popleft()
            try:
                result = work()
            except USER_ERRORS as error:
                notes.append((friendly(error), True))
                changed = True  # (the read after says how things stand)
            else:
                changed = changed or unchanged is None or not unchanged(result)
                said = done(result) if callable(done) else done
                if said:
                    notes.append((said, False))
                if drawn is not None:
                    results.append((drawn, result))
        if results:
            app.call_from_thread(self._draw_then_read, notes, results)
            return
        if not changed:
            app.call_from_thread(self._say, notes)
            return
        # The screen's data read here, after the moves, while the UI thread waits for nothing.
        after = self._after
        read = after.read_here() if isinstance(after, LatestRead) else None
        app.call_from_thread(self._finish, notes, read)

    def _say(self, notes: list[tuple[str, bool]]) -> None:
        if self._settled is not None and not self._draining:
            self._settled()
        for note, failed in notes:
            if failed:
                self._screen.notify(note, severity="warning")
            else:
                self._screen.notify(note, timeout=3)

    def _draw_then_read(
        self, notes: list[tuple[str, bool]], results: list[tuple[Drawn[Any], Any]]
    ) -> None:
        for draw, result in results:
            draw(result)
        after = self._after
        if isinstance(after, LatestRead):
            after.then(partial(self._say, notes))
            self._screen.after_frame(after)
        else:
            after()
            self._say(notes)

    def _finish(
        self, notes: list[tuple[str, bool]], read: tuple[int, Any] | None
    ) -> Awaitable[None] | None:
        say = partial(self._say, notes)
        after = self._after
        if read is not None and isinstance(after, LatestRead):
            # (what the moves say comes with the board that shows them, in the same frame)
            shown = after.show_read(*read)
            if shown is None:
                say()
                return None
            return self._say_after(shown, say)
        if isinstance(after, LatestRead):
            after.then(say)
            after()  # (the read after the moves failed: the worker's read says why)
        else:
            after()
            say()
        return None

    @staticmethod
    async def _say_after(shown: Awaitable[None], say: Callable[[], None]) -> None:
        await shown
        say()
