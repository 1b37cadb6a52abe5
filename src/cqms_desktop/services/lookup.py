"""Loading one record by its id or by its record number, with the not-found error.

The registers' services (visits, feedback, surveys, service records) each offer
``get_<kind>(id)`` for the editors and ``<kind>_by_number(number)`` for the command line and
the forms; both are :func:`load_record` with the kind's model and its "no such number" text.
"""

from __future__ import annotations

from typing import TypeVar

from ..domain.errors import NotFoundError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store.models import BaseModel

__all__ = ["load_record"]

_Record = TypeVar("_Record", bound=BaseModel)


def load_record(model: type[_Record], key: int | str, unknown_number: str) -> _Record:
    """The *model* record whose id is *key* (an ``int``) or whose ``number`` is *key* (a
    ``str``; surrounding blanks ignored), else :class:`NotFoundError`.

    By id the record was open somewhere, so the error says it has gone; by number the user
    typed it, so the error is *unknown_number* (a ``QT_TRANSLATE_NOOP`` text with a
    ``{number}`` placeholder naming the kind) with what was typed.
    """
    if isinstance(key, str):
        found = model.get_or_none(model._meta.fields["number"] == key.strip())
        if found is None:
            raise NotFoundError(unknown_number, number=key)
        return found
    found = model.get_or_none(model._meta.primary_key == key)
    if found is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
        )
    return found
