"""The one frame every record editor is built on (complaint, visit, feedback, survey, service).

:class:`RecordEditor` holds what all five share:

* **state** — the record's id (``None`` while new), the version the user opened (handed to
  every update so that a change someone else saved meanwhile is refused as a conflict), and
  what each tracked input showed when the record was loaded: the editor is *dirty* when any
  input shows something else (:meth:`RecordEditor.is_dirty`);
* **one save runner** (:meth:`RecordEditor.save`): runs the service call the editor's
  :meth:`submit` prepares on the one database worker (busy cursor; the window keeps painting),
  shows a refusal next to the field it names (:meth:`show_error`, the editor's
  own way), and on success deletes the draft, reloads and announces the change (``saved``);
  other service calls (a workflow step, an acknowledgement…) run through
  :meth:`RecordEditor.perform`, which keeps the user's other unsaved input across the reload;
* **the unsaved-changes guard**: Esc, a Close button, the window's close button (all three end
  in :meth:`QDialog.reject`) and quitting the program (:func:`confirm_closing_editors`) ask
  Save / Discard / Cancel when something changed, never otherwise;
* **drafts** (:mod:`.drafts`): a moment after the user stops typing the inputs are written to
  a file on this PC; the next opening of the record offers them back. A save that fails
  because the database cannot be reached keeps the draft and says so.

Every question goes through :func:`.questions.ask`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QBoxLayout, QDialog, QMessageBox, QWidget

from ...domain.clock import to_local
from ...domain.errors import CqmsError, SaveOutcomeUnknown
from ...services import save_outcome
from ...services.base import Actor
from ...services.database import connection_lost
from ...services.remote_changes import RemoteChange
from ..error_handling import error_box, error_text
from ..operations import call_and_wait
from ..remote_changes import current_watcher
from . import drafts, questions
from .changed_elsewhere import ChangedElsewhereBanner, change_for
from .input_state import input_signals, read_input, write_input
from .questions import Answer

log = logging.getLogger(__name__)


#: The result of a save whose answer was lost but which went through (see ``save``).
_SAVED_AFTER_ALL = object()


class RecordEditor(QDialog):
    """The shared state, save runner, unsaved-changes guard and drafts of a record editor."""

    #: Emitted after each successful save or action with the record's id.
    saved = Signal(object)

    #: The record kind, naming its drafts (``complaint``, ``visit``, ``feedback``…).
    record_kind = ""
    #: How long after the last keystroke the draft is written (milliseconds).
    DRAFT_DELAY_MS = 1500

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        #: The record shown (``None``: a new one, not saved yet).
        self.record_id: int | None = None
        #: The version the user opened: updates pass it on (optimistic locking).
        self.opened_version = 0
        #: The tracked inputs, by name (the names key the drafts).
        self.inputs: dict[str, QWidget] = {}
        self.message_box: QMessageBox | None = None
        self._loaded_state: dict[str, Any] = {}
        self._loading = False
        self._leave_confirmed = False
        self._saving = False
        #: This editor wrote (or restored) the draft of its record: it removes it when done.
        self._owns_draft = False
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(self.DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.write_draft)
        #: Shown when another PC changed the record (see :meth:`on_remote_changes`).
        self.changed_elsewhere = ChangedElsewhereBanner(self.reload_changed, self)
        self._watching = False

    # ------------------------------------------------------------------ hooks
    def show_record(self) -> None:
        """Fill the widgets from the record (``record_id``; ``None``: the new-record form)."""
        raise NotImplementedError

    def loaded_version(self) -> int:
        """The version of the record :meth:`show_record` just showed (0 for a new one)."""
        raise NotImplementedError

    def submit(self) -> Callable[[], Any]:
        """Read the inputs (here, on the GUI thread) and return the service call that saves
        them. The call runs on the database worker, so it must not touch a widget; it returns
        the saved record (or its id), or ``None`` when nothing was saved and nothing is wrong.
        """
        raise NotImplementedError

    def remember_saved(self, result: Any) -> bool:
        """Take note of what the call of :meth:`submit` returned (its id becomes
        :attr:`record_id`); False when nothing was saved."""
        if result is None:
            return False
        self.record_id = result if isinstance(result, int) else result.id
        return True

    def show_error(self, exc: CqmsError) -> None:
        """Show a refusal, at the field it names if there is one."""
        raise NotImplementedError

    def clear_errors(self) -> None:
        """Hide the refusal shown last."""

    def describe(self) -> str:
        """How the questions name the record (the window title by default)."""
        return self.windowTitle()

    # ------------------------------------------------------------------ inputs
    def track_inputs(self, inputs: Mapping[str, QWidget]) -> None:
        """Watch *inputs*: their values make the dirty flag and the draft."""
        for name, widget in inputs.items():
            self.inputs[name] = widget
            for signal in input_signals(widget):
                signal.connect(self._input_changed)

    def input_state(self) -> dict[str, Any]:
        """What every tracked input shows now."""
        return {name: read_input(widget) for name, widget in self.inputs.items()}

    def apply_input_state(self, values: Mapping[str, Any]) -> None:
        """Show *values* in the inputs of those names (unknown names are ignored)."""
        for name, value in values.items():
            widget = self.inputs.get(name)
            if widget is not None:
                write_input(widget, value)

    def unsaved_inputs(self) -> dict[str, Any]:
        """The inputs whose value differs from what was loaded."""
        return {
            name: value
            for name, value in self.input_state().items()
            if self._loaded_state.get(name) != value
        }

    def is_dirty(self) -> bool:
        """True when some input shows something other than what was loaded."""
        return bool(self.unsaved_inputs())

    def mark_clean(self) -> None:
        """What the inputs show now counts as unchanged."""
        self._loaded_state = self.input_state()
        self._draft_timer.stop()

    def _input_changed(self, *_args: Any) -> None:
        if not self._loading:
            self._draft_timer.start()

    # ------------------------------------------------------------------ loading
    def reload(self) -> None:
        """Read the record again, show it and take what is shown as unchanged."""
        self._loading = True
        try:
            self.show_record()
            self.opened_version = self.loaded_version()
        finally:
            self._loading = False
        self.mark_clean()

    def reload_keeping_input(self) -> None:
        """Reload after an action of the user's, keeping what they typed and not saved yet
        in the other inputs (it stays unsaved)."""
        unsaved = self.unsaved_inputs()
        self.reload()
        if unsaved:
            self.apply_input_state(unsaved)
            self._draft_timer.start()

    # ------------------------------------------------------------------ the save runner
    def action_failed(self, exc: BaseException) -> None:
        """Show why a service call failed; keep the input locally if the database is away."""
        if connection_lost(exc):
            log.warning("saving %s failed, the database is unreachable: %s", self.describe(), exc)
            kept = self.write_draft(force=True)
            error = error_text(exc) if isinstance(exc, CqmsError) else str(exc)
            if isinstance(exc, SaveOutcomeUnknown):
                # Read back and still not known to be saved (or the server is away again).
                text = QCoreApplication.translate(
                    "Editors",
                    "The connection was lost while saving, and the program could not confirm "
                    "that the change was saved. Open the record again to see what it holds."
                    "\n\n{error}",
                ).format(error=error)
            else:
                text = QCoreApplication.translate(
                    "Editors",
                    "The database cannot be reached, so nothing was saved.\n\n{error}",
                ).format(error=error)
            self.message_box = QMessageBox(
                QMessageBox.Icon.Warning,
                QCoreApplication.translate("Editors", "Database not reachable"),
                text,
                QMessageBox.StandardButton.Ok,
                self,
            )
            if kept:
                self.message_box.setInformativeText(
                    QCoreApplication.translate(
                        "Editors",
                        "Your input is kept on this PC. It is offered back when you open "
                        "this record again; or try Save again once the connection is back.",
                    )
                )
            self.message_box.open()
            return
        if isinstance(exc, CqmsError):
            self.show_error(exc)
            return
        log.exception("%s: the action failed", type(self).__name__, exc_info=exc)
        self.message_box = error_box(self, exc)
        self.message_box.open()

    def save(self) -> bool:
        """Save the inputs through :meth:`submit` on the database worker (the busy cursor shows
        meanwhile, the window keeps painting); on success forget the draft, reload and announce
        the change. False (the reason shown, the input kept) when not saved."""
        if self._saving:
            return False  # Ctrl+S again while the save is under way
        draft_id = self.record_id
        self.clear_errors()
        try:
            work = self.submit()
        except Exception as exc:  # reading the inputs failed: shown like a refused save
            self.action_failed(exc)
            return False
        ok, result = self._run_on_worker(work, settle_unknown=True)
        if ok and result is _SAVED_AFTER_ALL:
            pass  # the lost answer's save went through: the record id is known already
        elif not ok or not self.remember_saved(result):
            return False
        drafts.delete_draft(self.record_kind, draft_id, self.actor.username)
        drafts.delete_draft(self.record_kind, self.record_id, self.actor.username)
        self._owns_draft = False
        self.reload()
        self.announce()
        return True

    def _run_on_worker(
        self, work: Callable[[], Any], *, settle_unknown: bool = False
    ) -> tuple[bool, Any]:
        """Run *work* on the one database worker and wait for it without freezing the window;
        on failure show why. Returns (succeeded, its result).

        With *settle_unknown* (a save of an existing record), a save whose answer was lost
        (:class:`SaveOutcomeUnknown`) is settled by reading the record's version back: one
        past the version opened and saved by this user means it went through
        (``(True, _SAVED_AFTER_ALL)``); otherwise it failed, and the draft is kept."""
        self._saving = True
        try:
            ok, result = call_and_wait(work)
            if not ok and settle_unknown and isinstance(result, SaveOutcomeUnknown):
                ok, result = self._settle_unknown_save(result)
        finally:
            self._saving = False
        if not ok:
            self.action_failed(result)
            return False, None
        return True, result

    def _settle_unknown_save(self, unknown: SaveOutcomeUnknown) -> tuple[bool, Any]:
        record_id, version, user = self.record_id, self.opened_version, self.actor.username
        if record_id is None or not self.record_kind:
            return False, unknown  # a new record: nothing to read back by id
        checked, saved = call_and_wait(
            lambda: save_outcome.saved_by_me(self.record_kind, record_id, version, user)
        )
        if checked and saved:
            log.warning("%s: the save's answer was lost, but it went through", self.describe())
            return True, _SAVED_AFTER_ALL
        return False, unknown

    def perform(self, action: Callable[[], Any]) -> bool:
        """Run another service call on the record (a step, an acknowledgement…) on the database
        worker, like a save: on success reload — keeping the user's other unsaved input — and
        announce the change. False (the reason shown) when it failed or a call is under way.

        *action* runs off the GUI thread: it must not read widgets (take their values first).
        """
        if self._saving:
            return False
        self.clear_errors()
        ok, _result = self._run_on_worker(action)
        if ok:
            self.reload_keeping_input()
            self.announce()
        return ok

    def announce(self) -> None:
        """Tell listeners the record changed."""
        if self.record_id is not None:
            self.saved.emit(self.record_id)

    # ------------------------------------------------------------------ drafts
    def write_draft(self, force: bool = False) -> bool:
        """Keep the unsaved input on this PC (or remove the draft when nothing is unsaved);
        *force* writes it even when the inputs look unchanged. True when a draft is kept."""
        self._draft_timer.stop()
        if not self.record_kind:
            return False
        if not force and not self.is_dirty():
            if self._owns_draft:
                drafts.delete_draft(self.record_kind, self.record_id, self.actor.username)
                self._owns_draft = False
            return False
        draft = drafts.new_draft(
            self.record_kind,
            self.record_id,
            self.actor.username,
            self.opened_version,
            self.input_state(),
        )
        self._owns_draft = drafts.write_draft(draft) is not None
        return self._owns_draft

    def forget_draft(self) -> None:
        """Delete this record's draft (saved, or the user discarded the changes)."""
        self._draft_timer.stop()
        drafts.delete_draft(self.record_kind, self.record_id, self.actor.username)
        self._owns_draft = False

    def offer_draft(self) -> bool:
        """If unsaved input of this record (or of a new record of this kind) was kept, offer
        it back: Restore applies it onto the freshly loaded record with the version it was
        typed on, Discard deletes it. True when restored."""
        draft = drafts.read_draft(self.record_kind, self.record_id, self.actor.username)
        if draft is None:
            return False
        shown = self.input_state()
        if all(shown.get(name) == value for name, value in draft.values.items()):
            self.forget_draft()  # nothing in it that is not shown already
            return False
        when = to_local(draft.saved_at).strftime("%Y-%m-%d %H:%M")
        answer = questions.ask(
            self,
            QCoreApplication.translate("Editors", "Unsaved changes found"),
            QCoreApplication.translate(
                "Editors", "Restore the unsaved changes from {time} to {record}?"
            ).format(time=when, record=self.describe()),
            (Answer.RESTORE, Answer.DISCARD),
            Answer.RESTORE,
        )
        if answer is Answer.DISCARD:
            self.forget_draft()
            return False
        if answer is not Answer.RESTORE:
            return False  # asked again next time
        self._loading = True
        try:
            self.apply_input_state(draft.values)
        finally:
            self._loading = False
        if self.record_id is not None:
            # The version the input was typed on: a change saved since is a conflict.
            self.opened_version = draft.version
        self._owns_draft = True
        return True

    # ------------------------------------------------------------------ leaving
    def confirm_leave(self) -> bool:
        """May the editor go? Asks Save / Discard / Cancel when something is unsaved; a Save
        that fails keeps the editor (with the reason shown)."""
        if self._leave_confirmed:
            return True
        if not self.is_dirty():
            if self._owns_draft:
                self.forget_draft()
            return True
        answer = questions.ask(
            self,
            QCoreApplication.translate("Editors", "Unsaved changes"),
            QCoreApplication.translate(
                "Editors", "Save your changes to {record} before closing?"
            ).format(record=self.describe()),
            (Answer.SAVE, Answer.DISCARD, Answer.CANCEL),
            Answer.SAVE,
        )
        if answer is Answer.SAVE:
            return self.save()
        if answer is Answer.DISCARD:
            self.forget_draft()
            self.mark_clean()
            return True
        return False

    def reject(self) -> None:
        """Esc, the Close button and the window's close button: leave if the user agrees."""
        if self.confirm_leave():
            self._leave_confirmed = True  # Qt may come back through close(): ask once
            self._draft_timer.stop()
            super().reject()

    def close_confirmed(self) -> None:
        """Close without asking (the question was answered already, e.g. when quitting)."""
        self._leave_confirmed = True
        self._draft_timer.stop()
        self.close()

    def showEvent(self, event: QShowEvent) -> None:
        """Shown (again): the next way out asks again; changes from other PCs are followed."""
        self._leave_confirmed = False
        if not self._watching:
            watcher = current_watcher()
            if watcher is not None:
                watcher.recordsChanged.connect(self.on_remote_changes)
                self._watching = True
            layout = self.layout()
            if isinstance(layout, QBoxLayout) and layout.indexOf(self.changed_elsewhere) < 0:
                layout.insertWidget(0, self.changed_elsewhere)
        super().showEvent(event)

    # ------------------------------------------------------------------ other PCs' changes
    def on_remote_changes(self, changes: list[RemoteChange]) -> None:
        """Another PC changed records: if this one is among them, say who and when."""
        change = change_for(changes, self.record_kind, self.record_id)
        if change is not None:
            self.changed_elsewhere.show_change(change)

    def reload_changed(self) -> None:
        """Show the record as it is now; unsaved input is discarded only if the user says so."""
        if self.is_dirty():
            answer = questions.ask(
                self,
                QCoreApplication.translate("Editors", "Reload the record"),
                QCoreApplication.translate(
                    "Editors",
                    "Reloading shows the other change and discards what you typed here. "
                    "Discard your changes and reload?",
                ),
                [Answer.DISCARD, Answer.CANCEL],
                Answer.CANCEL,
            )
            if answer is not Answer.DISCARD:
                return
            self.forget_draft()
        self.reload()
        self.changed_elsewhere.hide()


def open_editors(root: QWidget) -> list[RecordEditor]:
    """The record editors shown under *root* (a window), innermost last."""
    return [e for e in root.findChildren(RecordEditor) if e.isVisible()]


def confirm_closing_editors(root: QWidget) -> bool:
    """Quitting or signing out: ask every open editor under *root* with unsaved changes
    (Save / Discard / Cancel), then close them. False — nothing closed — on the first Cancel
    or failed save."""
    editors = open_editors(root)
    # The innermost first: a feedback opened from a visit is answered before the visit.
    for editor in reversed(editors):
        if editor.is_dirty() and QGuiApplication.platformName() != "offscreen":
            editor.raise_()  # show which record the question is about
            editor.activateWindow()
        if not editor.confirm_leave():
            return False
    for editor in reversed(editors):
        editor.close_confirmed()
    return True
