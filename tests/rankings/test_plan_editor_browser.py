"""The plan editor in Chromium: a plan, its groups and indicators made in Chinese only, published and ranked."""

from __future__ import annotations

import pytest

from leitai.rankings.models import AssessmentPlan, Ranking
from tests.rankings.support import add_data


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_office_makes_a_plan_in_chinese_publishes_it_and_the_ranking_computes(live_server, browser, city,
                                                                                   organizer, client):
    from playwright.sync_api import expect

    add_data(city)
    client.force_login(organizer)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/rankings/plans/")
    # Nothing in English to type: the code and the JSON box sit in the closed advanced part.
    assert not page.locator("#id_code").is_visible() and not page.locator("#id_spec_json").is_visible()
    page.fill("#id_name", "生态专项考核")
    page.get_by_label("县市区").check()
    page.get_by_label("地区生产总值增速（经济发展）").check()
    page.get_by_label("PM2.5 浓度（生态环境）").check()
    page.click("button:has-text('创建')")
    expect(page.locator(".messages")).to_contain_text("已创建方案“生态专项考核”")
    plan = AssessmentPlan.objects.get(name="生态专项考核")
    assert plan.code == "stzxkh"

    # A new group and a new indicator in it, both by their Chinese names.
    page.fill("#id_grp-2-name", "投资建设")
    page.fill("#id_grp-2-weight", "2")
    page.select_option("#id_ind-2-code", label="固定资产投资")
    page.fill("#id_ind-2-group", "投资建设")
    page.fill("#id_note", "增加投资类别")
    assert not page.locator("#id_grp-2-code").is_visible()
    page.click("button:has-text('保存为新版本')")
    expect(page.locator(".messages")).to_contain_text("已保存为第 2 版")
    spec = plan.current_version.spec
    assert {g["name"]: g["code"] for g in spec["groups"]}["投资建设"] == "touzijianshe"
    assert {i["code"]: i["group"] for i in spec["indicators"]}["inv"] == "touzijianshe"
    page.click("summary:has-text('高级选项')")
    expect(page.locator("#id_grp-2-code")).to_have_value("touzijianshe")

    page.select_option("#id_period", "2024-04")
    page.click("button:has-text('计算草稿')")
    expect(page.locator(".messages")).to_contain_text("已计算草稿")
    # This plan's intervals separate every unit at every flag: no warning, no confirmation to tick.
    expect(page.locator("#publish-warnings")).to_have_count(0)
    page.click("button:has-text('发布')")
    expect(page.locator(".messages")).to_contain_text("已发布")
    ranking = Ranking.objects.get(plan_version__plan=plan)
    assert ranking.status == Ranking.Status.PUBLISHED and ranking.rows.count() == 3
    assert "投资建设" in page.text_content("main")
    context.close()
