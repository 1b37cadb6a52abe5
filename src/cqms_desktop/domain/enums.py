"""The procedure's vocabulary as enumerations, each value with a translatable label.

Values are stable codes stored in the database; labels are English source texts marked for
translation (context ``Enums``). The printed forms use the glossary catalogue in
``exports.vocabulary`` for Chinese, English and German.
"""

from __future__ import annotations

from enum import StrEnum

from .i18n import QT_TRANSLATE_NOOP


class LabeledEnum(StrEnum):
    """A ``StrEnum`` whose members know their English label."""

    @property
    def label(self) -> str:
        """The untranslated English label (translate in context ``Enums``)."""
        return _LABELS[(type(self), self.value)]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``(value, label)`` pairs in declaration order, for combo boxes and validation."""
        return [(m.value, m.label) for m in cls]


class Department(LabeledEnum):
    """Departments of section 4 of the procedure."""

    SALES = "sales"
    QA = "qa"
    TECHNICAL = "technical"
    MANUFACTURING = "manufacturing"
    ADMINISTRATION = "administration"
    GENERAL_MANAGER = "gm"


class Language(LabeledEnum):
    """Languages of the printed forms."""

    ZH = "zh"
    EN = "en"
    DE = "de"


class Severity(LabeledEnum):
    """5.2.3 a/b: urgent complaints are handled within 2 days, normal ones within 7."""

    URGENT = "urgent"
    NORMAL = "normal"


class ComplaintStatus(LabeledEnum):
    """States of a customer complaint (5.2); transitions live in ``complaint_workflow``."""

    REGISTERED = "registered"
    INVESTIGATING = "investigating"
    COUNTERMEASURES = "countermeasures"
    CUSTOMER_NOTICE = "customer_notice"
    AWAITING_APPROVAL = "awaiting_approval"
    CLOSED = "closed"


class Responsibility(LabeledEnum):
    """5.2.3 c: who is responsible for the problem."""

    COMPANY = "company"
    CUSTOMER = "customer"
    SUPPLIER = "supplier"
    TRANSPORT = "transport"
    UNDETERMINED = "undetermined"


class ActionType(LabeledEnum):
    """5.2.3 e: the four kinds of long-term countermeasure."""

    PROCESS = "process"
    MANAGEMENT = "management"
    MOULD_EQUIPMENT = "mould_equipment"
    INSPECTION = "inspection"


class ActionStatus(LabeledEnum):
    """A corrective/preventive action: open, carried out by its department, verified by QA."""

    OPEN = "open"
    DONE = "done"
    VERIFIED = "verified"


class Channel(LabeledEnum):
    """5.1.2: how a customer's feedback reached the company."""

    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    FAX = "fax"
    VISIT = "visit"
    SURVEY = "survey"


class FeedbackType(LabeledEnum):
    """What a feedback is about; a quality problem becomes a complaint (5.2.1)."""

    QUALITY = "quality"
    DELIVERY = "delivery"
    SERVICE = "service"
    PRICE = "price"
    TECHNICAL = "technical"
    OTHER = "other"


class FeedbackStatus(LabeledEnum):
    """A feedback: registered, circulated to departments, handed to QA as a complaint, closed."""

    OPEN = "open"
    ROUTED = "routed"
    COMPLAINT = "complaint"
    CLOSED = "closed"


class VisitStatus(LabeledEnum):
    """A visit is open while departments still have to acknowledge its requests."""

    OPEN = "open"
    CLOSED = "closed"


class SurveyStatus(LabeledEnum):
    """A quarterly satisfaction survey (5.1.3)."""

    PLANNED = "planned"
    SENT = "sent"
    RETURNED = "returned"


class ServiceKind(LabeledEnum):
    """5.1.4 / 5.1.5: technical service and spare-part records."""

    CONSULTATION = "consultation"
    INSTRUCTIONS = "instructions"
    SPARE_PARTS = "spare_parts"
    EXCHANGE = "exchange"
    ONSITE = "onsite"


class ServiceStatus(LabeledEnum):
    """A service record is open until what was promised has been done."""

    OPEN = "open"
    DONE = "done"


# Pairs, not a dict literal: StrEnum members hash and compare as their values, so in a dict
# Department.TECHNICAL and FeedbackType.TECHNICAL ("technical") would collide and one label
# would silently replace the other. The lookup table is keyed by (enum class, value).
class ScarStatus(LabeledEnum):
    """A Supplier Corrective Action Request (5.2.3 c): waiting for the supplier's reply, the
    reply waiting for QA's verification, verified effective, closed."""

    AWAITING_REPLY = "awaiting_reply"
    REPLIED = "replied"
    VERIFIED = "verified"
    CLOSED = "closed"


_LABEL_PAIRS: tuple[tuple[LabeledEnum, str], ...] = (
    (Department.SALES, QT_TRANSLATE_NOOP("Enums", "Sales Department")),
    (Department.QA, QT_TRANSLATE_NOOP("Enums", "Quality Assurance Department")),
    (Department.TECHNICAL, QT_TRANSLATE_NOOP("Enums", "Technical Section")),
    (Department.MANUFACTURING, QT_TRANSLATE_NOOP("Enums", "Manufacturing Department")),
    (Department.ADMINISTRATION, QT_TRANSLATE_NOOP("Enums", "Administration Department")),
    (Department.GENERAL_MANAGER, QT_TRANSLATE_NOOP("Enums", "General Manager")),
    (Language.ZH, QT_TRANSLATE_NOOP("Enums", "Chinese")),
    (Language.EN, QT_TRANSLATE_NOOP("Enums", "English")),
    (Language.DE, QT_TRANSLATE_NOOP("Enums", "German")),
    (Severity.URGENT, QT_TRANSLATE_NOOP("Enums", "Urgent")),
    (Severity.NORMAL, QT_TRANSLATE_NOOP("Enums", "Normal")),
    (ComplaintStatus.REGISTERED, QT_TRANSLATE_NOOP("Enums", "Registered")),
    (ComplaintStatus.INVESTIGATING, QT_TRANSLATE_NOOP("Enums", "Investigating")),
    (ComplaintStatus.COUNTERMEASURES, QT_TRANSLATE_NOOP("Enums", "Countermeasures")),
    (ComplaintStatus.CUSTOMER_NOTICE, QT_TRANSLATE_NOOP("Enums", "Customer notice")),
    (ComplaintStatus.AWAITING_APPROVAL, QT_TRANSLATE_NOOP("Enums", "Awaiting approval")),
    (ComplaintStatus.CLOSED, QT_TRANSLATE_NOOP("Enums", "Closed")),
    (Responsibility.COMPANY, QT_TRANSLATE_NOOP("Enums", "Company")),
    (Responsibility.CUSTOMER, QT_TRANSLATE_NOOP("Enums", "Customer")),
    (Responsibility.SUPPLIER, QT_TRANSLATE_NOOP("Enums", "Supplier")),
    (Responsibility.TRANSPORT, QT_TRANSLATE_NOOP("Enums", "Transport")),
    (Responsibility.UNDETERMINED, QT_TRANSLATE_NOOP("Enums", "Undetermined")),
    (ActionType.PROCESS, QT_TRANSLATE_NOOP("Enums", "Process improvement")),
    (ActionType.MANAGEMENT, QT_TRANSLATE_NOOP("Enums", "Management-method improvement")),
    (ActionType.MOULD_EQUIPMENT, QT_TRANSLATE_NOOP("Enums", "Mould or equipment improvement")),
    (ActionType.INSPECTION, QT_TRANSLATE_NOOP("Enums", "Inspection-method improvement")),
    (ScarStatus.AWAITING_REPLY, QT_TRANSLATE_NOOP("Enums", "Awaiting supplier reply")),
    (ScarStatus.REPLIED, QT_TRANSLATE_NOOP("Enums", "Reply to verify")),
    (ScarStatus.VERIFIED, QT_TRANSLATE_NOOP("Enums", "Verified effective")),
    (ScarStatus.CLOSED, QT_TRANSLATE_NOOP("Enums", "Closed")),
    (ActionStatus.OPEN, QT_TRANSLATE_NOOP("Enums", "Open")),
    (ActionStatus.DONE, QT_TRANSLATE_NOOP("Enums", "Carried out")),
    (ActionStatus.VERIFIED, QT_TRANSLATE_NOOP("Enums", "Verified")),
    (Channel.PHONE, QT_TRANSLATE_NOOP("Enums", "Phone call")),
    (Channel.LETTER, QT_TRANSLATE_NOOP("Enums", "Letter")),
    (Channel.EMAIL, QT_TRANSLATE_NOOP("Enums", "E-mail")),
    (Channel.FAX, QT_TRANSLATE_NOOP("Enums", "Fax")),
    (Channel.VISIT, QT_TRANSLATE_NOOP("Enums", "Visit")),
    (Channel.SURVEY, QT_TRANSLATE_NOOP("Enums", "Satisfaction survey")),
    (FeedbackType.QUALITY, QT_TRANSLATE_NOOP("Enums", "Quality problem")),
    (FeedbackType.DELIVERY, QT_TRANSLATE_NOOP("Enums", "Delivery")),
    (FeedbackType.SERVICE, QT_TRANSLATE_NOOP("Enums", "Service")),
    (FeedbackType.PRICE, QT_TRANSLATE_NOOP("Enums", "Price")),
    (FeedbackType.TECHNICAL, QT_TRANSLATE_NOOP("Enums", "Technical question")),
    (FeedbackType.OTHER, QT_TRANSLATE_NOOP("Enums", "Other")),
    (FeedbackStatus.OPEN, QT_TRANSLATE_NOOP("Enums", "Open")),
    (FeedbackStatus.ROUTED, QT_TRANSLATE_NOOP("Enums", "In circulation")),
    (FeedbackStatus.COMPLAINT, QT_TRANSLATE_NOOP("Enums", "Complaint")),
    (FeedbackStatus.CLOSED, QT_TRANSLATE_NOOP("Enums", "Closed")),
    (VisitStatus.OPEN, QT_TRANSLATE_NOOP("Enums", "Open")),
    (VisitStatus.CLOSED, QT_TRANSLATE_NOOP("Enums", "Closed")),
    (SurveyStatus.PLANNED, QT_TRANSLATE_NOOP("Enums", "Planned")),
    (SurveyStatus.SENT, QT_TRANSLATE_NOOP("Enums", "Sent")),
    (SurveyStatus.RETURNED, QT_TRANSLATE_NOOP("Enums", "Returned")),
    (ServiceKind.CONSULTATION, QT_TRANSLATE_NOOP("Enums", "Technical consultation")),
    (ServiceKind.INSTRUCTIONS, QT_TRANSLATE_NOOP("Enums", "Product instructions")),
    (ServiceKind.SPARE_PARTS, QT_TRANSLATE_NOOP("Enums", "Spare parts")),
    (ServiceKind.EXCHANGE, QT_TRANSLATE_NOOP("Enums", "Product exchange")),
    (ServiceKind.ONSITE, QT_TRANSLATE_NOOP("Enums", "On-site service")),
    (ServiceStatus.OPEN, QT_TRANSLATE_NOOP("Enums", "Open")),
    (ServiceStatus.DONE, QT_TRANSLATE_NOOP("Enums", "Done")),
)
_LABELS: dict[tuple[type, str], str] = {(type(m), m.value): label for m, label in _LABEL_PAIRS}
