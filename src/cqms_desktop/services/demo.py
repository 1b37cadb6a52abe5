"""Demonstration data: customers, products, users and two years of records in every state.

``cqms demo`` and the first-run dialog call :func:`generate_demo`. The same *seed* on the same
day gives the same data (dates are relative to today). ``scale`` multiplies the number of
customers and with them every kind of record: ``scale=1`` gives about 2,200 records of the five
kinds (visits, feedback, complaints, surveys, service records), ``scale=50`` about 110,000.

Demonstration accounts (all with the password :data:`demo_data.DEMO_PASSWORD`,
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
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

import peewee as pw

from ..domain import complaint_rules, deadlines
from ..domain.clock import to_utc
from ..domain.enums import (
    ActionStatus,
    ActionType,
    Channel,
    ComplaintStatus,
    Department,
    FeedbackStatus,
    FeedbackType,
    Responsibility,
    ServiceKind,
    Severity,
    SurveyStatus,
)
from ..domain.errors import CqmsError, ValidationError
from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import audit, counters
from ..store import settings as settings_store
from ..store.models import (
    AuditLog,
    BaseModel,
    Circulation,
    Complaint,
    CorrectiveAction,
    Counter,
    Customer,
    CustomerResponse,
    Feedback,
    Product,
    ServiceRecord,
    Survey,
    User,
    Visit,
)
from . import demo_data as D
from .auth import hash_password
from .backup import reset_sequences
from .base import unit_of_work
from .complaints import current_rules, current_zone

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

#: Customers per unit of ``scale``; about 88 records of the five kinds each.
CUSTOMERS_PER_SCALE = 25
FOREIGN_PER_SCALE = 3
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
_BATCH_PARAMETERS = 30000  # stay well below SQLite's and PostgreSQL's parameter limits
_RECORD_TABLES = (Visit, Feedback, Complaint, Survey, ServiceRecord)
_INSERT_ORDER: list[type[BaseModel]] = [
    User,
    Customer,
    Product,
    Visit,
    Survey,
    Feedback,
    Complaint,
    CustomerResponse,
    CorrectiveAction,
    ServiceRecord,
    Circulation,
]


class DemoCancelled(CqmsError):
    """The user cancelled loading the demonstration data; nothing was saved."""


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
    today = today or (datetime.now(zone).date() if zone else date.today())
    # Hash the passwords before taking the write lock: argon2 is deliberately slow.
    hashes = {name: hash_password(D.DEMO_PASSWORD) for name, *_ in D.DEMO_USERS}
    with unit_of_work(
        "user",
        "customer",
        "product",
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
        counts = _insert_all(builder.rows, progress, cancelled)
        _write_company_name()
        note = f"demonstration data: seed {seed}, scale {scale}"
        for table, count in counts.items():
            audit.write_audit(
                "system", table, 0, "create", {AUDIT_MARKER: (None, f"{note}, {count} rows")}
            )
        reset_sequences([m for m in _INSERT_ORDER if counts.get(m._meta.table_name)])
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


# ------------------------------------------------------------------ writing
def _field_default(fld: pw.Field) -> Any:
    default = fld.default
    return default() if callable(default) else default


def _resolve(value: Any) -> Any:
    """Rows refer to each other as dicts until ids are known; a dict stands for its id."""
    return value["id"] if isinstance(value, dict) else value


def _insert_all(
    rows: dict[type[BaseModel], list[dict[str, Any]]],
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> dict[str, int]:
    total = sum(len(r) for r in rows.values())
    done = 0
    counts: dict[str, int] = {}
    if progress:
        progress(0, total)
    for model in _INSERT_ORDER:
        model_rows = rows.get(model, [])
        if not model_rows:
            continue
        fields = [f for f in model._meta.sorted_fields]
        batch = max(1, _BATCH_PARAMETERS // len(fields))
        for start in range(0, len(model_rows), batch):
            if cancelled and cancelled():
                raise DemoCancelled(
                    QT_TRANSLATE_NOOP(
                        "Errors", "Loading the demonstration data was cancelled; nothing saved."
                    )
                )
            chunk = model_rows[start : start + batch]
            tuples = [
                tuple(_resolve(row[f.name]) if f.name in row else _field_default(f) for f in fields)
                for row in chunk
            ]
            model.insert_many(tuples, fields=fields).execute()
            done += len(chunk)
            if progress:
                progress(done, total)
        counts[model._meta.table_name] = len(model_rows)
    return counts


def _next_id(model: type[BaseModel]) -> int:
    return int(model.select(pw.fn.MAX(model.id)).scalar() or 0) + 1


def _number_records(kind: str, records: list[dict[str, Any]], year_of: Callable) -> None:
    """Give *records* (already in date order) their numbers: a block per year reserved
    through :func:`counters.next_number`, so the counters stay right for later records."""
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for rec in records:
        by_year[year_of(rec)].append(rec)
    for year in sorted(by_year):
        group = by_year[year]
        first = counters.next_number(kind, year)
        prefix, _, value = first.rpartition("-")
        start = int(value)
        if len(group) > 1:
            name = prefix  # "CC-2026", the counter's name
            Counter.update(value=Counter.value + (len(group) - 1)).where(
                Counter.name == name
            ).execute()
        for offset, rec in enumerate(group):
            rec["number"] = f"{prefix}-{start + offset:04d}"


# ------------------------------------------------------------------ building
class _Builder:
    """Builds every demonstration row in memory, deterministically from the random source."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        zone: tzinfo | None,
        scale: int,
        hashes: dict[str, str],
        cancelled: Cancelled | None,
    ) -> None:
        self.rng = rng
        self.today = today
        self.zone = zone
        self.scale = scale
        self.hashes = hashes
        self.cancelled = cancelled
        self.start_day = today - timedelta(days=730)
        self.ref = self.utc(today, time(0, 0))  # nothing happens from today on: reproducible
        self.rows: dict[type[BaseModel], list[dict[str, Any]]] = defaultdict(list)
        self.created_users: list[tuple[str, str, str]] = []
        self.skipped_users: list[str] = []
        settings = settings_store.get_all()
        self.rules = current_rules(settings)
        self.repeat_window_months = int(settings.get("repeat_window_months") or 12)
        self.survey_target = Decimal(str(settings_store.get("survey_target")))
        self.action_due_days = int(settings_store.get("action_due_days"))
        self.users: dict[str, dict[str, Any]] = {}
        self.by_department: dict[Department, list[dict[str, Any]]] = defaultdict(list)

    # -------------------------------------------------------------- time helpers
    def local(self, day: date, at: time) -> datetime:
        """An aware time in the company's zone."""
        if self.zone is not None:
            return datetime.combine(day, at, tzinfo=self.zone)
        return datetime.combine(day, at).astimezone()

    def utc(self, day: date, at: time) -> datetime:
        """A local day and time as the naive UTC value the database stores."""
        return to_utc(self.local(day, at))

    def work_time(self) -> time:
        """A time within office hours."""
        return time(self.rng.randint(8, 16), self.rng.randrange(0, 60, 5))

    def random_day(self, first: date, last: date) -> date:
        """A day in [first, last]."""
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, max(0, span)))

    def clip(self, moment: datetime) -> datetime:
        """Keep generated events before the reference moment (start of today)."""
        latest = self.ref - timedelta(minutes=30)
        return min(moment, latest)

    def age_days(self, moment: datetime) -> float:
        """Days between *moment* and the reference moment."""
        return (self.ref - moment).total_seconds() / 86400

    def stamp(self, row: dict[str, Any], at: datetime, by: str, last: datetime | None = None):
        """Fill the bookkeeping columns of a versioned row."""
        row.update(
            version=1,
            created_at=at,
            created_by=by,
            updated_at=last or at,
            updated_by=by,
        )

    def pick(self, items: list[Any]) -> Any:
        """One item, from the deterministic random source."""
        return items[self.rng.randrange(len(items))]

    def check_cancel(self) -> None:
        """Stop early when the user cancelled."""
        if self.cancelled and self.cancelled():
            raise DemoCancelled(
                QT_TRANSLATE_NOOP(
                    "Errors", "Loading the demonstration data was cancelled; nothing saved."
                )
            )

    # -------------------------------------------------------------- everything
    def build(self) -> None:
        """Users, customers, products, then each customer's two years of records."""
        self.build_users()
        customers = self.build_customers()
        products = self.build_products()
        per_customer: list[tuple[dict, dict[str, list]]] = []
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

    # -------------------------------------------------------------- people and master data
    def build_users(self) -> None:
        existing = {u.username: u for u in User.select()}
        next_id = _next_id(User)
        created = self.utc(self.start_day - timedelta(days=30), time(9, 0))
        for username, full_name, dept, is_admin in D.DEMO_USERS:
            if username in existing:
                # Keep the existing account (e.g. the first administrator) and refer to it.
                user = existing[username]
                row = {"id": user.id, "username": username, "full_name": user.full_name}
                self.skipped_users.append(username)
                dept = Department(user.department)
            else:
                row = {
                    "id": next_id,
                    "username": username,
                    "full_name": full_name,
                    "department": dept.value,
                    "is_admin": is_admin,
                    "active": True,
                    "email": f"{username}@example.cn",
                    "password_hash": self.hashes[username],
                    "failed_logins": 0,
                }
                next_id += 1
                self.stamp(row, created, "system")
                self.rows[User].append(row)
                self.created_users.append((username, full_name, dept.value))
            self.users[username] = row
            self.by_department[dept].append(row)
        for dept in (Department.SALES, Department.QA, Department.GENERAL_MANAGER):
            if not self.by_department[dept]:  # an existing account took the name elsewhere
                self.by_department[dept].append(next(iter(self.users.values())))

    def build_customers(self) -> list[dict[str, Any]]:
        taken = {c.code for c in Customer.select(Customer.code)}
        next_id = _next_id(Customer)
        combos = list(itertools.product(D.CITIES, D.TRADE_NAMES, D.BUSINESSES))
        self.rng.shuffle(combos)
        total = CUSTOMERS_PER_SCALE * self.scale
        # Every eighth customer or so is English or German speaking.
        foreign_slots = {1 + 8 * k: k for k in range(FOREIGN_PER_SCALE * self.scale)}
        created = self.utc(self.start_day - timedelta(days=20), time(10, 0))
        sales = self.by_department[Department.SALES]
        customers = []
        code_no = 0
        for index in range(total):
            code_no += 1
            while f"C{code_no:04d}" in taken:
                code_no += 1
            code = f"C{code_no:04d}"
            if index in foreign_slots:
                slot = foreign_slots[index]
                name, language, address = D.FOREIGN_CUSTOMERS[slot % len(D.FOREIGN_CUSTOMERS)]
                plant = slot // len(D.FOREIGN_CUSTOMERS)
                if plant:
                    name = f"{name} ({'Werk' if language == 'de' else 'Plant'} {plant + 1})"
                contact = self.pick(D.FOREIGN_CONTACTS[language])
                phone = f"+49 711 {self.rng.randint(100000, 999999)}"
                if language == "en":
                    phone = f"+44 114 {self.rng.randint(100000, 999999)}"
            else:
                city, trade, business = combos[index % len(combos)]
                name = f"{city}{trade}{business}{self.pick(D.LEGAL_FORMS)}"
                language = "zh"
                address = f"{city}市{self.pick(D.STREETS)}{self.rng.randint(1, 999)}号"
                contact = self.pick(D.CONTACT_NAMES)
                phone = f"0{self.rng.randint(510, 599)}-{self.rng.randint(80000000, 89999999)}"
            rep = sales[index % len(sales)]
            row = {
                "id": next_id,
                "code": code,
                "name": name,
                "address": address,
                "contacts": f"{contact} {phone}",
                "phone": phone,
                "email": f"purchase@{code.lower()}.example.com",
                "language": language,
                "sales_rep": rep["id"],
                # A few former customers: inactive, but their history stays.
                "active": index % 40 != 39,
                "notes": "",
                "_rep": rep,
                "_satisfaction": self.rng.uniform(3.3, 4.9),
            }
            next_id += 1
            self.stamp(row, created, rep["username"])
            customers.append(row)
            self.rows[Customer].append(row)
        return customers

    def build_products(self) -> list[dict[str, Any]]:
        taken = {p.part_number for p in Product.select(Product.part_number)}
        next_id = _next_id(Product)
        created = self.utc(self.start_day - timedelta(days=20), time(11, 0))
        products = []
        for stem, name in D.PRODUCTS:
            for variant in D.PRODUCT_VARIANTS:
                part = f"{stem}-{variant}"
                if part in taken:
                    continue
                row = {
                    "id": next_id,
                    "part_number": part,
                    "name": f"{name} {variant}型",
                    "description": f"{name}，{variant}型，图号 {part}",
                    "active": True,
                }
                next_id += 1
                self.stamp(row, created, "yang.lei")
                products.append(row)
                self.rows[Product].append(row)
        if not products:  # every part number exists already: use the existing products
            products = [
                {"id": p.id, "part_number": p.part_number, "name": p.name} for p in Product.select()
            ]
        return products

    # -------------------------------------------------------------- visits (5.1.1)
    def build_visits(self, customer: dict[str, Any], fresh: bool) -> list[dict[str, Any]]:
        """About one visit a month (some months missed); *fresh*: the latest one still waits
        for the departments' acknowledgement."""
        rep = customer["_rep"]
        visits = []
        month = date(self.start_day.year, self.start_day.month, 1)
        while month <= self.today:
            next_month = (month + timedelta(days=32)).replace(day=1)
            first = max(month, self.start_day)
            last = min(next_month - timedelta(days=1), self.today - timedelta(days=1))
            latest = fresh and next_month > self.today - timedelta(days=1)
            missed = self.rng.random() < 0.12  # some months have no visit: the dashboard says so
            if first <= last and (latest or not missed):
                day = self.random_day(first, last)
                at = self.utc(day, self.work_time())
                requests = D.VISIT_REQUESTS[0] if latest else self.pick(D.VISIT_REQUESTS)
                people = rep["full_name"]
                if self.rng.random() < 0.2:
                    people += "、" + self.pick(self.by_department[Department.SALES])["full_name"]
                row = {
                    "visit_date": day,
                    "customer": customer,
                    "sales_people": people,
                    "visitor": rep["id"],
                    "customer_people": customer["contacts"].split(" ")[0],
                    "purpose": self.pick(D.VISIT_PURPOSES),
                    "discussion": self.pick(D.VISIT_DISCUSSIONS),
                    "requests": requests,
                    "follow_up": self.pick(D.VISIT_FOLLOW_UPS),
                    "_at": at,
                }
                open_acks = self.circulate(
                    row,
                    "visit",
                    at + timedelta(hours=20),
                    requests != "",
                    self.visit_departments(),
                    rep,
                    never_ack=latest,
                )
                row["status"] = "open" if open_acks else "closed"
                self.stamp(row, at, rep["username"], row.get("_last"))
                visits.append(row)
            month = next_month
        return visits

    def visit_departments(self) -> list[Department]:
        """5.1.1: requests go to QA, the Technical Section, Manufacturing and Administration."""
        all_four = [
            Department.QA,
            Department.TECHNICAL,
            Department.MANUFACTURING,
            Department.ADMINISTRATION,
        ]
        return all_four[: self.rng.randint(2, 4)]

    def circulate(
        self,
        record: dict[str, Any],
        kind: str,
        sent_at: datetime,
        needed: bool,
        departments: list[Department],
        sender: dict[str, Any],
        force_ack: bool = False,
        never_ack: bool = False,
    ) -> int:
        """Circulation rows for *record*; returns how many are still unacknowledged."""
        if not needed:
            return 0
        sent_at = self.clip(sent_at)
        unacknowledged = 0
        for dept in departments:
            row = {
                "record_kind": kind,
                "record_id": record,
                "department": dept.value,
                "sent_at": sent_at,
                "sent_by": sender["username"],
            }
            ack_at = max(sent_at, self.clip(sent_at + timedelta(hours=self.rng.randint(1, 72))))
            recent = self.age_days(sent_at) < 12
            waiting = recent and self.rng.random() < 0.5
            if not never_ack and (force_ack or (ack_at < self.ref and not waiting)):
                acker = (self.by_department.get(dept) or [sender])[0]
                row.update(
                    acknowledged_at=ack_at,
                    acknowledged_by=acker["username"],
                    response=self.pick(D.FEEDBACK_RESULTS),
                )
                record["_last"] = max(record.get("_last") or ack_at, ack_at)
            else:
                unacknowledged += 1
            self.rows[Circulation].append(row)
        return unacknowledged

    # -------------------------------------------------------------- surveys (5.1.3)
    def build_surveys(self, customer: dict[str, Any]) -> list[dict[str, Any]]:
        """One survey a quarter for the last eight quarters (returned, some not returned);
        the next one planned."""
        rep = customer["_rep"]
        surveys = []
        quarter_start = date(self.today.year, 3 * ((self.today.month - 1) // 3) + 1, 1)
        quarters = []
        for _ in range(8):
            quarters.append(quarter_start)
            quarter_start = (quarter_start - timedelta(days=1)).replace(day=1)
            quarter_start = date(quarter_start.year, 3 * ((quarter_start.month - 1) // 3) + 1, 1)
        for start in reversed(quarters):
            label = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
            sent_day = date(start.year, start.month + 2, 5) + timedelta(days=self.rng.randint(0, 6))
            row: dict[str, Any] = {"customer": customer, "quarter": label, "_year": start.year}
            created = self.utc(start, time(9, 0))
            if sent_day >= self.today:
                row["status"] = SurveyStatus.PLANNED.value
                self.stamp(row, min(created, self.clip(created)), rep["username"])
                surveys.append(row)
                continue
            row["sent_on"] = sent_day
            returned = sent_day + timedelta(days=self.rng.randint(5, 25))
            if returned >= self.today or self.rng.random() < 0.15:
                row["status"] = SurveyStatus.SENT.value  # not returned (yet)
                self.stamp(row, self.utc(sent_day, time(9, 0)), rep["username"])
                surveys.append(row)
                continue
            base = customer["_satisfaction"]
            scores = {
                item: max(1, min(5, round(base + self.rng.gauss(0, 0.7))))
                for item in ("quality", "service", "price", "delivery")
            }
            overall = (Decimal(sum(scores.values())) / 4).quantize(Decimal("0.01"))
            row.update(
                status=SurveyStatus.RETURNED.value,
                returned_on=returned,
                respondent=customer["contacts"].split(" ")[0],
                score_quality=scores["quality"],
                score_service=scores["service"],
                score_price=scores["price"],
                score_delivery=scores["delivery"],
                overall=overall,
                comments=self.pick(D.SURVEY_COMMENTS),
                _scores=scores,
            )
            self.stamp(
                row,
                self.utc(sent_day, time(9, 0)),
                rep["username"],
                self.utc(returned, time(14, 0)),
            )
            surveys.append(row)
        if not any(r["status"] == SurveyStatus.PLANNED.value for r in surveys):
            start = quarters[0]
            start = date(start.year + start.month // 10, (start.month + 2) % 12 + 1, 1)
            row = {
                "customer": customer,
                "quarter": f"{start.year}-Q{(start.month - 1) // 3 + 1}",
                "_year": start.year,
                "status": SurveyStatus.PLANNED.value,
            }
            self.stamp(row, self.clip(self.ref), rep["username"])
            surveys.append(row)
        return surveys

    # -------------------------------------------------------------- feedback (5.1.2)
    def feedback_row(
        self,
        customer: dict[str, Any],
        at: datetime,
        channel: str,
        kind: str,
        description: str,
        urgent: bool = False,
    ) -> dict[str, Any]:
        """A feedback row registered by the customer's Sales person."""
        rep = customer["_rep"]
        row = {
            "customer": customer,
            "received_at": at,
            "channel": channel,
            "caller": self.pick(D.CALLERS),
            "description": description,
            "urgent": urgent,
            "type": kind,
            "registered_by": rep["id"],
            "_at": at,
        }
        self.stamp(row, at, rep["username"])
        return row

    def settle_feedback(self, row: dict[str, Any], departments: list[Department]) -> None:
        """Status, circulation and closure of a (non-complaint) feedback by its age."""
        at = row["received_at"]
        rep = row["customer"]["_rep"]
        age = self.age_days(at)
        if age < 3 and self.rng.random() < 0.6:
            row["status"] = FeedbackStatus.OPEN.value
            return
        closing = (age > 20 and self.rng.random() < 0.95) or (age > 3 and self.rng.random() < 0.4)
        unack = self.circulate(
            row,
            "feedback",
            at + timedelta(hours=self.rng.randint(1, 4)),
            True,
            departments,
            rep,
            force_ack=closing,
        )
        if closing and not unack:
            closed = self.clip(at + timedelta(days=self.rng.randint(2, 10)))
            row.update(
                status=FeedbackStatus.CLOSED.value,
                closed_at=max(closed, row.get("_last") or closed),
                result=self.pick(D.FEEDBACK_RESULTS),
            )
            row["_last"] = row["closed_at"]
        else:
            row["status"] = FeedbackStatus.ROUTED.value
        row["updated_at"] = row.get("_last") or at

    def build_feedback(
        self,
        customer: dict[str, Any],
        products: list[dict[str, Any]],
        visits: list[dict[str, Any]],
        fresh: bool,
    ) -> list[dict[str, Any]]:
        """Twenty calls, letters and visits over two years; *fresh*: one not yet circulated
        and one whose circulation is not yet acknowledged."""
        feedback = []
        channels = [
            Channel.PHONE,
            Channel.PHONE,
            Channel.EMAIL,
            Channel.LETTER,
            Channel.FAX,
            Channel.VISIT,
        ]
        kinds = [
            FeedbackType.QUALITY,
            FeedbackType.DELIVERY,
            FeedbackType.DELIVERY,
            FeedbackType.SERVICE,
            FeedbackType.PRICE,
            FeedbackType.TECHNICAL,
            FeedbackType.TECHNICAL,
            FeedbackType.OTHER,
        ]
        route = {
            FeedbackType.QUALITY: [Department.QA, Department.MANUFACTURING],
            FeedbackType.DELIVERY: [Department.MANUFACTURING],
            FeedbackType.SERVICE: [Department.ADMINISTRATION],
            FeedbackType.PRICE: [Department.GENERAL_MANAGER],
            FeedbackType.TECHNICAL: [Department.TECHNICAL],
            FeedbackType.OTHER: [Department.ADMINISTRATION, Department.QA],
        }
        for _ in range(20):
            day = self.random_day(self.start_day, self.today - timedelta(days=1))
            at = self.utc(day, self.work_time())
            channel = self.pick(channels)
            kind = self.pick(kinds)
            product = self.pick(products)
            text = self.pick(D.FEEDBACK_TEXTS[kind.value]).format(product=product["name"])
            row = self.feedback_row(
                customer, at, channel.value, kind.value, text, urgent=self.rng.random() < 0.1
            )
            if channel == Channel.VISIT:
                earlier = [v for v in visits if v["_at"] <= at]
                if earlier:
                    row["visit"] = earlier[-1]
            self.settle_feedback(row, route[kind])
            feedback.append(row)
        if fresh:
            for days, kind in ((1, FeedbackType.DELIVERY), (2, FeedbackType.TECHNICAL)):
                at = self.utc(self.today - timedelta(days=days), time(10, 30))
                text = self.pick(D.FEEDBACK_TEXTS[kind.value]).format(product=products[0]["name"])
                row = self.feedback_row(customer, at, Channel.PHONE.value, kind.value, text)
                row["status"] = FeedbackStatus.OPEN.value
                if days == 2:
                    row["status"] = FeedbackStatus.ROUTED.value
                    self.circulate(row, "feedback", at + timedelta(hours=1), True, route[kind],
                                   customer["_rep"], never_ack=True)  # fmt: skip
                feedback.append(row)
        return feedback

    # -------------------------------------------------------------- complaints (5.2)
    def complaint_state(self, age: float) -> ComplaintStatus:
        """How far a complaint of *age* days has come: old ones are mostly closed."""
        S = ComplaintStatus
        if age <= 3:
            table = [(S.REGISTERED, 40), (S.INVESTIGATING, 35), (S.COUNTERMEASURES, 25)]
        elif age <= 30:
            table = [
                (S.REGISTERED, 5),
                (S.INVESTIGATING, 15),
                (S.COUNTERMEASURES, 25),
                (S.CUSTOMER_NOTICE, 20),
                (S.AWAITING_APPROVAL, 15),
                (S.CLOSED, 20),
            ]
        elif age <= 90:
            table = [
                (S.INVESTIGATING, 5),
                (S.COUNTERMEASURES, 10),
                (S.CUSTOMER_NOTICE, 5),
                (S.AWAITING_APPROVAL, 5),
                (S.CLOSED, 75),
            ]
        else:
            table = [(S.INVESTIGATING, 2), (S.COUNTERMEASURES, 3), (S.CLOSED, 95)]
        states, weights = zip(*table, strict=True)
        return self.rng.choices(states, weights)[0]

    def build_complaints(
        self,
        customer: dict[str, Any],
        products: list[dict[str, Any]],
        forced: tuple[int, ComplaintStatus] | None = None,
    ) -> list[dict[str, Any]]:
        """Ten complaints over two years, plus *forced* (days ago, state) if given."""
        complaints = []
        used: list[tuple[dict[str, Any], tuple[str, str]]] = []
        channels = [Channel.PHONE, Channel.PHONE, Channel.EMAIL, Channel.FAX, Channel.LETTER]
        for n in range(10 if forced is None else 11):
            day = self.random_day(self.start_day, self.today - timedelta(days=1))
            if n == 10 and forced is not None:
                day = self.today - timedelta(days=forced[0])
            received = self.utc(day, self.work_time())
            # A customer tends to complain about the same defect of the same part again:
            # repeat complaints (5.2, linked in finish()).
            if used and self.rng.random() < 0.3:
                product, (category, template) = self.pick(used)
            else:
                product, (category, template) = self.pick(products), self.pick(D.DEFECTS)
            used.append((product, (category, template)))
            severity = Severity.URGENT if self.rng.random() < 0.25 else Severity.NORMAL
            delivered = self.rng.randint(5, 100) * 100
            affected = self.rng.randint(5, min(500, delivered))
            lot_day = day - timedelta(days=self.rng.randint(5, 40))
            lot = f"L{lot_day:%y%m%d}-{self.rng.randint(1, 9):02d}"
            text = template.format(lot=lot, product=product["name"], qty=affected)
            channel = self.pick(channels)
            fb = self.feedback_row(
                customer,
                received,
                channel.value,
                FeedbackType.QUALITY.value,
                text,
                urgent=severity == Severity.URGENT,
            )
            fb["status"] = FeedbackStatus.COMPLAINT.value
            due = deadlines.complaint_due_utc(received, severity, self.rules, self.zone)
            row = {
                "feedback": fb,
                "customer": customer,
                "product": product["id"],
                "lot": lot,
                "qty_affected": affected,
                "qty_delivered": delivered,
                "received_at": received,
                "received_via": channel.value,
                "description": text,
                "customer_request": self.pick(D.CUSTOMER_REQUESTS),
                "defect_category": category,
                "severity": severity.value,
                "due_at": due,
                "_product": product,
                "_fb": fb,
            }
            self.stamp(row, received, customer["_rep"]["username"])
            state = self.complaint_state(self.age_days(received))
            self.advance_complaint(row, forced[1] if n == 10 and forced else state)
            complaints.append(row)
        return complaints

    def advance_complaint(self, row: dict[str, Any], state: ComplaintStatus) -> None:
        """Fill in everything that happened to a complaint on its way to *state*."""
        S = ComplaintStatus
        rng = self.rng
        received = row["received_at"]
        qa = self.pick(self.by_department[Department.QA])
        gm = self.by_department[Department.GENERAL_MANAGER][0]
        rep = row["customer"]["_rep"]
        # The customer did not accept at first: the refusal loop (5.2.5).
        refused = state not in (S.REGISTERED, S.COUNTERMEASURES) and rng.random() < 0.12
        if state == S.INVESTIGATING and self.age_days(received) > 15 and rng.random() < 0.4:
            refused = True  # back in investigation after a refusal, still open
        order = [
            S.REGISTERED,
            S.INVESTIGATING,
            S.COUNTERMEASURES,
            S.CUSTOMER_NOTICE,
            S.AWAITING_APPROVAL,
            S.CLOSED,
        ]
        # Offsets (hours after receipt) of each step, before fitting them before today.
        limit_h = 24 * self.rules.limit(Severity(row["severity"]))
        late = rng.random() < 0.15
        handle_h = limit_h + rng.randint(10, 120) if late else rng.uniform(0.15, 0.9) * limit_h
        t: dict[str, float] = {"investigate": rng.uniform(1, 6)}
        t["handled"] = max(handle_h, t["investigate"] + 2)
        n_actions = rng.randint(1, 3)
        t["executed"] = t["handled"] + rng.uniform(48, 400)
        t["verified"] = t["executed"] + rng.uniform(48, 240)
        t["notice"] = t["verified"] + rng.uniform(12, 48)
        t["copy"] = t["notice"] + rng.uniform(2, 30)
        if refused:
            t["refused"] = t["copy"] + rng.uniform(24, 120)
            t["notice2"] = t["refused"] + rng.uniform(72, 200)
            t["copy2"] = t["notice2"] + rng.uniform(2, 24)
            t["accepted"] = t["copy2"] + rng.uniform(24, 120)
        else:
            t["accepted"] = t["copy"] + rng.uniform(24, 120)
        t["approved"] = t["accepted"] + rng.uniform(12, 96)
        last_needed = {
            S.REGISTERED: 0.0,
            S.INVESTIGATING: t["refused"] if refused else t["investigate"],
            S.COUNTERMEASURES: t["handled"] + (t["executed"] - t["handled"]) / 2,
            S.CUSTOMER_NOTICE: t["copy2"] if refused else t["copy"],
            S.AWAITING_APPROVAL: t["accepted"],
            S.CLOSED: t["approved"],
        }[state]
        room = (self.ref - received).total_seconds() / 3600 - 1
        factor = min(1.0, max(0.01, room) / last_needed) if last_needed > 0 else 1.0
        at = {k: received + timedelta(seconds=round(v * factor * 3600)) for k, v in t.items()}
        reached = order.index(state)
        row["status"] = state.value
        last = received
        if reached >= 1:
            row.update(qa_owner=qa["id"], team=f"{qa['full_name']}、杨磊、赵强")
            row["investigation"] = self.pick(D.INVESTIGATIONS)
            last = at["investigate"]
        elif self.rng.random() < 0.5:
            row["qa_owner"] = qa["id"]
        handled = reached >= 2 or (state == S.INVESTIGATING and refused)
        if handled:
            resp = rng.choices(list(Responsibility), [55, 10, 15, 10, 10])[0]
            fg_checked = rng.randint(2, 30) * 100
            wip_checked = rng.randint(1, 20) * 100
            fg_nc = rng.randint(0, 40)
            row.update(
                cause=self.pick(D.CAUSES),
                evidence="检验记录、照片见附件。",
                responsibility=resp.value,
                explanation="调查结论已与顾客沟通。",
                preliminary_plan=self.pick(D.PRELIMINARY_PLANS),
                plan_fed_back_at=at["handled"],
                handled_at=at["handled"],
                fg_checked=fg_checked,
                fg_held=rng.randint(0, fg_checked // 4),
                fg_nonconforming=fg_nc,
                wip_checked=wip_checked,
                wip_held=rng.randint(0, wip_checked // 4),
                wip_nonconforming=rng.randint(0, 20),
                nc_report_number=f"NC-{received.year}-{rng.randint(1, 999):04d}" if fg_nc else "",
            )
            if rng.random() < 0.3:  # 5.2.3 d 2: someone went to the customer
                on = (received + timedelta(hours=20)).date()
                row.update(
                    onsite_by=qa["full_name"],
                    onsite_on=on,
                    onsite_findings="现场确认不良现象属实。",
                    dispatch_by=qa["full_name"],
                    dispatch_on=on,
                    dispatch_action="现场挑选并隔离可疑品。",
                )
            last = at["handled"]
            self.build_actions(row, n_actions, at, state, refused)
        notice_key = "notice2" if refused and reached >= 3 else "notice"
        copy_key = "copy2" if refused and reached >= 3 else "copy"
        if reached >= 3 or (state == S.INVESTIGATING and refused):
            row.update(
                oral_notice_at=at[notice_key],
                oral_notice_by=rep["full_name"],
                oral_notice_to=row["customer"]["contacts"].split(" ")[0],
            )
            last = at[notice_key]
            if reached >= 4 or refused or rng.random() < 0.6:
                row.update(
                    copy_sent_at=at[copy_key],
                    copy_sent_via="e-mail",
                    copy_sent_to=row["oral_notice_to"],
                )
                last = at[copy_key]
        if refused and (reached >= 3 or state == S.INVESTIGATING):
            self.rows[CustomerResponse].append(
                {
                    "complaint": row,
                    "accepted": False,
                    "reason": self.pick(D.REFUSAL_REASONS),
                    "recorded_at": at["refused"],
                    "recorded_by": rep["username"],
                }
            )
            last = max(last, at["refused"])
        if reached >= 4:
            row["customer_accepted_at"] = at["accepted"]
            self.rows[CustomerResponse].append(
                {
                    "complaint": row,
                    "accepted": True,
                    "reason": "",
                    "recorded_at": at["accepted"],
                    "recorded_by": rep["username"],
                }
            )
            last = at["accepted"]
        if reached >= 5:
            row.update(
                approved_by=gm["username"], approved_at=at["approved"], closed_at=at["approved"]
            )
            last = at["approved"]
            if row.get("responsibility") == Responsibility.COMPANY.value:
                row.update(
                    cost_compensation=Decimal(rng.randint(0, 500000)) / 100,
                    cost_freight=Decimal(rng.randint(0, 80000)) / 100,
                    cost_scrap=Decimal(rng.randint(0, 200000)) / 100,
                    cost_rework=Decimal(rng.randint(0, 100000)) / 100,
                )
        row["updated_at"] = last
        row["updated_by"] = (gm if reached >= 5 else qa)["username"]
        row["version"] = 1 + reached + (2 if refused else 0)

    def build_actions(
        self,
        complaint: dict[str, Any],
        count: int,
        at: dict[str, datetime],
        state: ComplaintStatus,
        refused: bool,
    ) -> None:
        """5.2.3 e / 5.2.4: long-term countermeasures, done and verified unless still open."""
        rng = self.rng
        types = rng.sample(list(ActionType), count)
        all_verified = state != ComplaintStatus.COUNTERMEASURES or refused
        qa_people = self.by_department[Department.QA]
        for index, kind in enumerate(types):
            dept = D.ACTION_DEPARTMENTS[kind.value]
            owner = (self.by_department.get(dept) or qa_people)[0]
            # 5.2.4: QA verifies, but never the action's own owner.
            qa = next((u for u in qa_people if u["id"] != owner["id"]), qa_people[-1])
            created = at["handled"]
            row = {
                "complaint": complaint,
                "action_type": kind.value,
                "description": self.pick(D.ACTION_TEXTS[kind.value]),
                "department": dept.value,
                "owner": owner["id"],
                "due_date": (created + timedelta(days=self.action_due_days)).date(),
            }
            # While countermeasures run, show every step: open, carried out, verified.
            status = (
                ActionStatus.VERIFIED
                if all_verified
                else [ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.VERIFIED][
                    (index + rng.randint(0, 2)) % 3
                ]
            )
            last = created
            if status in (ActionStatus.DONE, ActionStatus.VERIFIED):
                row.update(
                    execution_note=self.pick(D.EXECUTION_NOTES),
                    executed_at=min(at["executed"], self.clip(at["executed"])),
                    executed_by=owner["username"],
                )
                last = row["executed_at"]
            if status == ActionStatus.VERIFIED:
                verified = max(last, min(at["verified"], self.clip(at["verified"])))
                row.update(
                    verification_result=self.pick(D.VERIFICATIONS),
                    verified_by=qa["username"],
                    verified_at=verified,
                )
                last = verified
            row["status"] = status.value
            self.stamp(row, created, qa["username"], last)
            self.rows[CorrectiveAction].append(row)

    # -------------------------------------------------------------- service (5.1.4 / 5.1.5)
    def build_services(
        self, customer: dict[str, Any], products: list[dict[str, Any]], fresh: bool
    ) -> list[dict[str, Any]]:
        """Twenty service records of every kind; *fresh*: the last one (yesterday) open."""
        services = []
        kinds = list(ServiceKind)
        tech = self.by_department[Department.TECHNICAL] or self.by_department[Department.SALES]
        for n in range(21 if fresh else 20):
            day = self.random_day(self.start_day, self.today - timedelta(days=1))
            if n == 20:
                day = self.today - timedelta(days=1)
            at = self.utc(day, self.work_time())
            kind = self.pick(kinds)
            product = self.pick(products)
            row: dict[str, Any] = {
                "customer": customer,
                "kind": kind.value,
                "service_date": day,
                "product": product["id"],
                "subject": self.pick(D.SERVICE_SUBJECTS[kind.value]).format(
                    product=product["name"]
                ),
                "details": self.pick(D.SERVICE_DETAILS),
                "_at": at,
            }
            if kind == ServiceKind.INSTRUCTIONS:
                language = customer["language"]
                row.update(
                    language=language,
                    doc_version=f"V{self.rng.randint(1, 4)}.0",
                    agreed_on=day - timedelta(days=self.rng.randint(3, 30)),
                )
            elif kind in (ServiceKind.SPARE_PARTS, ServiceKind.EXCHANGE):
                row.update(
                    part_number=product["part_number"],
                    quantity=self.rng.randint(1, 50) * 10,
                    delivery_note=f"DN{day:%y%m%d}{self.rng.randint(1, 99):02d}",
                )
                if kind == ServiceKind.EXCHANGE:
                    row["reason"] = self.pick(D.EXCHANGE_REASONS)
            elif kind == ServiceKind.ONSITE:
                row["performed_by"] = self.pick(tech)["full_name"]
            done = (self.age_days(at) > 14 and self.rng.random() < 0.97) or self.rng.random() < 0.3
            done = done and n < 20
            row["status"] = "done" if done else "open"
            if done:
                row["result"] = self.pick(D.SERVICE_RESULTS)
            self.stamp(row, at, customer["_rep"]["username"])
            services.append(row)
        return services

    # -------------------------------------------------------------- ids, numbers, links
    def finish(self, per_customer: list[tuple[dict, dict[str, list]]]) -> None:
        """Survey follow-up feedback, then ids and numbers in date order, repeat links."""
        visits = [v for _, r in per_customer for v in r["visits"]]
        surveys = [s for _, r in per_customer for s in r["surveys"]]
        feedback = [f for _, r in per_customer for f in r["feedback"]]
        complaints = [c for _, r in per_customer for c in r["complaints"]]
        services = [s for _, r in per_customer for s in r["services"]]
        feedback += [c["_fb"] for c in complaints]
        feedback += self.survey_feedback(surveys)

        visits.sort(key=lambda r: (r["_at"], r["customer"]["code"]))
        _number_records("visit", visits, lambda r: r["visit_date"].year)
        surveys.sort(key=lambda r: (r["quarter"], r["customer"]["code"]))
        _number_records("survey", surveys, lambda r: r["_year"])
        feedback.sort(key=lambda r: (r["received_at"], r["customer"]["code"], r["description"]))
        _number_records("feedback", feedback, lambda r: r["received_at"].year)
        complaints.sort(key=lambda r: (r["received_at"], r["customer"]["code"], r["lot"]))
        _number_records("complaint", complaints, lambda r: r["received_at"].year)
        services.sort(key=lambda r: (r["_at"], r["customer"]["code"], r["kind"]))
        _number_records("service", services, lambda r: r["service_date"].year)

        for model, records in (
            (Visit, visits),
            (Survey, surveys),
            (Feedback, feedback),
            (Complaint, complaints),
            (ServiceRecord, services),
        ):
            next_id = _next_id(model)
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
        for model in (CustomerResponse, Circulation):
            next_id = _next_id(model)
            for offset, rec in enumerate(self.rows[model]):
                rec["id"] = next_id + offset
        next_id = _next_id(CorrectiveAction)
        for offset, rec in enumerate(self.rows[CorrectiveAction]):
            rec["id"] = next_id + offset

    def survey_feedback(self, surveys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """5.1.3: a survey below the satisfaction target becomes a feedback (5.1.2)."""
        kinds = {
            "quality": FeedbackType.QUALITY,
            "service": FeedbackType.SERVICE,
            "price": FeedbackType.PRICE,
            "delivery": FeedbackType.DELIVERY,
        }
        route = [Department.QA, Department.MANUFACTURING, Department.ADMINISTRATION]
        out = []
        for survey in surveys:
            overall = survey.get("overall")
            if overall is None or overall >= self.survey_target:
                continue
            scores = survey["_scores"]
            worst = min(scores, key=lambda k: (scores[k], k))
            at = self.clip(self.utc(survey["returned_on"] + timedelta(days=2), time(10, 0)))
            text = D.SURVEY_FOLLOW_UP.format(score=overall, comment=survey["comments"] or "待调查")
            row = self.feedback_row(
                survey["customer"], at, Channel.SURVEY.value, kinds[worst].value, text
            )
            row["survey"] = survey
            self.settle_feedback(row, route)
            out.append(row)
        return out
