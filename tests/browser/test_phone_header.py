"""The header on a 390×844 phone: one line with a menu button, and every navigation link one tap away."""

from __future__ import annotations

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["organizer", "anonymous"])
def test_the_phone_header_is_compact_and_its_menu_reaches_every_link(live_server, browser, organizer, client, who):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True)
    if who == "organizer":
        client.force_login(organizer)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/rankings/")
    header = page.locator("header.top")
    assert header.bounding_box()["height"] <= 64
    links = page.locator("header.top nav a")
    hrefs = links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert len(hrefs) >= (9 if who == "organizer" else 5)
    assert not any(links.nth(n).is_visible() for n in range(len(hrefs)))

    page.click("header.top .menu-toggle")
    assert page.get_attribute("header.top .menu-toggle", "aria-expanded") == "true"
    for n in range(len(hrefs)):
        link = links.nth(n)
        link.scroll_into_view_if_needed()
        assert link.is_visible(), hrefs[n]
        box = link.bounding_box()
        assert box["width"] > 0 and box["height"] >= 24 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.locator("header.top select[name=language]").is_visible()
    # The open menu does not widen the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    links.filter(has_text="擂台赛").click()
    page.wait_for_url("**/arena/**")
    assert page.locator("header.top").bounding_box()["height"] <= 64
    context.close()

    desktop = browser.new_page(locale="zh-CN", viewport={"width": 1440, "height": 900})
    desktop.goto(f"{live_server.url}/rankings/")
    assert not desktop.locator("header.top .menu-toggle").is_visible()
    assert desktop.locator("header.top nav a").first.is_visible()
    desktop.close()
