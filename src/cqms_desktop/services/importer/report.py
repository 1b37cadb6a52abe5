"""What an import reports: the errors that stop it, one :class:`Problem` per bad cell, the
:class:`ImportReport` (the validation report, and what was written), and the progress and
cancel callbacks every step takes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...domain.errors import CqmsError, ValidationError
from ...domain.i18n import QT_TRANSLATE_NOOP

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]
Translate = Callable[[str, str], str]

#: Rows between two progress reports / cancel checks.
PROGRESS_EVERY = 500


class ImportFileError(ValidationError):
    """The file as a whole cannot be imported (not xlsx, empty, merged headings…)."""


class ImportCancelled(CqmsError):
    """The user cancelled the import; nothing was imported."""


@dataclass(frozen=True)
class Problem:
    """One bad cell: spreadsheet row (1-based), the column's heading, the cell, its value."""

    row: int
    column: str
    cell: str
    value: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    field: str | None = None
    #: The target field's label (context ``Columns``), printed for ``{field}``.
    label: str = ""

    def text(self, translate: Translate | None = None) -> str:
        """What is wrong, in the user's language."""
        tr = translate or (lambda _context, text: text)
        if not self.label:
            error = ValidationError(self.message, field=self.field, **self.params)
            return error.translated(tr)
        # The column's own label (as the list and the mapping show it) names the field.
        params = {"field": tr("Columns", self.label), **self.params}
        try:
            return tr("Errors", self.message).format(**params)
        except (KeyError, IndexError, ValueError):  # a broken translation: the English text
            return self.message.format(**params)


@dataclass
class ImportReport:
    """The validation report (and, after an import, what was written)."""

    kind: str
    path: Path
    mapping: dict[str, str]
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    new: int = 0
    existing: int = 0
    imported: int = 0
    done: bool = False

    @property
    def failed_rows(self) -> int:
        """How many rows have at least one problem."""
        return len({p.row for p in self.problems})

    @property
    def valid_rows(self) -> int:
        """Rows without problems (new or already in the database)."""
        return self.rows - self.failed_rows

    @property
    def ok(self) -> bool:
        """True if no row has a problem."""
        return not self.problems

    def summary(self, translate: Translate | None = None) -> str:
        """One line: rows read, with problems, new, already there (and imported)."""
        tr = translate or (lambda _c, text: text)
        text = tr(
            "Import",
            QT_TRANSLATE_NOOP(
                "Import",
                "{rows} rows: {failed} with problems, {new} new, {existing} already in the "
                "database.",
            ),
        ).format(rows=self.rows, failed=self.failed_rows, new=self.new, existing=self.existing)
        if self.done:
            done = tr("Import", QT_TRANSLATE_NOOP("Import", "{imported} imported."))
            text += " " + done.format(imported=self.imported)
        return text


class ImportRefused(ValidationError):
    """Rows have problems and "import the valid rows" was not chosen; nothing was imported."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "Errors",
                "{failed} of {rows} rows have problems; nothing was imported. Correct the file, "
                "or import the valid rows only.",
            ),
            failed=report.failed_rows,
            rows=report.rows,
        )
        self.report = report


def iter_problem_rows(
    report: ImportReport, translate: Translate | None = None
) -> Iterator[tuple[str, str, str, str]]:
    """(row, column, value, problem) as text, for the report table and the command line."""
    for p in report.problems:
        column = f"{p.column} ({p.cell})" if p.cell else p.column
        yield str(p.row), column, p.value, p.text(translate)
