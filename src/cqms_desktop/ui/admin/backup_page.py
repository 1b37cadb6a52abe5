"""Administration → Backups: the folder (a share too) the daily backup goes to, how many are
kept, whether the running programs make it, when the last one was made, and "Back up now".

The settings are shared in the database; the backup itself runs as a job on the database
worker with a progress dialog (:func:`..operations.start_job`), never on the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain import backup_schedule as rules
from ...domain.errors import CqmsError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...services import scheduled_backup
from ...services.base import Actor
from ..field_form import FieldForm
from ..operations import CollectionOp, Job, QueryOp, report_failure, start_job

STATE_LABELS: dict[str, str] = {
    rules.DONE: QT_TRANSLATE_NOOP("BackupSettings", "made"),
    rules.RUNNING: QT_TRANSLATE_NOOP("BackupSettings", "being made"),
    rules.FAILED: QT_TRANSLATE_NOOP("BackupSettings", "failed"),
}


class BackupPage(QWidget):
    """Edit the scheduled-backup settings; make a backup now."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.job: Job | None = None
        box = QGroupBox(self.tr("Daily backup (shared by every PC)"), self)
        self.fields = FieldForm(self, QFormLayout(box))
        self.enabled = QCheckBox(self.tr("Make a backup once a day while the program runs"), box)
        self.fields.add("backup_enabled", self.tr("Scheduled"), self.enabled)
        folder_row = QWidget(box)
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.folder = QLineEdit(folder_row)
        self.folder.setPlaceholderText(self.tr(r"e.g. \\server\share\CQMS backups or D:\Backups"))
        self.browse = QPushButton(self.tr("Choose…"), folder_row)
        self.browse.clicked.connect(self.choose_folder)
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        self.fields.add("backup_folder", self.tr("Folder"), folder_row)
        self.keep = QSpinBox(box)
        self.keep.setRange(1, rules.MAX_KEEP)
        self.keep.setSuffix(self.tr(" newest backups"))
        self.fields.add("backup_keep", self.tr("Keep"), self.keep)
        self.last = QLabel(box)
        self.last.setWordWrap(True)
        self.fields.form.addRow(self.tr("Last backup"), self.last)
        note = QLabel(
            self.tr(
                "Each backup is checked after it is written; only then are the oldest beyond "
                "the number kept deleted. To back up when no program is open, register "
                "“cqms backup --to-folder FOLDER --rotate N” in the Task Scheduler (see the "
                "README). Keep the backup key (“cqms backup-key”) apart from the backups."
            ),
            self,
        )
        note.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save backup settings"), self)
        self.save_button.clicked.connect(self.save)
        self.now_button = QPushButton(self.tr("Back up now"), self)
        self.now_button.clicked.connect(self.back_up_now)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.now_button)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self.load()

    # ------------------------------------------------------------------ loading
    def load(self) -> None:
        """Read the settings and the last run on the database worker."""

        def read() -> tuple[rules.BackupSchedule, dict[str, Any]]:
            return scheduled_backup.schedule(), scheduled_backup.last_run()

        QueryOp(self, read, self._loaded).run_in_background()

    def _loaded(self, result: tuple[rules.BackupSchedule, dict[str, Any]]) -> None:
        plan, last = result
        self.enabled.setChecked(plan.enabled)
        self.folder.setText(plan.folder)
        self.keep.setValue(plan.keep)
        self.show_last(last)

    def show_last(self, last: dict[str, Any]) -> None:
        """Describe the last recorded run (or that there was none)."""
        if not last:
            self.last.setText(self.tr("none yet"))
            return
        state = QCoreApplication.translate(
            "BackupSettings", STATE_LABELS.get(str(last.get("state")), "failed")
        )
        text = self.tr("{day}: {state} by {who} {file}").format(
            day=last.get("day", ""), state=state, who=last.get("by", ""), file=last.get("file", "")
        )
        if last.get("error"):
            text += "\n" + str(last["error"])
        self.last.setText(text.strip())

    def choose_folder(self) -> None:
        """Pick the folder with the system's dialog (a mapped drive or a share works)."""
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Folder for the backups"), self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    # ------------------------------------------------------------------ saving
    def _refused(self, exc: BaseException) -> None:
        self.status.setText("")
        if not isinstance(exc, CqmsError):
            report_failure(self, exc)
            return
        self.fields.show_error(exc)

    def values(self) -> dict[str, Any]:
        """The settings as entered."""
        return {
            "enabled": self.enabled.isChecked(),
            "folder": self.folder.text(),
            "keep": self.keep.value(),
        }

    def save(self) -> None:
        """Save the settings (shared by every PC)."""
        self.fields.clear_errors()
        values, actor = self.values(), self.actor
        CollectionOp(self, lambda: scheduled_backup.save_schedule(actor, **values)).success(
            self._saved
        ).failure(self._refused).with_busy_cursor().run_in_background()

    def _saved(self, _result: Any) -> None:
        self.status.setText(self.tr("Backup settings saved."))
        self.load()

    # ------------------------------------------------------------------ back up now
    def back_up_now(self) -> None:
        """Make a backup into the saved folder now, with a progress dialog."""
        if self.job is not None and self.job.is_running():
            return
        self.fields.clear_errors()
        actor = self.actor
        self.now_button.setEnabled(False)
        self.status.setText(self.tr("Backing up…"))
        self.job = start_job(
            self,
            self.tr("Backing up"),
            lambda progress, _cancelled: scheduled_backup.backup_now(actor, progress=progress),
            cancellable=False,
        )
        self.job.succeeded.connect(self._backed_up)
        self.job.failed.connect(self._backup_failed)
        self.job.finished.connect(lambda: self.now_button.setEnabled(True))

    def _backed_up(self, result: scheduled_backup.FolderBackup) -> None:
        text = self.tr("Backed up and verified: {path}").format(path=str(result.path))
        if result.deleted:
            text += " " + self.tr("{count} older backup(s) deleted.").format(
                count=len(result.deleted)
            )
        for name, reason in result.not_deleted:
            text += " " + self.tr("Could not delete {name}: {reason}").format(
                name=name, reason=reason
            )
        self.status.setText(text)
        self.load()

    def _backup_failed(self, exc: BaseException) -> None:
        self._refused(exc)
        if isinstance(exc, CqmsError):
            self.status.setText(exc.translated(QCoreApplication.translate))
