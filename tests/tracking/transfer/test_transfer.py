"""转入督办: an arena's shortcomings and pledges become items and pledges — preview, edits, all or nothing,
never twice; both directions visible."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from leitai.arena.models import Arena

AFTER = dt.date(2024, 7, 15)


@pytest.fixture
def day(arena, contestants, organizer, city):
    """The arena under way, with a submission (2 shortcomings, 2 measures, 2 pledges) and a comment turned
    into a shortcoming for county B."""
    from leitai.arena import services as arena_services

    arena_services.save_submission(contestants["A"], organizer, [
        {"kind": "shortcoming", "text": "工业投资增速偏低"}, {"kind": "shortcoming", "text": "项目落地慢"},
        {"kind": "measure", "text": "开展项目攻坚月"}, {"kind": "measure", "text": "专班跟踪服务"},
        {"kind": "pledge", "text": "一季度投资不低于50亿元", "indicator": "inv", "comparison": "ge",
         "target_value": 50, "deadline": "2024Q1"},
        {"kind": "pledge", "text": "优化营商环境"}, {"kind": "highlight", "text": "亮点"}])
    comment = arena_services.record_comment(contestants["B"], organizer, "招商引资力度不够", author="市长")
    arena_services.raise_shortcoming(arena, organizer, "招商引资力度不够", city["b"], dt.date(2024, 9, 30),
                                     comment=comment)
    Arena.objects.filter(pk=arena.pk).update(status=Arena.Status.FINISHED)
    arena.refresh_from_db()
    return arena


def test_preview_lists_every_shortcoming_and_pledge(day, contestants):
    from leitai.tracking import services

    rows = services.transfer_preview(day)
    assert [(r.kind, r.text, r.unit.code, r.origin) for r in rows] == [
        ("item", "工业投资增速偏低", "A", "submission"), ("item", "项目落地慢", "A", "submission"),
        ("pledge", "一季度投资不低于50亿元", "A", "submission"), ("pledge", "优化营商环境", "A", "submission"),
        ("item", "招商引资力度不够", "B", "comment")]
    first = rows[0]
    assert first.measures == ["开展项目攻坚月", "专班跟踪服务"]
    assert first.deadline == dt.date(2024, 4, 10) + dt.timedelta(days=90)
    assert first.person == contestants["A"].person
    assert not any(r.done for r in rows)


def test_transfer_writes_edited_rows_once(day, organizer, city, quarter):
    from leitai.indicators import services as data
    from leitai.tracking import services
    from leitai.tracking.models import Item, Pledge

    rows = {r.text: r.key for r in services.transfer_preview(day)}
    items, pledges = services.transfer(day, organizer, {
        rows["项目落地慢"]: {"include": False},
        rows["工业投资增速偏低"]: {"deadline": dt.date(2024, 12, 31), "measures": ["开展项目攻坚月", "  ", "新增一条"]},
        rows["招商引资力度不够"]: {"unit": city["a"]},
    })
    assert [(i.title, i.unit.code, i.source, i.deadline) for i in items] == [
        ("工业投资增速偏低", "A", "arena_shortcoming", dt.date(2024, 12, 31)),
        ("招商引资力度不够", "A", "arena_comment", dt.date(2024, 9, 30))]
    assert [m.text for m in items[0].measures.all()] == ["开展项目攻坚月", "新增一条"]
    assert items[0].arena_item.text == "工业投资增速偏低" and items[1].arena_shortcoming.comment.author == "市长"
    assert items[1].person is None  # moved to another unit than the contestant's: no head carried over
    assert [(p.text, p.source, p.indicator_id is not None) for p in pledges] == [
        ("一季度投资不低于50亿元", "arena", True), ("优化营商环境", "arena", False)]
    # again: only the row left out the first time is new
    again_items, again_pledges = services.transfer(day, organizer)
    assert [i.title for i in again_items] == ["项目落地慢"] and again_pledges == []
    assert services.transfer(day, organizer) == ([], [])
    assert Item.objects.count() == 3 and Pledge.objects.count() == 2
    assert all(r.done for r in services.transfer_preview(day))
    # the pledge is judged from the data as any other
    data.set_observation(organizer, city["a"], city["inv"], quarter, 48)
    [judged] = services.judge_pledges(today=AFTER)
    assert (judged.status, judged.verdict_value) == ("missed", 48)


def test_a_bad_row_writes_nothing_and_is_named(day, organizer):
    from leitai.tracking import services
    from leitai.tracking.models import Item, Pledge

    rows = {r.text: r.key for r in services.transfer_preview(day)}
    with pytest.raises(services.TransferError) as e:
        services.transfer(day, organizer, {rows["项目落地慢"]: {"deadline": dt.date(2024, 1, 1)},
                                           rows["招商引资力度不够"]: {"unit": None}})
    assert e.value.rows == {rows["项目落地慢"]: ("整改期限 2024-01-01 早于擂台赛日期 2024-04-10",
                                              "The deadline 2024-01-01 is before the arena (2024-04-10)"),
                            rows["招商引资力度不够"]: ("请选择责任单位", "Choose the responsible unit")}
    assert Item.objects.count() == 0 and Pledge.objects.count() == 0


def test_only_organizers_and_only_after_the_start(arena, contestants, organizer, reporter_a):
    from leitai.core.errors import LeitaiError
    from leitai.tracking import services

    with pytest.raises(LeitaiError):
        services.transfer(arena, organizer)  # still in set-up
    Arena.objects.filter(pk=arena.pk).update(status=Arena.Status.LIVE)
    with pytest.raises(PermissionDenied):
        services.transfer(arena, reporter_a)
    assert services.transfer(arena, organizer) == ([], [])


def test_the_page_previews_edits_and_writes(login, day, organizer, reporter_a):
    from django.urls import reverse

    from leitai.tracking.models import Item, Pledge

    url = reverse("tracking:transfer", args=[day.pk])
    assert login(reporter_a).get(url).status_code == 403
    client = login(organizer)
    page = client.get(url).content.decode()
    assert "工业投资增速偏低" in page and "开展项目攻坚月\n专班跟踪服务" in page and "招商引资力度不够" in page
    from leitai.tracking import services

    keys = {r.text: r.key for r in services.transfer_preview(day)}
    form = {f"inc-{k}": "on" for k in keys.values()}
    form.pop(f"inc-{keys['优化营商环境']}")
    form[f"unit-{keys['项目落地慢']}"] = "不存在的区"
    form[f"deadline-{keys['工业投资增速偏低']}"] = "2024-13-01"
    page = client.post(url, form).content.decode()
    assert "找不到单位“不存在的区”" in page and "整改期限“2024-13-01”不是日期" in page
    assert "均未写入" in page and Item.objects.count() == 0
    form[f"unit-{keys['项目落地慢']}"] = "东城区"
    form[f"deadline-{keys['工业投资增速偏低']}"] = "2024-12-31"
    form[f"measures-{keys['工业投资增速偏低']}"] = "第一条\r\n第二条"
    response = client.post(url, form, follow=True)
    assert "已转入督办：整改事项 3 条，承诺 1 条。" in response.content.decode()
    item = Item.objects.get(arena_item__text="工业投资增速偏低")
    assert (item.deadline, [m.text for m in item.measures.all()]) == (dt.date(2024, 12, 31), ["第一条", "第二条"])
    assert Pledge.objects.get().text == "一季度投资不低于50亿元"
    # both directions: the item names the arena; the arena's results list the item's state
    detail = client.get(reverse("tracking:item", args=[item.code])).content.decode()
    assert day.name in detail and "参赛材料中的短板问题" in detail
    Arena.objects.filter(pk=day.pk).update(status=Arena.Status.PUBLISHED)
    results = client.get(reverse("arena:results", args=[day.pk])).content.decode()
    assert item.code in results and "逾期" in results  # its deadline (2024) has passed: today is later
    assert "未转入督办" in results  # 优化营商环境 was left out


def test_a_pledge_can_become_monthly_or_judged_from_a_project_batch(day, organizer, city):
    from leitai.indicators.services import ensure_period
    from leitai.tracking import services
    from leitai.tracking.models import KeyProject

    KeyProject.objects.create(code="P1", name="项目", unit=city["a"], batch="2024年第一批")
    rows = {r.text: r.key for r in services.transfer_preview(day)}
    with pytest.raises(services.TransferError) as e:
        services.transfer(day, organizer, {rows["优化营商环境"]: {"project_batch": "2024年第一批", "deadline": None}})
    assert e.value.rows[rows["优化营商环境"]][0] == "请写明目标值（数字，如项目个数）"
    _items, pledges = services.transfer(day, organizer, {
        rows["一季度投资不低于50亿元"]: {"repeat": "monthly", "repeat_start": ensure_period("2024-01"),
                                   "deadline": ensure_period("2024-03")},
        rows["优化营商环境"]: {"include": False}})
    [monthly] = pledges
    assert (monthly.repeat, monthly.repeat_start.code, monthly.deadline.code, monthly.indicator.code) == (
        "monthly", "2024-01", "2024-03", "inv")


def test_the_transfer_locks_the_submissions(day, organizer, reporter_a, contestants):
    from leitai.arena import services as arena_services
    from leitai.core.errors import LeitaiError
    from leitai.tracking import services

    services.transfer(day, organizer)
    with pytest.raises(LeitaiError):
        arena_services.save_submission(contestants["A"], reporter_a, [{"kind": "highlight", "text": "改"}])
