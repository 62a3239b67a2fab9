"""Pledges: judged from data for the deadline period, by the organizer otherwise, and taken from arenas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from leitai.core.errors import LeitaiError
from leitai.core.tracking import pledges as rules
from leitai.indicators import services as data
from leitai.tracking import services
from leitai.tracking.models import Pledge

pytestmark = pytest.mark.django_db
AFTER = dt.date(2024, 6, 1)


@pytest.fixture
def pledges(city, organizer, reporter_a):
    april = city["periods"]["2024-04"]
    return {
        "growth": services.create_pledge(reporter_a, unit=city["a"], text="4月GDP增速不低于6%", indicator=city["gdp"],
                                         comparison="ge", target_value=6, deadline=april, person=city["person"]),
        "pm": services.create_pledge(organizer, unit=city["a"], text="PM2.5 控制在 30 以内", indicator=city["pm25"],
                                     comparison="le", target_value=30, deadline=april),
        "b_inv": services.create_pledge(organizer, unit=city["b"], text="投资达到100亿元", indicator=city["inv"],
                                        comparison="eq", target_value=100, deadline=april),
        "words": services.create_pledge(reporter_a, unit=city["a"], text="年内建成一批口袋公园"),
    }


def test_pledges_are_judged_from_the_deadline_periods_figure(city, organizer, pledges):
    april = city["periods"]["2024-04"]
    data.set_observation(organizer, city["a"], city["gdp"], april, 6.4)
    data.set_observation(organizer, city["a"], city["pm25"], april, 33)
    data.set_observation(organizer, city["a"], city["gdp"], city["periods"]["2024-03"], 1)  # another period
    judged = services.judge_pledges(today=AFTER)
    assert {p.pk for p in judged} == {pledges["growth"].pk, pledges["pm"].pk}
    growth, pm = Pledge.objects.get(pk=pledges["growth"].pk), Pledge.objects.get(pk=pledges["pm"].pk)
    assert (growth.status, growth.verdict_value, growth.verdict_by) == ("kept", 6.4, None)
    assert "6.4" in growth.verdict_note and "已兑现" in growth.verdict_note
    assert (pm.status, pm.verdict_value) == ("missed", 33)
    assert Pledge.objects.get(pk=pledges["b_inv"].pk).status == "pending"  # no figure yet
    assert services.judge_pledges(today=AFTER) == []  # judged once


def test_a_pledge_is_not_judged_before_its_period_ends_or_for_another_period(city, organizer, pledges):
    april = city["periods"]["2024-04"]
    data.set_observation(organizer, city["b"], city["inv"], april, 100.3)
    assert services.judge_pledges(today=dt.date(2024, 4, 20)) == []
    assert services.judge_pledges(period=city["periods"]["2024-03"], today=AFTER) == []
    [inv] = services.judge_pledges(period=april, today=AFTER)
    assert inv.status == "kept"  # "=" within the tolerance


def test_the_verdict_rule_with_its_tolerance_for_equal():
    assert rules.verdict(6, "ge", 6) == rules.verdict(29.9, "≤", 30) == "kept"
    assert rules.verdict(100.4, "eq", 100) == "kept" and rules.verdict(101, "=", 100) == "missed"
    with pytest.raises(LeitaiError):
        rules.verdict(1, "≈", 1)
    assert rules.sample(["a", "b", "c", "d"], 2, "2024") == rules.sample(["d", "c", "b", "a"], 2, "2024")
    assert sorted(rules.sample(["a", "b"], 5, "x")) == ["a", "b"]


def test_a_pledge_without_an_indicator_is_judged_only_by_an_organizer(city, organizer, reporter_a, pledges):
    words = pledges["words"]
    assert services.judge_pledges(today=AFTER) == []
    with pytest.raises(PermissionDenied):
        services.judge_pledge_manually(reporter_a, words, "kept", "自评完成")
    with pytest.raises(LeitaiError):
        services.judge_pledge_manually(organizer, words, "kept", "  ")
    with pytest.raises(LeitaiError):
        services.judge_pledge_manually(organizer, pledges["growth"], "kept", "数据核验的承诺")
    judged = services.judge_pledge_manually(organizer, words, "kept", "现场查看，已建成 12 个")
    assert (judged.status, judged.verdict_by, judged.verdict_note) == ("kept", organizer, "现场查看，已建成 12 个")
    with pytest.raises(LeitaiError):
        services.judge_pledge_manually(organizer, words, "missed", "改判")


def test_a_pledge_on_an_indicator_needs_a_comparison_target_and_deadline(city, organizer, reporter_b):
    with pytest.raises(LeitaiError):
        services.create_pledge(organizer, unit=city["a"], text="x", indicator=city["gdp"], comparison="ge",
                               target_value=6)
    with pytest.raises(PermissionDenied):
        services.create_pledge(reporter_b, unit=city["a"], text="替别人承诺")


def test_fulfilment_rates_per_unit_and_person_count_judged_pledges_only(city, organizer, pledges):
    from leitai.tracking.pledges import selectors

    april = city["periods"]["2024-04"]
    data.set_observation(organizer, city["a"], city["gdp"], april, 7)
    data.set_observation(organizer, city["a"], city["pm25"], april, 40)
    services.judge_pledges(today=AFTER)
    by_unit = selectors.pledge_rates("unit")
    assert by_unit["A"] == {"total": 3, "kept": 1, "missed": 1, "rate": 0.5}
    assert by_unit["B"]["rate"] is None
    assert selectors.pledge_rates("person") == {"张三": {"total": 1, "kept": 1, "missed": 0, "rate": 1.0}}


def test_an_import_of_the_deadline_periods_figures_settles_the_pledges(city, organizer, pledges, tmp_path):
    from leitai.indicators.services import import_file

    csv = tmp_path / "2024-04.csv"
    csv.write_text("单位,指标,期间,数值\n东城区,地区生产总值增速,2024-04,5.1\n", encoding="utf-8")
    batch = import_file(csv, user=organizer)
    assert batch.status == "committed"
    growth = Pledge.objects.get(pk=pledges["growth"].pk)
    assert (growth.status, growth.verdict_value) == ("missed", 5.1)
