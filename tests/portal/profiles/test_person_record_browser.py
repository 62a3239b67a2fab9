"""The people list in Chromium: the organizer goes from the units page to the people list, ticks two people,
compares them side by side and opens a record; on a phone the page does not scroll sideways."""

from __future__ import annotations

import datetime as dt

import pytest

from leitai.units import services
from tests.conftest import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1440, 390])
def test_the_organizer_compares_two_people_by_clicking(live_server, browser, city, organizer, width):
    services.appoint("李四", city["b"], "区委书记", dt.date(2022, 1, 1), organizer)
    page = browser.new_page(locale="zh-CN", viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/?next=/units/")
    page.fill("#id_username", "organizer")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.click("#people-link")
    page.check("input[aria-label='比较张三']")
    page.check("input[aria-label='比较李四']")
    page.click("text=比较所选人员")
    page.wait_for_selector("table.compare")
    heads = page.locator("table.compare thead th").all_text_contents()
    assert heads[1:] == ["张三", "李四"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.click("table.compare thead a:text('李四')")
    page.wait_for_selector("section.tenure")
    assert "西城区" in page.text_content("section.tenure h2")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
