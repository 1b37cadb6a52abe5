"""Is a file on a network share? SQLite's documentation warns that its locking is unreliable
there, so such files get the rollback journal instead of WAL and a warning about concurrent
writers (see https://sqlite.org/useovernet.html)."""

from __future__ import annotations

import os
import sys
from pathlib import PureWindowsPath

#: File-system types (as in /proc/mounts) that live on another machine.
NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "ncpfs",
        "afs",
        "9p",
        "fuse.sshfs",
        "glusterfs",
        "ceph",
        "fuse.glusterfs",
        "fuse.cephfs",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "lustre",
        "gpfs",
        "ocfs2",
        "gfs2",
    }
)

_DRIVE_REMOTE = 4  # GetDriveTypeW's value for a mapped network drive


def _unescape_mount(field: str) -> str:
    """/proc/mounts escapes spaces and a few other characters as octal ``\\040``."""
    return field.encode("latin-1").decode("unicode_escape")


def mount_fs_type(path: str, mounts_text: str) -> str | None:
    """File-system type of the mount holding *path*, from the text of ``/proc/mounts``."""
    best_point, best_type = "", None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point, fs_type = _unescape_mount(parts[1]), parts[2]
        prefix = point.rstrip("/") + "/"
        if (path == point or path.startswith(prefix) or point == "/") and len(point) > len(
            best_point
        ):
            best_point, best_type = point, fs_type
    return best_type


def is_windows_network_path(path: str, drive_type: int | None = None) -> bool:
    """UNC paths (``\\\\server\\share``) and mapped network drives on Windows.

    *drive_type* is ``GetDriveTypeW``'s answer for the path's drive; tests pass it in, on
    Windows it is asked for.
    """
    win = PureWindowsPath(path)
    if path.startswith(("\\\\", "//")) or win.drive.startswith("\\\\"):
        return True
    if not win.drive:
        return False
    if drive_type is None and sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive_type = ctypes.windll.kernel32.GetDriveTypeW(win.drive + "\\")
    return drive_type == _DRIVE_REMOTE


def is_network_path(path: str, *, mounts_text: str | None = None) -> bool:
    """True if the SQLite file at *path* lives on a network share."""
    if sys.platform == "win32" or path.startswith(("\\\\", "//")):
        return is_windows_network_path(path)
    if mounts_text is None:
        try:
            with open("/proc/mounts", encoding="utf-8", errors="replace") as f:
                mounts_text = f.read()
        except OSError:
            return False
    real = os.path.realpath(path)
    fs_type = mount_fs_type(real, mounts_text)
    return fs_type is not None and fs_type in NETWORK_FS_TYPES
