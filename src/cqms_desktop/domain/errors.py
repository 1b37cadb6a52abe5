"""Errors the services raise for users to read.

Each carries an untranslated English message (marked for ``lupdate``) with ``{placeholders}``
and its parameters, so the UI can show it in the user's language and the CLI can print it.
``field`` names the record field at fault, so a form can highlight the widget; its label
comes from :data:`.fields.FIELD_LABELS`, or from ``label`` (a ``(context, text)`` pair marked
for translation) for fields declared elsewhere, such as the shared settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .enums import LabeledEnum
from .fields import FIELD_LABELS

Translate = Callable[[str, str], str]


def _identity(_context: str, text: str) -> str:
    return text


class CqmsError(Exception):
    """Base class: a problem a user can understand and act on."""

    context = "Errors"

    def __init__(
        self,
        message: str,
        /,
        *,
        field: str | None = None,
        label: tuple[str, str] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.label = label
        self.params = params

    def translated(self, translate: Translate = _identity) -> str:
        """The message in the user's language; ``{field}`` becomes the field's label."""
        # A nested error (a row of a file, say) is shown in the same language as its frame.
        params = {key: _shown(value, translate) for key, value in self.params.items()}
        if self.field is not None and "field" not in params:
            context, label = self.label or ("Fields", FIELD_LABELS.get(self.field, self.field))
            params["field"] = translate(context, label)
        try:
            return translate(self.context, self.message).format(**params)
        except (KeyError, IndexError, ValueError):
            # A translation with a broken placeholder must never hide the error itself.
            return self.message.format(**params)

    def __str__(self) -> str:
        return self.translated()


def _shown(value: Any, translate: Translate) -> Any:
    """A parameter as the message shows it: nested errors and the procedure's vocabulary
    (one value or a tuple of them) in the user's language, anything else as it is."""
    if isinstance(value, CqmsError):
        return value.translated(translate)
    if isinstance(value, LabeledEnum):
        return translate("Enums", value.label)
    if isinstance(value, tuple) and value and all(isinstance(v, LabeledEnum) for v in value):
        return ", ".join(translate("Enums", v.label) for v in value)
    return value


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


class DatabaseUnavailable(DatabaseError):
    """The connection to the database server was lost or the server did not answer in time.
    Nothing of the interrupted change was saved; the next use connects again."""


class SaveOutcomeUnknown(DatabaseError):
    """The connection was lost while the server was committing a change: it may or may not
    have been saved. The caller re-reads the record (its version) before telling the user."""
