"""``cqms calendar list|add|remove|import|load-holidays``."""

from __future__ import annotations

import pytest

from cqms_desktop import cli
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from cqms_desktop.store.models import AuditLog


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CQMS_DB", raising=False)
    monkeypatch.setenv("CQMS_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def url(tmp_path) -> str:
    url = dbmod.sqlite_url(tmp_path / "cqms.sqlite3")
    dbmod.open_database(url)
    migrations.migrate()
    dbmod.close_database()
    return url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_load_add_list_remove(capsys, url):
    code, out, _ = run(capsys, "calendar", "load-holidays", "--year", "2026", "--db", url)
    assert code == 0 and out.startswith("28 added, 0 changed, 0 removed")
    code, out, _ = run(
        capsys, "calendar", "add", "2026-12-24", "--kind", "closed", "--note", "盘点", "--db", url
    )
    assert (code, out) == (0, "Added 2026-12-24 (Closed (holiday)).\n")
    code, out, _ = run(capsys, "calendar", "list", "--year", "2026", "--db", url)
    lines = out.splitlines()
    assert "2026-09-20\tSun\tworking\tpublic\t调休上班（2026-10-06 休息）" in lines
    assert "2026-12-24\tThu\tclosed\tcompany\t盘点" in lines
    assert lines[-1] == "29 days: 23 closed, 6 working."
    code, out, _ = run(capsys, "calendar", "remove", "2026-12-24", "--db", url)
    assert code == 0 and out.startswith("0 added, 0 changed, 1 removed")
    dbmod.open_database(url)
    try:
        assert AuditLog.select().where(AuditLog.table_name == "holiday").count() >= 30
    finally:
        dbmod.close_database()


def test_a_refresh_reports_the_company_s_days_kept(capsys, url):
    run(capsys, "calendar", "add", "2026-10-10", "--kind", "closed", "--db", url)
    code, out, _ = run(capsys, "calendar", "load-holidays", "--year", "2026", "--db", url)
    assert code == 0
    assert "Kept as the company entered them (Company): 2026-10-10." in out


def test_a_year_without_make_up_days_is_pointed_out(capsys, url):
    code, out, _ = run(capsys, "calendar", "load-holidays", "--year", "2027", "--db", url)
    assert code == 0 and "no make-up working days for 2027" in out


def test_import_a_csv_file(capsys, url, tmp_path):
    path = tmp_path / "days.csv"
    path.write_text("日期,类型,备注\n2026-11-07,上班,盘点\n2026-12-31,closed,\n", "utf-8-sig")
    code, out, _ = run(capsys, "calendar", "import", str(path), "--db", url)
    assert code == 0 and out.startswith("2 added")
    code, out, _ = run(capsys, "calendar", "list", "--db", url)
    assert out.splitlines()[0] == "2026-11-07\tSat\tworking\tcompany\t盘点"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add", "2026-02-30", "--kind", "closed"], "Date must be a date, not “2026-02-30”."),
        (["remove", "2026-05-06"], "2026-05-06 is not in the company calendar."),
        (["load-holidays", "--year", "1999"], "Year: the year 1999 is out of range"),
    ],
)
def test_bad_input_is_a_one_line_error(capsys, url, argv, message):
    code, out, err = run(capsys, "calendar", *argv, "--db", url)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cqms: error: "), err
    assert message in lines[0]


def test_a_bad_row_of_an_import_file_is_named_and_nothing_is_saved(capsys, url, tmp_path):
    path = tmp_path / "days.csv"
    path.write_text("date,kind\n2026-11-07,working\n2026-11-08,sometimes\n", "utf-8")
    code, _, err = run(capsys, "calendar", "import", str(path), "--db", url)
    assert code == 2
    assert "Row 3: Kind of day: “sometimes” is neither closed nor working." in err
    code, out, _ = run(capsys, "calendar", "list", "--db", url)
    assert out == "0 days: 0 closed, 0 working.\n"


def test_a_kind_other_than_closed_or_working_is_a_usage_error(capsys, url):
    code, _, err = run(capsys, "calendar", "add", "2026-12-24", "--kind", "holiday", "--db", url)
    assert code == 2 and "invalid choice" in err
