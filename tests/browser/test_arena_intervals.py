"""Rank intervals on a published arena's results page in Chromium, at 1280 px and on a 390 px phone: the
interval beside each rank, the ≈ mark of the statistically indistinguishable and the list of whom each cannot
be told apart from, all visible without hovering, and the page no wider than the screen."""

from __future__ import annotations

import os

import pytest

from tests.arena.conftest import arena, contestants, panel, quarter, sheet, stage_to  # noqa: F401 - fixtures
from tests.arena.results.test_intervals import MARKS, score_all

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(transactional_db, arena, organizer, contestants, panel, sheet, stage_to):  # noqa: F811
    """K and B tie on 8.7 (K first on the leaders' score), A 8.0; published."""
    from leitai.arena import services

    panel.judges["L4"] = services.add_judge(arena, organizer, group="leaders", name="L4")
    panel.tokens["L4"] = services.issue_token(panel["L4"], organizer)
    day = score_all(arena, organizer, contestants, panel, sheet, stage_to, MARKS)
    return services.publish_results(day, organizer)


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
