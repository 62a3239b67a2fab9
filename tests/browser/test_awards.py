"""Awards in Chromium: county A's reporter nominates their unit on a phone (reached from the nav), the organizer
approves it after the confirmation, and an anonymous visitor on a 390 px phone sees it on the public awards
page, which fits the screen."""

from __future__ import annotations

import os

import pytest

from tests.browser.test_closeout import sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def breakthrough(transactional_db, organizer, reporter_a):
    from leitai.awards import services

    return services.save_kind(organizer, code="tupo", name="重点工作突破奖", basis="nomination", recipient="unit")


def test_a_nomination_from_a_phone_approved_with_a_confirmation_shows_on_the_public_phone_page(
        live_server, browser, breakthrough, city):
    from leitai.awards.models import Award

    context, page = sign_in(browser, live_server.url, "reporter_a", mobile=True)
    page.goto(live_server.url + "/")
    page.click("nav a[href='/awards/']")
    page.click("#award-work a[href='/awards/nominate/']")
    page.select_option("#id_kind", label="重点工作突破奖")
    page.select_option("#id_unit", label=city["a"].name)
    page.fill("#id_reason", "招商引资实现重大突破，签约亿元以上项目 6 个")
    page.click("#nominate-form button[type=submit]")
    page.wait_for_selector("#status")
    assert "待审批" in page.text_content("#status")
    assert page.locator("#decide").count() == 0  # a reporter cannot decide
    context.close()
    award = Award.objects.get()

    context, page = sign_in(browser, live_server.url, "organizer")
    page.goto(live_server.url + "/awards/")
    page.click("#award-work a[href='/awards/pending/']")
    dialogs = []

    def dismiss_then_accept(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", dismiss_then_accept)
    page.click(f"#pending-{award.pk} button[value=approve]")  # dismissed: nothing happens
    award.refresh_from_db()
    assert award.status == "pending" and "确定批准" in dialogs[0]
    page.click(f"#pending-{award.pk} button[value=approve]")
    page.wait_for_selector("#none-pending")
    context.close()
    award.refresh_from_db()
    assert award.status == "approved"

    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/awards/")
    assert "重点工作突破奖" in page.text_content("#awards")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click(f"#award-{award.pk} a")
    page.wait_for_selector("#cert-pdf")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
