"""The 5.1.1 visit plan: active customers × the twelve months of a year.

Each cell is coloured by its state (visited, covered by an earlier visit, not yet, missed,
not started, not yet a customer); this month's customers not yet visited are highlighted
and listed above the matrix; the bottom row gives the compliance rate of each month and the
side table the rate of each Sales person. The numbers come from
:func:`cqms_desktop.services.visit_plan_queries.visit_plan` (visits counted in SQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyle,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.clock import today as clock_today
from ..domain.visit_plan import CellState, Rate, VisitPlan
from ..services import visit_plan_queries
from .change_bridge import follow_changes
from .operations import LatestOnly, QueryOp

#: Cell colours by state; this month's "not yet" is drawn stronger than the rest.
COLOURS: dict[CellState, str] = {
    CellState.VISITED: "#b7e1cd",
    CellState.COVERED: "#e2f3ea",
    CellState.NOT_YET: "#ffe599",
    CellState.MISSED: "#f4c7c3",
    CellState.FUTURE: "#f3f3f3",
    CellState.NOT_REQUIRED: "#ffffff",
}
HIGHLIGHT = "#ffb000"
# Built once: data() is asked for a background for every month cell on each paint.
_BRUSHES = {state: QBrush(QColor(colour)) for state, colour in COLOURS.items()}
_HIGHLIGHT_BRUSH = QBrush(QColor(HIGHLIGHT))
_FIXED_COLUMNS = 3  # code, name, Sales person; then 12 months; then the customer's rate


def rate_text(rate: Rate) -> str:
    """``83.33 % (5/6)``, or a dash when nothing was due."""
    percent = rate.percent
    if percent is None:
        return "–"
    return f"{percent} % ({rate.compliant}/{rate.due})"


def month_rate_text(rate: Rate) -> str:
    """A month's compliance in the plan's bottom row: ``83%``, or a dash."""
    percent = rate.percent
    return "–" if percent is None else f"{percent:.0f}%"


def progress_text(progress: Rate) -> str:
    """What the month in progress has so far, and that it counts only once it has ended."""
    return QCoreApplication.translate(
        "VisitPlan",
        "Month in progress: {visited} of {due} customers visited so far. It counts in the "
        "compliance rates once it has ended.",
    ).format(visited=progress.compliant, due=progress.due)


#: How many of this month's customers still to visit the line above the plan names.
NAMED_WAITING = 12


class VisitPlanModel(QAbstractTableModel):
    """The matrix as a table model: one row per customer plus the monthly-rate row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan: VisitPlan | None = None
        self._bold = QFont()  # the compliance row's font, made once (not per cell)
        self._bold.setBold(True)

    def set_plan(self, plan: VisitPlan) -> None:
        """Show *plan*."""
        self.beginResetModel()
        self.plan = plan
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        """Customers plus the compliance row."""
        if self.plan is None or (parent is not None and parent.isValid()):
            return 0
        return len(self.plan.rows) + 1

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        """Code, name, Sales person, twelve months, the customer's rate."""
        return _FIXED_COLUMNS + 12 + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        """Column titles: the months as 1–12 (short, language-neutral) with tooltips."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        fixed = [
            QCoreApplication.translate("VisitPlan", "Code"),
            QCoreApplication.translate("VisitPlan", "Customer"),
            QCoreApplication.translate("VisitPlan", "Sales person"),
        ]
        if section < _FIXED_COLUMNS:
            return fixed[section]
        if section < _FIXED_COLUMNS + 12:
            month = section - _FIXED_COLUMNS + 1
            if self.plan is not None and self.plan.in_progress(month):
                return f"{month:02d} ▸"  # the month in progress
            return f"{month:02d}"
        return QCoreApplication.translate("VisitPlan", "Rate")

    def _is_total_row(self, row: int) -> bool:
        return self.plan is not None and row == len(self.plan.rows)

    def cell_state(self, row: int, column: int) -> CellState | None:
        """The state shown at (*row*, *column*), or ``None`` outside the month cells."""
        if self.plan is None or self._is_total_row(row):
            return None
        month = column - _FIXED_COLUMNS
        if not 0 <= month < 12:
            return None
        return self.plan.rows[row].cells[month]

    def is_highlighted(self, row: int, column: int) -> bool:
        """True for this month's customers not yet visited."""
        if self.plan is None or self.plan.current_month is None:
            return False
        current = column - _FIXED_COLUMNS + 1 == self.plan.current_month
        return current and self.cell_state(row, column) is CellState.NOT_YET

    def data(self, index: QModelIndex, role: int = 0) -> Any:
        """Text, colour, tooltip and font of one cell."""
        if self.plan is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        month = column - _FIXED_COLUMNS
        if self._is_total_row(row):
            return self._total_data(column, month, role)
        plan_row = self.plan.rows[row]
        state = self.cell_state(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return plan_row.customer.code
            if column == 1:
                return plan_row.customer.name
            if column == 2:
                return plan_row.customer.sales_person
            if state is not None:
                count = plan_row.visits[month]
                if state is CellState.VISITED:
                    return str(count) if count > 1 else "✓"
                return {CellState.MISSED: "✗", CellState.NOT_YET: "…"}.get(state, "")
            return rate_text(plan_row.rate)
        if role == Qt.ItemDataRole.BackgroundRole and state is not None:
            return _HIGHLIGHT_BRUSH if self.is_highlighted(row, column) else _BRUSHES[state]
        if role == Qt.ItemDataRole.ToolTipRole and state is not None:
            return QCoreApplication.translate("VisitPlan", state.label)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= _FIXED_COLUMNS:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _total_data(self, column: int, month: int, role: int) -> Any:
        assert self.plan is not None
        in_progress = 0 <= month < 12 and self.plan.in_progress(month + 1)
        if in_progress and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("VisitPlan", "in progress")
        if in_progress and role == Qt.ItemDataRole.ToolTipRole:
            return progress_text(self.plan.progress or Rate())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 1:
                return QCoreApplication.translate("VisitPlan", "Compliance rate")
            if 0 <= month < 12:
                return month_rate_text(self.plan.month_rates[month])
            if column == _FIXED_COLUMNS + 12:
                return rate_text(self.plan.overall)
            return ""
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and 0 <= month < 12:
            return rate_text(self.plan.month_rates[month])
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= _FIXED_COLUMNS:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class VisitPlanView(QWidget):
    """The visit-plan tab: year chooser, this month's to-do, the matrix and the Sales rates."""

    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.plan: VisitPlan | None = None
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2099)
        self.year.setValue((today or clock_today()).year)
        self.year.valueChanged.connect(self.refresh)
        refresh = QPushButton(self.tr("Refresh"), self)
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Year"), self))
        top.addWidget(self.year)
        top.addWidget(refresh)
        top.addStretch(1)
        top.addWidget(self._legend())
        self.todo = QLabel(self)
        self.todo.setObjectName("not_yet_visited")
        self.todo.setWordWrap(True)
        self.model = VisitPlanModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        # Compact rows: a year of 50 customers should fit on one screen.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        # Widths are measured from the plan's own texts (:meth:`_size_columns`), not by the
        # header asking data() for thousands of cells: that blocked the window ~130 ms at
        # 1,250 customers and missed the compliance row's "in progress" under this month.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.sales = QTableWidget(0, 2, self)
        self.sales.setHorizontalHeaderLabels([self.tr("Sales person"), self.tr("Compliance")])
        self.sales.verticalHeader().hide()
        self.sales.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.sales.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        splitter = QSplitter(self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.sales)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.todo)
        layout.addWidget(splitter, 1)
        # Follow visits and customers saved anywhere (this PC's services) without a click,
        # while shown; shown again after missing changes, it re-reads the plan.
        self._reads = LatestOnly()  # a plan for a year the user left is dropped
        self.changes = follow_changes(self, self._changed, self.refresh)
        self.refresh()

    def _changed(self, kinds: frozenset[str]) -> None:
        if kinds & {"visit", "customer"}:
            self.refresh()

    def _legend(self) -> QWidget:
        legend = QWidget(self)
        row = QHBoxLayout(legend)
        row.setContentsMargins(0, 0, 0, 0)
        for state in (CellState.VISITED, CellState.NOT_YET, CellState.MISSED, CellState.FUTURE):
            swatch = QLabel(QCoreApplication.translate("VisitPlan", state.label), legend)
            swatch.setStyleSheet(
                f"QLabel {{ background: {COLOURS[state]}; padding: 2px 6px; "
                "border: 1px solid #ccc; }"
            )
            row.addWidget(swatch)
        now = QLabel(self.tr("This month, not yet visited"), legend)
        now.setStyleSheet(f"QLabel {{ background: {HIGHLIGHT}; padding: 2px 6px; }}")
        row.addWidget(now)
        return legend

    def refresh(self) -> None:
        """Recompute the plan of the chosen year on the database worker; show it when read."""
        year, today = self.year.value(), self.today
        op = QueryOp(self, lambda: visit_plan_queries.visit_plan(year, today), self.show_plan)
        op.latest_of(self._reads).with_busy_cursor().run_in_background()

    def _size_columns(self, plan: VisitPlan) -> None:
        """Column widths from the texts they show: the codes, the Sales people, the months'
        marks and the compliance row (rates, "in progress")."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        bold = QFont(self.table.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        padding = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 14

        def width(texts: Iterable[str], column: int, measure: QFontMetrics = metrics) -> int:
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal, 0) or "")
            widest = max((measure.horizontalAdvance(t) for t in texts), default=0)
            return max(widest, header.fontMetrics().horizontalAdvance(title) + 8) + padding

        month_rates = [month_rate_text(r) for r in plan.month_rates]
        rates = {rate_text(r.rate) for r in plan.rows} | {rate_text(plan.overall)}
        in_progress = QCoreApplication.translate("VisitPlan", "in progress")
        month_texts = ["✓", "✗", "…", "99", *month_rates]
        header.resizeSection(0, width((r.customer.code for r in plan.rows), 0))
        sales = {r.customer.sales_person or "" for r in plan.rows}
        header.resizeSection(2, width(sales, 2))
        for month in range(12):
            column = _FIXED_COLUMNS + month
            # Only the month in progress says so in its rate cell: it alone is that wide, so
            # the twelve months still fit the window beside the customers' names.
            texts = [*month_texts, in_progress] if plan.in_progress(month + 1) else month_texts
            header.resizeSection(column, width(texts, column, bold_metrics))
        last = _FIXED_COLUMNS + 12
        header.resizeSection(last, width(rates, last, bold_metrics))

    def show_plan(self, plan: VisitPlan) -> None:
        """Show *plan*: the matrix, this month's customers not yet visited, the Sales rates."""
        self.plan = plan
        self.model.set_plan(self.plan)
        self._size_columns(plan)
        waiting = self.plan.not_yet_visited()
        if self.plan.current_month is None:
            self.todo.setText("")
        elif waiting:
            # The first few by name (the table highlights every one): a label naming a
            # thousand customers wraps slowly and tells nobody anything.
            names = ", ".join(f"{c.code} {c.name}" for c in waiting[:NAMED_WAITING])
            if len(waiting) > NAMED_WAITING:
                names += " " + self.tr("and {count} more").format(
                    count=len(waiting) - NAMED_WAITING
                )
            self.todo.setText(
                progress_text(self.plan.progress or Rate())
                + "\n"
                + self.tr("Not yet visited this month ({count}): {names}").format(
                    count=len(waiting), names=names
                )
            )
        else:
            self.todo.setText(self.tr("Every active customer has been visited this month."))
        self.sales.setRowCount(len(self.plan.sales_rates))
        for row, (person, rate) in enumerate(self.plan.sales_rates.items()):
            self.sales.setItem(row, 0, QTableWidgetItem(person or self.tr("(not assigned)")))
            self.sales.setItem(row, 1, QTableWidgetItem(rate_text(rate)))
