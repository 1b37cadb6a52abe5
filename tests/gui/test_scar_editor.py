"""Issue 13 item 1, the GUI: QA raises a SCAR from a complaint whose saved responsibility is
"Supplier" — the complaint editor's button, the SCAR editor, the list in the complaint; the
supplier's reply, the refusal of a verification by its recorder, and the closure."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.domain.enums import ScarStatus
from cqms_desktop.services import admin, suppliers
from cqms_desktop.services.base import Actor
from cqms_desktop.store.models import Scar
from cqms_desktop.ui.editors import complaints as editor_module
from tests.complaint_steps import bring_to, update
from tests.users import make_user

pytestmark = pytest.mark.gui


@pytest.fixture
def setup(actors):
    customer = admin.add_customer(Actor.system(), code="C200", name="上海汽车配件有限公司")
    product = admin.add_product(Actor.system(), part_number="PN-0815", name="Bracket")
    supplier = suppliers.add_supplier(
        Actor.system(), code="S-01", name="Ningbo Springs Co.", language="zh"
    )
    complaint = bring_to(S.INVESTIGATING, actors, customer, product)
    return complaint, supplier, make_user(D.QA, "qa_second")


def click(qtbot, widget) -> None:
    assert widget.isEnabled() and widget.isVisible(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))


def test_qa_raises_a_scar_from_a_supplier_complaint(qtbot, actors, setup, ops):
    complaint, supplier, qa2 = setup
    qa = actors[D.QA]
    editor = editor_module.open_editor(None, qa, complaint.id)
    qtbot.waitExposed(editor)
    assert not editor.raise_scar_button.isEnabled()  # responsibility not "Supplier" yet
    update(qa, complaint.id, responsibility="supplier")
    editor.reload()
    assert editor.raise_scar_button.isEnabled()
    sales_editor = editor_module.open_editor(None, actors[D.SALES], complaint.id)
    assert not sales_editor.raise_scar_button.isEnabled()
    sales_editor.close()

    click(qtbot, editor.raise_scar_button)
    dialog = editor.scar_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.part.text() == "PN-0815" and dialog.lot.text() == complaint.lot
    # No containment: refused at its field, nothing saved.
    dialog.supplier.setCurrentIndex(dialog.supplier.findData(supplier.id))
    click(qtbot, dialog.raise_button)
    assert "Containment" in dialog.fields.error_text("containment")
    assert not Scar.select().exists()
    dialog.containment.setPlainText("Sort all stock; ship 100 % checked springs.")
    click(qtbot, dialog.raise_button)
    scar = Scar.get()
    assert scar.number.startswith("SC-") and scar.status == ScarStatus.AWAITING_REPLY.value
    assert editor.scars_table.rowCount() == 1
    assert editor.scars_table.item(0, 0).text() == scar.number
    assert dialog.reply_button.isVisible() and not dialog.raise_button.isVisible()

    dialog.root_cause.setPlainText("Heat treatment too short")
    dialog.corrective_action.setPlainText("New furnace profile")
    click(qtbot, dialog.reply_button)
    assert Scar.get_by_id(scar.id).status == ScarStatus.REPLIED.value
    dialog.verification_result.setPlainText("Three lots at 15 N")
    click(qtbot, dialog.effective_button)  # the recorder of the reply: refused
    assert "recorded the supplier's reply" in dialog.fields.error_text("verified_by")
    dialog.reject()

    other = editor_module.open_editor(None, qa2, complaint.id)
    other_dialog = other.open_scar(0)
    assert other_dialog is not None
    other_dialog.verification_result.setPlainText("Three lots at 15 N")
    click(qtbot, other_dialog.effective_button)
    click(qtbot, other_dialog.close_scar_button)
    assert Scar.get_by_id(scar.id).status == ScarStatus.CLOSED.value
    other_dialog.reject()
    other.close()
    editor.close()


def test_the_scar_register_filters_replies_overdue(qtbot, actors, setup, ops):
    from datetime import timedelta

    from cqms_desktop.services import scars
    from cqms_desktop.ui.scar_register import ScarRegisterPage

    complaint, supplier, _qa2 = setup
    qa = actors[D.QA]
    update(qa, complaint.id, responsibility="supplier")
    values = dict(complaint_id=complaint.id, supplier_id=supplier.id, defect="d", containment="c")
    late = scars.raise_scar(qa, **values)
    scars.raise_scar(qa, **values)
    with Scar._meta.database.atomic():
        day = scars.company_today_now() - timedelta(days=1)
        Scar.update(reply_due=day).where(Scar.id == late.id).execute()
    page = ScarRegisterPage(qa)
    qtbot.addWidget(page)
    page.show()
    ops()
    assert page.view.model.totalCount() == 2
    assert page.view.filter_bar.overdue is not None
    page.view.filter_bar.overdue.setChecked(True)
    ops()
    assert page.view.model.totalCount() == 1
    dialog = page.open_scar(late.id)
    assert "reply overdue" in dialog.state_label.text()
    dialog.reject()


def test_the_scar_editor_saves_the_form_in_the_suppliers_language(
    qtbot, actors, setup, ops, tmp_path, monkeypatch
):
    from cqms_desktop.services import scars
    from cqms_desktop.ui import print_preview
    from cqms_desktop.ui.scar_dialog import ScarDialog

    complaint, supplier, _qa2 = setup
    qa = actors[D.QA]
    update(qa, complaint.id, responsibility="supplier")
    scar = scars.raise_scar(
        qa, complaint_id=complaint.id, supplier_id=supplier.id, defect="d", containment="c"
    )
    offered: list[str] = []

    def ask(_parent, kind, number, ask_format):
        from cqms_desktop.exports.forms import default_language

        offered.append(default_language(kind=kind, number=number))
        return "zh", "pdf"

    monkeypatch.setattr(print_preview, "_ask", ask)
    target = tmp_path / "scar.pdf"
    monkeypatch.setattr(print_preview, "ask_form_path", lambda *_a, **_k: target)
    monkeypatch.setattr(print_preview, "confirm_saved", lambda _p, path: path)
    dialog = ScarDialog(qa, scar_id=scar.id)
    qtbot.addWidget(dialog)
    assert dialog.save_form() == target
    assert offered == ["zh"] and target.read_bytes().startswith(b"%PDF")
