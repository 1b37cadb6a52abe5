"""Administration: users, customers, products, departments, defect categories and business
settings."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from cqms_desktop.domain.enums import Department
from cqms_desktop.services import admin
from cqms_desktop.store import settings as settings_store
from cqms_desktop.store.models import AuditLog, Customer, DefectCategory, Product, User
from cqms_desktop.store.models import Department as DepartmentRow
from cqms_desktop.ui.admin import AdminArea
from cqms_desktop.ui.admin.departments import DEPARTMENTS
from cqms_desktop.ui.register_model import RegisterModel
from tests.gui.gui_data import make_actor

pytestmark = pytest.mark.gui


@pytest.fixture
def boss(database):
    """An administrator."""
    return make_actor(Department.ADMINISTRATION, is_admin=True, name="boss")


@pytest.fixture
def area(qtbot, boss, ops):
    """The administration tab for *boss*, its lists read."""
    widget = AdminArea(boss)
    qtbot.addWidget(widget)
    widget.show()
    ops()
    return widget


def test_the_departments_register_passes_qt_model_checks(qtmodeltester, database, ops):
    model = RegisterModel(DEPARTMENTS, page_size=4)
    qtmodeltester.check(model)
    ops()  # rows are read on the database worker
    assert model.totalCount() == 6
    col = model.columnOfKey("code")
    shown = {model.data(model.index(r, col)) for r in range(model.rowCount())}
    model.fetchMore()
    ops()
    shown |= {model.data(model.index(r, col)) for r in range(4, model.rowCount())}
    assert "Quality Assurance Department" in shown and "General Manager" in shown


def test_an_administrator_creates_a_user(qtbot, area, ops):
    page = area.users
    assert page.view.model.totalCount() == 1
    dialog = page.edit(None)
    dialog.username.setText("zhang.san")
    dialog.full_name.setText("张三")
    dialog.department.setCurrentIndex(dialog.department.findData("sales"))
    dialog.password.setText("long-enough-1")
    dialog.repeat.setText("long-enough-1")
    assert dialog.try_save()
    user = User.get(User.username == "zhang.san")
    assert (user.full_name, user.department, user.is_admin) == ("张三", "sales", False)
    ops()  # the list re-reads after the change
    assert page.view.model.totalCount() == 2
    assert page.view.count_label.text() == "2 records"


def test_a_refused_field_is_shown_next_to_it_and_nothing_is_saved(qtbot, area):
    dialog = area.users.edit(None)
    dialog.username.setText("li.si")
    dialog.full_name.setText("   ")
    dialog.password.setText("long-enough-1")
    dialog.repeat.setText("long-enough-1")
    assert not dialog.try_save()
    assert dialog.fields.error_text("full_name") == "Full name is required."
    assert dialog.fields.error_text("username") == ""
    assert dialog.isVisible()  # the dialog stays open with what was typed
    assert not User.select().where(User.username == "li.si").exists()
    # Two different passwords are refused at the repeat field.
    dialog.full_name.setText("李四")
    dialog.repeat.setText("something-else")
    assert not dialog.try_save()
    assert dialog.fields.error_text("full_name") == ""
    assert "not the same" in dialog.fields.error_text("repeat")
    # A taken user name is refused at the user name.
    dialog.username.setText("boss")
    dialog.repeat.setText("long-enough-1")
    assert not dialog.try_save()
    assert "taken" in dialog.fields.error_text("username")


def test_editing_a_user_saves_only_what_changed_and_sets_a_password(qtbot, area, boss, ops):
    target = make_actor(Department.QA, name="wang.wu")
    area.users.view.refresh()
    ops()
    row = area.users.view.model.rowOfId(target.user_id)
    assert row >= 0
    dialog = area.users.view.open_record(target.user_id)
    assert dialog.username.isReadOnly()
    dialog.email.setText("wang.wu@example.com")
    assert dialog.try_save()
    user = User.get_by_id(target.user_id)
    assert (user.email, user.version) == ("wang.wu@example.com", 2)
    changed = AuditLog.select().where(
        (AuditLog.table_name == "user") & (AuditLog.record_id == user.id)
    )
    assert {r.field for r in changed if r.action == "update"} == {"email"}
    dialog = area.users.edit(target.user_id)
    pw = dialog.change_password()
    pw.password.setText("brand-new-secret")
    pw.repeat.setText("brand-new-secret")
    assert pw.try_save()
    from cqms_desktop.services import auth

    assert auth.login("wang.wu", "brand-new-secret").username == "wang.wu"


def test_a_stale_save_is_refused_with_a_message_naming_who(qtbot, area, boss):
    customer = admin.add_customer(boss, code="C100", name="Alpha 有限公司")
    dialog = area.customers.edit(customer.id)
    # Meanwhile somebody else saves the same customer.
    other = make_actor(Department.SALES, name="sales.li")
    admin.update_customer(other, customer_id=customer.id, version=1, name="Alpha AG")
    dialog.name.setText("Alpha GmbH")
    assert not dialog.try_save()
    box = dialog.fields.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "sales.li" in box.text()
    assert Customer.get_by_id(customer.id).name == "Alpha AG"  # nothing overwritten
    box.close()


def test_an_administrator_creates_and_edits_a_customer(qtbot, area, boss, ops):
    rep = make_actor(Department.SALES, name="sales.zhao")
    dialog = area.customers.edit(None)
    dialog.code.setText("C200")
    dialog.name.setText("宁波汽车零部件有限公司")
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    index = dialog.sales_rep.findData(rep.user_id)
    assert index > 0
    dialog.sales_rep.setCurrentIndex(index)
    dialog.contacts.setPlainText("Frau Müller, QA")
    assert dialog.try_save()
    customer = Customer.get(Customer.code == "C200")
    assert (customer.language, customer.sales_rep_id) == ("de", rep.user_id)
    view = area.customers.view
    ops()  # the list re-reads after the save
    row = view.model.rowOfId(customer.id)
    assert view.model.data(view.model.index(row, view.model.columnOfKey("language"))) == "German"
    dialog = area.customers.edit(customer.id)
    dialog.code.setText("bad code!")
    assert not dialog.try_save()
    assert dialog.fields.error_text("code")
    dialog.code.setText("C200")
    dialog.active.setChecked(False)
    assert dialog.try_save()
    assert Customer.get_by_id(customer.id).active is False


def test_products_and_departments(qtbot, area):
    dialog = area.products.edit(None)
    dialog.part_number.setText("PN-900")
    dialog.name.setText("Flange 法兰")
    assert dialog.try_save()
    assert Product.get(Product.part_number == "PN-900").name == "Flange 法兰"
    dialog = area.products.edit(None)
    dialog.part_number.setText("PN-900")
    dialog.name.setText("Duplicate")
    assert not dialog.try_save()
    assert "already in use" in dialog.fields.error_text("part_number")

    assert not area.departments.view.new_action.isEnabled()
    qa = DepartmentRow.get(DepartmentRow.code == "qa")
    dialog = area.departments.edit(qa.id)
    dialog.name.setText("质保部")
    dialog.email.setText("qa@example.com")
    assert dialog.try_save()
    assert DepartmentRow.get_by_id(qa.id).name == "质保部"


def test_the_defect_category_list(qtbot, area):
    dialog = area.defect_categories.edit(None)
    dialog.code.setText("thread")
    dialog.label_zh.setText("螺纹")
    dialog.label_en.setText("Thread")
    dialog.label_de.setText("Gewinde")
    assert dialog.try_save()
    thread = DefectCategory.get(DefectCategory.code == "thread")
    assert (thread.label_zh, thread.label_en, thread.label_de) == ("螺纹", "Thread", "Gewinde")
    dialog = area.defect_categories.edit(None)
    dialog.code.setText("THR")
    dialog.label_en.setText("thread")  # the English label of "thread", without capitals
    assert not dialog.try_save()
    assert "already names the defect category “thread”" in dialog.fields.error_text("label_en")
    assert dialog.isVisible() and dialog.code.text() == "THR"  # nothing typed is lost
    dialog.reject()
    dialog = area.defect_categories.edit(thread.id)
    dialog.active.setChecked(False)
    assert dialog.try_save()
    assert DefectCategory.get_by_id(thread.id).active is False
    dialog = area.defect_categories.edit(thread.id)
    assert dialog.try_delete()
    assert DefectCategory.select().count() == 0


def test_business_settings_are_saved_in_the_database(qtbot, area):
    page = area.settings
    page.widget("company_name").setText("宁波精密冲压有限公司")
    page.widget("deadline_urgent_days").setValue(3)
    page.widget("form_code_complaint").setText("QR-0701-04X")
    page.widget("form_revision_complaint").setText("B/1")
    page.widget("survey_target").setValue(4.2)
    assert page.save()
    stored = settings_store.get_all()
    assert stored["company_name"] == "宁波精密冲压有限公司"
    assert stored["deadline_urgent_days"] == 3
    assert (stored["form_code_complaint"], stored["form_revision_complaint"]) == (
        "QR-0701-04X",
        "B/1",
    )
    assert stored["survey_target"] == 4.2
    assert "Saved" in page.status.text()
    audited = AuditLog.select().where(AuditLog.table_name == "setting")
    assert {r.field for r in audited} >= {"company_name", "deadline_urgent_days"}


def test_bad_settings_are_refused_next_to_their_field(qtbot, area):
    page = area.settings
    page.widget("company_name").setText("Old Co")
    assert page.save()
    page.widget("company_name").setText("")
    page.widget("form_code_visit").setText("QR-NEW")
    assert not page.save()
    assert page.error_text("company_name") == "Company name is required."
    assert settings_store.get("form_code_visit") == "QR-0701-01"  # nothing half-saved
    page.widget("company_name").setText("Old Co")
    page.widget("form_revision_survey").setText("")
    assert not page.save()
    assert "is required" in page.error_text("form_revision_survey")
    assert "Customer Satisfaction Survey" in page.error_text("form_revision_survey")
    page.load()
    page.widget("survey_scale_min").setValue(5)
    page.widget("survey_scale_max").setValue(5)
    assert not page.save()
    assert page.error_text("survey_scale_max")


def test_settings_changed_elsewhere_are_reloaded(qtbot, database, boss):
    from cqms_desktop.ui.main_window import MainWindow

    window = MainWindow(boss, database)
    window.remember_layout = False
    qtbot.addWidget(window)
    window.show()  # a window follows changes while it is shown
    admin.update_settings(boss, {"company_name": "Elsewhere Ltd"})
    page = window.admin.settings
    qtbot.waitUntil(lambda: page.widget("company_name").text() == "Elsewhere Ltd", timeout=2000)
    assert window.windowTitle() == "Elsewhere Ltd — CQMS Desktop"


def test_the_settings_page_shows_every_registry_entry_with_its_range(qtbot, area):
    from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QLineEdit, QSpinBox

    from cqms_desktop.domain.settings import SETTINGS, SettingType

    page = area.settings
    assert list(page.editors) == [spec.key for spec in SETTINGS]
    for spec in SETTINGS:
        widget = page.widget(spec.key)
        assert widget.toolTip().startswith(spec.help), spec.key
        if spec.type == SettingType.INTEGER:
            assert isinstance(widget, QSpinBox)
            assert (widget.minimum(), widget.maximum()) == (spec.minimum, spec.maximum)
            assert widget.suffix() == spec.unit
            assert f"Allowed: {int(spec.minimum)} to {int(spec.maximum)}" in widget.toolTip()
        elif spec.type == SettingType.DECIMAL:
            assert isinstance(widget, QDoubleSpinBox)
            assert (widget.minimum(), widget.maximum()) == (spec.minimum, spec.maximum)
            assert widget.decimals() == spec.decimals
        elif spec.type == SettingType.FLAG:
            assert isinstance(widget, QCheckBox) and widget.text() == spec.label
        elif spec.type == SettingType.WEIGHTS:
            spins = page.editors[spec.key].parts
            assert list(spins) == list(spec.parts)
            assert all((s.minimum(), s.maximum()) == (0, 10) for s in spins.values())
        else:
            assert isinstance(widget, QLineEdit)
            assert widget.maxLength() == spec.max_length
        # Every row carries its label (a check box its own text).
        if spec.type != SettingType.FLAG:
            form = next(f for f in page.groups.values() if spec.key in f.widgets)
            assert form.labels[spec.key] == spec.label


def test_the_page_shows_the_service_s_cross_field_refusals_next_to_the_field(qtbot, area):
    page = area.settings
    page.widget("company_name").setText("ACME")
    page.widget("survey_scale_min").setValue(9)
    page.widget("survey_scale_max").setValue(3)
    assert not page.save()
    assert page.error_text("survey_scale_max").startswith("Survey scale to (3) must be above")
    assert settings_store.get("company_name") == ""  # nothing saved half
    page.load()
    for spin in page.editors["survey_weights"].parts.values():
        spin.setValue(0)
    assert not page.save()
    assert "at least one weight" in page.error_text("survey_weights")


def test_the_administrator_asks_for_a_new_password_at_the_next_log_in(qtbot, area, ops):
    from cqms_desktop.services import auth

    dialog = area.users.edit(None)
    assert dialog.must_change.isChecked()  # the administrator chose this password
    dialog.username.setText("zhao.liu")
    dialog.full_name.setText("赵六")
    dialog.password.setText("long-enough-1")
    dialog.repeat.setText("long-enough-1")
    assert dialog.try_save()
    assert User.get(User.username == "zhao.liu").must_change_password
    user = User.get(User.username == "zhao.liu")
    ops()
    dialog = area.users.edit(user.id)
    assert dialog.must_change.isChecked()
    dialog.must_change.setChecked(False)
    assert dialog.try_save()
    assert not User.get_by_id(user.id).must_change_password
    # A reset by the administrator asks again, unless the box is cleared.
    dialog = area.users.edit(user.id)
    pw = dialog.change_password()
    assert pw.must_change.isChecked()
    pw.password.setText("brand-new-secret")
    pw.repeat.setText("brand-new-secret")
    assert pw.try_save()
    assert auth.login("zhao.liu", "brand-new-secret").must_change_password
    pw = area.users.edit(user.id).change_password()
    pw.password.setText("another-new-secret")
    pw.repeat.setText("another-new-secret")
    pw.must_change.setChecked(False)
    assert pw.try_save()
    assert not auth.login("zhao.liu", "another-new-secret").must_change_password


def test_the_supplier_list(qtbot, area, ops):
    from cqms_desktop.store.models import Supplier

    dialog = area.suppliers.edit(None)
    dialog.code.setText("S-01")
    dialog.name.setText("Stuttgart Federn GmbH")
    dialog.contacts.setPlainText("Hr. Maier, QS")
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    assert dialog.try_save()
    found = Supplier.get(Supplier.code == "S-01")
    assert (found.name, found.language, found.active) == ("Stuttgart Federn GmbH", "de", True)
    dialog = area.suppliers.edit(None)
    dialog.code.setText("s-01")
    dialog.name.setText("Copy")
    assert not dialog.try_save()
    assert "already in use" in dialog.fields.error_text("code")
    dialog.reject()
    ops()
    assert area.suppliers.view.model.totalCount() == 1
    dialog = area.suppliers.edit(found.id)
    dialog.active.setChecked(False)
    assert dialog.try_save()
    assert Supplier.get_by_id(found.id).active is False
    dialog = area.suppliers.edit(found.id)
    assert dialog.try_delete()
    assert Supplier.select().count() == 0
