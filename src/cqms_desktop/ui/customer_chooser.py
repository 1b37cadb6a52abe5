"""Choosing a customer by typing part of its code or name; suggestions come from the
customer service (:mod:`..services.customer_queries`).

Used by the lists' filter bar (:mod:`.register_view`), the record editors and the
management-review export (:mod:`.export_actions`): a widget of its own, so that those modules
do not import each other for it.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from ..services import customer_queries

#: Free-text search waits this long after the last key press before querying.
TEXT_DEBOUNCE_MS = 300
#: How many customers the customer chooser offers for what was typed.
CUSTOMER_SUGGESTIONS = 30


class CustomerChooser(QLineEdit):
    """Type part of a customer's code or name; suggestions are searched in SQL."""

    customerChanged = QtSignal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("Customer…"))
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(160)
        self._ids: dict[str, int] = {}
        self._customer_id: int | None = None
        self._suggestions = QStringListModel(self)
        completer = QCompleter(self._suggestions, self)
        # The list already holds what SQL found; do not let the completer filter it again.
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self._chosen)
        self.setCompleter(completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_DEBOUNCE_MS)
        self._timer.timeout.connect(self.search)
        self.textEdited.connect(self._edited)

    @staticmethod
    def label_of(code: str, name: str) -> str:
        """How a customer is written in the chooser."""
        return f"{code} — {name}"

    def customer_id(self) -> int | None:
        """The chosen customer's id, or ``None`` for any customer."""
        return self._customer_id

    def set_customer(self, customer_id: int | None) -> None:
        """Choose *customer_id* (``None``: any), without emitting :attr:`customerChanged`."""
        self._customer_id = customer_id
        if customer_id is None:
            self.clear()
            return
        found = customer_queries.customer_choice(customer_id)
        self.setText(self.label_of(found.code, found.name) if found else "")

    def _edited(self, text: str) -> None:
        if not text.strip():
            self._set(None)
            return
        self._timer.start()

    def search(self) -> list[str]:
        """Look up customers matching the typed text (code or name); returns the labels."""
        text = self.text().strip()
        found = customer_queries.find_customers(text, limit=CUSTOMER_SUGGESTIONS)
        self._ids = {self.label_of(c.code, c.name): c.id for c in found}
        labels = list(self._ids)
        self._suggestions.setStringList(labels)
        if labels and self.hasFocus():
            self.completer().complete()
        return labels

    def _chosen(self, label: str) -> None:
        if label in self._ids:
            self._set(self._ids[label])

    def _set(self, customer_id: int | None) -> None:
        if customer_id != self._customer_id:
            self._customer_id = customer_id
            self.customerChanged.emit(customer_id)
