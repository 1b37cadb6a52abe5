"""Backup and restore: SQLite → SQLite / PostgreSQL / MariaDB with identical ``cqms list``."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path

import pytest

from cqms_desktop import cli
from cqms_desktop.domain.clock import utcnow
from cqms_desktop.services import admin, backup
from cqms_desktop.services.base import Actor
from cqms_desktop.services.demo import generate_demo
from cqms_desktop.services.maintenance import check_database
from cqms_desktop.services.registers import RECORD_KINDS
from cqms_desktop.store import audit, audit_chain, migrations
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.models import ALL_MODELS, Attachment, AuditLog, Complaint, Customer
from tests.planner_stats import planner_rows

TODAY = date(2026, 11, 20)
BLOB = bytes(range(256)) * 300  # every byte value, larger than a MySQL BLOB's 64 KiB


def listings() -> dict[str, str]:
    """``cqms list KIND --format json`` output of every kind, as text."""
    out = {}
    for kind in RECORD_KINDS:
        buffer = io.StringIO()
        cli.write_rows(cli.list_rows(kind), "json", [k for k, _ in cli.LIST_FIELDS[kind]], buffer)
        out[kind] = buffer.getvalue()
    return out


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path, source):
    """No database from the environment; the source database's backup key given the way an
    administrator gives it (tests of a missing or wrong key remove it)."""
    monkeypatch.delenv("CQMS_DB", raising=False)
    monkeypatch.setenv("CQMS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv(backup.KEY_VARIABLE, source[0].with_suffix(".key").read_text())


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A backup of a SQLite database with demonstration data and an attachment, and the
    ``cqms list`` output of that database."""
    folder = tmp_path_factory.mktemp("source")
    dbmod.open_database(dbmod.sqlite_url(folder / "source.sqlite3"))
    migrations.migrate()
    generate_demo(seed=3, scale=1, today=TODAY)
    with dbmod.write_transaction():
        audit.create(
            Attachment,
            "liu.yang",
            record_kind="complaint",
            record_id=1,
            filename="照片 1.jpg",
            content_type="image/jpeg",
            size=len(BLOB),
            data=BLOB,
            added_at=utcnow(),
            added_by="liu.yang",
        )
    expected = listings()
    path = folder / "demo.cqmsbak"
    backup.backup(path)
    path.with_suffix(".key").write_text(backup.backup_key())
    dbmod.close_database()
    return path, expected


@pytest.mark.backends
def test_restore_onto_every_backend_lists_the_same(capsys, backend_url, source):
    path, expected = source
    code = cli.main(["--db", backend_url, "restore", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "checked" in out
    for kind in RECORD_KINDS:  # through the command itself: byte for byte
        assert cli.main(["--db", backend_url, "list", kind, "--format", "json"]) == 0
        assert capsys.readouterr().out == expected[kind], kind
    dbmod.open_database(backend_url)
    assert planner_rows("feedback") > 100  # the planner knows the restored tables' sizes
    assert Attachment.get().data == BLOB or bytes(Attachment.get().data) == BLOB
    header = backup.read_header(path)
    assert {name: rows for name, (rows, _) in backup.table_checksums().items()} == {
        t["name"]: t["rows"] for t in header["tables"]
    }
    assert check_database().ok
    # The id sequences continue after the restored rows (PostgreSQL needs setval).
    before = Customer.select().count()
    admin.add_customer(Actor.system(), code="NEW1", name="新客户有限公司")
    assert Customer.select().count() == before + 1
    dbmod.close_database()


def test_restore_into_a_freshly_initialised_database(capsys, tmp_path, source):
    url = dbmod.sqlite_url(tmp_path / "target.sqlite3")
    assert cli.main(["--db", url, "init"]) == 0
    assert cli.main(["--db", url, "restore", str(source[0])]) == 0
    capsys.readouterr()
    dbmod.open_database(url)
    assert listings() == source[1]
    audit_rows = AuditLog.select().count()
    dbmod.close_database()
    assert audit_rows == backup.read_header(source[0])["tables"][3]["rows"]


def test_non_empty_target_is_refused_and_unchanged(capsys, tmp_path, source):
    url = dbmod.sqlite_url(tmp_path / "target.sqlite3")
    assert cli.main(["--db", url, "restore", str(source[0])]) == 0
    capsys.readouterr()
    code = cli.main(["--db", url, "restore", str(source[0])])
    err = capsys.readouterr().err
    assert code == 2 and "not empty" in err and len(err.strip().splitlines()) == 1
    dbmod.open_database(url)
    assert listings() == source[1]
    dbmod.close_database()


def _rewrite(path: Path, target: Path, change) -> None:
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    lines = change(lines)
    target.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))


def test_a_changed_row_is_detected_before_anything_is_written(capsys, tmp_path, source):
    damaged = tmp_path / "damaged.cqmsbak"

    def change(lines):
        index = next(i for i, line in enumerate(lines) if "有限公司" in line and "[" in line[:1])
        lines[index] = lines[index].replace("有限公司", "有限责任公司", 1)
        return lines

    _rewrite(source[0], damaged, change)
    target = tmp_path / "target.sqlite3"
    code = cli.main(["--db", dbmod.sqlite_url(target), "restore", str(damaged)])
    err = capsys.readouterr().err
    assert code == 2 and "damaged" in err and len(err.strip().splitlines()) == 1
    assert not target.exists()


@pytest.mark.parametrize(
    "content",
    [b"not a backup at all", b"\x1f\x8b\x08\x00 truncated gzip", gzip.compress(b"{}\n")],
)
def test_files_that_are_not_backups_are_refused(capsys, tmp_path, content):
    bad = tmp_path / "bad.cqmsbak"
    bad.write_bytes(content)
    target = tmp_path / "target.sqlite3"
    code = cli.main(["--db", dbmod.sqlite_url(target), "restore", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and "not a CQMS backup" in err
    assert not target.exists()


def test_a_truncated_backup_is_refused(capsys, tmp_path, source):
    cut = tmp_path / "cut.cqmsbak"
    data = source[0].read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    code = cli.main(["--db", dbmod.sqlite_url(tmp_path / "t.sqlite3"), "restore", str(cut)])
    assert code == 2 and "damaged" in capsys.readouterr().err


def test_another_schema_version_is_refused(capsys, tmp_path, source):
    other = tmp_path / "other.cqmsbak"

    def change(lines):
        header = json.loads(lines[0])
        header["schema_version"] = 99
        lines[0] = json.dumps(header)
        return lines

    _rewrite(source[0], other, change)
    code = cli.main(["--db", dbmod.sqlite_url(tmp_path / "t.sqlite3"), "restore", str(other)])
    assert code == 2 and "newer version" in capsys.readouterr().err


def test_a_mismatch_after_restoring_rolls_everything_back(monkeypatch, tmp_path, source):
    real = backup.decode_value

    def lossy(field, value):  # a backend that silently mangles one column
        result = real(field, value)
        if field.model is Customer and field.name == "name":
            return result[:3]
        return result

    monkeypatch.setattr(backup, "decode_value", lossy)
    dbmod.open_database(dbmod.sqlite_url(tmp_path / "t.sqlite3"))
    with pytest.raises(backup.BackupError, match="customer"):
        backup.restore(source[0])
    for model in ALL_MODELS:
        expected = {"schema_version": 1, "department": 6}.get(model._meta.table_name, 0)
        assert model.select().count() == expected, model._meta.table_name
    dbmod.close_database()


def test_backup_reports_progress_and_counts(tmp_path, source):
    dbmod.open_database(dbmod.sqlite_url(tmp_path / "t.sqlite3"))
    backup.restore(source[0])
    calls = []
    summary = backup.backup(tmp_path / "again.cqmsbak", progress=lambda d, t: calls.append((d, t)))
    dbmod.close_database()
    assert calls[-1] == (summary.total_rows, summary.total_rows)
    again = backup.read_header(tmp_path / "again.cqmsbak")
    first = backup.read_header(source[0])
    assert [(t["name"], t["rows"], t["checksum"]) for t in again["tables"]] == [
        (t["name"], t["rows"], t["checksum"]) for t in first["tables"]
    ]
    assert not list(tmp_path.glob("*.partial"))


def test_backup_into_a_missing_folder_is_a_one_line_error(capsys, tmp_path, source):
    url = dbmod.sqlite_url(tmp_path / "t.sqlite3")
    assert cli.main(["--db", url, "restore", str(source[0])]) == 0
    capsys.readouterr()
    code = cli.main(["--db", url, "backup", "-o", str(tmp_path / "no" / "such" / "x.cqmsbak")])
    err = capsys.readouterr().err
    assert code == 2 and "does not exist" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "no").exists()


def test_restoring_a_missing_file_is_a_one_line_error(capsys, tmp_path):
    target = tmp_path / "t.sqlite3"
    code = cli.main(["--db", dbmod.sqlite_url(target), "restore", str(tmp_path / "nope.gz")])
    err = capsys.readouterr().err
    assert code == 2 and "does not exist" in err
    assert not target.exists()


def test_restore_onto_an_unreachable_server_is_a_one_line_error(capsys, source):
    code = cli.main(["--db", "postgresql://u@127.0.0.1:1/x", "restore", str(source[0])])
    err = capsys.readouterr().err
    assert code == 2 and "Cannot reach" in err and len(err.strip().splitlines()) == 1


def test_the_key_column_is_found_wherever_the_backup_lists_it():
    # Found by identity: a peewee field's == builds an (always true) SQL expression, so
    # list.index() used to take the first column for the key.
    columns = [f.column_name for f in reversed(Complaint._meta.sorted_fields)]
    writer = backup._TableWriter(Complaint, columns)
    assert writer.pk_index == columns.index("id")
    assert [columns[i] for i in writer.self_refs] == ["repeat_of_id"]


# ------------------------------------------------------------------ the audit chain and the key
def _forge_audit_row(lines: list[str], *, rehash: bool) -> list[str]:
    """Edit one audit row and recompute what needs no key: the audit table's checksum in the
    header and (with *rehash*) the hash chain from that row on and the chain head."""
    header = json.loads(lines[0])
    table = next(t for t in header["tables"] if t["name"] == "audit_log")
    columns = table["columns"]
    start = lines.index(json.dumps({"table": "audit_log"}, separators=(",", ":")))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("{"))
    rows = [json.loads(line) for line in lines[start + 1 : end]]
    victim = len(rows) // 2
    rows[victim][columns.index("new_value")] = "forged"
    if rehash:
        pick = [columns.index(c) for c in audit_chain.HASHED_COLUMNS]
        prev = rows[victim][columns.index("prev_hash")]
        for row in rows[victim:]:
            row[columns.index("prev_hash")] = prev
            prev = row[columns.index("row_hash")] = audit_chain.row_hash(
                prev, [row[i] for i in pick]
            )
        header["audit_chain"]["last_hash"] = prev
    check = backup._Checksum()
    for row in rows:
        check.add(backup._canonical(row))
    table["checksum"] = check.hex
    lines[start + 1 : end] = [
        json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows
    ]
    lines[0] = json.dumps(header, ensure_ascii=False)
    return lines


@pytest.mark.parametrize("rehash", [False, True], ids=["checksums", "checksums-and-chain"])
def test_an_edited_audit_row_with_recomputed_checksums_is_refused(capsys, tmp_path, source, rehash):
    forged = tmp_path / "forged.cqmsbak"
    _rewrite(source[0], forged, lambda lines: _forge_audit_row(lines, rehash=rehash))
    target = tmp_path / "target.sqlite3"
    code = cli.main(["--db", dbmod.sqlite_url(target), "restore", str(forged)])
    err = capsys.readouterr().err
    assert code == 2 and "audit trail in the backup" in err, err
    assert ("keyed digest" in err) == rehash
    if rehash:  # refused after opening the target: nothing was written into it
        dbmod.open_database(dbmod.sqlite_url(target))
        assert dbmod.database_proxy.obj.get_tables() == []
        dbmod.close_database()
    else:
        assert not target.exists()


def test_a_restore_without_the_key_is_refused_and_names_the_key(
    capsys, monkeypatch, tmp_path, source
):
    monkeypatch.delenv(backup.KEY_VARIABLE)
    header = backup.read_header(source[0])
    target = tmp_path / "target.sqlite3"
    code = cli.main(["--db", dbmod.sqlite_url(target), "restore", str(source[0])])
    err = capsys.readouterr().err
    assert code == 2 and header["audit_chain"]["key_id"] in err and "backup-key" in err
    # With the key from a file it restores, checks clean, and keeps signing with that key.
    key_file = tmp_path / "backup.key"
    key_file.write_text(source[0].with_suffix(".key").read_text())
    argv = ["--db", dbmod.sqlite_url(target), "restore", str(source[0]), "--key-file"]
    assert cli.main([*argv, str(key_file)]) == 0, capsys.readouterr().err
    dbmod.open_database(dbmod.sqlite_url(target))
    assert check_database().problems == []
    assert backup.backup_key() == key_file.read_text()
    dbmod.close_database()
    capsys.readouterr()
    assert cli.main(["--db", dbmod.sqlite_url(target), "backup-key"]) == 0
    assert capsys.readouterr().out.strip() == key_file.read_text()


def test_a_key_of_another_database_does_not_open_the_backup(capsys, monkeypatch, tmp_path, source):
    monkeypatch.setenv(backup.KEY_VARIABLE, audit_chain.new_key())
    code = cli.main(["--db", dbmod.sqlite_url(tmp_path / "t.sqlite3"), "restore", str(source[0])])
    assert code == 2 and "signed with backup key" in capsys.readouterr().err


def test_a_backup_whose_key_is_lost_restores_on_request_and_says_so(
    capsys, monkeypatch, tmp_path, source
):
    # The old PC's disk died with the database, and nobody kept the key: the backup must still
    # be usable, verified as far as it can be without the key, and the trail must say so.
    monkeypatch.delenv(backup.KEY_VARIABLE)
    target = tmp_path / "target.sqlite3"
    argv = ["--db", dbmod.sqlite_url(target), "restore", str(source[0])]
    assert cli.main(argv) == 2
    assert "--without-key" in capsys.readouterr().err
    assert cli.main([*argv, "--without-key"]) == 0, capsys.readouterr().err
    dbmod.open_database(dbmod.sqlite_url(target))
    assert check_database().problems == []
    assert backup.backup_key() != source[0].with_suffix(".key").read_text()  # a new key
    note = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert note.field == "restored_without_key" and source[0].name in note.new_value
    dbmod.close_database()


def test_without_the_key_an_edited_audit_row_is_still_refused_by_its_chain(
    capsys, monkeypatch, tmp_path, source
):
    # What --without-key gives up is only the origin: a row edited with recomputed checksums
    # still breaks the hash chain.
    monkeypatch.delenv(backup.KEY_VARIABLE)
    forged = tmp_path / "forged.cqmsbak"
    _rewrite(source[0], forged, lambda lines: _forge_audit_row(lines, rehash=False))
    argv = ["--db", dbmod.sqlite_url(tmp_path / "t.sqlite3"), "restore", str(forged)]
    assert cli.main([*argv, "--without-key"]) == 2
    assert "audit trail in the backup" in capsys.readouterr().err
