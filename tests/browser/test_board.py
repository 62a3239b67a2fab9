"""The ranking board of a small generated demo city in Chromium: Chinese by default, a server-drawn chart, the
table, the language switch, and a unit's trend chart."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




@pytest.fixture
def demo_city(transactional_db):
    from leitai.demo.loader import build

    return build(seed=5, months=3, end="2024-03", counties=3, zones=1, departments=4, towns_per_county=2)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_the_board_shows_the_county_plan_in_chinese_with_a_chart_and_a_table(live_server, page, demo_city):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/rankings/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", name="成绩单").first.is_visible()
    assert "县市区高质量发展综合考核" in page.text_content("h1")
    assert "2024年1-3月" in page.text_content("h1")
    page.wait_for_selector("#board-chart svg.lt-chart")
    # One bar per ranked unit: three counties and one zone.
    assert page.locator("#board-chart .lt-mark").count() == 4
    rows = page.locator("#board-table tbody tr")
    assert rows.count() == 4
    assert rows.first.locator("td").first.inner_text().strip() == "1"
    assert outside == []


def test_the_language_selector_switches_the_board_to_english(live_server, page, demo_city):
    page.goto(f"{live_server.url}/rankings/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("select[name=language]").input_value() == "en"
    # Still the board, with its chart and its rows.
    page.wait_for_selector("#board-chart svg.lt-chart")
    assert page.locator("#board-table tbody tr").count() == 4
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "成绩单" in page.text_content("h1")


def test_a_unit_page_opened_from_the_board_draws_its_trend(live_server, page, demo_city):
    page.goto(f"{live_server.url}/rankings/")
    with page.expect_navigation():
        page.locator("#board-table tbody tr[data-unit=donggang] a").first.click()
    assert page.url.endswith("/units/donggang/")
    assert "东港区" in page.text_content("h1")
    page.wait_for_selector("#trend-chart svg.lt-chart")
    # Three months of data: the trend line has three points.
    assert page.locator("#trend-chart .lt-mark").count() == 3
    page.wait_for_selector("#rank-chart svg.lt-chart")
