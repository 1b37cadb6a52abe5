"""The PC settings dialog: database URL with "Test connection" and a file chooser, language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from cqms_desktop.store.models import SchemaVersion
from cqms_desktop.ui import i18n, startup
from cqms_desktop.ui.login_dialog import ERROR_STYLE
from cqms_desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


def make_dialog(qtbot, **kwargs) -> SettingsDialog:
    dialog = SettingsDialog(**kwargs)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def enter_url(qtbot, dialog: SettingsDialog, url: str) -> None:
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, url)


def press_test(qtbot, dialog: SettingsDialog) -> str:
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.isVisible()
    return dialog.result_label.text()


def test_testing_an_existing_database_says_ok(qtbot, database):
    dialog = make_dialog(qtbot, current_url="")
    enter_url(qtbot, dialog, database.url)
    assert press_test(qtbot, dialog) == (
        f"Connection OK: {database.display}\n"
        f"It holds CQMS data (schema version {migrations.LATEST})."
    )


def test_testing_a_new_file_does_not_create_it(qtbot, tmp_path):
    path = tmp_path / "new" / "cqms.sqlite3"
    dialog = make_dialog(qtbot, current_url="")
    enter_url(qtbot, dialog, dbmod.sqlite_url(path))
    assert "does not exist yet" in press_test(qtbot, dialog)
    assert not path.exists()


def test_testing_a_file_that_is_not_a_database_explains_it(qtbot, tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04 not sqlite")
    dialog = make_dialog(qtbot, current_url="")
    enter_url(qtbot, dialog, dbmod.sqlite_url(path))
    assert "is not a SQLite database" in press_test(qtbot, dialog)
    assert path.read_bytes() == b"PK\x03\x04 not sqlite"


def test_testing_an_unreachable_server_explains_it(qtbot):
    dialog = make_dialog(qtbot, current_url="")
    enter_url(qtbot, dialog, "postgresql://cqms@127.0.0.1:1/cqms")
    assert "Cannot reach the database server" in press_test(qtbot, dialog)


def test_testing_a_wrong_server_password_explains_it(qtbot):
    from tests.external import server_admin

    admin_db, admin_url = server_admin("mysql")
    admin_db.close()
    dialog = make_dialog(qtbot, current_url="")
    enter_url(qtbot, dialog, admin_url.replace("root@", "root:wrong-password@"))
    text = press_test(qtbot, dialog)
    assert "refused the user name or password" in text and "wrong-password" not in text


def test_testing_a_reachable_server_says_ok(qtbot):
    from tests.external import server_admin

    admin_db, admin_url = server_admin("postgresql")
    admin_db.close()
    dialog = make_dialog(qtbot, current_url="")
    enter_url(qtbot, dialog, admin_url)
    text = press_test(qtbot, dialog)
    assert text.startswith("Connection OK")
    # The server's maintenance database has no CQMS tables.
    assert "CQMS will create its tables" in text or "not a CQMS database" in text


def test_an_empty_url_is_asked_for(qtbot):
    dialog = make_dialog(qtbot, current_url="")
    assert press_test(qtbot, dialog) == "Enter a database URL or choose a SQLite file."


def test_a_malformed_url_is_not_saved(qtbot):
    dialog = make_dialog(qtbot, current_url="")
    enter_url(qtbot, dialog, "oracle://scott@db/orcl")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible()
    assert "Unknown database type" in dialog.result_label.text()
    assert startup.saved_database_url() == ""


def test_saving_stores_the_url_and_the_language_for_the_next_start(qtbot, tmp_path):
    url = dbmod.sqlite_url(tmp_path / "office.sqlite3")
    dialog = make_dialog(qtbot, current_url="")
    enter_url(qtbot, dialog, url)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert startup.resolve_database_url(None, environ={}) == startup.ResolvedUrl(
        url, startup.UrlSource.SETTINGS
    )
    assert i18n.saved_language() == "zh_CN"

    again = make_dialog(qtbot)
    assert again.database_url() == url
    assert again.language_combo.currentData() == "zh_CN"
    again.language_combo.setCurrentIndex(0)  # "As the system"
    again.save()
    assert QSettings().value(i18n.SETTINGS_KEY) is None


def test_the_file_chooser_fills_in_the_sqlite_url(qtbot, tmp_path, monkeypatch):
    chosen = tmp_path / "chosen.sqlite3"
    asked: list[tuple] = []

    def fake_dialog(parent, caption, start, filters, options=None):
        asked.append((caption, start, filters, options))
        return str(chosen), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    existing = tmp_path / "old.sqlite3"
    dialog = make_dialog(qtbot, current_url=dbmod.sqlite_url(existing))
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert dialog.database_url() == dbmod.sqlite_url(chosen)
    (_caption, start, filters, options) = asked[0]
    assert start == str(existing)
    assert "*.sqlite3" in filters
    assert options & QFileDialog.Option.DontConfirmOverwrite
    assert not chosen.exists()


def test_database_only_mode_stores_nothing_and_hides_the_language(qtbot, tmp_path):
    url = dbmod.sqlite_url(tmp_path / "x.sqlite3")
    dialog = make_dialog(qtbot, current_url="sqlite:////old.sqlite3", database_only=True)
    assert not dialog.language_combo.isVisibleTo(dialog)
    enter_url(qtbot, dialog, url)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.database_url() == url
    assert startup.saved_database_url() == ""


def test_a_cqms_db_variable_is_pointed_out(qtbot, monkeypatch):
    assert not make_dialog(qtbot).environment_note.isVisibleTo(None)
    monkeypatch.setenv("CQMS_DB", "postgresql://cqms:secret@db.example:5432/cqms")
    dialog = make_dialog(qtbot)
    assert dialog.environment_note.isVisible()
    assert "postgresql://cqms:***@db.example:5432/cqms" in dialog.environment_note.text()
    assert "secret" not in dialog.environment_note.text()


def test_testing_tells_empty_newer_and_foreign_databases_apart(qtbot, tmp_path):
    import sqlite3

    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE invoices (id INTEGER)")
    newer = tmp_path / "newer.sqlite3"
    dbmod.open_database(dbmod.sqlite_url(newer))
    migrations.migrate()
    SchemaVersion.create(
        version=migrations.LATEST + 1,
        applied_at=SchemaVersion.get().applied_at,
        program_version="9.9",
    )
    dbmod.close_database()
    dialog = make_dialog(qtbot, current_url="")
    results = {}
    for name, path in (("empty", empty), ("foreign", foreign), ("newer", newer)):
        enter_url(qtbot, dialog, dbmod.sqlite_url(path))
        results[name] = press_test(qtbot, dialog)
    assert "It is empty" in results["empty"]
    assert "not a CQMS database" in results["foreign"] and "invoices" in results["foreign"]
    assert "newer program version" in results["newer"]
    assert dialog.result_label.styleSheet() == ERROR_STYLE  # the last one is a problem
    with pytest.raises(Exception, match="No database is open"):
        dbmod.current()  # testing never binds the program's database


def test_the_log_file_is_named_and_its_folder_opens(qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from cqms_desktop import paths

    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices,
        "openUrl",
        staticmethod(lambda url: opened.append(url.toLocalFile()) or True),
    )
    dialog = make_dialog(qtbot, current_url="")
    assert str(paths.log_path()) in dialog.log_label.text()
    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    assert opened == [str(paths.log_path().parent)]


def test_the_preset_for_this_pc_is_shown(qtbot, tmp_path):
    assert not make_dialog(qtbot).preset_note.isVisibleTo(None)
    ini = tmp_path / "machine" / "cqms.ini"
    ini.parent.mkdir()
    ini.write_text("[database]\nurl=postgresql://cqms:s%40cret@server/cqms\n", encoding="utf-8")
    dialog = make_dialog(qtbot)
    assert dialog.preset_note.isVisible()
    text = dialog.preset_note.text()
    assert "Preset for this PC" in text and str(ini) in text
    assert "postgresql://cqms:***@server/cqms" in text and "s%40cret" not in text


def test_a_malformed_preset_is_explained_in_settings(qtbot, tmp_path):
    ini = tmp_path / "machine" / "cqms.ini"
    ini.parent.mkdir()
    ini.write_text("[database]\nurl=sqlite:cqms.sqlite3\n", encoding="utf-8")
    dialog = make_dialog(qtbot)
    assert "cannot be used" in dialog.preset_note.text()
    assert "malformed" in dialog.preset_note.text()
    assert ini.read_text(encoding="utf-8") == "[database]\nurl=sqlite:cqms.sqlite3\n"


@pytest.mark.parametrize(
    ("chosen", "url"),
    [
        (r"\\fileserver\qa\cqms.sqlite3", "sqlite://///fileserver/qa/cqms.sqlite3"),
        ("//fileserver/质量 部/cqms.sqlite3", "sqlite://///fileserver/质量 部/cqms.sqlite3"),
        (r"Z:\质量部\cqms.sqlite3", "sqlite:///Z:/质量部/cqms.sqlite3"),
    ],
)
def test_a_file_chosen_on_a_windows_share_keeps_its_path(qtbot, chosen, url):
    """What the file dialog returns for a share or a mapped drive becomes a URL naming that
    file (the UNC path's two leading slashes kept), not a local one."""
    dialog = make_dialog(qtbot)
    dialog.set_sqlite_file(chosen)
    assert dialog.database_url() == url
