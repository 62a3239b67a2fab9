"""Rankings services: compute from the database, publish, movement, adjustments, frozen snapshots."""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leitai.core.errors import LeitaiError
from leitai.indicators.models import Observation
from leitai.rankings import services
from leitai.rankings.models import Ranking
from tests.rankings.support import SPEC, add_data, make_plan, publish, rows_by_unit


@pytest.fixture
def plan(city, organizer):
    add_data(city)
    return make_plan(organizer)


def test_computing_a_ranking_matches_the_hand_computed_scores(plan, city, organizer):
    ranking = services.compute_ranking(plan.current_version, city["periods"]["2024-04"], user=organizer)
    rows = rows_by_unit(ranking)
    assert set(rows) == {"A", "B", "K"}  # the town and the department are not in a county plan
    assert ranking.status == Ranking.Status.DRAFT
    assert rows["A"].score == pytest.approx(75.0)
    assert rows["B"].score == pytest.approx(50.0)
    assert rows["K"].score == pytest.approx(50 / 3)
    assert [rows[u].rank for u in "ABK"] == [1, 2, 3]
    assert rows["A"].group_scores == pytest.approx({"econ": 62.5, "green": 100.0})
    assert rows["K"].indicator_scores == pytest.approx({"gdp": 50.0, "inv": 0.0, "pm25": 0.0})
    assert rows["B"].indicator_ranks == {"gdp": 3, "inv": 1, "pm25": 2}
    assert rows["A"].stars == ["gdp", "pm25"] and rows["B"].stars == ["inv"] and rows["K"].stars == []
    assert {f["kind"] for f in rows["A"].flags} == {"category", "red"}
    assert {f.get("label") for f in rows["A"].flags if f["kind"] == "category"} == {"经济发展", "生态环境"}
    assert rows["K"].flags == [{"kind": "yellow"}]
    assert rows["K"].weak[0] in ("inv", "pm25")
    assert ranking.computed_by == organizer


def test_the_ranking_stores_its_inputs_and_the_full_spec(plan, city):
    ranking = services.compute_ranking(plan.current_version, city["periods"]["2024-04"])
    assert len(ranking.inputs) == 9
    assert ["A", "gdp", 8.0] in ranking.inputs
    assert ranking.spec["awards"]["star_top_k"] == 1
    assert ranking.spec["adjustments"] == []
    assert [i["code"] for i in ranking.spec["indicators"]] == ["gdp", "inv", "pm25"]
    assert ranking.report == {"dropped": [], "missing": {}}


def test_a_missing_value_is_recorded_and_the_unit_still_ranks(plan, city):
    Observation.objects.filter(unit=city["c"], indicator=city["inv"],
                               period=city["periods"]["2024-04"]).delete()
    ranking = services.compute_ranking(plan.current_version, city["periods"]["2024-04"])
    rows = rows_by_unit(ranking)
    assert ["K", "inv", None] in ranking.inputs
    assert ranking.report["missing"] == {"K": ["inv"]}
    assert rows["K"].missing == ["inv"]
    assert rows["K"].indicator_scores["inv"] is None
    assert rows["K"].rank is not None


def test_an_indicator_without_spread_is_dropped_and_reported(plan, city):
    Observation.objects.filter(indicator=city["gdp"], period=city["periods"]["2024-04"]).update(value=7)
    ranking = services.compute_ranking(plan.current_version, city["periods"]["2024-04"])
    assert ranking.report["dropped"] == [{"code": "gdp", "reason": "no_spread"}]
    assert all(r.indicator_ranks["gdp"] is None for r in ranking.rows.all())


def test_publishing_supersedes_the_earlier_published_ranking_of_the_same_period(plan, city, organizer):
    first = publish(plan, city, "2024-04", organizer)
    assert first.status == Ranking.Status.PUBLISHED and first.published_by == organizer
    second = publish(plan, city, "2024-04", organizer)
    first.refresh_from_db()
    assert first.status == Ranking.Status.SUPERSEDED
    assert second.status == Ranking.Status.PUBLISHED


def test_a_published_ranking_cannot_be_published_again(plan, city):
    ranking = publish(plan, city, "2024-04")
    with pytest.raises(LeitaiError, match="只能发布草稿"):
        services.publish_ranking(ranking)


def test_previous_rank_and_movement_come_from_the_published_previous_month(plan, city):
    publish(plan, city, "2024-03")
    rows = rows_by_unit(services.compute_ranking(plan.current_version, city["periods"]["2024-04"]))
    assert [rows[u].previous_rank for u in "ABK"] == [3, 1, 2]
    assert [rows[u].movement for u in "ABK"] == [2, -1, -1]


def test_an_unpublished_previous_month_gives_no_movement(plan, city):
    services.compute_ranking(plan.current_version, city["periods"]["2024-03"])  # a draft only
    rows = rows_by_unit(services.compute_ranking(plan.current_version, city["periods"]["2024-04"]))
    assert all(r.previous_rank is None and r.movement is None for r in rows.values())


def test_a_new_plan_version_leaves_the_published_ranking_unchanged(plan, city, organizer):
    ranking = publish(plan, city, "2024-04")
    before_rows = [(r.unit_id, r.score, r.rank, r.group_scores) for r in ranking.rows.order_by("unit_id")]
    before_spec = dict(ranking.spec)
    changed = {**SPEC, "groups": [{"code": "econ", "weight": 1}, {"code": "green", "weight": 5}]}
    version = services.create_plan_version(plan, changed, user=organizer, note="加大生态权重")
    assert version.number == 2
    new = services.compute_ranking(version, city["periods"]["2024-04"])
    assert rows_by_unit(new)["A"].score == pytest.approx((62.5 + 5 * 100) / 6)
    ranking.refresh_from_db()
    assert ranking.spec == before_spec
    assert [(r.unit_id, r.score, r.rank, r.group_scores) for r in ranking.rows.order_by("unit_id")] == before_rows
    assert ranking.plan_version.number == 1 and ranking.plan_version.spec["groups"][0]["weight"] == 2


def test_changing_data_after_publication_leaves_the_published_ranking_unchanged(plan, city):
    ranking = publish(plan, city, "2024-04")
    Observation.objects.filter(unit=city["c"], period=city["periods"]["2024-04"], indicator=city["gdp"]).update(value=99)
    services.compute_ranking(plan.current_version, city["periods"]["2024-04"])
    ranking.refresh_from_db()
    assert ["K", "gdp", 7.0] in ranking.inputs
    assert rows_by_unit(ranking)["K"].rank == 3


def test_an_adjustment_counts_with_its_reason_and_withdrawing_it_affects_only_later_rankings(plan, city, organizer):
    adj = services.add_adjustment(city["c"], city["periods"]["2024-04"], 40, "招商引资重大项目落地加分",
                                  plan=plan, user=organizer)
    services.add_adjustment(city["b"], city["periods"]["2024-03"], -5, "上月事项，不计入四月")
    with_bonus = publish(plan, city, "2024-04")
    rows = rows_by_unit(with_bonus)
    assert rows["K"].base_score == pytest.approx(50 / 3)
    assert rows["K"].adjustment == 40 and rows["K"].score == pytest.approx(50 / 3 + 40)
    assert rows["K"].rank == 2 and rows["B"].rank == 3
    assert with_bonus.spec["adjustments"] == [{"unit": "K", "points": 40.0, "reason": "招商引资重大项目落地加分"}]

    services.withdraw_adjustment(adj, organizer)
    adj.refresh_from_db()
    assert adj.withdrawn
    later = services.compute_ranking(plan.current_version, city["periods"]["2024-04"])
    assert rows_by_unit(later)["K"].adjustment == 0 and later.spec["adjustments"] == []
    assert rows_by_unit(with_bonus)["K"].adjustment == 40


def test_an_adjustment_for_another_plan_is_not_counted(plan, city):
    other = make_plan(code="other", name="另一方案")
    services.add_adjustment(city["a"], city["periods"]["2024-04"], 10, "其他方案的加分", plan=other)
    rows = rows_by_unit(services.compute_ranking(plan.current_version, city["periods"]["2024-04"]))
    assert rows["A"].adjustment == 0


@pytest.mark.parametrize("points, reason, message", [(0, "x", "非零"), (float("nan"), "x", "非零"), (3, "  ", "事由")])
def test_an_adjustment_needs_non_zero_points_and_a_reason(city, points, reason, message):
    with pytest.raises(LeitaiError, match=message):
        services.add_adjustment(city["a"], city["periods"]["2024-04"], points, reason)


def test_withdrawing_twice_is_refused(city):
    adj = services.add_adjustment(city["a"], city["periods"]["2024-04"], 2, "加分")
    services.withdraw_adjustment(adj, None)
    with pytest.raises(LeitaiError, match="已撤销"):
        services.withdraw_adjustment(adj, None)


def test_recomputing_from_the_snapshot_gives_the_stored_rows(plan, city):
    services.add_adjustment(city["b"], city["periods"]["2024-04"], -2.5, "安全生产事故扣分")
    ranking = publish(plan, city, "2024-04")
    Observation.objects.all().update(value=1)  # today's data must not matter
    result = services.recompute_from_snapshot(ranking)
    rows = rows_by_unit(ranking)
    for i, unit in enumerate(result.units):
        row = rows[unit]
        assert row.score == float(result.score[i]) and row.base_score == float(result.base_score[i])
        assert row.rank == (int(result.rank[i]) or None)
        assert row.group_scores == {g: float(result.group_scores[i, k]) for k, g in enumerate(result.groups)}
        assert row.stars == result.stars[i]
    stored = services.result_from_rows(ranking)
    assert np.array_equal(stored.normalized, result.normalized, equal_nan=True)
    assert np.array_equal(stored.indicator_rank, result.indicator_rank)
    assert stored.flags == result.flags and stored.weak == result.weak


def test_computing_a_period_takes_a_fixed_number_of_queries(plan, city):
    period = city["periods"]["2024-04"]
    with CaptureQueriesContext(connection) as small:
        services.compute_ranking(plan.current_version, period)
    from leitai.units.models import Unit

    for n in range(20):
        Unit.objects.create(code=f"X{n}", name=f"新县{n}", kind="county", parent=city["root"])
    with CaptureQueriesContext(connection) as large:
        services.compute_ranking(plan.current_version, period)
    assert len(large.captured_queries) == len(small.captured_queries) <= 14


def test_a_plan_with_an_unknown_indicator_is_refused(city):
    bad = {**SPEC, "indicators": [*SPEC["indicators"], {"code": "nope", "group": "econ"}]}
    with pytest.raises(LeitaiError, match="nope"):
        services.create_plan("x", "方案", ["county"], bad)


def test_a_plan_needs_valid_unit_kinds_and_a_unique_code(city):
    with pytest.raises(LeitaiError, match="参评单位类型"):
        services.create_plan("x", "方案", ["planet"], SPEC)
    make_plan()
    with pytest.raises(LeitaiError, match="已存在"):
        make_plan()


def test_plan_versions_are_numbered_in_order(plan, organizer):
    v2 = services.create_plan_version(plan, SPEC, user=organizer, note="二")
    v3 = services.create_plan_version(plan, SPEC, user=organizer, note="三")
    assert (v2.number, v3.number) == (2, 3)
    assert plan.current_version == v3 and v3.created_by == organizer


def test_an_invalid_spec_is_refused_with_a_chinese_message(plan):
    with pytest.raises(LeitaiError, match="方案规则有误"):
        services.create_plan_version(plan, {**SPEC, "normalization": "magic"})
    assert plan.versions.count() == 1


def test_a_unit_with_no_data_is_listed_unranked(plan, city):
    from leitai.units.models import Unit

    Unit.objects.create(code="N", name="新区", kind="county", parent=city["root"], sort_order=9)
    ranking = services.compute_ranking(plan.current_version, city["periods"]["2024-04"])
    row = rows_by_unit(ranking)["N"]
    assert row.rank is None and row.score is None and math.isnan(services.result_from_rows(ranking).score[-1])
