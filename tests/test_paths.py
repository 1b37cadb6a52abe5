"""Where things live: the data folder, the machine-wide preset database (issue #9)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cqms_desktop import paths
from cqms_desktop.domain.errors import CqmsError


@pytest.fixture
def machine_ini(tmp_path, monkeypatch) -> Path:
    """``CQMS_MACHINE_SETTINGS`` pointing at a file in tmp (not written yet)."""
    ini = tmp_path / "ProgramData" / "CQMS" / "cqms.ini"
    ini.parent.mkdir(parents=True)
    monkeypatch.setenv("CQMS_MACHINE_SETTINGS", str(ini))
    monkeypatch.delenv("CQMS_DB", raising=False)
    monkeypatch.setenv("CQMS_DATA_DIR", str(tmp_path / "data"))
    return ini


def test_no_machine_settings_file_means_no_preset(machine_ini):
    assert paths.machine_database_url() == ""
    assert paths.default_database_url() == (
        "sqlite:///" + (machine_ini.parents[2] / "data" / "cqms.sqlite3").as_posix()
    )


def test_preset_written_by_notepad_is_read(machine_ini):
    """UTF-8 with a byte-order mark and CRLF, a percent-encoded password kept as it is."""
    url = "postgresql://cqms:p%40ss%25word@server/cqms"
    machine_ini.write_bytes(b"\xef\xbb\xbf[database]\r\nurl = " + url.encode() + b"\r\n")
    assert paths.machine_database_url() == url
    assert paths.default_database_url() == url


def test_cqms_db_wins_over_the_preset(machine_ini, monkeypatch):
    machine_ini.write_text("[database]\nurl=mysql://cqms@server/cqms\n", encoding="utf-8")
    monkeypatch.setenv("CQMS_DB", "sqlite:////tmp/other.sqlite3")
    assert paths.default_database_url() == "sqlite:////tmp/other.sqlite3"


def test_unc_preset_with_chinese_folder(machine_ini):
    url = "sqlite://///fileserver/质量部/cqms.sqlite3"
    machine_ini.write_text(f"[database]\nurl={url}\n", encoding="utf-8")
    assert paths.preset_database_url() == url


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[database]\nurl=oracle://scott@h/db\n", "not usable: Unknown database type"),
        ("[database]\nurl=sqlite:cqms.sqlite3\n", "not usable: The SQLite URL"),
        ("url=postgresql://x@y/z\n", "cannot be read"),  # no section header
    ],
)
def test_malformed_preset_is_explained_and_left_alone(machine_ini, content, message):
    machine_ini.write_text(content, encoding="utf-8")
    before = machine_ini.read_bytes()
    with pytest.raises(CqmsError, match=message) as caught:
        paths.default_database_url()
    assert str(machine_ini) in caught.value.translated()
    assert machine_ini.read_bytes() == before


def test_preset_file_that_is_not_utf8_is_explained(machine_ini):
    machine_ini.write_bytes("[database]\nurl=sqlite:///C:/数据/x.sqlite3\n".encode("gbk"))
    with pytest.raises(CqmsError, match="cannot be read"):
        paths.machine_database_url()


def test_machine_settings_location(monkeypatch):
    monkeypatch.delenv("CQMS_MACHINE_SETTINGS", raising=False)
    if sys.platform == "win32":  # pragma: no cover - Windows only
        monkeypatch.setenv("PROGRAMDATA", r"D:\PD")
        assert paths.machine_settings_path() == Path(r"D:\PD\CQMS\cqms.ini")
    else:
        assert paths.machine_settings_path() == Path("/etc/xdg/CQMS/cqms.ini")


def test_windows_data_folder_is_local_appdata_without_qt(tmp_path, monkeypatch):
    """On Windows the data folder is found without Qt (QtCore cannot load under Wine) and is
    the Local, not the Roaming, AppData."""
    monkeypatch.delenv("CQMS_DATA_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert paths.data_dir() == tmp_path / "Local" / "CQMS" / "CQMS Desktop"
    assert paths.default_database_path() == paths.data_dir() / "cqms.sqlite3"


def test_database_left_in_roaming_by_an_older_version_is_used_where_it_is(tmp_path, monkeypatch):
    monkeypatch.delenv("CQMS_DATA_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    old = tmp_path / "Roaming" / "CQMS" / "CQMS Desktop" / "cqms.sqlite3"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"")
    assert paths.default_database_path() == old
    (paths.data_dir() / "cqms.sqlite3").write_bytes(b"")
    assert paths.default_database_path() == paths.data_dir() / "cqms.sqlite3"
