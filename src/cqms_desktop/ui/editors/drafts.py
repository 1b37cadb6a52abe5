"""Unsaved editor input kept on this PC, so that a crash, a killed program or a lost server
connection does not lose what the user typed.

An editor writes its inputs here a moment after the user stops typing
(:class:`~.record_editor.RecordEditor`), deletes the draft when the record is saved or the
user discards the changes, and offers it back ("Restore the unsaved changes from …?") the next
time that record — or a new record of that kind — is opened.

A draft is one small JSON file in ``<data folder>/drafts/<database>/<kind>-<id or new>.json``:
the database part is a hash of the database's description (without password), so drafts for
the test database never show up on the production one. The file holds the inputs' values, the
record version the user had opened (restoring keeps it, so a change someone else saved in
between is still refused as a conflict) and when it was written (UTC).
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


def drafts_folder() -> Path:
    """The folder of the open database's drafts in the per-user data folder."""
    return paths.data_dir() / DRAFTS_FOLDER / database_key()


def draft_path(kind: str, record_id: int | None) -> Path:
    """Where the draft of record *record_id* of *kind* (``None``: a new one) is kept."""
    return drafts_folder() / f"{kind}-{'new' if record_id is None else int(record_id)}.json"


def write_draft(draft: Draft) -> Path | None:
    """Write *draft* atomically (a crash while writing leaves the previous draft); returns the
    file, or ``None`` when the data folder cannot be written (logged as a warning: the editor
    goes on, only the safety net is missing)."""
    path = draft_path(draft.kind, draft.record_id)
    data = {
        "kind": draft.kind,
        "record_id": draft.record_id,
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


def read_draft(kind: str, record_id: int | None) -> Draft | None:
    """The draft of that record, or ``None`` (none, or unreadable: then it is removed)."""
    path = draft_path(kind, record_id)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        return Draft(
            kind=str(data["kind"]),
            record_id=data["record_id"],
            version=int(data["version"]),
            saved_at=datetime.fromisoformat(data["saved_at"]),
            values=dict(data["values"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring the unreadable draft %s: %s", path, exc)
        delete_draft(kind, record_id)
        return None


def delete_draft(kind: str, record_id: int | None) -> None:
    """Forget the draft of that record (nothing happens if there is none)."""
    with contextlib.suppress(OSError):
        draft_path(kind, record_id).unlink(missing_ok=True)


def new_draft(kind: str, record_id: int | None, version: int, values: dict[str, Any]) -> Draft:
    """A draft of *values* written now."""
    return Draft(kind, record_id, version, utcnow(), values)
