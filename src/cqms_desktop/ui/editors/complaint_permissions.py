"""What the Complaint editor lets its user do: the editable fields for the status and the
user's department, the workflow step buttons (with what is still missing for each), and
scrolling to the section where the user has work to do.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QGroupBox, QLineEdit, QPlainTextEdit, QStyle, QWidget

from ...domain import complaint_rules as rules
from ...domain.clock import utcnow
from ...domain.complaint_workflow import allowed_steps
from ..error_handling import error_text
from .complaint_inputs import DateTimeInput
from .complaint_presentation import D, S


class ComplaintPermissionsMixin:
    """Permissions and workflow buttons; mixed into :class:`~.complaints.ComplaintEditor`."""

    def _editable(self) -> frozenset[str]:
        if self.record_id is None:
            return (
                frozenset(rules.SECTIONS[0].fields)
                if self.actor.department == D.SALES
                else frozenset()
            )
        if self.detail is None:
            return frozenset()
        status = S(self.detail.complaint.status)
        return rules.editable_fields(status, self.actor.department)

    def _apply_permissions(self, editable: frozenset[str], status: S | None) -> None:
        if self.record_id is None and self.actor.department != D.SALES:
            editable = frozenset()
        for name, widget in self.widgets.items():
            allowed = name in editable
            if isinstance(widget, QPlainTextEdit | QLineEdit | DateTimeInput):
                widget.setReadOnly(not allowed)
                target = widget.edit if isinstance(widget, DateTimeInput) else widget
                # Read-only fields must look read-only, not like empty boxes waiting for input.
                # (A palette, not a style sheet re-polished with QStyle.unpolish(): PySide6
                # 6.12's unpolish() loses references to None until the interpreter aborts.)
                palette = target.palette()
                base = self.palette().color(
                    QPalette.ColorRole.Window if not allowed else QPalette.ColorRole.Base
                )
                palette.setColor(QPalette.ColorRole.Base, base)
                target.setPalette(palette)
            else:
                widget.setEnabled(allowed)
        is_new = self.record_id is None
        closed = status == S.CLOSED
        for box_name in (
            "sectionInvestigation",
            "sectionResponsibility",
            "sectionEmergency",
            "sectionActions",
            "sectionCommunication",
            "sectionClosure",
            "sectionCosts",
            "sectionAttachments",
        ):
            box = self.findChild(QGroupBox, box_name)
            if box is not None:
                box.setVisible(not is_new)
        self.save_button.setEnabled(bool(editable))
        self.print_button.setEnabled(not is_new)
        self.pdf_button.setEnabled(not is_new)
        self.xlsx_button.setEnabled(not is_new)
        self.mail_button.setEnabled(not is_new)
        self.new_button.setEnabled(self.actor.department == D.SALES)
        # Long-term countermeasures: QA adds; the department or QA records; QA verifies.
        can_work = status in rules.ACTION_STATES
        self.add_action_row.setVisible(can_work and self.actor.department == D.QA)
        self.attachments.drops_allowed = not is_new and not closed
        self.attach_button.setEnabled(not is_new and not closed)
        self.remove_attachment_button.setEnabled(not is_new and not closed)
        steps = allowed_steps(status, self.actor.department) if status is not None else []
        codes = {s.code for s in steps}
        self.rejection_reason.setVisible("customer_rejected" in codes)
        self.rejection_row_label.setVisible("customer_rejected" in codes)
        self.reopen_input.setVisible("reopen" in codes)
        self.reopen_row_label.setVisible("reopen" in codes)
        self._show_steps(steps, closed)
        self._update_action_buttons()

    def _show_steps(self, steps: list[Any], closed: bool) -> None:
        # The buttons exist once and are only shown or hidden: a button must not be deleted
        # while its own click is being handled (the step reloads the editor).
        offered = {s.code for s in steps}
        self.step_buttons = {}
        for code, button in self._all_step_buttons.items():
            button.setVisible(code in offered)
            if code in offered:
                self.step_buttons[code] = button
                missing = self._step_tooltip(code)
                button.setToolTip(missing)
                # A warning sign on a step that would be refused as things stand.
                icon = QStyle.StandardPixmap.SP_MessageBoxWarning if missing else None
                button.setIcon(self.style().standardIcon(icon) if icon else QIcon())
        if self.record_id is None:
            hint = QCoreApplication.translate(
                "ComplaintEditor", "Sales registers the complaint; it then goes to QA."
            )
        elif closed and not steps:
            hint = QCoreApplication.translate(
                "ComplaintEditor", "Closed: read-only. Only the General Manager can reopen it."
            )
        elif steps:
            hint = QCoreApplication.translate("ComplaintEditor", "Next step:")
        else:
            hint = QCoreApplication.translate(
                "ComplaintEditor", "No workflow step for your department in this state."
            )
        self.steps_hint.setText(hint)

    def show_work(self) -> None:
        """Scroll to the section where this user has something to do now, and focus it."""
        if self.detail is None:
            return
        status = S(self.detail.complaint.status)
        dept = self.actor.department
        target: QWidget | None = None
        if status == S.COUNTERMEASURES or (status in rules.ACTION_STATES and dept != D.QA):
            target = self.findChild(QGroupBox, "sectionActions")
        elif status in (S.AWAITING_APPROVAL, S.CLOSED):
            target = self.findChild(QGroupBox, "sectionClosure")
        else:
            editable = self._editable() - set(rules.COST_FIELDS)
            for section in rules.SECTIONS:
                first = next((f for f in section.fields if f in editable), None)
                if first is not None:
                    target = self.widgets.get(first)
                    break
        if target is None:
            return
        section = target
        while section is not None and not isinstance(section, QGroupBox):
            section = section.parentWidget()
        if section is not None:  # the section's title at the top of the view
            top = section.mapTo(self.scroll.widget(), QPoint(0, 0)).y()
            self.scroll.verticalScrollBar().setValue(top)
        if target in self.widgets.values():
            target.setFocus()

    def _step_tooltip(self, code: str) -> str:
        """What is still missing for step *code* (as stored), so users see it before clicking."""
        if self.detail is None:
            return ""
        problems = rules.step_problems(
            code,
            self.detail.complaint.__data__,
            [v.action.__data__ for v in self.detail.actions],
            [r.__data__ for r in self.detail.responses],
            now=utcnow(),
            reason="-",  # the reason is typed just before clicking
        )
        if not problems:
            return ""
        lines = [error_text(p) for p in problems]
        title = QCoreApplication.translate("ComplaintEditor", "Still missing:")
        return "\n".join([title, *(f"• {line}" for line in lines)])
