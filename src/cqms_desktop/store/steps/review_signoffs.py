"""Schema step "review sign-offs": the table ``review_signoff`` (a management review the
General Manager signed off, kept as signed).

Self-contained: the table is described as it was when the step was written, and created only
where it is missing, so running the step again changes nothing.
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


def upgrade(database: pw.Database) -> None:
    """Add ``review_signoff`` where it is missing."""
    database.create_tables([_table(database)], safe=True)
