"""The ranking board in Chromium: the server-drawn chart, sorting and filtering swap the table without a reload."""

from __future__ import annotations

import pytest

from tests.conftest import wait_for_js
from tests.rankings.support import add_data, make_plan, publish


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_board_draws_its_chart_and_sorts_and_filters_in_place(live_server, browser, city):
    add_data(city)
    plan = make_plan()
    publish(plan, city, "2024-03")
    publish(plan, city, "2024-04")
    page = browser.new_page(locale="zh-CN")
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/rankings/")
    page.wait_for_selector("#board-chart svg.lt-chart")
    assert page.locator("#board-chart .lt-mark").count() == 3
    page.evaluate("window.notReloaded = true")
    # htmx wires up a swapped-in table when it settles: act on the new table only after that.
    page.evaluate("window.settled = 0; document.body.addEventListener('htmx:afterSettle', () => window.settled++)")

    page.click("th.ind-col a:has-text('地区生产总值增速')")
    wait_for_js(page, "document.querySelector('#board-table tbody tr').dataset.unit === 'A'"
                           " && location.search.includes('sort=gdp') && window.settled === 1")
    page.click("th.ind-col a:has-text('地区生产总值增速')")  # again: ascending
    wait_for_js(page, "document.querySelector('#board-table tbody tr').dataset.unit === 'B'"
                           " && window.settled === 2")
    assert page.locator("#board-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.unit)") == ["B", "K", "A"]

    page.select_option("#f-category", "green")
    wait_for_js(page, "document.querySelectorAll('#board-table th.ind-col').length === 1")
    assert "PM2.5" in page.text_content("#board-table th.ind-col")
    page.wait_for_selector("#board-chart svg.lt-chart")  # the chart comes with the swapped table
    assert page.evaluate("window.notReloaded") is True
    assert outside == []
