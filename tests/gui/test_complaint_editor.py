"""The Complaint editor, driven by clicking its real widgets as the users of each department:
Sales registers, QA investigates and decides, Manufacturing carries out, a second QA user
verifies, Sales communicates, the General Manager approves and closes; refusals show in the
message bar naming the field and save nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPlainTextEdit, QPushButton, QWidget

from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.services import admin
from cqms_desktop.services import complaints as svc
from cqms_desktop.services.base import Actor
from cqms_desktop.services.complaint_queries import history
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.db import write_transaction
from cqms_desktop.store.models import Attachment, AuditLog, Complaint
from cqms_desktop.ui.editors import complaints as editor_module
from tests.complaint_steps import bring_to
from tests.users import make_user

pytestmark = pytest.mark.gui


@pytest.fixture
def people(actors):
    """One user per department, a second QA user, a customer and a product."""
    admin.add_customer(Actor.system(), code="C200", name="上海汽车配件有限公司", language="zh")
    admin.add_product(Actor.system(), part_number="PN-0815", name="Bracket")
    return {**actors, "qa2": make_user(D.QA, "qa_second")}


def open_as(qtbot, actor, record_id):
    editor = editor_module.open_editor(None, actor, record_id)
    qtbot.waitExposed(editor)
    editor.activateWindow()  # its keyboard shortcuts work in the active window
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))


def type_into(qtbot, editor, name: str, text: str) -> None:
    widget = editor.widgets.get(name) or editor.findChild(QWidget, name)
    if hasattr(widget, "edit"):  # the date/time inputs wrap a line edit
        widget = widget.edit
    widget.setFocus()
    if isinstance(widget, QPlainTextEdit):
        widget.clear()
    else:
        widget.selectAll()
    typed = text.encode("ascii", "ignore").decode()
    qtbot.keyClicks(widget, typed)  # QTest types only what a keyboard has keys for
    rest = text[len(typed) :] if text.startswith(typed) else ""
    if rest:  # what an input method would enter (Chinese)
        if isinstance(widget, QPlainTextEdit):
            widget.insertPlainText(rest)
        else:
            widget.insert(rest)


def choose(editor, name: str, data) -> None:
    combo = editor.findChild(QComboBox, name)
    index = combo.findData(data)
    assert index >= 0, (name, data)
    combo.setCurrentIndex(index)


def step_button(editor, code: str) -> QPushButton:
    button = editor.step_buttons.get(code)
    assert button is not None, f"no button for {code}; offered: {sorted(editor.step_buttons)}"
    assert button.isVisible() and button.objectName() == f"step_{code}"
    return button


def message(editor) -> str:
    label = editor.findChild(QLabel, "errorLabel")
    return label.text() if label.isVisible() else ""


def finish(editor) -> None:
    assert editor.pending_changes() == {}
    editor.close()


def test_complaint_walks_through_every_department(qtbot, people, tmp_path):
    sales, qa, qa2 = people[D.SALES], people[D.QA], people["qa2"]
    mfg, gm = people[D.MANUFACTURING], people[D.GENERAL_MANAGER]

    # ---- Sales registers; a non-numeric quantity is refused naming the field.
    ed = open_as(qtbot, sales, None)
    assert ed.step_buttons == {}
    assert not ed.findChild(QPushButton, "step_start_investigation").isVisible()
    type_into(qtbot, ed, "description", "Bracket cracked at the bend 折弯处开裂")
    type_into(qtbot, ed, "lot", "L-77")
    type_into(qtbot, ed, "qty_affected", "many")
    type_into(qtbot, ed, "qty_delivered", "400")
    choose(ed, "severity", "urgent")
    click(qtbot, ed.save_button)
    assert "Quantity affected" in message(ed)
    assert Complaint.select().count() == 0
    type_into(qtbot, ed, "qty_affected", "12")
    type_into(qtbot, ed, "defect_category", "crack")
    click(qtbot, ed.save_button)
    assert message(ed) == ""
    complaint = Complaint.get_by_id(ed.record_id)
    assert complaint.number.startswith("CC-") and complaint.severity == "urgent"
    assert complaint.qty_affected == 12 and complaint.status == "registered"
    assert ed.windowTitle().endswith(complaint.number)
    # The complaint can carry the customer's photo at once.
    photo = tmp_path / "crack.png"
    photo.write_bytes(b"\x89PNG fake")
    ed.add_attachments([str(photo)])
    assert ed.attachments.count() == 1
    finish(ed)

    # ---- QA investigates and feeds the preliminary plan back; missing plan is named.
    ed = open_as(qtbot, qa, complaint.id)
    assert sorted(ed.step_buttons) == ["start_investigation"]
    assert ed.widgets["lot"].isReadOnly()
    click(qtbot, step_button(ed, "start_investigation"))
    assert Complaint.get_by_id(complaint.id).status == "investigating"
    type_into(qtbot, ed, "investigation", "Bend radius too small after die change")
    type_into(qtbot, ed, "cause", "Worn bending die")
    choose(ed, "responsibility", "company")
    assert "Investigation and analysis is required" in step_button(ed, "feed_back_plan").toolTip()
    click(qtbot, step_button(ed, "feed_back_plan"))
    assert "Preliminary improvement plan" in message(ed)
    assert Complaint.get_by_id(complaint.id).status == "investigating"
    type_into(qtbot, ed, "preliminary_plan", "Sort stock; 100 % visual check of the bend")
    type_into(qtbot, ed, "fg_checked", "800")
    type_into(qtbot, ed, "fg_nonconforming", "9")
    click(qtbot, step_button(ed, "feed_back_plan"))
    assert message(ed) == ""
    complaint = Complaint.get_by_id(complaint.id)
    assert complaint.status == "countermeasures" and complaint.handled_at is not None
    assert complaint.fg_nonconforming == 9
    # Long-term countermeasure for Manufacturing.
    choose(ed, "newActionType", "mould_equipment")
    choose(ed, "newActionDepartment", "manufacturing")
    choose(ed, "newActionOwner", mfg.user_id)
    type_into(qtbot, ed, "newActionDescription", "Replace the bending die; die life counter")
    click(qtbot, ed.add_action_button)
    assert ed.actions_table.rowCount() == 1
    # Releasing before the action is verified is refused.
    click(qtbot, step_button(ed, "release_to_sales"))
    assert "not been verified" in message(ed)
    finish(ed)

    # ---- Manufacturing records what it did.
    ed = open_as(qtbot, mfg, complaint.id)
    assert ed.step_buttons == {}
    assert not ed.add_action_row.isVisible()
    ed.select_action_row(0)
    type_into(qtbot, ed, "executionNote", "New die installed, counter set to 50 000 strokes")
    click(qtbot, ed.execute_button)
    assert message(ed) == ""
    assert "Carried out" in ed.actions_table.item(0, 5).text()
    assert not ed.verify_button.isEnabled()
    finish(ed)

    # ---- A QA user verifies (the owner is in Manufacturing) and releases to Sales.
    ed = open_as(qtbot, qa2, complaint.id)
    ed.select_action_row(0)
    click(qtbot, ed.verify_button)  # no result typed yet
    assert "Verification result" in message(ed)
    ed.select_action_row(0)
    type_into(qtbot, ed, "verificationResult", "Three lots without cracks")
    click(qtbot, ed.verify_button)
    assert message(ed) == ""
    assert "Verified" in ed.actions_table.item(0, 5).text()
    click(qtbot, step_button(ed, "release_to_sales"))
    assert Complaint.get_by_id(complaint.id).status == "customer_notice"
    finish(ed)

    # ---- Sales tells the customer and records the answer.
    ed = open_as(qtbot, sales, complaint.id)
    assert sorted(ed.step_buttons) == ["customer_accepted", "customer_rejected"]
    click(qtbot, ed.widgets["oral_notice_at"].now_button)
    type_into(qtbot, ed, "oral_notice_by", "Zhang (Sales)")
    type_into(qtbot, ed, "oral_notice_to", "Mr Li, incoming inspection")
    click(qtbot, step_button(ed, "customer_accepted"))  # the copy is not recorded yet
    assert "Copy sent: when" in message(ed)
    click(qtbot, ed.widgets["copy_sent_at"].now_button)
    type_into(qtbot, ed, "copy_sent_via", "e-mail")
    type_into(qtbot, ed, "copy_sent_to", "li@customer.example")
    click(qtbot, step_button(ed, "customer_accepted"))
    assert message(ed) == ""
    assert Complaint.get_by_id(complaint.id).status == "awaiting_approval"
    assert ed.responses_table.rowCount() == 1
    finish(ed)

    # ---- The General Manager approves and closes; then everything is read-only.
    ed = open_as(qtbot, gm, complaint.id)
    assert sorted(ed.step_buttons) == ["approve_close"]
    click(qtbot, step_button(ed, "approve_close"))
    complaint = Complaint.get_by_id(complaint.id)
    assert complaint.status == "closed" and complaint.approved_by == gm.username
    assert sorted(ed.step_buttons) == ["reopen"]
    assert gm.username in ed.findChild(QLabel, "approvedLabel").text()
    assert all(
        w.isReadOnly() if hasattr(w, "isReadOnly") else not w.isEnabled()
        for w in ed.widgets.values()
    )
    assert not ed.save_button.isEnabled()
    # The history tab shows the record's audit rows, in the users' words.
    history = ed.history
    assert history.row_count() == len(complaint_history(complaint.id))
    texts = {history.cell_text(r, 6) for r in range(history.row_count())}
    assert {"Closed", "Awaiting approval", "Verified"} <= texts
    finish(ed)

    # ---- QA sees a closed complaint read-only, with no step to take.
    ed = open_as(qtbot, qa, complaint.id)
    assert ed.step_buttons == {}
    assert "read-only" in ed.steps_hint.text()
    assert not ed.attachments.drops_allowed
    finish(ed)
    assert Attachment.select().count() == 1


def complaint_history(complaint_id: int) -> list[AuditLog]:
    rows = history(complaint_id)
    assert {r.table_name for r in rows} >= {"complaint", "corrective_action", "attachment"}
    return rows


def test_refusal_and_reopen_loops_in_the_editor(qtbot, people):
    customer = admin.add_customer(Actor.system(), code="C201", name="Kunde AG")
    product = admin.add_product(Actor.system(), part_number="PN-1", name="Pin")
    sales, gm = people[D.SALES], people[D.GENERAL_MANAGER]
    c = bring_to(S.CUSTOMER_NOTICE, people, customer, product)
    ed = open_as(qtbot, sales, c.id)
    click(qtbot, ed.widgets["oral_notice_at"].now_button)
    type_into(qtbot, ed, "oral_notice_to", "Frau Schmidt")
    click(qtbot, step_button(ed, "customer_rejected"))  # no reason given
    assert "Reason" in message(ed)
    assert Complaint.get_by_id(c.id).status == "customer_notice"
    type_into(qtbot, ed, "rejectionReason", "Wants a 8D report first")
    click(qtbot, step_button(ed, "customer_rejected"))
    assert Complaint.get_by_id(c.id).status == "investigating"
    assert "Not accepted" in ed.responses_table.item(0, 1).text()
    finish(ed)

    closed = bring_to(S.CLOSED, people, customer, product)
    ed = open_as(qtbot, gm, closed.id)
    click(qtbot, step_button(ed, "reopen"))
    assert "Reason" in message(ed)
    type_into(qtbot, ed, "reopenReasonInput", "Customer found more cracks")
    click(qtbot, step_button(ed, "reopen"))
    assert Complaint.get_by_id(closed.id).status == "investigating"
    assert "more cracks" in ed.reopen_label.text()
    finish(ed)


def drop_files(widget, paths) -> None:
    """Drop files from the desktop onto *widget* (a list view: its viewport gets the drop)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    target = widget.viewport()
    pos = QPointF(10, 10)
    enter = QDragEnterEvent(
        pos.toPoint(),  # QDragEnterEvent takes a QPoint, QDropEvent a QPointF
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)


def test_drop_attachments_keyboard_save_conflict_and_form_export(qtbot, people, tmp_path):
    customer = admin.add_customer(Actor.system(), code="C202", name="Dupont SA", language="en")
    product = admin.add_product(Actor.system(), part_number="PN-2", name="Clip")
    sales = people[D.SALES]
    c = bring_to(S.REGISTERED, people, customer, product)
    ed = open_as(qtbot, sales, c.id)

    photo, mail = tmp_path / "defect.jpg", tmp_path / "customer mail.eml"
    photo.write_bytes(b"\xff\xd8 photo")
    mail.write_text("From: qa@dupont.example", encoding="utf-8")
    drop_files(ed.attachments, [photo, mail])
    assert ed.attachments.count() == 2
    assert "customer mail.eml" in ed.attachments.item(1).text()
    set_setting("attachment_max_mb", 1)
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\0" * (1024 * 1024 + 1))
    drop_files(ed.attachments, [big])
    assert "video.mp4" in message(ed) and "1.1 MB" in message(ed)
    assert ed.attachments.count() == 2

    # Ctrl+S saves the section the user may edit.
    type_into(qtbot, ed, "lot", "LOT-9")
    qtbot.keyClick(ed.widgets["lot"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert Complaint.get_by_id(c.id).lot == "LOT-9"
    assert ed.pending_changes() == {}

    # Someone else saves meanwhile: the second save is refused, naming who, nothing lost.
    other = make_user(D.SALES, "sales_colleague")
    fresh = Complaint.get_by_id(c.id)
    svc.update_complaint(
        other, complaint_id=c.id, version=fresh.version, customer_request="Credit note"
    )
    type_into(qtbot, ed, "lot", "LOT-10")
    click(qtbot, ed.save_button)
    assert "sales_colleague" in message(ed)
    assert Complaint.get_by_id(c.id).lot == "LOT-9"
    ed.reload()

    # The form in the customer's language (English), written where the user chose.
    assert ed.form_language.currentData() == "en"
    pdf = ed.export_form(tmp_path / "form.pdf", "pdf")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    # The same complaint as an 8D report, chosen beside the language.
    ed.form_kind.setCurrentIndex(ed.form_kind.findData("8d"))
    report = ed.export_form(tmp_path / "8d.xlsx", "xlsx")
    import openpyxl

    cells = [
        v
        for row in openpyxl.load_workbook(report).active.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str)
    ]
    assert any("D4" in v for v in cells) and any(c.number in v for v in cells)

    # Ctrl+N opens an empty editor for the next complaint.
    ed.activateWindow()
    qtbot.waitUntil(ed.isActiveWindow)
    qtbot.keyClick(ed.widgets["lot"], Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    new = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, editor_module.ComplaintEditor) and w.record_id is None and w.isVisible()
    ]
    assert len(new) == 1 and new[0].windowTitle() == "New complaint"
    new[0].close()
    finish(ed)


def set_setting(key: str, value) -> None:
    with write_transaction():
        settings_store.put(key, value)


def test_history_view_reads_like_the_form(qtbot, people):
    from cqms_desktop.ui.history_view import HistoryView

    customer = admin.add_customer(Actor.system(), code="C300", name="Alpha", language="de")
    product = admin.add_product(Actor.system(), part_number="PN-3", name="Gear")
    c = bring_to(S.INVESTIGATING, people, customer, product)
    view = HistoryView()
    qtbot.addWidget(view)
    view.show_record("complaint", c.id)
    rows = {
        (view.cell_text(r, 3), view.cell_text(r, 4)): (view.cell_text(r, 5), view.cell_text(r, 6))
        for r in range(view.row_count())
    }
    assert rows[("created", "Customer")] == ("", "C300")  # the code, not the row id
    assert rows[("created", "Severity")] == ("", "Urgent")
    assert rows[("changed", "Status")] == ("Registered", "Investigating")
    qa, sales = people[D.QA], people[D.SALES]
    assert rows[("changed", "QA owner")] == ("", f"{qa.full_name} ({qa.username})")
    assert {view.cell_text(r, 1) for r in range(view.row_count())} == {
        f"{sales.full_name} ({sales.username})",
        f"{qa.full_name} ({qa.username})",
    }
    assert {view.cell_text(r, 2) for r in range(view.row_count())} == {f"Complaint {c.number}"}
    view.set_rows([])
    assert view.row_count() == 0
