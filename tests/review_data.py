"""A varied data set for the management-review tests, and the KPIs computed from it in plain
Python — independently of the SQL in ``services.kpis`` — to reconcile against.

The records are inserted directly with peewee (no services), so the tests do not depend on
the workflow code. The independent computation works on the Python values that were inserted
and converts period bounds with ``zoneinfo`` rather than with the program's helpers.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cqms_desktop.store import db as dbmod
from cqms_desktop.store.models import (
    Complaint,
    CorrectiveAction,
    Customer,
    Feedback,
    Product,
    Survey,
    Visit,
)

#: The test's local time zone: DST changes inside the periods exercise the UTC conversion.
ZONE_NAME = "Europe/Berlin"
ZONE = ZoneInfo(ZONE_NAME)

#: Text that a spreadsheet program could take for a formula: must stay text in every export.
INJECTIONS = ["=1+1", "+cmd", "-2", "@SUM(A1)", '=HYPERLINK("http://x","y")', "\tTAB"]
STATUSES = ["registered", "investigating", "countermeasures", "customer_notice",
            "awaiting_approval", "closed"]  # fmt: skip
FEEDBACK_TYPES = ["quality", "delivery", "service", "price", "technical", "other"]
ITEMS = ("quality", "service", "price", "delivery")


@pytest.fixture(name="berlin_time")
def berlin_time_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the test with the PC's time zone set to :data:`ZONE_NAME`."""
    monkeypatch.setenv("TZ", ZONE_NAME)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    """A local wall-clock time in the test zone as the naive UTC the database stores."""
    return datetime(y, m, d, hh, mm, tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)


@dataclass
class Dataset:
    """What was inserted (as plain dicts, ids included)."""

    customers: list[dict[str, Any]] = field(default_factory=list)
    complaints: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    visits: list[dict[str, Any]] = field(default_factory=list)
    surveys: list[dict[str, Any]] = field(default_factory=list)
    products: dict[int, tuple[str, str]] = field(default_factory=dict)  # id → (code, name)

    def customer(self, code: str) -> dict[str, Any]:
        """The inserted customer with *code*."""
        return next(c for c in self.customers if c["code"] == code)


def _rand_time(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randrange(seconds))


def build_dataset(seed: int = 7) -> Dataset:
    """Insert a varied data set (about 300 records) and return what was inserted."""
    rng = random.Random(seed)
    data = Dataset()
    t0 = local(2025, 1, 1)
    customers = [
        ("C01", "上海汽车配件有限公司", True, t0),
        ("C02", "=1+1", True, t0),
        ("C03", "+cmd Kunde GmbH", True, t0),
        ("C04", "-2", True, t0),
        ("C05", "@SUM(A1)", True, t0),
        ("C06", "Inactive Ltd", False, t0),
        ("C07", "Late Newcomer AG", True, local(2026, 12, 5, 10)),
    ]
    with dbmod.write_transaction():
        for code, name, active, created in customers:
            row = {"code": code, "name": name, "active": active, "created_at": created,
                   "updated_at": created}  # fmt: skip
            row["id"] = Customer.insert(**row).execute()
            data.customers.append(row)
        ids = [c["id"] for c in data.customers if c["code"] != "C07"]
        window = (local(2025, 10, 1), local(2027, 1, 20))
        categories = ["scratch", "dimension", "", "=SUM(1)", "packaging", "毛刺"]
        responsibilities = ["company", "supplier", "customer", "", "transport", "undetermined"]
        for n in range(90):
            received = _rand_time(rng, *window)
            severity = rng.choice(["urgent", "normal", "normal"])
            due = received + timedelta(days=2 if severity == "urgent" else 7, hours=5)
            kind = rng.random()
            handled = None
            if kind < 0.45:
                handled = received + (due - received) * rng.random()
            elif kind < 0.75:
                handled = due + timedelta(hours=rng.randrange(1, 200))
            status = rng.choice(STATUSES)
            closed = None
            if status == "closed" or (status == "investigating" and rng.random() < 0.3):
                # a closed one, or a reopened one that still carries its first closing time
                closed = received + timedelta(hours=rng.randrange(5, 2000))
            row = {
                "number": f"CC-{n:04d}",
                "customer": rng.choice(ids),
                "received_at": received.replace(microsecond=0),
                "description": rng.choice([*INJECTIONS, "Kratzer auf der Oberfläche", "划痕"]),
                "defect_category": rng.choice(categories),
                "responsibility": rng.choice(responsibilities),
                "severity": severity,
                "status": status,
                "due_at": due.replace(microsecond=0),
                "handled_at": handled.replace(microsecond=0) if handled else None,
                "closed_at": closed.replace(microsecond=0) if closed else None,
                "created_at": received,
                "updated_at": received,
            }
            if data.complaints and rng.random() < 0.15:
                row["repeat_of"] = rng.choice(data.complaints)["id"]
            row["id"] = Complaint.insert(**row).execute()
            row.setdefault("repeat_of", None)
            data.complaints.append(row)
        for complaint in rng.sample(data.complaints, 45):
            for _ in range(rng.randrange(1, 3)):
                created = complaint["received_at"] + timedelta(days=rng.randrange(0, 40))
                executed = verified = None
                status = rng.choice(["open", "done", "verified"])
                if status != "open":
                    executed = created + timedelta(days=rng.randrange(1, 60))
                if status == "verified":
                    verified = executed + timedelta(days=rng.randrange(1, 20))
                row = {
                    "complaint": complaint["id"],
                    "action_type": rng.choice(["process", "management", "inspection"]),
                    "description": rng.choice([*INJECTIONS, "改进工艺"]),
                    "department": rng.choice(["qa", "manufacturing", "technical"]),
                    "due_date": (created + timedelta(days=rng.randrange(5, 45))).date(),
                    "status": status,
                    "executed_at": executed,
                    "verified_at": verified,
                    "created_at": created,
                    "updated_at": created,
                }
                row["id"] = CorrectiveAction.insert(**row).execute()
                row["customer"] = complaint["customer"]
                data.actions.append(row)
        for n in range(70):
            received = _rand_time(rng, *window)
            row = {
                "number": f"FB-{n:04d}",
                "customer": rng.choice(ids),
                "received_at": received,
                "channel": rng.choice(["phone", "letter", "email", "visit"]),
                "description": rng.choice([*INJECTIONS, "交货延迟"]),
                "type": rng.choice(FEEDBACK_TYPES),
                "status": rng.choice(["open", "routed", "closed"]),
                "created_at": received,
                "updated_at": received,
            }
            row["id"] = Feedback.insert(**row).execute()
            data.feedback.append(row)
        all_ids = [c["id"] for c in data.customers]
        for n in range(110):
            day = (local(2025, 12, 1) + timedelta(days=rng.randrange(420))).date()
            customer = rng.choice(all_ids)
            row = {"number": f"VS-{n:04d}", "customer": customer, "visit_date": day,
                   "purpose": rng.choice([*INJECTIONS, "年度拜访"]), "created_at": t0,
                   "updated_at": t0}  # fmt: skip
            row["id"] = Visit.insert(**row).execute()
            data.visits.append(row)
        n = 0
        for customer in data.customers:
            for q in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"):
                if rng.random() < 0.2:
                    continue
                status = rng.choice(["planned", "sent", "returned", "returned"])
                scores: dict[str, int | None] = {i: None for i in ITEMS}
                overall = None
                if status == "returned":
                    scores = {i: rng.choice([None, 2, 3, 4, 5, 5]) for i in ITEMS}
                    answered = [v for v in scores.values() if v is not None]
                    if answered:
                        overall = (Decimal(sum(answered)) / len(answered)).quantize(
                            Decimal("0.01"), rounding=ROUND_HALF_UP
                        )
                row = {
                    "number": f"SV-{n:04d}",
                    "customer": customer["id"],
                    "quarter": q,
                    "status": status,
                    "sent_on": date(2026, 3 * int(q[-1]) - 1, 10) if status != "planned" else None,
                    "overall": overall,
                    "created_at": t0,
                    "updated_at": t0,
                    **{f"score_{i}": v for i, v in scores.items()},
                }
                row["id"] = Survey.insert(**row).execute()
                data.surveys.append(row)
                n += 1
        _add_costs(data, random.Random(seed + 1), t0)
    return data


COST_FIELDS = ("cost_compensation", "cost_freight", "cost_scrap", "cost_rework",
               "cost_replacement")  # fmt: skip


def _add_costs(data: Dataset, rng: random.Random, t0: datetime) -> None:
    """Products and the cost of poor quality on about half the complaints (a random stream of
    its own, so the other rows stay as they were)."""
    products: list[int | None] = [None]
    for code, name in (("PN-1", "螺栓 M8"), ("=PN2", "Welle")):
        pid = Product.insert(part_number=code, name=name, created_at=t0, updated_at=t0).execute()
        products.append(pid)
        data.products[pid] = (code, name)
    for complaint in data.complaints:
        costs = {f: None for f in COST_FIELDS}
        if rng.random() < 0.5:
            for f in COST_FIELDS:
                if rng.random() < 0.6:
                    costs[f] = Decimal(rng.randrange(0, 2_000_000)) / 100
        product = rng.choice(products)
        Complaint.update(product=product, **costs).where(Complaint.id == complaint["id"]).execute()
        complaint.update(costs, product=product)


# ====================================================================== independent KPIs
def month_list(period: str) -> list[tuple[int, int]]:
    """(year, month) pairs of a period code written as ``2026-11``, ``2026-Q4`` or ``2026``."""
    if "Q" in period:
        year, q = int(period[:4]), int(period[-1])
        return [(year, m) for m in range(3 * q - 2, 3 * q + 1)]
    if "-" in period:
        return [(int(period[:4]), int(period[5:]))]
    return [(int(period), m) for m in range(1, 13)]


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    after = date(year + (month == 12), month % 12 + 1, 1)
    return first, after


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, dtime.min, tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)


def _within(value: datetime | None, start: datetime, end: datetime) -> bool:
    return value is not None and start <= value < end


@dataclass
class Bounds:
    """A period's bounds in UTC and its cut-off, computed with zoneinfo."""

    months: list[tuple[int, int]]
    start_day: date
    end_day: date  # exclusive
    start: datetime
    end: datetime
    now: datetime

    @classmethod
    def of(cls, period: str, now: datetime) -> Bounds:
        months = month_list(period)
        start_day = _month_bounds(*months[0])[0]
        end_day = _month_bounds(*months[-1])[1]
        return cls(months, start_day, end_day, _utc_midnight(start_day), _utc_midnight(end_day),
                   now)  # fmt: skip

    @property
    def cutoff(self) -> datetime:
        return min(self.end, self.now)

    @property
    def cutoff_day(self) -> date:
        return self.cutoff.replace(tzinfo=UTC).astimezone(ZONE).date()


def expected_complaints(rows: list[dict[str, Any]], b: Bounds) -> dict[str, Any]:
    """Complaint KPIs of *rows* in plain Python."""
    received = [c for c in rows if _within(c["received_at"], b.start, b.end)]
    on_time = [c for c in received if c["handled_at"] and c["handled_at"] <= c["due_at"]]
    late = [c for c in received if c["handled_at"] and c["handled_at"] > c["due_at"]]
    overdue = [c for c in received if not c["handled_at"] and c["due_at"] < b.now]
    closed = [c for c in rows if _within(c["closed_at"], b.start, b.end)]
    days = [(c["closed_at"] - c["received_at"]).total_seconds() / 86400 for c in closed]
    cutoff = b.cutoff

    def open_at_end(c: dict[str, Any]) -> bool:
        if b.now <= b.start:  # a period still to come
            return False
        still_open = c["status"] != "closed" or c["closed_at"] is None or c["closed_at"] >= cutoff
        return c["received_at"] < cutoff and still_open

    open_rows = [c for c in rows if open_at_end(c)]
    judged = len(on_time) + len(late) + len(overdue)
    return {
        "received": len(received),
        "urgent": sum(c["severity"] == "urgent" for c in received),
        "normal": sum(c["severity"] == "normal" for c in received),
        "on_time": len(on_time),
        "late": len(late),
        "overdue_unhandled": len(overdue),
        "on_time_rate": len(on_time) / judged if judged else None,
        "closed": len(closed),
        "mean_days_to_close": statistics.mean(days) if days else None,
        "median_days_to_close": statistics.median(days) if days else None,
        "open_at_end": len(open_rows),
        "open_long": sum(c["received_at"] < cutoff - timedelta(days=30) for c in open_rows),
        "repeat": sum(c["repeat_of"] is not None for c in received),
    }


def expected_visits(
    data: Dataset, customers: list[dict[str, Any]], b: Bounds
) -> list[tuple[str, int, int]]:
    """(month, customers visited, active customers) for the months ended by the cut-off (the
    month in progress is not due yet)."""
    out = []
    for year, month in b.months:
        first, after = _month_bounds(year, month)
        if _utc_midnight(after) > b.cutoff:
            continue
        end = _utc_midnight(after)
        active = {c["id"] for c in customers if c["active"] and c["created_at"] < end}
        visited = {v["customer"] for v in data.visits
                   if first <= v["visit_date"] < after and v["customer"] in active}  # fmt: skip
        out.append((f"{year:04d}-{month:02d}", len(visited), len(active)))
    return out


def expected(data: Dataset, period: str, now: datetime, customer: str | None = None) -> dict:
    """Every KPI of the review, computed from the inserted rows in plain Python."""
    b = Bounds.of(period, now)
    cid = data.customer(customer)["id"] if customer else None

    def mine(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in rows if cid is None or r["customer"] == cid]

    complaints = mine(data.complaints)
    out: dict[str, Any] = {"complaints": expected_complaints(complaints, b)}
    actions = mine(data.actions)
    cut = b.cutoff
    out["actions"] = {
        "opened": sum(_within(a["created_at"], b.start, b.end) for a in actions),
        "completed": sum(_within(a["executed_at"], b.start, b.end) for a in actions),
        "verified": sum(_within(a["verified_at"], b.start, b.end) for a in actions),
        "overdue": sum(
            b.now > b.start
            and a["created_at"] < cut
            and a["due_date"] < b.cutoff_day
            and (a["executed_at"] is None or a["executed_at"] >= cut)
            for a in actions
        ),
    }
    feedback = [f for f in mine(data.feedback) if _within(f["received_at"], b.start, b.end)]
    counts = Counter(f["type"] for f in feedback)
    out["feedback"] = {t: counts.get(t, 0) for t in FEEDBACK_TYPES}
    customers = [c for c in data.customers if cid is None or c["id"] == cid]
    visit_months = expected_visits(data, customers, b)
    out["visits"] = visit_months
    quarters = sorted({f"{y:04d}-Q{(m - 1) // 3 + 1}" for y, m in b.months})
    surveys = [s for s in mine(data.surveys) if s["quarter"] in quarters]
    returned = [s for s in surveys if s["status"] == "returned"]

    def avg(values: list[Any]) -> float | None:
        present = [float(v) for v in values if v is not None]
        return sum(present) / len(present) if present else None

    target = 4.0
    below = []
    by_customer: dict[int, dict[str, Any]] = {}
    for c in data.customers:
        theirs = [s for s in returned if s["customer"] == c["id"]]
        if not theirs:
            continue
        averages = {i: avg([s[f"score_{i}"] for s in theirs]) for i in ITEMS}
        averages["overall"] = avg([s["overall"] for s in theirs])
        is_below = any(v is not None and v < target for v in averages.values())
        by_customer[c["id"]] = {"n": len(theirs), "overall": averages["overall"],
                                "below": is_below}  # fmt: skip
        if is_below:
            below.append(c["code"])
    out["surveys"] = {
        "total": len(surveys),
        "sent": sum(s["status"] in ("sent", "returned") for s in surveys),
        "returned": len(returned),
        **{f"avg_{i}": avg([s[f"score_{i}"] for s in returned]) for i in ITEMS},
        "avg_overall": avg([s["overall"] for s in returned]),
        "below": sorted(below),
    }
    received = [c for c in complaints if _within(c["received_at"], b.start, b.end)]
    out["pareto_defects"] = Counter(c["defect_category"] for c in received)
    out["pareto_responsibility"] = Counter(c["responsibility"] for c in received)
    per_customer = {}
    for c in customers:
        theirs = [x for x in complaints if x["customer"] == c["id"]]
        figures = expected_complaints(theirs, b)
        fb = sum(f["customer"] == c["id"] for f in feedback)
        visits = [v for v in data.visits if v["customer"] == c["id"]
                  and b.start_day <= v["visit_date"] < b.end_day]  # fmt: skip
        survey = by_customer.get(c["id"])
        if not (figures["received"] or figures["closed"] or figures["open_at_end"] or fb
                or visits or survey or c["active"] or cid is not None):  # fmt: skip
            continue
        months_visited = 0
        for month, _, _ in visit_months:
            year, m = int(month[:4]), int(month[5:])
            first, after = _month_bounds(year, m)
            if (
                c["active"]
                and c["created_at"] < _utc_midnight(after)
                and any(first <= v["visit_date"] < after for v in visits)
            ):
                months_visited += 1
        per_customer[c["code"]] = {
            **figures,
            "feedback": fb,
            "visits": len(visits),
            "months_visited": months_visited,
            "surveys_returned": survey["n"] if survey else 0,
            "survey_overall": survey["overall"] if survey else None,
            "below_target": bool(survey and survey["below"]),
        }
    out["customers"] = per_customer
    trend = []
    last_year, last_month = b.months[-1]
    index = last_year * 12 + last_month - 1
    for i in range(index - 11, index + 1):
        code = f"{i // 12:04d}-{i % 12 + 1:02d}"
        mb = Bounds.of(code, now)
        if mb.start >= now:
            trend.append((code, expected_complaints([], mb), 0, 0, 0))
            continue
        fb = sum(_within(f["received_at"], mb.start, mb.end) for f in mine(data.feedback))
        sub = expected_visits(data, customers, mb)
        visited, active = (sub[0][1], sub[0][2]) if sub else (0, 0)
        trend.append((code, expected_complaints(complaints, mb), fb, visited, active))
    out["trend"] = trend
    out["costs"] = expected_costs(data, complaints, b, now)
    return out


def _cost_total(rows: list[dict[str, Any]], fields: tuple[str, ...] = COST_FIELDS) -> Decimal:
    return sum((Decimal(str(r[f])) for r in rows for f in fields if r[f] is not None),
               Decimal("0.00")).quantize(Decimal("0.01"))  # fmt: skip


def expected_costs(
    data: Dataset, complaints: list[dict[str, Any]], b: Bounds, now: datetime
) -> dict[str, Any]:
    """The cost of poor quality of the complaints received in the period, in plain Python."""
    received = [c for c in complaints if _within(c["received_at"], b.start, b.end)]
    costed = [c for c in received if any(c[f] is not None for f in COST_FIELDS)]

    def groups(key: Any) -> dict[str, tuple[Decimal, int]]:
        out: dict[str, tuple[Decimal, int]] = {}
        for value in {key(c) for c in costed}:
            mine = [c for c in costed if key(c) == value]
            out[value] = (_cost_total(mine), len(mine))
        return out

    codes = {c["id"]: c["code"] for c in data.customers}
    pareto = sorted(((k, t) for k, (t, _) in groups(lambda c: c["defect_category"]).items() if t),
                    key=lambda kt: -kt[1])  # fmt: skip
    trend = []
    last_year, last_month = b.months[-1]
    index = last_year * 12 + last_month - 1
    for i in range(index - 11, index + 1):
        mb = Bounds.of(f"{i // 12:04d}-{i % 12 + 1:02d}", now)
        rows = [c for c in complaints if _within(c["received_at"], mb.start, mb.end)]
        trend.append((f"{i // 12:04d}-{i % 12 + 1:02d}", _cost_total(rows)))
    return {
        "totals": {f: _cost_total(received, (f,)) for f in COST_FIELDS},
        "complaints": len(costed),
        "by_customer": groups(lambda c: codes[c["customer"]]),
        "by_product": groups(lambda c: data.products[c["product"]][0] if c["product"] else ""),
        "by_defect_category": groups(lambda c: c["defect_category"]),
        "by_responsibility": groups(lambda c: c["responsibility"]),
        "pareto": [t for _, t in pareto],
        "trend": trend,
    }
