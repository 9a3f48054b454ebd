"""Which processes on this machine have the workspace open: a lock each one holds.

Next to `team.db` is `team.db-here`. Each running `planner` holds an advisory
write lock on one byte of it, at an offset made of its process id and the person
it acts as. The kernel drops the lock the instant the process ends — a quit, a
`kill -9`, a dropped SSH connection alike — so the others know at once who is
still here, without anyone having to write or wait for a heartbeat to go stale.

The locks are Linux open-file-description locks (`F_OFD_*`): they belong to the
open file, not the process, so they are not lost when some other part of the
process closes the file, and two workspaces opened in one process (as tests do)
see each other's locks. Nothing is ever written to the file. Where these locks
are not available (another OS, a file system without locks), `is_alive` answers
None and presence falls back to how recently a process said it was here.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import stat
from pathlib import Path

SUFFIX = "-here"
"""The lock file's name is the workspace's with this after it."""

_PERSON_BITS = 32


class _Flock(ctypes.Structure):
    """`struct flock` as the C library lays it out (64-bit offsets)."""

    _fields_ = (
        ("l_type", ctypes.c_short),
        ("l_whence", ctypes.c_short),
        ("l_start", ctypes.c_int64),
        ("l_len", ctypes.c_int64),
        ("l_pid", ctypes.c_int32),
    )


_SET = getattr(fcntl, "F_OFD_SETLK", None)
_GET = getattr(fcntl, "F_OFD_GETLK", None)


def _offset(pid: int, person_id: int) -> int:
    return (pid << _PERSON_BITS) | (person_id & ((1 << _PERSON_BITS) - 1))


def _request(kind: int, offset: int) -> bytes:
    return bytes(_Flock(l_type=kind, l_whence=os.SEEK_SET, l_start=offset, l_len=1, l_pid=0))


class Liveness:
    """The lock file of one workspace, as this process uses it."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd
        self._held: set[int] = set()

    @classmethod
    def open(cls, workspace: Path, *, writable: bool) -> Liveness:
        """Open (a writer: creating) the lock file next to `workspace`; never raises.

        A new lock file takes the workspace's mode and owner, as SQLite's journal
        files do, so every teammate who can open the workspace can open it too.
        """
        if _SET is None:
            return cls(None)
        path = Path(f"{workspace}{SUFFIX}")
        flags = os.O_RDWR if writable else os.O_RDONLY
        try:
            return cls(os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC))
        except FileNotFoundError:
            if not writable:
                return cls(None)
        except OSError:
            return cls(None)
        return cls(_create(path, workspace))

    @property
    def usable(self) -> bool:
        """Whether this process can tell who is alive from the locks."""
        return self._fd is not None

    def hold(self, pid: int, person_id: int) -> bool:
        """Hold the lock that says `person_id` is here in process `pid` (this one)."""
        offset = _offset(pid, person_id)
        if self._fd is None or _SET is None:
            return False
        if offset in self._held:
            return True
        try:
            fcntl.fcntl(self._fd, _SET, _request(fcntl.F_WRLCK, offset))
        except OSError as error:
            # Busy: another workspace of this process holds it already.
            return error.errno in (errno.EAGAIN, errno.EACCES)
        self._held.add(offset)
        return True

    def is_alive(self, pid: int, person_id: int) -> bool | None:
        """Whether a process holds the lock of (`pid`, `person_id`); None if we cannot tell."""
        if self._fd is None or _GET is None:
            return None
        offset = _offset(pid, person_id)
        if offset in self._held:
            return True
        try:
            answer = fcntl.fcntl(self._fd, _GET, _request(fcntl.F_RDLCK, offset))
        except OSError:
            return None
        return bool(_Flock.from_buffer_copy(answer).l_type != fcntl.F_UNLCK)

    def close(self) -> None:
        """Let go of every lock (closing the file does)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            self._held.clear()


def _create(path: Path, workspace: Path) -> int | None:
    base = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, base | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # a teammate made it a moment ago
        try:
            return os.open(path, base)
        except OSError:
            return None
    except OSError:
        return None
    try:
        like = workspace.stat()
        os.fchmod(fd, stat.S_IMODE(like.st_mode) & 0o666)
        if os.geteuid() == 0:
            os.fchown(fd, like.st_uid, like.st_gid)
    except OSError:
        pass  # the file works for us; `planner share` says if teammates are left out
    return fd
