"""The defect-category input: a combo of the managed list (Administration) that completes while
typing — by the code or by any of the Chinese, English or German labels — and yields the code.

It shows each category's label in the program's language. A text it cannot match is passed
on as typed, so the service refuses it at the field with a message (never silently dropped).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt, SignalInstance
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from ..domain.keys import fold_key
from ..services import defect_categories


class DefectCategoryBox(QComboBox):
    """Editable combo over the active defect categories; its value is a category code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setObjectName("defect_category")
        self._names: dict[str, str] = {}  # folded code or label → code
        self._labels: dict[str, str] = {}  # code → label shown (inactive ones too)
        self._completion = QStringListModel(self)
        completer = QCompleter(self._completion, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.activated.connect(self._completed)
        self.setCompleter(completer)

    def load(self) -> None:
        """(Re)read the list: the active categories to choose from, every name to match."""
        catalogue = defect_categories.catalogue()
        language = defect_categories.display_language()
        current = self.input_value()
        self.blockSignals(True)
        self.clear()
        self.addItem("", "")
        self._names.clear()
        self._labels.clear()
        names: list[str] = []
        for category in sorted(catalogue.categories, key=lambda c: fold_key(c.label(language))):
            label = category.label(language)
            self._labels[category.code] = label
            for name in category.names():
                self._names.setdefault(fold_key(name), category.code)
            if category.active:
                self.addItem(label, category.code)
                names += [n for n in dict.fromkeys((label, *category.names()))]
        self._completion.setStringList(list(dict.fromkeys(names)))
        self.set_input_value(current)
        self.blockSignals(False)

    def _completed(self, text: str) -> None:
        code = self._names.get(fold_key(text))
        if code is not None:
            self.set_input_value(code)

    # The input-state protocol (drafts, dirty tracking): the value is the code.
    def input_value(self) -> str:
        """The chosen category's code; a typed text matching no category as typed."""
        text = self.currentText().strip()
        if not text:
            return ""
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index > 0:
            return str(self.itemData(index))
        return self._names.get(fold_key(text), text)

    def set_input_value(self, value: Any) -> None:
        """Show the category with code *value* (a code no longer in the list as its text)."""
        code = str(value or "")
        index = self.findData(code) if code else 0
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(-1)
        self.setEditText(self._labels.get(code, code))

    def input_signals(self) -> list[SignalInstance]:
        """The signals emitted when the value may have changed."""
        return [self.currentTextChanged]
