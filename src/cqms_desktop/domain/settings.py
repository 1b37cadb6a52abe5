"""Business settings shared by every PC: the one registry where each setting is declared.

They live in the database's ``setting`` table (JSON values), so that the form codes, the
deadlines and the survey target are the same on every office PC. PC-local preferences (window
geometry, column layout, UI language, last database URL) live in ``QSettings`` instead.

Each setting is declared once here, as a :class:`SettingSpec`: key, type, default, allowed
range or length, unit, label and help (marked for translation in context ``Settings``), the
group it is shown in, and what must be recomputed when it changes. Everything else is derived
from this registry: :data:`DEFAULTS`, the checks of :mod:`.settings_check` (used by
``services.admin.update_settings``) and the generated Settings page of the administration
area. (After the option registry of MusicBrainz Picard, ``picard/options.py``.)
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .backup_schedule import BACKUP_DEFAULTS
from .company_calendar import CompanyCalendar
from .deadlines import DeadlineRules
from .i18n import QT_TRANSLATE_NOOP
from .mail_settings import MAIL_DEFAULTS


class SettingType(StrEnum):
    """How a setting's value is typed, checked and edited."""

    TEXT = "text"  # a string; required or not, with a maximum length
    TIME_ZONE = "time_zone"  # an IANA zone name, or empty for the PC's own zone
    INTEGER = "integer"  # a whole number within minimum … maximum
    DECIMAL = "decimal"  # a number with *decimals* places within minimum … maximum
    FLAG = "flag"  # true / false
    WEIGHTS = "weights"  # whole numbers by part (minimum … maximum each)


class Recompute(StrEnum):
    """Stored values that depend on a setting and must follow when it changes."""

    #: The due time of every complaint not yet handled (handled ones keep theirs).
    COMPLAINT_DEADLINES = "complaint_deadlines"


class Group(StrEnum):
    """The sections of the Settings page, in this order."""

    COMPANY = "company"
    FORMS = "forms"
    DEADLINES = "deadlines"
    SURVEY = "survey"

    @property
    def label(self) -> str:
        """English title (translate in context ``Settings``)."""
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    Group.COMPANY: QT_TRANSLATE_NOOP("Settings", "Company"),
    Group.FORMS: QT_TRANSLATE_NOOP("Settings", "Controlled forms: form code and revision"),
    Group.DEADLINES: QT_TRANSLATE_NOOP("Settings", "Deadlines and rules"),
    Group.SURVEY: QT_TRANSLATE_NOOP("Settings", "Satisfaction survey (5.1.3)"),
}


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One shared setting: everything the service, the page and the defaults need to know."""

    key: str
    type: SettingType
    default: Any
    label: str  # marked in context "Settings"
    group: Group
    help: str = ""  # marked in context "Settings"; the field's tooltip
    unit: str = ""  # marked in context "Settings"; a spin box suffix such as " days"
    minimum: float | None = None
    maximum: float | None = None
    decimals: int = 0
    max_length: int | None = None
    required: bool = False
    #: WEIGHTS: part key → label (context "Settings").
    parts: Mapping[str, str] = field(default_factory=dict)
    recompute: frozenset[Recompute] = frozenset()

    def default_value(self) -> Any:
        """A fresh copy of the default (a weights dict must not be shared)."""
        return copy.deepcopy(self.default)


_DAYS = QT_TRANSLATE_NOOP("Settings", " days")
_HOURS = QT_TRANSLATE_NOOP("Settings", " hours")
_MONTHS = QT_TRANSLATE_NOOP("Settings", " months")
_DEADLINES = frozenset({Recompute.COMPLAINT_DEADLINES})

#: Controlled forms: key → (default form code, default revision).
FORMS: dict[str, tuple[str, str]] = {
    "visit": ("QR-0701-01", "A/0"),
    "feedback": ("QR-0701-02", "A/0"),
    "survey": ("QR-0701-03", "A/0"),
    "complaint": ("QR-0701-04", "A/0"),
    "service": ("QR-0701-05", "A/0"),
    "8d": ("QR-0701-06", "A/0"),
    # The procedure names no form codes; the service record prints under two titles, so the
    # Technical Service Record has its own code (issue #11).
    "technical_service": ("QR-0701-07", "A/0"),
    # The Supplier Corrective Action Request (5.2.3 c, issue 13) goes to suppliers.
    "scar": ("QR-0701-08", "A/0"),
}

#: The controlled forms' names (glossary), by the key used in :data:`FORMS`.
FORM_NAMES: dict[str, str] = {
    "visit": QT_TRANSLATE_NOOP("Settings", "Customer Visit Form"),
    "feedback": QT_TRANSLATE_NOOP("Settings", "Customer Quality Feedback Form"),
    "survey": QT_TRANSLATE_NOOP("Settings", "Customer Satisfaction Survey"),
    "complaint": QT_TRANSLATE_NOOP("Settings", "Customer Complaint Handling Form"),
    "service": QT_TRANSLATE_NOOP("Settings", "Spare Parts and Exchange Record"),
    "8d": QT_TRANSLATE_NOOP("Settings", "8D report"),
    "technical_service": QT_TRANSLATE_NOOP("Settings", "Technical Service Record"),
    "scar": QT_TRANSLATE_NOOP("Settings", "Supplier Corrective Action Request"),
}

#: The label of each form's revision (literal strings, so lupdate sees them).
_REVISION_LABELS: dict[str, str] = {
    "visit": QT_TRANSLATE_NOOP("Settings", "Customer Visit Form: revision"),
    "feedback": QT_TRANSLATE_NOOP("Settings", "Customer Quality Feedback Form: revision"),
    "survey": QT_TRANSLATE_NOOP("Settings", "Customer Satisfaction Survey: revision"),
    "complaint": QT_TRANSLATE_NOOP("Settings", "Customer Complaint Handling Form: revision"),
    "service": QT_TRANSLATE_NOOP("Settings", "Spare Parts and Exchange Record: revision"),
    "8d": QT_TRANSLATE_NOOP("Settings", "8D report: revision"),
    "technical_service": QT_TRANSLATE_NOOP("Settings", "Technical Service Record: revision"),
    "scar": QT_TRANSLATE_NOOP("Settings", "Supplier Corrective Action Request: revision"),
}

_FORM_CODE_HELP = QT_TRANSLATE_NOOP(
    "Settings", "The document number printed in the header of every copy of this form."
)
_REVISION_HELP = QT_TRANSLATE_NOOP(
    "Settings", "The revision printed next to the form code, e.g. A/0."
)


def _form_settings() -> list[SettingSpec]:
    specs: list[SettingSpec] = []
    for key, (code, revision) in FORMS.items():
        specs.append(
            SettingSpec(
                f"form_code_{key}",
                SettingType.TEXT,
                code,
                FORM_NAMES[key],
                Group.FORMS,
                help=_FORM_CODE_HELP,
                max_length=32,
                required=True,
            )
        )
        specs.append(
            SettingSpec(
                f"form_revision_{key}",
                SettingType.TEXT,
                revision,
                _REVISION_LABELS[key],
                Group.FORMS,
                help=_REVISION_HELP,
                max_length=16,
                required=True,
            )
        )
    return specs


#: Every shared setting, in the order the Settings page shows them.
SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "company_name",
        SettingType.TEXT,
        "",
        QT_TRANSLATE_NOOP("Settings", "Company name"),
        Group.COMPANY,
        help=QT_TRANSLATE_NOOP("Settings", "Printed on every form and report."),
        max_length=200,
        required=True,
    ),
    SettingSpec(
        "company_name_en",
        SettingType.TEXT,
        "",
        QT_TRANSLATE_NOOP("Settings", "Company name in English"),
        Group.COMPANY,
        help=QT_TRANSLATE_NOOP(
            "Settings", "Printed on English forms. Empty: the company name above."
        ),
        max_length=200,
    ),
    SettingSpec(
        "company_name_de",
        SettingType.TEXT,
        "",
        QT_TRANSLATE_NOOP("Settings", "Company name in German"),
        Group.COMPANY,
        help=QT_TRANSLATE_NOOP(
            "Settings",
            "Printed on German forms. Empty: the English company name, else the company name.",
        ),
        max_length=200,
    ),
    SettingSpec(
        "timezone",
        SettingType.TIME_ZONE,
        "",
        QT_TRANSLATE_NOOP("Settings", "Time zone (e.g. Asia/Shanghai)"),
        Group.COMPANY,
        help=QT_TRANSLATE_NOOP(
            "Settings",
            "The company's time zone: the day a complaint is received and is due is counted "
            "in it. Empty: each PC's own time zone.",
        ),
        max_length=64,
        recompute=_DEADLINES,
    ),
    SettingSpec(
        "currency",
        SettingType.TEXT,
        "CNY",
        QT_TRANSLATE_NOOP("Settings", "Currency of recorded costs"),
        Group.COMPANY,
        help=QT_TRANSLATE_NOOP(
            "Settings",
            "The currency complaint costs are recorded in (e.g. CNY, EUR), shown with the cost "
            "of poor quality in the review and on the dashboard.",
        ),
        max_length=8,
        required=True,
    ),
    *_form_settings(),
    SettingSpec(
        "deadline_urgent_days",
        SettingType.INTEGER,
        2,
        QT_TRANSLATE_NOOP("Settings", "Urgent complaints handled within"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP("Settings", "Procedure 5.2.3 a: urgent complaints, two days."),
        unit=_DAYS,
        minimum=1,
        maximum=60,
        recompute=_DEADLINES,
    ),
    SettingSpec(
        "deadline_normal_days",
        SettingType.INTEGER,
        7,
        QT_TRANSLATE_NOOP("Settings", "Normal complaints handled within"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP("Settings", "Procedure 5.2.3 b: normal complaints, seven days."),
        unit=_DAYS,
        minimum=1,
        maximum=120,
        recompute=_DEADLINES,
    ),
    SettingSpec(
        "deadline_working_days",
        SettingType.FLAG,
        False,
        QT_TRANSLATE_NOOP("Settings", "Count deadlines in working days"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP(
            "Settings",
            "Count the handling deadlines in working days of the company calendar (weekends "
            "and holidays skipped, make-up working days counted) instead of calendar days.",
        ),
        recompute=_DEADLINES,
    ),
    SettingSpec(
        "due_soon_hours",
        SettingType.INTEGER,
        24,
        QT_TRANSLATE_NOOP("Settings", "“Due soon” when due within"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP(
            "Settings", "A complaint not yet handled is marked due soon this long before."
        ),
        unit=_HOURS,
        minimum=1,
        maximum=720,
    ),
    SettingSpec(
        "ack_overdue_days",
        SettingType.INTEGER,
        2,
        QT_TRANSLATE_NOOP("Settings", "Circulation to be acknowledged within"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP(
            "Settings", "A department that has not acknowledged a routed record by then is late."
        ),
        unit=_DAYS,
        minimum=1,
        maximum=60,
    ),
    SettingSpec(
        "forward_within_hours",
        SettingType.INTEGER,
        4,
        QT_TRANSLATE_NOOP("Settings", "Feedback forwarded within"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP(
            "Settings",
            "Procedure 5.1.2: Sales forwards a registered feedback immediately; one not "
            "forwarded by then is flagged as overdue.",
        ),
        unit=_HOURS,
        minimum=1,
        maximum=72,
    ),
    SettingSpec(
        "action_due_days",
        SettingType.INTEGER,
        30,
        QT_TRANSLATE_NOOP("Settings", "Corrective actions due after"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP("Settings", "The due date proposed for a new corrective action."),
        unit=_DAYS,
        minimum=1,
        maximum=365,
    ),
    SettingSpec(
        "scar_reply_days",
        SettingType.INTEGER,
        7,
        QT_TRANSLATE_NOOP("Settings", "Supplier replies to a SCAR within"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP(
            "Settings",
            "Procedure 5.2.3 c: the reply due date a new Supplier Corrective Action Request "
            "asks of the supplier.",
        ),
        unit=_DAYS,
        minimum=1,
        maximum=90,
    ),
    SettingSpec(
        "repeat_window_months",
        SettingType.INTEGER,
        12,
        QT_TRANSLATE_NOOP("Settings", "Repeat complaint: same problem within"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP(
            "Settings",
            "A complaint about the same product and problem within this time is a repeat.",
        ),
        unit=_MONTHS,
        minimum=1,
        maximum=60,
    ),
    SettingSpec(
        "visit_interval_months",
        SettingType.INTEGER,
        1,
        QT_TRANSLATE_NOOP("Settings", "Visit each customer at least every"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP("Settings", "Procedure 5.1.1: the visit plan's interval."),
        unit=_MONTHS,
        minimum=1,
        maximum=12,
    ),
    SettingSpec(
        "attachment_max_mb",
        SettingType.INTEGER,
        20,
        QT_TRANSLATE_NOOP("Settings", "Largest attachment"),
        Group.DEADLINES,
        help=QT_TRANSLATE_NOOP("Settings", "Larger files are refused when attached."),
        unit=QT_TRANSLATE_NOOP("Settings", " MB"),
        minimum=1,
        maximum=500,
    ),
    SettingSpec(
        "survey_scale_min",
        SettingType.INTEGER,
        1,
        QT_TRANSLATE_NOOP("Settings", "Survey scale from"),
        Group.SURVEY,
        help=QT_TRANSLATE_NOOP("Settings", "The lowest score a customer can give."),
        minimum=0,
        maximum=10,
    ),
    SettingSpec(
        "survey_scale_max",
        SettingType.INTEGER,
        5,
        QT_TRANSLATE_NOOP("Settings", "Survey scale to"),
        Group.SURVEY,
        help=QT_TRANSLATE_NOOP(
            "Settings", "The highest score a customer can give (above the lowest)."
        ),
        minimum=1,
        maximum=100,
    ),
    SettingSpec(
        "survey_target",
        SettingType.DECIMAL,
        4.0,
        QT_TRANSLATE_NOOP("Settings", "Satisfaction target"),
        Group.SURVEY,
        help=QT_TRANSLATE_NOOP(
            "Settings",
            "A survey whose overall score or any item lies below it needs feedback; it must "
            "lie on the scale.",
        ),
        minimum=0,
        maximum=100,
        decimals=1,
    ),
    SettingSpec(
        "survey_weights",
        SettingType.WEIGHTS,
        {"quality": 1, "service": 1, "price": 1, "delivery": 1},
        QT_TRANSLATE_NOOP("Settings", "Survey weights"),
        Group.SURVEY,
        help=QT_TRANSLATE_NOOP(
            "Settings",
            "The weight of each item in the overall score; at least one must be above zero.",
        ),
        minimum=0,
        maximum=10,
        parts={
            "quality": QT_TRANSLATE_NOOP("Settings", "Quality"),
            "service": QT_TRANSLATE_NOOP("Settings", "Service"),
            "price": QT_TRANSLATE_NOOP("Settings", "Price"),
            "delivery": QT_TRANSLATE_NOOP("Settings", "Delivery"),
        },
    ),
)

#: The registry by key.
REGISTRY: Mapping[str, SettingSpec] = MappingProxyType({s.key: s for s in SETTINGS})

#: Every setting's default value.
# The mail settings are checked by their own rules (domain/mail_settings.py) and edited on the
# Administration → Mail page, the backup settings likewise (domain/backup_schedule.py,
# Administration → Backups), not on the generated Settings page.
DEFAULTS: dict[str, Any] = {
    **{s.key: s.default_value() for s in SETTINGS},
    **MAIL_DEFAULTS,
    **BACKUP_DEFAULTS,
}


def recomputations(keys: set[str] | frozenset[str]) -> frozenset[Recompute]:
    """What must be recomputed after the settings *keys* changed."""
    out: set[Recompute] = set()
    for key in keys:
        spec = REGISTRY.get(key)
        if spec is not None:
            out |= spec.recompute
    return frozenset(out)


def deadline_rules(
    settings: Mapping[str, Any], calendar: CompanyCalendar | None = None
) -> DeadlineRules:
    """The deadline rules from a settings mapping (missing keys take their defaults), on the
    company's working-day *calendar* (weekends only when none is given)."""
    s = {**DEFAULTS, **settings}
    return DeadlineRules(
        urgent_days=int(s["deadline_urgent_days"]),
        normal_days=int(s["deadline_normal_days"]),
        working_days=bool(s["deadline_working_days"]),
        calendar=calendar if calendar is not None else CompanyCalendar(),
        # An empty or zero setting means the default, not "never due soon".
        due_soon=timedelta(hours=int(s["due_soon_hours"] or DEFAULTS["due_soon_hours"])),
    )


def company_name_for(settings: Mapping[str, Any], lang: str) -> str:
    """The company name printed on a form in *lang*: that language's name if set (English
    for German when German is empty), else the company name (the Chinese one)."""
    chain = {"en": ("company_name_en",), "de": ("company_name_de", "company_name_en")}
    for key in (*chain.get(lang, ()), "company_name"):
        value = str(settings.get(key) or "").strip()
        if value:
            return value
    return ""
