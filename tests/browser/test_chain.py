"""The chain in Chromium: a published arena → 转入督办 (a deadline edited on the page) → the unit closes the item
out with a photo → the organizer sees the photo and verifies → the assessment is computed and published →
the unit's total shows the arena's points and the item, each with its source."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from tests.browser.test_closeout import sign_in
from tests.conftest import wait_for_js
from tests.files import image_bytes

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stage(transactional_db, organizer, reporter_a, city, settings, tmp_path):
    """An arena of this quarter, held today and published (A first +2, B last −1), A listed a shortcoming;
    a scheme for this year counting the arenas and items closed on time."""
    from leitai.arena import services as arena
    from leitai.arena.models import Arena
    from leitai.assessment import services as assessment
    from leitai.indicators.services import ensure_period
    from tests.arena.conftest import move
    from tests.rankings.support import make_plan

    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    plan = make_plan(organizer)
    a = arena.create_arena(organizer, name="本季度书记擂台", kind="secretary", plan=plan,
                           period=ensure_period(f"{today.year}Q{(today.month - 1) // 3 + 1}"),
                           held_at=timezone.now(), bonus_rule={"1": 2, "last": -1})
    arena.add_contestants(a, organizer, [city["a"], city["b"]])
    arena.save_submission(a.contestants.get(unit=city["a"]), reporter_a, [
        {"kind": "shortcoming", "text": "园区污水管网接驳未完成"}, {"kind": "measure", "text": "倒排工期、专班推进"}])
    judges = [arena.add_judge(a, organizer, group="leaders", name=f"L{n}") for n in range(2)]
    for j in judges:
        arena.issue_token(j, organizer)
    for c in a.contestants.select_related("unit").order_by("order"):
        c = move(c, "scoring_open", organizer)
        mark = 9 if c.unit.code == "A" else 7
        for j in judges:
            arena.submit_sheet(j, c, {cr.code: mark for cr in a.criteria.all()}, f"{j.pk}-{c.pk}")
        move(c, "revealed", organizer)
    published = arena.publish_results(Arena.objects.get(pk=a.pk), organizer)
    assessment.save_scheme(organizer, name=f"{today.year}年度考绩", plan=plan, year=today.year, spec={
        "components": [{"code": "arena", "kind": "ledger", "source": "arena", "name": "擂台赛"},
                       {"code": "items", "kind": "item_ontime", "max": 5, "per_late": -0.5, "name": "整改销号"}],
        "grades": {"excellent_share": 0.5, "poor_last": True}})
    return published


def test_from_the_stage_to_the_annual_score(live_server, browser, stage, tmp_path):
    from leitai.tracking.models import Item

    base = live_server.url
    today = timezone.localdate()  # the deadline stays in this year: the assessment of this year counts it
    deadline = min(today + dt.timedelta(days=14), dt.date(today.year, 12, 31)).isoformat()
    context, page = sign_in(browser, base, "organizer")
    page.goto(f"{base}/arena/{stage.pk}/results/")
    page.click(f"a.button[href='/tracking/from-arena/{stage.pk}/']")
    page.wait_for_selector("#transfer-form")
    row = page.locator("table.transfer tbody tr", has_text="园区污水管网接驳未完成")
    assert row.locator("textarea").input_value() == "倒排工期、专班推进"
    row.locator("input[type=date]").fill(deadline)
    page.once("dialog", lambda d: d.accept())
    page.click("#transfer-form button[type=submit]")
    page.wait_for_selector("text=已转入督办：整改事项 1 条")
    item = Item.objects.get(arena_item__text="园区污水管网接驳未完成")
    assert item.deadline.isoformat() == deadline and item.person is not None
    context.close()

    photo = tmp_path / "接驳完成.png"
    photo.write_bytes(image_bytes("PNG", (120, 90)))
    context, page = sign_in(browser, base, "reporter_a", mobile=True)
    page.goto(f"{base}/tracking/items/{item.code}/")
    assert "来自擂台赛" in page.text_content("#origin")
    page.click("#act-start button[type=submit]")
    page.wait_for_selector("#act-request_closeout")
    page.fill("#text-request_closeout", "管网已接驳，附现场照片")
    page.set_input_files("#photos", str(photo))
    page.click("#act-request_closeout button[type=submit]")
    page.wait_for_selector("#history img.thumb")
    context.close()

    context, page = sign_in(browser, base, "organizer")
    page.goto(f"{base}/tracking/items/{item.code}/")
    thumb = page.locator("#history img.thumb")
    thumb.wait_for()
    wait_for_js(page, "document.querySelector('#history img.thumb').naturalWidth > 0")
    assert "/media/" not in thumb.get_attribute("src")
    page.click("#act-verify button[type=submit]")
    page.wait_for_selector("#state:has-text('已销号')")
    page.goto(f"{base}/assessment/")
    page.click("#schemes button[type=submit]")  # the year is preselected
    page.wait_for_selector("#assessment-table")
    page.once("dialog", lambda d: d.accept())
    page.click("#organizer-actions button[type=submit] >> nth=0")
    page.wait_for_selector("#status:has-text('已发布')")
    page.click("#assessment-table tbody tr:first-child td:nth-child(3) a")
    page.wait_for_selector("table.sources")
    text = page.text_content("main")
    assert "东城区" in text and "第1名（+2分）" in text and "整改按时销号 1/1（100.0%）" in text
    link = page.locator("a", has_text="第1名（+2分）")
    assert link.get_attribute("href") == f"/arena/{stage.pk}/results/"
    context.close()
