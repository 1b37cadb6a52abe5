"""The Customer Satisfaction Survey (《顾客满意度调查表》, 5.1.3) editor.

A new survey is made for one customer and quarter, or — ticking "every active customer" — as
the quarter's campaign. An existing survey records the dates sent and returned, the
respondent, the four scores and comments; the weighted overall score and the below-target
warning follow as the user types, and the feedback a below-target survey created is shown
with a button to open it. Below, the customer's results across quarters as a table and chart.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.clock import today as clock_today
from ...domain.enums import SurveyStatus
from ...domain.errors import CqmsError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...domain.survey_scoring import (
    ITEMS,
    SCORE_FIELDS,
    ScoringRules,
    below_target,
    not_returned_in_time,
    overall_score,
    parse_quarter,
    quarter_of,
    quarters_between,
)
from ...services import surveys
from ...services.base import Actor
from ...services.record_types import Survey
from ..customer_chooser import CustomerChooser
from ..window_fit import fit_window
from .cs_common import ALIGN_RIGHT, CsEditor, OptionalDate, enum_label, set_read_only, text_box, tr

#: Item names as the form and the chart show them (glossary: quality, service, price, delivery).
ITEM_LABELS = {
    "quality": QT_TRANSLATE_NOOP("CustomerService", "Quality"),
    "service": QT_TRANSLATE_NOOP("CustomerService", "Service"),
    "price": QT_TRANSLATE_NOOP("CustomerService", "Price"),
    "delivery": QT_TRANSLATE_NOOP("CustomerService", "Delivery"),
    "overall": QT_TRANSLATE_NOOP("CustomerService", "Overall"),
}
_CHART_COLOURS = {
    "quality": "#1f77b4",
    "service": "#2ca02c",
    "price": "#9467bd",
    "delivery": "#ff7f0e",
    "overall": "#000000",
}


class ResultsChart(QWidget):
    """Lines of the item and overall scores across quarters, with the target as a red line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: list[surveys.QuarterResult] = []
        self.rules = ScoringRules()
        self.setMinimumHeight(170)

    def set_results(self, results: list[surveys.QuarterResult], rules: ScoringRules) -> None:
        """Show *results* (oldest quarter first) on *rules*' scale."""
        self.results = results
        self.rules = rules
        self.update()

    def paintEvent(self, _event: Any) -> None:
        """Draw axes, the target line and one line per item."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(34, 10, -90, -24)
        lo, hi = float(self.rules.scale_min), float(self.rules.scale_max)
        painter.setPen(QPen(QColor("#999999")))
        painter.drawRect(area)

        def y_of(value: float) -> float:
            return area.bottom() - (value - lo) / max(hi - lo, 1) * area.height()

        for tick in range(int(lo), int(hi) + 1):
            painter.drawText(QPointF(area.left() - 20, y_of(tick) + 4), str(tick))
        target_y = y_of(float(self.rules.target))
        painter.setPen(QPen(QColor("#d62728"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(area.left(), target_y), QPointF(area.right(), target_y))
        count = len(self.results)
        if count == 0:
            painter.setPen(QPen(QColor("#666666")))
            painter.drawText(
                area,
                Qt.AlignmentFlag.AlignCenter,
                QCoreApplication.translate("CustomerService", "No returned surveys yet."),
            )
            painter.end()
            return
        step = area.width() / max(count - 1, 1)
        xs = [area.left() + (i * step if count > 1 else area.width() / 2) for i in range(count)]
        painter.setPen(QPen(QColor("#333333")))
        for x, result in zip(xs, self.results, strict=True):
            painter.drawText(QPointF(x - 22, area.bottom() + 16), result.quarter)
        for row, key in enumerate((*ITEMS, "overall")):
            colour = QColor(_CHART_COLOURS[key])
            painter.setPen(QPen(colour, 2.5 if key == "overall" else 1.5))
            points = []
            for x, result in zip(xs, self.results, strict=True):
                value = result.overall if key == "overall" else result.scores.get(key)
                if value is not None:
                    points.append(QPointF(x, y_of(float(value))))
            for a, b in itertools.pairwise(points):
                painter.drawLine(a, b)
            for p in points:
                painter.drawEllipse(p, 2.5, 2.5)
            legend_y = area.top() + 12 + row * 16
            painter.drawLine(
                QPointF(area.right() + 8, legend_y - 4), QPointF(area.right() + 24, legend_y - 4)
            )
            painter.drawText(QPointF(area.right() + 28, legend_y), tr(ITEM_LABELS[key]))
        painter.end()


class ResultsPanel(QGroupBox):
    """A customer's (or everyone's) results per item across quarters: table and chart."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            QCoreApplication.translate("CustomerService", "Results across quarters"), parent
        )
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 7, self)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("CustomerService", "Quarter"),
                *[tr(ITEM_LABELS[i]) for i in ITEMS],
                QCoreApplication.translate("CustomerService", "Overall"),
                QCoreApplication.translate("CustomerService", "Returned"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMaximumHeight(150)
        self.chart = ResultsChart(self)
        layout.addWidget(self.table)
        layout.addWidget(self.chart)

    def load(self, customer_id: int | None, last_quarter: str, rules: ScoringRules) -> None:
        """The eight quarters up to *last_quarter* (for one customer, or all when ``None``)."""
        last = parse_quarter(last_quarter)
        first = last
        for _ in range(7):
            first = first.previous()
        results = surveys.results_by_quarter(
            first=first.code, last=last.code, customer_id=customer_id
        )
        self.table.setRowCount(len(results))
        for row, result in enumerate(results):
            values = [result.quarter, *[result.scores[i] for i in ITEMS], result.overall]
            values.append(result.returned)
            for col, value in enumerate(values):
                item = QTableWidgetItem("" if value is None else str(value))
                if col:
                    item.setTextAlignment(ALIGN_RIGHT)
                if isinstance(value, Decimal) and value < rules.target:
                    item.setForeground(QColor("#b00020"))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.chart.set_results(results, rules)


class SurveyResultsView(QWidget):
    """Results per customer across quarters (overall score, items in the tooltip), and the
    average of every customer per item as table and chart — for the Surveys tab."""

    def __init__(self, parent: QWidget | None = None, last_quarter: str | None = None) -> None:
        super().__init__(parent)
        self.rules = surveys.scoring_rules()
        self.last = QLineEdit(last_quarter or quarter_of(clock_today()).code, self)
        self.last.setObjectName("last_quarter")
        show = QPushButton(QCoreApplication.translate("CustomerService", "Show"), self)
        show.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel(QCoreApplication.translate("CustomerService", "Up to quarter"), self))
        top.addWidget(self.last)
        top.addWidget(show)
        top.addStretch(1)
        self.error = QLabel(self)
        self.error.setStyleSheet("QLabel { color: #b00020; }")
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("customer_results")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.average = ResultsPanel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.average)
        self.quarters: list[str] = []
        self.refresh()

    def refresh(self) -> bool:
        """Load the eight quarters up to the one typed; False (with the reason) if it is bad."""
        try:
            last = parse_quarter(self.last.text())
        except CqmsError as exc:
            self.error.setText(exc.translated(QCoreApplication.translate))
            return False
        self.error.setText("")
        first = last
        for _ in range(7):
            first = first.previous()
        self.quarters = [q.code for q in quarters_between(first, last)]
        rows = surveys.results_by_customer(first=first.code, last=last.code)
        customers: dict[int, tuple[str, str]] = {}
        cells: dict[tuple[int, str], dict] = {}
        for row in rows:
            customers[row["customer_id"]] = (row["customer_code"], row["customer"])
            cells[(row["customer_id"], row["quarter"])] = row
        self.table.setColumnCount(2 + len(self.quarters))
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("CustomerService", "Code"),
                QCoreApplication.translate("CustomerService", "Customer"),
                *self.quarters,
            ]
        )
        self.table.setRowCount(len(customers))
        for r, (cid, (code, name)) in enumerate(customers.items()):
            self.table.setItem(r, 0, QTableWidgetItem(code))
            self.table.setItem(r, 1, QTableWidgetItem(name))
            for c, quarter in enumerate(self.quarters, start=2):
                found = cells.get((cid, quarter))
                item = QTableWidgetItem("" if found is None else str(found["overall"] or ""))
                item.setTextAlignment(ALIGN_RIGHT)
                if found is not None:
                    item.setToolTip(
                        ", ".join(f"{tr(ITEM_LABELS[i])} {found[i] or '–'}" for i in ITEMS)
                    )
                    scores = {i: found[i] for i in ITEMS}
                    if below_target(scores, found["overall"], self.rules):
                        item.setForeground(QColor("#b00020"))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.average.setTitle(
            QCoreApplication.translate("CustomerService", "Average of all customers per item")
        )
        self.average.load(None, last.code, self.rules)
        return True

    def cell_text(self, row: int, column: int) -> str:
        """The text of one cell of the customer table (for tests)."""
        item = self.table.item(row, column)
        return item.text() if item is not None else ""


@dataclass(frozen=True)
class _Saved:
    """What a survey save made: the survey, the campaign's surveys (a campaign), the number
    of the feedback a below-target answer created."""

    survey: Survey | None
    campaign: list[Survey] | None = None
    new_feedback: str | None = None


class SurveyEditor(CsEditor):
    """Create a survey (or a quarter's campaign), or record one's answers."""

    form_kind = "survey"
    record_kind = "survey"
    table_name = "survey"

    def __init__(self, actor: Actor, survey_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(actor, parent)
        self.can_edit = actor.is_admin or actor.department in surveys.EDITORS
        self.rules = surveys.scoring_rules()
        self.created: list[Survey] = []
        self.number = QLabel(self)
        self.status = QLabel(self)
        self.customer = CustomerChooser(self)
        self.customer.setObjectName("customer")
        self.all_customers = QCheckBox(
            QCoreApplication.translate(
                "CustomerService", "Every active customer (the quarter's campaign)"
            ),
            self,
        )
        self.all_customers.setObjectName("all_customers")
        self.all_customers.toggled.connect(lambda on: self.customer.setEnabled(not on))
        self.quarter = QLineEdit(quarter_of(clock_today()).code, self)
        self.quarter.setObjectName("quarter")
        self.quarter.setPlaceholderText("2026-Q4")
        self.sent_on = OptionalDate(
            QCoreApplication.translate("CustomerService", "sent"), None, self
        )
        self.returned_on = OptionalDate(
            QCoreApplication.translate("CustomerService", "returned"), None, self
        )
        self.respondent = QLineEdit(self)
        self.respondent.setObjectName("respondent")
        self.scores: dict[str, QSpinBox] = {}
        for item in ITEMS:
            spin = QSpinBox(self)
            spin.setObjectName(SCORE_FIELDS[item])
            # One below the scale means "not answered".
            spin.setRange(self.rules.scale_min - 1, self.rules.scale_max)
            spin.setSpecialValueText("–")
            spin.setValue(self.rules.scale_min - 1)
            spin.valueChanged.connect(self.update_overall)
            self.scores[item] = spin
        self.overall = QLabel(self)
        self.overall.setObjectName("overall")
        self.comments = text_box(self, height=70)
        self.feedback_label = QLabel(self)
        self.feedback_label.setMinimumWidth(110)
        self.feedback_button = QPushButton(
            QCoreApplication.translate("CustomerService", "Open the feedback"), self
        )
        self.feedback_button.clicked.connect(self.open_feedback)
        self.feedback_dialog: Any = None
        f = self.fields
        f.add("number", QCoreApplication.translate("CustomerService", "Number"), self.heading_row())
        f.add("customer", QCoreApplication.translate("CustomerService", "Customer"), self.customer)
        f.add("all_customers", "", self.all_customers)
        f.add("quarter", QCoreApplication.translate("CustomerService", "Quarter"), self.quarter)
        f.add("sent_on", QCoreApplication.translate("CustomerService", "Date sent"), self.sent_on)
        f.add(
            "returned_on",
            QCoreApplication.translate("CustomerService", "Date returned"),
            self.returned_on,
        )
        f.add(
            "respondent",
            QCoreApplication.translate("CustomerService", "Respondent"),
            self.respondent,
        )
        for item in ITEMS:
            f.add(SCORE_FIELDS[item], tr(ITEM_LABELS[item]), self.scores[item])
        f.add(
            "overall", QCoreApplication.translate("CustomerService", "Overall score"), self.overall
        )
        f.add("comments", QCoreApplication.translate("CustomerService", "Comments"), self.comments)
        link = QWidget(self)
        link_row = QHBoxLayout(link)
        link_row.setContentsMargins(0, 0, 0, 0)
        link_row.addWidget(self.feedback_label)
        link_row.addWidget(self.feedback_button)
        link_row.addStretch(1)
        f.add(
            "feedback",
            QCoreApplication.translate("CustomerService", "Feedback for Sales to investigate"),
            link,
        )
        self.results = ResultsPanel(self.body)
        self.body_layout.addWidget(self.results)
        self.body_layout.addStretch(1)
        self.track_inputs(
            {
                "customer": self.customer,
                "all_customers": self.all_customers,
                "quarter": self.quarter,
                "sent_on": self.sent_on,
                "returned_on": self.returned_on,
                "respondent": self.respondent,
                **{SCORE_FIELDS[item]: self.scores[item] for item in ITEMS},
                "comments": self.comments,
            }
        )
        self.start(None if survey_id is None else surveys.get_survey(survey_id))
        fit_window(self, "survey_editor", 720, 860)

    # -------------------------------------------------------------- showing
    def _answer_widgets(self) -> list[QWidget]:
        return [
            self.sent_on,
            self.returned_on,
            self.respondent,
            *self.scores.values(),
            self.comments,
        ]

    def show_record(self) -> None:
        """Show the saved survey (or the new-survey fields)."""
        s = self.record
        new = s is None
        set_read_only([self.customer, self.quarter, self.all_customers], not new)
        for widget in self._answer_widgets():
            widget.setEnabled(not new and self.can_edit)
        self.all_customers.setVisible(new)
        self.save_button.setEnabled(self.can_edit)
        if new:
            self.setWindowTitle(
                QCoreApplication.translate("CustomerService", "New satisfaction survey")
            )
            self.number.setText(
                QCoreApplication.translate("CustomerService", "(numbered when saved)")
            )
            self.status.setText("")
            self.feedback_label.setText(
                QCoreApplication.translate("CustomerService", "— (after the survey is returned)")
            )
            self.feedback_button.setEnabled(False)
            self.results.load(
                None, self.quarter.text() or quarter_of(clock_today()).code, self.rules
            )
            self.update_overall()
            self.update_buttons()
            return
        s = self.record = surveys.get_survey(s.id)
        self.setWindowTitle(
            QCoreApplication.translate("CustomerService", "Satisfaction survey {number}").format(
                number=s.number
            )
        )
        self.number.setText(s.number)
        status = enum_label(SurveyStatus(s.status))
        late = not_returned_in_time(parse_quarter(s.quarter), s.returned_on, clock_today())
        if late:
            status += " — " + QCoreApplication.translate(
                "CustomerService", "not returned by the end of the quarter"
            )
        self.status.setText(status)
        self.status.setStyleSheet("QLabel { color: #b00020; font-weight: bold; }" if late else "")
        self.customer.set_customer(s.customer_id)
        self.quarter.setText(s.quarter)
        self.sent_on.set_value(s.sent_on)
        self.returned_on.set_value(s.returned_on)
        self.respondent.setText(s.respondent)
        for item in ITEMS:
            value = getattr(s, SCORE_FIELDS[item])
            self.scores[item].setValue(self.rules.scale_min - 1 if value is None else value)
        self.comments.setPlainText(s.comments)
        linked = surveys.linked_feedback(s.id)
        self.feedback_label.setText(
            linked.number if linked else QCoreApplication.translate("CustomerService", "none")
        )
        self.feedback_button.setEnabled(linked is not None)
        self.results.load(s.customer_id, s.quarter, self.rules)
        self.update_overall()
        self.update_buttons()
        self.add_history()

    def score_values(self) -> dict[str, int | None]:
        """The scores typed (``None`` for not answered)."""
        blank = self.rules.scale_min - 1
        return {i: (None if w.value() == blank else w.value()) for i, w in self.scores.items()}

    def update_overall(self) -> None:
        """Recompute the weighted overall score and the below-target warning as the user types."""
        scores = self.score_values()
        overall = overall_score(scores, self.rules)
        if overall is None:
            self.overall.setText("–")
            return
        low = below_target(scores, overall, self.rules)
        text = str(overall)
        if low:
            names = ", ".join(tr(ITEM_LABELS[i]) for i in low)
            text += "  " + QCoreApplication.translate(
                "CustomerService", "below the target {target}: {items}"
            ).format(target=self.rules.target, items=names)
            self.overall.setStyleSheet("QLabel { color: #b00020; font-weight: bold; }")
        else:
            self.overall.setStyleSheet("")
        self.overall.setText(text)

    # -------------------------------------------------------------- saving
    def submit(self) -> Callable[[], _Saved]:
        """Create the survey (or the campaign), or record the answers with the version opened."""
        actor, version = self.actor, self.opened_version
        quarter = self.quarter.text()
        if self.record is None:
            if self.all_customers.isChecked():
                return lambda: _Saved(None, surveys.generate_campaign(actor, quarter=quarter))
            customer_id = self.customer.customer_id()
            return lambda: _Saved(
                surveys.create_survey(actor, customer_id=customer_id, quarter=quarter)
            )
        survey_id = self.record.id
        answers = {
            "sent_on": self.sent_on.value(),
            "returned_on": self.returned_on.value(),
            "respondent": self.respondent.text(),
            "comments": self.comments.toPlainText(),
            **self.score_values(),
        }

        def record() -> _Saved:
            had_feedback = surveys.linked_feedback(survey_id) is not None
            saved = surveys.record_survey(actor, survey_id=survey_id, version=version, **answers)
            linked = None if had_feedback else surveys.linked_feedback(survey_id)
            return _Saved(saved, new_feedback=None if linked is None else linked.number)

        return record

    def remember_saved(self, result: _Saved) -> bool:
        """Show the saved survey (the campaign's first); say what the save made."""
        if result.campaign is not None:
            self.created = result.campaign
            if not self.created:
                self._info(
                    QCoreApplication.translate(
                        "CustomerService",
                        "Every active customer already has a survey for this quarter.",
                    )
                )
                return False
            self._info(
                QCoreApplication.translate(
                    "CustomerService", "{count} surveys were created for {quarter}."
                ).format(count=len(self.created), quarter=self.created[0].quarter)
            )
            return super().remember_saved(self.created[0])
        if result.new_feedback is not None:
            self._info(
                QCoreApplication.translate(
                    "CustomerService",
                    "The survey is below the satisfaction target: feedback {number} was "
                    "created for Sales to investigate.",
                ).format(number=result.new_feedback)
            )
        return super().remember_saved(result.survey)

    def open_feedback(self) -> Any:
        """Open the feedback this survey created."""
        if self.record is None:
            return None
        linked = surveys.linked_feedback(self.record.id)
        if linked is None:
            return None
        from .feedback import FeedbackEditor

        self.feedback_dialog = FeedbackEditor(self.actor, linked.id, self)
        self.feedback_dialog.open()
        self.feedback_dialog.offer_draft()
        return self.feedback_dialog


def open_editor(parent: QWidget | None, actor: Actor, record_id: int | None) -> SurveyEditor:
    """Open survey *record_id* (``None``: a new survey or campaign) in its editor."""
    dialog = SurveyEditor(actor, record_id, parent)
    dialog.open()
    dialog.offer_draft()
    return dialog
