"""The explanation of a feedback generated from a below-target survey is shown in the reader's
language: the program in Chinese or English, the printed form in Chinese, English or German."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QCoreApplication

from cqms_desktop.domain.enums import Department
from cqms_desktop.domain.survey_feedback import render, render_for_form
from cqms_desktop.exports.forms import render_form
from cqms_desktop.services import admin, surveys
from cqms_desktop.ui import i18n
from cqms_desktop.ui.editors import feedback as feedback_editor

pytestmark = pytest.mark.gui


@pytest.fixture
def feedback(actors):
    """The feedback a survey below the target made (quality 3, delivery 2: overall 3.5)."""
    sales = actors[Department.SALES]
    customer = admin.add_customer(sales, code="C100", name="Alpha", language="de")
    survey = surveys.create_survey(sales, customer_id=customer.id, quarter="2026-Q4")
    surveys.record_survey(
        sales,
        survey_id=survey.id,
        version=survey.version,
        sent_on="2026-10-05",
        returned_on="2026-10-20",
        respondent="Ms. Li",
        quality=3,
        service=5,
        price=4,
        delivery=2,
        comments="Lieferungen kamen zu spät.",
    )
    found = surveys.linked_feedback(survey.id)
    assert found is not None
    return found


def _summary(feedback):
    summary = surveys.below_target_summary(feedback.survey_id)
    assert summary is not None
    return summary


def test_the_form_explains_in_chinese_english_and_german(feedback):
    summary = _summary(feedback)
    n = summary.number
    assert render_for_form(summary, "zh") == (
        f"满意度调查 {n}（2026-Q4）低于满意度目标 4：质量、供货状况、综合得分。"
        "综合得分 3.5；质量 3，服务 5，价格 4，供货状况 2。"
    )
    assert render_for_form(summary, "en") == (
        f"Survey {n} (2026-Q4) is below the satisfaction target 4: Quality, Delivery, "
        "Overall score. Overall score 3.5; Quality 3, Service 5, Price 4, Delivery 2."
    )
    de = render_for_form(summary, "de")
    assert de.startswith(f"Umfrage {n} (2026-Q4) liegt unter dem Zufriedenheitsziel 4: Qualität")
    assert "Gesamtbewertung 3.5" in de


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "低于满意度目标 4"), ("de", "unter dem Zufriedenheitsziel 4"), ("en", "below the")],
)
def test_the_printed_feedback_form_carries_it_in_the_forms_language(feedback, lang, expected):
    workbook = load_workbook(
        io.BytesIO(render_form(kind="feedback", number=feedback.number, fmt="xlsx", lang=lang))
    )
    cells = [str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value]
    described = [text for text in cells if expected in text]
    assert described, cells
    assert "Lieferungen kamen zu spät." in described[0]  # the respondent's words follow


def test_the_program_shows_it_in_english_and_in_chinese(qtbot, feedback, actors):
    summary = _summary(feedback)
    english = render(summary, QCoreApplication.translate)
    assert english.startswith(f"Survey {summary.number} (2026-Q4) is below the satisfaction")
    assert "quality 3, service 5, price 4, delivery 2" in english
    i18n.install_translators("zh_CN")  # removed again by the isolated_pc fixture
    chinese = render(summary, QCoreApplication.translate)
    assert "低于满意度目标 4" in chinese and "质量 3" in chinese
    assert "below" not in chinese
    # The feedback editor shows it beside the source, in the program's language.
    editor = feedback_editor.open_editor(None, actors[Department.SALES], feedback.id)
    qtbot.addWidget(editor)
    assert chinese.split(" ")[0] in editor.source_label.text()
    assert "低于满意度目标" in editor.source_label.text()
    assert editor.description.toPlainText() == "Lieferungen kamen zu spät."
    editor.close()
