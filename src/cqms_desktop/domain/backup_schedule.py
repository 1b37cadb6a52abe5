"""The office's scheduled backups: where they go, how many are kept, and when one is due.

The settings are shared business settings (the ``setting`` table, keys in
:data:`BACKUP_DEFAULTS`), so every PC and the ``cqms backup --to-folder`` task agree. The
day's run is recorded in the setting :data:`LAST_RUN_KEY` (``{"day", "state", "at", "by",
"file", "error"}``), which the running programs claim with an optimistic update so that only
one PC makes the day's backup.

Backup files are named ``cqms-<company>-<YYYYMMDD>-<HHMMSS>.cqmsdump`` (the company part left
out when the name has no usable character); rotation only ever looks at files of that form
for this company, never at anything else in the folder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .errors import ValidationError
from .i18n import QT_TRANSLATE_NOOP

#: The setting that records the day's scheduled backup (claimed, done or failed).
LAST_RUN_KEY = "backup_last_run"
RUNNING = "running"
DONE = "done"
FAILED = "failed"

BACKUP_DEFAULTS: dict[str, Any] = {
    "backup_enabled": False,
    "backup_folder": "",
    "backup_keep": 14,
    LAST_RUN_KEY: {},
}

#: The most backups a folder keeps (a number beyond it is surely a typing slip).
MAX_KEEP = 3650
#: A run claimed this long ago and never finished (its PC crashed or was switched off) is
#: taken over by the next PC that checks.
STALE_AFTER = timedelta(hours=3)
SUFFIX = ".cqmsdump"
_STAMP = "%Y%m%d-%H%M%S"
_UNSAFE = re.compile(r"[^\w-]+")


@dataclass(frozen=True, slots=True)
class BackupSchedule:
    """The scheduled-backup settings, cleaned."""

    enabled: bool
    folder: str
    keep: int


def schedule(values: Mapping[str, Any]) -> BackupSchedule:
    """The schedule from a settings mapping (missing keys take their defaults)."""
    s = {**BACKUP_DEFAULTS, **values}
    try:
        keep = int(s["backup_keep"])
    except (TypeError, ValueError):
        keep = int(BACKUP_DEFAULTS["backup_keep"])
    return BackupSchedule(
        enabled=bool(s["backup_enabled"]),
        folder=str(s["backup_folder"] or "").strip(),
        keep=max(1, keep),
    )


def check_keep(value: Any, field: str = "backup_keep") -> int:
    """How many backups to keep: a whole number 1 … :data:`MAX_KEEP`."""
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else 0
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_KEEP:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Keep between 1 and {most} backups."),
            field=field,
            most=MAX_KEEP,
        )
    return number


def validate(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check and clean the backup settings in *values* (only the keys given); a scheduled
    backup needs a folder."""
    clean: dict[str, Any] = {}
    if "backup_enabled" in values:
        clean["backup_enabled"] = bool(values["backup_enabled"])
    if "backup_folder" in values:
        clean["backup_folder"] = str(values["backup_folder"] or "").strip()
    if "backup_keep" in values:
        clean["backup_keep"] = check_keep(values["backup_keep"])
    if clean.get("backup_enabled") and not clean.get("backup_folder", "x"):
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Choose the folder the daily backups go to."),
            field="backup_folder",
        )
    return clean


def company_part(company: str) -> str:
    """The company's name as it may stand in a file name (letters, digits, ``_`` and ``-``;
    other characters become ``_``; at most 40 characters; empty when nothing is left)."""
    part = _UNSAFE.sub("_", company.strip()).strip("_-")
    return part[:40].strip("_-")


def file_name(company: str, moment: datetime) -> str:
    """``cqms-<company>-<YYYYMMDD>-<HHMMSS>.cqmsdump`` for a backup made at *moment*."""
    part = company_part(company)
    prefix = f"cqms-{part}-" if part else "cqms-"
    return f"{prefix}{moment.strftime(_STAMP)}{SUFFIX}"


def name_pattern(company: str) -> re.Pattern[str]:
    """Matches this company's backup file names (with an optional ``-2`` … when two were
    made in one second); the ``stamp`` group is the time they were made."""
    part = company_part(company)
    prefix = re.escape(f"cqms-{part}-" if part else "cqms-")
    return re.compile(
        rf"^{prefix}(?P<stamp>\d{{8}}-\d{{6}})(?:-(?P<n>\d{{1,4}}))?{re.escape(SUFFIX)}$"
    )


def to_delete(names: list[str], company: str, keep: int, newest: str) -> list[str]:
    """Which of *names* (a folder's files) rotation deletes so that the *keep* newest
    backups of this company stay; *newest* (the backup just written) is never among them,
    nor is any file not named like our backups."""
    pattern = name_pattern(company)
    ours: list[tuple[str, int, str]] = []
    for name in names:
        match = pattern.match(name)
        if match:
            ours.append((match["stamp"], int(match["n"] or 1), name))
    ours.sort(reverse=True)
    kept = {newest}
    for _, _, name in ours:
        if len(kept) >= keep:
            break
        kept.add(name)
    return sorted(name for _, _, name in ours if name not in kept)


def is_due(last: Mapping[str, Any], day: date, now: datetime) -> bool:
    """Whether the day's scheduled backup still has to be made, given the recorded run
    *last*: not when today's is done or is being made (unless that claim is stale); yes
    after a failure, so the next check (any PC) tries again."""
    if not isinstance(last, Mapping) or last.get("day") != day.isoformat():
        return True
    state = last.get("state")
    if state == DONE:
        return False
    if state == RUNNING:
        try:
            claimed = datetime.fromisoformat(str(last.get("at")))
        except ValueError:
            return True
        return now - claimed >= STALE_AFTER
    return True
