"""Customer service through the real widgets: a visit, a feedback (from quick registration to
routing, acknowledgement and the hand-over to QA), a survey campaign and its answers, a
service record, and the visit-plan matrix — each editor also rendered off-screen."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget

from cqms_desktop.domain import clock
from cqms_desktop.domain.enums import Department, FeedbackStatus, SurveyStatus
from cqms_desktop.domain.visit_plan import CellState
from cqms_desktop.services import admin, surveys, visits
from cqms_desktop.services.base import Actor
from cqms_desktop.store.models import Circulation, Complaint, Feedback, ServiceRecord, Survey, Visit
from cqms_desktop.ui.editors import feedback as feedback_editor
from cqms_desktop.ui.editors import service as service_editor
from cqms_desktop.ui.editors import surveys as survey_editor
from cqms_desktop.ui.editors import visits as visit_editor
from cqms_desktop.ui.qt_clock import today_qdate
from cqms_desktop.ui.visit_plan_view import HIGHLIGHT, VisitPlanView
from tests.categories import ensure_test_categories

pytestmark = pytest.mark.gui


@pytest.fixture
def customer_c100(actors):
    """A customer on the GUI's SQLite database (the shared ``customer`` fixture runs on every
    backend); the visit plan test looks for its code."""
    return admin.add_customer(actors[Department.SALES], code="C100", name="上海汽车配件有限公司")


def shoot(widget: QWidget, tmp_path: Path, name: str) -> Path:
    """Render *widget* off-screen to a PNG (also into $CQMS_SHOTS when set, for review)."""
    widget.resize(widget.size().expandedTo(widget.sizeHint()))
    image = widget.grab()
    path = tmp_path / f"{name}.png"
    assert image.save(str(path))
    if os.environ.get("CQMS_SHOTS"):
        image.save(str(Path(os.environ["CQMS_SHOTS"]) / f"{name}.png"))
    assert path.stat().st_size > 1000
    return path


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_register_a_visit_through_the_editor(qtbot, actors, customer_c100, tmp_path):
    dialog = visit_editor.open_editor(None, actors[Department.SALES], None)
    qtbot.addWidget(dialog)
    assert not any(check.isChecked() for check in dialog.routing.checks.values())
    dialog.customer.set_customer(customer_c100.id)
    qtbot.keyClicks(dialog.purpose, "Monthly visit")
    qtbot.keyClicks(dialog.customer_people, "Mr. Zhang")
    qtbot.keyClicks(dialog.requests, "Shorter lead time")
    # Requests typed: the four departments of 5.1.1 are ticked; the user may untick one.
    assert all(check.isChecked() for check in dialog.routing.checks.values())
    click(qtbot, dialog.routing.checks["administration"])
    qtbot.keyClicks(dialog.requests, "!")
    assert not dialog.routing.checks["administration"].isChecked()
    # A date in the future is refused next to the field; nothing is saved.
    tomorrow = clock.today() + timedelta(days=1)
    dialog.visit_date.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    click(qtbot, dialog.save_button)
    assert "cannot be in the future" in dialog.fields.error_text("visit_date")
    assert Visit.select().count() == 0
    dialog.visit_date.setDate(today_qdate())
    # Leaving Administration out needs a reason (5.1.1): the field says so, nothing is saved.
    assert dialog.routing_reason.isEnabled()
    assert "Administration" in dialog.routing_reason.placeholderText()
    click(qtbot, dialog.save_button)
    assert dialog.fields.error_text("visit_date") == ""
    assert "Administration" in dialog.fields.error_text("routing_reason")
    assert Visit.select().count() == 0
    qtbot.keyClicks(dialog.routing_reason, "Price talks are next month")
    click(qtbot, dialog.save_button)
    assert dialog.fields.error_text("routing_reason") == ""
    visit = Visit.get()
    assert visit.routing_reason == "Price talks are next month"
    assert (visit.purpose, visit.customer_people, visit.requests) == (
        "Monthly visit",
        "Mr. Zhang",
        "Shorter lead time!",
    )
    assert dialog.number.text() == visit.number
    assert dialog.routing.table.rowCount() == 3
    assert {r.department for r in Circulation.select()} == {"qa", "technical", "manufacturing"}
    assert dialog.history is not None and dialog.history.row_count() > 0
    assert dialog.print_button.isEnabled()
    shoot(dialog, tmp_path, "visit_editor")

    # QA opens the visit and acknowledges its line.
    qa_view = visit_editor.open_editor(None, actors[Department.QA], visit.id)
    qtbot.addWidget(qa_view)
    assert not qa_view.save_button.isEnabled()
    assert qa_view.routing.ack_button.isEnabled()
    click(qtbot, qa_view.routing.ack_button)
    row = Circulation.get(Circulation.department == "qa")
    assert (row.acknowledged_by, row.response) == (actors[Department.QA].username, "")
    assert row.acknowledged_at is not None
    assert not qa_view.routing.ack_button.isEnabled()

    # A feedback registered from the visit keeps its source.
    fb_dialog = dialog.new_feedback()
    qtbot.addWidget(fb_dialog)
    assert fb_dialog.customer.customer_id() == customer_c100.id
    assert fb_dialog.channel.currentData() == "visit"
    qtbot.keyClicks(fb_dialog.description, "Asked about packaging")
    click(qtbot, fb_dialog.save_button)
    assert Feedback.get().visit_id == visit.id


def test_register_a_feedback_route_it_and_hand_it_to_qa(qtbot, actors, customer_c100, tmp_path):
    quick = feedback_editor.open_editor(None, actors[Department.MANUFACTURING], None)
    qtbot.addWidget(quick)
    assert not quick.type.isEnabled()  # Sales completes the type
    quick.customer.set_customer(customer_c100.id)
    qtbot.keyClicks(quick.caller, "Mr. Wang")
    qtbot.keyClicks(quick.description, "Burrs on the flange of lot 2611")
    # Without a channel: the message names the field, nothing is saved.
    click(qtbot, quick.save_button)
    assert quick.fields.error_text("channel") == "Channel is required."
    assert Feedback.select().count() == 0
    quick.channel.setCurrentIndex(quick.channel.findData("phone"))
    quick.urgent.setChecked(True)
    click(qtbot, quick.save_button)
    fb = Feedback.get()
    assert (fb.caller, fb.channel, fb.urgent, fb.status) == ("Mr. Wang", "phone", True, "open")
    assert fb.registered_by_id == actors[Department.MANUFACTURING].user_id
    shoot(quick, tmp_path, "feedback_quick_registration")

    sales = feedback_editor.open_editor(None, actors[Department.SALES], fb.id)
    qtbot.addWidget(sales)
    sales.type.setCurrentIndex(sales.type.findData("quality"))
    sales.routing.checks["qa"].setChecked(True)
    sales.routing.checks["technical"].setChecked(True)
    click(qtbot, sales.save_button)
    fb = Feedback.get_by_id(fb.id)
    assert (fb.type, fb.status) == ("quality", FeedbackStatus.ROUTED)
    assert sales.routing.table.rowCount() == 2

    qa = feedback_editor.open_editor(None, actors[Department.QA], fb.id)
    qtbot.addWidget(qa)
    click(qtbot, qa.routing.ack_button)
    lines = {r.department: (r.acknowledged_by, r.response) for r in Circulation.select()}
    assert lines == {"qa": (actors[Department.QA].username, ""), "technical": ("", "")}

    sales.reload()
    ensure_test_categories("thread")
    product = admin.add_product(Actor.system(), part_number="PN-77", name="Flange")
    click(qtbot, sales.qa_button)
    # The hand-over asks for what the complaint form needs, the description prefilled.
    handover = sales.handover
    qtbot.waitExposed(handover)
    assert handover.description.toPlainText() == fb.description
    handover.product.setCurrentIndex(handover.product.findData(product.id))
    handover.lot.setText("L-2611")
    handover.qty_affected.setText("many")
    handover.qty_delivered.setText("5000")
    handover.defect_category.setEditText("螺纹")  # any label of the category
    handover.description.setPlainText("Thread of the flange damaged")
    click(qtbot, handover.send_button)
    assert "whole number" in handover.fields.error_text("qty_affected")
    assert Complaint.select().count() == 0 and handover.isVisible()  # nothing typed is lost
    assert handover.lot.text() == "L-2611"
    handover.qty_affected.setText("40")
    click(qtbot, handover.send_button)
    complaint = Complaint.get()
    assert complaint.feedback_id == fb.id
    assert complaint.severity == "urgent"
    assert (complaint.product_id, complaint.lot, complaint.qty_affected) == (
        product.id,
        "L-2611",
        40,
    )
    assert (complaint.qty_delivered, complaint.defect_category) == (5000, "thread")
    assert complaint.description == "Thread of the flange damaged"
    assert not handover.isVisible()
    assert Feedback.get_by_id(fb.id).status == FeedbackStatus.COMPLAINT
    assert not sales.save_button.isEnabled()
    shoot(sales, tmp_path, "feedback_editor")


def test_survey_campaign_and_a_below_target_answer(qtbot, actors, customer_c100, tmp_path):
    sales = actors[Department.SALES]
    other = admin.add_customer(sales, code="D200", name="Kunde GmbH", language="de")
    dialog = survey_editor.open_editor(None, sales, None)
    qtbot.addWidget(dialog)
    dialog.quarter.clear()
    qtbot.keyClicks(dialog.quarter, "2026-Q5")
    dialog.all_customers.setChecked(True)
    click(qtbot, dialog.save_button)
    assert "is not a quarter" in dialog.fields.error_text("quarter")
    assert Survey.select().count() == 0
    dialog.quarter.clear()
    qtbot.keyClicks(dialog.quarter, "2026-Q3")
    click(qtbot, dialog.save_button)
    assert sorted(s.customer_id for s in Survey.select()) == sorted([customer_c100.id, other.id])

    survey = Survey.get(Survey.customer == other.id)
    editor = survey_editor.open_editor(None, sales, survey.id)
    qtbot.addWidget(editor)
    editor.sent_on.set_value(date(2026, 7, 3))
    editor.returned_on.set_value(date(2026, 7, 20))
    qtbot.keyClicks(editor.respondent, "Frau Schmidt")
    for item, value in {"quality": 5, "service": 4, "price": 4, "delivery": 2}.items():
        editor.scores[item].setValue(value)
    assert editor.overall.text().startswith("3.75")
    assert "below the target" in editor.overall.text()
    click(qtbot, editor.save_button)
    saved = Survey.get_by_id(survey.id)
    assert (saved.status, saved.respondent, saved.score_delivery) == (
        SurveyStatus.RETURNED,
        "Frau Schmidt",
        2,
    )
    linked = surveys.linked_feedback(survey.id)
    assert linked is not None and editor.feedback_label.text() == linked.number
    assert linked.number in editor.message_box.text()
    editor.message_box.close()
    editor.message_box = None
    click(qtbot, editor.save_button)  # saving again creates no second feedback
    assert Feedback.select().count() == 1
    assert editor.message_box is None  # and says nothing about one
    assert editor.results.table.rowCount() == 1
    shoot(editor, tmp_path, "survey_editor")

    editor.scores["quality"].setValue(6)  # the spin box stops at the top of the scale
    assert editor.scores["quality"].value() == 5

    results = survey_editor.SurveyResultsView(last_quarter="2026-Q4")
    qtbot.addWidget(results)
    assert results.quarters[-2:] == ["2026-Q3", "2026-Q4"]
    q3_column = 2 + results.quarters.index("2026-Q3")
    assert (results.cell_text(0, 0), results.cell_text(0, q3_column)) == ("D200", "3.75")
    assert results.table.item(0, q3_column).foreground().color().name() == "#b00020"
    results.last.setText("2026-Q9")
    assert not results.refresh()
    assert "is not a quarter" in results.error.text()
    results.last.setText("2026-Q4")
    assert results.refresh()
    results.resize(900, 700)
    shoot(results, tmp_path, "survey_results")

    # The customer's own survey was never returned: flagged once its quarter (2026-Q3) ended.
    late = survey_editor.open_editor(
        None, sales, Survey.get(Survey.customer == customer_c100.id).id
    )
    qtbot.addWidget(late)
    assert "not returned by the end of the quarter" in late.status.text()
    assert "not returned" not in editor.status.text()


def test_register_a_service_record(qtbot, actors, customer_c100, tmp_path):
    dialog = service_editor.open_editor(None, actors[Department.SALES], None)
    qtbot.addWidget(dialog)
    dialog.customer.set_customer(customer_c100.id)
    dialog.kind.setCurrentIndex(dialog.kind.findData("spare_parts"))
    assert not dialog.fields.form.isRowVisible(dialog.subject.parentWidget())
    qtbot.keyClicks(dialog.part_number, "SEAL-7")
    click(qtbot, dialog.save_button)
    assert "Quantity must be at least 1" in dialog.fields.error_text("quantity")
    dialog.quantity.setValue(12)
    qtbot.keyClicks(dialog.delivery_note, "DN-88001")
    click(qtbot, dialog.save_button)
    record = ServiceRecord.get()
    assert (record.kind, record.part_number, record.quantity, record.delivery_note) == (
        "spare_parts",
        "SEAL-7",
        12,
        "DN-88001",
    )
    shoot(dialog, tmp_path, "service_editor")


def test_save_as_writes_the_records_form(qtbot, actors, customer_c100, tmp_path, monkeypatch):
    from cqms_desktop.exports import forms
    from cqms_desktop.ui import print_preview

    visit = visits.record_visit(
        actors[Department.SALES],
        customer_id=customer_c100.id,
        visit_date=clock.today(),
        purpose="x",
    )
    dialog = visit_editor.open_editor(None, actors[Department.SALES], visit.id)
    qtbot.addWidget(dialog)

    target = tmp_path / "visit.pdf"
    calls = []

    def save_form_as(parent, kind, number):
        # Stands in for the language / format / file dialogs of the print-preview helper.
        calls.append((parent, kind, number))
        return forms.export_form(kind=kind, number=number, fmt="pdf", lang="en", output=target)

    monkeypatch.setattr(print_preview, "save_form_as", save_form_as)
    click(qtbot, dialog.export_button)
    assert calls == [(dialog, "visit", visit.number)]
    assert target.read_bytes().startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert visit.number in text


def test_visit_plan_matrix_highlights_this_months_customers(
    qtbot, actors, customer_c100, tmp_path, ops
):
    sales = actors[Department.SALES]
    visited = admin.add_customer(sales, code="A001", name="Visited Co.")
    today = clock.today()
    visits.record_visit(sales, customer_id=visited.id, visit_date=today, purpose="routine")
    view = VisitPlanView(today=today)
    qtbot.addWidget(view)
    view.resize(1100, 360)
    view.show()  # a view follows changes while it is shown
    ops()  # the plan is read on the database worker
    month_column = 3 + today.month - 1
    rows = {view.model.plan.rows[r].customer.code: r for r in range(len(view.model.plan.rows))}
    assert view.model.cell_state(rows["A001"], month_column) is CellState.VISITED
    assert view.model.is_highlighted(rows["C100"], month_column)
    brush = view.model.data(
        view.model.index(rows["C100"], month_column), Qt.ItemDataRole.BackgroundRole
    )
    assert brush.color().name() == HIGHLIGHT
    assert "C100" in view.todo.text() and "A001" not in view.todo.text()
    total = view.model.rowCount() - 1
    # The month in progress is shown as such, with what it has so far, not as a rate.
    assert view.model.data(view.model.index(total, month_column)) == "in progress"
    tip = view.model.data(view.model.index(total, month_column), Qt.ItemDataRole.ToolTipRole)
    assert "1 of 2 customers visited so far" in tip
    shoot(view, tmp_path, "visit_plan")
    # A visit saved elsewhere refreshes the matrix by itself.
    visits.record_visit(sales, customer_id=customer_c100.id, visit_date=today, purpose="late visit")
    qtbot.waitUntil(lambda: not view.model.is_highlighted(rows["C100"], month_column))
    assert view.model.cell_state(rows["C100"], month_column) is CellState.VISITED
    assert "Every active customer has been visited" in view.todo.text()
