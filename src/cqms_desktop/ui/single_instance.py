"""One GUI instance per database on a PC.

Two windows of CQMS on the same database on one PC confuse users (which one has my unsaved
form?) and, on a SQLite file, only add lock contention. A ``QLockFile`` per database in the
data folder prevents it: the second instance shows :func:`already_running_box` and quits.
Other PCs are not affected (each has its own data folder), and a lock left by a crashed
instance is noticed as stale (its process is gone) and taken over.

The data folder is per user, so on Windows — where several users can be logged on to one PC
(fast user switching, a terminal server) — the lock is also a named mutex in the ``Global\\``
namespace keyed by the database (:func:`mutex_name`), which every session of the PC sees and
Windows releases when the holding process ends, however it ends.
"""

from __future__ import annotations

import hashlib
import os
import sys

from PySide6.QtCore import QCoreApplication, QLockFile
from PySide6.QtWidgets import QMessageBox, QWidget

from .. import paths
from ..services.database import DatabaseInfo


def database_key(info: DatabaseInfo) -> str:
    """A stable name for the opened database: the real path of a SQLite file, else the
    server URL without password (case of scheme and host does not matter)."""
    if info.is_sqlite and info.path is not None:
        key = os.path.normcase(os.path.realpath(info.path))
    else:
        key = info.display.strip().lower() if "://" in info.display else info.display
    return f"{info.backend}:{key}"


def lock_path(info: DatabaseInfo) -> str:
    """The lock file for *info* in ``<data folder>/locks``."""
    folder = paths.data_dir() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(database_key(info).encode("utf-8")).hexdigest()[:32]
    return str(folder / f"{digest}.lock")


def mutex_name(info: DatabaseInfo) -> str:
    """The machine-wide (all sessions) Windows mutex name for *info*'s database."""
    digest = hashlib.sha256(database_key(info).encode("utf-8")).hexdigest()[:32]
    return f"Global\\CQMS-Desktop-{digest}"


class _WindowsMutex:  # pragma: no cover - Windows only (not testable on Linux or under Wine)
    """A named mutex held by this process: the cross-session half of :class:`InstanceLock`."""

    _ERROR_ALREADY_EXISTS = 183

    def __init__(self, name: str) -> None:
        self.name = name
        self._handle: int | None = None

    def try_acquire(self) -> bool:
        """Create the mutex; False if it exists already (another session or user holds it:
        a mutex another user created is refused with "access denied", which means the same)."""
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateMutexW.restype = wintypes.HANDLE
        kernel32.CreateMutexW.argtypes = (wintypes.LPVOID, wintypes.BOOL, wintypes.LPCWSTR)
        handle = kernel32.CreateMutexW(None, False, self.name)
        error = ctypes.get_last_error()
        if not handle:
            return False  # ERROR_ACCESS_DENIED: it exists, created by another user
        if error == self._ERROR_ALREADY_EXISTS:
            kernel32.CloseHandle(handle)
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        """Close the mutex (it disappears when no process holds it any more)."""
        if self._handle is not None:
            import ctypes

            ctypes.WinDLL("kernel32").CloseHandle(self._handle)
            self._handle = None


class InstanceLock:
    """The lock this process holds on one database; released by :meth:`release` or at exit."""

    def __init__(self, info: DatabaseInfo) -> None:
        self.info = info
        self.path = lock_path(info)
        self._lock = QLockFile(self.path)
        # 0: never stale by age (the program runs for days); a dead owner still makes it stale.
        self._lock.setStaleLockTime(0)
        self._mutex: _WindowsMutex | None = None

    def try_acquire(self) -> bool:
        """Take the lock; False if another running instance holds it (on Windows: in any
        user's session of this PC)."""
        if not self._lock.tryLock(0):
            return False
        if sys.platform == "win32":  # pragma: no cover - Windows only
            self._mutex = _WindowsMutex(mutex_name(self.info))
            if not self._mutex.try_acquire():
                self._lock.unlock()
                self._mutex = None
                return False
        return True

    def owner_pid(self) -> int | None:
        """The process id of the instance holding the lock, if known."""
        ok, pid, _host, _app = self._lock.getLockInfo()
        return pid if ok else None

    def release(self) -> None:
        """Give the lock up (the program is closing)."""
        if self._mutex is not None:  # pragma: no cover - Windows only
            self._mutex.release()
            self._mutex = None
        if self._lock.isLocked():
            self._lock.unlock()


def acquire_instance_lock(info: DatabaseInfo) -> InstanceLock | None:
    """The held lock for *info*, or None when another instance on this PC has it."""
    lock = InstanceLock(info)
    return lock if lock.try_acquire() else None


def already_running_box(parent: QWidget | None, info: DatabaseInfo) -> QMessageBox:
    """The message for a second start on the same database (not yet shown)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(QCoreApplication.translate("SingleInstance", "CQMS Desktop"))
    box.setText(
        QCoreApplication.translate(
            "SingleInstance",
            "CQMS Desktop is already running on this PC with the database\n{database}\n\n"
            "Switch to the open window (see the task bar). To work on another database, "
            "choose it with --db or in Settings.",
        ).format(database=info.display)
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box
