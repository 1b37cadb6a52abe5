"""Demonstration complaints (5.2) in every state, with countermeasures and customer responses."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ...domain import deadlines
from ...domain.enums import (
    ActionStatus,
    ActionType,
    Channel,
    ComplaintStatus,
    Department,
    FeedbackStatus,
    FeedbackType,
    Responsibility,
    Severity,
)
from ...store.models import CorrectiveAction, CustomerResponse
from . import name_pools as D
from .feedback import FeedbackBuilder


class ComplaintBuilder(FeedbackBuilder):
    """Complaints (each with its feedback), their progress, corrective actions and responses."""

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
        states = [state for state, _ in table]
        weights = [weight for _, weight in table]
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
            # 5.2.4: QA verifies, but never the action's own owner, nor the QA engineer who
            # prepares the form (the reviewer is not the preparer).
            others = (owner["id"], complaint.get("qa_owner"))
            qa = next((u for u in qa_people if u["id"] not in others), qa_people[-1])
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
