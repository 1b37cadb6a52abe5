"""A management review the General Manager signed off is kept as signed (issue #11 item 13):
re-exported byte for byte, with today's differing figures listed, refused where it must be."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cqms_desktop import cli
from cqms_desktop.domain import clock
from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.errors import PermissionDenied, ValidationError
from cqms_desktop.exports.review_signoff import (
    export_or_reprint,
    sign_off_review_workbook,
    summary_figures,
)
from cqms_desktop.exports.review_workbook import summary_values
from cqms_desktop.services import kpis as K
from cqms_desktop.services import review_signoffs
from cqms_desktop.store import audit
from cqms_desktop.store import db as dbmod
from cqms_desktop.store.models import Complaint, ReviewSignoff
from tests.review_data import local
from tests.users import make_user

SIGNED_AT = local(2027, 1, 12, 10)


@pytest.fixture
def gm(dataset):
    """The General Manager, on the review data set, on each backend; the clock in January."""
    with clock.use_clock(clock.FrozenClock(SIGNED_AT)):
        yield make_user(Department.GENERAL_MANAGER, "zhou.jun")


def _reopen_one_closed_in(start, end, dataset) -> None:
    closed = [c for c in dataset.complaints if c["closed_at"] and start <= c["closed_at"] < end]
    with dbmod.write_transaction():
        audit.update(Complaint, closed[0]["id"], "zhou.jun",
                     {"status": "investigating", "closed_at": None})  # fmt: skip


def _late_registration(dataset, received) -> None:
    """A complaint received in the quarter but registered afterwards: today's figures move."""
    row = dict(dataset.complaints[0])
    for key in ("id", "number", "repeat_of"):
        row.pop(key, None)
    row.update(number="CC-2026-9999", received_at=received, created_at=clock.utcnow(),
               updated_at=clock.utcnow(), status="registered", handled_at=None,
               closed_at=None)  # fmt: skip
    with dbmod.write_transaction():
        audit.create(Complaint, "li.hua", **row)


@pytest.mark.backends
def test_a_signed_review_reprints_identically_and_says_what_changed(gm, dataset, tmp_path):
    signed = sign_off_review_workbook(
        gm, "2026-Q3", output=tmp_path / "signed.xlsx", language="en", note="Board 12 Jan"
    )
    kept = (tmp_path / "signed.xlsx").read_bytes()
    assert signed.signed is not None and signed.signed.workbook == kept
    assert signed.signed.signed_by == "zhou.jun" and signed.signed.note == "Board 12 Jan"
    # The kept figures are the workbook's Summary.
    assert signed.signed.figures == pytest.approx(summary_values(tmp_path / "signed.xlsx"))

    # Nothing changed yet: re-printed as signed, no differences.
    again = export_or_reprint("2026Q3", output=tmp_path / "again.xlsx")
    assert again.reprinted and again.changes == []
    assert (tmp_path / "again.xlsx").read_bytes() == kept

    # Later: one complaint of the quarter registered late, another reopened.
    clock.current_clock().advance(timedelta(days=3))
    _late_registration(dataset, local(2026, 8, 14, 9))
    _reopen_one_closed_in(local(2026, 7, 1), local(2026, 10, 1), dataset)
    later = export_or_reprint("2026-Q3", output=tmp_path / "later.xlsx")
    assert (tmp_path / "later.xlsx").read_bytes() == kept  # the record management approved
    changed = {c.code: (c.signed, c.today) for c in later.changes}
    received = signed.signed.figures["complaints.received"]
    assert changed["complaints.received"] == (received, received + 1)
    # The reopening does not move a past quarter's figures (as at its end, from the trail).
    assert "complaints.closed" not in changed

    # --current: today's figures, the sign-off untouched.
    current = export_or_reprint("2026-Q3", output=tmp_path / "now.xlsx", current=True)
    assert not current.reprinted and current.signed is not None
    assert summary_values(tmp_path / "now.xlsx")["complaints.received"] == received + 1
    assert ReviewSignoff.select().count() == 1


@pytest.mark.backends
def test_only_the_general_manager_signs_off_a_period_that_has_ended_once(dataset, tmp_path):
    with clock.use_clock(clock.FrozenClock(local(2026, 12, 20, 9))):
        qa = make_user(Department.QA, "wang.qiang")
        gm = make_user(Department.GENERAL_MANAGER, "zhou.jun")
        with pytest.raises(PermissionDenied):
            sign_off_review_workbook(qa, "2026-Q3", output=tmp_path / "qa.xlsx")
        with pytest.raises(ValidationError) as running:
            sign_off_review_workbook(gm, "2026-Q4", output=tmp_path / "q4.xlsx")
        assert running.value.field == "period"
        sign_off_review_workbook(gm, "2026-Q3", output=tmp_path / "q3.xlsx")
        with pytest.raises(ValidationError) as twice:
            sign_off_review_workbook(gm, "2026-Q3", output=tmp_path / "q3b.xlsx")
        assert "already signed off by zhou.jun" in str(twice.value)
    # A refused sign-off leaves no file that looks signed.
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == ["q3.xlsx"]
    # One customer's review is a scope of its own.
    with clock.use_clock(clock.FrozenClock(local(2026, 12, 20, 9))):
        sign_off_review_workbook(gm, "2026-Q3", customer_code="C01", output=tmp_path / "c.xlsx")
    assert review_signoffs.signed_review("2026Q3", "C01") is not None
    assert review_signoffs.signed_review("2026Q3", None).customer_code == ""


@pytest.mark.backends
def test_a_kept_workbook_altered_afterwards_is_refused(gm, tmp_path):
    sign_off_review_workbook(gm, "2026-Q3", output=tmp_path / "signed.xlsx")
    ReviewSignoff.update(workbook=b"PK forged").execute()
    with pytest.raises(ValidationError) as altered:
        export_or_reprint("2026-Q3", output=tmp_path / "x.xlsx")
    assert altered.value.field == "workbook"
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.backends
def test_figures_that_are_not_numbers_are_refused(gm):
    with pytest.raises(ValidationError) as bad:
        review_signoffs.sign_off_review(
            gm, period="2026-Q3", figures={"complaints.received": "12"}, workbook=b"x"
        )
    assert bad.value.field == "figures"


@pytest.mark.backends
def test_the_cli_reprints_a_signed_review_and_lists_the_changes(
    gm, dataset, any_database, tmp_path, capsys
):
    sign_off_review_workbook(gm, "2026-Q3", output=tmp_path / "signed.xlsx")
    clock.current_clock().advance(timedelta(days=1))
    _late_registration(dataset, local(2026, 9, 2, 9))
    url = any_database.url
    out_file = tmp_path / "cli.xlsx"
    code = cli.main(["--db", url, "export", "review", "--period", "2026Q3", "-o", str(out_file)])
    out = capsys.readouterr().out
    assert code == 0
    assert "signed off by zhou.jun on 2027-01-12: re-printed as signed" in out
    assert "complaints.received:" in out and "--current" in out
    assert out_file.read_bytes() == (tmp_path / "signed.xlsx").read_bytes()


@pytest.mark.backends
def test_summary_figures_are_the_summary_sheet(dataset, tmp_path):
    from cqms_desktop.exports.review_workbook import export_review

    now = local(2027, 1, 20, 9)
    path = export_review("2026-Q3", output=tmp_path / "r.xlsx", now=now)
    figures = summary_figures(K.review_kpis("2026-Q3", now=now))
    assert figures == pytest.approx(summary_values(path))
