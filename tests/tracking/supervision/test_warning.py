"""双过半 early warning: completion against time, linear and seasonal projections, pledges likely to miss."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitai.indicators.models import AnnualTarget, Observation
from leitai.indicators.services import ensure_period
from leitai.tracking.models import Pledge
from leitai.tracking.supervision.selectors import early_warning

BACK = [5, 10, 15, 20, 25, 30, 45, 60, 75, 100, 125, 150]  # a back-loaded year: a seventh done by April


def _obs(unit, indicator, code, value):
    Observation.objects.create(unit=unit, indicator=indicator, period=ensure_period(code), value=value)


@pytest.fixture
def warning_data(city):
    a, b, inv, gdp = city["a"], city["b"], city["inv"], city["gdp"]
    for m, v in enumerate(BACK, start=1):
        _obs(a, inv, f"2023-{m:02d}", v)
    _obs(b, inv, "2023-05", 10)  # an incomplete profile: no seasonal projection for B
    _obs(a, inv, "2024-04", 30.0)
    _obs(b, inv, "2024-04", 40.0)
    _obs(a, gdp, "2024-04", 5.0)
    AnnualTarget.objects.create(unit=a, indicator=inv, year=2024, value=120)
    AnnualTarget.objects.create(unit=b, indicator=inv, year=2024, value=100)
    AnnualTarget.objects.create(unit=a, indicator=gdp, year=2024, value=6)
    AnnualTarget.objects.create(unit=b, indicator=gdp, year=2024, value=6)  # no data yet
    Pledge.objects.create(unit=a, text="投资全年突破200亿", indicator=inv, comparison="ge", target_value=200,
                          deadline=ensure_period("2024-12"))
    Pledge.objects.create(unit=b, text="投资全年达到150亿", indicator=inv, comparison="ge", target_value=150,
                          deadline=ensure_period("2024-12"))
    Pledge.objects.create(unit=b, text="上半年投资70亿", indicator=inv, comparison="ge", target_value=70,
                          deadline=ensure_period("2024-06"))
    return city


def _row(data, unit, indicator):
    return next(r for r in data["rows"] if r["unit"] == unit and r["indicator"] == indicator)


def test_each_target_gets_completion_traffic_light_and_both_projections(warning_data):
    data = early_warning(2024, 4)
    a_inv = _row(data, "东城区", "固定资产投资")
    assert a_inv["completion"] == pytest.approx(0.25) and a_inv["status"] == "behind"
    assert a_inv["linear"] == pytest.approx(90.0)
    assert a_inv["seasonal"] == pytest.approx(30 / (20 / 150))  # 225: last year was back-loaded
    assert a_inv["flag"] is False  # the seasonal projection, when there is one, decides
    b_inv = _row(data, "西城区", "固定资产投资")
    assert b_inv["linear"] == pytest.approx(120.0) and b_inv["seasonal"] is None and b_inv["flag"] is False
    assert b_inv["status"] == "ahead"


def test_a_growth_rate_below_target_is_flagged_and_flagged_rows_come_first(warning_data):
    data = early_warning(2024, 4)
    a_gdp = _row(data, "东城区", "地区生产总值增速")
    assert a_gdp["linear"] == pytest.approx(5.0) and a_gdp["flag"] is True
    assert data["rows"][0] is a_gdp and data["flagged"] == 1
    assert _row(data, "西城区", "地区生产总值增速")["status"] == "no_data"


def test_pledges_projected_to_miss_their_target_by_the_deadline_are_listed(warning_data):
    texts = {p["text"]: p for p in early_warning(2024, 4)["pledges"]}
    assert set(texts) == {"投资全年达到150亿", "上半年投资70亿"}
    assert texts["投资全年达到150亿"]["projection"] == pytest.approx(120.0)
    assert texts["上半年投资70亿"]["projection"] == pytest.approx(60.0)  # 40 / 4 × 6


def test_the_warning_uses_a_fixed_number_of_queries_for_many_targets(warning_data, django_assert_max_num_queries):
    from leitai.indicators.models import Indicator

    inds = [Indicator(code=f"x{n}", name=f"指标{n}", value_type="ytd", category=warning_data["econ"]) for n in range(300)]
    Indicator.objects.bulk_create(inds)
    inds = list(Indicator.objects.filter(code__startswith="x"))
    units = [warning_data["a"], warning_data["b"], warning_data["c"]]
    AnnualTarget.objects.bulk_create([AnnualTarget(unit=u, indicator=i, year=2024, value=10) for u in units for i in inds])
    with django_assert_max_num_queries(6):
        data = early_warning(2024, 4)
    assert len(data["rows"]) == 904


def test_the_warning_page_per_role(client, login, organizer, reporter_a, judge, warning_data):
    url = reverse("tracking:warning") + "?year=2024&month=4"
    assert client.get(url).status_code == 302
    assert login(judge).get(url).status_code == 403
    page = login(organizer).get(url).content.decode()
    assert "西城区" in page and "可能完不成" in page and "投资全年达到150亿" in page
    page = login(reporter_a).get(url).content.decode()
    assert "东城区" in page and "西城区" not in page.split('id="targets"')[1]
