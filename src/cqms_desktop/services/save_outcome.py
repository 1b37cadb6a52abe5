"""Whether a save whose answer was lost went through (issue #15 item 1).

When the connection drops while the server commits, the program cannot know whether the
change was saved (:class:`~..domain.errors.SaveOutcomeUnknown`). The record itself tells:
every save raises its version by one and names who saved it. The editor asks
:func:`saved_by_me` before it says "saved" or "not saved" — never by guess.
"""

from __future__ import annotations

from ..store.models import Complaint, Feedback, ServiceRecord, Survey, VersionedModel, Visit

#: The editors' record kinds and their tables.
_MODELS: dict[str, type[VersionedModel]] = {
    "complaint": Complaint,
    "feedback": Feedback,
    "service": ServiceRecord,
    "survey": Survey,
    "visit": Visit,
}


def saved_by_me(kind: str, record_id: int, opened_version: int, username: str) -> bool:
    """True when the record of *kind* now stands one version past *opened_version*, saved by
    *username*: the save whose answer was lost did go through."""
    model = _MODELS.get(kind)
    if model is None:
        return False
    row = (
        model.select(model.version, model.updated_by).where(model.id == record_id).tuples().first()
    )
    if row is None:
        return False
    version, updated_by = row
    return int(version) == opened_version + 1 and updated_by == username
