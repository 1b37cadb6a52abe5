"""The day's scheduled backup from a running program: a check when the window is up and then
every hour, on the database worker. Every PC checks; the claim in the database
(:func:`..services.scheduled_backup.run_if_due`) lets exactly one of them make the day's backup,
and a failed one is tried again at the next check (by whichever PC). The outcome is shown in
the status bar — a failure stays there until a later backup succeeds."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from ..domain.errors import CqmsError
from ..services import scheduled_backup
from ..services.base import Actor
from .operations import CollectionOp

log = logging.getLogger(__name__)

#: How often the program looks whether today's backup is due.
CHECK_EVERY_MS = 60 * 60 * 1000


class DailyBackup(QObject):
    """Makes the day's backup once per day (the office's, not this PC's) while the program runs."""

    #: A message for the status bar and whether it reports a failure.
    message = Signal(str, bool)

    def __init__(self, actor: Actor, parent: QObject) -> None:
        super().__init__(parent)
        self.actor = actor
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        """Look now (after the window is up) and then every hour."""
        QTimer.singleShot(0, self.check)
        self.timer.start()

    def check(self) -> bool:
        """Start a check on the database worker unless one is still running; whether it did."""
        if self.running:
            return False
        self.running = True
        actor = self.actor
        CollectionOp(self, lambda: scheduled_backup.run_if_due(actor)).success(self._done).failure(
            self._failed
        ).run_in_background()
        return True

    def _done(self, outcome: scheduled_backup.DailyOutcome | None) -> None:
        self.running = False
        if outcome is None:
            return
        if outcome.error is not None:
            self._report_failure(outcome.error)
            return
        assert outcome.result is not None
        self.message.emit(
            QCoreApplication.translate("DailyBackup", "Today's backup was made: {file}").format(
                file=outcome.result.path.name
            ),
            False,
        )

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self._report_failure(exc)

    def _report_failure(self, exc: BaseException) -> None:
        reason = (
            exc.translated(QCoreApplication.translate) if isinstance(exc, CqmsError) else str(exc)
        )
        log.warning("the daily backup failed: %s", reason)
        self.message.emit(
            QCoreApplication.translate(
                "DailyBackup",
                "The daily backup failed: {reason} It is tried again within the hour.",
            ).format(reason=reason),
            True,
        )
