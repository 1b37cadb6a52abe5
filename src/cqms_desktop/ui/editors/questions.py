"""The one place an editor asks the user a question that decides what happens to their input:
save, discard or keep editing (leaving with unsaved changes), restore or discard (a draft
found on opening).

Everything goes through :func:`ask`, so a test answers every question by replacing this one
function (``monkeypatch.setattr(questions, "ask", …)``); callers therefore use
``questions.ask(…)``, never a copy imported by name.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


class Answer(enum.Enum):
    """What the user chose."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"
    RESTORE = "restore"


_STANDARD = {
    Answer.SAVE: QMessageBox.StandardButton.Save,
    Answer.DISCARD: QMessageBox.StandardButton.Discard,
    Answer.CANCEL: QMessageBox.StandardButton.Cancel,
}


def question_box(
    parent: QWidget | None,
    title: str,
    text: str,
    answers: Sequence[Answer],
    default: Answer,
) -> tuple[QMessageBox, dict[QAbstractButton, Answer]]:
    """The question as a message box (not shown yet) and which button means which answer."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton)
    box.setParent(parent, box.windowFlags())
    meaning: dict[QAbstractButton, Answer] = {}
    for answer in answers:
        if answer in _STANDARD:
            button: QAbstractButton = box.addButton(_STANDARD[answer])
        else:  # Restore: Qt has no standard button of that name
            button = box.addButton(
                QCoreApplication.translate("Editors", "Restore"),
                QMessageBox.ButtonRole.AcceptRole,
            )
        meaning[button] = answer
        if answer is default:
            box.setDefaultButton(button)  # type: ignore[arg-type]
        if answer is Answer.CANCEL:
            box.setEscapeButton(button)
    return box, meaning


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    answers: Sequence[Answer],
    default: Answer,
) -> Answer:
    """Ask *text* (modal) and return the answer; closing the box without choosing is
    :attr:`Answer.CANCEL` (nothing is saved, discarded or restored)."""
    box, meaning = question_box(parent, title, text, answers, default)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked in meaning:
        return meaning[clicked]
    return Answer.CANCEL
