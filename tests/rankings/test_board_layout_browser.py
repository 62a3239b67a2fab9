"""The board's table at 1440 px and on a 390 px phone: no page-wide overflow, the unit column stays in view
while a wide table scrolls (with a hint that it does), and a card per unit on the phone."""

from __future__ import annotations

import pytest

from leitai.indicators.models import Indicator, Observation
from leitai.rankings.services import create_plan
from tests.rankings.support import SPEC, add_data, publish

WIDE = 24


def _wide_plan(city):
    """The support plan plus 24 economic indicators: 27 columns once 经济发展 is open."""
    add_data(city)
    extra = []
    for n in range(WIDE):
        ind = Indicator.objects.create(code=f"x{n:02d}", name=f"经济运行指标{n + 1:02d}", measure="%",
                                       category=city["econ"], applies_to=["county"])
        for k, unit in enumerate((city["a"], city["b"], city["c"])):
            Observation.objects.create(unit=unit, indicator=ind, period=city["periods"]["2024-04"],
                                       value=float((n * 7 + k * 3) % 11))
        extra.append({"code": ind.code, "direction": 1, "weight": 1, "group": "econ"})
    plan = create_plan("wide", "宽表方案", ["county"], {**SPEC, "indicators": SPEC["indicators"] + extra})
    publish(plan, city, "2024-04")
    return plan


def _page_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_at_1440_the_unit_column_stays_visible_while_the_wide_table_scrolls(live_server, browser, city):
    _wide_plan(city)
    page = browser.new_page(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/rankings/?plan=wide")
    # Closed, the table fits: category scores first, no hint.
    assert page.locator("#board-table th.ind-col").count() == 0
    assert not page.locator(".scroll-hint").is_visible()
    assert _page_overflow(page) <= 0
    page.click("th.group-col[data-group=econ] a.toggle")
    page.wait_for_selector("#board-table th.ind-col >> nth=25")
    wrap = page.locator(".board-wrap")
    assert page.locator(".scroll-hint").is_visible()
    assert "左右滑动" in page.text_content(".scroll-hint")
    assert _page_overflow(page) <= 0  # the table scrolls inside its box, not the page
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth + 500")
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    page.wait_for_timeout(100)
    box = wrap.bounding_box()
    cell = page.locator("#board-table tbody tr[data-unit=A] td.unit-col")
    cb = cell.bounding_box()
    assert box["x"] <= cb["x"] < box["x"] + 100
    # Nothing painted over it: the point at its centre is the cell (or its link).
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('td')?.className",
                        [cb["x"] + cb["width"] / 2, cb["y"] + cb["height"] / 2])
    assert hit == "unit-col"
    assert page.locator("#board-table tbody tr[data-unit=A] td.rank-col").is_visible()
    # The last indicator is now in view.
    last = page.locator("#board-table thead th.ind-col").last.bounding_box()
    assert last["x"] + last["width"] <= box["x"] + box["width"] + 1
    assert not page.locator(".board-cards").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_board_is_a_card_per_unit(live_server, browser, city):
    _wide_plan(city)
    page = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True)
    page.goto(f"{live_server.url}/rankings/?plan=wide&open=econ")
    assert _page_overflow(page) <= 0
    assert not page.locator(".board-wrap").is_visible()
    cards = page.locator(".board-cards li.board-card")
    assert cards.count() == 3
    first = cards.first
    assert first.get_attribute("data-unit") == page.locator("#board-table tbody tr").first.get_attribute("data-unit")
    assert first.locator(".score").is_visible() and first.locator(".unit").is_visible()
    groups = first.locator("dl.card-groups")
    assert "经济发展" in groups.text_content() and "生态环境" in groups.text_content()
    assert not first.locator("dl.card-values").first.is_visible()
    first.locator("summary").click()
    assert first.locator("dl.card-values").first.is_visible()
    assert first.locator("dl.card-values dt").count() == WIDE + 3
    assert _page_overflow(page) <= 0
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
