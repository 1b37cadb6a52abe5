"""The management-review workbook: every cell reconciled with an independent computation,
the Data sheets tracing every figure, charts, formula-safe text, empty periods, cancel."""

from __future__ import annotations

import csv
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet import _writer as openpyxl_writer

from cqms_desktop.domain import enums as E
from cqms_desktop.domain.errors import ValidationError
from cqms_desktop.exports.register_xlsx import ExportCancelled
from cqms_desktop.exports.review_workbook import export_review, summary_values
from cqms_desktop.services import kpis as K
from tests.external import require_program
from tests.review_data import (
    FEEDBACK_TYPES,
    ITEMS,
    expected,
    local,
)

pytestmark = pytest.mark.backends

NOW = local(2027, 1, 20, 9)


def approx(value):
    return None if value is None else pytest.approx(value, abs=1e-6)


def table(ws) -> list[dict]:
    """The rows of a sheet whose first row is a header, as dicts."""
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")
        )


@pytest.mark.parametrize(("period", "customer"), [("2026-Q4", None), ("2026", "C02")])
def test_workbook_cells_equal_an_independent_computation(dataset, tmp_path, period, customer):
    out = export_review(period, customer_code=customer, output=tmp_path / "r.xlsx", now=NOW)
    want = expected(dataset, period, NOW, customer)
    values = summary_values(out)
    c = want["complaints"]
    for key in ("received", "urgent", "normal", "on_time", "late", "overdue_unhandled"):
        assert values[f"complaints.{key}"] == c[key], key
    for key in ("closed", "open_at_end", "open_long", "repeat"):
        assert values[f"complaints.{key}"] == c[key], key
    for key in ("on_time_rate", "mean_days_to_close", "median_days_to_close"):
        assert values[f"complaints.{key}"] == approx(c[key]), key
    for key, value in want["actions"].items():
        assert values[f"actions.{key}"] == value, key
    assert values["feedback.total"] == sum(want["feedback"].values())
    for ftype in FEEDBACK_TYPES:
        assert values[f"feedback.{ftype}"] == want["feedback"][ftype], ftype
    visited = sum(v for _, v, _ in want["visits"])
    due = sum(a for _, _, a in want["visits"])
    assert (values["visits.customer_months_visited"], values["visits.customer_months_due"]) == (
        visited,
        due,
    )
    assert values["visits.compliance"] == approx(visited / due if due else None)
    s = want["surveys"]
    assert (values["surveys.total"], values["surveys.sent"], values["surveys.returned"]) == (
        s["total"],
        s["sent"],
        s["returned"],
    )
    for item in ITEMS:
        assert values[f"surveys.average.{item}"] == approx(s[f"avg_{item}"]), item
    assert values["surveys.average.overall"] == approx(s["avg_overall"])
    assert values["surveys.below_target"] == len(s["below"])

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:6] == [
        "Summary",
        "Pareto defects",
        "Pareto responsibility",
        "Visits",
        "Per customer",
        "Trend",
    ]
    assert wb.sheetnames[6:9] == ["Cost of poor quality", "Cost Pareto", "Cost trend"]
    c = want["costs"]
    assert values["costs.total"] == approx(float(sum(c["totals"].values())))
    assert values["costs.complaints"] == c["complaints"]
    assert values["costs.scrap"] == approx(float(c["totals"]["cost_scrap"]))
    pareto = [r["Total (CNY)"] for r in table(wb["Cost Pareto"]) if r["Total (CNY)"] is not None]
    assert pareto == approx([float(t) for t in c["pareto"]])
    trend = [(r["Month"], r["Total (CNY)"]) for r in table(wb["Cost trend"])]
    assert trend == [(m, approx(float(t))) for m, t in c["trend"]]
    summary = wb["Summary"]
    assert summary["B2"].value == K.parse_period(period).code
    if customer:
        assert summary["B3"].value == f"{customer} {dataset.customer(customer)['name']}"
    below_row = next(r for r in summary.iter_rows() if r[4].value == "surveys.below_target")
    assert (below_row[3].value or "") == ", ".join(s["below"])

    defects = {r["Defect category"]: r["Complaints"] for r in table(wb["Pareto defects"])}
    assert defects == {(k or K.NOT_CATEGORISED): n for k, n in want["pareto_defects"].items()}, (
        "defects"
    )
    responsibility = {
        r["Responsibility"]: r["Complaints"] for r in table(wb["Pareto responsibility"])
    }
    assert responsibility == {
        (E.Responsibility(k).label if k else K.NOT_DETERMINED): n
        for k, n in want["pareto_responsibility"].items()
    }
    assert [
        (r["Month"], r["Customers visited"], r["Active customers"]) for r in table(wb["Visits"])
    ] == want["visits"]

    customers = {r["Customer code"]: r for r in table(wb["Per customer"])}
    assert set(customers) == set(want["customers"])
    for code, w in want["customers"].items():
        row = customers[code]
        assert (row["Complaints"], row["Urgent"], row["Handled on time"], row["Handled late"]) == (
            w["received"],
            w["urgent"],
            w["on_time"],
            w["late"],
        ), code
        assert (row["Open at period end"], row["Repeat complaints"], row["Feedback"]) == (
            w["open_at_end"],
            w["repeat"],
            w["feedback"],
        ), code
        assert (row["Visits"], row["Months visited"], row["Surveys returned"]) == (
            w["visits"],
            w["months_visited"],
            w["surveys_returned"],
        ), code
        assert row["Average overall score"] == approx(w["survey_overall"]), code
        assert row["Below target"] == w["below_target"], code

    trend = table(wb["Trend"])
    assert [r["Month"] for r in trend] == [m for m, *_ in want["trend"]]
    for row, (month, figures, feedback, visited_m, active_m) in zip(
        trend, want["trend"], strict=True
    ):
        assert (row["Complaints"], row["Urgent"], row["Handled on time"]) == (
            figures["received"],
            figures["urgent"],
            figures["on_time"],
        ), month
        judged = figures["on_time"] + figures["late"] + figures["overdue_unhandled"]
        assert row["Judged"] == judged and row["Closed"] == figures["closed"], month
        assert (row["Feedback"], row["Customers visited"], row["Active customers"]) == (
            feedback,
            visited_m,
            active_m,
        ), month

    assert_data_sheets_trace_the_summary(wb, values, want)
    assert_user_text_is_text(out, wb)


def assert_data_sheets_trace_the_summary(wb, values: dict, want: dict) -> None:
    """Filtering a Data sheet's yes/no columns gives exactly the Summary's figures."""
    complaints = table(wb["Data complaints"])

    def count(rows, *flags):
        return sum(all(r[f] is True for f in flags) for r in rows)

    received = "Received in period"
    assert count(complaints, received) == values["complaints.received"]
    assert count(complaints, received, "Handled on time") == values["complaints.on_time"]
    assert count(complaints, received, "Handled late") == values["complaints.late"]
    assert (
        count(complaints, received, "Overdue, not handled")
        == values["complaints.overdue_unhandled"]
    )
    assert count(complaints, received, "Repeat complaint") == values["complaints.repeat"]
    assert count(complaints, "Closed in period") == values["complaints.closed"]
    assert count(complaints, "Open at period end") == values["complaints.open_at_end"]
    assert count(complaints, "Open over 30 days") == values["complaints.open_long"]
    days = [r["Days to close"] for r in complaints if r["Closed in period"] is True]
    if days:  # MySQL divides with 4-5 decimals: the listed days agree to about a second
        mean = values["complaints.mean_days_to_close"]
        assert sum(days) / len(days) == pytest.approx(mean, abs=2e-5)
    actions = table(wb["Data actions"])
    assert count(actions, "Opened in period") == values["actions.opened"]
    assert count(actions, "Carried out in period") == values["actions.completed"]
    assert count(actions, "Verified in period") == values["actions.verified"]
    assert count(actions, "Overdue at period end") == values["actions.overdue"]
    feedback = [r for r in table(wb["Data feedback"]) if r[received] is True]
    assert len(feedback) == values["feedback.total"]
    for ftype in E.FeedbackType:
        assert sum(r["Type"] == ftype.label for r in feedback) == values[f"feedback.{ftype.value}"]
    surveys = [r for r in table(wb["Data surveys"]) if r["Number"] != "No records."]
    assert len(surveys) == values["surveys.total"]
    returned = [r for r in surveys if r["Status"] == "Returned"]
    assert len(returned) == values["surveys.returned"]


def assert_user_text_is_text(path: Path, wb) -> None:
    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    risky = [
        cell
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t"))
    ]
    assert risky, "the data set has formula-like text"
    assert all(c.data_type == "s" for c in risky)


def test_the_workbook_has_native_charts(dataset, tmp_path):
    out = export_review("2026", output=tmp_path / "r.xlsx", now=NOW)
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    # Pareto ×2 (bar+line each), visits, per customer, trend ×2, cost Pareto, cost trend
    assert len(charts) == 8
    wb = openpyxl.load_workbook(out)
    assert len(wb["Trend"]._charts) == 2 and len(wb["Pareto defects"]._charts) == 1
    assert len(wb["Cost Pareto"]._charts) == 1 and len(wb["Cost trend"]._charts) == 1


def test_an_empty_period_gives_a_workbook_of_zeros_and_a_note(dataset, tmp_path):
    out = export_review("2031-Q1", output=tmp_path / "empty.xlsx", now=NOW)
    values = summary_values(out)
    counts = {k: v for k, v in values.items() if not k.startswith("surveys.target")}
    assert all(v in (0, None) for v in counts.values()), counts
    assert values["complaints.received"] == 0 and values["complaints.on_time_rate"] is None
    wb = openpyxl.load_workbook(out)
    assert "No records fall in this period" in wb["Summary"]["B6"].value
    assert table(wb["Data complaints"])[0]["Number"] == "No records."


def test_cancel_leaves_no_file_and_a_bad_period_writes_nothing(dataset, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "r.xlsx"
    before = set(openpyxl_writer.ALL_TEMP_FILES)
    calls: list[tuple[int, int]] = []

    def cancelled() -> bool:
        return len(calls) > 12  # after the KPIs, during the Data sheets

    with pytest.raises(ExportCancelled):
        export_review(
            "2026",
            output=out,
            now=NOW,
            progress=lambda d, t: calls.append((d, t)),
            cancelled=cancelled,
        )
    assert not out.exists() and list(folder.iterdir()) == []
    assert set(openpyxl_writer.ALL_TEMP_FILES) == before
    with pytest.raises(ValidationError, match="Q5"):
        export_review("2026Q5", output=out)
    assert not out.exists()


def test_progress_counts_steps_and_rows_up_to_the_total(dataset, tmp_path):
    calls: list[tuple[int, int]] = []
    export_review(
        "2026-Q4", output=tmp_path / "r.xlsx", now=NOW, progress=lambda d, t: calls.append((d, t))
    )
    assert calls[-1][0] == calls[-1][1] > 9
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_libreoffice_opens_the_workbook_and_keeps_user_text_as_text(dataset, tmp_path):
    """A spreadsheet program reads the file without repair; "=1+1" is text, not 2."""
    soffice = require_program("soffice", "libreoffice", package="libreoffice-calc")
    out = export_review("2026-Q4", output=tmp_path / "review.xlsx", now=NOW)
    csv_dir = tmp_path / "csv"
    # 44,34,76,1: comma, quote, UTF-8, first line; the last -1 writes every sheet to a file.
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--convert-to",
            csv_filter,
            "--outdir",
            str(csv_dir),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    with (csv_dir / "review-Per customer.csv").open(encoding="utf-8") as f:
        customers = {row[0]: row for row in csv.reader(f)}
    assert customers["C02"][1] == "=1+1" and customers["C05"][1] == "@SUM(A1)"
    assert customers["C01"][1] == "上海汽车配件有限公司"
    with (csv_dir / "review-Summary.csv").open(encoding="utf-8") as f:
        summary = {row[4]: row[2] for row in csv.reader(f) if len(row) > 4}
    assert summary["complaints.received"] == str(summary_values(out)["complaints.received"])
