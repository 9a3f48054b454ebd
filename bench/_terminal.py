"""Run a command in a pseudo-terminal, type into it, and time how long until a text appears."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from typing import Any


class Terminal:
    """A command running in a fresh pty of `cols` x `rows`, read as it writes."""

    def __init__(
        self, argv: list[str], *, cols: int = 120, rows: int = 40, mirror: bool = False
    ) -> None:
        self.argv = argv
        self.mirror: Mirror | None = Mirror(cols, rows) if mirror else None
        """What the terminal shows, kept up as the command writes (with `mirror`)."""
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            os.environ["TERM"] = "xterm-256color"
            os.environ["COLUMNS"], os.environ["LINES"] = str(cols), str(rows)
            os.execvp(argv[0], argv)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.seen = b""

    def _take(self) -> None:
        """Read what the command wrote (raises OSError once it has gone)."""
        data = os.read(self.fd, 65536)
        self.seen += data
        if self.mirror is not None:
            self.mirror.feed(data)

    def send(self, keys: bytes) -> None:
        """Type `keys`."""
        os.write(self.fd, keys)

    def forget(self) -> None:
        """Drop what was read so far, so the next wait looks only at new output."""
        self.drain()
        self.seen = b""

    def drain(self) -> None:
        """Read whatever is waiting, without blocking."""
        while select.select([self.fd], [], [], 0)[0]:
            try:
                self._take()
            except OSError:
                return

    def wait_for(self, marker: bytes, timeout: float = 30.0) -> float:
        """perf_counter() at the moment `marker` has been written (since the last `forget`)."""
        deadline = time.perf_counter() + timeout
        while marker not in self.seen:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(
                    f"{marker!r} never appeared from {self.argv}; last output {self.seen[-300:]!r}"
                )
            if not select.select([self.fd], [], [], remaining)[0]:
                continue
            try:
                self._take()
            except OSError:
                raise TimeoutError(
                    f"{self.argv} exited before {marker!r}; output {self.seen[-300:]!r}"
                ) from None
        return time.perf_counter()

    def close(self) -> None:
        """Kill the command and close the pty."""
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def time_to_text(
    argv: list[str], marker: bytes, *, cols: int = 120, rows: int = 40, timeout: float = 30.0
) -> float:
    """Seconds from starting `argv` in a fresh pty until `marker` is written to it.

    The process is killed afterwards. Raises TimeoutError if the marker never shows.
    """
    terminal = Terminal(argv, cols=cols, rows=rows)
    try:
        return terminal.wait_for(marker, timeout) - terminal.started
    finally:
        terminal.close()


Run = tuple[str, dict[str, object]]
"""Text and its style (rich `Style` keyword arguments)."""


class Mirror:
    """The screen a terminal shows, with its colours and attributes (pyte keeps it)."""

    def __init__(self, cols: int, rows: int) -> None:
        import pyte

        self.screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self.screen)
        self._unread = bytearray()

    def feed(self, data: bytes) -> None:
        """Keep what was written, to be read when asked (not while a key is being timed)."""
        self._unread += data

    def rows(self) -> list[list[Run]]:
        """Each line as it shows now: runs of text that share a style."""
        self._stream.feed(bytes(self._unread))
        self._unread.clear()
        return [self._row(self.screen.buffer[y]) for y in range(self.screen.lines)]

    def _row(self, line: Any) -> list[Run]:
        runs: list[Run] = []
        for x in range(self.screen.columns):
            char = line[x]
            if char.data == "":  # (the second cell of a wide character)
                continue
            style = {
                "color": _colour(char.fg),
                "bgcolor": _colour(char.bg),
                "bold": char.bold or None,
                "italic": char.italics or None,
                "underline": char.underscore or None,
                "strike": char.strikethrough or None,
                "reverse": char.reverse or None,
            }
            style = {key: value for key, value in style.items() if value is not None}
            if runs and runs[-1][1] == style:
                runs[-1] = (runs[-1][0] + char.data, style)
            else:
                runs.append((char.data, style))
        return runs


def _colour(name: str) -> str | None:
    """A pyte colour as rich names it: None for the default, else a name or #rrggbb."""
    if name == "default":
        return None
    if len(name) == 6 and all(c in "0123456789abcdef" for c in name):
        return f"#{name}"
    name = name.replace("brown", "yellow")
    return f"bright_{name[6:]}" if name.startswith("bright") else name


SYNC_QUERY = b"\x1b[?2026$p"
SYNC_END = b"\x1b[?2026l"


class FramedTerminal(Terminal):
    """A Textual app in a pty that says it has synchronized output, so the app brackets
    every frame it draws (its end is `SYNC_END`): a key can be timed to its frames."""

    def start(self, timeout: float = 30.0) -> None:
        """Answer the app's question about synchronized output; wait for its first frame
        and then for quiet (its data drawn)."""
        self.wait_for(SYNC_QUERY, timeout)
        self.send(b"\x1b[?2026;2$y")  # mode 2026: reset, and supported
        try:
            self.wait_for(SYNC_END, 3.0)
        except TimeoutError:  # it drew its only frame before it read the answer: a key
            self.send(b"a")  # makes a keyed yardstick draw another (planner draws anyway)
            self.wait_for(SYNC_END, timeout)
        self.quiet(0.5)

    def quiet(self, gap: float = 0.15, timeout: float = 30.0) -> None:
        """Read until nothing has been written for `gap` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not select.select([self.fd], [], [], gap)[0]:
                return
            try:
                self._take()
            except OSError:
                return

    def key_frames(self, keys: bytes, gap: float = 0.15) -> tuple[float, float]:
        """Type `keys`; milliseconds to the end of the first frame drawn after them, and to
        the end of the last before the app went quiet for `gap` seconds (settled)."""
        self.forget()
        started = time.perf_counter()
        self.send(keys)
        first = self.wait_for(SYNC_END)
        last, seen = first, len(self.seen)
        while select.select([self.fd], [], [], gap)[0]:
            try:
                self._take()
            except OSError:
                break
            if self.seen.rfind(SYNC_END) >= seen - len(SYNC_END):
                last, seen = time.perf_counter(), len(self.seen)
        return (first - started) * 1000, (last - started) * 1000
