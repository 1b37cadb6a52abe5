"""``cqms remind`` from a running program: once a day (the first hour check after
:data:`FROM_HOUR` o'clock), on the database worker. Every PC may do it — the reminder claims in
the database make exactly one of them send each reminder — but only a PC that can send (mail
set up, a password in its credential store or environment) tries, so PCs without the
password do not fill the outbox with "not sent" messages."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer

from ..domain.clock import local_now
from ..services import reminders
from .operations import CollectionOp

log = logging.getLogger(__name__)

#: Reminders go out from this local hour on (people read them when they start work).
FROM_HOUR = 7
#: How often the program looks whether today's reminders are due.
CHECK_EVERY_MS = 60 * 60 * 1000
#: Where this PC notes the last day it ran them (a second window on the same day skips).
SETTINGS_KEY = "reminders/last_day"


class DailyReminders(QObject):
    """Runs the day's reminders once, while the program is open."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.last_report: Any = None

    def start(self) -> None:
        """Look now (after the window is up) and then every hour."""
        QTimer.singleShot(0, self.check)
        self.timer.start()

    def check(self) -> bool:
        """Start today's run if it is due here; whether it started."""
        now = local_now()
        today = now.date().isoformat()
        if now.hour < FROM_HOUR or QSettings().value(SETTINGS_KEY, "") == today:
            return False
        QSettings().setValue(SETTINGS_KEY, today)
        CollectionOp(self, reminders.remind_if_ready).success(self._done).failure(
            self._failed
        ).run_in_background()
        return True

    def _done(self, report: Any) -> None:
        self.last_report = report

    def _failed(self, exc: BaseException) -> None:
        # Nobody asked for this run: a failure (a database hiccup) is logged, not shown; the
        # scheduled task or tomorrow's run sends what was missed.
        log.warning("daily reminders failed: %s", exc)
        QSettings().remove(SETTINGS_KEY)
