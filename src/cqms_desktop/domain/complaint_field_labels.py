"""Labels of a complaint's fields, for messages and forms that name a field (context ``Fields``).

Importing this module adds the labels to the shared :data:`.fields.FIELD_LABELS` table (once,
as module bodies run once), so error messages about complaint fields name them properly.
"""

from __future__ import annotations

from .fields import FIELD_LABELS
from .i18n import QT_TRANSLATE_NOOP

#: Labels of the complaint's fields, for messages that name a field (context ``Fields``).
COMPLAINT_FIELD_LABELS: dict[str, str] = {
    "lot": QT_TRANSLATE_NOOP("Fields", "Lot / batch"),
    "received_via": QT_TRANSLATE_NOOP("Fields", "Received via"),
    "customer_request": QT_TRANSLATE_NOOP("Fields", "Customer's request"),
    "defect_category": QT_TRANSLATE_NOOP("Fields", "Defect category"),
    "qa_owner": QT_TRANSLATE_NOOP("Fields", "QA owner"),
    "investigation": QT_TRANSLATE_NOOP("Fields", "Investigation and analysis"),
    "cause": QT_TRANSLATE_NOOP("Fields", "Cause"),
    "evidence": QT_TRANSLATE_NOOP("Fields", "Evidence"),
    "team": QT_TRANSLATE_NOOP("Fields", "Team"),
    "onsite_by": QT_TRANSLATE_NOOP("Fields", "On-site investigation by"),
    "onsite_on": QT_TRANSLATE_NOOP("Fields", "On-site investigation date"),
    "onsite_findings": QT_TRANSLATE_NOOP("Fields", "On-site findings"),
    "responsibility": QT_TRANSLATE_NOOP("Fields", "Responsibility"),
    "explanation": QT_TRANSLATE_NOOP("Fields", "Written explanation to the customer"),
    "preliminary_plan": QT_TRANSLATE_NOOP("Fields", "Preliminary improvement plan"),
    "plan_fed_back_at": QT_TRANSLATE_NOOP("Fields", "Plan fed back to Sales"),
    "dispatch_by": QT_TRANSLATE_NOOP("Fields", "On-site dispatch: who"),
    "dispatch_on": QT_TRANSLATE_NOOP("Fields", "On-site dispatch: date"),
    "dispatch_action": QT_TRANSLATE_NOOP("Fields", "On-site dispatch: what was done"),
    "fg_checked": QT_TRANSLATE_NOOP("Fields", "Finished goods checked"),
    "fg_held": QT_TRANSLATE_NOOP("Fields", "Finished goods held"),
    "fg_nonconforming": QT_TRANSLATE_NOOP("Fields", "Finished goods nonconforming"),
    "wip_checked": QT_TRANSLATE_NOOP("Fields", "Work in progress checked"),
    "wip_held": QT_TRANSLATE_NOOP("Fields", "Work in progress held"),
    "wip_nonconforming": QT_TRANSLATE_NOOP("Fields", "Work in progress nonconforming"),
    "nc_report_number": QT_TRANSLATE_NOOP("Fields", "Nonconforming-product report (QP1301)"),
    "oral_notice_at": QT_TRANSLATE_NOOP("Fields", "Oral notice: when"),
    "oral_notice_by": QT_TRANSLATE_NOOP("Fields", "Oral notice: by"),
    "oral_notice_to": QT_TRANSLATE_NOOP("Fields", "Oral notice: to whom"),
    "copy_sent_at": QT_TRANSLATE_NOOP("Fields", "Copy sent: when"),
    "copy_sent_via": QT_TRANSLATE_NOOP("Fields", "Copy sent: how"),
    "copy_sent_to": QT_TRANSLATE_NOOP("Fields", "Copy sent: to whom"),
    "customer_accepted_at": QT_TRANSLATE_NOOP("Fields", "Accepted by the customer"),
    "approved_at": QT_TRANSLATE_NOOP("Fields", "Approval"),
    "closed_at": QT_TRANSLATE_NOOP("Fields", "Closure"),
    "reopen_reason": QT_TRANSLATE_NOOP("Fields", "Reason for reopening"),
    "cost_compensation": QT_TRANSLATE_NOOP("Fields", "Compensation"),
    "cost_freight": QT_TRANSLATE_NOOP("Fields", "Freight"),
    "cost_scrap": QT_TRANSLATE_NOOP("Fields", "Scrap"),
    "cost_rework": QT_TRANSLATE_NOOP("Fields", "Rework"),
    "cost_replacement": QT_TRANSLATE_NOOP("Fields", "Replacement"),
    "actions": QT_TRANSLATE_NOOP("Fields", "Long-term countermeasures"),
    "action_type": QT_TRANSLATE_NOOP("Fields", "Type of countermeasure"),
    "execution_note": QT_TRANSLATE_NOOP("Fields", "What was done"),
    "executed_at": QT_TRANSLATE_NOOP("Fields", "Carried out on"),
    "verification_result": QT_TRANSLATE_NOOP("Fields", "Verification result"),
    "verified_at": QT_TRANSLATE_NOOP("Fields", "Verified on"),
    "verified_by": QT_TRANSLATE_NOOP("Fields", "Verified by"),
    "attachment": QT_TRANSLATE_NOOP("Fields", "Attachment"),
    "timezone": QT_TRANSLATE_NOOP("Fields", "Time zone"),
    "feedback": QT_TRANSLATE_NOOP("Fields", "Customer Quality Feedback"),
    "version": QT_TRANSLATE_NOOP("Fields", "Version"),
    "due_at": QT_TRANSLATE_NOOP("Fields", "Handling deadline"),
    "handled_at": QT_TRANSLATE_NOOP("Fields", "Handled"),
    "repeat_of": QT_TRANSLATE_NOOP("Fields", "Repeat complaint of"),
    "executed_by": QT_TRANSLATE_NOOP("Fields", "Carried out by"),
    "complaint": QT_TRANSLATE_NOOP("Fields", "Complaint"),
    "accepted": QT_TRANSLATE_NOOP("Fields", "Accepted"),
    "recorded_at": QT_TRANSLATE_NOOP("Fields", "Recorded at"),
    "recorded_by": QT_TRANSLATE_NOOP("Fields", "Recorded by"),
    "approved_by": QT_TRANSLATE_NOOP("Fields", "Approved by"),
    "filename": QT_TRANSLATE_NOOP("Fields", "File name"),
    "number": QT_TRANSLATE_NOOP("Fields", "Number"),
}
# Error messages look labels up in the shared table; add ours without touching the shared file
# (another engineer owns it) and without overriding a label it already defines.
for _key, _label in COMPLAINT_FIELD_LABELS.items():
    FIELD_LABELS.setdefault(_key, _label)


def label_of(name: str) -> str:
    """The untranslated label of a field (context ``Fields``)."""
    return COMPLAINT_FIELD_LABELS.get(name) or FIELD_LABELS.get(name, name)
