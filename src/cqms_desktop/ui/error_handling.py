"""Errors in the GUI: a log file, and a dialog instead of a silently dying window.

- :func:`setup_logging` writes to ``paths.log_path()`` (rotated at 1 MiB, five old files kept).
- :func:`install_exception_hooks` replaces ``sys.excepthook`` and ``threading.excepthook``:
  an exception nobody caught is logged with its traceback and shown in a dialog (from any
  thread: the dialog is always opened on the GUI thread).
- :func:`show_error` shows an exception to the user: a :class:`CqmsError` as its translated
  message, anything else as "unexpected error" with the details and the log file's place.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
    QThread,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from .. import paths
from ..domain.errors import CqmsError

log = logging.getLogger("cqms_desktop")

#: The colour of an error message under a form (login, first run, database settings).
ERROR_STYLE = "color: #b00020;"

LOG_MAX_BYTES = 1024 * 1024
LOG_BACKUPS = 5
_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def setup_logging(path: Path | None = None, level: int = logging.INFO) -> Path:
    """Log to *path* (default ``paths.log_path()``) with rotation; idempotent. Returns the path."""
    path = path or paths.log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "_cqms_log", None) == str(path):
            return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler._cqms_log = str(path)  # type: ignore[attr-defined]  # marks ours for idempotence
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path


def error_text(exc: BaseException) -> str:
    """What the user reads for *exc*: the translated message of a known error, else a
    generic sentence (the details go into the dialog's "Show Details…" and the log)."""
    if isinstance(exc, CqmsError):
        return exc.translated(QCoreApplication.translate)
    return QCoreApplication.translate(
        "ErrorHandling",
        "An unexpected error occurred: {error}\n\nThe details were written to the log file "
        "{log}. Please send it to your IT contact.",
    ).format(error=f"{type(exc).__name__}: {exc}", log=str(paths.log_path()))


def error_box(parent: QWidget | None, exc: BaseException, title: str | None = None) -> QMessageBox:
    """A message box describing *exc* (not yet shown)."""
    known = isinstance(exc, CqmsError)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if known else QMessageBox.Icon.Critical)
    box.setWindowTitle(
        title
        or (
            QCoreApplication.translate("ErrorHandling", "CQMS Desktop")
            if known
            else QCoreApplication.translate("ErrorHandling", "Unexpected error")
        )
    )
    box.setText(error_text(exc))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    if not known:
        box.setDetailedText("".join(traceback.format_exception(exc)))
    return box


def open_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> QMessageBox:
    """Show *exc* in a window-modal message box without waiting; the box deletes itself when
    closed. Returns the box (keep it if a test or a caller needs to reach it)."""
    box = error_box(parent, exc, title)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    """Show *exc* in a modal message box and wait until the user closes it."""
    error_box(parent, exc, title).exec()


class _Reporter(QObject):
    """Carries uncaught exceptions from any thread to a dialog on the GUI thread."""

    report = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.report.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._showing = False

    @Slot(object)
    def _show(self, exc: BaseException) -> None:
        if self._showing:  # an error while the dialog is open: logged, not stacked
            return
        self._showing = True
        try:
            show_error(QApplication.activeWindow(), exc)
        finally:
            self._showing = False


_reporter: _Reporter | None = None


def report_exception(exc: BaseException) -> None:
    """Log *exc* with its traceback and show it to the user (queued onto the GUI thread)."""
    log.error("uncaught exception", exc_info=(type(exc), exc, exc.__traceback__))
    app = QApplication.instance()
    if app is None or _reporter is None:
        traceback.print_exception(exc)
        return
    _reporter.report.emit(exc)


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    report_exception(exc)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    report_exception(args.exc_value)


def install_exception_hooks() -> Callable[[], None]:
    """Route uncaught exceptions (GUI thread, Qt slots, Python threads) to the log and a dialog.

    Call after the ``QApplication`` exists. Returns a function that restores the old hooks.
    """
    global _reporter
    if _reporter is None or _reporter.thread() is not QThread.currentThread():
        _reporter = _Reporter()
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook

    def restore() -> None:
        sys.excepthook, threading.excepthook = old_hook, old_thread_hook

    return restore


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def route_qt_messages_to_log() -> Callable[[], None]:
    """Send Qt's own diagnostics (qWarning…) to the log file instead of stderr, so a GUI
    user's console and ``--screenshot``'s one-line error output stay clean. Returns a function
    that puts the previous handler back."""
    qt_log = logging.getLogger("qt")

    def handler(mode: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(mode, logging.WARNING), "%s", message)

    previous = qInstallMessageHandler(handler)

    def restore() -> None:
        qInstallMessageHandler(previous)

    return restore
