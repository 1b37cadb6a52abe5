"""A Qt table model over a :class:`~cqms_desktop.services.registers.Register`.

Nothing here loads a whole table: the number of matching records is counted in SQL, rows are
fetched one page at a time as the view scrolls (``canFetchMore`` / ``fetchMore``), sorting a
column re-runs the query with another ``ORDER BY`` and a new filter starts again from the first
page. Values are formatted per column kind: times in the PC's local time, enumerated codes as
their translated labels, flags as Yes/No. Complaints that are overdue or due soon are marked
with a background colour *and* an icon and a tooltip, so the mark does not depend on colour.

Every read runs on the application's database worker (:mod:`.operations`), never on the GUI
thread: a new filter, a sort or a refresh asks for the count and the first page(s) and the
model resets when they arrive (:attr:`RegisterModel.loaded`); ``fetchMore`` asks for the next
page and inserts it when it arrives (``canFetchMore`` stays true meanwhile, and further calls
are ignored until the page is in). A result for a filter or sort the user has left is dropped,
and so is a page of a list that has been reset since it was asked for.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from ..domain.clock import to_local
from ..services.registers import Column, Filter, Register
from .i18n import enum_text
from .operations import LatestOnly, QueryOp, report_read_failure

#: Rows fetched per page; a screenful is ~40, so one page covers several screens.
PAGE_SIZE = 200

#: The record id of a row (``int``).
RecordIdRole = Qt.ItemDataRole.UserRole
#: The whole row as a ``dict`` (column key → raw value).
RowRole = Qt.ItemDataRole.UserRole + 1

#: Background of an overdue complaint (lists and the complaint editor's action table).
OVERDUE_BG = QColor(255, 205, 205)
#: Background of a complaint whose deadline is close.
DUE_SOON_BG = QColor(255, 236, 179)
# Built once: data() is asked for these for every visible cell of a marked row on each paint.
_MARK_BACKGROUNDS = {"overdue": QBrush(OVERDUE_BG), "due_soon": QBrush(DUE_SOON_BG)}
_MARK_FOREGROUND = QBrush(QColor(0, 0, 0))  # keeps text readable on the light background

_AnyIndex = QModelIndex | QPersistentModelIndex


def format_value(column: Column, value: Any) -> str:
    """How *value* of *column* is shown in a list (translated, local time)."""
    if value is None or value == "":
        return ""
    kind = column.kind
    if kind == "datetime" and isinstance(value, dt.datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    if kind == "date" and isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if kind == "enum" and column.enum is not None:
        try:
            label = column.enum(str(value)).label
        except ValueError:
            return str(value)  # a code this version does not know: show it as stored
        return enum_text(label)
    if kind == "bool":
        return (
            QCoreApplication.translate("RegisterModel", "Yes")
            if bool(value)
            else QCoreApplication.translate("RegisterModel", "No")
        )
    if kind == "decimal" and isinstance(value, decimal.Decimal | float | int):
        return f"{decimal.Decimal(str(value)):.2f}"
    return str(value)


class RegisterModel(QAbstractTableModel):
    """Rows of one register, filtered, sorted and paged in SQL, read on the database worker."""

    #: A (re)load is in: the count and the first rows are those of the current filter/sort.
    loaded = Signal()

    def __init__(
        self,
        register: Register,
        parent: Any = None,
        *,
        page_size: int = PAGE_SIZE,
        flt: Filter | None = None,
    ) -> None:
        super().__init__(parent)
        self._register = register
        self._columns = list(register.columns)
        self._page_size = page_size
        self._filter = flt or Filter()
        self._sort_key: str | None = None
        self._descending: bool | None = None
        self._rows: list[dict[str, Any]] = []
        self._total = 0
        self._marks = "overdue" in self._keys() and "due_soon" in self._keys()
        self._icons: dict[str, QIcon] = {}
        self._notifying = False  # inside our own reset / row insertion
        self._loads = LatestOnly()  # count + first rows: only the newest request counts
        self._pages = LatestOnly()  # the next page: dropped by any reload
        self._loading = False
        self._fetching = False
        self._more_wanted = False  # a view asked for more while a read was on its way
        self._load(keep=0)

    # ------------------------------------------------------------------ state
    def _keys(self) -> set[str]:
        return {c.key for c in self._columns}

    @property
    def register(self) -> Register:
        """The register this model shows."""
        return self._register

    def columns(self) -> list[Column]:
        """The register's columns, in model order."""
        return list(self._columns)

    def filter(self) -> Filter:
        """The filter in force."""
        return self._filter

    def setFilter(self, flt: Filter) -> None:
        """Show only records matching *flt*; starts again from the first page."""
        self._filter = flt
        self._reset()

    def sortKey(self) -> tuple[str | None, bool | None]:
        """The column key and direction sorted by (``None``: the register's default)."""
        return self._sort_key, self._descending

    def totalCount(self) -> int:
        """How many records match the filter (not just the rows loaded so far)."""
        return self._total

    def refresh(self) -> None:
        """Re-read after a change, keeping as many rows loaded as before (scroll position)."""
        self._reset(keep=len(self._rows))

    def isLoading(self) -> bool:
        """True while a load or a page asked for has not arrived yet."""
        return self._loading or self._fetching

    def _reset(self, keep: int = 0) -> None:
        self._load(keep)

    def _load(self, keep: int) -> None:
        """Ask for the count and the first ``max(page, keep)`` rows; reset when they arrive."""
        self._pages.invalidate()  # a page asked for before this reload would not fit
        self._fetching = False
        self._loading = True
        register, flt = self._register, self._filter
        sort, descending = self._sort_key, self._descending
        limit = max(self._page_size, keep)

        def read() -> tuple[int, list[dict[str, Any]]]:  # on the database worker
            rows, total = register.page_and_count(
                flt, sort=sort, descending=descending, offset=0, limit=limit
            )
            return total, rows

        op = QueryOp(self, read, self._loaded).latest_of(self._loads).failure(self._failed)
        op.run_in_background()

    def _loaded(self, result: tuple[int, list[dict[str, Any]]]) -> None:
        self._loading = False
        self._notifying = True
        self.beginResetModel()
        try:
            self._total, self._rows = result
        finally:
            try:
                self.endResetModel()
            finally:
                self._notifying = False
        self.loaded.emit()
        self._fetch_wanted()

    def _fetch_wanted(self) -> None:
        """Ask for the page a view wanted while a read was on its way (after the current
        notification is over, never from inside it)."""
        if self._more_wanted:
            self._more_wanted = False
            QTimer.singleShot(0, self, self._fetch_if_wanted)

    def _fetch_if_wanted(self) -> None:
        if self.canFetchMore():
            self.fetchMore()

    def _failed(self, exc: BaseException) -> None:
        self._loading = self._fetching = False
        report_read_failure(self, exc)

    # ------------------------------------------------------------------ rows
    def recordId(self, row: int) -> int | None:
        """The record id shown in *row* (``None`` outside the loaded rows)."""
        if 0 <= row < len(self._rows):
            return int(self._rows[row]["id"])
        return None

    def rowRecord(self, row: int) -> dict[str, Any]:
        """The raw values of *row* (column key → value, plus ``id``)."""
        return dict(self._rows[row])

    def rowOfId(self, record_id: int) -> int:
        """The row showing *record_id* among the loaded rows, or -1."""
        for row, values in enumerate(self._rows):
            if values["id"] == record_id:
                return row
        return -1

    def columnOfKey(self, key: str) -> int:
        """The model column of the register column *key*, or -1."""
        for i, col in enumerate(self._columns):
            if col.key == key:
                return i
        return -1

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Rows loaded so far (a table has no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """One column per register column."""
        return 0 if parent.isValid() else len(self._columns)

    def canFetchMore(self, parent: _AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        """True while matching records remain beyond the loaded rows."""
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _AnyIndex = QModelIndex()) -> None:  # noqa: B008
        """Ask the database worker for the next page; it is inserted when it arrives."""
        if parent.isValid() or self._notifying:
            # Asked again from inside our own reset/insert notification (a listener reacting
            # to it): nesting a second change there would confuse every view. The view asks
            # again once the notification is over, since canFetchMore() stays true.
            return
        if self._loading or self._fetching:
            # The next page would start at the wrong row: ask once the read is in. A view
            # asks only when its layout changes, so a request dropped here would be lost.
            self._more_wanted = True
            return
        offset, limit = len(self._rows), self._page_size
        register, flt = self._register, self._filter
        sort, descending = self._sort_key, self._descending

        def read() -> list[dict[str, Any]]:  # on the database worker
            return register.page(flt, sort=sort, descending=descending, offset=offset, limit=limit)

        self._fetching = True
        op = QueryOp(self, read, lambda rows: self._append(offset, rows))
        op.latest_of(self._pages).failure(self._failed).run_in_background()

    def _append(self, offset: int, rows: list[dict[str, Any]]) -> None:
        """Insert a page that arrived (read from row *offset*)."""
        self._fetching = False
        if offset != len(self._rows):
            self._fetch_wanted()
            return  # the rows changed meanwhile
        if not rows:
            # The table shrank since it was counted (another PC deleted records).
            self._total = len(self._rows)
            self._more_wanted = False
            return
        first = len(self._rows)
        self._notifying = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        finally:
            self._notifying = False
        self._total = max(self._total, len(self._rows))
        self._fetch_wanted()

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Translated column titles; row numbers vertically."""
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("Columns", self._columns[section].label)
            if role == Qt.ItemDataRole.ToolTipRole and not self._columns[section].sortable:
                return QCoreApplication.translate("RegisterModel", "This column cannot be sorted.")
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        """Rows are selectable, never edited in place (editing happens in a form)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Formatted values, the record id (:data:`RecordIdRole`) and the deadline marks."""
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not (0 <= index.column() < len(self._columns)):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(column, row.get(column.key))
        if role == RecordIdRole:
            return int(row["id"])
        if role == RowRole:
            return dict(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("int", "decimal"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if self._marks:
            return self._mark_data(row, index.column(), role)
        return None

    def _mark(self, row: dict[str, Any]) -> str | None:
        if row.get("overdue"):
            return "overdue"
        if row.get("due_soon"):
            return "due_soon"
        return None

    def _mark_data(self, row: dict[str, Any], column: int, role: int) -> Any:
        mark = self._mark(row)
        if mark is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return _MARK_BACKGROUNDS[mark]
        if role == Qt.ItemDataRole.ForegroundRole:
            return _MARK_FOREGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            if mark == "overdue":
                return QCoreApplication.translate(
                    "RegisterModel", "Overdue: not handled within the handling deadline."
                )
            return QCoreApplication.translate(
                "RegisterModel", "Due soon: the handling deadline is close."
            )
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._icon(mark)
        return None

    def _icon(self, mark: str) -> QIcon:
        if mark not in self._icons:
            style = QApplication.style()
            pixmap = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if mark == "overdue"
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            self._icons[mark] = style.standardIcon(pixmap) if style is not None else QIcon()
        return self._icons[mark]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by *column* in SQL (``ORDER BY``), from the first page again."""
        if not (0 <= column < len(self._columns)) or not self._columns[column].sortable:
            return
        self._sort_key = self._columns[column].key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._reset()
