"""Being told when the workspace file changes, instead of asking five times a second.

In WAL mode every commit, from any process, writes `WORKSPACE-wal`; a checkpoint
writes the workspace itself. On Linux the kernel reports both through inotify, so
a watcher can sleep until something was written and wake within a millisecond of
it. Reads never write either file (they use the mmapped `-shm`), so watching
costs nothing while nobody writes.

Where inotify is missing (another OS, the per-user watch limit reached) `open`
returns None and the caller polls instead. Writes from another machine on a
network file system are not reported; the caller's periodic look still sees them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import struct
from pathlib import Path

IN_MODIFY = 0x00000002
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_Q_OVERFLOW = 0x00004000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
_EVENT = struct.Struct("iIII")
"""struct inotify_event: wd, mask, cookie, len; then `len` bytes of name."""


class FileWatch:
    """Tells when the workspace (or its WAL) in one folder was written."""

    def __init__(self, fd: int, names: frozenset[bytes]) -> None:
        self._fd = fd
        self._names = names

    @classmethod
    def open(cls, workspace: Path) -> FileWatch | None:
        """A watch on `workspace`'s folder, or None where the kernel offers none."""
        try:
            libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
            init = libc.inotify_init1
            add = libc.inotify_add_watch
        except (OSError, AttributeError):
            return None
        fd = init(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            return None
        folder = os.fsencode(workspace.parent.resolve())
        mask = IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE
        if add(fd, folder, mask) < 0:
            os.close(fd)
            return None
        base = os.fsencode(workspace.name)
        return cls(fd, frozenset({base, base + b"-wal"}))

    def wait(self, timeout: float) -> bool:
        """Sleep until the workspace was written (True) or `timeout` seconds passed (False)."""
        try:
            ready, _, _ = select.select([self._fd], [], [], timeout)
        except (OSError, ValueError):
            return False
        if not ready:
            return False
        return self._drain()

    def _drain(self) -> bool:
        """Read the pending events; whether any was about the workspace's files."""
        written = False
        while True:
            try:
                data = os.read(self._fd, 64 * 1024)
            except BlockingIOError:
                return written
            except OSError:
                return True  # cannot tell: look at the file
            offset = 0
            while offset + _EVENT.size <= len(data):
                _, mask, _, length = _EVENT.unpack_from(data, offset)
                start = offset + _EVENT.size
                name = data[start : start + length].rstrip(b"\0")
                written = written or name in self._names or bool(mask & IN_Q_OVERFLOW)
                offset = start + length

    def close(self) -> None:
        """Stop watching."""
        with contextlib.suppress(OSError):
            os.close(self._fd)
