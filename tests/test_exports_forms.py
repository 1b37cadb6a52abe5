"""The forms entry point: choices and bad input, the customer's language, blank forms, files;
and the printed vocabulary (every enum value and label in Chinese, English and German)."""

from __future__ import annotations

import io
import subprocess

import pytest
from openpyxl import load_workbook

from cqms_desktop.domain import enums as E
from cqms_desktop.domain.errors import CqmsError, NotFoundError, ValidationError
from cqms_desktop.domain.glossary import _ENUM_ROWS
from cqms_desktop.exports import forms
from cqms_desktop.exports.document import ScoreGrid, fmt_number
from cqms_desktop.exports.forms import KINDS, build_document, export_form, render_form
from cqms_desktop.exports.vocabulary import (
    ENUM_TERMS,
    LANGUAGES,
    TERMS,
    enum_term,
    term,
)
from tests.form_records import make_records


@pytest.fixture
def records(database):
    return make_records()


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_number_is_not_found(database, kind):
    with pytest.raises(NotFoundError) as err:
        render_form(kind=kind, number="XX-2026-9999", fmt="pdf", lang="en")
    assert "XX-2026-9999" in str(err.value)
    assert err.value.field == "number"


def test_bad_format_language_kind_and_missing_number_name_the_field(records):
    cases = [
        ({"kind": "complaint", "number": records.complaint, "fmt": "docx", "lang": "en"}, "format"),
        (
            {"kind": "complaint", "number": records.complaint, "fmt": "pdf", "lang": "fr"},
            "language",
        ),
        ({"kind": "invoice", "number": records.complaint, "fmt": "pdf", "lang": "en"}, "kind"),
        ({"kind": "complaint", "number": None, "fmt": "pdf", "lang": "en"}, "number"),
        ({"kind": "complaint", "number": "  ", "fmt": "pdf", "lang": "en"}, "number"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as err:
            render_form(**kwargs)
        assert err.value.field == field, kwargs


def test_language_defaults_to_the_customers(database):
    numbers = make_records(suffix="3", language="de")
    doc = build_document(kind="complaint", number=numbers.complaint, lang=None)
    assert doc.lang == "de"
    assert doc.title == "Reklamationsbearbeitungsbericht"
    assert forms.default_language(kind="visit", number=numbers.visit) == "de"
    # asked for explicitly, another language wins
    assert build_document(kind="complaint", number=numbers.complaint, lang="en").lang == "en"


def test_blank_form_needs_no_number_and_defaults_to_chinese(database):
    doc = build_document(kind="feedback", number=None, lang=None, blank=True)
    assert doc.lang == "zh"
    assert doc.number == ""
    assert doc.title == "顾客质量反馈单"


def test_export_form_writes_the_file_and_returns_its_path(records, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = export_form(
        kind="survey", number=records.survey, fmt="xlsx", lang="en", output=tmp_path / "s.xlsx"
    )
    assert out == tmp_path / "s.xlsx"
    ws = load_workbook(io.BytesIO(out.read_bytes())).active
    assert "Customer Satisfaction Survey" in [c.value for row in ws.iter_rows() for c in row]
    pdf = export_form(
        kind="visit", number=None, fmt="pdf", lang="de", output=tmp_path / "v.pdf", blank=True
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xlsx", "v.pdf"]  # no temp left


def test_export_to_a_missing_folder_fails_clearly_and_writes_nothing(records, tmp_path):
    target = tmp_path / "no-such-folder" / "form.pdf"
    with pytest.raises(CqmsError) as err:
        export_form(kind="complaint", number=records.complaint, fmt="pdf", lang="zh", output=target)
    assert "form.pdf" in str(err.value)
    assert not target.parent.exists()


def test_complaint_document_carries_every_section_and_signature(records):
    doc = build_document(kind="complaint", number=records.complaint, lang="en")
    titles = [s.title for s in doc.sections]
    assert titles == [
        "Complaint details",
        "Investigation and analysis",
        "Responsibility",
        "Emergency countermeasures",
        "Long-term countermeasures",
        "Tracking / verification",
        "Customer communication",
        "Cost of poor quality",
        "Approval / closure",
    ]
    sigs = {s.role: (s.name, s.date) for s in doc.signatures}
    assert sigs["Prepared by"] == ("王质保", "2026-03-03")
    assert sigs["Reviewed by"] == ("王质保", "2026-03-10")  # QA's verification
    assert sigs["Approved by"] == ("赵总", "2026-03-12")  # user name resolved to full name
    assert doc.company == "苏州永成精密机械有限公司"
    assert (doc.form_code, doc.revision) == ("QR-0701-04", "A/0")


def test_costs_are_left_out_when_none_were_recorded(database):
    numbers = make_records(suffix="4")
    from cqms_desktop.store import audit
    from cqms_desktop.store.db import write_transaction
    from cqms_desktop.store.models import Complaint

    c = Complaint.get(Complaint.number == numbers.complaint)
    with write_transaction():
        audit.update(
            Complaint, c.id, "t", {"cost_freight": None, "cost_replacement": None}, c.version
        )
    doc = build_document(kind="complaint", number=numbers.complaint, lang="en")
    assert "Cost of poor quality" not in [s.title for s in doc.sections]


def test_survey_document_scores_and_weighted_overall(records):
    doc = build_document(kind="survey", number=records.survey, lang="de")
    grid = next(b for s in doc.sections for b in s.blocks if isinstance(b, ScoreGrid))
    assert grid.scale == [1, 2, 3, 4, 5]
    assert [chosen for _, _, chosen in grid.rows] == [4, 5, 3, 4]
    assert [item for item, _, _ in grid.rows] == ["Qualität", "Service", "Preis", "Lieferung"]


def test_service_title_follows_the_kind_of_service(database):
    numbers = make_records(suffix="6")
    assert build_document(kind="service", number=numbers.service, lang="en").title == (
        "Spare Parts and Exchange Record"
    )
    from cqms_desktop.store import audit
    from cqms_desktop.store.db import write_transaction
    from cqms_desktop.store.models import ServiceRecord

    r = ServiceRecord.get(ServiceRecord.number == numbers.service)
    with write_transaction():
        audit.update(ServiceRecord, r.id, "t", {"kind": "consultation"}, r.version)
    doc = build_document(kind="service", number=numbers.service, lang="zh")
    assert doc.title == "技术服务记录"
    titles = [s.title for s in doc.sections]
    assert "备件 / 调换" not in titles  # a consultation has no spare parts part


def test_pdf_pages_render_to_images(records, tmp_path):
    """pdftoppm (what the visual review uses) reads every page of every form."""
    for kind in KINDS:
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(
            render_form(kind=kind, number=getattr(records, kind), fmt="pdf", lang="zh")
        )
        subprocess.run(
            ["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / kind)], check=True
        )
        assert list(tmp_path.glob(f"{kind}-*.png"))


# ------------------------------------------------------------------ vocabulary
def test_every_enum_value_has_a_printed_word_in_each_language():
    for enum_type in (
        E.Department,
        E.Language,
        E.Severity,
        E.ComplaintStatus,
        E.Responsibility,
        E.ActionType,
        E.ActionStatus,
        E.Channel,
        E.FeedbackType,
        E.FeedbackStatus,
        E.VisitStatus,
        E.SurveyStatus,
        E.ServiceKind,
        E.ServiceStatus,
        E.ScarStatus,
    ):
        for member in enum_type:
            words = ENUM_TERMS[enum_type, member.value]
            assert len(words) == 3 and all(w.strip() for w in words), member


def test_every_term_is_given_in_three_languages():
    for key, words in TERMS.items():
        assert len(words) == len(LANGUAGES) and all(w.strip() for w in words), key
        if "{" in words[0]:
            fields = {f for f in ("{page}", "{pages}", "{low}", "{high}") if f in words[0]}
            assert all(f in w for w in words for f in fields), key


def test_equal_codes_of_different_enums_keep_their_own_words():
    # StrEnum members equal their value: "technical" is both a department and a feedback type
    assert enum_term(E.Department, "technical", "de") == "Technik"
    assert enum_term(E.FeedbackType, "technical", "de") == "Technische Frage"
    assert enum_term(E.ActionStatus, "done", "zh") == "已执行"
    assert enum_term(E.ServiceStatus, "done", "zh") == "已完成"
    assert enum_term(E.VisitStatus, "open", "zh") == "未结案"
    assert enum_term(E.Responsibility, "customer", "en") == "Customer"
    assert len(ENUM_TERMS) == sum(len(t) for t in {type(m) for m, _ in _ENUM_ROWS})


def test_blank_visit_form_lists_the_four_departments(database):
    doc = build_document(kind="visit", number=None, lang="de", blank=True)
    grid = doc.sections[1].blocks[0]
    assert [row[0] for row in grid.rows] == [
        "Qualitätssicherung",
        "Technik",
        "Fertigung",
        "Verwaltung",
    ]


def test_glossary_words_are_used():
    assert [term("form.complaint", lang) for lang in LANGUAGES] == [
        "顾客抱怨处理单",
        "Customer Complaint Handling Form",
        "Reklamationsbearbeitungsbericht",
    ]
    assert enum_term(E.ActionType, "mould_equipment", "de") == "Werkzeug- oder Anlagenverbesserung"
    assert enum_term(E.Department, "qa", "zh") == "质保部"
    assert enum_term(E.Responsibility, "undetermined", "zh") == "无法确认"
    assert term("page_x_of_y", "de").format(page=2, pages=3) == "Seite 2 von 3"
    assert enum_term(E.Channel, "", "en") == ""
    assert enum_term(E.Channel, "pigeon", "en") == "pigeon"  # unknown code printed as it is


def test_numbers_are_written_the_customers_way():
    from decimal import Decimal

    assert fmt_number(5000, "en") == "5,000"
    assert fmt_number(5000, "de") == "5.000"
    assert fmt_number(Decimal("1200.5"), "de") == "1.200,50"
    assert fmt_number(Decimal("1200.5"), "zh") == "1,200.50"
    assert fmt_number(None, "de") == ""


def test_a_broken_scale_setting_prints_the_default_scale(records):
    from cqms_desktop.store import settings as store_settings
    from cqms_desktop.store.db import write_transaction

    with write_transaction():
        store_settings.put("survey_scale_min", 5)
        store_settings.put("survey_scale_max", 1)
    doc = build_document(kind="survey", number=records.survey, lang="en")
    grid = next(b for s in doc.sections for b in s.blocks if isinstance(b, ScoreGrid))
    assert grid.scale == [1, 2, 3, 4, 5]
    assert render_form(kind="survey", number=records.survey, fmt="pdf", lang="en")
    assert render_form(kind="survey", number=records.survey, fmt="xlsx", lang="en")


@pytest.mark.backends
def test_every_form_renders_from_each_backend(any_database):
    numbers = make_records()
    for kind in KINDS:
        doc = build_document(kind=kind, number=getattr(numbers, kind), lang="de")
        assert doc.number == getattr(numbers, kind)
        assert render_form(kind=kind, number=doc.number, fmt="pdf", lang="de").startswith(b"%PDF")
        assert render_form(kind=kind, number=doc.number, fmt="xlsx", lang="zh")[:2] == b"PK"
    doc = build_document(kind="complaint", number=numbers.complaint, lang="de")
    costs = next(s for s in doc.sections if s.title == "Fehlerkosten")
    values = {f.label: f.value for f in costs.blocks[0].items}
    assert values["Fracht"] == "350,00" and values["Summe"] == "1.550,50"


def test_an_exported_form_gets_ordinary_file_permissions(tmp_path):
    import os

    from cqms_desktop.exports.files import write_atomically

    old = os.umask(0o022)
    try:
        target = write_atomically(tmp_path / "form.pdf", b"%PDF-1.4 test")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"%PDF-1.4 test"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["form.pdf"]  # no temporary file left


def test_complaint_form_reads_countermeasure_owners_with_the_countermeasures(records, monkeypatch):
    """Each countermeasure prints its owner's full name; the owners come with the
    countermeasures, not one query per printed line."""
    from cqms_desktop.exports import complaint_form
    from cqms_desktop.store.db import database_proxy

    statements: list[str] = []
    original = database_proxy.obj.execute_sql

    def counting(sql, *args, **kwargs):
        statements.append(sql)
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(database_proxy.obj, "execute_sql", counting)
    data = complaint_form.load(records.complaint)
    assert [a.owner for a in data.actions] == ["赵总", "王质保"]
    owner_lookups = [s for s in statements if 'FROM "user"' in s.replace("`", '"')]
    assert len(owner_lookups) <= 2  # the qa owner and the one user-name lookup


def test_complaint_form_prints_the_full_name_of_who_recorded_an_answer(records):
    """An answer recorded by someone named nowhere else on the form still prints their name."""
    import datetime as dt

    from cqms_desktop.exports import complaint_form
    from cqms_desktop.store.models import Complaint, CustomerResponse
    from tests.form_records import form_user

    form_user("zhouadmin", "周行政", "administration")
    complaint = Complaint.get(Complaint.number == records.complaint)
    CustomerResponse.create(
        complaint=complaint,
        accepted=True,
        reason="",
        recorded_at=dt.datetime(2026, 3, 20, 8, 0),
        recorded_by="zhouadmin",
    )
    data = complaint_form.load(records.complaint)
    assert data.responses[-1].recorded_by == "周行政"


def test_survey_form_without_a_stored_overall_prints_the_procedures_overall_score(records):
    """The form's fallback is the domain's weighted mean of the answered items."""
    from cqms_desktop.domain.survey_scoring import ScoringRules, overall_score
    from cqms_desktop.exports import survey_form
    from cqms_desktop.exports.document import Fields, FormContext

    data = survey_form.load(records.survey)
    data.overall = None
    data.scores["price"] = None
    sections, _ = survey_form.build(data, FormContext(lang="en"))
    printed = {f.label: f.value for s in sections for b in s.blocks if isinstance(b, Fields)
               for f in b.items}  # fmt: skip
    expected = overall_score(data.scores, ScoringRules())
    assert expected is not None
    assert printed["Overall score"] == fmt_number(expected, "en")
