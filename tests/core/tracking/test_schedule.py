"""Schedule slip colours and the start rate, with a fixed today."""

from datetime import date

from leitai.core.tracking import schedule as sc

TODAY = date(2024, 6, 30)


def test_a_stage_done_on_time_or_early_is_green():
    assert sc.slip_days(date(2024, 3, 1), date(2024, 2, 20), TODAY) == -10
    assert sc.slip_class(sc.slip_days(date(2024, 3, 1), date(2024, 3, 1), TODAY)) == sc.GREEN


def test_a_stage_not_yet_due_is_green_and_an_undone_past_due_one_slips_until_today():
    assert sc.slip_days(date(2024, 9, 1), None, TODAY) == 0
    assert sc.slip_days(date(2024, 6, 10), None, TODAY) == 20
    assert sc.slip_class(20) == sc.YELLOW
    assert sc.slip_class(30) == sc.YELLOW
    assert sc.slip_class(31) == sc.RED


def test_a_project_takes_its_worst_stage_colour():
    stages = [(date(2024, 1, 1), date(2024, 1, 5)), (date(2024, 4, 1), None), (None, None)]
    assert sc.project_class(stages, TODAY) == sc.RED  # started 90 days late and still not started
    assert sc.project_class(stages[:1], TODAY) == sc.YELLOW
    assert sc.project_class([(None, None)], TODAY) == sc.GREEN


def test_start_rate_counts_started_projects_among_those_due_by_today():
    projects = [(date(2024, 3, 1), True), (date(2024, 5, 1), False), (date(2024, 6, 30), True),
                (date(2024, 9, 1), False), (None, False)]
    assert sc.start_rate(projects, TODAY) == (2, 3, 2 / 3)
    assert sc.start_rate([(date(2024, 9, 1), False)], TODAY) == (0, 0, None)


def test_an_unrecorded_stage_before_a_done_one_does_not_count_as_slipping():
    stages = [(date(2024, 1, 1), None), (date(2024, 3, 1), date(2024, 3, 1)), (date(2025, 1, 1), None)]
    assert sc.project_class(stages, TODAY) == sc.GREEN
