"""Schema step "review sign-offs": the table ``review_signoff`` (a management review the
General Manager signed off, kept as signed) and an index of the audit trail by table, field,
action and time (what changed since a past review's cut-off).

Self-contained: the table is described as it was when the step was written, and the table and
the index are created only where they are missing, so running the step again changes nothing.
"""

from __future__ import annotations

import peewee as pw


def _table(database: pw.Database) -> type[pw.Model]:
    """The table as of this step, bound to *database*."""

    class ReviewSignoff(pw.Model):
        period = pw.CharField(max_length=16)
        customer_code = pw.CharField(max_length=64, default="")
        signed_by = pw.CharField(max_length=64)
        signed_at = pw.DateTimeField()
        language = pw.CharField(max_length=8, default="")
        note = pw.TextField(default="")
        figures = pw.TextField()
        workbook = pw.BlobField()
        workbook_sha256 = pw.CharField(max_length=64)

        class Meta:
            table_name = "review_signoff"
            legacy_table_names = False
            indexes = ((("period", "customer_code"), True),)

    ReviewSignoff._meta.set_database(database)
    return ReviewSignoff


INDEX = "audit_log_table_name_field_action_at"  # the name peewee gives the model's index


def upgrade(database: pw.Database) -> None:
    """Add ``review_signoff`` and the audit trail's (table, field, action, time) index."""
    database.create_tables([_table(database)], safe=True)
    if INDEX not in {index.name for index in database.get_indexes("audit_log")}:
        database.execute_sql(f"CREATE INDEX {INDEX} ON audit_log (table_name, field, action, at)")
