"""A screen's data read in a worker thread, where a slower, older read never wins."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from planner_tui.screens.base import PlannerScreen

T = TypeVar("T")


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
    ) -> None:
        self._screen = screen
        self._group = group
        self._read = read
        self._show = show
        self._order = itertools.count(1)
        self._shown = 0
        self._running = False
        self._again = False

    def __call__(self) -> None:
        """Read again now (in a worker); while one runs, once more after it, however
        many ask meanwhile (a burst of keys or changes costs two reads, not one each)."""
        if self._running:
            self._again = True
            return
        self._running = True
        self._screen.run_worker(self._in_thread, thread=True, group=self._group)

    def _in_thread(self) -> None:
        from planner_tui.services.errors import USER_ERRORS, friendly

        app = self._screen.app
        try:
            with self._screen.session.reading():  # reads are taken one at a time: numbered in order
                seen = next(self._order)
                result = self._read()
        except USER_ERRORS as error:
            app.call_from_thread(self._screen.notify, friendly(error), severity="error")
            app.call_from_thread(self._done)
            return
        except BaseException:
            app.call_from_thread(self._done)  # (the app then shows its crash report)
            raise
        app.call_from_thread(self._show_if_newer, seen, result)

    def _show_if_newer(self, seen: int, result: T) -> object:
        self._done()
        if seen < self._shown:
            return None
        self._shown = seen
        return self._show(result)

    def _done(self) -> None:
        """A read ended (on the UI thread): start the one asked for meanwhile, if any."""
        self._running = False
        if self._again:
            self._again = False
            self()
