"""Labels of the record fields that error messages and forms name (context ``Fields``)."""

from __future__ import annotations

from .i18n import QT_TRANSLATE_NOOP

FIELD_LABELS: dict[str, str] = {
    "username": QT_TRANSLATE_NOOP("Fields", "User name"),
    "password": QT_TRANSLATE_NOOP("Fields", "Password"),
    "full_name": QT_TRANSLATE_NOOP("Fields", "Full name"),
    "department": QT_TRANSLATE_NOOP("Fields", "Department"),
    "code": QT_TRANSLATE_NOOP("Fields", "Code"),
    "name": QT_TRANSLATE_NOOP("Fields", "Name"),
    "address": QT_TRANSLATE_NOOP("Fields", "Address"),
    "contacts": QT_TRANSLATE_NOOP("Fields", "Contacts"),
    "language": QT_TRANSLATE_NOOP("Fields", "Form language"),
    "sales_rep": QT_TRANSLATE_NOOP("Fields", "Responsible Sales person"),
    "part_number": QT_TRANSLATE_NOOP("Fields", "Part number"),
    "customer": QT_TRANSLATE_NOOP("Fields", "Customer"),
    "product": QT_TRANSLATE_NOOP("Fields", "Product"),
    "company_name": QT_TRANSLATE_NOOP("Fields", "Company name"),
    "url": QT_TRANSLATE_NOOP("Fields", "Database URL"),
    "channel": QT_TRANSLATE_NOOP("Fields", "Channel"),
    "description": QT_TRANSLATE_NOOP("Fields", "Description"),
    "received_at": QT_TRANSLATE_NOOP("Fields", "Date received"),
    "severity": QT_TRANSLATE_NOOP("Fields", "Severity"),
    "quantity": QT_TRANSLATE_NOOP("Fields", "Quantity"),
    "qty_affected": QT_TRANSLATE_NOOP("Fields", "Quantity affected"),
    "qty_delivered": QT_TRANSLATE_NOOP("Fields", "Quantity delivered"),
    "visit_date": QT_TRANSLATE_NOOP("Fields", "Visit date"),
    "quarter": QT_TRANSLATE_NOOP("Fields", "Quarter"),
    "due_date": QT_TRANSLATE_NOOP("Fields", "Due date"),
    "owner": QT_TRANSLATE_NOOP("Fields", "Owner"),
    "reason": QT_TRANSLATE_NOOP("Fields", "Reason"),
}
