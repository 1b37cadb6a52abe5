"""The ``cqms`` command line: init, check, list, users, export wiring and every bad input."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from cqms_desktop import cli
from cqms_desktop.domain.errors import AuthenticationError
from cqms_desktop.services import auth
from cqms_desktop.services.demo import generate_demo
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from cqms_desktop.store.models import SchemaVersion, User

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No CQMS_DB from the developer's shell; the log file goes to the test's folder."""
    monkeypatch.delenv("CQMS_DB", raising=False)
    monkeypatch.setenv("CQMS_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def db_file(tmp_path) -> Path:
    return tmp_path / "cqms.sqlite3"


@pytest.fixture
def url(db_file) -> str:
    return dbmod.sqlite_url(db_file)


@pytest.fixture
def demo_url(url) -> str:
    """A SQLite file with demonstration data (seed 1, scale 1), closed again."""
    dbmod.open_database(url)
    migrations.migrate()
    generate_demo(seed=1, scale=1, today=TODAY)
    dbmod.close_database()
    return url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``cqms`` and return (exit status, stdout, stderr)."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("cqms: error: "), err
    return lines[0]


# ---------------------------------------------------------------- init, check, list
def test_init_creates_then_reports_up_to_date(capsys, url, db_file):
    code, out, _ = run(capsys, "--db", url, "init")
    assert code == 0 and "Created a new CQMS database" in out
    assert db_file.exists()
    code, out, _ = run(capsys, "init", "--db", url)  # --db after the command works too
    assert code == 0 and "up to date" in out


def test_db_defaults_to_cqms_db_environment(capsys, monkeypatch, url, db_file):
    monkeypatch.setenv("CQMS_DB", url)
    assert run(capsys, "init")[0] == 0
    assert db_file.exists()


def test_check_on_a_fresh_database_passes_with_counts(capsys, url):
    run(capsys, "--db", url, "init")
    code, out, err = run(capsys, "--db", url, "check")
    assert code == 0, err
    assert f"Schema version: {migrations.LATEST}" in out and "No problems found." in out
    assert "department                  6" in out


def test_list_of_an_empty_database_is_an_empty_array(capsys, url):
    run(capsys, "--db", url, "init")
    code, out, _ = run(capsys, "--db", url, "list", "complaints", "--format", "json")
    assert (code, out) == (0, "[]\n")


def test_list_complaints_json_has_key_dates_and_overdue(capsys, demo_url):
    code, out, err = run(capsys, "--db", demo_url, "list", "complaints", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and [r["number"] for r in rows] == sorted(r["number"] for r in rows)
    first = rows[0]
    assert set(first) == {
        "number", "customer_code", "customer", "status", "severity",
        "received", "due", "handled", "closed", "overdue", "handled_late",
    }  # fmt: skip
    assert first["received"].endswith("Z") and first["due"].endswith("Z")
    assert {r["overdue"] for r in rows} == {True, False}
    assert {r["handled_late"] for r in rows} == {True, False}
    # Overdue means "not handled and past due": a handled complaint is never overdue.
    assert not any(r["overdue"] and r["handled"] for r in rows)
    closed = [r for r in rows if r["status"] == "closed"]
    assert closed and all(r["closed"] and r["handled"] for r in closed)


def test_list_filters_by_status_overdue_and_customer(capsys, demo_url):
    _, out, _ = run(capsys, "--db", demo_url, "list", "complaints", "--status", "closed")
    assert {r["status"] for r in json.loads(out)} == {"closed"}
    _, out, _ = run(
        capsys, "--db", demo_url, "list", "complaints", "--status", "registered,investigating"
    )
    assert {r["status"] for r in json.loads(out)} == {"registered", "investigating"}
    _, out, _ = run(capsys, "--db", demo_url, "list", "complaints", "--overdue")
    overdue = json.loads(out)
    assert overdue and all(r["overdue"] for r in overdue)
    _, out, _ = run(capsys, "--db", demo_url, "list", "visits", "--customer", "C0003")
    visits = json.loads(out)
    assert visits and {r["customer_code"] for r in visits} == {"C0003"}


def test_list_csv_has_a_header_and_true_false(capsys, demo_url):
    code, out, _ = run(capsys, "--db", demo_url, "list", "feedback", "--format", "csv")
    assert code == 0
    assert out.startswith("\ufeff")  # redirected (not a console): UTF-8 with BOM for Excel
    lines = out.removeprefix("\ufeff").splitlines()
    assert lines[0] == "number,customer_code,customer,status,type,channel,urgent,received,closed"
    assert {line.split(",")[6] for line in lines[1:]} == {"true", "false"}


@pytest.mark.parametrize("kind", ["visits", "feedback", "complaints", "surveys", "service"])
def test_every_kind_lists(capsys, demo_url, kind):
    code, out, err = run(capsys, "--db", demo_url, "list", kind)
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(r["number"] and r["customer"] and r["status"] for r in rows)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["list", "complaints", "--status", "lost"], "Unknown status"),
        (["list", "visits", "--overdue"], "complaints only"),
        (["list", "visits", "--customer", "NOPE"], "no customer"),
    ],
)
def test_bad_list_options_are_one_line_errors(capsys, demo_url, argv, message):
    code, out, err = run(capsys, "--db", demo_url, *argv)
    assert code == 2 and out == ""
    assert message in one_line_error(err)


def test_unknown_kind_is_a_usage_error(capsys, demo_url):
    code, _, err = run(capsys, "--db", demo_url, "list", "invoices")
    assert code == 2 and "invalid choice" in err


# ---------------------------------------------------------------- users
def test_user_add_passwd_disable_with_password_stdin(capsys, monkeypatch, url):
    run(capsys, "--db", url, "init")
    # services.admin keeps at least one active administrator, so there is one here.
    monkeypatch.setattr("sys.stdin", io.StringIO("admin-secret\n"))
    run(capsys, "--db", url, "user", "add", "admin", "--full-name", "Admin",
        "--department", "administration", "--admin", "--password-stdin")  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO("first-secret\n"))
    code, out, err = run(
        capsys, "--db", url, "user", "add", "wang.li", "--full-name", "王丽",
        "--department", "qa", "--password-stdin",
    )  # fmt: skip
    assert code == 0, err
    assert "Created user wang.li" in out
    dbmod.open_database(url)
    assert auth.login("wang.li", "first-secret").department.value == "qa"
    dbmod.close_database()

    monkeypatch.setattr("sys.stdin", io.StringIO("second-secret\n"))
    assert run(capsys, "--db", url, "user", "passwd", "wang.li", "--password-stdin")[0] == 0
    dbmod.open_database(url)
    assert auth.login("wang.li", "second-secret").username == "wang.li"
    dbmod.close_database()

    code, out, _ = run(capsys, "--db", url, "user", "disable", "wang.li")
    assert code == 0 and "disabled" in out
    dbmod.open_database(url)
    with pytest.raises(AuthenticationError, match="disabled"):
        auth.login("wang.li", "second-secret")
    dbmod.close_database()


def test_user_add_as_administrator(capsys, monkeypatch, url):
    run(capsys, "--db", url, "init")
    monkeypatch.setattr("sys.stdin", io.StringIO("admin-secret\n"))
    code, out, _ = run(
        capsys, "--db", url, "user", "add", "boss", "--full-name", "Boss",
        "--department", "gm", "--admin", "--password-stdin",
    )  # fmt: skip
    assert code == 0 and "administrator" in out
    dbmod.open_database(url)
    assert User.get(User.username == "boss").is_admin
    dbmod.close_database()


def test_user_must_change_password_at_next_log_in(capsys, monkeypatch, url):
    run(capsys, "--db", url, "init")
    monkeypatch.setattr("sys.stdin", io.StringIO("admin-secret\n"))
    run(capsys, "--db", url, "user", "add", "boss", "--full-name", "Boss",
        "--department", "gm", "--admin", "--password-stdin")  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO("first-secret\n"))
    code, _, err = run(
        capsys, "--db", url, "user", "add", "wang.li", "--full-name", "王丽",
        "--department", "qa", "--password-stdin", "--must-change-password",
    )  # fmt: skip
    assert code == 0, err
    dbmod.open_database(url)
    assert User.get(User.username == "wang.li").must_change_password
    assert not User.get(User.username == "boss").must_change_password
    assert auth.login("wang.li", "first-secret").must_change_password
    dbmod.close_database()

    monkeypatch.setattr("sys.stdin", io.StringIO("second-secret\n"))
    code, out, _ = run(capsys, "--db", url, "user", "passwd", "wang.li", "--password-stdin")
    assert code == 0 and "next log-in" not in out
    dbmod.open_database(url)
    assert not User.get(User.username == "wang.li").must_change_password
    dbmod.close_database()

    monkeypatch.setattr("sys.stdin", io.StringIO("third-secret\n"))
    code, out, _ = run(capsys, "--db", url, "user", "passwd", "wang.li", "--password-stdin",
                       "--must-change-password")  # fmt: skip
    assert code == 0 and "wang.li must choose a new password at the next log-in." in out
    dbmod.open_database(url)
    assert User.get(User.username == "wang.li").must_change_password
    dbmod.close_database()


def test_user_add_without_a_terminal_or_stdin_flag_is_refused(capsys, monkeypatch, url):
    run(capsys, "--db", url, "init")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run(
        capsys, "--db", url, "user", "add", "x.y", "--full-name", "X", "--department", "qa"
    )
    assert code == 2 and "--password-stdin" in one_line_error(err)
    dbmod.open_database(url)
    assert not User.select().exists()
    dbmod.close_database()


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["user", "add", "a b", "--full-name", "X", "--department", "qa", "--password-stdin"],
         "pw-123456\n", "User name"),
        (["user", "add", "ok.name", "--full-name", "X", "--department", "qa",
          "--password-stdin"], "short\n", "at least 8"),
        (["user", "passwd", "nobody", "--password-stdin"], "pw-123456\n", "no user"),
        (["user", "disable", "nobody"], "", "no user"),
    ],
)  # fmt: skip
def test_bad_user_input_is_a_one_line_error(capsys, monkeypatch, url, argv, stdin, message):
    run(capsys, "--db", url, "init")
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code, _, err = run(capsys, "--db", url, *argv)
    assert code == 2
    assert message in one_line_error(err)


def test_bad_department_is_a_usage_error(capsys, url):
    run(capsys, "--db", url, "init")
    code, _, err = run(
        capsys, "--db", url, "user", "add", "a.b", "--full-name", "X", "--department", "hr"
    )
    assert code == 2 and "invalid choice" in err


# ---------------------------------------------------------------- bad databases
def test_malformed_url_is_a_one_line_error(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--db", "sqlite:cqms.sqlite3", "init")
    assert code == 2 and out == ""
    assert "malformed" in one_line_error(err)
    assert list(tmp_path.glob("*.sqlite3")) == []


def test_unknown_database_type_is_a_one_line_error(capsys):
    code, _, err = run(capsys, "--db", "oracle://u@host/x", "check")
    assert code == 2 and "Unknown database type" in one_line_error(err)


def test_unreachable_server_is_a_one_line_error(capsys):
    code, _, err = run(capsys, "--db", "postgresql://u@127.0.0.1:1/x", "init")
    assert code == 2 and "Cannot reach the database server" in one_line_error(err)


def test_missing_file_is_not_created_by_list_or_check(capsys, url, db_file):
    for argv in (["list", "visits"], ["check"], ["backup", "-o", str(db_file) + ".bak"]):
        code, _, err = run(capsys, "--db", url, *argv)
        assert code == 2 and "does not exist" in one_line_error(err)
    assert not db_file.exists()


def test_not_a_database_file_is_refused_and_left_alone(capsys, url, db_file):
    db_file.write_text("quarterly figures, not a database\n", encoding="utf-8")
    before = db_file.read_bytes()
    for argv in (["init"], ["check"], ["demo"]):
        code, _, err = run(capsys, "--db", url, *argv)
        assert code == 2 and "not a SQLite database" in one_line_error(err)
    assert db_file.read_bytes() == before


def test_newer_database_is_refused_and_left_alone(capsys, url, db_file):
    run(capsys, "--db", url, "init")
    dbmod.open_database(url)
    SchemaVersion.create(version=99, applied_at=SchemaVersion.get().applied_at, program_version="9")
    dbmod.close_database()
    before = db_file.read_bytes()
    for argv in (["init"], ["list", "visits"], ["demo"]):
        code, _, err = run(capsys, "--db", url, *argv)
        assert code == 2 and "newer version" in one_line_error(err)
    code, _, err = run(capsys, "--db", url, "check")
    assert code == 1 and "newer" in err
    assert db_file.read_bytes() == before


def test_commands_other_than_init_refuse_an_empty_database(capsys, url, db_file):
    sqlite3.connect(db_file).close()  # an empty (0-byte) SQLite file
    code, _, err = run(capsys, "--db", url, "list", "visits")
    assert code == 2 and "cqms init" in one_line_error(err)


# ---------------------------------------------------------------- check finds problems
def test_check_fails_on_a_dangling_reference(capsys, demo_url, db_file):
    with sqlite3.connect(db_file) as con:  # foreign keys are off in a plain connection
        con.execute("UPDATE visit SET customer_id = 99999 WHERE id = 1")
    code, _, err = run(capsys, "--db", demo_url, "check")
    assert code == 1
    assert "refers to a missing row of “customer”" in err


def test_check_fails_when_a_counter_is_behind_the_numbers(capsys, demo_url, db_file):
    with sqlite3.connect(db_file) as con:
        con.execute("UPDATE counter SET value = 1 WHERE name LIKE 'CC-%'")
    code, _, err = run(capsys, "--db", demo_url, "check")
    assert code == 1 and "duplicate numbers" in err


def test_check_fails_when_the_audit_guard_is_gone(capsys, demo_url, db_file):
    with sqlite3.connect(db_file) as con:
        con.execute("DROP TRIGGER audit_log_no_delete")
    code, _, err = run(capsys, "--db", demo_url, "check")
    assert code == 1 and "audit trail" in err


def test_check_fails_on_a_damaged_file(capsys, demo_url, db_file):
    data = bytearray(db_file.read_bytes())
    page = 4096
    assert len(data) > 20 * page
    for start in range(3 * page, 12 * page, page):  # overwrite the middle of several pages
        data[start + 100 : start + 3000] = b"\xa5" * 2900
    db_file.write_bytes(bytes(data))
    code, _, err = run(capsys, "--db", demo_url, "check")
    assert code != 0
    assert err.strip()


# ---------------------------------------------------------------- unexpected errors, export
@pytest.mark.logged_errors
def test_unexpected_error_is_logged_and_reported_in_one_line(capsys, monkeypatch, url, tmp_path):
    run(capsys, "--db", url, "init")

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(migrations, "migrate", boom)
    code, _, err = run(capsys, "--db", url, "init")
    assert code == 2
    line = one_line_error(err)
    assert "disk on fire" in line
    log = (tmp_path / "data" / "cqms.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "RuntimeError: disk on fire" in log


def test_export_form_passes_its_arguments_through(capsys, monkeypatch, demo_url, tmp_path):
    import cqms_desktop.exports.forms as forms

    calls = []

    def fake_export_form(**kwargs):
        calls.append(kwargs)
        kwargs["output"].write_bytes(b"%PDF-1.4 fake")
        return kwargs["output"]

    monkeypatch.setattr(forms, "export_form", fake_export_form)
    target = tmp_path / "cc.pdf"
    code, out, err = run(
        capsys, "--db", demo_url, "export", "form", "complaints", "CC-2025-0001",
        "--format", "pdf", "--lang", "de", "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert calls == [
        {"kind": "complaint", "number": "CC-2025-0001", "fmt": "pdf", "lang": "de",
         "output": target}
    ]  # fmt: skip
    assert str(target) in out


def test_help_and_version_exit_cleanly(capsys):
    assert cli.main(["--version"]) == 0
    assert "cqms" in capsys.readouterr().out
    assert cli.main(["--help"]) == 0
    assert "backup" in capsys.readouterr().out
    assert cli.main([]) == 2
