"""Showing a complaint in the Complaint editor's fields (header, sections, customer answers)
and reading the edited values back, to see what changed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QTableWidgetItem, QWidget

from ...domain import complaint_rules as rules
from ...domain import enums as E
from ...domain.deadlines import DeadlineState
from ...services import complaint_queries as queries
from ...services import complaints as svc
from ..defect_category_box import DefectCategoryBox
from ..qt_clock import now_qdatetime
from .complaint_inputs import NO_CHOICE, DateTimeInput, LocalDateTimeEdit, aware_local, choice
from .complaint_presentation import (
    DATETIME_INPUTS,
    STATE_ICONS,
    STATE_TEXT,
    D,
    S,
    _enum_text,
    _local,
    tr,
)


class ComplaintLoadingMixin:
    """Loads the record into the widgets and collects their values; mixed into
    :class:`~.complaints.ComplaintEditor`."""

    def show_record(self) -> None:
        """Read the record from the database and show it (the editor's ``reload`` calls this
        and takes what is shown as unchanged)."""
        self.clear_errors()
        self._fill_choices()
        if self.record_id is None:
            self.detail = None
            self._show_new()
        else:
            self.detail = queries.load_detail(self.record_id)
            self._show_detail(self.detail)
        self._loaded_values = self._collect(self._editable())

    def loaded_version(self) -> int:
        """The version of the complaint shown (0 while new)."""
        return 0 if self.detail is None else int(self.detail.complaint.version)

    def _fill_choices(self) -> None:
        combos = {
            "customer": queries.customer_choices(),
            "product": queries.product_choices(),
            "qa_owner": [(uid, name) for uid, name, _ in queries.user_choices((D.QA,))],
        }
        for name, items in combos.items():
            combo: QComboBox = self.widgets[name]  # type: ignore[assignment]
            empty = name != "customer"
            combo.blockSignals(True)
            combo.clear()
            if empty:
                combo.addItem("", NO_CHOICE)
            for value, label in items:
                combo.addItem(label, value)
            combo.blockSignals(False)
        categories: DefectCategoryBox = self.widgets["defect_category"]  # type: ignore[assignment]
        categories.load()
        default_due = svc.default_action_due()
        self.new_action_due.setDate(QDate(default_due.year, default_due.month, default_due.day))
        self.new_action_owner.clear()
        self.new_action_owner.addItem("", NO_CHOICE)
        for uid, name, dept in queries.user_choices():
            self.new_action_owner.addItem(f"{name} ({_enum_text(E.Department, dept)})", uid)

    def _show_new(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("ComplaintEditor", "New complaint"))
        self.title.setText(QCoreApplication.translate("ComplaintEditor", "New complaint"))
        self.status_label.setText("")
        self.deadline_icon.clear()
        self.deadline_label.setText("")
        self.repeat_label.setText("")
        self.number_label.setText(
            QCoreApplication.translate("ComplaintEditor", "(given on saving)")
        )
        self.feedback_label.setText("")
        self.due_label.setText(
            QCoreApplication.translate("ComplaintEditor", "(computed on saving)")
        )
        received: LocalDateTimeEdit = self.widgets["received_at"]  # type: ignore[assignment]
        received.setDateTime(now_qdatetime())
        self._set_combo("severity", E.Severity.NORMAL.value)
        self._set_combo("received_via", E.Channel.PHONE.value)
        self.actions_table.setRowCount(0)
        self.responses_table.setRowCount(0)
        self.attachments.clear()
        self.scars_table.setRowCount(0)
        self.raise_scar_button.setEnabled(False)
        self.open_scar_button.setEnabled(False)
        self.history.set_rows([])
        self._apply_permissions(frozenset(rules.SECTIONS[0].fields), status=None)

    def _show_detail(self, detail: queries.ComplaintDetail) -> None:
        c = detail.complaint
        self.setWindowTitle(
            QCoreApplication.translate("ComplaintEditor", "Complaint {number}").format(
                number=c.number
            )
        )
        self.title.setText(f"{c.number} — {detail.customer.name}")
        self.status_label.setText(
            QCoreApplication.translate("ComplaintEditor", "Status: {status}").format(
                status=_enum_text(E.ComplaintStatus, c.status)
            )
        )
        state = detail.deadline
        self.deadline_icon.setPixmap(self.style().standardIcon(STATE_ICONS[state]).pixmap(16, 16))
        self.deadline_label.setText(tr(STATE_TEXT[state]))
        colour = {
            DeadlineState.OVERDUE: "#c62828",
            DeadlineState.DUE_SOON: "#b26a00",
            DeadlineState.HANDLED_LATE: "#b26a00",
        }.get(state, "")
        self.deadline_label.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
        repeat = ""
        if detail.repeat_of_number:
            repeat = QCoreApplication.translate(
                "ComplaintEditor", "Repeat complaint of {number}"
            ).format(number=detail.repeat_of_number)
        if detail.repeats:
            more = QCoreApplication.translate("ComplaintEditor", "Repeated by {numbers}").format(
                numbers=", ".join(detail.repeats)
            )
            repeat = f"{repeat}; {more}" if repeat else more
        self.repeat_label.setText(repeat)
        self.number_label.setText(c.number)
        self.feedback_label.setText(detail.feedback_number or "—")
        self.due_label.setText(_local(c.due_at))
        language = detail.customer.language or "zh"
        self.form_language.setCurrentIndex(max(0, self.form_language.findData(language)))

        self._set_combo("customer", c.customer_id)
        self._set_combo("product", c.product_id)
        self._set_combo("qa_owner", c.qa_owner_id)
        self._set_combo("severity", c.severity)
        self._set_combo("received_via", c.received_via)
        self._set_combo("responsibility", c.responsibility or None)
        received: LocalDateTimeEdit = self.widgets["received_at"]  # type: ignore[assignment]
        received.set_utc(c.received_at)
        categories: DefectCategoryBox = self.widgets["defect_category"]  # type: ignore[assignment]
        categories.set_input_value(c.defect_category)
        for name, widget in self.widgets.items():
            if isinstance(widget, QComboBox) or name == "received_at":
                continue
            value = getattr(c, name)
            if name in DATETIME_INPUTS:
                text = _local(value)
            elif value is None:
                text = ""
            elif isinstance(value, Decimal):
                text = f"{value:.2f}"
            else:
                text = str(value)
            self._set_text(widget, text)
        self.fed_back_label.setText(_local(c.plan_fed_back_at) or "—")
        self.accepted_label.setText(_local(c.customer_accepted_at) or "—")
        approved = ""
        if c.approved_by:
            approved = f"{c.approved_by}, {_local(c.approved_at)}"
        self.approved_label.setText(approved or "—")
        self.closed_label.setText(_local(c.closed_at) or "—")
        self.reopen_label.setText(c.reopen_reason or "—")
        total = rules.total_cost(c.__data__)
        self.total_cost_label.setText(f"{total:.2f}" if total is not None else "—")
        self._show_actions(detail)
        self._show_responses(detail)
        self._show_attachments(detail)
        self._show_scars(c)
        self.history.set_rows(queries.history(c.id))
        status = S(c.status)
        self._apply_permissions(rules.editable_fields(status, self.actor.department), status)

    def _show_responses(self, detail: queries.ComplaintDetail) -> None:
        table = self.responses_table
        table.setRowCount(len(detail.responses))
        for row, response in enumerate(detail.responses):
            answer = (
                QCoreApplication.translate("ComplaintEditor", "Accepted")
                if response.accepted
                else QCoreApplication.translate("ComplaintEditor", "Not accepted")
            )
            for column, text in enumerate(
                (_local(response.recorded_at), answer, response.reason, response.recorded_by)
            ):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()

    def _set_combo(self, name: str, value: Any) -> None:
        combo: QComboBox = self.widgets[name]  # type: ignore[assignment]
        index = combo.findData(NO_CHOICE if value is None else value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    @staticmethod
    def _set_text(widget: QWidget, text: str) -> None:
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        elif isinstance(widget, QLineEdit | DateTimeInput):
            widget.setText(text)

    # ------------------------------------------------------------------ collecting
    def _value(self, name: str) -> Any:
        widget = self.widgets[name]
        if isinstance(widget, DefectCategoryBox):
            return widget.input_value()
        if isinstance(widget, QComboBox):
            return choice(widget)
        if isinstance(widget, LocalDateTimeEdit):
            return widget.utc()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, DateTimeInput):
            text = widget.text()
            return aware_local(text) if widget.with_time else text.strip()
        if isinstance(widget, QLineEdit):
            return widget.text().strip()
        raise TypeError(name)

    def _collect(self, names: frozenset[str]) -> dict[str, Any]:
        return {name: self._value(name) for name in sorted(names) if name in self.widgets}

    def pending_changes(self) -> dict[str, Any]:
        """The editable fields whose shown value differs from what was loaded."""
        current = self._collect(self._editable())
        return {k: v for k, v in current.items() if self._loaded_values.get(k) != v}
