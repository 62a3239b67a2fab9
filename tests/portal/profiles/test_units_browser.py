"""The unit page in Chromium: the server-drawn charts, the indicator select redraws, a phone fits."""

from __future__ import annotations

import pytest

from tests.conftest import wait_for_js
from tests.portal.profiles.test_units import observe, publish_ranking


@pytest.fixture
def ranked_city(city):
    observe(city)
    publish_ranking(city, "2024-03", ["A", "B", "K"])
    publish_ranking(city, "2024-04", ["B", "A", "K"], weak={"A": ["pm25"]})
    return city


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_unit_page_draws_its_charts_and_switches_indicator(live_server, browser, ranked_city):
    page = browser.new_page(locale="zh-CN")
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/units/A/?peer=B")
    page.wait_for_selector("#trend-chart svg.lt-chart")
    assert "PM2.5 浓度" in page.text_content("#trend-chart .chart-title")
    page.evaluate("window.notReloaded = true")
    page.select_option("#trend-indicator", "gdp")  # htmx fetches the chosen trend's chart
    wait_for_js(page, "document.querySelector('#trend-chart .chart-title').textContent.includes('地区生产总值增速')")
    assert page.evaluate("window.notReloaded") is True
    # Both the unit's and the peer's line are drawn.
    assert page.locator("#trend-chart svg polyline").count() == 2
    page.wait_for_selector("#rank-chart svg.lt-chart")
    # Rank 1 on top: the point for rank 1 is drawn above the point for rank 2.
    ys = page.eval_on_selector_all("#rank-chart .lt-mark", "els => els.map(e => [e.dataset.tip, e.getBoundingClientRect().y])")
    assert min(y for tip, y in ys if tip.endswith("：1")) < min(y for tip, y in ys if tip.endswith("：2"))
    page.wait_for_selector("#bench-chart svg.lt-chart")
    assert len(set(page.eval_on_selector_all("#bench-chart .lt-mark", "els => els.map(e => e.getAttribute('fill'))"))) == 2
    assert outside == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_unit_page_fits_a_phone(live_server, browser, ranked_city):
    page = browser.new_page(locale="zh-CN", viewport={"width": 375, "height": 740})
    page.goto(f"{live_server.url}/units/A/?peer=B")
    page.wait_for_selector("#trend-chart svg.lt-chart")
    # Wide tables scroll inside their .table-wrap; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    chart_width = page.evaluate("document.querySelector('#trend-chart .chart-scroll').getBoundingClientRect().width")
    assert chart_width <= 375
