"""Rows for the main-window, list, dashboard and administration tests (not a test module).

Records are written through ``store.audit`` in one transaction, the way services write them,
with times chosen relative to now so that some complaints are overdue, some due soon and some
closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from cqms_desktop.domain import clock
from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.enums import Department
from cqms_desktop.services import admin, auth
from cqms_desktop.services.base import Actor
from cqms_desktop.store import audit
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import (
    Circulation,
    Complaint,
    CorrectiveAction,
    Customer,
    DefectCategory,
    Feedback,
    Product,
    ServiceRecord,
    Survey,
    Visit,
)


@dataclass
class Sample:
    """Ids of what :func:`populate` created, by role in the tests."""

    customers: list[int] = field(default_factory=list)
    products: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    due_soon: list[int] = field(default_factory=list)
    due_in_40h: list[int] = field(default_factory=list)
    on_time: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    feedback: list[int] = field(default_factory=list)
    awaiting_ack: list[int] = field(default_factory=list)
    visits: list[int] = field(default_factory=list)
    surveys: list[int] = field(default_factory=list)
    service: list[int] = field(default_factory=list)
    complaints_with_late_actions: list[int] = field(default_factory=list)


def _complaint(who: str, number: str, customer: int, product: int | None, **kw) -> int:
    now = utcnow()
    values = {
        "number": number,
        "customer": customer,
        "product": product,
        "received_at": now - timedelta(days=1),
        "description": "毛刺 burr on flange",
        "severity": "normal",
        "status": "investigating",
        "due_at": now + timedelta(days=6),
        "defect_category": "burr",
    }
    values.update(kw)
    return audit.create(Complaint, who, **values).id


def populate(who: str = "system") -> Sample:
    """A small but varied database: 3 customers, 2 products, 7 complaints, feedback, etc."""
    s = Sample()
    now = utcnow()
    today = clock.today()
    with write_transaction():
        # The complaints' defect category is a code of the managed list.
        audit.create(
            DefectCategory,
            who,
            code="burr",
            label_zh="毛刺",
            label_en="Burr",
            label_de="Grat",
        )
        for code, name, lang in (
            ("C001", "上海汽车配件有限公司", "zh"),
            ("C002", "Kunde GmbH", "de"),
            ("C003", "Acme Ltd", "en"),
        ):
            s.customers.append(audit.create(Customer, who, code=code, name=name, language=lang).id)
        for pn, name in (("PN-100", "Bracket 支架"), ("PN-200", "Housing 壳体")):
            s.products.append(audit.create(Product, who, part_number=pn, name=name).id)
        c1, c2, c3 = s.customers
        p1, p2 = s.products
        s.overdue.append(
            _complaint(
                who,
                "CC-2026-0001",
                c1,
                p1,
                severity="urgent",
                received_at=now - timedelta(days=5),
                due_at=now - timedelta(days=3),
            )
        )
        s.overdue.append(
            _complaint(
                who,
                "CC-2026-0002",
                c2,
                p2,
                received_at=now - timedelta(days=10),
                due_at=now - timedelta(days=3),
                status="registered",
            )
        )
        s.due_soon.append(
            _complaint(
                who, "CC-2026-0003", c1, p2, severity="urgent", due_at=now + timedelta(hours=10)
            )
        )
        s.due_in_40h.append(
            _complaint(who, "CC-2026-0004", c3, p1, due_at=now + timedelta(hours=40))
        )
        s.on_time.append(_complaint(who, "CC-2026-0005", c3, None, due_at=now + timedelta(days=5)))
        s.closed.append(
            _complaint(
                who,
                "CC-2026-0006",
                c2,
                p1,
                status="closed",
                received_at=now - timedelta(days=30),
                due_at=now - timedelta(days=23),
                handled_at=now - timedelta(days=25),
                closed_at=now - timedelta(days=20),
            )
        )
        late = _complaint(
            who, "CC-2026-0007", c1, p1, status="countermeasures", due_at=now + timedelta(days=4)
        )
        s.on_time.append(late)
        audit.create(
            CorrectiveAction,
            who,
            complaint=late,
            action_type="process",
            description="改进冲压工艺",
            department="manufacturing",
            due_date=today - timedelta(days=3),
        )
        audit.create(
            CorrectiveAction,
            who,
            complaint=s.on_time[0],
            action_type="inspection",
            description="Add gauge",
            department="qa",
            due_date=today + timedelta(days=9),
        )
        s.complaints_with_late_actions.append(late)

        for i, (cust, urgent) in enumerate(((c1, True), (c2, False), (c3, False)), start=1):
            fb = audit.create(
                Feedback,
                who,
                number=f"FB-2026-{i:04d}",
                customer=cust,
                received_at=now - timedelta(days=i),
                channel="phone",
                description=f"Feedback {i}",
                urgent=urgent,
                type="quality",
                status="routed" if i < 3 else "closed",
            )
            s.feedback.append(fb.id)
        Circulation.create(
            record_kind="feedback",
            record_id=s.feedback[0],
            department="qa",
            sent_at=now,
            sent_by=who,
        )
        Circulation.create(
            record_kind="feedback",
            record_id=s.feedback[1],
            department="qa",
            sent_at=now,
            sent_by=who,
            acknowledged_at=now,
            acknowledged_by="qa",
        )
        s.awaiting_ack.append(s.feedback[0])

        s.visits.append(
            audit.create(
                Visit,
                who,
                number="VS-2026-0001",
                customer=c1,
                visit_date=today,
                purpose="Monthly visit",
            ).id
        )
        s.visits.append(
            audit.create(
                Visit,
                who,
                number="VS-2026-0002",
                customer=c2,
                visit_date=today - timedelta(days=70),
                purpose="Quarterly review",
                status="closed",
            ).id
        )
        quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
        s.surveys.append(
            audit.create(
                Survey,
                who,
                number="SV-2026-0001",
                customer=c1,
                quarter=quarter,
                status="sent",
                sent_on=today,
            ).id
        )
        s.surveys.append(
            audit.create(
                Survey,
                who,
                number="SV-2026-0002",
                customer=c2,
                quarter=quarter,
                status="returned",
                sent_on=today,
                returned_on=today,
                overall="4.25",
            ).id
        )
        s.service.append(
            audit.create(
                ServiceRecord,
                who,
                number="SR-2026-0001",
                customer=c3,
                kind="spare_parts",
                service_date=today,
                subject="Spare gaskets",
                part_number="PN-100",
                quantity=20,
            ).id
        )
    return s


def make_actor(department: Department, *, is_admin: bool = False, name: str = "") -> Actor:
    """A user of *department* in the database, as the logged-in actor."""
    username = name or f"{department.value}_{'admin' if is_admin else 'user'}"
    user = admin.add_user(
        Actor.system(),
        username=username,
        full_name=f"Li {department.value.title()}",
        department=department.value,
        password="secret-pass",
        is_admin=is_admin,
    )
    return auth.actor_for(user)
