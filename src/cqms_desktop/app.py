"""The GUI entry point ``cqms-desktop`` (also ``python -m cqms_desktop``).

Start-up order: Qt application (names, the shipped Chinese font), translators, logging and the
uncaught-exception dialog, command line, database (with a dialog on failure), the one-instance
lock, first start or log-in, main window.

``--screenshot FILE.png`` renders the main window off screen without log-in or dialogs (as the
first active administrator) and exits: 0 on success, 2 with one line on stderr on failure.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from . import APP_NAME, ORG_NAME, __version__, paths
from .domain import clock
from .ui import wheel_guard

if TYPE_CHECKING:
    from .services.base import Actor
    from .store.db import DatabaseInfo
    from .ui.single_instance import InstanceLock

log = logging.getLogger(__name__)

TABS = (
    "my_work", "dashboard", "visits", "feedback", "complaints", "surveys", "service",
    "visit_plan", "survey_results", "admin",
)  # fmt: skip
SCREENSHOT_SIZE = (1400, 860)
FONT_FILE = "fonts/wqy-microhei.ttc"


def _size(text: str) -> tuple[int, int]:
    """``1366x768`` as (1366, 768); argparse turns the ValueError into a usage message."""
    width, _, height = text.lower().partition("x")
    size = (int(width), int(height))
    if not (320 <= size[0] <= 10000 and 240 <= size[1] <= 10000):
        raise ValueError(text)
    return size


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line: ``--db URL``, ``--screenshot FILE.png``, ``--tab NAME``, ``--lang``.

    Qt's own options (``-platform``, ``-style``…) are left for ``QApplication``.
    """
    parser = argparse.ArgumentParser(
        prog="cqms-desktop",
        description="CQMS Desktop: customer service and complaint handling.",
    )
    parser.add_argument("--db", metavar="URL", help="database URL (overrides CQMS_DB)")
    parser.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="render the main window off screen to FILE.png and exit (no log-in)",
    )
    parser.add_argument("--tab", choices=TABS, default="my_work", help="tab to show first")
    parser.add_argument(
        "--user", metavar="NAME", help="with --screenshot: as this user (default: an administrator)"
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        type=_size,
        default=SCREENSHOT_SIZE,
        help="with --screenshot: the window size (default %(default)s), e.g. 1366x768",
    )
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="language of the program")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def register_fonts(app: QApplication) -> list[str]:
    """Register the shipped WenQuanYi Micro Hei and add it as the fallback family, so Chinese
    renders on a PC without Chinese fonts (and in off-screen screenshots). Returns its families."""
    font_file = paths.resource_path(FONT_FILE)
    if not font_file.exists():
        log.warning("shipped font missing: %s", font_file)
        return []
    font_id = QFontDatabase.addApplicationFont(str(font_file))
    if font_id < 0:
        log.warning("could not load font %s", font_file)
        return []
    families = QFontDatabase.applicationFontFamilies(font_id)
    font = QFont(app.font())
    current = font.families() or [font.family()]
    font.setFamilies([*current, *[f for f in families if f not in current]])
    app.setFont(font)
    return list(families)


def create_application(argv: Sequence[str]) -> QApplication:
    """The ``QApplication`` (or the existing one, in tests), named for QSettings/data folder."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv))
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    register_fonts(app)  # type: ignore[arg-type]
    wheel_guard.install(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def _main_window_class() -> type[QWidget]:
    # Imported late: the main window pulls in every tab; start-up errors show without it.
    from .ui.main_window import MainWindow

    return MainWindow


def _wait_for_operations(timeout_ms: int = 30000) -> None:
    """Run the event loop until the database worker has delivered every queued read (and
    what those results asked for in turn), so a screenshot shows the data, not empty lists."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    from .ui.operations import database_worker

    worker = database_worker()
    deadline = QDeadlineTimer(timeout_ms)
    for _ in range(3):  # a delivered page may make a view ask for the next one
        while not worker.is_idle() and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QApplication.processEvents()


def take_screenshot(args: argparse.Namespace) -> int:
    """``--screenshot``: open (and migrate) the database, render the main window, save the PNG.

    No dialogs: errors are one line on stderr and exit code 2.
    """
    from .domain.errors import CqmsError
    from .services import auth
    from .services.base import Actor
    from .store.models import User
    from .ui.startup import close_quietly, open_and_migrate, resolve_database_url

    try:
        resolved = resolve_database_url(args.db)
        info, _result = open_and_migrate(resolved.url)
        if args.user:
            user = User.get_or_none(User.username == args.user)
            if user is None:
                print(f"cqms-desktop: no such user: {args.user}", file=sys.stderr)
                return 2
        else:
            user = User.select().where(User.is_admin & User.active).order_by(User.id).first()
        actor = auth.actor_for(user) if user is not None else Actor.system()
        window = _main_window_class()(actor, info)
        window.remember_layout = False  # a render is not the user's layout
        window.resize(*args.size)
        window.select_tab(args.tab)
        window.show()
        for _ in range(5):  # layout, then lazily loaded models, then paint
            QApplication.processEvents()
        _wait_for_operations()  # the lists, counts and charts are read on the database worker
        target = os.path.abspath(args.screenshot)
        if not window.grab().save(target):
            raise OSError(f"cannot write the image {target}")
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    except CqmsError as exc:
        print(f"cqms-desktop: {exc.translated(QCoreApplication.translate)}", file=sys.stderr)
        return 2
    except Exception as exc:
        log.exception("screenshot failed")
        print(f"cqms-desktop: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    finally:
        close_quietly()
    print(target)
    return 0


def _log_in(info: DatabaseInfo) -> tuple[Actor | None, str | None]:
    """First start or log-in on the open database: ``(actor, None)`` when someone logged in,
    ``(None, url)`` when the user chose another database, ``(None, None)`` when they cancelled.
    """
    from PySide6.QtWidgets import QDialog

    from .services import admin
    from .ui import first_run, startup
    from .ui.login_dialog import LoginDialog

    startup.warn_network_share_once(None, info)
    if admin.needs_first_run():
        return first_run.run_first_start(None), None
    dialog = LoginDialog(info)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return (dialog.actor if accepted else None), dialog.switch_to


def start_gui(args: argparse.Namespace) -> tuple[QWidget, InstanceLock] | int:
    """The interactive start-up, up to the shown main window.

    Returns ``(main_window, instance_lock)``, or an exit code when it ends early: 0 when the
    user cancels the log-in or first start, 1 when they quit at the database dialog, 3 when
    another instance on this PC has the same database open.
    """
    from .ui import single_instance, startup

    resolved = startup.resolve_database_url(args.db)
    while True:
        opened = startup.open_database_interactively(None, resolved)
        if opened is None:
            return 1
        lock = single_instance.acquire_instance_lock(opened.info)
        if lock is None:
            single_instance.already_running_box(None, opened.info).exec()
            startup.close_quietly()
            return 3
        try:
            actor, switch_to = _log_in(opened.info)
        except BaseException:
            lock.release()  # a failed start must not block the next one
            startup.close_quietly()
            raise
        if actor is not None:
            break
        lock.release()
        startup.close_quietly()
        if switch_to is None:
            return 0
        resolved = startup.ResolvedUrl(switch_to, startup.UrlSource.CHOSEN)
    try:
        window = _main_window_class()(actor, opened.info)
    except BaseException:
        lock.release()
        raise
    window.select_tab(args.tab)
    if args.tab == "my_work":  # no explicit choice: QA and the GM see what is overdue
        window.show_overdue_on_start()
    window.show()
    # Issue 12: the day's reminders while the program runs (a test's stand-in window has none).
    daily = getattr(window, "daily_reminders", None)
    if daily is not None:
        daily.start()
    backups = getattr(window, "daily_backup", None)
    if backups is not None:
        backups.start()
    return window, lock


def main(argv: Sequence[str] | None = None) -> int:
    """Run CQMS Desktop; returns the process exit code."""
    argv = list(sys.argv if argv is None else [sys.argv[0] if sys.argv else "cqms-desktop", *argv])
    args = parse_args(argv[1:])
    try:
        program_clock = clock.clock_for(os.environ.get("CQMS_NOW"))
    except ValueError:
        value = os.environ.get("CQMS_NOW", "").encode("unicode_escape").decode("ascii")
        print(f"cqms-desktop: CQMS_NOW is not a date and time: {value}", file=sys.stderr)
        return 2
    if not isinstance(program_clock, clock.SystemClock):
        # A demonstration or a screenshot "as on" a given day; a caller's clock stays otherwise.
        clock.set_clock(program_clock)
    if args.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window on the screen, no display needed
    # Background jobs (exports, imports) hold the GIL in pure-Python loops; a short switch
    # interval hands it back to the GUI thread every millisecond instead of every 5 ms, so the
    # progress dialog and its Cancel button stay responsive (measured: 200 ms → 15 ms).
    sys.setswitchinterval(0.001)
    app = create_application(argv)

    from .ui import error_handling, i18n

    i18n.install_translators(i18n.choose_language(args.lang))
    error_handling.setup_logging()
    restore_qt_messages = error_handling.route_qt_messages_to_log()
    if args.screenshot:
        try:
            return take_screenshot(args)
        finally:
            restore_qt_messages()
    restore_hooks = error_handling.install_exception_hooks()
    try:
        return run_sessions(app, args)
    finally:
        from .ui.startup import close_quietly

        close_quietly()
        restore_hooks()
        restore_qt_messages()


def run_sessions(app: QApplication, args: argparse.Namespace) -> int:
    """Start-up, log-in and the main window, again after each "Sign out" (File menu), until
    the user quits; returns the exit code."""
    from .ui.error_handling import show_error
    from .ui.startup import close_quietly

    while True:
        try:
            started = start_gui(args)
        except Exception as exc:
            # No event loop runs yet, so the queued error dialog of the hooks would never
            # show: log and show it here, modally, then leave.
            log.exception("start-up failed")
            show_error(None, exc)
            return 1
        if isinstance(started, int):
            return started
        window, lock = started
        try:
            code = app.exec()
        finally:
            lock.release()
        signed_out = bool(getattr(window, "signed_out", False))
        del window
        if not signed_out:
            return code
        # The next user logs in on the same database (remembered as the last one used).
        close_quietly()
