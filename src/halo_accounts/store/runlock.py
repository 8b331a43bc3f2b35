"""One sync at a time per store: an OS file lock beside the store, held for the whole run.

Two runs against one store could both see an invoice as not yet posted and post it twice, so a second run
is refused with a plain message. The operating system drops the lock when the process ends, even when it
is killed, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from types import TracebackType

from halo_accounts.errors import HaloAccountsError

#: Locks this process holds, by (lock file, thread): a thread that holds the lock may take it again (the
#: Web Connector job holds it around its queued commands and its sync, which takes it too).
_HELD: dict[tuple[str, int], int] = {}
_HELD_GUARD = threading.Lock()


class RunLock:
    """An exclusive, non-blocking lock on ``<store>.lock``; a no-op for an in-memory store.

    Re-entrant within one thread; refused to any other thread or process while held.
    """

    def __init__(self, store_path: str) -> None:
        self.path = None if store_path in ("", ":memory:") else Path(store_path + ".lock")
        self._fd: int | None = None
        self._nested = False

    def _key(self) -> tuple[str, int]:
        return (str(self.path), threading.get_ident())

    def acquire(self) -> None:
        if self.path is None or self._fd is not None or self._nested:
            return
        with _HELD_GUARD:
            if self._key() in _HELD:
                _HELD[self._key()] += 1
                self._nested = True
                return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise HaloAccountsError("store.run_locked", path=self.path) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        with _HELD_GUARD:
            _HELD[self._key()] = 1

    def release(self) -> None:
        if self._nested:
            with _HELD_GUARD:
                _HELD[self._key()] -= 1
            self._nested = False
            return
        if self._fd is None:
            return
        with _HELD_GUARD:
            _HELD.pop(self._key(), None)
        try:
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None or self._nested

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
