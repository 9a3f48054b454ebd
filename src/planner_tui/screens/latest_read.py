"""A screen's data read in a worker thread, where a slower, older read never wins."""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

from planner_tui.screens.base import PlannerScreen

T = TypeVar("T")

QUICK_READ_SECONDS = 0.016
"""A list whose last read took less than this is read again within the key that asks for it
(a filter or find keystroke), so it is drawn in the key's own frame; a slower read (a text
search of 100,000 items) waits, and the typed character shows first. Drawn a frame later,
a list shows two frame periods, ~30 ms, after its key: so a read shorter than one frame
period (16 ms) is quicker done at once (at 10,000 items a find read 7 ms and was drawn
27 ms after its key when it waited)."""


class LatestRead(Generic[T]):
    """Read with `read` off the UI thread, then `show` the result, unless newer is shown.

    Reads run in threads and could finish in any order: a read started for a
    teammate's vote could land after the one started for our own accept and put
    the old item back on screen. Each read sees the file at one moment (one read
    transaction) and is numbered in the order those moments came; a result older
    than the one on screen is dropped.
    """

    def __init__(
        self,
        screen: PlannerScreen[Any],
        group: str,
        read: Callable[[], T],
        show: Callable[[T], object],
        *,
        shape: Callable[[], Hashable] = lambda: None,
        gone: Callable[[], object] | None = None,
    ) -> None:
        self._screen = screen
        self._gone = gone
        """Called (after the toast) when a read finds that what it reads no longer exists."""
        self._shape = shape
        """What the next read's time depends on (a find with text or without): at 100,000
        items an empty find read in 2 ms and "e" in 75, so one's time said nothing of the
        other's, and the alternation read "e" on the UI thread."""
        self._group = group
        self._read = read
        self._show = show
        self._started = 0
        """Reads started (the last one's number)."""
        self._shown = 0
        self._then: list[tuple[int, Callable[[], object]]] = []
        self._took: dict[Hashable, float] = {}
        """How long the last read of each shape took (until the first: not known)."""
        self._running = False
        self._again = False

    def then(self, callback: Callable[[], object]) -> None:
        """Run `callback` once a read started from now on is shown (or fails): a move's
        "saved" toast comes with the board that shows the move, in the same frame. A toast
        drawn on its own held the board back two frame periods (~30 ms)."""
        self._then.append((self._started + 1, callback))

    def now_if_quick(self, under: float) -> bool:
        """Read and show at once, on the UI thread, when no read is running and the last one
        took less than `under` seconds; else say False (and read nothing). A find whose
        list reads in a millisecond then draws with its key, not two frames after it."""
        if self._running or self._took.get(self._shape(), float("inf")) >= under:
            return False
        return self.now()

    def now(self) -> bool:
        """Read and show at once, on the UI thread (a screen opening draws its list with
        the key that opened it, and keys typed after it find the list there); False if
        the read failed (the worker's read will say why)."""
        from planner_tui.services.errors import USER_ERRORS

        try:
            seen, result = self._numbered_read()
        except USER_ERRORS:
            return False  # the worker's read says what is wrong
        shown = self._show_if_newer(seen, result)
        if shown is not None:
            self._screen.call_later(lambda: shown)
        return True

    def read_here(self) -> tuple[int, T] | None:
        """Read in the calling thread and give the result with its number, for `show_read`
        on the UI thread; None if the read failed (a later read says why). A worker that
        has just saved a move reads here, after its write: read on the UI thread, with the
        worker still winding down beside it, a reveal's read took twice as long (the two
        threads took turns on the interpreter)."""
        from planner_tui.services.errors import USER_ERRORS

        try:
            return self._numbered_read()
        except USER_ERRORS:
            return None

    def _numbered_read(self) -> tuple[int, T]:
        """Read, numbered in the order reads see the file (they are taken one at a time),
        and note how long it took for its shape."""
        with self._screen.session.reading():
            self._started += 1
            seen = self._started
            started, shape = time.perf_counter(), self._shape()
            result = self._read()
            self._took[shape] = time.perf_counter() - started
        return seen, result

    def show_read(self, seen: int, result: T) -> Awaitable[None] | None:
        """Show what `read_here` read (on the UI thread), unless newer is shown."""
        return self._show_if_newer(seen, result)

    def __call__(self) -> None:
        """Read again now (in a worker); while one runs, once more after it, however
        many ask meanwhile (a burst of keys or changes costs two reads, not one each)."""
        if self._running:
            self._again = True
            return
        self._running = True
        self._screen.run_worker(self._in_thread, thread=True, group=self._group)

    def _in_thread(self) -> None:
        from planner_tui.domain.errors import NotFound
        from planner_tui.services.errors import USER_ERRORS, friendly

        app = self._screen.app
        try:
            seen, result = self._numbered_read()
        except USER_ERRORS as error:
            app.call_from_thread(self._screen.notify, friendly(error), severity="error")
            app.call_from_thread(self._failed)
            if self._gone is not None and isinstance(error, NotFound):
                app.call_from_thread(self._gone)
            return
        except BaseException:
            app.call_from_thread(self._failed)  # (the app then shows its crash report)
            raise
        app.call_from_thread(self._read_in_thread, seen, result)

    def _failed(self) -> None:
        self._done()
        self._run_then(self._started)

    def _read_in_thread(self, seen: int, result: T) -> Awaitable[None] | None:
        self._done()
        return self._show_if_newer(seen, result)

    def _show_if_newer(self, seen: int, result: T) -> Awaitable[None] | None:
        if seen < self._shown:
            return None
        self._shown = seen
        shown = self._show(result)
        if inspect.isawaitable(shown):  # (drawing a retro board awaits its columns' mounting)
            return self._shown_then(shown, seen)
        self._run_then(seen)
        return None

    async def _shown_then(self, shown: Awaitable[object], seen: int) -> None:
        await shown
        self._run_then(seen)

    def _run_then(self, seen: int) -> None:
        due = [callback for after, callback in self._then if after <= seen]
        self._then = [(after, callback) for after, callback in self._then if after > seen]
        for callback in due:
            callback()

    def _done(self) -> None:
        """A read ended (on the UI thread): start the one asked for meanwhile, if any."""
        self._running = False
        if self._again:
            self._again = False
            self()
