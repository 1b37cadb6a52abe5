"""Every window fits a 1366×768 laptop screen at 100 % and 125 % scaling, its buttons always
visible; window and editor sizes are remembered per PC (only while they still fit)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QAbstractButton, QScrollArea, QWidget

from cqms_desktop.domain.enums import Department
from cqms_desktop.services.base import Actor
from cqms_desktop.ui import i18n, window_fit
from cqms_desktop.ui.admin.calendar_page import CalendarDayDialog
from cqms_desktop.ui.admin.customers import CustomerDialog
from cqms_desktop.ui.admin.defect_categories import DefectCategoryDialog
from cqms_desktop.ui.admin.products import ProductDialog
from cqms_desktop.ui.admin.users import UserDialog
from cqms_desktop.ui.batch_print import BatchPrintDialog
from cqms_desktop.ui.editors.complaints import ComplaintEditor
from cqms_desktop.ui.editors.feedback import FeedbackEditor
from cqms_desktop.ui.editors.service import ServiceEditor
from cqms_desktop.ui.editors.surveys import SurveyEditor
from cqms_desktop.ui.editors.visits import VisitEditor
from cqms_desktop.ui.first_run import FirstRunDialog
from cqms_desktop.ui.import_dialog import ImportDialog
from cqms_desktop.ui.login_dialog import LoginDialog
from cqms_desktop.ui.main_window import MainWindow
from cqms_desktop.ui.password_dialog import ChangePasswordDialog
from cqms_desktop.ui.print_preview import FormOptionsDialog
from cqms_desktop.ui.settings_dialog import SettingsDialog
from tests.gui.gui_data import make_actor

pytestmark = pytest.mark.gui

#: The available area of a 1366×768 screen less a 40 px task bar, at 100 % and at 125 %.
SCREENS = {
    "100%": QRect(0, 0, 1366, 728),
    "125%": QRect(0, 0, 1093, 582),
}


@pytest.fixture(params=sorted(SCREENS))
def screen_area(request, monkeypatch) -> QRect:
    """The screen every window sees: a small laptop's."""
    area = SCREENS[request.param]
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(area))
    return area


def _dialogs(database, admin: Actor) -> dict[str, Callable[[], QWidget]]:
    year = 2026
    return {
        "complaint editor": lambda: ComplaintEditor(admin, None),
        "visit editor": lambda: VisitEditor(admin, None),
        "feedback editor": lambda: FeedbackEditor(admin, None),
        "service editor": lambda: ServiceEditor(admin, None),
        "survey editor": lambda: SurveyEditor(admin, None),
        "settings": lambda: SettingsDialog(current_url=database.url),
        "login": lambda: LoginDialog(database),
        "first run": lambda: FirstRunDialog(),
        "import": lambda: ImportDialog(admin),
        "batch print": lambda: BatchPrintDialog("complaints", []),
        "password": lambda: ChangePasswordDialog(admin),
        "form options": lambda: FormOptionsDialog(
            None, title="CC-2026-0001", language="en", ask_format=True
        ),
        "user": lambda: UserDialog(admin, None),
        "customer": lambda: CustomerDialog(admin, None),
        "product": lambda: ProductDialog(admin, None),
        "defect category": lambda: DefectCategoryDialog(admin, None),
        "calendar day": lambda: CalendarDayDialog(admin, year),
    }


def assert_fits(window: QWidget, area: QRect) -> None:
    """The window with room for its frame lies inside *area*, and every button outside a
    scroll area is shown inside the window."""
    allowance = window_fit.FRAME_ALLOWANCE
    assert window.width() + allowance.width() <= area.width(), window.size()
    assert window.height() + allowance.height() <= area.height(), window.size()
    assert area.contains(window.frameGeometry()), window.frameGeometry()
    buttons = [
        button
        for button in window.findChildren(QAbstractButton)
        if button.isVisibleTo(window) and not _in_scroll_area(button, window)
    ]
    assert buttons or isinstance(window, MainWindow), "no buttons outside the scroll area"
    inside = window.rect()
    for button in buttons:
        if button.window() is not window:
            continue
        top_left = button.mapTo(window, button.rect().topLeft())
        assert inside.contains(QRect(top_left, button.size())), button.text()


def _in_scroll_area(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def test_every_dialog_fits_a_small_laptop_screen(qtbot, database, screen_area, ops):
    admin = make_actor(Department.QA, is_admin=True)
    for name, make in _dialogs(database, admin).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        try:
            assert_fits(dialog, screen_area)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc
        dialog.close()
    ops()


def test_the_main_window_fits_a_small_laptop_screen(qtbot, database, sample, screen_area, ops):
    window = MainWindow(make_actor(Department.QA, is_admin=True), database)
    window.remember_layout = False
    qtbot.addWidget(window)
    window.show()
    ops()
    assert_fits(window, screen_area)
    assert window.statusBar().isVisible()


def test_the_status_bar_counts_stay_whole_in_chinese_with_a_long_path(
    qtbot, database, sample, ops, monkeypatch
):
    area = SCREENS["125%"]
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(area))
    i18n.install_translators("zh_CN")  # removed again by the isolated_pc fixture
    far = dataclasses.replace(database, display="\\\\server\\" + "质量部共享" * 30)
    window = MainWindow(make_actor(Department.QA, is_admin=True), far)
    window.remember_layout = False
    qtbot.addWidget(window)
    window.show()
    ops()
    qtbot.waitUntil(lambda: window.work_label.width() > 20)  # the counts, laid out
    assert_fits(window, area)
    bar = window.statusBar().rect()
    for label in (window.work_label, window.deadline_label, window.user_label):
        assert label.text()
        assert label.width() >= label.sizeHint().width(), label.text()
        top_left = label.mapTo(window.statusBar(), label.rect().topLeft())
        assert bar.contains(QRect(top_left, label.size())), label.text()


def test_a_resized_editor_reopens_at_that_size(qtbot, database, monkeypatch):
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(SCREENS["100%"]))
    actor = make_actor(Department.QA)
    editor = ComplaintEditor(actor, None)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.size() == QSize(980, 728 - window_fit.FRAME_ALLOWANCE.height())
    editor.resize(900, 560)
    editor.close()
    again = ComplaintEditor(actor, None)
    qtbot.addWidget(again)
    assert again.size() == QSize(900, 560)
    # Another kind of editor keeps its own size.
    other = VisitEditor(actor, None)
    qtbot.addWidget(other)
    assert other.size() == QSize(760, 688)


def test_a_remembered_size_too_large_for_this_screen_is_not_restored(qtbot, database, monkeypatch):
    actor = make_actor(Department.QA)
    editor = ComplaintEditor(actor, None)
    qtbot.addWidget(editor)
    editor.show()
    editor.resize(1500, 1000)  # on a large monitor
    editor.close()
    assert window_fit.remembered_size("complaint_editor") == QSize(1500, 1000)
    small = SCREENS["125%"]
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(small))
    again = ComplaintEditor(actor, None)
    qtbot.addWidget(again)
    again.show()
    assert_fits(again, small)
