"""The public portal on a 390 px phone in Chromium: from the home, search a county, open its page; nothing
wider than the screen, Chinese text, each section and its history there, nothing fetched from outside."""

from __future__ import annotations

import os

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_overflow(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"


def test_how_is_my_county_doing_on_a_phone(live_server, browser, published, tracked):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    _no_overflow(page)
    page.fill("#home-finder input[type=search]", "东城")
    page.click("#home-finder button[type=submit]")
    page.wait_for_load_state()
    _no_overflow(page)
    page.click("a:text-is('东城区')")
    page.wait_for_selector("#rankings")
    assert page.locator("h1").inner_text().startswith("东城区")
    _no_overflow(page)
    text = page.locator("main").inner_text()
    for words in ("最新排名", "考绩", "擂台赛", "承诺兑现", "整改事项", "重大项目", "奖项", "GDP 增速不低于 7%", "已兑现"):
        assert words in text, words
    assert "内部承诺不公开" not in text
    assert page.locator("#rankings svg.spark polyline").count() == 1
    for summary in page.locator("main details > summary").all():  # every history opened: still no overflow
        summary.click()
    assert page.locator("#rankings details table tbody tr").count() == 2
    _no_overflow(page)
    assert outside == []
    context.close()


def test_the_published_release_fits_a_phone(live_server, browser, organizer, published):
    from leitai.portal.public import services

    release = services.create_draft(organizer, ranking=published["april"], codes=["gdp", "inv", "pm25"],
                                    title="2024年1-4月主要指标", office="示范市考核办公室")
    services.publish(organizer, release)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.click("#home-releases a:text-is('2024年1-4月主要指标')")
    page.wait_for_selector("#release-table")
    assert page.locator("#release-table tbody tr").count() == 3
    _no_overflow(page)  # the wide table scrolls inside its box, the page does not
    context.close()
