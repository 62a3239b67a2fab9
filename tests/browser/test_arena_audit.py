"""The organizer's judges' audit in Chromium: reached from the console, the chart and the flagged judge, the
figures updating by themselves while scoring goes on, and a page that fits a phone (390 px) and a wide screen."""

from __future__ import annotations

import os

import pytest

from tests.arena.conftest import arena, contestants, panel, quarter, sheet, stage_to  # noqa: F401 - fixtures
from tests.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# P1 marks 2 above the other representatives (T = 0.5): lenient once two contestants are scored.
MARKS = {"A": 7.0, "B": 8.0}


def _score(arena_obj, code, contestants, panel, organizer, sheet, stage_to, close=True):  # noqa: F811
    from leitai.arena import services

    c = stage_to(contestants[code], "scoring_open", organizer)
    for name, judge in panel.judges.items():
        if not judge.paper and not services.is_recused(judge, c):
            services.submit_sheet(judge, c, sheet(MARKS[code] + (2 if name == "P1" else 0.5 * (name == "P3"))),
                                  f"{name}-{code}")
    if close:
        stage_to(c, "revealed", organizer)
    return c


@pytest.mark.parametrize("width", [390, 1920])
def test_the_audit_view_is_reached_from_the_console_and_updates_live(  # noqa: F811 - pytest fixtures
        live_server, browser, arena, contestants, panel, organizer, sheet, stage_to, width):  # noqa: F811
    from playwright.sync_api import expect

    _score(arena, "A", contestants, panel, organizer, sheet, stage_to)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.route("**/stream/", lambda route: route.abort())
    page.goto(f"{live_server.url}/accounts/login/?next=/arena/{arena.pk}/console/")
    page.fill("#id_username", "organizer")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/arena/{arena.pk}/console/")
    page.get_by_role("link", name="评委审计").first.click()
    page.wait_for_url(f"**/arena/{arena.pk}/audit/")
    expect(page.locator("h1")).to_contain_text("评委审计")
    # One contestant only: P1's single sheet per judge gives no interval, so nobody is flagged yet.
    expect(page.locator("#audit-body")).to_contain_text("没有评委被标记")
    expect(page.locator("#audit-body svg.lt-intervals")).to_be_visible()
    # B is scored while the page stays open: the figures refresh by themselves (htmx polling).
    _score(arena, "B", contestants, panel, organizer, sheet, stage_to, close=False)
    flagged = page.locator("#audit-body tr.flagged")
    expect(flagged).to_have_count(1, timeout=15000)
    expect(flagged).to_contain_text("P1")
    expect(flagged).to_contain_text("偏宽")
    assert page.locator("#audit-body svg.lt-intervals circle").count() >= 5
    # The calibration form is locked now that scoring has opened.
    expect(page.locator("#calibration-locked")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
