"""One change bridge, owned by the application: views follow it while shown, never after close."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cqms_desktop.domain.enums import Department
from cqms_desktop.services import admin
from cqms_desktop.ui.change_bridge import (
    ChangeBridge,
    application_bridge,
    follow_changes,
    subscriber_count,
)
from cqms_desktop.ui.main_window import TAB_NAMES, MainWindow
from cqms_desktop.ui.visit_plan_view import VisitPlanView
from tests.gui.gui_data import make_actor


def open_window(actor, info) -> MainWindow:
    win = MainWindow(actor, info)
    win.remember_layout = False
    win.show()
    return win


def test_no_subscriber_survives_fifty_windows_opened_and_closed(qtbot, database, sample, ops):
    actor = make_actor(Department.QA, is_admin=True)  # every tab, the administration's too
    before = subscriber_count()
    for _ in range(50):
        win = open_window(actor, database)  # deleted below, so not qtbot's to close
        for name in (*TAB_NAMES, "survey_results", "visit_plan"):
            win.select_tab(name)
        plan = win.findChild(VisitPlanView)
        assert plan is not None and plan.changes.is_subscribed()
        assert subscriber_count() == before + 2  # the window and the visit plan shown
        win.close()
        assert subscriber_count() == before
        win.deleteLater()
    ops()
    QCoreApplication.sendPostedEvents(None, 0)  # the deferred deletes
    assert subscriber_count() == before
    # One bridge for the whole application: no window made one of its own.
    app = QCoreApplication.instance()
    assert app is not None
    bridges = [b for b in app.findChildren(ChangeBridge) if b.parent() is app]
    assert bridges == [application_bridge()]


def test_a_change_after_close_does_not_reach_a_closed_view(qtbot, database, sample, system, ops):
    win = open_window(make_actor(Department.QA), database)
    qtbot.addWidget(win)
    win.select_tab("visit_plan")
    ops()
    plan = win.findChild(VisitPlanView)
    assert plan is not None and plan.isVisible()
    heard: list[str] = []
    win.changes._slot = lambda kinds: heard.append("window")  # type: ignore[attr-defined]
    plan.changes._slot = lambda kinds: heard.append("plan")  # type: ignore[attr-defined]
    plan.changes._on_missed = lambda: heard.append("plan missed")  # type: ignore[attr-defined]

    admin.add_customer(system, code="Z1", name="Open")
    qtbot.waitUntil(lambda: "window" in heard and "plan" in heard)
    win.close()
    heard.clear()
    admin.add_customer(system, code="Z2", name="Closed")
    qtbot.wait(300)  # longer than the bridge's coalescing
    assert heard == []
    ops()


def test_a_view_shown_again_catches_up_once(qtbot, database, system, ops):
    view = VisitPlanView()
    qtbot.addWidget(view)
    view.show()
    ops()
    seen: list[frozenset[str]] = []
    missed: list[bool] = []
    subscription = follow_changes(view, seen.append, lambda: missed.append(True))
    assert subscription.is_subscribed()
    view.hide()
    admin.add_customer(system, code="H1", name="While hidden")
    ops()  # the bridge has passed the change on (to nobody shown) — not a fixed wait
    assert seen == [] and missed == []
    view.show()
    assert missed == [True]  # told once on showing again
    admin.add_customer(system, code="H2", name="While shown")
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [frozenset({"customer"})]
    ops()


def test_a_view_shown_again_without_changes_meanwhile_reads_nothing(qtbot, database, ops):
    """Switching tabs back and forth must not re-read every list."""
    view = VisitPlanView()
    qtbot.addWidget(view)
    view.show()
    ops()
    seen: list[frozenset[str]] = []
    missed: list[bool] = []
    follow_changes(view, seen.append, lambda: missed.append(True))
    for _ in range(3):
        view.hide()
        view.show()
    assert missed == [] and seen == []
