"""Changes to a record's children go through the record's own optimistic lock.

A feedback's or visit's routing list and its acknowledgements, a complaint's countermeasures
and attachments are rows of their own, but users see them as part of the record. Two users who
opened the same record must not both save a change of them as if the other had not (issue #15:
8 users changing one feedback's routing at the same version all got "saved" and 35 of 40 lists
were lost). So a use case that changes children first locks the parent (:func:`lock_parent`:
its row locked until the transaction ends, a stale *version* refused with the usual conflict
message) and then raises the parent's version (:func:`children_changed`), once per
transaction, so whoever saves the record next from an older version is refused as well.
"""

from __future__ import annotations

from typing import TypeVar

from ..domain.clock import utcnow
from ..store import audit
from ..store.models import VersionedModel

V = TypeVar("V", bound=VersionedModel)


def lock_parent(model: type[V], record_id: int, version: int | None = None) -> V:
    """The parent record, its row locked for the rest of the transaction; a
    :class:`ConflictError` if *version* (the one the user opened) is given and stale."""
    record = audit.get_for_update(model, record_id)
    if version is not None and record.version != version:
        raise audit.conflict(record)
    return record


def children_changed(model: type[V], locked: V, username: str) -> None:
    """Raise the version of *locked* (from :func:`lock_parent`) because its children changed.

    Only if it is still at the version it was locked at: a field change saved in the same
    transaction has raised it already, and one save raises it once.
    """
    model.update(
        {model.version: locked.version + 1, model.updated_at: utcnow(), model.updated_by: username}
    ).where((model.id == locked.id) & (model.version == locked.version)).execute()
