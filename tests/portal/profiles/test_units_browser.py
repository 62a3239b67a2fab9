"""The unit page in Chromium: plotly draws the charts offline, the indicator select redraws, a phone fits."""

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
    page.wait_for_selector("#trend-chart .main-svg")
    assert "PM2.5 浓度" in page.text_content("#trend-chart .gtitle")
    page.select_option("#trend-indicator", "gdp")
    wait_for_js(page, "document.querySelector('#trend-chart .gtitle').textContent.includes('地区生产总值增速')")
    # Both the unit's and the peer's line are drawn.
    assert page.locator("#trend-chart .scatterlayer .trace").count() == 2
    page.wait_for_selector("#rank-chart .main-svg")
    # Rank 1 on top: the y axis runs from the larger rank down to the smaller.
    low, high = page.evaluate("document.getElementById('rank-chart')._fullLayout.yaxis.range")
    assert low > high
    page.wait_for_selector("#bench-chart .main-svg")
    assert page.locator("#bench-chart .barlayer .trace").count() == 2
    assert outside == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_unit_page_fits_a_phone(live_server, browser, ranked_city):
    page = browser.new_page(locale="zh-CN", viewport={"width": 375, "height": 740})
    page.goto(f"{live_server.url}/units/A/?peer=B")
    page.wait_for_selector("#trend-chart .main-svg")
    # Wide tables scroll inside their .table-wrap; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    chart_width = page.evaluate("document.querySelector('#trend-chart .main-svg').getBoundingClientRect().width")
    assert chart_width <= 375
