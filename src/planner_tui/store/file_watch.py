"""Being told when the workspace file changes, instead of asking five times a second.

In WAL mode every commit, from any process, writes `WORKSPACE-wal`; a checkpoint
writes the workspace itself. On Linux the kernel reports both through inotify, so
a watcher can sleep until something was written and wake within a millisecond of
it. Reads never write either file (they use the mmapped `-shm`), so watching
costs nothing while nobody writes.

Where inotify is missing (another OS, the per-user watch limit reached) `open`
returns None and the caller polls instead. Writes from another machine on a
network file system are not reported; the caller's periodic look still sees them.

A teammate's process that ends writes nothing (its lock in `store.liveness` just
goes), so the same sleep also wakes when a process it `follow`s ends: the kernel
makes a process descriptor (pidfd) readable the moment its process is gone, as it
drops the process's locks. No look every second is needed to notice a `kill -9`.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import select
import struct
import threading
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple

IN_MODIFY = 0x00000002
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_Q_OVERFLOW = 0x00004000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
_EVENT = struct.Struct("iIII")
"""struct inotify_event: wd, mask, cookie, len; then `len` bytes of name."""


class Woke(NamedTuple):
    """Why `FileWatch.wait` returned."""

    written: bool
    """The workspace or its log was written."""
    look: bool
    """A followed process ended, or `poke` asked for a look."""


class FileWatch:
    """Tells when the workspace (or its WAL) in one folder was written, or a process ended."""

    def __init__(self, fd: int, names: frozenset[bytes], wake_fd: int | None) -> None:
        self._fd = fd
        self._names = names
        self._wake_fd = wake_fd
        self._closing = threading.Lock()
        """`poke` comes from other threads: it must never write to a descriptor closed
        (and perhaps reused) by `close`."""
        self._exits: dict[int, int] = {}
        """pid → its process descriptor, readable once the process ends."""
        self._ended: set[int] = set()
        """Processes seen to end: never followed again (a lock still held after its
        process ended — a forked child keeps it — would wake the watch at once forever)."""

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
        try:
            wake_fd: int | None = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        except (OSError, AttributeError):
            wake_fd = None  # `poke` then wakes nobody; the watch's timeout still ends its sleep
        return cls(fd, frozenset({base, base + b"-wal"}), wake_fd)

    def follow(self, pids: Collection[int]) -> bool:
        """Wake also when any of `pids` ends (and no longer for those left out).

        Returns whether every one is followed: False for a process that ended
        already, or where the kernel gives no process descriptors (before Linux 5.3);
        the caller then looks for itself.
        """
        for pid in [pid for pid in self._exits if pid not in pids]:
            os.close(self._exits.pop(pid))
        self._ended &= set(pids)
        every = True
        for pid in pids:
            if pid in self._exits:
                continue
            if pid in self._ended:
                every = False
                continue
            try:
                self._exits[pid] = os.pidfd_open(pid)
            except (OSError, AttributeError):
                every = False
        return every

    def poke(self) -> None:
        """From any thread: end the current (or next) `wait` with a look."""
        with self._closing:
            if self._wake_fd is not None:
                with contextlib.suppress(OSError):
                    os.eventfd_write(self._wake_fd, 1)

    def wait(self, timeout: float) -> Woke:
        """Sleep until the workspace was written, a followed process ended, `poke` was
        called, or `timeout` seconds passed (a Woke of two Falses)."""
        poll = select.poll()
        wake = self._wake_fd
        watched = [self._fd, *self._exits.values()]
        if wake is not None:
            watched.append(wake)
        for fd in watched:
            poll.register(fd, select.POLLIN)
        try:
            ready = {fd for fd, _ in poll.poll(max(0, math.ceil(timeout * 1000)))}
        except (OSError, ValueError):
            return Woke(False, False)
        ended = [pid for pid, fd in self._exits.items() if fd in ready]
        for pid in ended:
            os.close(self._exits.pop(pid))
            self._ended.add(pid)
        poked = wake is not None and wake in ready
        if wake is not None and poked:
            with contextlib.suppress(OSError):
                os.eventfd_read(wake)
        return Woke(self._fd in ready and self._drain(), bool(ended) or poked)

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
        with self._closing:
            for fd in [self._fd, *self._exits.values(), self._wake_fd]:
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._exits.clear()
            self._wake_fd = None
