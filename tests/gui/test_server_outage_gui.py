"""The window through a server outage (issue #15 item 1), on PostgreSQL and MariaDB behind a
TCP proxy: the status bar says the server is away and then back, nothing needs a restart, a
save during the outage keeps the input as a draft, and a save whose answer was lost but
which went through is reported as saved (the record's version read back)."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit

from cqms_desktop.domain.enums import Department
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import server_connection
from cqms_desktop.store.models import Visit
from cqms_desktop.ui.editors import drafts
from cqms_desktop.ui.main_window import MainWindow
from tests.gui.gui_data import make_actor, populate
from tests.tcp_proxy import server_database_through_proxy

pytestmark = pytest.mark.backends

SHORT = server_connection.Timeouts(connect=2.0, statement=3.0, read=3.0)


@pytest.fixture(params=["postgresql", "mysql"])
def proxied(request, monkeypatch, qtbot, ops):
    """(window, proxy, sample): the main window for Sales on a server reached via a proxy."""
    with server_database_through_proxy(request.param) as (proxy, url):
        monkeypatch.setattr(server_connection, "TIMEOUTS", SHORT)
        info = dbmod.open_database(url)
        sample = populate()
        window = MainWindow(make_actor(Department.SALES), info)
        window.remember_layout = False
        qtbot.addWidget(window)
        window.show()
        ops(20000)
        try:
            yield window, proxy, sample
        finally:
            proxy.up()
            proxy.resume()
            ops(20000)
            if shiboken6.isValid(window):
                window.close()


def _purpose(editor) -> QLineEdit | QPlainTextEdit:
    return editor.inputs["purpose"]


def _set_text(widget, text: str) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    else:
        widget.setText(text)


def test_the_status_bar_follows_the_server_and_no_restart_is_needed(qtbot, proxied, ops):
    window, proxy, _sample = proxied
    proxy.down()
    window.views["complaints"].refresh()
    ops(20000)
    assert "cannot be reached" in window.statusBar().currentMessage()
    boxes = [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert boxes == []  # background reads: no box per list
    proxy.up()
    window.views["complaints"].refresh()
    ops(20000)
    assert window.statusBar().currentMessage() == "The database server is back."
    assert window.views["complaints"].model.totalCount() == 7


def test_a_save_during_the_outage_keeps_a_draft_and_works_once_the_server_is_back(qtbot, proxied):
    window, proxy, sample = proxied
    visit_id = sample.visits[0]
    editor = window.views["visits"].open_record(visit_id)
    qtbot.waitExposed(editor)
    _set_text(_purpose(editor), "Outage test 停电测试")
    proxy.down()
    assert not editor.save()
    assert editor.message_box is not None and "cannot be reached" in editor.message_box.text()
    assert drafts.read_draft("visit", visit_id, window.actor.username) is not None
    proxy.up()
    assert editor.save()
    assert Visit.get_by_id(visit_id).purpose == "Outage test 停电测试"
    assert drafts.read_draft("visit", visit_id, window.actor.username) is None
    editor.close()


def test_a_save_whose_answer_was_lost_but_went_through_counts_as_saved(qtbot, proxied):
    window, proxy, sample = proxied
    visit_id = sample.visits[0]
    editor = window.views["visits"].open_record(visit_id)
    qtbot.waitExposed(editor)
    before = Visit.get_by_id(visit_id).version
    _set_text(_purpose(editor), "Saved although the answer was lost")
    proxy.kill_after(b"COMMIT")
    assert editor.save()  # settled by reading the version back
    row = Visit.get_by_id(visit_id)
    assert (row.version, row.purpose) == (before + 1, "Saved although the answer was lost")
    assert not editor.is_dirty()
    assert drafts.read_draft("visit", visit_id, window.actor.username) is None
    editor.close()
