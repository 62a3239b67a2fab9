"""Pledges judged period by period: a monthly pledge on an indicator, a pledge on a key-project batch's
starts (确保上半年开工…), and a monthly pledge on projects signed each month."""

from __future__ import annotations

import datetime as dt

import pytest

from leitai.core.errors import LeitaiError
from leitai.core.tracking import pledges as rules
from leitai.indicators.services import ensure_period


def test_core_rules():
    assert rules.months_between((2024, 11), (2025, 2)) == [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]
    assert rules.overall(["kept", "kept"], 3) is None
    assert rules.overall(["kept", "missed"], 3) == "missed"
    assert rules.overall(["kept"] * 3, 3) == "kept"
    d = dt.date
    assert rules.projects_reached([d(2024, 1, 5), None, d(2024, 2, 1), d(2024, 7, 1)], None, d(2024, 6, 30)) == 2
    assert rules.projects_reached([d(2024, 1, 5), d(2024, 2, 1)], d(2024, 2, 1), d(2024, 2, 29)) == 1


def _obs(organizer, city, month, value):
    from leitai.indicators import services as data

    data.set_observation(organizer, city["a"], city["gdp"], ensure_period(month), value)


def test_a_monthly_pledge_is_judged_each_month_and_missed_at_the_first_miss(organizer, city):
    from leitai.tracking import services
    from leitai.tracking.models import Pledge

    p = services.create_pledge(organizer, unit=city["a"], text="每月增速不低于6%", indicator=city["gdp"], comparison="ge",
                               target_value=6, deadline=ensure_period("2024-04"), repeat="monthly",
                               repeat_start=ensure_period("2024-02"))
    _obs(organizer, city, "2024-02", 6.5)
    _obs(organizer, city, "2024-03", 7)
    assert services.judge_pledges(today=dt.date(2024, 4, 10)) == []  # April not over: still pending
    p.refresh_from_db()
    assert p.status == "pending" and [(c.period.code, c.status) for c in p.checks.all()] == [
        ("2024-02", "kept"), ("2024-03", "kept")]
    _obs(organizer, city, "2024-04", 5.2)
    [judged] = services.judge_pledges(today=dt.date(2024, 5, 2))
    assert judged.status == "missed" and judged.verdict_value == 5.2
    assert judged.verdict_note.startswith("3 个月中 2 个月兑现；2024年4月")
    assert services.judge_pledges(today=dt.date(2024, 6, 1)) == []
    assert Pledge.objects.get(pk=p.pk).checks.count() == 3


def test_a_pledge_on_a_project_batch_counts_starts_by_the_deadline(organizer, city):
    from leitai.tracking import services
    from leitai.tracking.models import KeyProject

    for n, started in enumerate([dt.date(2024, 2, 1), dt.date(2024, 5, 20), None, dt.date(2024, 8, 1)]):
        KeyProject.objects.create(code=f"P{n}", name=f"项目{n}", unit=city["town"] if n == 1 else city["a"],
                                  batch="2024年第一批", actual_start=started)
    KeyProject.objects.create(code="PB", name="别区项目", unit=city["b"], batch="2024年第一批", actual_start=dt.date(2024, 1, 1))
    p = services.create_pledge(organizer, unit=city["a"], text="确保上半年开工2个", target_value=2,
                               deadline=ensure_period("2024Q2"), project_batch="2024年第一批", project_stage="started")
    assert p.comparison == "ge" and p.indicator is None
    [judged] = services.judge_pledges(today=dt.date(2024, 7, 1))
    # A and the town below it: P0 (Feb) and P1 (May, the town's) by 30 June; P3 started in August; B's not counted
    assert (judged.status, judged.verdict_value) == ("kept", 2)
    assert "“2024年第一批”开工项目数 2" in judged.verdict_note


def test_a_monthly_pledge_on_projects_signed_each_month(organizer, city):
    from leitai.tracking import services
    from leitai.tracking.models import KeyProject

    for n, signed in enumerate([dt.date(2024, 1, 3), dt.date(2024, 1, 20), dt.date(2024, 2, 10)]):
        KeyProject.objects.create(code=f"S{n}", name=f"签约{n}", unit=city["a"], batch="招商", actual_sign=signed)
    p = services.create_pledge(organizer, unit=city["a"], text="每月签约重点项目2个", target_value=2,
                               deadline=ensure_period("2024-02"), repeat="monthly", repeat_start=ensure_period("2024-01"),
                               project_batch="招商", project_stage="signed")
    [judged] = services.judge_pledges(today=dt.date(2024, 3, 1))
    assert [(c.period.code, c.value, c.status) for c in p.checks.all()] == [("2024-01", 2, "kept"), ("2024-02", 1, "missed")]
    assert judged.status == "missed"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"project_batch": "没有这个批次", "target_value": 3, "deadline": "2024Q2"}, "没有重大项目批次“没有这个批次”"),
    ({"repeat": "monthly", "target_value": 3, "deadline": "2024-04"}, "每月核验的承诺须关联指标或重大项目批次"),
    ({"repeat": "monthly", "indicator": "gdp", "comparison": "ge", "target_value": 3, "deadline": "2024Q2"},
     "期限应为最后一个月"),
    ({"repeat": "monthly", "indicator": "gdp", "comparison": "ge", "deadline": "2024-04"}, "请写明目标值"),
])
def test_bad_shapes_are_refused(organizer, city, kwargs, message):
    from leitai.tracking import services

    kwargs = dict(kwargs)
    kwargs["deadline"] = ensure_period(kwargs["deadline"])
    if "indicator" in kwargs:
        kwargs["indicator"] = city[kwargs["indicator"]]
    with pytest.raises(LeitaiError) as e:
        services.create_pledge(organizer, unit=city["a"], text="承诺", **kwargs)
    assert message in e.value.zh
