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


class Terminal:
    """A command running in a fresh pty of `cols` x `rows`, read as it writes."""

    def __init__(self, argv: list[str], *, cols: int = 120, rows: int = 40) -> None:
        self.argv = argv
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            os.environ["TERM"] = "xterm-256color"
            os.environ["COLUMNS"], os.environ["LINES"] = str(cols), str(rows)
            os.execvp(argv[0], argv)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.seen = b""

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
                self.seen += os.read(self.fd, 65536)
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
                self.seen += os.read(self.fd, 65536)
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
