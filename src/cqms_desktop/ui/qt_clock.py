"""The program's clock (:mod:`cqms_desktop.domain.clock`) in Qt's date types.

Widgets that offer "now" or "today" as a default take it from here, never from
``QDateTime.currentDateTime()``, so a test or a screenshot with a fixed clock sees the same day
everywhere.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QTime

from ..domain import clock


def now_qdatetime() -> QDateTime:
    """The clock's current local time (the company's zone) as a QDateTime, whole seconds."""
    now = clock.local_now()
    return QDateTime(QDate(now.year, now.month, now.day), QTime(now.hour, now.minute, now.second))


def today_qdate() -> QDate:
    """The clock's today (the company's zone) as a QDate."""
    day = clock.today()
    return QDate(day.year, day.month, day.day)
