"""One job at a time per dataset: an exclusive ``flock`` on ``DATASET.sqlite.lock``.

The lock is held on an open file descriptor for the whole run.  The kernel
releases it when the process ends, however it ends (kill -9 included), so a
killed run can never leave the dataset locked; the file itself only tells who
holds (or last held) the lock: pid, host, start time and command.  When the
file names a process that is gone, the next run reports that it takes over a
stale lock.

Do not point cron's ``flock`` at this same file: the job opens it again and
would find it locked by its own parent.  Use another path (see deploy/).
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khaosan.outputs.store import utc_now


class Locked(Exception):
    """Another run holds the dataset's lock; ``str(e)`` names it."""

    def __init__(self, path: Path, holder: dict[str, Any]) -> None:
        self.path = path
        self.holder = holder
        who = describe(holder) if holder else "another process"
        super().__init__(f"{path} is locked by {who}: another khaosan job is working on this dataset; "
                         "this run exits without touching it")


def describe(holder: dict[str, Any]) -> str:
    parts = [f"pid {holder.get('pid', '?')}"]
    if holder.get("host"):
        parts.append(f"on {holder['host']}")
    if holder.get("started"):
        parts.append(f"since {holder['started']}")
    if holder.get("command"):
        parts.append(f"({holder['command']})")
    return " ".join(parts)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


@dataclass(frozen=True, slots=True)
class StaleLock:
    """What a killed run left in the lock file, for the log."""

    holder: dict[str, Any]
    running: bool  # the named pid still exists (same host): reused pid, or a process that dropped its lock

    def __str__(self) -> str:
        state = "still running but no longer holding it" if self.running else "not running"
        return f"taking over stale lock from {describe(self.holder)} ({state})"


def lock_path(db_path: str | Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


class DatasetLock:
    """``with DatasetLock(db) as lock:`` or ``acquire()`` / ``release()``; raises :class:`Locked`."""

    def __init__(self, db_path: str | Path, command: str = "") -> None:
        self.path = lock_path(db_path)
        self.command = command or " ".join(["khaosan", *sys.argv[1:2]])
        self.fd: int | None = None
        self.stale: StaleLock | None = None

    def _read(self, fd: int) -> dict[str, Any]:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 4096).decode("utf-8", "replace").strip()
        if not raw:
            return {}
        try:
            holder = json.loads(raw)
        except ValueError:
            return {"pid": "?", "command": f"unreadable lock file content {raw[:60]!r}"}
        return holder if isinstance(holder, dict) else {}

    def acquire(self) -> DatasetLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._read(fd)
            os.close(fd)
            raise Locked(self.path, holder) from None
        except BaseException:
            os.close(fd)
            raise
        previous = self._read(fd)
        if previous:
            # Nobody holds the flock, yet the file names a holder: that run ended without
            # releasing (killed, power cut).  Its committed work is intact; say so and go on.
            pid = previous.get("pid")
            same_host = previous.get("host") == socket.gethostname()
            running = isinstance(pid, int) and same_host and pid != os.getpid() and pid_alive(pid)
            self.stale = StaleLock(previous, running)
        me = {"pid": os.getpid(), "host": socket.gethostname(), "started": utc_now(), "command": self.command}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(me) + "\n").encode("utf-8"), 0)
        os.fsync(fd)
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)  # an empty file: released cleanly, nothing stale
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> DatasetLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
