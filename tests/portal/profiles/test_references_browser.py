"""Reference figures on a phone (390 px) in Chromium: the unit page's 全省与外地对标 section and the reference
list with its hand-entry form fit the screen (wide tables scroll inside their box), and a figure typed in
the form shows in the list."""

from __future__ import annotations

import pytest

from leitai.indicators import references
from tests.conftest import PASSWORD
from tests.portal.profiles.test_units import observe


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reference_pages_fit_a_phone_and_the_form_saves_a_figure(live_server, browser, city, organizer):
    observe(city)
    references.set_reference(organizer, kind="average", indicator=city["gdp"], period="2024-04", value=5.5)
    references.set_reference(organizer, kind="peer", indicator=city["gdp"], period="2024-04", value=9.5,
                             peer="江苏邳州经济开发区", unit=city["a"])
    page = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/units/A/")
    section = page.locator("#outside-benchmark")
    assert "江苏邳州经济开发区" in section.text_content() and "全省平均" in section.text_content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.goto(f"{live_server.url}/accounts/login/?next=/data/references/")
    page.fill("input[name=username]", organizer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#reference-add")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.click("#reference-add summary")
    page.select_option("#id_kind", "rank")
    page.select_option("#id_indicator", label="地区生产总值增速")
    page.fill("#id_period", "2024-04")
    page.select_option("#id_unit", label="东城区")
    page.fill("#id_rank", "1")
    page.fill("#id_total", "90")
    page.click("#reference-add button[type=submit]")
    page.wait_for_selector("text=已保存参照数据")
    assert "1 / 90" in page.text_content("#reference-list")
