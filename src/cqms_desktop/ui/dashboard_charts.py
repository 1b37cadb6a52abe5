"""The dashboard's four charts (QtCharts), drawn from :mod:`services.dashboard_queries`.

- complaints received per month by defect category (stacked bars, 12 months);
- on-time handling rate per month against the 2/7-day limits (lines, %);
- average satisfaction per item per quarter against the satisfaction target (lines);
- the customers with most complaints in the 12 months (horizontal bars, urgent / normal).

A click on a bar or a point opens the list behind it (:attr:`DashboardCharts.drillDown`,
the dashboard tiles' signal): the complaints of that month (of that severity, for a line of
the on-time chart), the customer's complaints of the 12 months, the surveys returned in
that quarter.

The figures are SQL aggregates, never rows. They are re-read when records change (the
change bridge's events, coalesced once more here, and only while the dashboard is visible:
a hidden dashboard catches up when it is shown again). They are read on the application's
database worker (a :class:`~cqms_desktop.ui.operations.QueryOp`), never on the GUI thread: the
charts keep their old figures until the new ones arrive, and a read overtaken by a newer one
is dropped.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QCoreApplication,
    QMargins,
    QPointF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QToolTip, QWidget

from ..domain import enums as E
from ..domain.clock import utcnow
from ..domain.errors import DatabaseUnavailable
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..services import kpis
from ..services.dashboard_queries import (
    CHART_MONTHS,
    SURVEY_ITEMS,
    CategoryMonths,
    CustomerCount,
    DashboardFigures,
    OnTimeMonths,
    SatisfactionQuarters,
    Timeliness,
    dashboard_figures,
)
from ..services.registers import Filter
from .operations import LatestOnly, QueryOp

log = logging.getLogger(__name__)

#: Changes arriving within this time are drawn once (on top of the bridge's own merging).
COALESCE_MS = 300
#: The kinds of record whose changes alter a chart (``"*"``: everything, e.g. F5).
RELEVANT_KINDS = frozenset({"complaint", "survey", "customer", "settings", "*"})
#: Characters of a customer's name shown next to its code on the customers chart.
NAME_CHARS = 12
CHART_MIN_HEIGHT = 250

#: Survey item names, as the review workbook's columns name them (glossary words).
ITEM_LABELS = {
    "quality": QT_TRANSLATE_NOOP("Columns", "Quality"),
    "service": QT_TRANSLATE_NOOP("Columns", "Service"),
    "price": QT_TRANSLATE_NOOP("Columns", "Price"),
    "delivery": QT_TRANSLATE_NOOP("Columns", "Delivery"),
}
ITEM_COLOURS = {
    "quality": "#1f77b4",
    "service": "#2ca02c",
    "price": "#9467bd",
    "delivery": "#ff7f0e",
}
CATEGORY_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]
OTHER_COLOUR = "#9d9d9d"
UNCATEGORISED_COLOUR = "#d4d4d4"
URGENT_COLOUR = "#d9534f"
NORMAL_COLOUR = "#4e79a7"
OVERALL_COLOUR = "#222222"
TARGET_COLOUR = "#c00000"


def _enum(label: str) -> str:
    return QCoreApplication.translate("Enums", label)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


# ====================================================================== the widget
class _ChartView(QChartView):
    """A chart view that asks only for its minimum height and grows with the window.

    QChartView asks for 324 px; the dashboard's scroll area sizes the page by the preferred
    heights, so four of those would push the charts below a 1400×860 window.
    """

    def sizeHint(self) -> QSize:
        """The preferred size: the minimum height (the layout stretches it)."""
        return QSize(400, CHART_MIN_HEIGHT)


class DashboardCharts(QWidget):
    """Four charts in a 2×2 grid, re-read from SQL when records change."""

    #: New figures are shown (also after a synchronous refresh).
    updated = Signal()
    #: (tab name, Filter, description): a click asks for the list behind a bar or point.
    drillDown = Signal(str, object, str)

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], datetime] = utcnow):
        super().__init__(parent)
        #: The moment the charts are computed for (tests fix it).
        self.clock = clock
        self.figures: DashboardFigures | None = None
        self.last_duration: float | None = None
        self._reads = LatestOnly()  # a read overtaken by a newer one is dropped
        self._reading = 0  # reads queued on the database worker, not yet delivered
        self._dirty = False

        self.categories = self._chart()
        self.on_time = self._chart()
        self.satisfaction = self._chart()
        self.customers = self._chart()
        self.views: list[QChartView] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        names = ("categoriesChart", "onTimeChart", "satisfactionChart", "customersChart")
        charts = (self.categories, self.on_time, self.satisfaction, self.customers)
        for index, (name, chart) in enumerate(zip(names, charts, strict=True)):
            view = _ChartView(chart, self)
            view.setObjectName(name)
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(CHART_MIN_HEIGHT)
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            grid.addWidget(view, index // 2, index % 2)
            self.views.append(view)

        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(COALESCE_MS)
        self._coalesce.timeout.connect(self._refresh_if_shown)
        self.refresh()

    def _chart(self) -> QChart:
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        font = chart.legend().font()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        chart.legend().setFont(font)
        title = QFont(chart.titleFont())
        title.setBold(True)
        chart.setTitleFont(title)
        return chart

    # ------------------------------------------------------------------ refreshing
    def on_changed(self, kinds: frozenset[str] = frozenset()) -> None:
        """Records changed (no kinds: time passed): redraw soon if visible, else when shown."""
        if kinds and not kinds & RELEVANT_KINDS:
            return
        if self.isVisible():
            self._coalesce.start()
        else:
            self._dirty = True

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Catch up on changes made while the dashboard was hidden."""
        if self._dirty:
            self._coalesce.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """A redraw still waiting when the dashboard is hidden waits until it is shown again."""
        if self._coalesce.isActive():
            self._coalesce.stop()
            self._dirty = True
        super().hideEvent(event)

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def refresh(self) -> None:
        """Re-read the figures on the database worker; draw them when they arrive."""
        self._dirty = False
        self._coalesce.stop()
        now = self.clock()
        self._reading += 1

        def read() -> tuple[DashboardFigures, float]:  # on the database worker
            started = time.perf_counter()
            return dashboard_figures(now), time.perf_counter() - started

        def failed(exc: BaseException) -> None:  # keep the last figures; a change tries again
            self._reading = 0  # the newest read is over: older ones were dropped
            if isinstance(exc, DatabaseUnavailable):  # the status bar says the server is away
                log.info("the dashboard charts could not be read: %s", exc)
            else:
                log.error("reading the dashboard charts failed", exc_info=exc)

        op = QueryOp(self, read, self._on_read).failure(failed).latest_of(self._reads)
        op.run_in_background()

    def refresh_now(self) -> None:
        """Re-read the figures on this thread and draw them (screenshots, the CLI)."""
        started = time.perf_counter()
        figures = dashboard_figures(self.clock())
        self._note_duration(time.perf_counter() - started)
        self.show_figures(figures)

    def is_reading(self) -> bool:
        """True while a read of the figures is under way."""
        return self._reading > 0

    def _note_duration(self, seconds: float) -> None:
        self.last_duration = seconds
        log.debug("dashboard charts read in %.0f ms", seconds * 1000)

    def _on_read(self, read: tuple[DashboardFigures, float]) -> None:
        self._reading = 0  # the newest read is in: older ones were dropped
        figures, seconds = read
        self._note_duration(seconds)
        self.show_figures(figures)

    # ------------------------------------------------------------------ drawing
    def show_figures(self, figures: DashboardFigures) -> None:
        """Draw *figures* in the four charts."""
        self.figures = figures
        self._draw_categories(figures.categories)
        self._draw_on_time(figures.on_time)
        self._draw_satisfaction(figures.satisfaction)
        self._draw_customers(figures.top_customers)
        for view in self.views:  # screen readers announce the chart by its title
            view.setAccessibleName(view.chart().title())
        self.updated.emit()

    @staticmethod
    def _clear(chart: QChart) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)  # the chart lets go of the axis: delete it ourselves
            axis.deleteLater()

    @staticmethod
    def _small_labels(axis: QAbstractAxis) -> None:
        font = axis.labelsFont()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        axis.setLabelsFont(font)

    def _month_axis(self, months: list[str]) -> QBarCategoryAxis:
        axis = QBarCategoryAxis()
        # "2025-12" → "12/25": twelve of them fit side by side without slanting.
        axis.append([f"{m[5:7]}/{m[2:4]}" if len(m) == 7 else m for m in months])
        self._small_labels(axis)
        return axis

    @staticmethod
    def _count_axis(largest: int) -> QValueAxis:
        axis = QValueAxis()
        axis.setLabelFormat("%d")
        # Room above the highest bar, whole numbers on the ticks.
        axis.setRange(0, max(largest + 1, 4))
        axis.applyNiceNumbers()
        return axis

    def _draw_categories(self, data: CategoryMonths) -> None:
        chart = self.categories
        self._clear(chart)
        chart.setTitle(self.tr("Complaints per month by defect category"))
        series = QStackedBarSeries()
        colours = iter(CATEGORY_COLOURS)
        for item in data.series:
            label = (
                item.label
                if item.context is None
                else QCoreApplication.translate(item.context, item.label)
            )
            bar = QBarSet(label)
            bar.append([float(n) for n in item.counts])
            if item.context == "Kpis":
                colour = UNCATEGORISED_COLOUR
            elif item.context is not None:
                colour = OTHER_COLOUR
            else:
                colour = next(colours, OTHER_COLOUR)
            bar.setColor(QColor(colour))
            bar.setBorderColor(QColor(colour))
            series.append(bar)
        series.hovered.connect(self._bar_tip(data.months))
        series.clicked.connect(lambda index, _bar: self.open_month(index))
        chart.addSeries(series)
        months = self._month_axis(data.months)
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(months)
        counts = self._count_axis(max(data.month_totals(), default=0))
        counts.setTitleText(self.tr("Complaints"))
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(counts)
        chart.legend().setVisible(bool(data.series))

    def _bar_tip(self, categories: list[str]) -> Callable[[bool, int, QBarSet], None]:
        def show(status: bool, index: int, bar: QBarSet) -> None:
            if status and 0 <= index < len(categories):
                text = f"{categories[index]} · {bar.label()}: {int(bar.at(index))}"
                QToolTip.showText(QCursor.pos(), text)
            else:
                QToolTip.hideText()

        return show

    def _rate_series(
        self, name: str, colour: str, values: list[Timeliness], width: float = 2.0
    ) -> QLineSeries:
        """A line of percentages; months with nothing judged have no point."""
        series = QLineSeries()
        series.setName(name)
        pen = QPen(QColor(colour))
        pen.setWidthF(width)
        series.setPen(pen)
        series.setPointsVisible(True)
        for index, item in enumerate(values):
            if item.rate is not None:
                series.append(QPointF(index, item.rate * 100.0))
        return series

    def _draw_on_time(self, data: OnTimeMonths) -> None:
        chart = self.on_time
        self._clear(chart)
        chart.setTitle(self.tr("Complaints handled on time (within the handling deadline)"))
        lines = [
            self._rate_series(self.tr("All complaints"), OVERALL_COLOUR, data.overall, 2.5),
            self._rate_series(
                self.tr("{urgent} (within {n} days)").format(
                    urgent=_enum(E.Severity.URGENT.label), n=data.urgent_days
                ),
                URGENT_COLOUR,
                data.urgent,
            ),
            self._rate_series(
                self.tr("{normal} (within {n} days)").format(
                    normal=_enum(E.Severity.NORMAL.label), n=data.normal_days
                ),
                NORMAL_COLOUR,
                data.normal,
            ),
        ]
        months = self._month_axis(data.months)
        percent = QValueAxis()
        percent.setRange(0, 100)
        percent.setTickCount(6)
        percent.setLabelFormat("%d %%")
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(percent, Qt.AlignmentFlag.AlignLeft)
        rows = [data.overall, data.urgent, data.normal]
        severities = [None, E.Severity.URGENT.value, E.Severity.NORMAL.value]
        for series, values, severity in zip(lines, rows, severities, strict=True):
            chart.addSeries(series)
            series.attachAxis(months)
            series.attachAxis(percent)
            series.hovered.connect(self._rate_tip(series.name(), data.months, values))
            series.clicked.connect(
                lambda point, sev=severity: self.open_month(round(point.x()), severity=sev)
            )

    def _rate_tip(
        self, name: str, months: list[str], values: list[Timeliness]
    ) -> Callable[[QPointF, bool], None]:
        def show(point: QPointF, state: bool) -> None:
            index = round(point.x())
            if state and 0 <= index < len(months):
                item = values[index]
                text = self.tr("{month} · {series}: {rate} ({on_time} of {judged})").format(
                    month=months[index],
                    series=name,
                    rate=_percent(item.rate),
                    on_time=item.on_time,
                    judged=item.judged,
                )
                QToolTip.showText(QCursor.pos(), text)
            else:
                QToolTip.hideText()

        return show

    def _draw_satisfaction(self, data: SatisfactionQuarters) -> None:
        chart = self.satisfaction
        self._clear(chart)
        chart.setTitle(self.tr("Customer satisfaction per quarter (average score)"))
        quarters = QBarCategoryAxis()
        quarters.append(data.quarters)
        scores = QValueAxis()
        # From half a point below the lowest average (or the target) up to the top of the
        # scale: averages differ by tenths, which a full 1–5 axis would flatten.
        shown = [v for values in data.averages.values() for v in values if v is not None]
        low = max(data.scale_min, math.floor(min([*shown, data.target]) - 0.5))
        span = data.scale_max - low
        scores.setRange(low, data.scale_max)
        # Half points on a short axis, whole points on a longer one, never a crowd of ticks.
        scores.setTickCount(span * 2 + 1 if span <= 3 else min(span, 10) + 1)
        scores.setLabelFormat("%.1f")
        chart.addAxis(quarters, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(scores, Qt.AlignmentFlag.AlignLeft)
        for item in SURVEY_ITEMS:
            series = QLineSeries()
            series.setName(QCoreApplication.translate("Columns", ITEM_LABELS[item]))
            pen = QPen(QColor(ITEM_COLOURS[item]))
            pen.setWidthF(2.0)
            series.setPen(pen)
            series.setPointsVisible(True)
            for index, value in enumerate(data.averages[item]):
                if value is not None:
                    series.append(QPointF(index, value))
            series.clicked.connect(lambda point: self.open_quarter(round(point.x())))
            chart.addSeries(series)
            series.attachAxis(quarters)
            series.attachAxis(scores)
        target = QLineSeries()
        target.setName(self.tr("Satisfaction target {target}").format(target=f"{data.target:g}"))
        pen = QPen(QColor(TARGET_COLOUR))
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setWidthF(1.5)
        target.setPen(pen)
        target.append(QPointF(0, data.target))
        target.append(QPointF(max(len(data.quarters) - 1, 1), data.target))
        chart.addSeries(target)
        target.attachAxis(quarters)
        target.attachAxis(scores)

    def _draw_customers(self, rows: list[CustomerCount]) -> None:
        chart = self.customers
        self._clear(chart)
        chart.setTitle(
            self.tr("Customers with most complaints (last {n} months)").format(n=CHART_MONTHS)
        )
        # A horizontal bar chart draws its first category at the bottom: most at the top.
        ordered = list(reversed(rows))
        names = [self.customer_label(r) for r in ordered]
        urgent = QBarSet(_enum(E.Severity.URGENT.label))
        normal = QBarSet(_enum(E.Severity.NORMAL.label))
        urgent.append([float(r.urgent) for r in ordered])
        normal.append([float(r.normal) for r in ordered])
        for bar, colour in ((urgent, URGENT_COLOUR), (normal, NORMAL_COLOUR)):
            bar.setColor(QColor(colour))
            bar.setBorderColor(QColor(colour))
        series = QHorizontalStackedBarSeries()
        series.append(urgent)
        series.append(normal)
        series.hovered.connect(self._bar_tip(names))
        series.clicked.connect(
            lambda index, _bar: (
                self.open_customer(ordered[index].customer_id)
                if 0 <= index < len(ordered)
                else None
            )
        )
        chart.addSeries(series)
        axis = QBarCategoryAxis()
        axis.append(names or [""])
        self._small_labels(axis)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis)
        counts = self._count_axis(max((r.total for r in rows), default=0))
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(counts)
        # The legend beside the bars: every pixel of height goes to the customers' names,
        # which Qt Charts elides to "…" when the rows get lower than the text.
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)

    # ------------------------------------------------------------------ drilling down
    def open_month(self, index: int, *, severity: str | None = None) -> Filter | None:
        """Ask for the complaints received in month *index* of the charts (one severity)."""
        if self.figures is None or not 0 <= index < len(self.figures.categories.months):
            return None
        month = kpis.parse_period(self.figures.categories.months[index])
        flt = Filter(date_from=month.start, date_to=month.end)
        description = self.tr("Complaints received in {month}").format(month=month.code)
        if severity:
            flt.extra["severity"] = severity
            description += f" · {_enum(E.Severity(severity).label)}"
        self.drillDown.emit("complaints", flt, description)
        return flt

    def open_customer(self, customer_id: int) -> Filter | None:
        """Ask for the customer's complaints received in the charts' 12 months."""
        if self.figures is None:
            return None
        months = self.figures.categories.months
        first, last = kpis.parse_period(months[0]), kpis.parse_period(months[-1])
        flt = Filter(customer_id=customer_id, date_from=first.start, date_to=last.end)
        description = self.tr("Complaints of the last {n} months").format(n=len(months))
        self.drillDown.emit("complaints", flt, description)
        return flt

    def open_quarter(self, index: int) -> Filter | None:
        """Ask for the surveys returned for quarter *index* of the satisfaction chart."""
        if self.figures is None or not 0 <= index < len(self.figures.satisfaction.quarters):
            return None
        quarter = self.figures.satisfaction.quarters[index]
        flt = Filter(text=quarter, status=(E.SurveyStatus.RETURNED.value,))
        description = self.tr("Surveys returned for {quarter}").format(quarter=quarter)
        self.drillDown.emit("surveys", flt, description)
        return flt

    @staticmethod
    def customer_label(row: CustomerCount) -> str:
        """A customer on the chart: its code and the start of its name."""
        name = row.name if len(row.name) <= NAME_CHARS else row.name[: NAME_CHARS - 1] + "…"
        return f"{row.code} {name}"
