"""No password of a database URL in ``cqms.log`` when the command line fails unexpectedly."""

from __future__ import annotations

import sys

import pytest

from cqms_desktop import cli
from cqms_desktop.cli_commands import database as database_commands

SECRET = "S3cr3tPa55"


@pytest.mark.logged_errors
@pytest.mark.parametrize("style", ["separate", "equals"])
def test_an_unexpected_error_logs_the_url_with_its_password_masked(
    capsys, monkeypatch, tmp_path, style
):
    monkeypatch.setenv("CQMS_DATA_DIR", str(tmp_path / "data"))
    url = f"postgresql://cqms:{SECRET}@127.0.0.1:5432/cqms"
    argv = ["--db", url, "check"] if style == "separate" else [f"--db={url}", "check"]
    monkeypatch.setattr(sys, "argv", ["cqms", *argv])

    def boom(_args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(database_commands, "_open", boom)
    monkeypatch.setattr(cli, "cmd_check", database_commands.cmd_check)
    assert cli.main(argv) == 2
    assert SECRET not in capsys.readouterr().err
    log = (tmp_path / "data" / "cqms.log").read_text(encoding="utf-8")
    assert "RuntimeError: disk on fire" in log
    assert SECRET not in log and "postgresql://cqms:***@127.0.0.1:5432/cqms" in log
