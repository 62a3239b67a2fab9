"""The question queue in Chromium against `leitai serve` (streams need the real server): a judge taps 我要提问
on the phone and sees their place, the organizer's console lists the hand and gives the floor, the phone says
so and the big screen shows the asker with their time, and the organizer records the question and its answer
— all without a reload."""

from __future__ import annotations

import re
import textwrap

import pytest

from tests.browser.servers import leitai_server

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-42"

SEED = textwrap.dedent("""
    import datetime as dt
    import json

    import django

    django.setup()
    from leitai.accounts.models import User
    from leitai.arena import services
    from leitai.indicators.models import Period
    from leitai.units.models import Unit

    root = Unit.objects.create(code="C", name="示范市", kind="city")
    east = Unit.objects.create(code="A", name="东城区", kind="county", parent=root, sort_order=1)
    west = Unit.objects.create(code="B", name="西城区", kind="county", parent=root, sort_order=2)
    quarter = Period.objects.create(code="2024Q1", kind="quarter", year=2024, number=1,
                                    start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31))
    org = User.objects.create_user(username="organizer", password=%(password)r, role="organizer", is_staff=True)
    arena = services.create_arena(org, name="2024年第一季度书记擂台", kind="secretary", period=quarter)
    services.add_contestants(arena, org, [east, west])
    first = arena.contestants.get(unit=east)
    services.set_order(arena, org, "manual", manual=[first.pk, arena.contestants.get(unit=west).pk])
    leader = services.add_judge(arena, org, group="leaders", name="李评委", title="市领导")
    public = services.add_judge(arena, org, group="public", name="王代表")
    tokens = [services.issue_token(leader, org), services.issue_token(public, org)]
    for stage in ("on_stage", "speech"):
        services.advance(first, stage, org)
    print(json.dumps({"arena": arena.pk, "contestant": first.pk, "tokens": tokens}))
""") % {"password": PASSWORD}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with leitai_server(tmp_path_factory.mktemp("floor"), SEED) as served:
        yield served.url, served.seed


def test_a_hand_raised_on_the_phone_gets_the_floor_from_the_console_and_the_question_is_recorded(server, browser):
    from playwright.sync_api import expect

    url, seed = server
    arena = seed["arena"]
    phone_ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                    has_touch=True)
    staff_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    screen_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    phone, staff, screen = phone_ctx.new_page(), staff_ctx.new_page(), screen_ctx.new_page()

    phone.goto(f"{url}/arena/j/{seed['tokens'][1]}/")
    phone.evaluate("window.marker = 'phone'")
    phone.get_by_role("button", name="我要提问").tap()
    expect(phone.locator("#floor-judge .floor-status")).to_have_text("已举手，排在第 1 位")

    staff.goto(f"{url}/accounts/login/?next=/arena/{arena}/console/")
    staff.fill("#id_username", "organizer")
    staff.fill("#id_password", PASSWORD)
    with staff.expect_navigation():
        staff.locator("main form button[type=submit]").click()
    expect(staff.locator("#floor-console .floor-asker")).to_have_text("王代表")
    screen.goto(f"{url}/arena/{arena}/screen/")
    screen.evaluate("window.marker = 'screen'")

    # The presentation ends: questions; the organizer gives the floor.
    staff.locator("#console-body button.step-questions").first.click()
    staff.get_by_role("button", name="请发言").click()
    expect(phone.locator("#floor-judge .floor-status")).to_have_text("请您提问")
    expect(staff.locator("#floor-countdown")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    expect(screen.locator("#floor-asker")).to_have_text("王代表")
    expect(screen.locator("#floor-banner")).to_be_visible()

    # A second judge raises a hand meanwhile: the console's waiting list follows, the notes being typed stay.
    staff.fill("#floor-console textarea[name=text]", "老旧小区改造为何滞后？")
    other = phone_ctx.new_page()
    other.goto(f"{url}/arena/j/{seed['tokens'][0]}/")
    other.get_by_role("button", name="我要提问").tap()
    expect(staff.locator("#floor-console .floor-asker")).to_have_text("李评委")
    expect(staff.locator("#floor-console textarea[name=text]")).to_have_value("老旧小区改造为何滞后？")

    staff.fill("#floor-console textarea[name=answer]", "三季度前完成 12 个小区")
    staff.get_by_role("button", name="记录并结束提问").click()
    expect(phone.locator("#floor-judge .floor-raise")).to_be_visible()
    expect(screen.locator("#floor-asker")).to_have_text("")
    staff.goto(f"{url}/arena/{arena}/records/")
    expect(staff.locator("body")).to_contain_text("老旧小区改造为何滞后？")
    expect(staff.locator("body")).to_contain_text("三季度前完成 12 个小区")
    # Nothing reloaded on the phone or the screen.
    assert phone.evaluate("window.marker") == "phone" and screen.evaluate("window.marker") == "screen"
    for ctx in (phone_ctx, staff_ctx, screen_ctx):
        ctx.close()
