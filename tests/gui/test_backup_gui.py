"""Administration → Backups (the shared settings and "Back up now" as a job off the GUI
thread) and the running program's daily backup with its outcome in the status bar."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, Qt

from cqms_desktop.domain import backup_schedule as rules
from cqms_desktop.domain.enums import Department
from cqms_desktop.services import scheduled_backup
from cqms_desktop.store import settings as settings_store
from cqms_desktop.ui.admin import AdminArea
from cqms_desktop.ui.admin.backup_page import BackupPage
from cqms_desktop.ui.daily_backup import DailyBackup
from tests.gui.gui_data import make_actor

pytestmark = pytest.mark.gui


def test_the_backup_page_saves_the_schedule_and_backs_up_off_the_gui_thread(
    qtbot, database, ops, tmp_path, monkeypatch
):
    boss = make_actor(Department.ADMINISTRATION, is_admin=True, name="boss")
    area = AdminArea(boss)
    qtbot.addWidget(area)
    page = area.backups
    assert isinstance(page, BackupPage)
    area.setCurrentWidget(page)
    area.show()
    ops()
    assert not page.enabled.isChecked() and page.keep.value() == 14
    assert page.last.text() == "none yet"
    # Enabling without a folder is refused next to the folder field, nothing saved.
    page.enabled.setChecked(True)
    page.save()
    ops()
    assert "Choose the folder" in page.fields.error_text("backup_folder")
    assert settings_store.get("backup_enabled") is False
    folder = tmp_path / "backups"
    folder.mkdir()
    page.folder.setText(str(folder))
    page.keep.setValue(2)
    page.save()
    ops()
    assert "Backup settings saved." in page.status.text()
    assert scheduled_backup.schedule() == rules.BackupSchedule(True, str(folder), 2)

    threads: list[threading.Thread] = []
    real = scheduled_backup.write_to_folder

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(scheduled_backup, "write_to_folder", recording)
    for _ in range(3):
        qtbot.mouseClick(page.now_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "verified" in page.status.text(), timeout=15000)
        assert page.now_button.isEnabled()
        page.status.setText("")
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert len(list(folder.glob("cqms-*.cqmsdump"))) == 2  # keep 2
    ops()
    assert "made by boss" in page.last.text()


def test_back_up_now_into_a_missing_folder_says_so(qtbot, database, ops, tmp_path):
    boss = make_actor(Department.ADMINISTRATION, is_admin=True, name="boss")
    scheduled_backup.save_schedule(
        scheduled_backup.Actor.system(), enabled=False, folder=str(tmp_path / "gone"), keep=3
    )
    page = BackupPage(boss)
    qtbot.addWidget(page)
    page.show()
    ops()
    page.back_up_now()
    qtbot.waitUntil(lambda: "does not exist" in page.status.text(), timeout=15000)
    assert page.now_button.isEnabled()
    page.fields.message_box.close()


def test_the_running_program_makes_the_days_backup_and_shows_failures(
    qtbot, database, ops, tmp_path
):
    clerk = make_actor(Department.SALES, name="clerk")
    owner = QObject()
    daily = DailyBackup(clerk, owner)
    messages: list[tuple[str, bool]] = []
    daily.message.connect(lambda text, failed: messages.append((text, failed)))
    assert daily.check()
    qtbot.waitUntil(lambda: not daily.running, timeout=10000)
    assert messages == []  # not enabled: nothing to do, nothing said
    scheduled_backup.save_schedule(
        scheduled_backup.Actor.system(), enabled=True, folder=str(tmp_path / "gone"), keep=3
    )
    assert daily.check()
    assert not daily.check()  # one check at a time
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    text, failed = messages.pop()
    assert failed and "daily backup failed" in text and "does not exist" in text
    folder = tmp_path / "share"
    folder.mkdir()
    scheduled_backup.save_schedule(
        scheduled_backup.Actor.system(), enabled=True, folder=str(folder), keep=3
    )
    assert daily.check()  # tried again at the next check
    qtbot.waitUntil(lambda: bool(messages), timeout=15000)
    text, failed = messages.pop()
    assert not failed and "Today's backup was made" in text
    assert len(list(folder.glob("*.cqmsdump"))) == 1
    assert daily.check()
    qtbot.waitUntil(lambda: not daily.running, timeout=10000)
    assert messages == [] and len(list(folder.glob("*.cqmsdump"))) == 1  # once a day
