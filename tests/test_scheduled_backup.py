"""Scheduled backups: a verified backup into a folder, rotation keeping the N newest, the
once-a-day claim between PCs, and the ``cqms backup --to-folder … --rotate N`` command."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from cqms_desktop import cli
from cqms_desktop.domain import backup_schedule as rules
from cqms_desktop.domain.clock import local_now, utcnow
from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import PermissionDenied, ValidationError
from cqms_desktop.services import admin, backup, scheduled_backup
from cqms_desktop.services.base import Actor
from cqms_desktop.services.maintenance import check_database
from cqms_desktop.store import audit
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.models import Attachment, AuditLog
from tests.concurrency import run_together
from tests.users import make_user

BLOB = bytes(range(256)) * 50


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _old_backups(folder: Path, company: str, count: int) -> list[str]:
    """*count* earlier backup files (count … 1 days ago, oldest first) with fake content."""
    names = []
    for days in range(count, 0, -1):
        name = rules.file_name(company, local_now() - timedelta(days=days))
        (folder / name).write_bytes(b"an older backup")
        names.append(name)
    return names


# ------------------------------------------------------------------ the rules
def test_file_names_and_rotation_rule():
    moment = datetime(2026, 12, 4, 23, 15, 7)
    assert rules.file_name("上海汽配 Co./Ltd", moment) == (
        "cqms-上海汽配_Co_Ltd-20261204-231507.cqmsdump"
    )
    assert rules.file_name(" ./ ", moment) == "cqms-20261204-231507.cqmsdump"
    names = [rules.file_name("ACME", datetime(2026, 12, d, 1, 0, 0)) for d in (1, 2, 3, 4)] + [
        "cqms-ACME-20261203-010000-2.cqmsdump",  # two made in one second
        "cqms-OTHER-20261101-010000.cqmsdump",  # another company's
        "cqms-ACME-20261101-010000.cqmsdump.partial",
        "cqms-ACME-20261101-010000.cqmsbak",
        "notes.txt",
    ]
    newest = "cqms-ACME-20261204-010000.cqmsdump"
    assert rules.to_delete(names, "ACME", 3, newest) == [
        "cqms-ACME-20261201-010000.cqmsdump",
        "cqms-ACME-20261202-010000.cqmsdump",
    ]
    # The new backup is kept even when the clock went back and it sorts oldest.
    assert rules.to_delete(names, "ACME", 1, "cqms-ACME-20261201-010000.cqmsdump") == sorted(
        n for n in names[:5] if n != "cqms-ACME-20261201-010000.cqmsdump"
    )


def test_due_rule():
    day, now = date(2026, 12, 4), datetime(2026, 12, 4, 10, 0)
    assert rules.is_due({}, day, now)
    assert rules.is_due({"day": "2026-12-03", "state": rules.DONE}, day, now)
    assert not rules.is_due({"day": "2026-12-04", "state": rules.DONE}, day, now)
    assert rules.is_due({"day": "2026-12-04", "state": rules.FAILED}, day, now)
    running = {"day": "2026-12-04", "state": rules.RUNNING, "at": "2026-12-04T09:00:00"}
    assert not rules.is_due(running, day, now)
    assert rules.is_due({**running, "at": "2026-12-04T06:59:00"}, day, now)  # its PC died


def test_keep_and_folder_are_checked():
    assert rules.check_keep("14") == 14
    for bad in (0, -1, "x", 99999, True):
        with pytest.raises(ValidationError) as info:
            rules.check_keep(bad)
        assert info.value.field == "backup_keep"
    with pytest.raises(ValidationError) as info:
        rules.validate({"backup_enabled": True, "backup_folder": "  "})
    assert info.value.field == "backup_folder"


# ------------------------------------------------------------------ writing into a folder
@pytest.fixture
def office(database, tmp_path) -> Path:
    """The test database with a company name, a complaint attachment and its audit trail;
    the folder the backups go to."""
    admin.update_settings(Actor.system(), {"company_name": "ACME"})
    with dbmod.write_transaction():
        audit.create(
            Attachment,
            "liu.yang",
            record_kind="complaint",
            record_id=1,
            filename="照片.jpg",
            content_type="image/jpeg",
            size=len(BLOB),
            data=BLOB,
            added_at=utcnow(),
            added_by="liu.yang",
        )
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder


def test_rotation_keeps_exactly_the_n_newest_and_ignores_foreign_files(office, frozen_clock):
    old = _old_backups(office, "ACME", 5)
    foreign = ["notes.txt", "cqms-OTHER-20261101-230000.cqmsdump", "cqms-ACME-x.cqmsdump"]
    for name in foreign:
        (office / name).write_text("not ours")
    result = scheduled_backup.write_to_folder(str(office), 3)
    assert result.path.parent == office and result.path.name.startswith("cqms-ACME-")
    assert sorted(result.deleted) == old[:3]
    assert _names(office) == sorted([*foreign, *old[3:], result.path.name])
    assert not list(office.glob("*.partial"))


def test_a_rotated_backup_holds_attachments_and_the_audit_chain_and_restores(
    office, tmp_path, frozen_clock
):
    scheduled_backup.write_to_folder(str(office), 2)
    frozen_clock.advance(timedelta(seconds=1))
    newest = scheduled_backup.write_to_folder(str(office), 2).path
    key = backup.backup_key()
    audit_rows = AuditLog.select().count()
    dbmod.close_database()
    header = backup.read_header(newest)
    counts = {t["name"]: t["rows"] for t in header["tables"]}
    assert counts["attachment"] == 1 and counts["audit_log"] == audit_rows > 0
    assert header["audit_chain"]["rows"] == audit_rows
    dbmod.open_database(dbmod.sqlite_url(tmp_path / "restored.sqlite3"))
    backup.restore(newest, key=key)
    assert bytes(Attachment.get().data) == BLOB
    assert AuditLog.select().count() == audit_rows
    assert check_database().ok
    dbmod.close_database()


def test_a_failed_write_leaves_no_partial_file_and_deletes_nothing(office, monkeypatch):
    old = _old_backups(office, "ACME", 4)
    real_open = backup.gzip.open

    def failing_open(path, mode="rb", *args, **kwargs):
        handle = real_open(path, mode, *args, **kwargs)
        if "w" in mode:
            handle.write(b"half a backup")
            handle.close()
            raise OSError(28, "No space left on device")
        return handle

    monkeypatch.setattr(backup.gzip, "open", failing_open)
    with pytest.raises(backup.BackupError, match="No space left"):
        scheduled_backup.write_to_folder(str(office), 2)
    assert _names(office) == sorted(old)


def test_a_backup_that_does_not_verify_keeps_the_old_ones(office, monkeypatch):
    old = _old_backups(office, "ACME", 4)

    def corrupt(path, **kwargs):
        raise backup.BackupError("“{path}” is damaged", path=str(path))

    monkeypatch.setattr(scheduled_backup, "verify_file", corrupt)
    with pytest.raises(backup.BackupError, match="did not verify"):
        scheduled_backup.write_to_folder(str(office), 1)
    assert _names(office) == sorted(old)  # the unverified file removed, the old ones kept


def test_a_tampered_file_is_caught_by_the_verification(office, monkeypatch):
    """The real check, not a stand-in: a byte flipped in the written file is noticed."""
    old = _old_backups(office, "ACME", 2)
    real_backup = scheduled_backup.backup

    def then_damage(path, **kwargs):
        summary = real_backup(path, **kwargs)
        data = bytearray(Path(path).read_bytes())
        data[len(data) // 2] ^= 0xFF
        Path(path).write_bytes(bytes(data))
        return summary

    monkeypatch.setattr(scheduled_backup, "backup", then_damage)
    with pytest.raises(backup.BackupError, match="did not verify"):
        scheduled_backup.write_to_folder(str(office), 1)
    assert _names(office) == sorted(old)


def test_missing_folder_and_bad_keep(office, tmp_path):
    with pytest.raises(backup.BackupError, match="does not exist") as info:
        scheduled_backup.write_to_folder(str(tmp_path / "nowhere"), 3)
    assert info.value.field == "backup_folder"
    with pytest.raises(backup.BackupError, match="cannot be reached") as info:
        scheduled_backup.write_to_folder(r"\\fileserver\qa\CQMS backups", 3)
    assert info.value.field == "backup_folder"
    with pytest.raises(ValidationError):
        scheduled_backup.write_to_folder(str(office), 0)
    assert _names(office) == []


# ------------------------------------------------------------------ the day's run
def _enable(folder: Path, keep: int = 3) -> Actor:
    boss = make_user(Department.ADMINISTRATION, "boss", admin_flag=True)
    scheduled_backup.save_schedule(boss, enabled=True, folder=str(folder), keep=keep)
    return boss


def test_only_administrators_set_the_schedule_and_back_up_now(office):
    clerk = make_user(Department.SALES)
    with pytest.raises(PermissionDenied):
        scheduled_backup.save_schedule(clerk, enabled=True, folder=str(office), keep=3)
    with pytest.raises(PermissionDenied):
        scheduled_backup.backup_now(clerk)
    boss = _enable(office, keep=5)
    assert scheduled_backup.schedule() == rules.BackupSchedule(True, str(office), 5)
    result = scheduled_backup.backup_now(boss)
    assert result.path.exists()
    last = scheduled_backup.last_run()
    assert last["state"] == rules.DONE and last["file"] == result.path.name
    # A backup made today (by hand) is the day's: the scheduled check does nothing more.
    assert scheduled_backup.run_if_due(clerk) is None
    assert check_database().ok  # the recorded runs are in the audit trail


def test_the_daily_run_once_a_day_retrying_after_a_failure(office, frozen_clock, tmp_path):
    clerk = make_user(Department.SALES)
    assert scheduled_backup.run_if_due(clerk) is None  # not enabled
    boss = _enable(tmp_path / "unplugged-drive")
    outcome = scheduled_backup.run_if_due(clerk)
    assert outcome is not None and outcome.result is None
    assert "does not exist" in str(outcome.error)
    assert scheduled_backup.last_run()["state"] == rules.FAILED
    scheduled_backup.save_schedule(boss, enabled=True, folder=str(office), keep=3)
    outcome = scheduled_backup.run_if_due(clerk)  # the next hourly check tries again
    assert outcome is not None and outcome.error is None and outcome.result is not None
    assert scheduled_backup.run_if_due(clerk) is None  # done for today
    frozen_clock.advance(timedelta(days=1))
    assert scheduled_backup.run_if_due(clerk) is not None
    assert len(list(office.glob("*.cqmsdump"))) == 2
    assert check_database().ok


@pytest.mark.backends
def test_two_pcs_checking_at_once_make_one_backup(any_database, tmp_path, frozen_clock):
    folder = tmp_path / "share"
    folder.mkdir()
    clerk = make_user(Department.SALES)
    _enable(folder)
    # The first day inserts the record of the run, the next day updates it: both raced.
    for day in (1, 2):
        results = run_together(4, lambda _: scheduled_backup.run_if_due(clerk))
        assert [r for r in results if isinstance(r, BaseException)] == []
        made = [r for r in results if r is not None]
        assert len(made) == 1, results
        assert made[0].error is None
        assert len(list(folder.glob("*.cqmsdump"))) == day
        assert scheduled_backup.last_run()["state"] == rules.DONE
        frozen_clock.advance(timedelta(days=1))
    assert check_database().ok


# ------------------------------------------------------------------ the command
def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cqms: error: "), err
    return lines[0]


@pytest.fixture
def cli_db(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("CQMS_DB", raising=False)
    monkeypatch.setenv("CQMS_DATA_DIR", str(tmp_path / "data"))
    url = dbmod.sqlite_url(tmp_path / "cli.sqlite3")
    assert cli.main(["--db", url, "init"]) == 0
    return url


def test_cli_backup_to_folder_rotates(capsys, cli_db, tmp_path, frozen_clock):
    folder = tmp_path / "nightly"
    folder.mkdir()
    old = _old_backups(folder, "", 3)
    (folder / "readme.txt").write_text("keep me")
    capsys.readouterr()
    code, out, err = _run(
        capsys, "--db", cli_db, "backup", "--to-folder", str(folder), "--rotate", "2"
    )
    assert code == 0, err
    assert "verified" in out and "Deleted 2 older" in out
    new = [n for n in _names(folder) if n not in (*old, "readme.txt")]
    assert len(new) == 1 and new[0].startswith("cqms-20") and new[0].endswith(".cqmsdump")
    assert _names(folder) == sorted([old[2], new[0], "readme.txt"])
    frozen_clock.advance(timedelta(seconds=5))
    code, out, err = _run(capsys, "--db", cli_db, "backup", "-o", str(folder), "--rotate", "1")
    assert code == 0, err
    assert len(list(folder.glob("*.cqmsdump"))) == 1 and (folder / "readme.txt").exists()
    dbmod.open_database(cli_db)
    assert scheduled_backup.last_run()["state"] == rules.DONE  # the programs skip today
    dbmod.close_database()


def test_cli_backup_errors_are_one_line(capsys, cli_db, tmp_path):
    capsys.readouterr()
    code, _, err = _run(capsys, "--db", cli_db, "backup", "--to-folder", str(tmp_path / "gone"))
    assert code == 2 and "does not exist" in _one_line_error(err)
    code, _, err = _run(
        capsys, "--db", cli_db, "backup", "-o", str(tmp_path / "x"), "--rotate", "2"
    )
    assert code == 2 and "--rotate needs a folder" in _one_line_error(err)
    folder = tmp_path / "f"
    folder.mkdir()
    code, _, err = _run(
        capsys, "--db", cli_db, "backup", "--to-folder", str(folder), "--rotate", "0"
    )
    assert code == 2 and "between 1 and" in _one_line_error(err)


def test_cli_read_only_folder_is_one_line(capsys, cli_db, tmp_path, monkeypatch):
    """A share the user may read but not write (simulated: the tests run as root, who may
    write anywhere) is one line, and the backups already there stay."""
    folder = tmp_path / "ro"
    folder.mkdir()
    old = _old_backups(folder, "", 2)

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(backup.tempfile, "TemporaryFile", refused)
    capsys.readouterr()
    code, _, err = _run(
        capsys, "--db", cli_db, "backup", "--to-folder", str(folder), "--rotate", "1"
    )
    assert code == 2 and "Permission denied" in _one_line_error(err)
    assert _names(folder) == sorted(old)


def test_cli_backup_stands_when_recording_it_fails(capsys, cli_db, tmp_path, monkeypatch):
    import peewee

    def locked(_result):
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr(scheduled_backup, "record_command_line_backup", locked)
    folder = tmp_path / "nightly"
    folder.mkdir()
    capsys.readouterr()
    code, out, err = _run(capsys, "--db", cli_db, "backup", "--to-folder", str(folder))
    assert code == 0 and "verified" in out
    assert "could not record the backup: database is locked" in err
    assert len(list(folder.glob("*.cqmsdump"))) == 1
