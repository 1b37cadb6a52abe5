"""Records for the form tests, created straight through ``store.audit`` (not the workflow
services), so the printed forms can be tested on their own."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from cqms_desktop.store import audit
from cqms_desktop.store import settings as store_settings
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import (
    Circulation,
    Complaint,
    CorrectiveAction,
    Customer,
    CustomerResponse,
    Feedback,
    Product,
    Scar,
    ServiceRecord,
    Supplier,
    Survey,
    User,
    Visit,
)

CUSTOMER_NAME = "上海精密汽车配件有限公司"
#: The supplier a SCAR goes to: on its form in the place of the customer.
SUPPLIER_NAME = "宁波精密弹簧有限公司"


def party_name(kind: str) -> str:
    """Whom a form of *kind* is about: the supplier on a SCAR, else the customer."""
    return SUPPLIER_NAME if kind == "scar" else CUSTOMER_NAME


COMPANY = "苏州永成精密机械有限公司"
WHO = "tester"


@dataclass
class Numbers:
    """The record numbers of one customer's set of records."""

    complaint: str
    visit: str
    feedback: str
    survey: str
    service: str
    customer_id: int
    scar: str = ""


def form_user(username: str, full_name: str, department: str) -> User:
    """The user *username*, created (straight through ``store.audit``) if not there yet."""
    existing = User.get_or_none(User.username == username)
    if existing is not None:
        return existing
    return audit.create(
        User, WHO, username=username, full_name=full_name, department=department, password_hash="x"
    )


def make_records(
    *,
    suffix: str = "1",
    language: str = "zh",
    description: str = "顾客反映第 3 批产品表面有划伤，部分尺寸超差，要求尽快处理并提供 8D 报告。",
    customer_name: str = CUSTOMER_NAME,
) -> Numbers:
    """One customer with a complaint (actions, answers), a feedback, a visit, a survey and a
    spare-parts record, every field filled."""
    with write_transaction():
        store_settings.put("company_name", COMPANY)
        # Forms print local times in the company's zone, whatever the test machine's zone is.
        store_settings.put("timezone", "Asia/Shanghai")
        qa = form_user("wangqa", "王质保", "qa")
        sales = form_user("lisales", "李业务", "sales")
        gm = form_user("zhaogm", "赵总", "gm")
        tech = form_user("chentech", "陈技术", "technical")
        customer = audit.create(
            Customer,
            WHO,
            code=f"C-{suffix}",
            name=customer_name,
            address="上海市嘉定区安亭镇墨玉路 88 号",
            language=language,
            contacts="Herr Müller",
        )
        product = audit.create(
            Product, WHO, part_number=f"PN-{suffix}-4711", name="Zahnradgehäuse / 齿轮箱壳体"
        )
        t0 = dt.datetime(2026, 3, 2, 1, 30)
        visit = audit.create(
            Visit,
            "lisales",
            number=f"VS-2026-{suffix.zfill(4)}",
            customer=customer,
            visit_date=dt.date(2026, 2, 20),
            sales_people="李业务, 周销售",
            visitor=sales,
            customer_people="Herr Müller (Einkauf), Frau Schäfer (QS)",
            purpose="季度走访，了解交货及质量情况",
            discussion="讨论了 Q2 的交货计划以及包装改进。",
            requests="要求改进包装防锈；希望提前两周通知交期变化。",
            follow_up="质保部评估防锈包装方案",
        )
        feedback = audit.create(
            Feedback,
            "lisales",
            number=f"FB-2026-{suffix.zfill(4)}",
            customer=customer,
            received_at=t0,
            channel="phone",
            caller="Herr Müller",
            description=description,
            urgent=True,
            type="quality",
            status="complaint",
            result="已转质保部按顾客抱怨处理。",
            registered_by=sales,
            visit=visit,
        )
        for rec_kind, rec_id, dept, ack in (
            ("visit", visit.id, "qa", "wangqa"),
            ("visit", visit.id, "technical", ""),
            ("feedback", feedback.id, "qa", "wangqa"),
        ):
            Circulation.create(
                record_kind=rec_kind,
                record_id=rec_id,
                department=dept,
                sent_at=t0,
                sent_by="lisales",
                acknowledged_at=t0 + dt.timedelta(hours=3) if ack else None,
                acknowledged_by=ack,
                response="已安排评估" if ack else "",
            )
        complaint = audit.create(
            Complaint,
            "lisales",
            number=f"CC-2026-{suffix.zfill(4)}",
            feedback=feedback,
            customer=customer,
            product=product,
            lot="L20260215-03",
            qty_affected=120,
            qty_delivered=5000,
            received_at=t0,
            received_via="phone",
            description=description,
            customer_request="更换不良品，并提供 8D 报告。",
            defect_category="表面划伤",
            severity="urgent",
            status="closed",
            due_at=t0 + dt.timedelta(days=2),
            handled_at=t0 + dt.timedelta(days=1),
            qa_owner=qa,
            investigation="抽查库存 500 件，发现 12 件划伤。",
            cause="包装隔板磨损，运输中相互摩擦。",
            evidence="照片 6 张，检验记录 QC-0315。",
            team="质保部 王质保；技术课 陈技术；制造部 孙制造",
            onsite_by="王质保",
            onsite_on=dt.date(2026, 3, 3),
            onsite_findings="顾客仓库内 120 件不良已隔离。",
            responsibility="company",
            preliminary_plan="立即更换包装隔板；对库存全检。",
            plan_fed_back_at=t0 + dt.timedelta(days=1),
            dispatch_by="王质保",
            dispatch_on=dt.date(2026, 3, 3),
            dispatch_action="现场挑选，更换 120 件。",
            fg_checked=800,
            fg_held=800,
            fg_nonconforming=15,
            wip_checked=300,
            wip_held=0,
            wip_nonconforming=2,
            nc_report_number="NCR-2026-031",
            oral_notice_at=t0 + dt.timedelta(days=6),
            oral_notice_by="lisales",
            oral_notice_to="Herr Müller",
            copy_sent_at=t0 + dt.timedelta(days=6, hours=2),
            copy_sent_via="E-mail",
            copy_sent_to="Frau Schäfer",
            customer_accepted_at=t0 + dt.timedelta(days=9),
            approved_by="zhaogm",
            approved_at=t0 + dt.timedelta(days=10),
            closed_at=t0 + dt.timedelta(days=10),
            cost_freight=decimal.Decimal("350.00"),
            cost_replacement=decimal.Decimal("1200.50"),
        )
        audit.create(
            CorrectiveAction,
            "wangqa",
            complaint=complaint,
            action_type="process",
            description="改用带缓冲的新型包装隔板",
            department="manufacturing",
            owner=gm,
            due_date=dt.date(2026, 3, 20),
            status="verified",
            execution_note="已切换新隔板",
            executed_at=t0 + dt.timedelta(days=5),
            executed_by="chentech",
            verification_result="连续 3 批无划伤，有效",
            verified_by="wangqa",
            verified_at=t0 + dt.timedelta(days=8),
        )
        audit.create(
            CorrectiveAction,
            "wangqa",
            complaint=complaint,
            action_type="inspection",
            description="出货检验增加外观全检",
            department="qa",
            owner=qa,
            due_date=dt.date(2026, 3, 25),
            status="open",
        )
        CustomerResponse.create(
            complaint=complaint,
            accepted=False,
            reason="需要提供 8D 报告",
            recorded_at=t0 + dt.timedelta(days=7),
            recorded_by="lisales",
        )
        CustomerResponse.create(
            complaint=complaint,
            accepted=True,
            reason="",
            recorded_at=t0 + dt.timedelta(days=9),
            recorded_by="lisales",
        )
        survey = audit.create(
            Survey,
            "lisales",
            number=f"SV-2026-{suffix.zfill(4)}",
            customer=customer,
            quarter="2026-Q1",
            status="returned",
            sent_on=dt.date(2026, 3, 25),
            returned_on=dt.date(2026, 4, 8),
            respondent="Frau Schäfer",
            score_quality=4,
            score_service=5,
            score_price=3,
            score_delivery=4,
            overall=decimal.Decimal("4.00"),
            comments="交货及时，希望价格更有竞争力。",
        )
        service = audit.create(
            ServiceRecord,
            "lisales",
            number=f"SR-2026-{suffix.zfill(4)}",
            customer=customer,
            kind="spare_parts",
            service_date=dt.date(2026, 4, 2),
            product=product,
            subject="供应备用密封圈",
            details="顾客设备维修需要备用密封圈。",
            part_number="SP-0815",
            quantity=40,
            reason="设备维修",
            delivery_note="DN-2026-0402",
            performed_by="李业务",
            result="已发货，顾客签收。",
            status="done",
        )
        supplier = audit.create(
            Supplier,
            WHO,
            code=f"S-{suffix}",
            name=SUPPLIER_NAME,
            contacts="王经理 0574-8888 0000",
            language=language,
        )
        scar = audit.create(
            Scar,
            "zhangqa",
            number=f"SC-2026-{suffix.zfill(4)}",
            complaint=complaint,
            supplier=supplier,
            status="verified",
            part="PN-4711 弹簧",
            lot="L-2603-11",
            defect="弹簧力 12 N，规格 15 N ± 1 N。",
            evidence="测试报告 FT-118，照片 4 张。",
            containment="立即隔离库存，全检后发货。",
            reply_due=dt.date(2026, 3, 27),
            raised_at=dt.datetime(2026, 3, 20, 2, 0),
            raised_by="zhangqa",
            root_cause="热处理时间不足。",
            corrective_action="调整炉温曲线，增加弹簧力 SPC。",
            effective_date=dt.date(2026, 4, 1),
            replied_at=dt.datetime(2026, 3, 26, 6, 0),
            reply_recorded_by="zhangqa",
            verification_result="连续三批弹簧力合格。",
            verified_by="wangqa",
            verified_at=dt.datetime(2026, 4, 10, 3, 0),
        )
        _ = tech
    return Numbers(
        complaint=complaint.number,
        visit=visit.number,
        feedback=feedback.number,
        survey=survey.number,
        service=service.number,
        customer_id=customer.id,
        scar=scar.number,
    )
