"""The SCAR editor (procedure 5.2.3 c): one Supplier Corrective Action Request — the request QA
sends the supplier, the supplier's reply QA records, QA's verification and the closure.

Which inputs and buttons are live follows the request's state (``domain/scar_rules.py``) and
the user's department (QA); the services check both again. Every service call runs on the
database worker (:func:`.operations.call_and_wait`); a refusal is shown at its field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import clock
from ..domain import scar_rules as rules
from ..domain.enums import Department, ScarStatus
from ..domain.errors import CqmsError
from ..services import scars, suppliers
from ..services.base import Actor
from ..services.record_types import Scar
from .field_form import FieldForm
from .operations import call_and_wait
from .window_fit import fit_window, scrolling


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScarDialog", text)


def _text(parent: QWidget, text: str, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit(text, parent)
    box.setMaximumHeight(height)
    box.setTabChangesFocus(True)
    return box


def _date_edit(parent: QWidget, value: date | None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = value or clock.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


class ScarDialog(QDialog):
    """Raise (``scar_id`` None, from *complaint_id*) or follow one SCAR."""

    #: Emitted after every successful change with the SCAR's id.
    changed = Signal(int)

    def __init__(
        self,
        actor: Actor,
        *,
        scar_id: int | None = None,
        complaint_id: int | None = None,
        complaint_number: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scarDialog")
        self.actor = actor
        self.scar: Scar | None = scars.get_scar(scar_id) if scar_id is not None else None
        self.complaint_id = self.scar.complaint_id if self.scar is not None else complaint_id
        self.complaint_number = complaint_number
        self.last_error: CqmsError | None = None
        self._build()
        self._fill()
        fit_window(self, "scar_dialog", 760, 720)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("scarState")
        outer = QWidget(self)
        outer_layout = QVBoxLayout(outer)
        outer_layout.setContentsMargins(0, 0, 0, 0)
        body = QWidget(outer)
        outer_layout.addWidget(body)
        outer_layout.addStretch(1)  # rows keep their height when some are hidden
        form = QFormLayout(body)
        self.fields = FieldForm(self, form)
        f = self.fields

        self._form = form
        self._later_rows: list[QWidget] = []  # the reply and verification: not while new

        def section(text: str) -> QLabel:
            label = QLabel(text, body)
            bold = QFont(label.font())
            bold.setBold(True)
            label.setFont(bold)
            form.addRow(label)
            return label

        section(_tr("1. Request to the supplier"))
        self.supplier = QComboBox(body)
        self.part = QLineEdit(body)
        self.lot = QLineEdit(body)
        self.defect = _text(body, "")
        self.evidence = _text(body, "")
        self.containment = _text(body, "")
        self.reply_due = _date_edit(body, None)
        f.add("supplier", _tr("Supplier"), self.supplier)
        f.add("part", _tr("Part"), self.part)
        f.add("lot", _tr("Lot / batch"), self.lot)
        f.add("defect", _tr("Defect"), self.defect)
        f.add("evidence", _tr("Evidence"), self.evidence)
        f.add("containment", _tr("Containment asked of the supplier"), self.containment)
        f.add("reply_due", _tr("Reply due"), self.reply_due)
        self._later_rows.append(section(_tr("2. The supplier's reply")))
        self.root_cause = _text(body, "")
        self.corrective_action = _text(body, "")
        self.effective_date = _date_edit(body, None)
        self.reply_info = QLabel(body)
        f.add("root_cause", _tr("Root cause"), self.root_cause)
        f.add("corrective_action", _tr("Corrective action"), self.corrective_action)
        f.add("effective_date", _tr("Effective from"), self.effective_date)
        f.add("replied_at", _tr("Reply recorded"), self.reply_info)
        self._later_rows.append(section(_tr("3. Verification by QA")))
        self.verification_result = _text(body, "")
        self.verification_info = QLabel(body)
        f.add("verification_result", _tr("Verification result"), self.verification_result)
        f.add("verified_by", _tr("Verified by"), self.verification_info)
        self.closed_info = QLabel(body)
        f.add("closed_at", _tr("Closed"), self.closed_info)
        for name in (
            "root_cause",
            "corrective_action",
            "effective_date",
            "replied_at",
            "verification_result",
            "verified_by",
            "closed_at",
        ):
            holder = f.widgets[name].parentWidget()
            assert holder is not None
            self._later_rows.append(holder)

        self.raise_button = QPushButton(_tr("Raise SCAR"), self)
        self.save_button = QPushButton(_tr("Save request"), self)
        self.reply_button = QPushButton(_tr("Record supplier reply"), self)
        self.effective_button = QPushButton(_tr("Verified: effective"), self)
        self.not_effective_button = QPushButton(_tr("Not effective: back to supplier"), self)
        self.close_scar_button = QPushButton(_tr("Close SCAR"), self)
        self.form_button = QPushButton(_tr("Save form…"), self)
        self.form_button.setToolTip(
            _tr("The SCAR form as PDF or Excel, in the supplier's language (or another)")
        )
        self.form_button.clicked.connect(self.save_form)
        self.close_button = QPushButton(_tr("Close"), self)
        self.raise_button.clicked.connect(self.raise_scar)
        self.save_button.clicked.connect(self.save_request)
        self.reply_button.clicked.connect(self.record_reply)
        self.effective_button.clicked.connect(lambda: self.verify(True))
        self.not_effective_button.clicked.connect(lambda: self.verify(False))
        self.close_scar_button.clicked.connect(self.close_scar)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (
            self.raise_button,
            self.save_button,
            self.reply_button,
            self.effective_button,
            self.not_effective_button,
            self.close_scar_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.form_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.state_label)
        header.addStretch(1)
        layout.addLayout(header)
        layout.addWidget(scrolling(outer, self), 1)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ showing
    def _fill(self) -> None:
        s = self.scar
        self.supplier.clear()
        for supplier_id, label in suppliers.choices(include_id=s.supplier_id if s else None):
            self.supplier.addItem(label, supplier_id)
        if s is None:
            defaults = scars.request_defaults(self.complaint_id) if self.complaint_id else {}
            self.title.setText(
                _tr("New SCAR for complaint {number}").format(number=self.complaint_number)
            )
            self.setWindowTitle(self.title.text())
            self.state_label.setText("")
            self.part.setText(str(defaults.get("part", "")))
            self.lot.setText(str(defaults.get("lot", "")))
            self.defect.setPlainText(str(defaults.get("defect", "")))
            self.evidence.setPlainText(str(defaults.get("evidence", "")))
            due = defaults.get("reply_due")
            if isinstance(due, date):
                self.reply_due.setDate(QDate(due.year, due.month, due.day))
            self.supplier.setCurrentIndex(-1 if self.supplier.count() != 1 else 0)
            self._apply_state(None)
            return
        self.title.setText(_tr("SCAR {number}").format(number=s.number))
        self.setWindowTitle(self.title.text())
        status = ScarStatus(s.status)
        state = QCoreApplication.translate("Enums", status.label)
        if rules.reply_overdue(s.status, s.reply_due, scars.company_today_now()):
            state += "  —  " + _tr("reply overdue")
            self.state_label.setStyleSheet("QLabel { color: #b71c1c; font-weight: bold; }")
        else:
            self.state_label.setStyleSheet("")
        self.state_label.setText(state)
        self.supplier.setCurrentIndex(max(self.supplier.findData(s.supplier_id), 0))
        self.part.setText(s.part)
        self.lot.setText(s.lot)
        self.defect.setPlainText(s.defect)
        self.evidence.setPlainText(s.evidence)
        self.containment.setPlainText(s.containment)
        self.reply_due.setDate(QDate(s.reply_due.year, s.reply_due.month, s.reply_due.day))
        self.root_cause.setPlainText(s.root_cause)
        self.corrective_action.setPlainText(s.corrective_action)
        if s.effective_date is not None:
            d = s.effective_date
            self.effective_date.setDate(QDate(d.year, d.month, d.day))
        self.reply_info.setText(
            f"{s.reply_recorded_by}, {_local(s.replied_at)}" if s.replied_at else "—"
        )
        self.verification_result.setPlainText(s.verification_result)
        self.verification_info.setText(
            f"{s.verified_by}, {_local(s.verified_at)}" if s.verified_at else "—"
        )
        self.closed_info.setText(f"{s.closed_by}, {_local(s.closed_at)}" if s.closed_at else "—")
        self._apply_state(status)

    def _apply_state(self, status: ScarStatus | None) -> None:
        qa = self.actor.department == Department.QA
        new = status is None
        for row in self._later_rows:
            self._form.setRowVisible(row, not new)
        awaiting = status is ScarStatus.AWAITING_REPLY
        replied = status is ScarStatus.REPLIED
        for widget in (self.part, self.lot):
            widget.setReadOnly(not (qa and (new or awaiting)))
        for box in (self.defect, self.evidence, self.containment):
            box.setReadOnly(not (qa and (new or awaiting)))
        self.supplier.setEnabled(qa and (new or awaiting))
        self.reply_due.setEnabled(qa and (new or awaiting))
        for box in (self.root_cause, self.corrective_action):
            box.setReadOnly(not (qa and awaiting))
        self.effective_date.setEnabled(qa and awaiting)
        self.verification_result.setReadOnly(not (qa and replied))
        self.form_button.setEnabled(not new)
        self.raise_button.setVisible(new)
        self.raise_button.setEnabled(qa)
        self.save_button.setVisible(awaiting)
        self.reply_button.setVisible(awaiting)
        self.effective_button.setVisible(replied)
        self.not_effective_button.setVisible(replied)
        self.close_scar_button.setVisible(status is ScarStatus.VERIFIED)
        for button in (
            self.save_button,
            self.reply_button,
            self.effective_button,
            self.not_effective_button,
            self.close_scar_button,
        ):
            button.setEnabled(qa)
        if (
            replied
            and self.scar is not None
            and not rules.may_verify(self.scar.reply_recorded_by, self.actor.username)
        ):
            tip = _tr("You recorded the supplier's reply: another QA user verifies it.")
            self.effective_button.setToolTip(tip)
            self.not_effective_button.setToolTip(tip)

    # ------------------------------------------------------------------ acting
    def _run(self, call: Callable[[], Any]) -> bool:
        """Run *call* on the worker; show a refusal at its field, else reload."""
        self.fields.clear_errors()
        ok, result = call_and_wait(call)
        if not ok:
            if isinstance(result, CqmsError):
                self.last_error = result
                self.fields.show_error(result)
                return False
            raise result
        self.last_error = None
        self.scar = scars.get_scar(int(result.id))
        self._fill()
        self.changed.emit(int(result.id))
        return True

    def _request_values(self) -> dict[str, Any]:
        return {
            "part": self.part.text(),
            "lot": self.lot.text(),
            "defect": self.defect.toPlainText(),
            "evidence": self.evidence.toPlainText(),
            "containment": self.containment.toPlainText(),
            "reply_due": self.reply_due.date().toPython(),
        }

    def raise_scar(self) -> bool:
        """Raise the SCAR from the complaint."""
        values = self._request_values()
        supplier_id = self.supplier.currentData()
        actor, complaint_id = self.actor, self.complaint_id
        return self._run(
            lambda: scars.raise_scar(
                actor, complaint_id=complaint_id, supplier_id=supplier_id, **values
            )
        )

    def save_request(self) -> bool:
        """Save the corrected request while the supplier has not replied."""
        assert self.scar is not None
        values = self._request_values()
        values["supplier_id"] = self.supplier.currentData()
        s = self.scar
        changed = {k: v for k, v in values.items() if _stored(s, k) != v}
        actor = self.actor
        return self._run(
            lambda: scars.update_request(actor, scar_id=s.id, version=s.version, **changed)
        )

    def record_reply(self) -> bool:
        """Record the supplier's reply."""
        assert self.scar is not None
        s, actor = self.scar, self.actor
        root, action = self.root_cause.toPlainText(), self.corrective_action.toPlainText()
        effective = self.effective_date.date().toPython()
        return self._run(
            lambda: scars.record_reply(
                actor,
                scar_id=s.id,
                version=s.version,
                root_cause=root,
                corrective_action=action,
                effective_date=effective,
            )
        )

    def verify(self, effective: bool) -> bool:
        """Record QA's verification: effective, or back to the supplier."""
        assert self.scar is not None
        s, actor = self.scar, self.actor
        result = self.verification_result.toPlainText()
        return self._run(
            lambda: scars.verify_scar(
                actor, scar_id=s.id, version=s.version, effective=effective, result=result
            )
        )

    def close_scar(self) -> bool:
        """Close a SCAR verified effective."""
        assert self.scar is not None
        s, actor = self.scar, self.actor
        return self._run(lambda: scars.close_scar(actor, scar_id=s.id, version=s.version))

    def save_form(self) -> Any:
        """Ask language, format and place; write the SCAR form (the supplier's language
        proposed)."""
        if self.scar is None:
            return None
        from . import print_preview  # lazy: printing pulls in QtPrintSupport

        return print_preview.save_form_as(self, "scar", self.scar.number)


def _stored(scar: Scar, key: str) -> Any:
    return scar.supplier_id if key == "supplier_id" else getattr(scar, key)


def _local(value: Any) -> str:
    return clock.to_local(value).strftime("%Y-%m-%d %H:%M") if value is not None else ""
