"""Attachments of a complaint (photos, documents, e-mails): adding them within the size
limit, removing them, and writing a copy to disk to save or open it.

Re-exported by :mod:`.complaints`, so callers may keep importing from there.

Attachments are children of their complaint: adding or removing one locks the complaint and
raises its version (:mod:`.parent_lock`).
"""

from __future__ import annotations

import math
import mimetypes
import os
import stat
import tempfile
from pathlib import Path

from ..domain import complaint_rules as rules
from ..domain import validation as v
from ..domain.attachment_rules import (
    check_attachable,
    effective_name,
    fits_packet,
    largest_fitting,
)
from ..domain.clock import utcnow
from ..domain.enums import ComplaintStatus as S
from ..domain.enums import Department as D
from ..domain.errors import NotFoundError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..domain.settings import DEFAULTS
from ..store import audit
from ..store import settings as settings_store
from ..store.db import max_statement_bytes, retry_transient
from ..store.models import Attachment, Complaint
from .base import Actor, require, unit_of_work
from .complaint_records import _load, _only
from .normalise import checked_input
from .parent_lock import children_changed

ATTACHMENT_KIND = "complaint"


def _read_file(path: Path, max_mb: int) -> bytes:
    """The file's bytes, or a clear error naming the file (missing, a folder, unreadable,
    too large). The size is checked before reading, so a huge file is never loaded."""
    name = path.name or str(path)
    try:
        if not path.is_file():
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” is not a file that can be read."),
                field="attachment",
                name=name,
            )
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "{field}: “{name}” is {size} MB; at most {max} MB are allowed."
                ),
                field="attachment",
                name=name,
                size=_mb(size),
                max=max_mb,
            )
        with path.open("rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” cannot be read ({error})."),
            field="attachment",
            name=name,
            error=exc.strerror or type(exc).__name__,
        ) from None


def _mb(size: int) -> str:
    """*size* bytes in MB, one decimal, rounded up (never "1.0 MB of 1 MB" for a bigger file)."""
    return f"{math.ceil(size * 10 / 1024 / 1024) / 10:.1f}"


def _check_server_takes(filename: str, data: bytes) -> None:
    """Refuse a file the database server would not take in one statement (MariaDB's
    ``max_allowed_packet``): sent anyway, the server drops the connection ("server has gone
    away") instead of answering, and the session is lost."""
    limit = max_statement_bytes()
    if limit is None or fits_packet(data, limit):
        return
    raise ValidationError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "{field}: “{name}” is {size} MB; this database server takes files of at most "
            "{max} MB (its max_allowed_packet setting). Attach a smaller file, or ask IT to "
            "raise max_allowed_packet on the server.",
        ),
        field="attachment",
        name=filename,
        size=_mb(len(data)),
        max=f"{largest_fitting(limit) / 1024 / 1024:.1f}",
    )


@checked_input
@retry_transient
def add_attachment(
    actor: Actor,
    *,
    complaint_id: int,
    path: str | os.PathLike[str],
    complaint_version: int | None = None,
) -> Attachment:
    """Store a photo, document or e-mail with the complaint (size limit ``attachment_max_mb``).

    *complaint_version*, the version of the complaint the user opened, is refused when stale.
    """
    require(actor)
    source = Path(path)
    filename = v.required_text(source.name, "attachment", 255)
    check_attachable(filename)
    data = _read_file(source, _max_mb())
    return _store(actor, complaint_id, filename, data, complaint_version)


@checked_input
@retry_transient
def add_attachment_data(
    actor: Actor,
    *,
    complaint_id: int,
    filename: str,
    data: bytes,
    complaint_version: int | None = None,
) -> Attachment:
    """Store bytes that are not a file on disk (dragged from a mail program, a pasted
    screenshot) as an attachment named *filename*, within ``attachment_max_mb``."""
    require(actor)
    filename = v.required_text(filename, "attachment", 255)
    check_attachable(filename)
    max_mb = _max_mb()
    if len(data) > max_mb * 1024 * 1024:
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors", "{field}: “{name}” is {size} MB; at most {max} MB are allowed."
            ),
            field="attachment",
            name=filename,
            size=_mb(len(data)),
            max=max_mb,
        )
    return _store(actor, complaint_id, filename, bytes(data), complaint_version)


def _max_mb() -> int:
    """The ``attachment_max_mb`` setting."""
    return int(settings_store.get("attachment_max_mb") or DEFAULTS["attachment_max_mb"])


def _store(
    actor: Actor, complaint_id: int, filename: str, data: bytes, complaint_version: int | None
) -> Attachment:
    """Store checked bytes with the complaint: one transaction, audited, version raised."""
    _check_server_takes(filename, data)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    with unit_of_work("complaint"):
        record = _load(complaint_id, complaint_version)
        if S(record.status) == S.CLOSED:
            rules.check_edit((), S.CLOSED, actor.department)
        attachment = audit.create(
            Attachment,
            actor.username,
            record_kind=ATTACHMENT_KIND,
            record_id=record.id,
            filename=filename,
            content_type=content_type,
            size=len(data),
            data=data,
            added_at=utcnow(),
            added_by=actor.username,
        )
        # The complaint's own history shows the attachment too.
        audit.write_audit(
            actor.username, "complaint", record.id, "update", {"attachment": (None, filename)}
        )
        children_changed(Complaint, record, actor.username)
        return attachment


@checked_input
@retry_transient
def remove_attachment(
    actor: Actor, *, attachment_id: int, complaint_version: int | None = None
) -> None:
    """Remove an attachment (whoever added it, or QA) while the complaint is open.

    *complaint_version*, the version of the complaint the user opened, is refused when stale.
    """
    require(actor)
    with unit_of_work("complaint"):
        attachment = _attachment(attachment_id)
        record = _load(attachment.record_id, complaint_version)
        if S(record.status) == S.CLOSED:
            rules.check_edit((), S.CLOSED, actor.department)
        if actor.username != attachment.added_by and actor.department != D.QA:
            raise _only(D.QA)
        audit.delete(Attachment, attachment_id, actor.username, None)
        audit.write_audit(
            actor.username,
            "complaint",
            record.id,
            "update",
            {"attachment": (attachment.filename, None)},
        )
        children_changed(Complaint, record, actor.username)


def _attachment(attachment_id: int) -> Attachment:
    attachment = Attachment.get_or_none(
        (Attachment.id == attachment_id) & (Attachment.record_kind == ATTACHMENT_KIND)
    )
    if attachment is None:
        raise NotFoundError(
            QT_TRANSLATE_NOOP("Errors", "The record no longer exists (it may have been deleted).")
        )
    return attachment


@checked_input
def save_attachment(*, attachment_id: int, target: str | os.PathLike[str]) -> Path:
    """Write an attachment's bytes to *target* (a file path); returns the path."""
    attachment = _attachment(attachment_id)
    out = Path(target)
    try:
        out.write_bytes(bytes(attachment.data))
    except OSError as exc:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{field}: “{name}” cannot be written ({error})."),
            field="attachment",
            name=str(out),
            error=exc.strerror or type(exc).__name__,
        ) from None
    return out


@checked_input
def open_attachment_copy(
    *, attachment_id: int, folder: str | os.PathLike[str] | None = None
) -> Path:
    """A read-only copy of an attachment under its own name in a folder of its own, for the
    desktop to open. A file that would run when opened (stored before such files were
    refused) is not opened: save it and check it first."""
    attachment = _attachment(attachment_id)
    check_attachable(attachment.filename)
    if folder is None:
        base = Path(tempfile.mkdtemp(prefix="cqms-"))  # private to this user (mode 0700)
    else:
        base = Path(folder)
        base.mkdir(parents=True, exist_ok=True)
    safe_name = Path(effective_name(attachment.filename)).name or f"attachment-{attachment.id}"
    target = base / safe_name
    target.unlink(missing_ok=True)  # an earlier read-only copy in a folder given again
    copy = save_attachment(attachment_id=attachment_id, target=target)
    # Read-only: the program opening it cannot save over the copy, so nobody mistakes an
    # edited temporary file for the attachment (which changes only by attaching again).
    copy.chmod(stat.S_IRUSR)
    return copy
