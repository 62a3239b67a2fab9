"""The console's confirmations in Chromium: dismissing the question keeps the day as it was, accepting
proceeds; below the quorum the reveal needs a written reason; scoring reopens with a reason."""

from __future__ import annotations

import os

import pytest

from tests.arena.conftest import CRITERIA, arena, contestants, panel, quarter, sheet, stage_to  # noqa: F401 - fixtures
from tests.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scoring_a(transactional_db, arena, contestants, panel, organizer, sheet, stage_to):  # noqa: F811
    """County A with scoring open and 1 of its 7 judges' sheets in."""
    from leitai.arena import services

    c = stage_to(contestants["A"], "scoring_open", organizer)
    services.submit_sheet(panel["P1"], c, sheet(8), "k1")
    return c


def stage(c) -> str:
    from leitai.arena.models import Contestant

    return Contestant.objects.get(pk=c.pk).stage


def test_dismissing_keeps_the_state_and_accepting_proceeds(live_server, browser, scoring_a):
    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # No live stream here: under live_server it would stay subscribed in this process after the test (the
    # live tests look at the hub); the console's buttons get the new body in their answers anyway.
    page.route("**/stream/", lambda route: route.abort())
    page.goto(f"{live_server.url}/accounts/login/?next=/arena/{scoring_a.arena_id}/console/")
    page.fill("#id_username", "organizer")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/arena/{scoring_a.arena_id}/console/")

    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator(".focus").get_by_role("button", name="结束评分").click()
    page.wait_for_timeout(500)
    assert asked == ["7 位评委中 1 位已提交，结束评分后不能再提交。确认结束评分？"]
    assert stage(scoring_a) == "scoring_open"
    expect(page.locator(".focus .badge").first).to_have_text("评分中")

    # A sheet comes in: the question says the count of now (live_console.js keeps it current from the
    # stream; here the page is read again).
    from leitai.arena import services
    from leitai.arena.models import Judge

    services.submit_sheet(Judge.objects.get(arena=scoring_a.arena, name="P2"), scoring_a, {c: 7 for c in CRITERIA}, "k2")
    page.reload()
    expect(page.locator(f'.focus [data-submitted-for="{scoring_a.pk}"]')).to_have_text("2")
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.locator(".focus").get_by_role("button", name="结束评分").click()
    expect(page.locator(".focus .badge").first).to_have_text("评分结束")
    assert stage(scoring_a) == "scoring_closed"
    assert asked[1] == "7 位评委中 2 位已提交，结束评分后不能再提交。确认结束评分？"

    # Below the quorum the reveal is a form: the question names what is missing; dismissed, nothing moves.
    gaps = page.locator(".focus .quorum-gaps")
    expect(gaps).to_contain_text("社会各界代表：5 位评委中 2 位已提交，至少需要 3 份")
    page.locator(".focus input[name=override_reason]").fill("两位群众评委因故缺席，经主任同意")
    page.once("dialog", dismiss)
    page.locator(".focus").get_by_role("button", name="填写理由后强制揭晓").click()
    page.wait_for_timeout(500)
    assert "评分表不足法定份数" in asked[-1] and stage(scoring_a) == "scoring_closed"

    # Reopen (a reason, a question), then close and reveal with the reason.
    page.locator(".focus details.reopen summary").click()
    page.locator(".focus input[name=reason]").fill("评委网络故障")
    page.once("dialog", lambda d: d.accept())
    page.locator(".focus").get_by_role("button", name="确认重新打开").click()
    expect(page.locator(".focus .badge").first).to_have_text("评分中")
    assert stage(scoring_a) == "scoring_open"
    page.once("dialog", lambda d: d.accept())
    page.locator(".focus").get_by_role("button", name="结束评分").click()
    expect(page.locator(".focus .badge").first).to_have_text("评分结束")
    page.locator(".focus input[name=override_reason]").fill("两位群众评委因故缺席，经主任同意")
    page.once("dialog", lambda d: d.accept())
    page.locator(".focus").get_by_role("button", name="填写理由后强制揭晓").click()
    expect(page.locator(f'tr[data-cid="{scoring_a.pk}"]')).to_have_attribute("data-stage", "revealed")
    assert stage(scoring_a) == "revealed"  # and the console moved on to the next contestant
    context.close()
