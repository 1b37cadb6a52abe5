"""Backups an office can rely on: a verified backup into a folder, the oldest beyond N removed,
once a day from whichever running program gets there first, or from ``cqms backup
--to-folder DIR --rotate N`` in the Task Scheduler / cron.

The order is what makes it safe: the backup is written under a temporary name and renamed
only when complete (:func:`.backup.backup`), then the written file is read back and checked
row by row, against the header's checksums, the audit chain and the keyed digest
(:func:`.backup.verify_file`, :func:`.backup.verify_digest`); only a verified backup lets
older ones go, and rotation only ever deletes files named like this company's backups. A
file that fails the check is removed (it would count as one of the N otherwise) and the old
backups stay.

Only one PC makes the day's backup: the setting :data:`~..domain.backup_schedule.LAST_RUN_KEY`
is claimed by an update conditional on the value read (or an insert, the first time), so of
two PCs checking at once one wins and the other sees "running". The run's end (done, or
failed with the reason) is recorded and audited like any setting change; a failure is tried
again at the next check, a claim whose PC never finished is taken over after
:data:`~..domain.backup_schedule.STALE_AFTER`.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peewee as pw

from ..domain import backup_schedule as rules
from ..domain.clock import local_now, utcnow
from ..domain.errors import CqmsError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import audit
from ..store import db as dbmod
from ..store import settings as settings_store
from ..store.models import AuditChain, Setting
from ..store.network_paths import is_windows_network_path
from . import admin
from .backup import BackupError, BackupSummary, Progress, backup, verify_digest, verify_file
from .base import Actor, require, unit_of_work
from .complaint_deadlines import company_today, current_zone
from .normalise import checked_input


@dataclass(frozen=True, slots=True)
class FolderBackup:
    """A verified backup in a folder and what rotation did."""

    summary: BackupSummary
    deleted: list[str] = field(default_factory=list)
    #: Old backups that could not be deleted (name, reason); the new backup is fine.
    not_deleted: list[tuple[str, str]] = field(default_factory=list)

    @property
    def path(self) -> Path:
        """The new backup file."""
        return self.summary.path


@dataclass(frozen=True, slots=True)
class DailyOutcome:
    """What a scheduled check did: ``result`` when it made the backup, ``error`` when that
    failed (recorded, and tried again at the next check)."""

    result: FolderBackup | None
    error: CqmsError | None


def _folder(folder: str) -> Path:
    path = Path(folder.strip()) if folder.strip() else None
    if path is None:
        raise BackupError(
            QT_TRANSLATE_NOOP("Errors", "Choose the folder the daily backups go to."),
            field="backup_folder",
        )
    if not path.is_dir():
        if is_windows_network_path(folder.strip()):
            # A share that is down or a mapped drive not connected (for this user): say so,
            # the folder itself is probably fine.
            raise BackupError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The network folder “{path}” cannot be reached: is the server on and the "
                    "share (or mapped drive) connected for this user?",
                ),
                field="backup_folder",
                path=folder.strip(),
            )
        raise BackupError(
            QT_TRANSLATE_NOOP(
                "Errors", "The backup folder “{path}” does not exist or cannot be reached."
            ),
            field="backup_folder",
            path=str(path),
        )
    return path


def _new_target(folder: Path, company: str) -> Path:
    """A file name no backup in *folder* has yet (``-2``… when two are made in one second)."""
    name = rules.file_name(company, local_now())
    target = folder / name
    number = 2
    while target.exists() or target.with_name(target.name + ".partial").exists():
        target = folder / name.replace(rules.SUFFIX, f"-{number}{rules.SUFFIX}")
        number += 1
    return target


def _own_key() -> str | None:
    head = AuditChain.get_or_none()
    return head.digest_key if head is not None else None


def write_to_folder(folder: str, keep: int, *, progress: Progress | None = None) -> FolderBackup:
    """Write a backup of the open database into *folder*, verify it, then delete the oldest
    of this company's backups there beyond *keep* (the new one counted, never deleted)."""
    keep = rules.check_keep(keep, "keep")
    path = _folder(folder)
    company = str(settings_store.get("company_name") or "")
    target = _new_target(path, company)
    summary = backup(target, progress=progress)
    try:
        header = verify_file(target)
        verify_digest(target, header, _own_key())
    except CqmsError as exc:
        # A file that does not verify must not count as one of the N kept, nor let any go.
        with contextlib.suppress(OSError):
            target.unlink()
        raise BackupError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The backup written to “{path}” did not verify ({reason}); it was removed and "
                "no older backup was deleted.",
            ),
            path=str(target),
            reason=str(exc),
        ) from exc
    deleted: list[str] = []
    not_deleted: list[tuple[str, str]] = []
    try:
        names = os.listdir(path)
    except OSError as exc:
        names = []
        not_deleted.append((str(path), exc.strerror or str(exc)))
    for name in rules.to_delete(names, company, keep, target.name):
        try:
            (path / name).unlink()
            deleted.append(name)
        except OSError as exc:
            not_deleted.append((name, exc.strerror or str(exc)))
    return FolderBackup(summary, deleted, not_deleted)


# ------------------------------------------------------------------ the day's run
def _last_run_text() -> tuple[bool, str | None]:
    row = Setting.get_or_none(Setting.key == rules.LAST_RUN_KEY)
    return row is not None, (row.value if row is not None else None)


@dbmod.retry_transient
def _claim(username: str) -> dict[str, Any] | None:
    """Claim today's scheduled backup for this PC; ``None`` when it is not due or another PC
    claimed it first."""
    now = utcnow()
    with unit_of_work("settings"):
        settings = settings_store.get_all()
        day = company_today(now, current_zone(settings))
        exists, old_text = _last_run_text()
        old = json.loads(old_text) if old_text else {}
        if not rules.is_due(old, day, now):
            return None
        new = {
            "day": day.isoformat(),
            "state": rules.RUNNING,
            "at": now.isoformat(),
            "by": f"{username}@{socket.gethostname()}"[:120],
            "file": "",
            "error": "",
        }
        text = json.dumps(new, ensure_ascii=False)
        if exists:
            won = (
                Setting.update(value=text)
                .where((Setting.key == rules.LAST_RUN_KEY) & (Setting.value == old_text))
                .execute()
            )
            if won != 1:
                return None
        else:
            try:
                with dbmod.database_proxy.atomic():  # a savepoint: PostgreSQL aborts otherwise
                    Setting.insert(key=rules.LAST_RUN_KEY, value=text).execute()
            except pw.IntegrityError:
                return None  # another PC inserted it first
        audit.write_audit(
            username, "setting", 0, "update", {rules.LAST_RUN_KEY: (old or None, new)}
        )
        return new


@dbmod.retry_transient
def _record(username: str, run: dict[str, Any]) -> None:
    """Record how the day's run ended (audited like any setting change)."""
    with unit_of_work("settings"):
        old = settings_store.get(rules.LAST_RUN_KEY)
        settings_store.put(rules.LAST_RUN_KEY, run)
        audit.write_audit(
            username, "setting", 0, "update", {rules.LAST_RUN_KEY: (old or None, run)}
        )


def _finished(username: str, result: FolderBackup) -> None:
    now = utcnow()
    _record(
        username,
        {
            "day": company_today(now, current_zone(settings_store.get_all())).isoformat(),
            "state": rules.DONE,
            "at": now.isoformat(),
            "by": f"{username}@{socket.gethostname()}"[:120],
            "file": result.path.name,
            "error": "",
        },
    )


def record_command_line_backup(result: FolderBackup) -> None:
    """``cqms backup --to-folder`` (the Task Scheduler's run) counts as the day's backup, so
    the running programs do not make a second one."""
    _finished("system", result)


def schedule() -> rules.BackupSchedule:
    """The scheduled-backup settings (any logged-in user's program reads them to know
    whether to run the daily check)."""
    return rules.schedule(settings_store.get_all())


def last_run() -> dict[str, Any]:
    """The day's run as last recorded (empty when none was ever made)."""
    value = settings_store.get(rules.LAST_RUN_KEY)
    return dict(value) if isinstance(value, dict) else {}


@checked_input
def save_schedule(actor: Actor, *, enabled: bool, folder: str, keep: int | str) -> None:
    """Store the scheduled-backup settings (administrators only; audited)."""
    require(actor, admin=True)
    clean = rules.validate(
        {"backup_enabled": enabled, "backup_folder": folder, "backup_keep": keep}
    )
    admin.update_settings(actor, clean)


@checked_input
def backup_now(actor: Actor, *, progress: Progress | None = None) -> FolderBackup:
    """Make a backup into the configured folder now (administrators only); it counts as the
    day's backup."""
    require(actor, admin=True)
    plan = schedule()
    result = write_to_folder(plan.folder, plan.keep, progress=progress)
    _finished(actor.username, result)
    return result


@checked_input
def run_if_due(actor: Actor, *, progress: Progress | None = None) -> DailyOutcome | None:
    """The running program's daily check (any logged-in user's PC may do it): make the day's
    backup when scheduled backups are on, none was made today, and this PC wins the claim;
    ``None`` when there was nothing to do."""
    require(actor)
    plan = schedule()
    if not plan.enabled or not plan.folder:
        return None
    run = _claim(actor.username)
    if run is None:
        return None
    try:
        result = write_to_folder(plan.folder, plan.keep, progress=progress)
    except Exception as exc:
        # Recorded as failed so the next check (any PC) tries again at once, not in hours.
        _record(
            actor.username,
            {**run, "state": rules.FAILED, "at": utcnow().isoformat(), "error": str(exc)[:500]},
        )
        if not isinstance(exc, CqmsError):
            raise
        return DailyOutcome(None, exc)
    _finished(actor.username, result)
    return DailyOutcome(result, None)
