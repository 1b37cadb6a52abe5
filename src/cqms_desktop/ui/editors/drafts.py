"""Unsaved editor input kept on this PC, so that a crash, a killed program or a lost server
connection does not lose what the user typed.

An editor writes its inputs here a moment after the user stops typing
(:class:`~.record_editor.RecordEditor`), deletes the draft when the record is saved or the
user discards the changes, and offers it back ("Restore the unsaved changes from …?") the next
time that record — or a new record of that kind — is opened.

A draft is one small JSON file in
``<data folder>/drafts/<database>/<user>/<kind>-<id or new>.json``: the database part is a hash
of the database's description (without password), so drafts for the test database never show
up on the production one; the user part keeps one colleague's typing from being offered to
another who signs in on the same PC (File → Sign out / switch user). The file holds the
inputs' values, the record version the user had opened (restoring keeps it, so a change
someone else saved in between is still refused as a conflict) and when it was written (UTC).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ... import paths
from ...domain.clock import utcnow
from ...domain.errors import CqmsError
from ...services.database import current

log = logging.getLogger(__name__)

DRAFTS_FOLDER = "drafts"


@dataclass(frozen=True)
class Draft:
    """What an editor showed when the draft was written."""

    kind: str
    record_id: int | None
    user: str
    version: int
    saved_at: datetime  # naive UTC, like every stored time
    values: dict[str, Any]


def database_key() -> str:
    """A short, file-name safe identity of the open database ("none" if none is open)."""
    try:
        info = current()
    except CqmsError:
        return "none"
    # The display form carries no password; backend plus where the data is.
    text = f"{info.backend}|{info.display}|{info.path or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _user_folder(user: str) -> str:
    """*user* as a folder name: letters, digits and ``.-_`` (after a letter or digit) as they
    are, a hash otherwise (no ``..``, no separators)."""
    plain = all(c.isascii() and (c.isalnum() or c in ".-_") for c in user)
    if user and user[0].isascii() and user[0].isalnum() and plain:
        return user
    return "u-" + hashlib.sha256(user.encode("utf-8")).hexdigest()[:16]


def drafts_folder(user: str) -> Path:
    """The folder of *user*'s drafts on the open database, in the per-user data folder."""
    return paths.data_dir() / DRAFTS_FOLDER / database_key() / _user_folder(user)


def draft_path(kind: str, record_id: int | None, user: str) -> Path:
    """Where *user*'s draft of record *record_id* of *kind* (``None``: a new one) is kept."""
    name = f"{kind}-{'new' if record_id is None else int(record_id)}.json"
    return drafts_folder(user) / name


def write_draft(draft: Draft) -> Path | None:
    """Write *draft* atomically (a crash while writing leaves the previous draft); returns the
    file, or ``None`` when the data folder cannot be written (logged as a warning: the editor
    goes on, only the safety net is missing)."""
    path = draft_path(draft.kind, draft.record_id, draft.user)
    data = {
        "kind": draft.kind,
        "record_id": draft.record_id,
        "user": draft.user,
        "version": draft.version,
        "saved_at": draft.saved_at.isoformat(),
        "values": draft.values,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False, default=str), "utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("cannot write the draft %s: %s", path, exc)
        return None
    return path


def read_draft(kind: str, record_id: int | None, user: str) -> Draft | None:
    """*user*'s draft of that record, or ``None`` (none, or unreadable: then it is removed)."""
    path = draft_path(kind, record_id, user)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        return Draft(
            kind=str(data["kind"]),
            record_id=data["record_id"],
            user=user,
            version=int(data["version"]),
            saved_at=datetime.fromisoformat(data["saved_at"]),
            values=dict(data["values"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring the unreadable draft %s: %s", path, exc)
        delete_draft(kind, record_id, user)
        return None


def delete_draft(kind: str, record_id: int | None, user: str) -> None:
    """Forget *user*'s draft of that record (nothing happens if there is none)."""
    with contextlib.suppress(OSError):
        draft_path(kind, record_id, user).unlink(missing_ok=True)


def new_draft(
    kind: str, record_id: int | None, user: str, version: int, values: dict[str, Any]
) -> Draft:
    """*user*'s draft of *values*, written now."""
    return Draft(kind, record_id, user, version, utcnow(), values)
