"""What each step of a complaint requires, who may edit which section, and the date rules.

The states and transitions live in :mod:`.complaint_workflow`; this module adds the content
rules of procedure 5.2 that a transition or a save must satisfy:

- **feed back the preliminary plan (5.2.3 c, d1):** the investigation and the responsibility are
  recorded; for *company* or *undetermined* responsibility a preliminary improvement plan
  (countermeasures are required), otherwise a written explanation to the customer;
- **notify Sales (5.2.4):** every corrective action verified by QA; for *company* or
  *undetermined* responsibility at least one long-term countermeasure;
- **customer accepted / not accepted (5.2.5):** the oral notice and the copy sent are recorded
  (after the customer's last refusal, in a second round); a refusal gives its reason;
- **approval and closure (4.5):** the customer has accepted, closure not before acceptance;
- **reopen:** a reason;
- dates in order, nothing in the future, the verifier is not the action's owner;
- **repeat complaints:** same customer and product (and defect category) within
  ``repeat_window_months`` months of an earlier complaint.


This module is the single entry point callers import (``from ..domain import complaint_rules as
rules``); the rules themselves live in smaller modules, re-exported here:

- :mod:`.complaint_field_labels` — field labels (registered into ``FIELD_LABELS`` on import);
- :mod:`.complaint_values` — value checks, cross-field date and quantity rules, total cost;
- :mod:`.complaint_section_access` — the form's sections, who edits which one in which state;
- :mod:`.complaint_step_rules` — what each workflow step requires;
- :mod:`.complaint_action_rules` — corrective actions: values, dates, verifier ≠ owner;
- :mod:`.complaint_repeat_rule` — the repeat-complaint rule.

Everything here works on plain mappings of field values (``record.__data__`` for a stored row),
so it has no SQL and no Qt and is tested on its own.
"""

from __future__ import annotations

from .complaint_action_rules import (
    check_execution,
    check_verification,
    check_verifier,
    clean_action_values,
)
from .complaint_field_labels import COMPLAINT_FIELD_LABELS, label_of
from .complaint_repeat_rule import find_repeat, is_repeat, months_before
from .complaint_section_access import (
    ACTION_STATES,
    SECTION_OF,
    SECTIONS,
    Section,
    check_edit,
    editable_fields,
)
from .complaint_step_rules import (
    COUNTERMEASURES_REQUIRED,
    check_step_requirements,
    needs_countermeasures,
    step_problems,
)
from .complaint_values import (
    CLOCK_SKEW,
    COST_FIELDS,
    DATE_FIELDS,
    DATETIME_FIELDS,
    QUANTITY_FIELDS,
    RECORD_FIELDS,
    TEXT_LIMITS,
    as_date,
    as_utc,
    check_consistency,
    clean_values,
    total_cost,
)

__all__ = [
    "ACTION_STATES",
    "CLOCK_SKEW",
    "COMPLAINT_FIELD_LABELS",
    "COST_FIELDS",
    "COUNTERMEASURES_REQUIRED",
    "DATETIME_FIELDS",
    "DATE_FIELDS",
    "QUANTITY_FIELDS",
    "RECORD_FIELDS",
    "SECTIONS",
    "SECTION_OF",
    "TEXT_LIMITS",
    "Section",
    "as_date",
    "as_utc",
    "check_consistency",
    "check_edit",
    "check_execution",
    "check_step_requirements",
    "check_verification",
    "check_verifier",
    "clean_action_values",
    "clean_values",
    "editable_fields",
    "find_repeat",
    "is_repeat",
    "label_of",
    "months_before",
    "needs_countermeasures",
    "step_problems",
    "total_cost",
]
