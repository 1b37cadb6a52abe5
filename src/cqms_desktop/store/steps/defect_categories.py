"""Schema step "defect categories": the managed list ``defect_category`` (code + zh/en/de
labels + active), seeded from the free-text defect categories the complaints already hold.

Self-contained: the table is described as it was when the step was written, and the step
checks before it creates or seeds (by folded code), so running it again changes nothing.
Every seeded row gets its creation in the audit trail (as the program's own "system"
entry), so that ``cqms check`` finds the list as the trail says it is.

Seeding: one category per distinct value compared as a key (:func:`..domain.keys.fold_key`:
"Thread" and "thread" are one category); its code is the spelling most complaints use, so
those complaints need no change, and its three labels start as that text (Administration
translates them). Complaints spelt otherwise keep their text; the lookups match it by the
folded key too.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import peewee as pw

from ...domain.clock import utcnow
from ...domain.keys import fold_key
from .. import audit

TABLE = "defect_category"
#: Who the seeded rows' creation is recorded for.
SYSTEM = "system"


def _table(database: pw.Database) -> type[pw.Model]:
    """The table as of this step, bound to *database*."""

    class DefectCategory(pw.Model):
        version = pw.IntegerField(default=1)
        created_at = pw.DateTimeField()
        created_by = pw.CharField(max_length=64, null=True)
        updated_at = pw.DateTimeField()
        updated_by = pw.CharField(max_length=64, null=True)
        code = pw.CharField(max_length=64, unique=True)
        label_zh = pw.CharField(max_length=100, default="")
        label_en = pw.CharField(max_length=100, default="")
        label_de = pw.CharField(max_length=100, default="")
        active = pw.BooleanField(default=True)

        class Meta:
            table_name = TABLE
            legacy_table_names = False

    DefectCategory._meta.set_database(database)
    return DefectCategory


def existing_values(database: pw.Database) -> list[str]:
    """The seed: one spelling per folded key of the complaints' defect categories, the most
    used first chosen (ties: the alphabetically first), sorted by that spelling."""
    rows = database.execute_sql(
        "SELECT defect_category, COUNT(*) FROM complaint WHERE defect_category <> '' "
        "GROUP BY defect_category"
    ).fetchall()
    by_key: dict[str, Counter[str]] = {}
    for text, count in rows:
        value = str(text).strip()[:64]
        if value:
            by_key.setdefault(fold_key(value), Counter())[value] += int(count)
    chosen = [min(c.items(), key=lambda item: (-item[1], item[0]))[0] for c in by_key.values()]
    return sorted(chosen)


def upgrade(database: pw.Database) -> None:
    """Create ``defect_category`` where it is missing and seed it from the complaints."""
    model = _table(database)
    database.create_tables([model], safe=True)
    # Rows already there (a run interrupted after MariaDB committed the CREATE) are kept.
    present = {fold_key(str(code)) for (code,) in database.execute_sql(f"SELECT code FROM {TABLE}")}
    now = utcnow()
    for value in existing_values(database):
        if fold_key(value) in present:
            continue
        label = value[:100]
        fields: dict[str, Any] = {
            "code": value,
            "label_zh": label,
            "label_en": label,
            "label_de": label,
            "active": True,
        }
        row = model.create(
            version=1,
            created_at=now,
            created_by=SYSTEM,
            updated_at=now,
            updated_by=SYSTEM,
            **fields,
        )
        audit.write_audit(
            SYSTEM, TABLE, row.get_id(), "create", {k: (None, v) for k, v in fields.items()}, now
        )
