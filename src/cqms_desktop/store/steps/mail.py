"""Schema step "mail": the e-mails sent (``sent_mail``), the reminder claims
(``reminder_claim``) and each user's digest language (``user.language``).

Self-contained: the tables are described here as they were when the step was written (not by
the current models, which move on), and every part checks before it creates, so running the
step again on a database that already has them changes nothing.
"""

from __future__ import annotations

import peewee as pw


def _tables(database: pw.Database) -> list[type[pw.Model]]:
    """The two new tables as of this step, bound to *database*."""

    class Base(pw.Model):
        class Meta:
            legacy_table_names = False

    Base._meta.set_database(database)

    class SentMail(Base):
        kind = pw.CharField(max_length=16, index=True)
        record_kind = pw.CharField(max_length=16, default="")
        record_id = pw.IntegerField(null=True)
        lang = pw.CharField(max_length=2, default="")
        message_id = pw.CharField(max_length=255, unique=True)
        sender = pw.CharField(max_length=255)
        recipients = pw.TextField()
        subject = pw.TextField()
        body = pw.TextField()
        attachment_name = pw.CharField(max_length=255, default="")
        attachment = pw.BlobField(null=True)
        status = pw.CharField(max_length=16, index=True)
        reason = pw.TextField(default="")
        attempts = pw.IntegerField(default=0)
        created_at = pw.DateTimeField()
        created_by = pw.CharField(max_length=64)
        attempted_at = pw.DateTimeField()
        sent_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "sent_mail"
            indexes = ((("record_kind", "record_id"), False),)

    class ReminderClaim(Base):
        recipient = pw.CharField(max_length=255)
        item = pw.CharField(max_length=64)
        day = pw.DateField()
        token = pw.CharField(max_length=64, index=True)
        claimed_at = pw.DateTimeField()
        mail = pw.ForeignKeyField(SentMail, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "reminder_claim"
            indexes = ((("recipient", "item", "day"), True),)

    return [SentMail, ReminderClaim]


def upgrade(database: pw.Database) -> None:
    """Add the mail tables and ``user.language`` where they are missing."""
    database.create_tables(_tables(database), safe=True)
    if "language" not in {c.name for c in database.get_columns("user")}:
        # "user" is a reserved word on PostgreSQL: quoted the backend's way.
        left, right = database.quote[0], database.quote[1]
        database.execute_sql(
            f"ALTER TABLE {left}user{right} ADD COLUMN language VARCHAR(2) NOT NULL DEFAULT ''"
        )
