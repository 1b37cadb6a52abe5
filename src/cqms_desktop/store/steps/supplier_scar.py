"""Schema step "suppliers and SCARs" (issue 13 item 1): the Administration list ``supplier``
and the Supplier Corrective Action Requests ``scar`` QA raises from a complaint whose
responsibility is the supplier's (5.2.3 c).

Self-contained: the tables are described as they were when the step was written and created
only where missing, so running it again changes nothing.
"""

from __future__ import annotations

import peewee as pw


class _Versioned(pw.Model):
    version = pw.IntegerField(default=1)
    created_at = pw.DateTimeField()
    created_by = pw.CharField(max_length=64, null=True)
    updated_at = pw.DateTimeField()
    updated_by = pw.CharField(max_length=64, null=True)


def _tables(database: pw.Database) -> list[type[pw.Model]]:
    """The tables as of this step, bound to *database*."""

    class Supplier(_Versioned):
        code = pw.CharField(max_length=32, unique=True)
        name = pw.CharField(max_length=200, index=True)
        contacts = pw.TextField(default="")
        email = pw.CharField(max_length=200, default="")
        phone = pw.CharField(max_length=64, default="")
        language = pw.CharField(max_length=2, default="zh")
        active = pw.BooleanField(default=True, index=True)

        class Meta:
            table_name = "supplier"
            legacy_table_names = False

    class Complaint(pw.Model):  # only referred to: the table exists already
        class Meta:
            table_name = "complaint"
            legacy_table_names = False

    class Scar(_Versioned):
        number = pw.CharField(max_length=32, unique=True)
        complaint = pw.ForeignKeyField(Complaint, on_delete="RESTRICT")
        supplier = pw.ForeignKeyField(Supplier, on_delete="RESTRICT")
        status = pw.CharField(max_length=32, default="awaiting_reply", index=True)
        part = pw.CharField(max_length=200, default="")
        lot = pw.CharField(max_length=64, default="")
        defect = pw.TextField()
        evidence = pw.TextField(default="")
        containment = pw.TextField()
        reply_due = pw.DateField(index=True)
        raised_at = pw.DateTimeField()
        raised_by = pw.CharField(max_length=64)
        root_cause = pw.TextField(default="")
        corrective_action = pw.TextField(default="")
        effective_date = pw.DateField(null=True)
        replied_at = pw.DateTimeField(null=True)
        reply_recorded_by = pw.CharField(max_length=64, default="")
        verification_result = pw.TextField(default="")
        verified_by = pw.CharField(max_length=64, default="")
        verified_at = pw.DateTimeField(null=True)
        closed_at = pw.DateTimeField(null=True)
        closed_by = pw.CharField(max_length=64, default="")

        class Meta:
            table_name = "scar"
            legacy_table_names = False

    models: list[type[pw.Model]] = [Supplier, Scar]
    bound: list[type[pw.Model]] = [*models, Complaint]
    for model in bound:
        model._meta.set_database(database)
    return models


def upgrade(database: pw.Database) -> None:
    """Create the tables where they are missing."""
    database.create_tables(_tables(database), safe=True)
