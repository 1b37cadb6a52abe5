"""``cqms mail set|show|test``, ``cqms send form`` and ``cqms remind --dry-run`` end to end on a
database file, with the password only in the environment (no credential store here)."""

from __future__ import annotations

import pytest
from keyring.backends import fail

from cqms_desktop import cli
from cqms_desktop.services.demo import generate_demo
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations
from cqms_desktop.store.models import ALL_MODELS, Complaint, Customer, SentMail
from tests.form_records import make_records
from tests.mail_setup import credential_store
from tests.smtp_server import PASSWORD, USER, free_port, smtp_server


@pytest.fixture(autouse=True)
def _environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CQMS_DB", raising=False)
    monkeypatch.delenv("CQMS_SMTP_PASSWORD", raising=False)
    monkeypatch.setenv("CQMS_DATA_DIR", str(tmp_path / "data"))
    with credential_store(fail.Keyring()):
        yield


@pytest.fixture
def server(tmp_path, monkeypatch):
    with smtp_server(tmp_path) as (port, handler, cert):
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        yield port, handler


@pytest.fixture
def url(tmp_path) -> str:
    url = dbmod.sqlite_url(tmp_path / "cqms.sqlite3")
    dbmod.open_database(url)
    migrations.migrate()
    numbers = make_records(language="de")
    Customer.update(email="einkauf@kunde.example").execute()
    Complaint.update(copy_sent_at=None, copy_sent_via="", copy_sent_to="").execute()
    assert numbers.complaint == "CC-2026-0001"
    dbmod.close_database()
    return url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _set(capsys, url: str, port: int) -> tuple[int, str, str]:
    return run(
        capsys, "--db", url, "mail", "set", "--host", "127.0.0.1", "--port", str(port),
        "--starttls", "--user", USER, "--sender", "qa@factory.example",
        "--sender-name", "QA", "--escalate-after", "12",
    )  # fmt: skip


def test_set_without_a_credential_store_says_so_and_takes_the_environment(
    capsys, url, server, monkeypatch
):
    port, handler = server
    code, out, err = _set(capsys, url, port)
    # Nobody to ask for the password and no store: saved, and told what to do.
    assert code == 1 and "Mail settings saved." in out
    assert "no SMTP password" in err and "no credential store" in err
    assert "CQMS_SMTP_PASSWORD" in err
    monkeypatch.setenv("CQMS_SMTP_PASSWORD", PASSWORD)
    code, out, _ = _set(capsys, url, port)
    assert code == 0 and "read from CQMS_SMTP_PASSWORD" in out
    code, out, _ = run(capsys, "--db", url, "mail", "show")
    assert "127.0.0.1" in out and "password: environment" in out and PASSWORD not in out
    assert "escalation after 12 h" in out

    code, out, err = run(capsys, "--db", url, "mail", "test", "--to", "it@factory.example")
    assert code == 0, err
    assert handler.received[-1].rcpt_tos == ["it@factory.example"]

    code, out, err = run(capsys, "--db", url, "send", "form", "complaint", "CC-2026-0001")
    assert code == 0, err
    assert "einkauf@kunde.example" in out
    got = handler.received[-1]
    assert got.message["Content-Language"] == "de" and got.pdf().startswith(b"%PDF")

    dbmod.open_database(url)
    try:
        complaint = Complaint.get()
        assert complaint.copy_sent_via == "e-mail" and complaint.copy_sent_at is not None
        for model in ALL_MODELS:
            assert PASSWORD not in repr(list(model.select().dicts()))
    finally:
        dbmod.close_database()


def test_a_refused_send_is_kept_as_not_sent_and_retried(capsys, url, server, monkeypatch):
    port, handler = server
    monkeypatch.setenv("CQMS_SMTP_PASSWORD", PASSWORD)
    _set(capsys, url, free_port())
    code, out, err = run(capsys, "--db", url, "send", "form", "complaint", "CC-2026-0001")
    assert code == 2 and err.startswith("cqms: error: not sent: ")
    assert "refused the connection" in err and "cqms send --retry" in err
    code, out, _ = run(capsys, "--db", url, "send", "list")
    assert "\tnot_sent\t" in out and "refused the connection" in out
    code, out, _ = run(capsys, "--db", url, "send", "--retry")
    assert code == 2  # still refused
    _set(capsys, url, port)
    code, out, err = run(capsys, "--db", url, "send", "--retry")
    assert code == 0 and "Sent " in out, err
    assert len(handler.received) == 1
    code, out, _ = run(capsys, "--db", url, "send", "list", "complaint", "CC-2026-0001")
    assert code == 0 and "\tsent\tform:complaint\teinkauf@kunde.example\t" in out
    dbmod.open_database(url)
    try:
        assert [m.status for m in SentMail.select()] == ["sent"]
        assert SentMail.get().attempts == 3
    finally:
        dbmod.close_database()


def test_send_dry_run_and_bad_input(capsys, url):
    code, out, _ = run(
        capsys, "--db", url, "send", "form", "complaint", "CC-2026-0001", "--lang", "en",
        "--to", "a@b.example", "--dry-run",
    )  # fmt: skip
    assert code == 0 and "To: a@b.example" in out and "Language: en" in out
    code, _, err = run(capsys, "--db", url, "send", "form", "visit", "VS-1999-0001")
    assert code == 2 and "no visit numbered" in err
    code, _, err = run(capsys, "--db", url, "send")
    assert code == 2 and "cqms send form KIND NUMBER" in err
    code, _, err = run(capsys, "--db", url, "mail", "set", "--sender", "not-an-address")
    assert code == 2 and "not an e-mail address" in err


def test_remind_dry_run_on_demo_data_lists_each_users_digest(capsys, tmp_path):
    url = dbmod.sqlite_url(tmp_path / "demo.sqlite3")
    dbmod.open_database(url)
    migrations.migrate()
    from datetime import date

    generate_demo(seed=1, scale=1, today=date(2026, 11, 20))
    dbmod.close_database()
    code, out, err = run(
        capsys, "--db", url, "remind", "--dry-run", "--at", "2026-11-20T08:00", "-v"
    )
    assert code == 0, err
    assert "digest to liu.yang <liu.yang@example.cn> (zh):" in out
    assert "would send" in out and "已逾期" in out
    assert "2026-11-20: " in out
    code, _, err = run(capsys, "--db", url, "remind", "--at", "yesterday")
    assert code == 2 and "not a date and time" in err
