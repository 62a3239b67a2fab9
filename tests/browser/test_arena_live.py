"""The arena day in Chromium against the real server (`leitai serve`, uvicorn in a subprocess: the test
server of pytest-django is WSGI and cannot stream): a judge's phone submits a sheet, the big screen shows
the count change, then the organizer's reveal puts the result on the big screen — without any reload.
Finally the server stops within seconds although the streams are still open."""

from __future__ import annotations

import os
import signal
import textwrap
import time

import pytest

from tests.browser.servers import leitai_server

pytestmark = pytest.mark.browser

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "correct-horse-42"

SEED = textwrap.dedent("""
    import datetime as dt
    import json

    import django

    django.setup()
    from leitai.accounts.models import User
    from leitai.arena import services
    from leitai.indicators.models import Period
    from leitai.units.models import Person, Post, Unit

    root = Unit.objects.create(code="C", name="示范市", kind="city")
    east = Unit.objects.create(code="A", name="东城区", kind="county", parent=root, sort_order=1)
    west = Unit.objects.create(code="B", name="西城区", kind="county", parent=root, sort_order=2)
    Post.objects.create(person=Person.objects.create(name="张三"), unit=east, title="区委书记",
                        start=dt.date(2020, 1, 1))
    quarter = Period.objects.create(code="2024Q1", kind="quarter", year=2024, number=1,
                                    start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31))
    org = User.objects.create_user(username="organizer", password=%(password)r, role="organizer", is_staff=True)
    # quorum 0: one judge of two scores here; the quorum has its own test (tests/browser/test_arena_console.py)
    arena = services.create_arena(org, name="2024年第一季度书记擂台", kind="secretary", period=quarter, quorum=0)
    services.add_contestants(arena, org, [east, west])
    first = arena.contestants.get(unit=east)
    services.set_order(arena, org, "manual", manual=[first.pk, arena.contestants.get(unit=west).pk])
    leader = services.add_judge(arena, org, group="leaders", name="李评委", title="市领导")
    public = services.add_judge(arena, org, group="public", name="王代表")
    token = services.issue_token(leader, org)
    services.issue_token(public, org)
    for stage in ("on_stage", "speech", "scoring_open"):
        services.advance(first, stage, org)
    print(json.dumps({"arena": arena.pk, "token": token}))
""") % {"password": PASSWORD}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A migrated, seeded SQLite database and `leitai serve` on a free port; yields (url, seed, process)."""
    with leitai_server(tmp_path_factory.mktemp("arena-live"), SEED) as served:
        yield served.url, served.seed, served.proc


def test_a_judges_phone_and_the_big_screen_follow_the_day_without_reloading(server, browser):
    from playwright.sync_api import expect

    url, seed, proc = server
    outside = []

    def watch(page):
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(url) else None)
        return page

    screen_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    phone_ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                    has_touch=True, device_scale_factor=3)
    staff_ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    screen, phone, staff = (watch(ctx.new_page()) for ctx in (screen_ctx, phone_ctx, staff_ctx))

    screen.goto(f"{url}/arena/{seed['arena']}/screen/")
    expect(screen.locator("#stage-unit")).to_have_text("东城区")
    expect(screen.locator("#stage-person")).to_have_text("张三")
    expect(screen.locator("#count-submitted")).to_have_text("0")
    expect(screen.locator("#count-expected")).to_have_text("2")
    screen.evaluate("window.marker = 'screen'")

    phone.goto(f"{url}/arena/j/{seed['token']}/")
    expect(phone.locator("#now-unit")).to_have_text("东城区")
    phone.evaluate("window.marker = 'phone'")
    boxes = phone.locator(".score-form input[type=number]")
    assert boxes.count() == 6
    for i in range(6):
        boxes.nth(i).fill("8.5")
    phone.get_by_role("button", name="提交评分").tap()
    expect(phone.locator("#confirm")).to_contain_text("已提交 ✓")
    expect(phone.locator("#confirm")).to_contain_text("8.5")

    # The big screen counts the sheet, pushed by the server.
    expect(screen.locator("#count-submitted")).to_have_text("1")
    assert "8.5" not in screen.locator("body").inner_text()

    # The organizer closes scoring and reveals from the console.
    staff.goto(f"{url}/accounts/login/?next=/arena/{seed['arena']}/console/")
    staff.fill("#id_username", "organizer")
    staff.fill("#id_password", PASSWORD)
    staff.locator("form button[type=submit], form input[type=submit]").last.click()
    staff.wait_for_url(f"**/arena/{seed['arena']}/console/")
    staff.on("dialog", lambda d: d.accept())  # the console asks before closing and revealing
    staff.locator(".focus").get_by_role("button", name="结束评分").click()
    expect(staff.locator(".focus")).to_contain_text("评分结束")
    # The phone's form turns read-only by itself when scoring closes.
    expect(phone.locator("#sheet")).to_contain_text("评分已结束")
    staff.locator(".focus").get_by_role("button", name="揭晓结果").click()

    # The score on the stage, and the results so far beside it (a bar per unit, drawn in HTML).
    expect(screen.locator("#stage-result")).to_be_visible()
    first_row = screen.locator("#side-list .row").first
    expect(first_row).to_contain_text("东城区")
    expect(first_row.locator(".r-rank")).to_have_text("1")
    expect(first_row.locator(".r-bar i")).to_be_visible()
    assert screen.evaluate("window.marker") == "screen"  # never reloaded
    assert phone.evaluate("window.marker") == "phone"
    assert outside == []

    # Streams are still open on three pages: the server must stop anyway, within a few seconds.
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)
    assert time.monotonic() - started < 6
    for ctx in (screen_ctx, phone_ctx, staff_ctx):
        ctx.close()
