"""Workflow steps, countermeasures, attachments, acknowledgements and the hand-over run on the
one database worker, like saves (issue #8): the GUI thread only queues them and waits in a
local event loop, so the window keeps painting while the database works."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, Qt

from cqms_desktop.domain.enums import ComplaintStatus as S
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.services import admin, circulation
from cqms_desktop.services import complaints as svc
from cqms_desktop.services.base import Actor
from cqms_desktop.ui.editors import complaints as editor_module
from tests.categories import ensure_test_categories
from tests.complaint_steps import bring_to


@pytest.fixture
def threads_of(monkeypatch):
    """Record which thread each patched service function ran on (it still does its work)."""
    seen: dict[str, list[threading.Thread]] = {}

    def watch(module, name: str) -> None:
        original = getattr(module, name)

        def recorded(*args, **kwargs):
            seen.setdefault(name, []).append(threading.current_thread())
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, recorded)

    return seen, watch


def _click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))


def test_complaint_steps_and_actions_run_on_the_database_worker(qtbot, actors, threads_of):
    seen, watch = threads_of
    for name in ("take_step", "add_action", "add_attachment"):
        watch(svc, name)
    customer = admin.add_customer(Actor.system(), code="C300", name="Kunde", language="de")
    product = admin.add_product(Actor.system(), part_number="PN-300", name="Welle")
    ensure_test_categories()
    complaint = bring_to(S.REGISTERED, actors, customer, product)
    editor = editor_module.open_editor(None, actors[D.QA], complaint.id)
    qtbot.addWidget(editor)
    qtbot.waitExposed(editor)
    _click(qtbot, editor.step_buttons["start_investigation"])
    editor.new_action_text.setText("Replace the die")
    _click(qtbot, editor.add_action_button)
    assert editor.actions_table.rowCount() == 1
    gui = threading.main_thread()
    assert seen["take_step"] and seen["add_action"]
    assert all(thread is not gui for calls in seen.values() for thread in calls), seen


def test_an_acknowledgement_runs_on_the_database_worker(qtbot, sample, threads_of):
    from cqms_desktop.ui.editors.cs_common import RoutingPanel
    from tests.gui.gui_data import make_actor

    seen, watch = threads_of
    watch(circulation, "acknowledge")
    panel = RoutingPanel("feedback", make_actor(D.QA), can_route=False)
    qtbot.addWidget(panel)
    panel.load(sample.awaiting_ack[0])  # routed to QA, not acknowledged yet
    assert panel.acknowledge()
    assert seen["acknowledge"] and seen["acknowledge"][0] is not threading.main_thread()
    line = panel.own_line()
    assert line is not None and line.acknowledged_at is not None  # reloaded afterwards
