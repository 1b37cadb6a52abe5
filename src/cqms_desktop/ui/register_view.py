"""A reusable list of one kind of record: a filter bar, a SQL-paged table, New and Open.

Every tab of the main window and every administration page is one :class:`RegisterView` over a
:class:`~cqms_desktop.services.registers.Register`. The filter bar narrows the list in SQL:
free text (applied shortly after typing stops), a multi-choice of the register's states, a
customer chosen by searching the customer table, a date range and, for complaints, overdue /
due-soon / severity. The column layout (order, widths, sort) is remembered per PC in
``QSettings``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QLocale,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import enums as E
from ..domain.errors import CqmsError
from ..services.base import Actor
from ..services.registers import Filter, Register
from .customer_chooser import TEXT_DEBOUNCE_MS, CustomerChooser
from .date_filter import DateFilterEdit
from .error_handling import error_box
from .i18n import enum_text
from .register_model import RecordIdRole, RegisterModel

Opener = Callable[[int | None], Any]


def _status_enum(register: Register) -> type[E.LabeledEnum] | None:
    for col in register.columns:
        if col.key == "status" and col.enum is not None:
            return col.enum
    return None


def _has_forms(register: Register) -> bool:
    from .batch_print import FORMS_OF_REGISTER

    return register.kind in FORMS_OF_REGISTER


def _has_customer(register: Register) -> bool:
    return "customer" in register.model._meta.fields


class StatusChooser(QPushButton):
    """A button with a menu of the register's states, several of which may be ticked."""

    statusChanged = QtSignal()

    def __init__(self, enum: type[E.LabeledEnum], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        menu = QMenu(self)
        self._actions: dict[str, QAction] = {}
        for value, label in enum.choices():
            action = menu.addAction(enum_text(label))
            action.setCheckable(True)
            action.toggled.connect(self._toggled)
            self._actions[value] = action
        self.setMenu(menu)
        self._update_text()

    def selected(self) -> list[str]:
        """The ticked status codes (empty: any status)."""
        return [value for value, action in self._actions.items() if action.isChecked()]

    def set_selected(self, values: list[str] | tuple[str, ...]) -> None:
        """Tick exactly *values* without emitting a change per action."""
        for value, action in self._actions.items():
            action.blockSignals(True)
            action.setChecked(value in values)
            action.blockSignals(False)
        self._update_text()

    def _toggled(self) -> None:
        self._update_text()
        self.statusChanged.emit()

    def action_text(self, value: str) -> str:
        """The translated label of status *value*."""
        return self._actions[value].text()

    def _update_text(self) -> None:
        chosen = self.selected()
        if not chosen:
            self.setText(self.tr("Status: any"))
        elif len(chosen) == 1:
            self.setText(self.tr("Status: {status}").format(status=self._actions[chosen[0]].text()))
        else:
            self.setText(self.tr("Status: {n} chosen").format(n=len(chosen)))


def narrows(flt: Filter) -> bool:
    """Whether *flt* leaves records out (anything but the whole list)."""
    return bool(
        flt.text
        or flt.status
        or flt.customer_id is not None
        or flt.date_from
        or flt.date_to
        or flt.overdue
        or flt.due_soon
        or flt.open_only
        or flt.extra
    )


class FilterChip(QFrame):
    """One active filter in the line of active filters: its description and a ✕."""

    def __init__(self, text: str, remove: Callable[[], Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("filterChip")
        self.setStyleSheet(
            "QFrame#filterChip { background: palette(highlight); border-radius: 3px; }"
            "QFrame#filterChip QLabel { color: palette(highlighted-text); padding: 1px 4px; }"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(2, 0, 0, 0)
        row.setSpacing(0)
        self.label = QLabel(text, self)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(self.tr("Remove this filter"))
        self.remove_button.clicked.connect(remove)
        row.addWidget(self.label)
        row.addWidget(self.remove_button)

    def text(self) -> str:
        """The filter's description."""
        return self.label.text()


class FilterBar(QWidget):
    """The controls that narrow a register down; emits :attr:`filterChanged`.

    Below the controls, a line lists every filter in force (a dashboard's drill-down too),
    each with a ✕, and "Clear all"; it is hidden while the whole list is shown.
    """

    filterChanged = QtSignal()

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._register = register
        self._special: dict[str, Any] = {}
        self._special_text = ""
        self._open_only = False
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        # First row: the search box; second: the other choices; third: the active filters.
        self.top_row = QHBoxLayout()
        layout = QHBoxLayout()
        rows.addLayout(self.top_row)
        rows.addLayout(layout)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F)…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DEBOUNCE_MS)
        self._text_timer.timeout.connect(self.filterChanged)
        self.search.textChanged.connect(self._text_timer.start)
        self.top_row.addWidget(self.search, 1)

        enum = _status_enum(register)
        self.status: StatusChooser | None = None
        if enum is not None:
            self.status = StatusChooser(enum, self)
            self.status.statusChanged.connect(self.filterChanged)
            layout.addWidget(self.status)

        self.customer: CustomerChooser | None = None
        if _has_customer(register):
            self.customer = CustomerChooser(self)
            self.customer.customerChanged.connect(self.filterChanged)
            layout.addWidget(self.customer, 1)

        self.date_from = DateFilterEdit(self.tr("From date"), self)
        self.date_to = DateFilterEdit(self.tr("To date"), self)
        self.date_from.setObjectName("dateFrom")
        self.date_to.setObjectName("dateTo")
        date_widgets = [QLabel(self.tr("Date:"), self), self.date_from, QLabel("–", self)]
        for widget in [*date_widgets, self.date_to]:
            layout.addWidget(widget)
            # Lists without a date of their own (users, products) would filter by creation.
            widget.setVisible(self.has_dates())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.filterChanged)

        self.overdue: QCheckBox | None = None
        self.due_soon: QCheckBox | None = None
        self.severity: QComboBox | None = None
        if register.kind == "complaints":
            self.overdue = QCheckBox(self.tr("Overdue"), self)
            self.due_soon = QCheckBox(self.tr("Due soon"), self)
            self.severity = QComboBox(self)
            self.severity.addItem(self.tr("Any severity"), "")
            for value, label in E.Severity.choices():
                self.severity.addItem(enum_text(label), value)
            for box in (self.overdue, self.due_soon):
                box.toggled.connect(self.filterChanged)
                layout.addWidget(box)
            self.severity.currentIndexChanged.connect(self.filterChanged)
            layout.addWidget(self.severity)
        elif register.kind == "scars":  # the supplier's reply overdue (domain/scar_rules)
            self.overdue = QCheckBox(self.tr("Reply overdue"), self)
            self.overdue.toggled.connect(self.filterChanged)
            layout.addWidget(self.overdue)
        layout.addStretch(1)
        self.second_row = layout

        # The line of active filters.
        self.active_line = QWidget(self)
        self.active_line.setObjectName("activeFilters")
        self.active_layout = QHBoxLayout(self.active_line)
        self.active_layout.setContentsMargins(0, 0, 0, 0)
        self.active_layout.addWidget(QLabel(self.tr("Filters:"), self.active_line))
        self.chips: list[FilterChip] = []
        self.clear_all_button = QPushButton(self.tr("Clear all"), self.active_line)
        self.clear_all_button.setObjectName("clearAllFilters")
        self.clear_all_button.setToolTip(self.tr("Show the whole list again"))
        self.clear_all_button.clicked.connect(self.clear_all)
        self.active_layout.addWidget(self.clear_all_button)
        self.active_layout.addStretch(1)
        rows.addWidget(self.active_line)
        self.active_line.hide()
        # A filter that came from the dashboard and has no control of its own: its chip
        # stays (hidden when not in force) so callers can reach its text and its ✕.
        self.special_chip = FilterChip("", self.remove_special, self.active_line)
        self.special = self.special_chip.label
        self.special.setObjectName("specialFilter")
        self.clear_special = self.special_chip.remove_button
        self.active_layout.insertWidget(1, self.special_chip)
        self.special_chip.hide()
        self.filterChanged.connect(self.update_active_line)

    def has_dates(self) -> bool:
        """Whether this list filters by a date of its own (users, products do not)."""
        return bool(self._register.date_field.name != "created_at")

    def current_filter(self) -> Filter:
        """The filter the controls describe (plus any dashboard filter)."""
        flt = Filter(
            text=self.search.text().strip(),
            status=tuple(self.status.selected()) if self.status else (),
            customer_id=self.customer.customer_id() if self.customer else None,
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            overdue=bool(self.overdue and self.overdue.isChecked()),
            due_soon=bool(self.due_soon and self.due_soon.isChecked()),
            open_only=self._open_only,
            extra=dict(self._special),
        )
        if self.severity is not None and self.severity.currentData():
            flt.extra["severity"] = self.severity.currentData()
        return flt

    def _controls(self) -> list[QWidget]:
        # Not the search box: its clear button follows textChanged (its timer is stopped).
        widgets: list[QWidget] = [self.date_from, self.date_to]
        widgets += [w for w in (self.status, self.customer, self.overdue, self.due_soon) if w]
        widgets += [self.severity] if self.severity is not None else []
        return widgets

    def _show_in_controls(self, flt: Filter) -> dict[str, Any]:
        """Put *flt* into the controls without signals; returns what has no control."""
        widgets = self._controls()
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.search.setText(flt.text)
            if self.status is not None:
                self.status.set_selected(tuple(flt.status))
            if self.customer is not None:
                self.customer.set_customer(flt.customer_id)
            self.date_from.set_value(flt.date_from)
            self.date_to.set_value(flt.date_to)
            if self.overdue is not None:
                self.overdue.setChecked(flt.overdue)
            if self.due_soon is not None:
                self.due_soon.setChecked(flt.due_soon)
            extra = dict(flt.extra)
            if self.severity is not None:
                index = self.severity.findData(extra.pop("severity", ""))
                self.severity.setCurrentIndex(max(index, 0))
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._text_timer.stop()
        return extra

    def set_filter(self, flt: Filter, description: str = "") -> None:
        """Show *flt* in the controls; what has no control is shown as *description*."""
        extra = self._show_in_controls(flt)
        self._special = extra
        self._open_only = flt.open_only
        self._special_text = description or self.tr("Special filter")
        self.special.setText(self._special_text)
        self.filterChanged.emit()

    def remove_special(self) -> None:
        """Drop the dashboard's filter, keep what the controls say."""
        self._special = {}
        self._open_only = False
        self.filterChanged.emit()

    def clear_all(self) -> None:
        """Remove every filter at once: the whole list again (one re-read)."""
        self._show_in_controls(Filter())
        self._special = {}
        self._open_only = False
        self.filterChanged.emit()

    # ------------------------------------------------------------------ active filters
    def active_filters(self) -> list[tuple[str, Callable[[], None]]]:
        """The filters in force as (description, how to remove it), in the bar's order."""
        found: list[tuple[str, Callable[[], None]]] = []
        if self._special or self._open_only:
            found.append((self._special_text, self.remove_special))
        text = self.search.text().strip()
        if text:
            found.append((self.tr("Text: “{text}”").format(text=text), self._clear_text))
        if self.status is not None and self.status.selected():
            names = ", ".join(self.status.action_text(v) for v in self.status.selected())
            found.append((self.tr("Status: {status}").format(status=names), self._clear_status))
        if self.customer is not None and self.customer.customer_id() is not None:
            found.append(
                (
                    self.tr("Customer: {customer}").format(customer=self.customer.text()),
                    self._clear_customer,
                )
            )
        for edit, template in (
            (self.date_from, self.tr("From {date}")),
            (self.date_to, self.tr("To {date}")),
        ):
            value = edit.value()
            if value is not None:
                found.append((template.format(date=value.isoformat()), edit.clear))
        for box in (self.overdue, self.due_soon):
            if box is not None and box.isChecked():
                found.append((box.text(), lambda b=box: b.setChecked(False)))
        if self.severity is not None and self.severity.currentData():
            found.append(
                (
                    self.tr("Severity: {severity}").format(severity=self.severity.currentText()),
                    lambda: self.severity.setCurrentIndex(0) if self.severity else None,
                )
            )
        return found

    def update_active_line(self) -> None:
        """Rebuild the line of active filters (hidden when there is none)."""
        for chip in self.chips:
            chip.hide()
            chip.deleteLater()
        self.chips = []
        active = self.active_filters()
        has_special = bool(self._special or self._open_only)
        self.special_chip.setVisible(has_special)
        for i, (text, remove) in enumerate(active[1:] if has_special else active):
            chip = FilterChip(text, remove, self.active_line)
            self.active_layout.insertWidget(2 + i, chip)  # after "Filters:" and the special
            self.chips.append(chip)
        self.active_line.setVisible(bool(active))

    def chip_texts(self) -> list[str]:
        """The descriptions shown in the line of active filters."""
        special = [self.special.text()] if self.special_chip.isVisibleTo(self) else []
        return special + [chip.text() for chip in self.chips]

    def _clear_text(self) -> None:
        self.search.clear()
        self._text_timer.stop()  # started by the clearing: the filter changes now instead
        self.filterChanged.emit()

    def _clear_status(self) -> None:
        if self.status is not None:
            self.status.set_selected(())
        self.filterChanged.emit()

    def _clear_customer(self) -> None:
        if self.customer is not None:
            self.customer.set_customer(None)
        self.filterChanged.emit()


class RegisterView(QWidget):
    """Filter bar + table + count for one register, with New / Open / Find actions."""

    #: A record was opened (its id) or ``None`` for a new one; after the opener ran.
    opened = QtSignal(object)

    def __init__(
        self,
        register: Register,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        settings_key: str | None = None,
        opener: Opener | None = None,
        can_create: bool = True,
        page_size: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.actor = actor
        self._settings_key = f"lists/{settings_key or register.kind}/header"
        self._opener = opener
        self._dirty = False
        kwargs = {"page_size": page_size} if page_size else {}
        self.model = RegisterModel(register, self, **kwargs)

        layout = QVBoxLayout(self)
        self.new_action = QAction(self.tr("New"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setToolTip(self.tr("Create a new record (Ctrl+N)"))
        self.new_action.setEnabled(can_create)
        self.new_action.triggered.connect(self.new_record)
        self.open_action = QAction(self.tr("Open"), self)
        self.open_action.setToolTip(self.tr("Open the selected record (Enter or double-click)"))
        self.open_action.triggered.connect(self.open_current)
        self.find_action = QAction(self.tr("Find"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.export_action = QAction(self.tr("Export to Excel…"), self)
        self.export_action.setToolTip(
            self.tr("Save the list as shown (filter, sort, columns) as xlsx")
        )
        self.export_action.triggered.connect(self.export_to_excel)
        self.export_job: Any = None  # the running or last export (a ui.jobs.Job)
        self.export_message: Any = None  # the message shown when it ended
        # Print the selected records (several at once) or blank forms: lists with forms only.
        self.print_action = QAction(self.tr("Print selected…"), self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.setToolTip(self.tr("Print or save the selected records' forms (Ctrl+P)"))
        self.print_action.triggered.connect(self.print_selected)
        self.print_action.setEnabled(_has_forms(register))
        for action in (self.new_action, self.open_action, self.find_action, self.print_action):
            # Window context: the shortcuts work wherever the focus is in the window, the tab
            # bar included (just after switching tabs). Qt only matches a shortcut whose
            # widget is visible, so the list on the visible tab reacts and hidden tabs' lists
            # stay silent (no ambiguous shortcut).
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        self.filter_bar = FilterBar(register, self)
        self.filter_bar.filterChanged.connect(self.apply_controls)
        # The buttons share the search box's row, so that the filter choices below have the
        # window's whole width (a 1366×768 laptop at 125 % is about 1090 px wide).
        shown = (self.new_action, self.open_action, self.export_action)
        for index, action in enumerate(
            shown + ((self.print_action,) if _has_forms(register) else ())
        ):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.filter_bar.top_row.insertWidget(index, button)
        layout.addWidget(self.filter_bar)

        # Shown instead of an empty table when only the filters leave nothing.
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("emptyByFilters")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("QLabel { background: #fff4ce; padding: 8px; }")
        self.empty_label.setText(
            self.tr('No records match the filters — <a href="clear">Clear all</a>')
        )
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.linkActivated.connect(lambda _link: self.filter_bar.clear_all())
        self.empty_label.hide()
        layout.addWidget(self.empty_label)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows may be selected for printing; Open acts on the current row.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        # No stretching: a stretched last column pushes right-aligned numbers far away.
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, col in enumerate(register.columns):
            # The first column carries the overdue / due-soon icon in complaint lists.
            icon_room = 24 if i == 0 and register.kind == "complaints" else 0
            title_width = header.sectionSizeFromContents(i).width()
            header.resizeSection(i, max(col.width + icon_room, title_width))
        default_col = self.model.columnOfKey(register.default_sort)
        default_order = (
            Qt.SortOrder.DescendingOrder
            if register.default_descending
            else Qt.SortOrder.AscendingOrder
        )
        # The indicator must match the SQL order the model already has before sorting is on.
        header.setSortIndicator(max(default_col, 0), default_order)
        self.restore_layout()
        self.table.setSortingEnabled(True)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(self._update_actions)
        layout.addWidget(self.table, 1)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("recordCount")
        layout.addWidget(self.count_label)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self._update_count()
        self._update_actions()

    # ------------------------------------------------------------------ filtering
    def apply_controls(self) -> None:
        """Re-query with what the filter bar says."""
        self.model.setFilter(self.filter_bar.current_filter())

    def apply_filter(self, flt: Filter, description: str = "") -> None:
        """Show the records matching *flt* (the dashboard's drill-down)."""
        self.filter_bar.set_filter(flt, description)

    def focus_search(self) -> None:
        """Put the cursor in the search box (Ctrl+F)."""
        self.filter_bar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search.selectAll()

    # ------------------------------------------------------------------ refresh
    def on_changed(self, _kinds: frozenset[str] = frozenset()) -> None:
        """Records changed somewhere: refresh now if visible, else when next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def refresh(self) -> None:
        """Re-read the list (on the database worker), keeping the selected record selected."""
        current = self.current_id()
        scroll = self.table.verticalScrollBar().value()

        def restore() -> None:  # once the rows are in
            self.model.loaded.disconnect(restore)
            if current is not None:
                self.select_id(current)
            # Whatever the reset did to the scroll bar, someone reading row 500 stays there.
            self.table.verticalScrollBar().setValue(scroll)

        self.model.loaded.connect(restore)
        self.model.refresh()
        self._dirty = False

    def showEvent(self, event: Any) -> None:
        """Catch up on changes that happened while this list was hidden."""
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    # ------------------------------------------------------------------ records
    def current_id(self) -> int | None:
        """The id of the selected record, or ``None``."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.data(index, RecordIdRole)

    def select_id(self, record_id: int) -> bool:
        """Select the row of *record_id* if it is loaded."""
        row = self.model.rowOfId(record_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_record(self.model.data(index, RecordIdRole))

    def open_current(self) -> None:
        """Open the selected record."""
        record_id = self.current_id()
        if record_id is not None:
            self.open_record(record_id)

    def new_record(self) -> None:
        """Create a record of this kind."""
        if self.new_action.isEnabled():
            self.open_record(None)

    def open_record(self, record_id: int | None) -> Any:
        """Open *record_id* (``None``: a new one) with the page's opener or the kind's editor."""
        try:
            if self._opener is not None:
                result = self._opener(record_id)
            else:
                from . import editors

                result = editors.open_editor(self.register.kind, self, self.actor, record_id)
        except CqmsError as exc:
            # E.g. the record was deleted on another PC since the list was read.
            self.error_box = error_box(self, exc)
            self.error_box.open()
            self.refresh()
            return None
        self.opened.emit(record_id)
        return result

    def export_to_excel(self) -> Any:
        """Export what the list shows to xlsx in a background job (see ``ui.export_actions``)."""
        from .export_actions import export_register_view

        return export_register_view(self)

    def print_selected(self) -> Any:
        """Print or save the selected records' forms as one PDF, or blank forms."""
        from .batch_print import open_batch_print

        return open_batch_print(self)

    def _update_actions(self) -> None:
        self.open_action.setEnabled(self.table.currentIndex().isValid())

    def _update_count(self) -> None:
        total = self.model.totalCount()
        if total == 1:
            text = self.tr("1 record")
        else:
            text = self.tr("{n} records").format(n=QLocale().toString(total))
        self.count_label.setText(text)
        # Empty only because of the filters (not an empty register): say so, offer the way out.
        empty_by_filters = (
            total == 0 and not self.model.isLoading() and narrows(self.model.filter())
        )
        self.empty_label.setVisible(empty_by_filters)
        self._update_actions()

    def is_empty_by_filters(self) -> bool:
        """Whether the "No records match the filters" message is shown."""
        return self.empty_label.isVisibleTo(self)

    # ------------------------------------------------------------------ layout
    def restore_layout(self) -> bool:
        """Restore column order, widths and sort from this PC's settings."""
        state = QSettings().value(self._settings_key)
        if state is None:
            return False
        return self.table.horizontalHeader().restoreState(state)

    def save_layout(self) -> None:
        """Remember column order, widths and sort on this PC."""
        QSettings().setValue(self._settings_key, self.table.horizontalHeader().saveState())
