"""Receipts in Chromium: a judge submits on a phone (390×844), sees the receipt under the sheet, reloads and
finds it in 我的回执; after the publication anyone types it on 核对回执 and sees the sheet as counted. Nothing
wider than the phone's screen, no script error, no policy violation."""

from __future__ import annotations

import os

import pytest

from tests.arena.conftest import (  # noqa: F401 (fixtures)
    arena,
    contestants,
    move,
    panel,
    quarter,
    sheet,
    stage_to,
)
from tests.browser.test_judge_panel import WATCH, assert_fits

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_judge_keeps_a_receipt_and_checks_it_after_publication(live_server, browser, arena, contestants, panel,  # noqa: F811
                                                                 organizer, sheet):  # noqa: F811
    from playwright.sync_api import expect

    from leitai.arena import services
    from leitai.arena.models import ScoreSheetRevision
    from leitai.core.judging.receipts import show_receipt

    a = move(contestants["A"], "scoring_open", organizer)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=3)
    page = context.new_page()
    page.add_init_script(WATCH)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/stream/", lambda route: route.abort())  # the WSGI test server cannot stream
    token = panel.tokens["L1"]
    page.goto(f"{live_server.url}/arena/j/{token}/")
    boxes = page.locator(".score-form input[type=number]")
    for i in range(boxes.count()):
        boxes.nth(i).fill("8.5")
    page.get_by_role("button", name="提交评分").tap()
    expect(page.locator("#confirm")).to_contain_text("已提交 ✓")
    stored = show_receipt(ScoreSheetRevision.objects.get(sheet__judge=panel["L1"]).receipt)
    expect(page.locator("#receipt-code")).to_have_text(stored)
    expect(page.locator("#receipt-box")).to_contain_text("公布结果后可在“核对回执”页查验")
    assert_fits(page)
    page.reload()
    expect(page.locator("#receipt-code")).to_have_text(stored)
    page.locator("#my-receipts-link").tap()
    expect(page.locator("#my-receipts")).to_contain_text(stored)
    expect(page.locator("#my-receipts")).to_contain_text("东城区")
    assert_fits(page)

    # The rest of the day, then the publication.
    for name in ("L2", "P1", "P2", "P3"):
        services.submit_sheet(panel[name], a, sheet(8), f"{name}-A")
    move(a, "revealed", organizer)
    for code in ("B", "K"):
        c = move(contestants[code], "scoring_open", organizer)
        for name in ("L1", "L2", "L3", "P1", "P2", "P3"):
            services.submit_sheet(panel[name], c, sheet(7), f"{name}-{code}")
        move(c, "revealed", organizer)
    services.publish_results(arena, organizer)

    page.goto(f"{live_server.url}/")
    page.locator("#home-receipt-check").click()
    page.locator("#receipt-code").fill(stored.lower().replace("-", " "))
    page.get_by_role("button", name="查验").tap()
    found = page.locator("#receipt-found")
    expect(found).to_contain_text(stored)
    expect(found).to_contain_text(panel["L1"].anon_code)
    expect(found).to_contain_text("东城区")
    expect(page.locator("#receipt-status")).to_contain_text("已计入")
    assert_fits(page)
    assert errors == [] and page.evaluate("window.__violations") == []
    if os.environ.get("LEITAI_SHOTS"):
        page.screenshot(path=os.path.join(os.environ["LEITAI_SHOTS"], "receipt-check-390.png"), full_page=True)
    context.close()
