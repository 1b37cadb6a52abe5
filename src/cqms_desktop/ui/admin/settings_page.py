"""Administration: the business settings every PC shares (stored in the database).

Company name, the code and revision of each controlled form, the handling deadlines of
5.2.3 a/b, acknowledgement and action deadlines, visit interval (5.1.1) and the satisfaction
scale and target (5.1.3). Saved through :func:`services.admin.update_settings`, which audits
every change.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain import validation as v
from ...domain.errors import CqmsError, ValidationError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...domain.settings import FORMS
from ...services import admin
from ...services.base import Actor
from ...services.settings_queries import all_settings
from .forms import FieldForm

#: The controlled forms' names (glossary), by the key used in ``domain.settings.FORMS``.
FORM_NAMES: dict[str, str] = {
    "visit": QT_TRANSLATE_NOOP("Settings", "Customer Visit Form"),
    "feedback": QT_TRANSLATE_NOOP("Settings", "Customer Quality Feedback Form"),
    "survey": QT_TRANSLATE_NOOP("Settings", "Customer Satisfaction Survey"),
    "complaint": QT_TRANSLATE_NOOP("Settings", "Customer Complaint Handling Form"),
    "service": QT_TRANSLATE_NOOP("Settings", "Spare Parts and Exchange Record"),
    "8d": QT_TRANSLATE_NOOP("Settings", "8D report"),
}

#: Whole-number settings: key → (label, minimum, maximum, suffix).
NUMBERS: dict[str, tuple[str, int, int, str]] = {
    "deadline_urgent_days": (
        QT_TRANSLATE_NOOP("Settings", "Urgent complaints handled within"),
        1,
        60,
        QT_TRANSLATE_NOOP("Settings", " days"),
    ),
    "deadline_normal_days": (
        QT_TRANSLATE_NOOP("Settings", "Normal complaints handled within"),
        1,
        120,
        QT_TRANSLATE_NOOP("Settings", " days"),
    ),
    "due_soon_hours": (
        QT_TRANSLATE_NOOP("Settings", "“Due soon” when due within"),
        1,
        720,
        QT_TRANSLATE_NOOP("Settings", " hours"),
    ),
    "ack_overdue_days": (
        QT_TRANSLATE_NOOP("Settings", "Circulation to be acknowledged within"),
        1,
        60,
        QT_TRANSLATE_NOOP("Settings", " days"),
    ),
    "action_due_days": (
        QT_TRANSLATE_NOOP("Settings", "Corrective actions due after"),
        1,
        365,
        QT_TRANSLATE_NOOP("Settings", " days"),
    ),
    "repeat_window_months": (
        QT_TRANSLATE_NOOP("Settings", "Repeat complaint: same problem within"),
        1,
        60,
        QT_TRANSLATE_NOOP("Settings", " months"),
    ),
    "visit_interval_months": (
        QT_TRANSLATE_NOOP("Settings", "Visit each customer at least every"),
        1,
        12,
        QT_TRANSLATE_NOOP("Settings", " months"),
    ),
    "survey_scale_min": (QT_TRANSLATE_NOOP("Settings", "Survey scale from"), 0, 10, ""),
    "survey_scale_max": (QT_TRANSLATE_NOOP("Settings", "Survey scale to"), 1, 100, ""),
    "attachment_max_mb": (
        QT_TRANSLATE_NOOP("Settings", "Largest attachment"),
        1,
        500,
        QT_TRANSLATE_NOOP("Settings", " MB"),
    ),
}

#: The survey's four aspects (5.1.3) and their weights.
WEIGHTS: dict[str, str] = {
    "quality": QT_TRANSLATE_NOOP("Settings", "Quality"),
    "service": QT_TRANSLATE_NOOP("Settings", "Service"),
    "price": QT_TRANSLATE_NOOP("Settings", "Price"),
    "delivery": QT_TRANSLATE_NOOP("Settings", "Delivery"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("Settings", text)


class SettingsPage(QWidget):
    """Edit the shared business settings; only changed keys are saved (and audited)."""

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.loaded: dict[str, Any] = {}
        inner = QWidget()
        inner.setMaximumWidth(900)  # long lines of form fields are hard to read
        column = QVBoxLayout(inner)

        company = QGroupBox(self.tr("Company"), inner)
        company_form = QFormLayout(company)
        self.fields = FieldForm(self, company_form)
        self.company_name = QLineEdit(company)
        self.fields.add("company_name", self.tr("Company name"), self.company_name)
        self.timezone = QLineEdit(company)
        self.timezone.setPlaceholderText(self.tr("empty: each PC's own time zone"))
        self.fields.add("timezone", self.tr("Time zone (e.g. Asia/Shanghai)"), self.timezone)
        column.addWidget(company)

        forms = QGroupBox(self.tr("Controlled forms: form code and revision"), inner)
        forms_form = QFormLayout(forms)
        self.form_fields = FieldForm(self, forms_form)
        self.form_codes: dict[str, QLineEdit] = {}
        self.form_revisions: dict[str, QLineEdit] = {}
        for key in FORMS:
            row = QWidget(forms)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            code = QLineEdit(row)
            revision = QLineEdit(row)
            revision.setMaximumWidth(80)
            line.addWidget(code, 1)
            line.addWidget(QLabel(self.tr("Revision"), row))
            line.addWidget(revision)
            self.form_codes[key] = code
            self.form_revisions[key] = revision
            self.form_fields.add(f"form_code_{key}", _t(FORM_NAMES[key]), row)
            # A revision error shows under the same row as its code.
            self.form_fields.errors[f"form_revision_{key}"] = self.form_fields.errors[
                f"form_code_{key}"
            ]
            self.form_fields.widgets[f"form_revision_{key}"] = revision
            self.form_fields.labels[f"form_revision_{key}"] = self.tr("{form}: revision").format(
                form=_t(FORM_NAMES[key])
            )
        column.addWidget(forms)

        limits = QGroupBox(self.tr("Deadlines and rules"), inner)
        limits_form = QFormLayout(limits)
        limits_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.limit_fields = FieldForm(self, limits_form)
        self.numbers: dict[str, QSpinBox] = {}
        for key, (label, low, high, suffix) in NUMBERS.items():
            spin = QSpinBox(limits)
            spin.setRange(low, high)
            spin.setSuffix(_t(suffix) if suffix else "")
            self.numbers[key] = spin
            self.limit_fields.add(key, _t(label), spin)
        self.working_days = QCheckBox(self.tr("Count deadlines in working days"), limits)
        self.limit_fields.add("deadline_working_days", "", self.working_days)
        self.survey_target = QDoubleSpinBox(limits)
        self.survey_target.setRange(0, 100)
        self.survey_target.setDecimals(1)
        self.survey_target.setSingleStep(0.1)
        self.limit_fields.add("survey_target", self.tr("Satisfaction target"), self.survey_target)
        weights_row = QWidget(limits)
        weights_line = QHBoxLayout(weights_row)
        weights_line.setContentsMargins(0, 0, 0, 0)
        self.weights: dict[str, QSpinBox] = {}
        for key, label in WEIGHTS.items():
            spin = QSpinBox(weights_row)
            spin.setRange(0, 10)
            weights_line.addWidget(QLabel(_t(label), weights_row))
            weights_line.addWidget(spin)
            self.weights[key] = spin
        self.limit_fields.add("survey_weights", self.tr("Survey weights"), weights_row)
        column.addWidget(limits)
        column.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.save_button = QPushButton(self.tr("Save settings"), self)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Undo changes"), self)
        self.revert_button.clicked.connect(lambda: self.load())
        self.status = QLabel(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.load()

    # ------------------------------------------------------------------ values
    def load(self, *, keep_status: bool = False) -> None:
        """Show the settings as stored in the database."""
        self.loaded = all_settings()
        s = self.loaded
        self.company_name.setText(str(s.get("company_name") or ""))
        self.timezone.setText(str(s.get("timezone") or ""))
        for key in FORMS:
            self.form_codes[key].setText(str(s[f"form_code_{key}"]))
            self.form_revisions[key].setText(str(s[f"form_revision_{key}"]))
        for key, spin in self.numbers.items():
            spin.setValue(int(s[key]))
        self.working_days.setChecked(bool(s["deadline_working_days"]))
        self.survey_target.setValue(float(s["survey_target"]))
        weights = dict(s.get("survey_weights") or {})
        for key, spin in self.weights.items():
            spin.setValue(int(weights.get(key, 1)))
        self._clear_errors()
        if not keep_status:
            self.status.clear()

    def values(self) -> dict[str, Any]:
        """Every setting as the form shows it."""
        values: dict[str, Any] = {
            "company_name": self.company_name.text().strip(),
            "timezone": self.timezone.text().strip(),
            "deadline_working_days": self.working_days.isChecked(),
            "survey_target": round(self.survey_target.value(), 1),
            "survey_weights": {k: spin.value() for k, spin in self.weights.items()},
        }
        for key in FORMS:
            values[f"form_code_{key}"] = self.form_codes[key].text().strip()
            values[f"form_revision_{key}"] = self.form_revisions[key].text().strip()
        values.update({k: spin.value() for k, spin in self.numbers.items()})
        return values

    def changed(self) -> dict[str, Any]:
        """The settings that differ from what was loaded."""
        return {k: val for k, val in self.values().items() if self.loaded.get(k) != val}

    def _check(self, values: dict[str, Any]) -> None:
        """What the service does not check itself: required texts and a sane scale."""
        v.required_text(values["company_name"], "company_name", 200)
        for key in FORMS:
            v.required_text(values[f"form_code_{key}"], f"form_code_{key}", 32)
            v.required_text(values[f"form_revision_{key}"], f"form_revision_{key}", 16)
        if values["survey_scale_min"] >= values["survey_scale_max"]:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The scale must end above where it starts."),
                field="survey_scale_max",
            )
        low, high = values["survey_scale_min"], values["survey_scale_max"]
        if not low <= values["survey_target"] <= high:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The target must lie on the survey scale."),
                field="survey_target",
            )

    def save(self) -> bool:
        """Save the changed settings; show an error next to its field when refused."""
        self._clear_errors()
        self.status.clear()
        changes = self.changed()
        if not changes:
            self.status.setText(self.tr("Nothing to save."))
            return True
        try:
            self._check(self.values())
            admin.update_settings(self.actor, changes)
        except CqmsError as exc:
            self._show_error(exc)
            return False
        self.load()
        self.status.setText(self.tr("Saved ({n} changed).").format(n=len(changes)))
        return True

    # ------------------------------------------------------------------ errors
    def _forms(self) -> list[FieldForm]:
        return [self.fields, self.form_fields, self.limit_fields]

    def _clear_errors(self) -> None:
        for form in self._forms():
            form.clear_errors()

    def error_text(self, key: str) -> str:
        """The error shown next to setting *key* ('' when none)."""
        for form in self._forms():
            if key in form.errors:
                return form.error_text(key)
        return ""

    def _show_error(self, exc: CqmsError) -> None:
        key = exc.field or exc.params.get("key")
        for form in self._forms():
            if key in form.errors:
                form.show_error(exc)
                return
        self.fields.show_error(exc)
