"""Demonstration data: customers, products, users and two years of records in every state.

``cqms demo`` and the first-run dialog call :func:`generate_demo`. The same *seed* on the same
day gives the same data (dates are relative to today). ``scale`` multiplies the number of
customers and with them every kind of record: ``scale=1`` gives about 2,200 records of the five
kinds (visits, feedback, complaints, surveys, service records), ``scale=50`` about 110,000.

Demonstration accounts (all with the password :data:`.name_pools.DEMO_PASSWORD`,
``cqms-demo-2026``):

==============  =====================  ==============
user name       department             administrator
==============  =====================  ==============
zhang.wei       Sales
li.na           Sales
wang.fang       Sales
liu.yang        QA
chen.jing       QA
yang.lei        Technical Section
zhao.qiang      Manufacturing
huang.min       Administration         yes
zhou.jun        General Manager
==============  =====================  ==============

Speed matters (100,000+ records in minutes), so the rows are built in memory and written with
batched ``INSERT``s inside one transaction instead of one service call per record; the audit
trail gets one row per table noting the load rather than one row per field. Numbers still come
from :mod:`cqms_desktop.store.counters` and deadlines from :mod:`cqms_desktop.domain.deadlines`.

This module checks the preconditions and runs the load; the rows come from builder classes in
sibling modules: ``builder_base`` (shared state, time helpers, circulation),
``people`` (users, customers, products), ``customer_service`` (visits, surveys,
service records), ``feedback`` and ``complaints``; ``batch_insert`` writes them and
``name_pools`` holds the name pools.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ...domain import clock, complaint_rules
from ...domain.enums import ComplaintStatus
from ...domain.errors import ValidationError
from ...domain.i18n import QT_TRANSLATE_NOOP
from ...store import audit, audit_replay
from ...store import settings as settings_store
from ...store.db import refresh_statistics
from ...store.models import (
    AuditLog,
    Circulation,
    Complaint,
    CorrectiveAction,
    CustomerResponse,
    Feedback,
    ServiceRecord,
    Survey,
    Visit,
)
from .. import defect_categories
from ..auth import hash_password
from ..backup import reset_sequences
from ..base import unit_of_work
from ..complaints import current_zone
from . import name_pools as D
from .batch_insert import INSERT_ORDER, insert_all, number_records
from .builder_base import Cancelled, DemoCancelled, Progress, first_free_id
from .complaints import ComplaintBuilder
from .customer_service import CustomerServiceBuilder
from .people import CUSTOMERS_PER_SCALE, FOREIGN_PER_SCALE, PeopleBuilder

__all__ = [
    "AUDIT_MARKER",
    "CURRENT_COMPLAINTS",
    "CUSTOMERS_PER_SCALE",
    "FOREIGN_PER_SCALE",
    "MAX_SCALE",
    "Cancelled",
    "DemoCancelled",
    "DemoSummary",
    "Progress",
    "generate_demo",
]

MAX_SCALE = 500
#: Recent complaints placed so that every state (and an overdue one) is always on show:
#: (days ago, state), one each for the first customers of every 25.
CURRENT_COMPLAINTS: list[tuple[int, ComplaintStatus]] = [
    (1, ComplaintStatus.REGISTERED),
    (12, ComplaintStatus.REGISTERED),  # normal, 7 days: overdue
    (3, ComplaintStatus.INVESTIGATING),
    (6, ComplaintStatus.COUNTERMEASURES),
    (15, ComplaintStatus.CUSTOMER_NOTICE),
    (20, ComplaintStatus.AWAITING_APPROVAL),
    (25, ComplaintStatus.CLOSED),
]
#: Marker written into the audit trail (field name) when demonstration data is loaded.
AUDIT_MARKER = "demo_data"
_RECORD_TABLES = (Visit, Feedback, Complaint, Survey, ServiceRecord)
#: One customer's built records by kind ("visits", "surveys", "feedback", ...).
_RecordsByKind = dict[str, list[dict[str, Any]]]


@dataclass
class DemoSummary:
    """What :func:`generate_demo` loaded."""

    seed: int
    scale: int
    counts: dict[str, int]  # table name → rows inserted
    users: list[tuple[str, str, str]]  # (user name, full name, department code) created
    password: str = D.DEMO_PASSWORD
    skipped_users: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Records of the five kinds (visits, feedback, complaints, surveys, service)."""
        return sum(self.counts.get(m._meta.table_name, 0) for m in _RECORD_TABLES)

    @property
    def total_rows(self) -> int:
        """Every row inserted, child rows (circulation, actions, responses) included."""
        return sum(self.counts.values())


def generate_demo(
    *,
    seed: int = 1,
    scale: int = 1,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
) -> DemoSummary:
    """Load demonstration data into the open database (see the module docstring).

    Allowed on a new database and on one that only has its first administrator, customers or
    products; refused once it holds records or demonstration data. Existing user names and
    customer codes are left alone (the demo ones are skipped or renumbered). *progress* is
    called with (rows written, rows to write); when *cancelled* returns true the load stops and
    everything is rolled back (:class:`DemoCancelled`). *today* fixes the reference day (tests).
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "The scale must be a whole number from 1 to {max}."),
            max=MAX_SCALE,
        )
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "The seed must be a whole number."))
    zone = current_zone()
    today = today or clock.today(zone)
    # Hash the passwords before taking the write lock: argon2 is deliberately slow.
    hashes = {name: hash_password(D.DEMO_PASSWORD) for name, *_ in D.DEMO_USERS}
    with unit_of_work(
        "user",
        "customer",
        "product",
        "defect_category",
        "visit",
        "feedback",
        "complaint",
        "survey",
        "service",
        "settings",
    ):
        _refuse_if_loaded()
        builder = _Builder(random.Random(seed), today, zone, scale, hashes, cancelled)
        builder.build()
        counts = insert_all(builder.rows, progress, cancelled)
        # The complaints' categories are codes of the managed list (audited as created).
        defect_categories.ensure_categories("system", D.DEFECT_CATEGORIES)
        _write_company_name()
        note = f"demonstration data: seed {seed}, scale {scale}"
        for table, count in counts.items():
            audit.write_audit(
                "system", table, 0, "create", {AUDIT_MARKER: (None, f"{note}, {count} rows")}
            )
        reset_sequences([m for m in INSERT_ORDER if counts.get(m._meta.table_name)])
        # The bulk-inserted rows get their creation rows, so the trail replays to them.
        audit_replay.adopt_baseline("system", "create")
    # Thousands of rows in one go: the planner's figures are stale. Outside the transaction:
    # MariaDB's ANALYZE TABLE commits implicitly.
    refresh_statistics()
    return DemoSummary(
        seed=seed,
        scale=scale,
        counts=counts,
        users=builder.created_users,
        skipped_users=builder.skipped_users,
    )


# ------------------------------------------------------------------ preconditions
def _refuse_if_loaded() -> None:
    if AuditLog.select().where(AuditLog.field == AUDIT_MARKER).exists():
        raise ValidationError(
            QT_TRANSLATE_NOOP(
                "Errors", "Demonstration data has already been loaded into this database."
            )
        )
    for model in _RECORD_TABLES:
        if model.select().exists():
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "This database already holds records ({table}). Demonstration data is "
                    "only loaded into a new database: use a new file or an empty database.",
                ),
                table=model._meta.table_name,
            )


def _write_company_name() -> None:
    if not settings_store.get("company_name"):
        settings_store.put("company_name", D.DEMO_COMPANY_NAME)
        audit.write_audit(
            "system", "setting", 0, "update", {"company_name": (None, D.DEMO_COMPANY_NAME)}
        )


class _Builder(PeopleBuilder, CustomerServiceBuilder, ComplaintBuilder):
    """Builds every demonstration row in memory, deterministically from the random source."""

    def build(self) -> None:
        """Users, customers, products, then each customer's two years of records."""
        self.build_users()
        customers = self.build_customers()
        products = self.build_products()
        per_customer: list[tuple[dict[str, Any], _RecordsByKind]] = []
        for index, customer in enumerate(customers):
            self.check_cancel()
            # The first customer of every 25 shows fresh, still open work in every register.
            fresh = index % CUSTOMERS_PER_SCALE == 0
            visits = self.build_visits(customer, fresh)
            surveys = self.build_surveys(customer)
            feedback = self.build_feedback(customer, products, visits, fresh)
            slot = index % CUSTOMERS_PER_SCALE
            forced = CURRENT_COMPLAINTS[slot] if slot < len(CURRENT_COMPLAINTS) else None
            complaints = self.build_complaints(customer, products, forced)
            services = self.build_services(customer, products, fresh)
            per_customer.append(
                (
                    customer,
                    {
                        "visits": visits,
                        "surveys": surveys,
                        "feedback": feedback,
                        "complaints": complaints,
                        "services": services,
                    },
                )
            )
        self.finish(per_customer)

    def finish(self, per_customer: list[tuple[dict[str, Any], _RecordsByKind]]) -> None:
        """Survey follow-up feedback, then ids and numbers in date order, repeat links."""
        visits = [v for _, r in per_customer for v in r["visits"]]
        surveys = [s for _, r in per_customer for s in r["surveys"]]
        feedback = [f for _, r in per_customer for f in r["feedback"]]
        complaints = [c for _, r in per_customer for c in r["complaints"]]
        services = [s for _, r in per_customer for s in r["services"]]
        feedback += [c["_fb"] for c in complaints]
        feedback += self.survey_feedback(surveys)

        visits.sort(key=lambda r: (r["_at"], r["customer"]["code"]))
        number_records("visit", visits, lambda r: r["visit_date"].year)
        surveys.sort(key=lambda r: (r["quarter"], r["customer"]["code"]))
        number_records("survey", surveys, lambda r: r["_year"])
        feedback.sort(key=lambda r: (r["received_at"], r["customer"]["code"], r["description"]))
        number_records("feedback", feedback, lambda r: r["received_at"].year)
        complaints.sort(key=lambda r: (r["received_at"], r["customer"]["code"], r["lot"]))
        number_records("complaint", complaints, lambda r: r["received_at"].year)
        services.sort(key=lambda r: (r["_at"], r["customer"]["code"], r["kind"]))
        number_records("service", services, lambda r: r["service_date"].year)

        for model, records in (
            (Visit, visits),
            (Survey, surveys),
            (Feedback, feedback),
            (Complaint, complaints),
            (ServiceRecord, services),
        ):
            next_id = first_free_id(model)
            for offset, rec in enumerate(records):
                rec["id"] = next_id + offset
            self.rows[model] = records

        # 5.2 repeat complaints, by the same rule the complaint service applies.
        earlier: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for rec in complaints:
            key = {
                "id": rec["id"],
                "customer": rec["customer"]["id"],
                "product": rec["product"],
                "defect_category": rec["defect_category"],
                "received_at": rec["received_at"],
            }
            found = complaint_rules.find_repeat(
                key, earlier[key["customer"]], self.repeat_window_months
            )
            if found is not None:
                rec["repeat_of"] = found["id"]
            earlier[key["customer"]].append(key)
        for child in (CustomerResponse, Circulation):
            next_id = first_free_id(child)
            for offset, rec in enumerate(self.rows[child]):
                rec["id"] = next_id + offset
        next_id = first_free_id(CorrectiveAction)
        for offset, rec in enumerate(self.rows[CorrectiveAction]):
            rec["id"] = next_id + offset
