"""The one clock: injectable, and the only source of "now" and "today" in the program."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import cqms_desktop
from cqms_desktop.domain import clock

SOURCES = Path(cqms_desktop.__file__).parent

#: Calls that read the machine's clock directly (attribute chains as written in the source).
FORBIDDEN_CALLS = {
    "date.today",
    "datetime.now",
    "datetime.today",
    "datetime.utcnow",
    "datetime.datetime.now",
    "datetime.date.today",
    "QDate.currentDate",
    "QDateTime.currentDateTime",
    "QDateTime.currentDateTimeUtc",
    "QTime.currentTime",
    "time.time",
}


def _dotted(node: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, call) of every direct read of the machine's clock in *source*."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _dotted(node.func) in FORBIDDEN_CALLS:
            found.append((node.lineno, _dotted(node.func)))
    return found


def test_the_checker_finds_direct_clock_reads():
    code = "from datetime import date\nx = date.today()\ny = QDateTime.currentDateTime()\n"
    assert clock_reads(code) == [(2, "date.today"), (3, "QDateTime.currentDateTime")]
    assert clock_reads("from cqms_desktop.domain import clock\nx = clock.today()\n") == []


def test_no_module_but_the_clock_reads_the_machines_time():
    offenders = [
        f"{path.relative_to(SOURCES)}:{line}: {call}()"
        for path in sorted(SOURCES.rglob("*.py"))
        if path != SOURCES / "domain" / "clock.py"
        for line, call in clock_reads(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use cqms_desktop.domain.clock instead:\n" + "\n".join(offenders)


def test_a_shifted_clock_starts_at_its_instant_and_runs_on():
    start = datetime(2026, 12, 31, 23, 59, 59)
    with clock.use_clock(clock.ShiftedClock(start)):
        first = clock.utcnow()
        assert start <= first <= start + timedelta(seconds=5)
        assert first.tzinfo is None and first.microsecond == 0


def test_a_frozen_clock_moves_only_when_told():
    frozen = clock.FrozenClock(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    with clock.use_clock(frozen):
        assert clock.utcnow() == datetime(2026, 12, 31, 23, 30)
        assert clock.today(UTC) == date(2026, 12, 31)
        # Shanghai is already in the new year.
        assert clock.today(timezone(timedelta(hours=8))) == date(2027, 1, 1)
        frozen.advance(timedelta(hours=1))
        assert clock.today(UTC) == date(2027, 1, 1)
        frozen.set(datetime(2026, 3, 1))
        assert clock.utcnow() == datetime(2026, 3, 1)


def test_use_clock_restores_the_previous_clock_even_on_error():
    before = clock.current_clock()
    with pytest.raises(RuntimeError), clock.use_clock(clock.FrozenClock(datetime(2000, 1, 1))):
        raise RuntimeError
    assert clock.current_clock() is before


def test_the_tests_run_on_the_injected_clock(test_clock):
    assert clock.current_clock() is test_clock


@pytest.mark.clock_at("2027-01-01T00:00:30")
def test_a_marker_moves_a_tests_clock():
    assert clock.utcnow().date() == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01T00:30", datetime(2026, 12, 1, 0, 30, tzinfo=UTC)),
        ("2026-12-01T08:30+08:00", datetime(2026, 12, 1, 0, 30, tzinfo=UTC)),
    ],
)
def test_parse_instant(text, expected):
    assert clock.parse_instant(text) == expected


@pytest.mark.parametrize("text", ["", "tomorrow", "2026-13-01", "\x00"])
def test_parse_instant_refuses_nonsense(text):
    with pytest.raises(ValueError):
        clock.parse_instant(text)


def test_cqms_now_runs_a_command_on_a_chosen_day(monkeypatch, tmp_path, capsys):
    from cqms_desktop import cli

    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    assert cli.main(["--db", url, "init"]) == 0
    monkeypatch.setenv("CQMS_NOW", "2031-02-03T04:05")
    assert cli.main(["--db", url, "demo", "--seed", "1", "--scale", "1"]) == 0
    capsys.readouterr()
    assert cli.main(["--db", url, "list", "complaints", "--format", "json"]) == 0
    listed = capsys.readouterr().out
    assert '"CC-2031-' in listed and '"CC-2026-' not in listed


def test_a_bad_cqms_now_is_one_line_naming_it(monkeypatch, tmp_path, capsys):
    from cqms_desktop import cli

    monkeypatch.setenv("CQMS_NOW", "next Tuesday\t")
    assert cli.main(["--db", f"sqlite:///{tmp_path / 'c.sqlite3'}", "init"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cqms: error: CQMS_NOW is not a date and time: next Tuesday\\t")
