"""The unit pages: the tree, a unit's record, weak indicators, trends, benchmarking (对标) and 双过半."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from leitai.indicators.models import AnnualTarget, Observation, Period
from leitai.rankings.models import AssessmentPlan, PlanVersion, Ranking, RankingRow

# Values per unit and indicator: (March, April). B leads GDP and PM2.5 (lower is better), A leads investment.
VALUES = {
    "A": {"gdp": (5.0, 5.5), "inv": (100.0, 160.0), "pm25": (40.0, 38.0)},
    "B": {"gdp": (6.0, 6.5), "inv": (120.0, 150.0), "pm25": (35.0, 33.0)},
    "K": {"gdp": (4.0, 4.2), "inv": (80.0, 90.0), "pm25": (45.0, 44.0)},
}
SPEC = {"normalization": "minmax", "indicators": [
    {"code": "gdp", "direction": 1, "weight": 1}, {"code": "inv", "direction": 1, "weight": 1},
    {"code": "pm25", "direction": -1, "weight": 1}]}


def observe(city):
    """Record the VALUES above for March and April 2024."""
    units = {"A": city["a"], "B": city["b"], "K": city["c"]}
    for code, per_indicator in VALUES.items():
        for ind, pair in per_indicator.items():
            for period, value in zip(("2024-03", "2024-04"), pair, strict=True):
                Observation.objects.create(unit=units[code], indicator=city[ind], period=city["periods"][period],
                                           value=value)


def publish_ranking(city, period_code, order, weak=None, status=Ranking.Status.PUBLISHED):
    """A ranking of the three counties, made with the ORM: `order` lists unit codes best first."""
    plan, _ = AssessmentPlan.objects.get_or_create(code="county", defaults={"name": "县市区月度考核",
                                                                             "unit_kinds": ["county"]})
    version, _ = PlanVersion.objects.get_or_create(plan=plan, number=1, defaults={"spec": SPEC})
    index = 0 if period_code == "2024-03" else 1
    inputs = [[u, i, VALUES[u][i][index]] for u in VALUES for i in VALUES[u]]
    ranking = Ranking.objects.create(plan_version=version, period=city["periods"][period_code], status=status,
                                     spec=SPEC, inputs=inputs, published_at=timezone.now())
    units = {"A": city["a"], "B": city["b"], "K": city["c"]}
    previous = {r.unit.code: r.rank for r in RankingRow.objects.filter(
        ranking__plan_version__plan=plan, ranking__status=Ranking.Status.PUBLISHED).exclude(ranking=ranking)}
    for rank, code in enumerate(order, start=1):
        before = previous.get(code)
        RankingRow.objects.create(
            ranking=ranking, unit=units[code], score=100.0 - 20 * (rank - 1), base_score=100.0 - 20 * (rank - 1),
            rank=rank, previous_rank=before, movement=(before - rank) if before else None,
            indicator_scores={"gdp": 90.0 - 30 * (rank - 1), "inv": 50.0, "pm25": 100.0 - 50 * (rank - 1)},
            indicator_ranks={"gdp": rank, "inv": rank, "pm25": rank},
            stars=["gdp"] if rank == 1 else [],
            flags=[{"kind": "red"}, {"kind": "category", "code": "econ", "label": "经济发展"}] if rank == 1 else [],
            weak=(weak or {}).get(code, []),
        )
    return ranking


@pytest.fixture
def ranked(city):
    """March: A first; April: B first, A second with PM2.5 and investment as its weak indicators."""
    observe(city)
    publish_ranking(city, "2024-03", ["A", "B", "K"])
    april = publish_ranking(city, "2024-04", ["B", "A", "K"], weak={"A": ["pm25", "inv"]})
    return {**city, "april": april}


def test_the_unit_list_shows_the_tree_with_heads_and_latest_ranks(client, ranked):
    response = client.get(reverse("units:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "县市区" in html and "市直部门" in html
    assert "张三" in html and "区委书记" in html
    area = next(g for g in response.context["groups"] if g["key"] == "area")
    assert [(r.unit.code, r.depth) for r in area["rows"]] == [("A", 0), ("A01", 1), ("B", 0), ("K", 0)]
    latest = {r.unit.code: r.latest for r in area["rows"]}
    assert latest["A"].rank == 2 and latest["B"].rank == 1
    assert latest["A01"] is None
    assert area["rows"][0].head.person.name == "张三"


def test_the_unit_list_filters_by_kind_and_searches_by_name(client, city):
    towns = client.get(reverse("units:list"), {"kind": "town"})
    codes = [r.unit.code for g in towns.context["groups"] for r in g["rows"]]
    assert codes == ["A01"]
    found = client.get(reverse("units:list"), {"q": "西城"})
    assert [r.unit.code for g in found.context["groups"] for r in g["rows"]] == ["B"]
    none = client.get(reverse("units:list"), {"q": "不存在的单位"})
    assert "没有符合条件的单位" in none.content.decode()


def test_a_draft_ranking_is_not_shown_to_the_public(client, city):
    observe(city)
    publish_ranking(city, "2024-04", ["K", "B", "A"], status=Ranking.Status.DRAFT)
    response = client.get(reverse("units:list"))
    assert all(r.latest is None for g in response.context["groups"] for r in g["rows"])
    detail = client.get(reverse("units:detail", args=["K"]))
    assert detail.context["rows"] == []
    assert "尚无发布的排名" in detail.content.decode()


def test_a_unit_page_renders_for_anonymous_visitors_with_chart_data(client, ranked):
    response = client.get(reverse("units:detail", args=["A"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "东城区" in html and "短板指标" in html and "指标走势" in html
    assert "张三" in html and "2021-06-01" in html
    assert "plotly" not in html and 'id="trend-chart"' in html and 'id="rank-chart"' in html
    chart = response.context["chart"]
    # Weak indicators come first in the indicator select.
    assert [t["code"] for t in chart["trends"]] == ["pm25", "inv", "gdp"]
    gdp = next(t for t in chart["trends"] if t["code"] == "gdp")
    assert [p["value"] for p in gdp["points"]] == [5.0, 5.5]
    assert [p["rank"] for p in chart["ranks"][0]["points"]] == [1, 2]
    # The first (weak) indicator's trend is drawn; the ranks are drawn as points with their values.
    assert chart["trend"]["code"] == "pm25"
    ranks = html.split('id="rank-chart"')[1].split("</svg>")[0]
    assert len(re.findall(r'data-tip="[^"]*：[12]"', ranks)) == 2


def test_the_indicator_select_draws_the_chosen_trend(client, ranked):
    html = client.get(reverse("units:detail", args=["A"]), {"indicator": "gdp"}).content.decode()
    trend = html.split('id="trend-chart"')[1].split("</svg>")[0]
    assert 'data-trend="gdp"' in html and '<option value="gdp" selected>' in html
    assert re.findall(r'data-tip="([^"]*)"', trend) == ["东城区 · 2024年3月：5.00", "东城区 · 2024年4月：5.50"]


def test_a_unit_page_shows_the_latest_row_with_movement_and_weak_indicators(client, ranked):
    response = client.get(reverse("units:detail", args=["A"]))
    (row,) = response.context["rows"]
    assert (row.rank, row.movement, row.size) == (2, -1, 3)
    assert "↓1" in response.content.decode()
    weak = {w.code: w for w in response.context["weak"]}
    assert list(weak) == ["pm25", "inv"]
    # PM2.5 is lower-is-better: the best peer is B's 33, and A's 38 ranks second.
    assert (weak["pm25"].value, weak["pm25"].best_value, weak["pm25"].best_unit) == (38.0, 33.0, "西城区")
    assert weak["inv"].best_value == 160.0 and weak["inv"].peers == 3


def test_the_leader_shows_its_star_and_red_flag(client, ranked):
    html = client.get(reverse("units:detail", args=["B"])).content.decode()
    assert "★" in html and "地区生产总值增速" in html
    assert "flag-red" in html and "红旗" in html
    assert "flag-cat" in html and "类别旗·经济发展" in html  # drawn by rankings.selectors.flag_view, as on the board


def test_an_unknown_unit_code_is_not_found(client, city):
    assert client.get(reverse("units:detail", args=["NOPE"])).status_code == 404


def test_benchmarking_takes_the_peer_from_the_query_string(client, ranked):
    response = client.get(reverse("units:detail", args=["A"]), {"peer": "B"})
    bench = response.context["bench"]
    assert bench.peer.code == "B" and bench.period.code == "2024-04"
    rows = {c.indicator.code: c for c in bench.rows}
    assert rows["gdp"].better == "theirs" and rows["gdp"].diff == pytest.approx(-1.0)
    assert rows["inv"].better == "mine"
    # Lower PM2.5 is better, so B's 33 beats A's 38 although it is the smaller number.
    assert rows["pm25"].better == "theirs"
    html = response.content.decode()
    assert '<option value="B" selected>' in html
    assert 'id="bench-chart"' in html
    chart = response.context["chart"]["bench"]
    assert [s["name"] for s in chart["series"]] == ["东城区", "西城区"]
    assert chart["series"][0]["values"] == [60.0, 50.0, 50.0] and chart["series"][1]["values"] == [90.0, 50.0, 100.0]
    bars = html.split('id="bench-chart"')[1].split("</svg>")[0]
    assert len(re.findall(r'class="lt-mark"', bars)) == 6 and "西城区：100.00" in bars
    peer_line = next(t for t in response.context["chart"]["trends"] if t["code"] == "gdp")["peer"]
    assert [p["value"] for p in peer_line["points"]] == [6.0, 6.5]


def test_a_unit_of_another_kind_is_refused_as_peer(client, ranked):
    response = client.get(reverse("units:detail", args=["A"]), {"peer": "D01"})
    assert response.status_code == 200
    assert response.context["bench"] is None
    assert "对标单位须与本单位同类型" in response.content.decode()
    unknown = client.get(reverse("units:detail", args=["A"]), {"peer": "ZZZ"})
    assert "不存在" in unknown.content.decode() and unknown.context["bench"] is None


def test_the_peer_select_offers_only_units_of_the_same_kind(client, city):
    response = client.get(reverse("units:detail", args=["A"]))
    assert {p.code for p in response.context["peers"]} == {"B", "K"}


def test_double_half_shows_a_traffic_light_for_each_target(client, city):
    year = timezone.localdate().year
    june = Period.objects.create(code=f"{year}-06", kind="month", year=year, number=6,
                                 start=dt.date(year, 6, 1), end=dt.date(year, 6, 30))
    may = Period.objects.create(code=f"{year}-05", kind="month", year=year, number=5,
                                start=dt.date(year, 5, 1), end=dt.date(year, 5, 31))
    a = city["a"]
    Observation.objects.create(unit=a, indicator=city["inv"], period=may, value=100.0)
    Observation.objects.create(unit=a, indicator=city["inv"], period=june, value=180.0)
    Observation.objects.create(unit=a, indicator=city["gdp"], period=june, value=5.0)
    AnnualTarget.objects.create(unit=a, indicator=city["inv"], year=year, value=300.0)
    AnnualTarget.objects.create(unit=a, indicator=city["gdp"], year=year, value=6.0)
    AnnualTarget.objects.create(unit=a, indicator=city["pm25"], year=year, value=35.0)
    AnnualTarget.objects.create(unit=a, indicator=city["inv"], year=year - 1, value=1.0)

    response = client.get(reverse("units:detail", args=["A"]))
    lines = {t.indicator.code: t for t in response.context["targets"]}
    assert set(lines) == {"inv", "gdp", "pm25"}
    # Investment is year-to-date: 180 of 300 by June is 60 % against 50 % of the year, ahead.
    assert lines["inv"].period == june and lines["inv"].value == 180.0
    assert lines["inv"].completion_pct == pytest.approx(60.0) and lines["inv"].elapsed_pct == pytest.approx(50.0)
    assert lines["inv"].status == "ahead"
    # GDP growth of 5 % against a 6 % target is behind whatever the month.
    assert lines["gdp"].status == "behind"
    assert lines["pm25"].status == "no_data"
    html = response.content.decode()
    assert "双过半" in html and "light-green" in html and "light-red" in html and "60.0%" in html


def test_a_unit_without_targets_says_so(client, city):
    html = client.get(reverse("units:detail", args=["B"])).content.decode()
    assert "本年度尚未给本单位下达目标" in html


def test_unit_pages_fit_a_phone(client, ranked):
    html = client.get(reverse("units:detail", args=["A"]), {"peer": "B"}).content.decode()
    assert html.count('class="table-wrap"') >= 3
    assert 'name="viewport"' in html
    listing = client.get(reverse("units:list")).content.decode()
    assert 'class="table-wrap"' in listing


def test_the_rank_chart_puts_rank_one_on_top(client, ranked):
    html = client.get(reverse("units:detail", args=["A"])).content.decode()
    ranks = html.split('id="rank-chart"')[1].split("</svg>")[0]
    first = re.search(r'<circle cx="[\d.]+" cy="([\d.]+)" r="4.5"[^>]*data-tip="[^"]*：1"', ranks)
    second = re.search(r'<circle cx="[\d.]+" cy="([\d.]+)" r="4.5"[^>]*data-tip="[^"]*：2"', ranks)
    assert float(first.group(1)) < float(second.group(1))  # y grows downwards: rank 1 is drawn higher


def test_benchmarking_uses_the_latest_period_both_units_reported(client, ranked):
    may = Period.objects.create(code="2024-05", kind="month", year=2024, number=5,
                                start=dt.date(2024, 5, 1), end=dt.date(2024, 5, 31))
    Observation.objects.create(unit=ranked["a"], indicator=ranked["gdp"], period=may, value=5.9)
    bench = client.get(reverse("units:detail", args=["A"]), {"peer": "B"}).context["bench"]
    assert bench.period.code == "2024-04"
    Observation.objects.create(unit=ranked["b"], indicator=ranked["inv"], period=may, value=170.0)
    bench = client.get(reverse("units:detail", args=["A"]), {"peer": "B"}).context["bench"]
    assert bench.period.code == "2024-05"
    rows = {c.indicator.code: c for c in bench.rows}
    assert (rows["gdp"].mine, rows["gdp"].theirs, rows["gdp"].better) == (5.9, None, "")


def test_the_unit_list_costs_the_same_few_queries_however_many_units(client, ranked, django_assert_max_num_queries):
    from leitai.units.models import Unit

    for n in range(30):
        Unit.objects.create(code=f"T{n:02d}", name=f"街道{n:02d}", kind="town", parent=ranked["b"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("units:list"))
    assert response.context["count"] == 36


def test_the_unit_page_shows_a_ranking_computed_and_published_by_the_rankings_services(client, city):
    from leitai.rankings import services as rankings

    observe(city)
    spec = {**SPEC, "awards": {"star_top_k": 1, "red_flags": 1, "yellow_flags": 1}, "weak_k": 1}
    plan = rankings.create_plan("county", "县市区月度考核", ["county"], spec)
    for period in ("2024-03", "2024-04"):
        rankings.publish_ranking(rankings.compute_ranking(plan.current_version, city["periods"][period]))
    response = client.get(reverse("units:detail", args=["K"]))
    (row,) = response.context["rows"]
    assert row.rank == 3 and row.movement == 0
    assert [w.code for w in response.context["weak"]] == [row.weak[0]]
    html = response.content.decode()
    assert "黄旗" in html
    assert [p["rank"] for p in response.context["chart"]["ranks"][0]["points"]] == [3, 3]


def test_the_double_half_table_shows_the_latest_year_with_targets_not_the_calendar_year(client, city):
    from leitai.indicators.models import AnnualTarget, Observation

    AnnualTarget.objects.create(unit=city["a"], indicator=city["inv"], year=2024, value=200)
    Observation.objects.create(unit=city["a"], indicator=city["inv"], period=city["periods"]["2024-04"], value=80)
    html = client.get(f"/units/{city['a'].code}/").content.decode()
    assert "固定资产投资" in html.split("双过半", 1)[1]
    assert "40" in html.split("双过半", 1)[1]  # 80 of 200 = 40 % complete by April
