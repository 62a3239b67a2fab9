"""The judge's data panel on a phone (390×844) in Chromium: the judge opens their link while scoring is open,
taps 单位数据 beside the submission, and reads the unit's rank, stars and flags, weak indicators, pledges,
open items and last round's shortcomings — every section open, nothing wider than the screen; the panel's
own page (the link for a second tab) fits too. No script error, no policy violation."""

from __future__ import annotations

import os

import pytest

from leitai.core.judging import flow as arena_flow
from tests.arena.conftest import move
from tests.portal.panel import conftest as panel_fixtures

# The data panel's fixtures (tests/portal/panel/conftest.py): county A's record, the arena, its judges.
TODAY = panel_fixtures.TODAY
arena, contestants, items, last_round, make_item, panel, pledges, quarter, rankings, record, today = (
    panel_fixtures.arena, panel_fixtures.contestants, panel_fixtures.items, panel_fixtures.last_round,
    panel_fixtures.make_item, panel_fixtures.panel, panel_fixtures.pledges, panel_fixtures.quarter,
    panel_fixtures.rankings, panel_fixtures.record, panel_fixtures.today)
fresh_panels = panel_fixtures.fresh_panels  # autouse: no panel cached by another test

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__violations.push(e.violatedDirective); });
"""
# Every element inside the viewport's width, and no horizontal scrolling.
FITS = """() => {
  const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > w + 1;
  }).map(el => el.tagName + "." + el.className);
  return {scroll: document.documentElement.scrollWidth, width: w, wide: wide.slice(0, 5)};
}"""


@pytest.fixture
def scoring(clock, record, arena, contestants, organizer, panel):
    from leitai.tracking.models import Pledge

    clock(TODAY)
    # A long pledge with a long unbroken token: it must wrap, not push the page wider.
    Pledge.objects.create(unit=record["a"], deadline=record["periods"]["2024-03"], status="kept",
                          text="全年新增规模以上工业企业不少于三十家，" * 4 + "https://example.org/" + "x" * 80)
    move(contestants["A"], arena_flow.SCORING_OPEN, organizer)
    return panel.tokens["L1"]


def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=3)
    page = context.new_page()
    page.add_init_script(WATCH)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # The live stream is not what is tested here (the WSGI test server cannot stream): refuse it quietly.
    page.route("**/stream/", lambda route: route.abort())
    return context, page, errors


def assert_fits(page):
    fit = page.evaluate(FITS)
    assert fit["scroll"] <= fit["width"] == 390, fit
    assert fit["wide"] == [], fit


def test_a_judge_reads_the_units_data_beside_the_submission_on_a_phone(live_server, browser, scoring, contestants):
    from playwright.sync_api import expect

    context, page, errors = phone(browser)
    page.goto(f"{live_server.url}/arena/j/{scoring}/")
    expect(page.locator("#sheet .sheet-unit")).to_contain_text("东城区")
    slot = page.locator("#unit-data")
    expect(slot.locator("summary")).to_contain_text("单位数据")
    with page.expect_response(lambda r: "/panel/j/" in r.url) as answer:
        slot.locator("summary").tap()
    assert answer.value.status == 200
    data = page.locator("#unit-panel")
    expect(data).to_be_visible()
    expect(data.locator(".dp-big")).to_contain_text("第 1 名 / 共 3")
    expect(data.locator(".dp-move")).to_contain_text("↑2")
    expect(data.locator(".dp-awards")).to_contain_text("红旗")
    expect(data).to_contain_text("短板指标")
    # Every section open: pledges with their verdicts, open items, last round's shortcomings.
    closed = data.locator("details:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.tap()
    assert data.locator("details:not([open])").count() == 0
    expect(data).to_contain_text("已兑现")
    expect(data).to_contain_text("园区道路破损")
    expect(data).to_contain_text("招商引资力度不够")
    expect(data).not_to_contain_text("内部承诺不公开")
    assert_fits(page)
    if os.environ.get("LEITAI_SHOTS"):
        page.screenshot(path=os.path.join(os.environ["LEITAI_SHOTS"], "judge-panel-390.png"), full_page=True)

    # The panel's own page (the link in the slot, for a second tab) fits the phone as well.
    page.goto(f"{live_server.url}/panel/j/{scoring}/c/{contestants['A'].pk}/")
    expect(page.locator("#unit-panel")).to_be_visible()
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert_fits(page)
    assert page.evaluate("window.__violations") == [] and errors == []
    context.close()

