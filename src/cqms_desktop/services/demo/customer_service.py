"""Demonstration visits (5.1.1), satisfaction surveys (5.1.3) and service records (5.1.4/5.1.5)."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from ...domain.enums import Department, ServiceKind, SurveyStatus
from ...domain.visit_rules import VISIT_DEPARTMENTS
from . import name_pools as D
from .builder_base import DemoBuilderBase


class CustomerServiceBuilder(DemoBuilderBase):
    """Each customer's visits, quarterly surveys and service records over two years."""

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
                departments = self.visit_departments(requests, row)
                open_acks = self.circulate(
                    row,
                    "visit",
                    at + timedelta(hours=20),
                    requests != "",
                    departments,
                    rep,
                    never_ack=latest,
                )
                row["status"] = "open" if open_acks else "closed"
                self.stamp(row, at, rep["username"], row.get("_last"))
                visits.append(row)
            month = next_month
        return visits

    def visit_departments(self, requests: str, row: dict[str, Any]) -> list[Department]:
        """5.1.1: requests go to QA, the Technical Section, Manufacturing and Administration.
        Now and then a request only about delivery leaves the Technical Section out, with the
        reason the rule asks for (kept on *row*)."""
        departments = list(VISIT_DEPARTMENTS)
        if requests == D.VISIT_REQUESTS[0] and self.rng.random() < 0.3:
            departments.remove(Department.TECHNICAL)
            row["routing_reason"] = D.VISIT_ROUTING_REASON
        return departments

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
