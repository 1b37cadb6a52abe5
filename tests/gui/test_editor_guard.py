"""The unsaved-changes guard of the five record editors (complaint, visit, feedback, survey,
service record): Esc, the Close button, the window's close button and quitting the program
ask Save / Discard / Cancel when something was typed — and never when nothing was.

Each editor is opened the way the user opens it (from its list in the main window) on the
sample rows, as Sales; every question is answered through the one question function
(``questions.ask``), replaced here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from cqms_desktop.domain.enums import Department
from cqms_desktop.store.models import Complaint, Feedback, ServiceRecord, Survey, Visit
from cqms_desktop.ui.editors import drafts, questions
from cqms_desktop.ui.editors.questions import Answer
from cqms_desktop.ui.editors.record_editor import RecordEditor
from tests.gui.gui_data import Sample, make_actor

pytestmark = pytest.mark.gui


@dataclass(frozen=True)
class Kind:
    """One editor under test: its list, the sample record, the input typed into, the field."""

    tab: str
    record: str  # the drafts' record kind
    model: Any
    field: str
    pick: Any  # Sample -> record id

    def record_id(self, sample: Sample) -> int:
        return int(self.pick(sample))

    def input(self, editor: RecordEditor) -> QWidget:
        return editor.inputs[self.field]

    def stored(self, record_id: int) -> str:
        return str(getattr(self.model.get_by_id(record_id), self.field) or "").strip()


KINDS = {
    "complaint": Kind("complaints", "complaint", Complaint, "description", lambda s: s.overdue[1]),
    "visit": Kind("visits", "visit", Visit, "purpose", lambda s: s.visits[0]),
    "feedback": Kind("feedback", "feedback", Feedback, "caller", lambda s: s.feedback[0]),
    "survey": Kind("surveys", "survey", Survey, "respondent", lambda s: s.surveys[0]),
    "service": Kind("service", "service", ServiceRecord, "delivery_note", lambda s: s.service[0]),
}
TYPED = " typed 输入"


@pytest.fixture
def window_actor():
    """Sales: it may edit every kind of record of the sample (the complaint is registered)."""
    return make_actor(Department.SALES)


class Questions:
    """The answers given, in order, and the questions asked."""

    def __init__(self) -> None:
        self.answers: list[Answer] = []
        self.asked: list[tuple[str, str, tuple[Answer, ...]]] = []
        self.finished = False

    def __call__(self, parent, title, text, answers, default) -> Answer:
        if self.finished:  # closing what a test left open, after the test
            return Answer.DISCARD
        self.asked.append((title, text, tuple(answers)))
        assert self.answers, f"unexpected question: {title}: {text}"
        return self.answers.pop(0)


@pytest.fixture
def asked(monkeypatch) -> Iterator[Questions]:
    """Every question an editor asks goes here; a test queues the answers."""
    fake = Questions()
    monkeypatch.setattr(questions, "ask", fake)
    yield fake
    fake.finished = True


def gone(editor: RecordEditor) -> bool:
    """Closed: hidden, or deleted (the complaint editor deletes itself when closed)."""
    return not shiboken6.isValid(editor) or not editor.isVisible()


def open_from_list(qtbot, window, kind: Kind, record_id: int | None) -> RecordEditor:
    editor = window.views[kind.tab].open_record(record_id)
    assert isinstance(editor, RecordEditor)
    qtbot.waitExposed(editor)
    return editor


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type at the end of *widget*'s text (QTest has keys for ASCII only; the rest is entered
    the way an input method enters it)."""
    widget.setFocus()
    ascii_part = text.encode("ascii", "ignore").decode()
    if isinstance(widget, QPlainTextEdit):
        widget.moveCursor(widget.textCursor().MoveOperation.End)
        qtbot.keyClicks(widget, ascii_part)
        widget.insertPlainText(text[len(ascii_part) :] if text.startswith(ascii_part) else "")
    else:
        assert isinstance(widget, QLineEdit)
        widget.end(False)
        qtbot.keyClicks(widget, ascii_part)
        widget.insert(text[len(ascii_part) :] if text.startswith(ascii_part) else "")


def shown_text(widget: QWidget) -> str:
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


def leave(qtbot, editor: RecordEditor, way: str) -> None:
    if way == "esc":
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    elif way == "close_button":
        editor.close_button.click()
    else:  # the window's own close button: a close event
        editor.close()
    QApplication.processEvents()


WAYS = ("esc", "close_button", "window_close")


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("name", sorted(KINDS))
def test_no_question_when_nothing_changed(qtbot, window, sample, asked, name, way):
    kind = KINDS[name]
    editor = open_from_list(qtbot, window, kind, kind.record_id(sample))
    assert not editor.is_dirty()
    leave(qtbot, editor, way)
    assert asked.asked == []
    assert gone(editor)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_no_question_for_an_untouched_new_record(qtbot, window, sample, asked, name):
    editor = open_from_list(qtbot, window, KINDS[name], None)
    assert editor.record_id is None and not editor.is_dirty()
    qtbot.wait(RecordEditor.DRAFT_DELAY_MS // 10)
    leave(qtbot, editor, "esc")
    assert asked.asked == []
    assert gone(editor)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("name", sorted(KINDS))
def test_cancel_then_discard_keeps_then_throws_away(qtbot, window, sample, asked, name, way):
    kind = KINDS[name]
    record_id = kind.record_id(sample)
    before = kind.stored(record_id)
    editor = open_from_list(qtbot, window, kind, record_id)
    type_text(qtbot, kind.input(editor), TYPED)
    assert editor.is_dirty()

    asked.answers = [Answer.CANCEL]
    leave(qtbot, editor, way)
    assert len(asked.asked) == 1
    title, text, answers = asked.asked[0]
    assert (title, answers) == ("Unsaved changes", (Answer.SAVE, Answer.DISCARD, Answer.CANCEL))
    assert "before closing" in text and editor.windowTitle() in text
    assert editor.isVisible()  # Cancel: still editing, nothing lost
    assert shown_text(kind.input(editor)).endswith(TYPED)

    editor.write_draft()  # (as the typing pause would)
    assert drafts.read_draft(kind.record, record_id, window.actor.username) is not None
    asked.answers = [Answer.DISCARD]
    leave(qtbot, editor, way)
    assert gone(editor)
    assert len(asked.asked) == 2  # asked once for this way out, not again by Qt's close
    assert kind.stored(record_id) == before
    assert drafts.read_draft(kind.record, record_id, window.actor.username) is None  # discarded


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("name", sorted(KINDS))
def test_save_on_the_way_out(qtbot, window, sample, asked, name, way):
    kind = KINDS[name]
    record_id = kind.record_id(sample)
    before = kind.stored(record_id)
    editor = open_from_list(qtbot, window, kind, record_id)
    type_text(qtbot, kind.input(editor), TYPED)
    editor.write_draft()
    asked.answers = [Answer.SAVE]
    leave(qtbot, editor, way)
    assert gone(editor)
    assert kind.stored(record_id) == (before + TYPED).strip()
    assert drafts.read_draft(kind.record, record_id, window.actor.username) is None


@pytest.mark.parametrize(
    ("name", "spoil"),
    [
        ("complaint", lambda e: e.widgets["description"].setPlainText("   ")),
        ("feedback", lambda e: e.channel.setCurrentIndex(0)),  # "(choose)"
        ("service", lambda e: e.quantity.setValue(0)),
    ],
)
def test_a_refused_save_keeps_the_editor_open_with_the_reason(
    qtbot, window, sample, asked, name, spoil
):
    kind = KINDS[name]
    editor = open_from_list(qtbot, window, kind, kind.record_id(sample))
    spoil(editor)
    asked.answers = [Answer.SAVE]
    editor.close_button.click()
    assert editor.isVisible()
    if name == "complaint":
        assert "Description" in editor.message.text() and editor.message.isVisible()
    else:
        field = "channel" if name == "feedback" else "quantity"
        assert editor.fields.error_text(field)
    asked.finished = True  # (the window closing after the test discards)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_quitting_asks_each_open_editor(qtbot, window, sample, asked, name):
    kind = KINDS[name]
    record_id = kind.record_id(sample)
    before = kind.stored(record_id)
    editor = open_from_list(qtbot, window, kind, record_id)
    type_text(qtbot, kind.input(editor), TYPED)

    asked.answers = [Answer.CANCEL]
    assert not window.close()  # Cancel: the program keeps running
    assert window.isVisible() and editor.isVisible()

    asked.answers = [Answer.DISCARD]
    assert window.close()
    assert gone(editor)
    assert kind.stored(record_id) == before
    assert len(asked.asked) == 2


def test_quit_saves_when_asked_and_file_quit_goes_the_same_way(qtbot, window, sample, asked):
    visit, feedback = KINDS["visit"], KINDS["feedback"]
    first = open_from_list(qtbot, window, visit, visit.record_id(sample))
    second = open_from_list(qtbot, window, feedback, feedback.record_id(sample))
    clean = open_from_list(qtbot, window, KINDS["service"], KINDS["service"].record_id(sample))
    type_text(qtbot, visit.input(first), TYPED)
    type_text(qtbot, feedback.input(second), TYPED)
    asked.answers = [Answer.SAVE, Answer.SAVE]
    quit_action = next(
        a for a in window.findChildren(type(window.settings_action)) if a.text() == "&Quit"
    )
    quit_action.trigger()
    assert not window.isVisible()
    assert len(asked.asked) == 2  # the two dirty editors; the clean one is not asked
    assert gone(first) and gone(second) and gone(clean)
    assert visit.stored(visit.record_id(sample)).endswith(TYPED.strip())
    assert feedback.stored(feedback.record_id(sample)).endswith(TYPED.strip())


def test_quitting_with_clean_editors_asks_nothing(qtbot, window, sample, asked):
    for kind in KINDS.values():
        open_from_list(qtbot, window, kind, kind.record_id(sample))
    assert window.close()
    assert asked.asked == []


def test_sign_out_is_refused_when_the_user_cancels(qtbot, window, sample, asked):
    kind = KINDS["survey"]
    editor = open_from_list(qtbot, window, kind, kind.record_id(sample))
    type_text(qtbot, kind.input(editor), TYPED)
    asked.answers = [Answer.CANCEL]
    assert window.sign_out() is False
    assert not window.signed_out and editor.isVisible()
    asked.finished = True


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_question_over_a_dirty_editor_on_a_laptop_screen(
    qtbot, database, sample, ops, tmp_path, language
):
    """Rendered at 1366×768 for a look (``CQMS_SHOTS=folder`` keeps the PNGs): the editor with
    typed text and the Save / Discard / Cancel question over it, in English and Chinese."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter, QPixmap

    from cqms_desktop.ui import i18n
    from cqms_desktop.ui.main_window import MainWindow

    if language != "en":
        i18n.install_translators(language)  # the folder's conftest removes it after the test
    win = MainWindow(make_actor(Department.SALES), database)
    win.remember_layout = False
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    ops()
    kind = KINDS["feedback"]
    editor = open_from_list(qtbot, win, kind, kind.record_id(sample))
    type_text(qtbot, kind.input(editor), "Wang 王先生")
    editor.resize(editor.width(), min(editor.height(), 700))
    box, meaning = questions.question_box(
        editor,
        "Unsaved changes" if language == "en" else "未保存的更改",
        editor.describe(),
        (Answer.SAVE, Answer.DISCARD, Answer.CANCEL),
        Answer.SAVE,
    )
    # The real text, as the editor asks it.
    asked = Questions()
    asked.answers = [Answer.CANCEL]
    import cqms_desktop.ui.editors.questions as q

    real_ask = q.ask
    q.ask = asked
    try:
        editor.close_button.click()
    finally:
        q.ask = real_ask
    title, text, _answers = asked.asked[0]
    box.setWindowTitle(title)
    box.setText(text)
    box.show()
    qtbot.waitExposed(box)
    buttons = sorted(b.text().replace("&", "") for b in meaning)
    if language == "en":
        assert buttons == ["Cancel", "Discard", "Save"]
    else:
        assert "关闭前是否保存" in text and all(b.isascii() is False for b in buttons), buttons

    screen = QPixmap(1366, 768)
    screen.fill(QColor("#808080"))
    painter = QPainter(screen)
    painter.drawPixmap(0, 0, win.grab())
    at = QPoint((1366 - editor.width()) // 2, max(0, (768 - editor.height()) // 2))
    painter.drawPixmap(at, editor.grab())
    painter.drawPixmap(
        at + QPoint((editor.width() - box.width()) // 2, (editor.height() - box.height()) // 2),
        box.grab(),
    )
    painter.end()
    path = tmp_path / f"editor_question_{language}.png"
    assert screen.save(str(path))
    if os.environ.get("CQMS_SHOTS"):
        screen.save(str(Path(os.environ["CQMS_SHOTS"]) / path.name))
    assert editor.height() <= 768 and box.width() < editor.width()
    box.close()
    asked.finished = True
    editor.forget_draft()
    editor.mark_clean()
