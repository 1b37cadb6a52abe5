"""Errors the services raise for users to read.

Each carries an untranslated English message (marked for ``lupdate``) with ``{placeholders}``
and its parameters, so the UI can show it in the user's language and the CLI can print it.
``field`` names the record field at fault, so a form can highlight the widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .fields import FIELD_LABELS

Translate = Callable[[str, str], str]


def _identity(_context: str, text: str) -> str:
    return text


class CqmsError(Exception):
    """Base class: a problem a user can understand and act on."""

    context = "Errors"

    def __init__(self, message: str, /, *, field: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params

    def translated(self, translate: Translate = _identity) -> str:
        """The message in the user's language; ``{field}`` becomes the field's label."""
        params = dict(self.params)
        if self.field is not None and "field" not in params:
            label = FIELD_LABELS.get(self.field, self.field)
            params["field"] = translate("Fields", label)
        try:
            return translate(self.context, self.message).format(**params)
        except (KeyError, IndexError, ValueError):
            # A translation with a broken placeholder must never hide the error itself.
            return self.message.format(**params)

    def __str__(self) -> str:
        return self.translated()


class ValidationError(CqmsError):
    """Input that breaks a rule; nothing was saved."""


class PermissionDenied(CqmsError):
    """The user's department or role may not do this."""


class TransitionError(CqmsError):
    """The record's state does not allow this step."""


class NotFoundError(CqmsError):
    """The record does not exist (any more)."""


class ConflictError(CqmsError):
    """Someone else saved the record since it was opened (optimistic locking)."""


class AuthenticationError(CqmsError):
    """Wrong user name or password, disabled or locked account."""


class DatabaseError(CqmsError):
    """The database cannot be opened or used: unreachable, wrong password, wrong file, too new."""
