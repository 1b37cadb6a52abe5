"""The first tab: what needs attention today, each count a button that opens its list.

Every number is counted in SQL through the same registers and filters the lists use, so a
click on a count opens a list with exactly that many records:

- open complaints, overdue complaints, complaints due within two days (5.2.3 a/b);
- complaints whose corrective actions are overdue (5.2.4);
- feedback circulated to a department that has not acknowledged it (5.1.2);
- active customers not visited this month (5.1.1: at least once a month);
- satisfaction surveys of this quarter not returned yet (5.1.3).

Below the counts, four charts (:mod:`.dashboard_charts`) and a button that writes the
management-review workbook (:mod:`.export_actions`). The page scrolls when the window is
too small for all of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..domain import enums as E
from ..domain.clock import today as clock_today
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services.base import Actor
from ..services.dashboard_queries import overdue_action_count
from ..services.kpis import Period, Scope, parse_period, period_cost
from ..services.kpis import currency as cost_currency
from ..services.registers import COMPLAINTS, CUSTOMERS, FEEDBACK, SURVEYS, Filter, Register
from .dashboard_charts import DashboardCharts
from .export_actions import ReviewExportDialog, export_review_workbook
from .jobs import Job
from .operations import LatestOnly, QueryOp

#: "Due within 2 days" on the dashboard (the urgent handling limit of 5.2.3 a).
DUE_WITHIN_HOURS = 48
#: The counts are re-read this often even without changes (deadlines pass with time).
REFRESH_MS = 5 * 60 * 1000
#: Count tiles per row (seven tiles: two rows leave room for the charts below).
TILE_COLUMNS = 4


def current_quarter(today: date | None = None) -> str:
    """The survey quarter of *today*, e.g. ``2026-Q4`` (the format of ``Survey.quarter``)."""
    today = today or clock_today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Tile:
    """One count on the dashboard and the list it opens."""

    key: str
    label: str  # English, context "Dashboard"
    tab: str  # main-window tab the click opens ("customers": a list window)
    register: Register
    make_filter: Callable[[], Filter]
    alert: bool = False  # a non-zero count is a problem (shown with a warning icon)
    #: An amount the tile shows instead of the count (the count goes into the caption).
    amount: Callable[[], Decimal] | None = None

    def filter(self) -> Filter:
        """The filter of the list this tile opens."""
        return self.make_filter()

    def count(self) -> int:
        """The count shown on the tile (SQL ``COUNT``)."""
        return self.register.count(self.filter())


TILES: list[Tile] = [
    Tile(
        "open_complaints",
        QT_TRANSLATE_NOOP("Dashboard", "Open complaints"),
        "complaints",
        COMPLAINTS,
        lambda: Filter(open_only=True),
    ),
    Tile(
        "overdue",
        QT_TRANSLATE_NOOP("Dashboard", "Overdue complaints"),
        "complaints",
        COMPLAINTS,
        lambda: Filter(open_only=True, overdue=True),
        alert=True,
    ),
    Tile(
        "due_soon",
        QT_TRANSLATE_NOOP("Dashboard", "Complaints due within 2 days"),
        "complaints",
        COMPLAINTS,
        lambda: Filter(open_only=True, extra={"due_within_hours": DUE_WITHIN_HOURS}),
        alert=True,
    ),
    Tile(
        "actions_overdue",
        QT_TRANSLATE_NOOP("Dashboard", "Complaints with overdue corrective actions"),
        "complaints",
        COMPLAINTS,
        lambda: Filter(extra={"actions_overdue": True}),
        alert=True,
    ),
    Tile(
        "awaiting_ack",
        QT_TRANSLATE_NOOP("Dashboard", "Feedback awaiting acknowledgement"),
        "feedback",
        FEEDBACK,
        lambda: Filter(extra={"awaiting_ack": True}),
        alert=True,
    ),
    Tile(
        "not_visited",
        QT_TRANSLATE_NOOP("Dashboard", "Active customers not visited this month"),
        "customers",
        CUSTOMERS,
        lambda: Filter(open_only=True, extra={"not_visited_since": clock_today().replace(day=1)}),
    ),
    Tile(
        "cost_year",
        QT_TRANSLATE_NOOP("Dashboard", "Cost of poor quality this year"),
        "complaints",
        COMPLAINTS,
        lambda: Filter(date_from=date(clock_today().year, 1, 1), extra={"with_cost": True}),
        amount=lambda: period_cost(Scope(parse_period(str(clock_today().year)))),
    ),
    Tile(
        "surveys_open",
        QT_TRANSLATE_NOOP("Dashboard", "Surveys not returned this quarter"),
        "surveys",
        SURVEYS,
        lambda: Filter(
            text=current_quarter(),
            status=(E.SurveyStatus.PLANNED.value, E.SurveyStatus.SENT.value),
        ),
    ),
]
TILE_BY_KEY = {t.key: t for t in TILES}


def dashboard_counts() -> dict[str, Any]:
    """Every dashboard count, by tile key (plus ``overdue_actions``: the actions themselves;
    ``KEY.amount`` for a tile showing an amount, and the ``currency`` it is in)."""
    counts: dict[str, Any] = {tile.key: tile.count() for tile in TILES}
    for tile in TILES:
        if tile.amount is not None:
            counts[f"{tile.key}.amount"] = tile.amount()
    counts["overdue_actions"] = overdue_action_count()
    counts["currency"] = cost_currency()
    return counts


def deadline_counts() -> tuple[int, int]:
    """Open complaints overdue, and due soon (the lists' "Due soon"), for the status bar."""
    overdue = COMPLAINTS.count(Filter(open_only=True, overdue=True))
    due_soon = COMPLAINTS.count(Filter(open_only=True, due_soon=True))
    return overdue, due_soon


class CountTile(QPushButton):
    """A big number with its caption; a problem is shown by colour *and* a warning icon."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(240, 90)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Click to open the list of these records."))
        self.icon_label = QLabel(self)
        self.number = QLabel(self)
        self.number.setObjectName("tileNumber")
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.number.setFont(font)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        for label in (self.icon_label, self.number, self.caption):
            # Clicks on the labels belong to the button.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        top = QHBoxLayout()
        top.addWidget(self.number)
        top.addStretch(1)
        top.addWidget(self.icon_label)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        box.addLayout(top)
        box.addWidget(self.caption)

    def show_count(self, number: str, caption: str, *, problem: bool) -> None:
        """Show *number* and *caption*; *problem* adds the warning icon and colour."""
        self.number.setText(number)
        self.caption.setText(caption)
        self.setText("")  # the labels carry the text; the accessible name says it all
        self.setAccessibleName(f"{number} {caption}")
        self.setProperty("problem", problem)
        if problem:
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self.icon_label.setPixmap(icon.pixmap(24, 24))
            self.setStyleSheet("CountTile { background: #ffe0e0; border: 1px solid #d9534f; }")
        else:
            self.icon_label.clear()
            self.setStyleSheet("")


class Dashboard(QWidget):
    """The counts as buttons; a click emits :attr:`drillDown` (customers open a list window)."""

    #: (tab name, Filter, description) — the main window shows that tab with that filter.
    drillDown = Signal(str, object, str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.buttons: dict[str, CountTile] = {}
        self.counts: dict[str, Any] = {}
        self._dirty = False
        #: The last list window opened for a count without a tab of its own.
        self.customer_window: QDialog | None = None
        #: The last review-workbook dialog, job and end message (kept for tests).
        self.review_dialog: ReviewExportDialog | None = None
        self.review_job: Job | None = None
        self.review_message: QWidget | None = None
        # Everything sits in a scroll area: tiles and charts need about 780 px of height.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget(scroll)
        scroll.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(page)
        heading = QHBoxLayout()
        title = QLabel(self.tr("What needs attention"), page)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        heading.addWidget(title)
        heading.addStretch(1)
        self.review_button = QPushButton(self.tr("Management review workbook…"), page)
        self.review_button.setObjectName("reviewWorkbook")
        self.review_button.setToolTip(
            self.tr(
                "Write the management review's key figures for a month, quarter or year to Excel."
            )
        )
        self.review_button.clicked.connect(self.open_review_export)
        heading.addWidget(self.review_button)
        layout.addLayout(heading)
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, tile in enumerate(TILES):
            button = CountTile(page)
            button.setObjectName(f"tile_{tile.key}")
            button.clicked.connect(lambda _=False, t=tile: self.open_tile(t.key))
            grid.addWidget(button, i // TILE_COLUMNS, i % TILE_COLUMNS)
            self.buttons[tile.key] = button
        layout.addLayout(grid)
        self.note = QLabel(page)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.charts = DashboardCharts(page)
        self.charts.drillDown.connect(self.drillDown)  # a click on a chart opens its list
        layout.addWidget(self.charts, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.on_changed)
        self._timer.start()
        self._reads = LatestOnly()  # counts overtaken by a newer count are dropped
        self.refresh()

    def refresh(self) -> None:
        """Re-count everything in SQL, on the database worker; the tiles show it when in."""
        self._dirty = False
        QueryOp(self, dashboard_counts, self.show_counts).latest_of(self._reads).run_in_background()

    def show_counts(self, counts: dict[str, Any]) -> None:
        """Show *counts* (tile key → number) on the tiles."""
        self.counts = counts
        locale = QLocale()
        for tile in TILES:
            n = self.counts[tile.key]
            caption = QCoreApplication.translate("Dashboard", tile.label)
            number = locale.toString(n)
            if tile.amount is not None:
                amount = self.counts[f"{tile.key}.amount"]
                number = f"{locale.toString(float(amount), 'f', 0)} {self.counts['currency']}"
                caption += "\n" + self.tr("{n} complaint(s) with costs").format(
                    n=locale.toString(n)
                )
            self.buttons[tile.key].show_count(number, caption, problem=tile.alert and n > 0)
        self.note.setText(
            self.tr("{n} corrective action(s) are past their due date.").format(
                n=locale.toString(self.counts["overdue_actions"])
            )
        )

    def on_changed(self, kinds: frozenset[str] = frozenset()) -> None:
        """Records changed: re-count now if visible, else when next shown; charts likewise."""
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True
        self.charts.on_changed(kinds)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Catch up on changes made while another tab was shown."""
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def open_tile(self, key: str) -> None:
        """Open the list behind tile *key*."""
        tile = TILE_BY_KEY[key]
        description = QCoreApplication.translate("Dashboard", tile.label)
        if tile.tab == "customers":
            self._open_customers(tile, description)
            return
        self.drillDown.emit(tile.tab, tile.filter(), description)

    def _open_customers(self, tile: Tile, description: str) -> QDialog:
        """Customers are not a tab of their own: show them in a list window."""
        from .register_view import RegisterView

        window = QDialog(self)
        window.setWindowTitle(description)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view = RegisterView(
            tile.register,
            self.actor,
            window,
            settings_key="dashboard_customers",
            opener=lambda record_id: self._open_customer(window, record_id),
            can_create=False,
        )
        view.apply_filter(tile.filter(), description)
        layout = QVBoxLayout(window)
        layout.addWidget(view)
        window.resize(900, 500)
        window.show()
        self.customer_window = window
        return window

    def _open_customer(self, parent: QWidget, record_id: int | None) -> object:
        from . import editors

        if record_id is None:
            return None
        if self.actor.is_admin or self.actor.department == E.Department.SALES:
            from .admin.customers import CustomerDialog

            dialog = CustomerDialog(self.actor, record_id, parent)
            dialog.open()
            return dialog
        return editors.open_editor("customers", parent, self.actor, record_id)

    # ------------------------------------------------------------------ management review
    def open_review_export(self) -> ReviewExportDialog:
        """Ask for the review period and customer; on OK, write the workbook in a job."""
        dialog = ReviewExportDialog(
            self, can_sign_off=self.actor.department == E.Department.GENERAL_MANAGER
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The job starts once the dialog has closed, not from inside its accept().
        dialog.accepted.connect(lambda: self._start_review(dialog))
        dialog.open()
        self.review_dialog = dialog
        return dialog

    def _start_review(self, dialog: ReviewExportDialog) -> None:
        """Take the accepted dialog's answers now (it is deleted on close), then export them
        once it has closed."""
        answers = (
            dialog.period,
            dialog.chosen_customer,
            dialog.chosen_sign_off,
            dialog.chosen_note,
        )
        QTimer.singleShot(0, lambda: self._export_review(*answers))

    def _export_review(
        self,
        period: Period | None,
        customer_code: str | None,
        sign_off: bool = False,
        note: str = "",
    ) -> None:
        if period is None:
            return
        job = export_review_workbook(
            self, period, customer_code, sign_off_as=self.actor if sign_off else None, note=note
        )
        self.review_job = job
        if job is not None:  # one workbook at a time
            self.review_button.setEnabled(False)
            job.finished.connect(lambda: self.review_button.setEnabled(True))
