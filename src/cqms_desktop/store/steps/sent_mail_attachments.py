"""Schema step "sent-mail attachments": ``sent_mail.extra_attachments``, the record's own
attachments chosen to go with a form (JSON: id, name, size and SHA-256 of each, so what was
sent stays known even if an attachment is removed later).

Re-runnable: the column is added only where it is missing.
"""

from __future__ import annotations

import peewee as pw


def upgrade(database: pw.Database) -> None:
    """Add ``sent_mail.extra_attachments`` where it is missing."""
    if "extra_attachments" not in {c.name for c in database.get_columns("sent_mail")}:
        database.execute_sql(
            "ALTER TABLE sent_mail ADD COLUMN extra_attachments TEXT NOT NULL DEFAULT ''"
        )
