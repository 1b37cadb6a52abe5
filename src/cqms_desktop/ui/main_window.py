"""The main window: the user's own work, the dashboard, one tab per kind of record, and the
administration area.

The tabs are named (``my_work``, ``dashboard``, ``visits``, ``feedback``, ``complaints``,
``surveys``, ``service``, ``admin``) so the start-up code and ``cqms-desktop --screenshot --tab``
can show one with :meth:`MainWindow.select_tab`. The window opens on "My work": what waits for
this user and their department, overdue first (its count is on the tab and in the status bar).
The status bar says who is logged in, which database is open (and whether it sits on a network
share) and how many complaints are overdue or due soon. Lists and counts refresh when any
service commits a change: the window follows the application's one change bridge while it is
shown (:func:`.change_bridge.follow_changes`). Window geometry and every list's column layout
are remembered per PC in ``QSettings``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStyle,
    QTabWidget,
    QWidget,
)

from .. import APP_NAME, __version__
from ..domain.complaint_workflow import OVERDUE_WATCHERS
from ..services.base import Actor
from ..services.database import DatabaseInfo
from ..services.registers import RECORD_KINDS, REGISTERS, Filter
from ..services.settings_queries import company_name
from .change_bridge import follow_changes
from .daily_backup import DailyBackup
from .daily_reminders import DailyReminders
from .dashboard import Dashboard, deadline_counts
from .my_work_view import KIND_OF_RECORD, WATCHED_KINDS, MyWorkView
from .operations import LatestOnly, QueryOp, database_worker
from .register_view import RegisterView
from .remote_changes import RemoteChangeWatcher
from .window_fit import available_area, fitted_size
from .work_tray import WorkTray

#: Tab names, in order, as :meth:`MainWindow.select_tab` and ``--tab`` know them.
TAB_NAMES = ("my_work", "dashboard", *RECORD_KINDS, "admin")

_GEOMETRY_KEY = "main_window/geometry"
_STATE_KEY = "main_window/state"


class MainWindow(QMainWindow):
    """Tabs, menus and status bar for the logged-in *actor* on the database *db_info*."""

    #: The user chose File → Sign out: the program shows the log-in again instead of ending.
    signOutRequested = Signal()

    def __init__(self, actor: Actor, db_info: DatabaseInfo, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
        self.db_info = db_info
        self.setObjectName("MainWindow")
        #: Set by :meth:`sign_out`: the program returns to the log-in when the window closes.
        self.signed_out = False
        #: Save geometry and column layouts on close (off for ``--screenshot`` renders).
        self.remember_layout = True

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.my_work = MyWorkView(actor, self.tabs, opener=self.open_work_item)
        self.my_work.countsChanged.connect(self.show_work_counts)
        self.tabs.addTab(self.my_work, self.tr("My work"))
        self.dashboard = Dashboard(actor, self.tabs)
        self.dashboard.drillDown.connect(self.show_filtered)
        self.views: dict[str, RegisterView] = {}
        self._tab_widgets: dict[str, QWidget] = {
            "my_work": self.my_work,
            "dashboard": self.dashboard,
        }
        self.tabs.addTab(self.dashboard, self.tr("Dashboard"))
        titles = {
            "visits": self.tr("Visits"),
            "feedback": self.tr("Feedback"),
            "complaints": self.tr("Complaints"),
            "surveys": self.tr("Surveys"),
            "service": self.tr("Service records"),
        }
        #: Inner tabs beside a list: name → (outer tab, inner tab widget, the page). The page
        #: is an empty stand-in until first shown (see :meth:`_build_side_page`).
        self._sub_pages: dict[str, tuple[str, QTabWidget, QWidget]] = {}
        self._page_factories: dict[str, Callable[[], QWidget]] = {}
        for kind in RECORD_KINDS:
            view = RegisterView(REGISTERS[kind], actor, self.tabs, settings_key=kind)
            self.views[kind] = view
            page: QWidget = view
            extras = self._side_pages(kind)
            if extras:
                inner = QTabWidget(self.tabs)
                inner.setDocumentMode(True)
                inner.setTabPosition(QTabWidget.TabPosition.South)
                inner.addTab(view, self.tr("List"))
                for name, factory, title in extras:
                    stand_in = QWidget(inner)
                    inner.addTab(stand_in, title)
                    self._sub_pages[name] = (kind, inner, stand_in)
                    self._page_factories[name] = factory
                inner.currentChanged.connect(
                    lambda index, inner=inner: self._build_side_page(inner, index)
                )
                page = inner
            self._tab_widgets[kind] = page
            self.tabs.addTab(page, titles[kind])
        self.admin: Any = None
        if actor.is_admin:
            from .admin import AdminArea

            self.admin = AdminArea(actor, self.tabs)
            admin_widget: QWidget = self.admin
        else:
            admin_widget = QWidget(self.tabs)  # kept as a hidden tab so indexes do not shift
        self._tab_widgets["admin"] = admin_widget
        admin_index = self.tabs.addTab(admin_widget, self.tr("Administration"))
        self.tabs.setTabVisible(admin_index, actor.is_admin)

        self._build_menus()
        self._build_status_bar()
        # Issue 12: the overdue count in the tray and the day's reminders while the program runs.
        self.tray = WorkTray(self)
        self.my_work.countsChanged.connect(lambda *_: self.tray.update(self.my_work.items))
        self.daily_reminders = DailyReminders(self)
        # Issue 15: the day's scheduled backup (one PC per day), its outcome in the status bar.
        self.daily_backup = DailyBackup(actor, self)
        self.daily_backup.message.connect(
            lambda text, failed: self.statusBar().showMessage(text, 0 if failed else 30000)
        )
        # Issue 15: what other PCs change reaches this window within a few seconds.
        self.remote = RemoteChangeWatcher(actor.username, self)
        # Issue 15: an outage and the server's return, said in the status bar.
        worker = database_worker()
        worker.connectionLost.connect(self._server_lost)
        worker.connectionBack.connect(self._server_back)
        self.my_work.refresh()
        #: Changes reach the window while it is shown; a closed window hears of none.
        self.changes = follow_changes(self, self.on_changed)
        self.update_title()
        self.restore_window()

    # ------------------------------------------------------------------ building
    def _side_pages(self, kind: str) -> list[tuple[str, Callable[[], QWidget], str]]:
        """Views shown beside a list: the visit plan (5.1.1) and the survey results (5.1.3),
        as factories: they are built (and read the database) only when first shown."""
        if kind == "visits":

            def visit_plan() -> QWidget:
                from .visit_plan_view import VisitPlanView

                return VisitPlanView(self.tabs)

            return [("visit_plan", visit_plan, self.tr("Visit plan"))]
        if kind == "surveys":

            def survey_results() -> QWidget:
                from .editors.surveys import SurveyResultsView

                return SurveyResultsView(self.tabs)

            return [("survey_results", survey_results, self.tr("Results"))]
        if kind == "complaints":

            def scar_register() -> QWidget:
                from .scar_register import ScarRegisterPage

                return ScarRegisterPage(self.actor, self.tabs)

            return [("scars", scar_register, self.tr("Supplier corrective actions (SCAR)"))]
        return []

    def _build_side_page(self, inner: QTabWidget, index: int) -> None:
        """Put the real page in place of its stand-in when the user first turns to it."""
        stand_in = inner.widget(index)
        for name, (outer, tab_widget, page) in self._sub_pages.items():
            if tab_widget is inner and page is stand_in and name in self._page_factories:
                real = self._page_factories.pop(name)()
                self._sub_pages[name] = (outer, inner, real)
                self._route_list_shortcuts(real, self.views[outer], inner)
                title, current = inner.tabText(index), inner.currentIndex()
                inner.blockSignals(True)  # the swap is not the user turning pages
                inner.removeTab(index)
                inner.insertTab(index, real, title)
                inner.setCurrentIndex(current)
                inner.blockSignals(False)
                stand_in.deleteLater()
                return

    def side_page(self, name: str) -> QWidget:
        """The page *name* beside a list (``visit_plan``, ``survey_results``), built if needed."""
        _outer, inner, page = self._sub_pages[name]
        if name in self._page_factories:
            self._build_side_page(inner, inner.indexOf(page))
        return self._sub_pages[name][2]

    def _route_list_shortcuts(self, page: QWidget, view: RegisterView, inner: QTabWidget) -> None:
        """Ctrl+N / Ctrl+F / Ctrl+P on a page beside a list (the visit plan, the survey
        results) act on that list, as they do on the list itself.

        Window-context actions on *page*: Qt matches them only while the page is visible,
        so they never compete with the list's own (visible only while the list is shown).
        """

        def show_list() -> None:
            inner.setCurrentWidget(view)

        def find() -> None:
            show_list()
            view.focus_search()

        def print_selected() -> None:
            show_list()
            view.print_selected()

        for key, run, enabled in (
            (QKeySequence.StandardKey.New, view.new_record, view.new_action.isEnabled()),
            (QKeySequence.StandardKey.Find, find, True),
            (QKeySequence.StandardKey.Print, print_selected, view.print_action.isEnabled()),
        ):
            action = QAction(page)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setEnabled(enabled)
            action.triggered.connect(run)
            page.addAction(action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.settings_action = QAction(self.tr("&Settings…"), self)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(self.settings_action)
        self.password_action = QAction(self.tr("Change my &password…"), self)
        self.password_action.triggered.connect(self.change_password)
        file_menu.addAction(self.password_action)
        self.import_action = QAction(self.tr("&Import from Excel…"), self)
        self.import_action.triggered.connect(self.open_import)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        self.sign_out_action = QAction(self.tr("Sign &out / switch user"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        file_menu.addAction(self.sign_out_action)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = bar.addMenu(self.tr("&View"))
        self.tab_actions: dict[str, QAction] = {}
        for index, name in enumerate(TAB_NAMES):
            if name == "admin" and not self.actor.is_admin:
                continue
            action = QAction(self.tabs.tabText(index), self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, n=name: self.select_tab(n))
            view_menu.addAction(action)
            self.tab_actions[name] = action
        view_menu.addSeparator()
        self.refresh_action = QAction(self.tr("&Refresh"), self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(lambda: self.on_changed(frozenset({"*"})))
        view_menu.addAction(self.refresh_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About CQMS Desktop"), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _server_lost(self) -> None:
        self.statusBar().showMessage(
            self.tr(
                "The database server cannot be reached. What you type is kept; the program "
                "connects again on the next try."
            )
        )

    def _server_back(self) -> None:
        self.statusBar().showMessage(self.tr("The database server is back."), 30000)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        department = QCoreApplication.translate("Enums", self.actor.department.label)
        self.user_label = QLabel(
            self.tr("User: {name} ({department})").format(
                name=self.actor.full_name, department=department
            ),
            self,
        )
        self.user_label.setObjectName("statusUser")
        where = self.db_info.display
        text = self.tr("Database: {where}").format(where=where)
        if self.db_info.network_share:
            text += " " + self.tr("(on a network share)")
        self.database_label = QLabel(text, self)
        self.database_label.setObjectName("statusDatabase")
        # A long network path gives way (the tooltip has it whole), so the counts on the
        # right stay readable on a laptop, in Chinese too.
        self.database_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        tips = [QCoreApplication.translate("Errors", w) for w in self.db_info.warnings]
        self.database_label.setToolTip("\n".join([self.db_info.display, *tips]))
        self.work_label = QLabel(self)
        self.work_label.setObjectName("statusMyWork")
        self.deadline_icon = QLabel(self)
        self.deadline_label = QLabel(self)
        self.deadline_label.setObjectName("statusDeadlines")
        status.addWidget(self.user_label)
        status.addWidget(self.database_label, 1)
        status.addPermanentWidget(self.work_label)
        status.addPermanentWidget(self.deadline_icon)
        status.addPermanentWidget(self.deadline_label)
        self._deadline_reads = LatestOnly()
        self.update_deadlines()

    # ------------------------------------------------------------------ tabs
    def tab_names(self) -> list[str]:
        """The tabs this user can see, by name."""
        return [n for n in TAB_NAMES if n != "admin" or self.actor.is_admin]

    def select_tab(self, name: str) -> bool:
        """Show tab *name*; False if there is no such tab or this user may not see it."""
        if name in self._sub_pages:  # e.g. "visit_plan": the Visits tab, its plan page
            page = self.side_page(name)
            outer, inner, _page = self._sub_pages[name]
            self.tabs.setCurrentWidget(self._tab_widgets[outer])
            inner.setCurrentWidget(page)
            return True
        widget = self._tab_widgets.get(name)
        if widget is None or name not in self.tab_names():
            return False
        self.tabs.setCurrentWidget(widget)
        if isinstance(widget, QTabWidget) and name in self.views:
            widget.setCurrentWidget(self.views[name])
        return True

    def current_tab(self) -> str:
        """The name of the tab shown."""
        widget = self.tabs.currentWidget()
        name = next((n for n, w in self._tab_widgets.items() if w is widget), "dashboard")
        for sub, (outer, inner, page) in self._sub_pages.items():
            if outer == name and inner.currentWidget() is page:
                return sub
        return name

    def show_filtered(self, tab: str, flt: Filter, description: str = "") -> None:
        """Show list *tab* narrowed to *flt* (the dashboard's drill-down)."""
        view = self.views.get(tab)
        if view is None:
            return
        self.select_tab(tab)
        view.apply_filter(flt, description)

    def show_overdue_on_start(self) -> int:
        """For QA and the General Manager: open the list of overdue complaints, if any.

        Returns how many there are (0: nothing was changed).
        """
        if self.actor.department not in OVERDUE_WATCHERS:
            return 0
        flt = Filter(overdue=True)
        count = REGISTERS["complaints"].count(flt)
        if count:
            self.show_filtered(
                "complaints", flt, self.tr("Overdue complaints: {count}").format(count=count)
            )
        return count

    # ------------------------------------------------------------------ changes
    def on_changed(self, kinds: frozenset[str]) -> None:
        """Records changed (here or on another PC via a refresh): update what is shown."""
        if "*" in kinds or kinds & WATCHED_KINDS:
            self.my_work.refresh()
        self.dashboard.on_changed(kinds)
        for view in self.views.values():
            view.on_changed(kinds)
        if self.admin is not None:
            self.admin.on_changed(kinds)
        self.update_deadlines()
        if "settings" in kinds or "*" in kinds:
            self.update_title()

    def show_work_counts(self, total: int, overdue: int) -> None:
        """The "My work" counts on its tab and in the status bar."""
        index = self.tabs.indexOf(self.my_work)
        title = self.tr("My work")
        self.tabs.setTabText(index, f"{title} ({total})" if total else title)
        self.work_label.setText(
            self.tr("My work: {total} waiting, {overdue} overdue").format(
                total=total, overdue=overdue
            )
        )

    def open_work_item(self, record_kind: str, record_id: int) -> Any:
        """Open the record of a "My work" line in the editor of its list."""
        view = self.views[KIND_OF_RECORD[record_kind]]
        return view.open_record(record_id)

    def update_deadlines(self) -> None:
        """Re-count the overdue and due-soon complaints for the status bar (on the worker)."""
        op = QueryOp(self, deadline_counts, self.show_deadlines).latest_of(self._deadline_reads)
        op.run_in_background()

    def show_deadlines(self, counts: tuple[int, int]) -> None:
        """Show the (overdue, due soon) complaint counts in the status bar."""
        overdue, due_soon = counts
        self.deadline_label.setText(
            self.tr("Complaints overdue: {overdue} · due soon: {due_soon}").format(
                overdue=overdue, due_soon=due_soon
            )
        )
        pixmap = (
            QStyle.StandardPixmap.SP_MessageBoxCritical
            if overdue
            else QStyle.StandardPixmap.SP_MessageBoxWarning
            if due_soon
            else None
        )
        if pixmap is None:
            self.deadline_icon.clear()
            self.deadline_icon.hide()
        else:
            size = self.deadline_label.fontMetrics().height()
            self.deadline_icon.setPixmap(self.style().standardIcon(pixmap).pixmap(size, size))
            self.deadline_icon.show()

    def update_title(self) -> None:
        """The window title: the company's name and the program's."""
        company = company_name()
        self.setWindowTitle(f"{company} — {APP_NAME}" if company else APP_NAME)

    # ------------------------------------------------------------------ menu actions
    def open_settings(self) -> Any:
        """Open the settings dialog (database, language), if this build has it."""
        try:
            from .settings_dialog import SettingsDialog
        except ImportError:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                APP_NAME,
                self.tr("The settings dialog is not available in this version."),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.open()
            return box
        dialog = SettingsDialog(self)
        dialog.open()
        return dialog

    def sign_out(self) -> bool:
        """Close the window and return to the log-in (the program runs on); False if the
        window refused to close."""
        if not self.close():
            return False
        self.signed_out = True
        self.signOutRequested.emit()
        return True

    def change_password(self) -> Any:
        """File → Change my password (any user; the current password is required)."""
        from .password_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_import(self) -> Any:
        """Open the import of legacy Excel registers (customers, products, complaints…)."""
        from .import_dialog import open_import_dialog

        return open_import_dialog(self, self.actor)

    def show_about(self) -> QMessageBox:
        """Version, purpose and the open database."""
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About CQMS Desktop"))
        box.setIconPixmap(self.windowIcon().pixmap(48, 48))
        box.setText(
            self.tr(
                "<b>CQMS Desktop {version}</b><br>Customer service and complaint handling "
                "according to the Customer Service and Complaint Handling Control Procedure."
            ).format(version=__version__)
        )
        box.setInformativeText(self.tr("Database: {where}").format(where=self.db_info.display))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()
        return box

    # ------------------------------------------------------------------ layout memory
    def all_views(self) -> list[RegisterView]:
        """Every register list of the window (record tabs and administration pages)."""
        views = list(self.views.values())
        if self.admin is not None:
            views += self.admin.views()
        return views

    def restore_window(self) -> None:
        """Geometry and toolbar state as this PC left them."""
        settings = QSettings()
        geometry = settings.value(_GEOMETRY_KEY)
        # Restored only if the window still fits this screen (a laptop away from its
        # monitor), else the default size shrunk to the screen.
        if (
            geometry is None
            or not self.restoreGeometry(geometry)
            or not available_area(self).contains(self.frameGeometry())
        ):
            self.setWindowState(Qt.WindowState.WindowNoState)
            self.resize(fitted_size(self, QSize(1280, 800)))
        state = settings.value(_STATE_KEY)
        if state is not None:
            self.restoreState(state)
        # Always start on the user's own work: what needs attention today comes first.
        self.select_tab("my_work")

    def save_window(self) -> None:
        """Remember geometry and every list's columns on this PC."""
        settings = QSettings()
        settings.setValue(_GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(_STATE_KEY, self.saveState())
        for view in self.all_views():
            view.save_layout()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quit (or sign out): first every open record editor with unsaved changes asks
        Save / Discard / Cancel — Cancel keeps the program running; then save the layout and
        close (closing hides the window: its views stop following changes, see
        :mod:`.change_bridge`)."""
        from .editors.record_editor import confirm_closing_editors

        if not confirm_closing_editors(self):
            event.ignore()
            return
        if self.remember_layout:
            self.save_window()
        self.remote.stop()  # a closed window polls no more
        super().closeEvent(event)
