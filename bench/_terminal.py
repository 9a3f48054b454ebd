"""Run a command in a pseudo-terminal and time how long until a text appears on it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time


def time_to_text(
    argv: list[str], marker: bytes, *, cols: int = 120, rows: int = 40, timeout: float = 30.0
) -> float:
    """Seconds from starting `argv` in a fresh pty until `marker` is written to it.

    The process is killed afterwards. Raises TimeoutError if the marker never shows.
    """
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ["TERM"] = "xterm-256color"
        os.environ["COLUMNS"], os.environ["LINES"] = str(cols), str(rows)
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    seen = b""
    try:
        while True:
            remaining = timeout - (time.perf_counter() - started)
            if remaining <= 0:
                raise TimeoutError(
                    f"{marker!r} never appeared from {argv}; last output {seen[-300:]!r}"
                )
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                raise TimeoutError(
                    f"{argv} exited before {marker!r}; output {seen[-300:]!r}"
                ) from None
            seen += chunk
            if marker in seen:
                return time.perf_counter() - started
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
