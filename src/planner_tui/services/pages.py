"""A long list read a page at a time as it is drawn: a queue of 5,000 items or a retro
column of 20,000 cards costs the screen what the rows on it cost."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

PAGE = 100
"""Rows read with a screen's first read, and per page after."""

KEPT_PAGES = 8
"""Pages kept read (a few screens' worth): scrolling through 100,000 rows keeps 800."""


class Pages(Generic[T]):
    """Rows `first` (read with the rest of the screen) and, past them, pages of `PAGE`
    read by `read(offset, limit)` when first asked for (on the UI thread: one indexed
    read). A page read after a teammate's change may not match the count the screen
    has: a row not there is None until the next read. An error a user can cause (the
    file went away) reads as an empty page; the screen's next read reports it."""

    def __init__(self, read: Callable[[int, int], Sequence[T]], first: Sequence[T] = ()) -> None:
        self._read = read
        self._first = first
        self._pages: dict[int, Sequence[T]] = {}

    @property
    def first(self) -> Sequence[T]:
        """The rows read with the screen's first read."""
        return self._first

    def at(self, index: int) -> T | None:
        """The `index`th row, or None."""
        if index < len(self._first):
            return self._first[index]
        number, within = divmod(index - len(self._first), PAGE)
        page = self._pages.get(number)
        if page is None:
            from planner_tui.services.errors import USER_ERRORS

            if len(self._pages) >= KEPT_PAGES:  # scrolled far: the rest are read again
                self._pages.clear()

            try:
                page = self._read(len(self._first) + number * PAGE, PAGE)
            except USER_ERRORS:
                page = ()
            self._pages[number] = page
        return page[within] if within < len(page) else None

    def read_so_far(self) -> Iterator[T]:
        """Every row read, first ones first."""
        yield from self._first
        for page in self._pages.values():
            yield from page
