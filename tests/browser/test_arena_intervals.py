"""Rank intervals in Chromium: on a published arena's results page, at 1280 px and on a 390 px phone, the
interval beside each rank, the ≈ mark of the statistically indistinguishable and the list of whom each cannot
be told apart from, all visible without hovering, and the page no wider than the screen; before publication
the console's warning on a phone and in the publish confirmation."""

from __future__ import annotations

import os

import pytest

from tests.arena.conftest import arena, contestants, panel, quarter, sheet, stage_to  # noqa: F401 - fixtures
from tests.arena.results.test_intervals import MARKS, score_all
from tests.browser.test_closeout import sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def revealed(transactional_db, arena, organizer, contestants, panel, sheet, stage_to):  # noqa: F811
    """K and B tie on 8.7 (K first on the leaders' score), A 8.0; all revealed, not published."""
    from leitai.arena import services

    panel.judges["L4"] = services.add_judge(arena, organizer, group="leaders", name="L4")
    panel.tokens["L4"] = services.issue_token(panel["L4"], organizer)
    return score_all(arena, organizer, contestants, panel, sheet, stage_to, MARKS)


@pytest.fixture
def published(revealed, organizer):
    from leitai.arena import services

    return services.publish_results(revealed, organizer)


def test_the_console_warns_on_a_phone_and_in_the_publish_confirmation(live_server, browser, revealed):
    from playwright.sync_api import expect

    context, page = sign_in(browser, live_server.url, "organizer", mobile=True)
    page.route("**/stream/", lambda route: route.abort())  # no live stream left subscribed after the test
    page.goto(f"{live_server.url}/arena/{revealed.pk}/console/")
    warning = page.locator("#interval-warnings")
    warning.scroll_into_view_if_needed()
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("加减分、海豚奖（第一名）的分界（第 1 名与第 2 名之间）")
    box = warning.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="发布结果").click()
    page.wait_for_timeout(500)
    assert asked and asked[0].startswith("名次区间：加减分、海豚奖（第一名）的分界") and asked[0].endswith("确认发布？")
    from leitai.arena.models import Arena

    assert Arena.objects.get(pk=revealed.pk).status != Arena.Status.PUBLISHED  # dismissed: nothing published
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_results_page_shows_the_intervals(live_server, browser, published, width):
    from playwright.sync_api import expect

    rows = published.result["uncertainty"]["rows"]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.goto(f"{live_server.url}/arena/{published.pk}/results/")
    first = page.locator("table.results tbody tr").first.locator("td").first
    expect(first).to_contain_text(f"第1名（{rows['K'][2]}–{rows['K'][3]}）")
    expect(first.locator(".rank-interval")).to_be_visible()
    expect(first.locator(".indistinct-mark")).to_be_visible()  # K cannot be told apart from B
    legend = page.locator("#rank-intervals")
    legend.scroll_into_view_if_needed()
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("90% 区间，评委重抽样")
    expect(legend).to_contain_text("统计上无法区分")
    item = legend.locator(".indistinct-list li").first
    expect(item).to_be_visible()
    expect(item).to_contain_text("与 ")
    box = item.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
