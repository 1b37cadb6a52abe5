"""The pages beside the lists: the visit plan on the Visits tab, survey results on Surveys."""

from __future__ import annotations

import pytest

from cqms_desktop.domain.enums import Department
from cqms_desktop.services.registers import Filter
from cqms_desktop.ui.editors.surveys import SurveyResultsView
from cqms_desktop.ui.main_window import MainWindow
from cqms_desktop.ui.visit_plan_view import VisitPlanView
from tests.gui.gui_data import make_actor, populate

pytestmark = pytest.mark.gui


@pytest.fixture
def window_actor():
    """The shared ``window`` opens for a Sales user."""
    return make_actor(Department.SALES)


def test_visit_plan_and_survey_results_are_pages_of_their_tabs(window):
    assert window.select_tab("visit_plan")
    assert window.current_tab() == "visit_plan"
    assert isinstance(window.tabs.currentWidget().currentWidget(), VisitPlanView)
    assert window.select_tab("survey_results")
    assert isinstance(window.tabs.currentWidget().currentWidget(), SurveyResultsView)
    # Selecting the tab by its own name brings its list back to the front.
    assert window.select_tab("visits")
    assert window.current_tab() == "visits"
    assert window.tabs.currentWidget().currentWidget() is window.views["visits"]


def test_drill_down_from_the_dashboard_shows_the_list_not_the_plan(window):
    window.select_tab("visit_plan")
    window.show_filtered("visits", Filter(text="x"))
    assert window.current_tab() == "visits"


@pytest.mark.parametrize(
    ("department", "shown"),
    [(Department.QA, True), (Department.GENERAL_MANAGER, True), (Department.SALES, False)],
)
def test_qa_and_the_general_manager_open_on_the_overdue_complaints(
    qtbot, database, department, shown, ops
):
    from cqms_desktop.services.registers import COMPLAINTS

    populate()
    overdue = COMPLAINTS.count(Filter(overdue=True))
    assert overdue > 0  # the sample data has overdue complaints
    win = MainWindow(make_actor(department), database)
    qtbot.addWidget(win)
    assert win.show_overdue_on_start() == (overdue if shown else 0)
    assert win.current_tab() == ("complaints" if shown else "my_work")
    if shown:
        ops()  # the list is read on the database worker
        assert win.views["complaints"].model.rowCount() == overdue


def test_the_pages_beside_the_lists_are_built_only_when_first_shown(window):
    # Start-up builds and queries only what the first screen needs (the plan's matrix and the
    # survey results grid are large): both appear when the user turns to them.
    assert window.findChildren(VisitPlanView) == []
    assert window.findChildren(SurveyResultsView) == []
    window.select_tab("visits")
    inner = window.tabs.currentWidget()
    inner.setCurrentIndex(1)  # the user clicks "Visit plan" below the list
    (plan,) = window.findChildren(VisitPlanView)
    assert inner.currentWidget() is plan and window.current_tab() == "visit_plan"
    assert window.findChildren(SurveyResultsView) == []
    inner.setCurrentIndex(0)
    inner.setCurrentIndex(1)  # built once
    assert window.findChildren(VisitPlanView) == [plan]
