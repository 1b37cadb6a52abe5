"""Issue #10 item 3: registration data that stays correctable, and the managed defect-category
list — the feedback → complaint hand-over carries every field, QA completes or corrects them
during the investigation (audited, old value kept), the list is managed by Administration,
shown in the reader's language, and legacy free text is mapped on import and on upgrade."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.errors import (
    ConflictError,
    PermissionDenied,
    TransitionError,
    ValidationError,
)
from cqms_desktop.exports import complaint_form
from cqms_desktop.services import admin, backup, dashboard_queries, defect_categories, feedback
from cqms_desktop.services import complaints as svc
from cqms_desktop.services.base import Actor
from cqms_desktop.services.importer import check_file
from cqms_desktop.services.maintenance import check_database
from cqms_desktop.services.registers import COMPLAINTS, Filter
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.models import AuditLog, Complaint, DefectCategory
from cqms_desktop.store.steps import defect_categories as step
from tests.categories import ensure_test_categories
from tests.complaint_steps import bring_to, register, update
from tests.complaint_steps import step as take_step


@pytest.fixture
def master_data():
    system = Actor.system()
    customer = admin.add_customer(system, code="C100", name="Müller Automotive GmbH")
    product = admin.add_product(system, part_number="PN-4711", name="Steckergehäuse")
    other = admin.add_product(system, part_number="PN-4712", name="Deckel")
    ensure_test_categories()
    return customer, product, other


@pytest.fixture
def english_lists():
    defect_categories.set_display_language("en")
    yield
    defect_categories.set_display_language("en")


def _trail(record_id: int, field: str) -> list[tuple[str | None, str | None]]:
    rows = AuditLog.select().where(
        (AuditLog.table_name == "complaint")
        & (AuditLog.record_id == record_id)
        & (AuditLog.field == field)
        & (AuditLog.action == "update")
    )
    return [(r.old_value, r.new_value) for r in rows.order_by(AuditLog.id)]


# ---------------------------------------------------------------- the hand-over
def test_the_hand_over_carries_every_registration_field(actors, master_data):
    customer, product, _other = master_data
    sales = actors[D.SALES]
    fb = feedback.register_feedback(
        sales,
        customer_id=customer.id,
        channel="phone",
        caller="Herr Müller",
        description="Kratzer",
        urgent=False,
        type="quality",
    )
    complaint = feedback.send_to_qa(
        sales,
        feedback_id=fb.id,
        version=fb.version,
        product_id=product.id,
        lot="L-2611",
        qty_affected="40",
        qty_delivered=5000,
        defect_category="Gewinde",  # a label (German) names the category "thread"
        description="Gewinde der Gehäuse beschädigt, 40 von 5000 Stück",
        customer_request="8D",
    )
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.product_id, stored.lot, stored.qty_affected, stored.qty_delivered) == (
        product.id,
        "L-2611",
        40,
        5000,
    )
    assert stored.defect_category == "thread"
    assert stored.description == "Gewinde der Gehäuse beschädigt, 40 von 5000 Stück"
    assert stored.customer_request == "8D"


def test_the_hand_over_refuses_an_unknown_category_and_a_blank_description(actors, master_data):
    customer, _product, _other = master_data
    sales = actors[D.SALES]
    fb = feedback.register_feedback(
        sales, customer_id=customer.id, channel="phone", description="Kratzer", type="quality"
    )
    with pytest.raises(ValidationError) as err:
        feedback.send_to_qa(sales, feedback_id=fb.id, version=fb.version, defect_category="rust")
    assert err.value.field == "defect_category"
    with pytest.raises(ValidationError) as err:
        feedback.send_to_qa(sales, feedback_id=fb.id, version=fb.version, description="  ")
    assert err.value.field == "description"
    assert Complaint.select().count() == 0


# ---------------------------------------------------------------- QA's corrections
def test_qa_completes_and_corrects_the_registration_during_the_investigation(actors, master_data):
    customer, product, other = master_data
    sales, qa = actors[D.SALES], actors[D.QA]
    c = register(sales, customer, product, lot="", qty_affected=None, defect_category="")
    take_step(qa, c.id, "start_investigation")
    update(
        qa,
        c.id,
        product=other.id,
        lot="L-0815",
        qty_affected=12,
        qty_delivered=900,
        defect_category="Scratch",
        description="Scratches on the cover, not burrs.",
    )
    stored = Complaint.get_by_id(c.id)
    assert (stored.product_id, stored.lot, stored.qty_affected, stored.qty_delivered) == (
        other.id,
        "L-0815",
        12,
        900,
    )
    assert stored.defect_category == "scratch"
    # Audited like any change, the old value kept.
    assert _trail(c.id, "product") == [(str(product.id), str(other.id))]
    assert _trail(c.id, "lot") == [("", "L-0815")]
    assert _trail(c.id, "defect_category") == [("", "scratch")]
    assert _trail(c.id, "description")[0][0] == (
        "Burrs on the housing edge, connector does not lock."
    )
    # Through the optimistic lock.
    with pytest.raises(ConflictError):
        svc.update_complaint(qa, complaint_id=c.id, version=stored.version - 1, lot="stale")
    # Sales is still refused once the complaint left "registered"; QA not the rest of it.
    with pytest.raises(TransitionError) as err:
        update(sales, c.id, lot="Sales too late")
    assert err.value.field == "lot"
    with pytest.raises(PermissionDenied) as err:
        update(qa, c.id, received_via="fax")
    assert err.value.field == "received_via"


def test_qa_corrects_until_closure_only(actors, master_data):
    customer, product, _other = master_data
    qa = actors[D.QA]
    c = bring_to(S.AWAITING_APPROVAL, actors, customer, product)
    assert update(qa, c.id, lot="corrected").lot == "corrected"
    c = bring_to(S.CLOSED, actors, customer, product)
    with pytest.raises(TransitionError):
        update(qa, c.id, lot="after closure")


# ---------------------------------------------------------------- the list
def test_administration_manages_the_list_and_duplicates_are_refused(actors, master_data):
    admin_actor = actors[D.ADMINISTRATION]
    with pytest.raises(PermissionDenied):
        defect_categories.add_category(actors[D.QA], code="rust", label_en="Rust")
    rust = defect_categories.add_category(
        admin_actor, code="rust", label_zh="锈蚀", label_en="Rust", label_de="Rost"
    )
    for values, field in (
        ({"code": "RUST"}, "code"),  # the same code in capitals
        ({"code": "corrosion", "label_zh": "锈蚀"}, "label_zh"),  # another category's label
        ({"code": "Grat"}, "code"),  # the German label of "burr"
        ({"code": "  "}, "code"),
    ):
        with pytest.raises(ValidationError) as err:
            defect_categories.add_category(admin_actor, **values)
        assert err.value.field == field, values
    rust = defect_categories.update_category(
        admin_actor, category_id=rust.id, version=rust.version, label_en="Corrosion"
    )
    with pytest.raises(ValidationError) as err:
        defect_categories.update_category(
            admin_actor, category_id=rust.id, version=rust.version, label_de="Kratzer"
        )
    assert err.value.field == "label_de"
    with pytest.raises(ConflictError):
        defect_categories.update_category(
            admin_actor, category_id=rust.id, version=rust.version - 1, label_de="Korrosion"
        )
    assert defect_categories.code_for("corrosion") == "rust"
    # Deactivated: no longer offered nor accepted for a new choice.
    rust = defect_categories.update_category(
        admin_actor, category_id=rust.id, version=rust.version, active=False
    )
    assert "rust" not in dict(defect_categories.choices("en"))
    with pytest.raises(ValidationError):
        defect_categories.code_for("rust")
    defect_categories.delete_category(admin_actor, category_id=rust.id, version=rust.version)
    assert not DefectCategory.select().where(DefectCategory.code == "rust").exists()


def test_a_category_in_use_keeps_its_code_and_is_not_deleted(actors, master_data):
    customer, product, _other = master_data
    register(actors[D.SALES], customer, product)  # defect category "burr"
    burr = DefectCategory.get(DefectCategory.code == "burr")
    administrator = actors[D.ADMINISTRATION]
    with pytest.raises(TransitionError):
        defect_categories.delete_category(administrator, category_id=burr.id, version=burr.version)
    with pytest.raises(TransitionError) as err:
        defect_categories.update_category(
            administrator, category_id=burr.id, version=burr.version, code="burrs"
        )
    assert err.value.field == "code"


# ---------------------------------------------------------------- shown in the reader's language
def test_the_category_is_shown_in_chinese_or_english(actors, master_data, english_lists):
    customer, product, _other = master_data
    c = register(actors[D.SALES], customer, product, defect_category="thread")

    def listed() -> str:
        return COMPLAINTS.page(Filter())[0]["defect_category"]

    assert listed() == "Thread"
    defect_categories.set_display_language("zh_CN")
    assert listed() == "螺纹"
    assert COMPLAINTS.count(Filter(text="螺纹")) == 1  # searching by the label finds it
    chart = dashboard_queries.complaints_by_category()
    assert [(s.key, s.label) for s in chart.series if s.key] == [("thread", "螺纹")]
    data = complaint_form.load(c.number)
    assert (data.defect_category_in("zh"), data.defect_category_in("en")) == ("螺纹", "Thread")
    assert data.defect_category_in("de") == "Gewinde"


# ---------------------------------------------------------------- import
def test_import_maps_legacy_free_text_and_reports_unknown_values(sample, tmp_path):
    ensure_test_categories()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Number", "Received", "Customer code", "Severity", "Status", "Defect category"])
    for number, text in (
        ("CC-2026-0401", "THREAD"),  # the code without case
        ("CC-2026-0402", "螺纹"),  # the Chinese label
        ("CC-2026-0403", "gewinde"),  # the German label without case
        ("CC-2026-0404", "rust"),  # nothing in the list
        ("CC-2026-0405", ""),
    ):
        ws.append([number, datetime(2026, 1, 5), "C001", "normal", "Registered", text])
    path = tmp_path / "legacy.xlsx"
    wb.save(path)
    report = check_file("complaints", path)
    found = {p.row: p.text() for p in report.problems}
    assert list(found) == [5]
    assert "no defect category “rust”" in found[5]
    assert report.failed_rows == 1


# ---------------------------------------------------------------- the schema step
def test_the_schema_step_seeds_the_list_from_the_free_text(sample, tmp_path):
    database = dbmod.database_proxy.obj
    with dbmod.write_transaction():
        DefectCategory.delete().execute()
        database.execute_sql("DROP TABLE defect_category")
        for number, text in (("1", "thread"), ("2", "Thread"), ("3", "thread"), ("4", "螺纹")):
            Complaint.update(defect_category=text).where(
                Complaint.id
                == Complaint.select(Complaint.id)
                .order_by(Complaint.id)
                .offset(int(number) - 1)
                .limit(1)
                .scalar()
            ).execute()
    with database.atomic():
        step.upgrade(database)
        step.upgrade(database)  # again: nothing changes
    codes = sorted(c.code for c in DefectCategory.select())
    # One category per key: "thread" (the spelling used most) and 螺纹, plus the sample's.
    assert "thread" in codes and "Thread" not in codes and "螺纹" in codes
    assert len(codes) == len(set(codes))
    thread = DefectCategory.get(DefectCategory.code == "thread")
    assert (thread.label_en, thread.label_zh, thread.active) == ("thread", "thread", True)
    # "Thread" spelt otherwise still shows as its category.
    assert defect_categories.catalogue().find("Thread").code == "thread"
    # The seeded rows are in the audit trail (the sample's own rows were changed behind its
    # back above, so only the list's records are looked at).
    report = check_database()
    assert not [p for p in report.problems if "defect_category" in p.split(":")[0]]


def test_backup_round_trips_the_list(actors, master_data, tmp_path):
    key = backup.backup_key()
    path = tmp_path / "b.cqmsbak"
    backup.backup(path)
    before = sorted((c.code, c.label_zh, c.label_en, c.label_de) for c in DefectCategory.select())
    dbmod.close_database()
    dbmod.open_database(dbmod.sqlite_url(tmp_path / "restored.sqlite3"))
    backup.restore(path, key=key)
    after = sorted((c.code, c.label_zh, c.label_en, c.label_de) for c in DefectCategory.select())
    assert after == before and len(after) == 6
