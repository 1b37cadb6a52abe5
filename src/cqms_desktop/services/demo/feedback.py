"""Demonstration customer feedback (5.1.2): calls, letters and visits, routed and closed."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from ...domain.enums import Channel, Department, FeedbackStatus, FeedbackType
from ...domain.survey_scoring import ScoringRules, below_target
from . import name_pools as D
from .builder_base import DemoBuilderBase


class FeedbackBuilder(DemoBuilderBase):
    """Feedback rows, their circulation and closure, and follow-ups of poor surveys."""

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

    def survey_feedback(self, surveys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """5.1.3: a survey below the satisfaction target (any item or the overall score)
        becomes a feedback (5.1.2)."""
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
            if overall is None:
                continue
            scores = survey["_scores"]
            # The program's rule: any item *or* the overall score below the target.
            if not below_target(scores, overall, ScoringRules(target=self.survey_target)):
                continue
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
