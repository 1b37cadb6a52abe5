"""Opening databases: URL forms, network shares, and every bad input with a clear message."""

from __future__ import annotations

import os

import pytest

from cqms_desktop.domain.errors import DatabaseError
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.network_paths import (
    is_network_path,
    is_windows_network_path,
    mount_fs_type,
)

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//fileserver/qa /mnt/qa cifs rw,vers=3.0 0 0
nas:/export/office /srv/office nfs4 rw 0 0
/dev/sdb1 /mnt/qa/local ext4 rw 0 0
//server/with\\040space /mnt/with\\040space smb3 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/home/li/cqms.sqlite3", False),
        ("/mnt/qa/cqms.sqlite3", True),
        ("/srv/office/data/cqms.sqlite3", True),
        ("/mnt/qa/local/cqms.sqlite3", False),  # a local disk mounted inside the share
        ("/mnt/qaz/cqms.sqlite3", False),  # prefix of a mount point is not inside it
        ("/mnt/with space/cqms.sqlite3", True),
    ],
)
def test_linux_network_mounts_are_detected(path, expected):
    assert is_network_path(path, mounts_text=MOUNTS) is expected


def test_mount_lookup_picks_the_longest_mount_point():
    assert mount_fs_type("/mnt/qa/local/x", MOUNTS) == "ext4"
    assert mount_fs_type("/mnt/qa/x", MOUNTS) == "cifs"


@pytest.mark.parametrize(
    ("path", "drive_type", "expected"),
    [
        (r"\\fileserver\qa\cqms.sqlite3", None, True),
        ("//fileserver/qa/cqms.sqlite3", None, True),
        (r"Z:\cqms\cqms.sqlite3", 4, True),  # DRIVE_REMOTE: a mapped network drive
        (r"C:\Users\li\cqms.sqlite3", 3, False),  # DRIVE_FIXED
    ],
)
def test_windows_unc_paths_and_mapped_drives(path, drive_type, expected):
    assert is_windows_network_path(path, drive_type=drive_type) is expected


def test_sqlite_on_a_network_share_uses_the_rollback_journal(tmp_path, monkeypatch):
    monkeypatch.setattr(dbmod, "is_network_path", lambda path: True)
    info = dbmod.open_database(dbmod.sqlite_url(tmp_path / "shared.sqlite3"))
    try:
        mode = dbmod.database_proxy.execute_sql("PRAGMA journal_mode").fetchone()[0]
        assert mode == "delete"
        assert info.network_share and info.warnings
    finally:
        dbmod.close_database()


def test_local_sqlite_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    info = dbmod.open_database(dbmod.sqlite_url(tmp_path / "local.sqlite3"))
    try:
        q = dbmod.database_proxy.execute_sql
        assert q("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert q("PRAGMA foreign_keys").fetchone()[0] == 1
        assert q("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert not info.network_share
    finally:
        dbmod.close_database()


def test_url_forms():
    assert dbmod.backend_of("postgresql://u@h:5432/db") == "postgresql"
    assert dbmod.backend_of("postgres://u@h/db") == "postgresql"
    assert dbmod.backend_of("mysql://root@h:3306/db") == "mysql"
    assert dbmod.backend_of("mariadb://root@h/db") == "mysql"
    assert dbmod.backend_of("sqlite:////tmp/x.sqlite3") == "sqlite"
    assert dbmod.backend_of("/tmp/x.sqlite3") == "sqlite"
    assert dbmod.describe_url("postgresql://u:secret@h/db") == "postgresql://u:***@h/db"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("oracle://scott@h/db", "Unknown database type"),
        ("sqlite:relative", "malformed"),
        ("postgresql://u@127.0.0.1:notaport/x", "malformed"),
        ("postgresql://u@127.0.0.1:5432", "names no database"),
        ("", "empty"),
    ],
)
def test_malformed_urls_are_explained(url, message):
    with pytest.raises(DatabaseError, match=message):
        dbmod.open_database(url)


def test_unreachable_server_is_explained():
    with pytest.raises(DatabaseError, match="Cannot reach the database server"):
        dbmod.open_database("postgresql://nobody@127.0.0.1:1/cqms")


def test_wrong_server_password_is_explained():
    # MariaDB's root on this machine has an empty password: any password is wrong.
    try:
        with pytest.raises(DatabaseError, match="refused the user name or password"):
            dbmod.open_database("mysql://root:wrong@127.0.0.1:3306/mysql")
    except DatabaseError:
        raise
    except Exception as exc:  # pragma: no cover - only without a server
        pytest.skip(str(exc))


def test_missing_server_database_is_explained():
    with pytest.raises(DatabaseError, match="does not exist"):
        dbmod.open_database("postgresql://postgres@127.0.0.1:5432/no_such_cqms_db")


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    f = tmp_path / "notes.sqlite3"
    f.write_text("quarterly notes, not a database")
    with pytest.raises(DatabaseError, match="not a SQLite database"):
        dbmod.open_database(dbmod.sqlite_url(f))
    assert f.read_text() == "quarterly notes, not a database"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write read-only files")
def test_read_only_file_is_refused(tmp_path):
    f = tmp_path / "ro.sqlite3"
    dbmod.open_database(dbmod.sqlite_url(f))
    dbmod.database_proxy.execute_sql("CREATE TABLE t (x)")
    dbmod.close_database()
    f.chmod(0o444)
    with pytest.raises(DatabaseError, match="read-only"):
        dbmod.open_database(dbmod.sqlite_url(f))


def test_read_only_check_is_made_before_opening(tmp_path, monkeypatch):
    # Root ignores file modes, so also check the decision itself with os.access faked.
    f = tmp_path / "ro.sqlite3"
    dbmod.open_database(dbmod.sqlite_url(f))
    dbmod.database_proxy.execute_sql("CREATE TABLE t (x)")
    dbmod.close_database()
    monkeypatch.setattr(dbmod.os, "access", lambda path, mode: False)
    with pytest.raises(DatabaseError, match="read-only"):
        dbmod.open_database(dbmod.sqlite_url(f))


# ------------------------------------------------- Windows paths: file dialog → URL → path
# Decided from the text, so these run on Linux too (issue #9: a UNC path lost one of its two
# leading slashes and named a new local file instead of the office's shared one).
@pytest.mark.parametrize(
    ("chosen", "url", "path", "network"),
    [
        (
            r"\\fileserver\qa\cqms.sqlite3",
            "sqlite://///fileserver/qa/cqms.sqlite3",
            r"\\fileserver\qa\cqms.sqlite3",
            True,
        ),
        (
            "//fileserver/qa/cqms.sqlite3",
            "sqlite://///fileserver/qa/cqms.sqlite3",
            r"\\fileserver\qa\cqms.sqlite3",
            True,
        ),
        (
            r"\\fileserver\质量 部\投诉 数据.sqlite3",
            "sqlite://///fileserver/质量 部/投诉 数据.sqlite3",
            r"\\fileserver\质量 部\投诉 数据.sqlite3",
            True,
        ),
        (
            r"Z:\cqms\cqms.sqlite3",
            "sqlite:///Z:/cqms/cqms.sqlite3",
            r"Z:\cqms\cqms.sqlite3",
            None,  # a mapped drive: GetDriveTypeW decides
        ),
        (
            "Z:/质量部/cqms 100%.sqlite3",
            "sqlite:///Z:/质量部/cqms 100%25.sqlite3",
            r"Z:\质量部\cqms 100%.sqlite3",
            None,
        ),
        (
            r"C:\Users\li\AppData\Local\CQMS\CQMS Desktop\cqms.sqlite3",
            "sqlite:///C:/Users/li/AppData/Local/CQMS/CQMS Desktop/cqms.sqlite3",
            r"C:\Users\li\AppData\Local\CQMS\CQMS Desktop\cqms.sqlite3",
            None,
        ),
    ],
)
def test_windows_paths_survive_the_round_trip(chosen, url, path, network):
    assert dbmod.sqlite_url(chosen) == url
    assert dbmod.sqlite_path_from_url(url) == path
    assert dbmod.sqlite_url(dbmod.sqlite_path_from_url(url)) == url
    if network is None:  # a drive letter: remote only when Windows says the drive is remote
        assert is_windows_network_path(path, drive_type=4)  # DRIVE_REMOTE
        assert not is_windows_network_path(path, drive_type=3)  # DRIVE_FIXED
    else:
        assert is_windows_network_path(path) is network
        assert is_network_path(path) is network


@pytest.mark.parametrize(
    "name", ["cqms.sqlite3", "质量 部/投诉 数据.sqlite3", "100% sure/x.sqlite3"]
)
def test_posix_paths_survive_the_round_trip(tmp_path, name):
    chosen = tmp_path / name
    url = dbmod.sqlite_url(chosen)
    assert url.startswith("sqlite:////")
    assert dbmod.sqlite_path_from_url(url) == str(chosen)


def test_unc_path_is_never_created_as_a_local_file(tmp_path, monkeypatch):
    """Off Windows a UNC path cannot be opened: a clear message, and no file named after it."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseError, match="Windows network path"):
        dbmod.open_database("sqlite://///fileserver/qa/cqms.sqlite3")
    assert list(tmp_path.iterdir()) == []
