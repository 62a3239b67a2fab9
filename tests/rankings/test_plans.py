"""Plan pages: create a plan, edit its rules into a new version, compute a draft; bonus/deduction items."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from leitai.rankings.models import Adjustment, AssessmentPlan, Ranking
from tests.rankings.support import SPEC, add_data, make_plan, publish


def _spec_post(rows=None, groups=None, **settings) -> dict:
    rows = rows if rows is not None else [("gdp", 1, "econ", 1, ""), ("inv", 2, "econ", 1, ""), ("pm25", 1, "green", -1, "")]
    groups = groups if groups is not None else [("econ", "经济发展", 2, ""), ("green", "生态环境", 1, "")]
    data = {"normalization": "minmax", "scale_low": 0, "scale_high": 100, "aggregation": "arithmetic",
            "star_top_k": 1, "category_flags": "on", "red_flags": 1, "yellow_flags": 1, "weak_k": 2,
            "note": "投资权重翻倍", "spec_json": "",
            "ind-TOTAL_FORMS": len(rows), "ind-INITIAL_FORMS": 0, "ind-MIN_NUM_FORMS": 0, "ind-MAX_NUM_FORMS": 1000,
            "grp-TOTAL_FORMS": len(groups), "grp-INITIAL_FORMS": 0, "grp-MIN_NUM_FORMS": 0, "grp-MAX_NUM_FORMS": 1000}
    for n, (code, weight, group, direction, target) in enumerate(rows):
        data.update({f"ind-{n}-code": code, f"ind-{n}-weight": weight, f"ind-{n}-group": group,
                     f"ind-{n}-direction": direction, f"ind-{n}-target": target})
    for n, (code, name, weight, parent) in enumerate(groups):
        data.update({f"grp-{n}-code": code, f"grp-{n}-name": name, f"grp-{n}-weight": weight, f"grp-{n}-parent": parent})
    data.update(settings)
    return data


@pytest.fixture
def plan(city, organizer):
    add_data(city)
    return make_plan(organizer)


def test_the_plans_page_lists_plans_with_their_versions(plan, login, organizer):
    html = login(organizer).get(reverse("rankings:plans")).content.decode()
    assert "县市区综合考核" in html and "v1" in html and "新建方案" in html


def test_an_organizer_creates_a_plan_from_chosen_indicators(city, login, organizer):
    response = login(organizer).post(reverse("rankings:plans"), {
        "code": "green", "name": "生态考核", "unit_kinds": ["county"], "indicators": [city["pm25"].pk, city["gdp"].pk]})
    plan = AssessmentPlan.objects.get(code="green")
    assert response.status_code == 302 and response["Location"] == reverse("rankings:plan_edit", args=[plan.pk])
    spec = plan.current_version.spec
    assert {i["code"]: i["direction"] for i in spec["indicators"]} == {"gdp": 1, "pm25": -1}
    assert {g["code"] for g in spec["groups"]} == {"econ", "green"}
    assert plan.current_version.created_by == organizer


def test_an_organizer_creates_a_plan_from_pasted_json(city, login, organizer):
    login(organizer).post(reverse("rankings:plans"), {
        "code": "pasted", "name": "粘贴方案", "unit_kinds": ["county", "zone"], "spec_json": json.dumps(SPEC)})
    plan = AssessmentPlan.objects.get(code="pasted")
    assert plan.unit_kinds == ["county", "zone"]
    assert plan.current_version.spec["groups"][0]["weight"] == 2


@pytest.mark.parametrize("extra, message", [
    ({"spec_json": "{\"indicators\": [}"}, "JSON 格式有误：第 1 行"),
    ({"spec_json": json.dumps({**SPEC, "normalization": "magic"})}, "方案规则有误"),
    ({"spec_json": json.dumps({**SPEC, "indicators": [{"code": "nope"}], "groups": []})}, "nope 不存在"),
    ({}, "请至少选择一个指标"),
])
def test_creating_a_plan_with_bad_rules_shows_a_chinese_error(city, login, organizer, extra, message):
    response = login(organizer).post(reverse("rankings:plans"),
                                     {"code": "bad", "name": "坏方案", "unit_kinds": ["county"], **extra})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AssessmentPlan.objects.filter(code="bad").exists()


def test_a_duplicate_plan_code_is_a_field_error(plan, city, login, organizer):
    response = login(organizer).post(reverse("rankings:plans"), {
        "code": "county", "name": "重复", "unit_kinds": ["county"], "indicators": [city["gdp"].pk]})
    assert "方案编码 county 已存在" in response.content.decode()


def test_the_edit_page_is_filled_with_the_current_rules(plan, login, organizer):
    html = login(organizer).get(reverse("rankings:plan_edit", args=[plan.pk])).content.decode()
    assert 'name="ind-0-code"' in html and '<option value="gdp" selected>' in html
    assert 'name="grp-0-name" value="经济发展"' in html
    assert "初始版本" in html and "计算草稿" in html


def test_saving_the_rules_creates_a_new_version_and_shows_what_changed(plan, login, organizer):
    client = login(organizer)
    response = client.post(reverse("rankings:plan_edit", args=[plan.pk]), _spec_post())
    assert response.status_code == 302
    v2 = plan.current_version
    assert v2.number == 2 and v2.note == "投资权重翻倍" and v2.created_by == organizer
    assert [i["weight"] for i in v2.spec["indicators"]] == [1.0, 2.0, 1.0]
    assert plan.versions.get(number=1).spec["indicators"][1]["weight"] == 1
    html = client.get(reverse("rankings:plan_edit", args=[plan.pk])).content.decode()
    assert "v2" in html and "投资权重翻倍" in html and "指标 inv: weight 1.0→2.0" in html


def test_pasting_json_on_the_edit_page_replaces_the_table(plan, login, organizer):
    pasted = {**SPEC, "normalization": "rank"}
    login(organizer).post(reverse("rankings:plan_edit", args=[plan.pk]), _spec_post(spec_json=json.dumps(pasted)))
    assert plan.current_version.spec["normalization"] == "rank"


@pytest.mark.parametrize("kwargs, message", [
    ({"rows": [("gdp", -1, "econ", 1, "")]}, "权重应大于 0"),
    ({"groups": [("econ", "经济", 0, ""), ("green", "生态", 1, "")]}, "权重应大于 0"),
    ({"rows": [("gdp", 1, "social", 1, "")]}, "分组 social 未定义"),
    ({"rows": [("gdp", 1, "", 1, "")]}, "每个指标都要归入一个分组"),
    ({"groups": [("econ", "经济", 1, "top")]}, "上级分组 top 未定义"),
    ({"rows": []}, "至少要有一个指标"),
    ({"scale_high": -5}, "分值上限应大于下限"),
    ({"normalization": "target"}, "需要非零的 target"),
    ({"spec_json": "[1, 2"}, "JSON 格式有误"),
])
def test_bad_rules_give_chinese_field_errors_and_no_new_version(plan, login, organizer, kwargs, message):
    rows = kwargs.pop("rows", None)
    groups = kwargs.pop("groups", None)
    response = login(organizer).post(reverse("rankings:plan_edit", args=[plan.pk]), _spec_post(rows, groups, **kwargs))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert plan.versions.count() == 1


def test_computing_from_the_plan_page_opens_the_draft(plan, login, organizer):
    response = login(organizer).post(reverse("rankings:compute", args=[plan.pk]), {"period": "2024-04"})
    ranking = Ranking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("rankings:detail", args=[ranking.pk])
    assert ranking.status == Ranking.Status.DRAFT and ranking.computed_by == organizer


def test_computing_with_an_earlier_version(plan, login, organizer):
    from leitai.rankings.services import create_plan_version

    create_plan_version(plan, {**SPEC, "normalization": "rank"})
    v1 = plan.versions.get(number=1)
    login(organizer).post(reverse("rankings:compute", args=[plan.pk]), {"period": "2024-04", "version": v1.pk})
    assert Ranking.objects.get().plan_version == v1


def test_computing_an_unknown_period_is_reported(plan, login, organizer):
    response = login(organizer).post(reverse("rankings:compute", args=[plan.pk]), {"period": "2030-01"}, follow=True)
    assert "选择一个有效的选项" in response.content.decode()
    assert not Ranking.objects.exists()


def test_the_adjustments_page_adds_lists_and_withdraws_items(plan, city, login, organizer):
    client = login(organizer)
    response = client.post(reverse("rankings:adjustments"), {
        "unit": city["a"].pk, "period": city["periods"]["2024-04"].pk, "points": "2.5", "reason": "获省级表彰加分",
        "plan": plan.pk})
    assert response.status_code == 302
    adj = Adjustment.objects.get()
    assert (adj.points, adj.reason, adj.plan, adj.created_by) == (2.5, "获省级表彰加分", plan, organizer)
    html = client.get(reverse("rankings:adjustments")).content.decode()
    assert "获省级表彰加分" in html and "+2.5" in html
    client.post(reverse("rankings:withdraw", args=[adj.pk]))
    adj.refresh_from_db()
    assert adj.withdrawn
    assert "已撤销" in client.get(reverse("rankings:adjustments")).content.decode()


def test_an_adjustment_of_zero_points_is_refused_on_the_form(city, login, organizer):
    response = login(organizer).post(reverse("rankings:adjustments"), {
        "unit": city["a"].pk, "period": city["periods"]["2024-04"].pk, "points": "0", "reason": "x"})
    assert "分值不能为 0" in response.content.decode()
    assert not Adjustment.objects.exists()


def test_an_adjustment_for_a_unit_outside_the_plan_is_refused(plan, city, login, organizer):
    response = login(organizer).post(reverse("rankings:adjustments"), {
        "unit": city["town"].pk, "period": city["periods"]["2024-04"].pk, "points": "1", "reason": "x", "plan": plan.pk})
    assert "不参加方案" in response.content.decode()


@pytest.mark.parametrize("name, method, args", [
    ("plans", "get", False), ("plan_edit", "get", True), ("plan_edit", "post", True), ("compute", "post", True),
    ("adjustments", "get", False), ("adjustments", "post", False),
])
def test_plan_pages_are_for_organizers_only(plan, client, login, reporter_a, judge, public_user, name, method, args):
    url = reverse(f"rankings:{name}", args=[plan.pk] if args else [])
    anonymous = getattr(client, method)(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in (reporter_a, judge, public_user):
        assert getattr(login(user), method)(url, {"period": "2024-04"} if method == "post" else None).status_code == 403
    assert plan.versions.count() == 1 and not Ranking.objects.exists()


def test_withdrawing_is_for_organizers_only(city, login, reporter_a):
    from leitai.rankings.services import add_adjustment

    adj = add_adjustment(city["a"], city["periods"]["2024-04"], 1, "加分")
    assert login(reporter_a).post(reverse("rankings:withdraw", args=[adj.pk])).status_code == 403
    adj.refresh_from_db()
    assert not adj.withdrawn


def test_the_board_of_a_published_ranking_links_back_to_its_plan_for_organizers(plan, city, login, organizer):
    ranking = publish(plan, city, "2024-04")
    html = login(organizer).get(reverse("rankings:detail", args=[ranking.pk])).content.decode()
    assert reverse("rankings:plan_edit", args=[plan.pk]) in html


def test_a_plan_named_in_chinese_gets_a_pinyin_code(city, login, organizer):
    client = login(organizer)
    for _ in range(2):
        response = client.post(reverse("rankings:plans"), {
            "name": "生态考核", "unit_kinds": ["county"], "indicators": [city["pm25"].pk]})
        assert response.status_code == 302
    assert sorted(AssessmentPlan.objects.values_list("code", flat=True)) == ["shengtaikaohe", "shengtaikaohe-2"]


def test_the_create_form_asks_no_code_and_no_json_outside_the_advanced_part(city, login, organizer):
    html = login(organizer).get(reverse("rankings:plans")).content.decode()
    advanced = html.index('<details class="advanced"')
    assert html.index('name="name"') < advanced and html.index('name="indicators"') < advanced
    assert html.index('name="code"') > advanced and html.index('name="spec_json"') > advanced
    assert "地区生产总值增速（经济发展）" in html


def test_groups_are_named_in_chinese_and_their_codes_generated_and_kept(plan, login, organizer):
    client = login(organizer)
    rows = [("gdp", 1, "经济发展", 1, ""), ("inv", 1, "投资", 1, ""), ("pm25", 1, "生态环境", -1, "")]
    groups = [("econ", "经济发展", 2, ""), ("", "投资", 1, "经济发展"), ("green", "生态环境", 1, "")]
    assert client.post(reverse("rankings:plan_edit", args=[plan.pk]), _spec_post(rows, groups)).status_code == 302
    spec = plan.current_version.spec
    assert {g["code"]: g.get("parent") for g in spec["groups"]} == {"econ": None, "touzi": "econ", "green": None}
    assert {i["code"]: i["group"] for i in spec["indicators"]} == {"gdp": "econ", "inv": "touzi", "pm25": "green"}
    html = client.get(reverse("rankings:plan_edit", args=[plan.pk])).content.decode()
    assert 'name="ind-1-group" value="投资"' in html and 'name="grp-1-code" value="touzi"' in html
    # Renamed: the code stays, so earlier rankings and the new version still name the same group.
    groups = [("econ", "经济发展", 2, ""), ("touzi", "固定资产投资", 1, "经济发展"), ("green", "生态环境", 1, "")]
    rows = [("gdp", 1, "经济发展", 1, ""), ("inv", 1, "固定资产投资", 1, ""), ("pm25", 1, "生态环境", -1, "")]
    assert client.post(reverse("rankings:plan_edit", args=[plan.pk]), _spec_post(rows, groups)).status_code == 302
    spec = plan.current_version.spec
    assert {g["code"]: g["name"] for g in spec["groups"]}["touzi"] == "固定资产投资"


@pytest.mark.parametrize("kwargs, message", [
    ({"rows": [("gdp", "很多", "econ", 1, "")]}, "“权重”应为数字"),
    ({"scale_low": ""}, "请填写“分值下限”"),
    ({"red_flags": -1}, "“红旗数（综合前几名）”不能小于 0"),
    ({"groups": [("econ", "经济", 1, ""), ("green", "经济", 1, "")]}, "分组名称 经济 重复"),
])
def test_field_errors_name_the_field(plan, login, organizer, kwargs, message):
    rows = kwargs.pop("rows", None)
    groups = kwargs.pop("groups", None)
    response = login(organizer).post(reverse("rankings:plan_edit", args=[plan.pk]), _spec_post(rows, groups, **kwargs))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert plan.versions.count() == 1


def test_the_plan_sets_its_own_rank_interval_settings(plan, login, organizer):
    from leitai.rankings.exports import interval_command, interval_params_of

    client = login(organizer)
    html = client.get(reverse("rankings:plan_edit", args=[plan.pk])).content.decode()
    assert 'name="interval_draws"' in html and 'name="interval_jitter"' in html and "名次区间：抽样次数" in html
    response = client.post(reverse("rankings:plan_edit", args=[plan.pk]),
                           _spec_post(interval_draws=500, interval_jitter=0.1, interval_alternatives=["aggregation"]))
    assert response.status_code == 302
    assert plan.current_version.spec["uncertainty"] == {"draws": 500, "jitter": 0.1, "alternatives": ["aggregation"]}
    html = client.get(reverse("rankings:plan_edit", args=[plan.pk])).content.decode()
    assert "名次区间设置" in html  # the version list says what changed
    client.post(reverse("rankings:compute", args=[plan.pk]), {"period": "2024-04"})
    ranking = Ranking.objects.get()
    params = interval_params_of(ranking)
    assert (params.draws, params.jitter, params.alternatives) == (500, 0.1, ("aggregation",))
    assert "--draws 500" in interval_command(params) and "--alternatives aggregation" in interval_command(params)


@pytest.mark.parametrize("extra, message", [
    ({"interval_jitter": 0.95}, "0.9"),
    ({"interval_draws": 10}, "100"),
    ({"spec_json": json.dumps({**SPEC, "uncertainty": {"jitter": 2}})}, "uncertainty.jitter"),
    ({"spec_json": json.dumps({**SPEC, "uncertainty": {"draws": 10**9}})}, "uncertainty.draws 最多 20000"),
    ({"spec_json": json.dumps({**SPEC, "uncertainty": {"alternatives": ["weights"]}})}, "uncertainty.alternatives"),
])
def test_bad_rank_interval_settings_are_refused_naming_the_field(plan, login, organizer, extra, message):
    response = login(organizer).post(reverse("rankings:plan_edit", args=[plan.pk]), _spec_post(**extra))
    assert response.status_code == 200 and message in response.content.decode()
    assert plan.versions.count() == 1
