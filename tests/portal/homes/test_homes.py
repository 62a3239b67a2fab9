"""Each signed-in role's home shows that role's work (portal.homes), on the small demo city with hand-set
additions: an arena under way, drafts, an item long overdue, a notice, data missing, a pledge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leitai.accounts.models import User


def _as(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def _home(client) -> str:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_organizers_today(demo, client):
    from leitai.arena.models import Arena
    from leitai.assessment.models import Assessment
    from leitai.rankings.models import AssessmentPlan
    from leitai.rankings.services import compute_ranking
    from leitai.tracking import services as tracking
    from leitai.tracking.models import Notice
    from leitai.units.models import Unit

    organizer = User.objects.get(username="kaohe")
    Arena.objects.filter(pk=demo["arenas"]["upcoming"]).update(status=Arena.Status.LIVE)
    live = Arena.objects.get(pk=demo["arenas"]["upcoming"])
    plan = AssessmentPlan.objects.order_by("id").first()
    published = plan.versions.order_by("-number").first().rankings.order_by("-period__start").first()
    draft = compute_ranking(published.plan_version, published.period, organizer)
    assessment = Assessment.objects.filter(status="published").order_by("-id").first()
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.DRAFT)
    unit = Unit.objects.filter(kind="county").order_by("sort_order").last()
    today = timezone.localdate()
    late = tracking.create_item(organizer, title="码头货场扬尘整治久拖未决", unit=unit,
                                deadline=today - dt.timedelta(days=400), assigned_on=today - dt.timedelta(days=500))
    Notice.objects.create(for_organizers=True, text="东港区申请销号：一条待核验的测试提醒")
    from leitai.portal.public import services as press
    from leitai.portal.public.models import PressRelease

    shown = PressRelease.objects.get(pk=demo["press_release"])
    release = press.create_draft(organizer, ranking=shown.ranking, codes=list(shown.indicators[:3]),
                                 title="测试指标发布稿（待发布）", office="海川市考核办")

    html = _home(_as(client, "kaohe"))
    assert "今日工作" in html
    assert live.name in html and reverse("arena:console", args=[live.pk]) in html
    assert reverse("rankings:detail", args=[draft.pk]) in html
    assert reverse("assessment:board", args=[assessment.pk]) in html
    assert "测试指标发布稿（待发布）" in html and reverse("public:release", args=[release.pk]) in html
    assert late.title in html and reverse("tracking:item", args=[late.code]) in html
    assert "一条待核验的测试提醒" in html
    for name in ("tracking:projects", "tracking:warning", "tracking:reviews"):  # the features nobody could reach
        assert reverse(name) in html


def test_the_reporters_work(demo, client):
    from leitai.indicators.models import Category, Indicator
    from leitai.portal.homes.selectors import data_due, reporting_month
    from leitai.tracking import services as tracking

    reporter = User.objects.get(username="donggang")
    organizer = User.objects.get(username="kaohe")
    month = reporting_month()
    before = {r["unit"].pk: r["missing"] for r in data_due(reporter)["units"]}.get(reporter.unit_id, 0)
    # A county indicator nobody has reported yet: one more value missing for the reporter's district.
    Indicator.objects.create(code="hand-set", name="手设指标", measure="%", category=Category.objects.first(),
                             applies_to=["county"], plausible_min=0, plausible_max=100)
    today = timezone.localdate()
    item = tracking.create_item(organizer, title="港区渣土车夜间抛洒问题", unit=reporter.unit,
                                deadline=today - dt.timedelta(days=3), assigned_on=today - dt.timedelta(days=60))
    tracking.create_item(organizer, title="别的区的事项不在这里", unit=User.objects.get(username="xihu").unit,
                         deadline=today - dt.timedelta(days=3), assigned_on=today - dt.timedelta(days=60))
    pledge = tracking.create_pledge(organizer, unit=reporter.unit, text="年内新增规上工业企业二十家以上")

    html = _home(_as(client, "donggang"))
    assert "我的工作" in html and reporter.unit.name in html
    entry = f'{reverse("indicators:entry")}?period={month.code}&amp;unit={reporter.unit.code}'
    assert entry in html and f"缺 {before + 1} 项" in html
    assert item.title in html and reverse("tracking:item", args=[item.code]) in html and "超期" in html
    assert "别的区的事项不在这里" not in html
    assert pledge.text in html
    for name in ("tracking:projects", "tracking:warning", "arena:my_submissions"):
        assert reverse(name) in html


def test_the_judges_arenas_and_their_scoring_page(demo, client):
    from leitai.arena.models import Arena, Judge
    from leitai.arena.services import judge_for_token

    upcoming = Arena.objects.get(pk=demo["arenas"]["upcoming"])
    past = Arena.objects.get(pk=demo["arenas"]["past"])
    seat = Judge.objects.get(arena=upcoming, account__username="pingwei")
    old_hash = seat.token_hash
    html = _home(_as(client, "pingwei"))
    assert "我的评分" in html
    assert upcoming.name in html and past.name in html
    assert reverse("arena:results", args=[past.pk]) in html
    opener = reverse("portal:judge_open", args=[seat.pk])
    assert opener in html and "之前的链接" in html  # the button warns that the printed link stops working

    response = client.post(opener)
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert judge_for_token(token).pk == seat.pk
    seat.refresh_from_db()
    assert seat.token_hash != old_hash  # the previous link no longer works
    assert client.get(response["Location"]).status_code == 200


def test_a_judge_opens_only_their_own_seat(demo, client, django_user_model):
    from leitai.arena.models import Arena, Judge

    upcoming = Arena.objects.get(pk=demo["arenas"]["upcoming"])
    other_seat = Judge.objects.filter(arena=upcoming, account__isnull=True, paper=False).first()
    _as(client, "pingwei")
    assert client.post(reverse("portal:judge_open", args=[other_seat.pk])).status_code == 404
    assert client.get(reverse("portal:judge_open", args=[other_seat.pk])).status_code == 405
    stranger = django_user_model.objects.create_user(username="judge2", password="x-Y-z-12345678", role="judge")
    client.force_login(stranger)
    assert "您目前不在任何擂台赛的评委名单中" in _home(client)


def test_a_published_arena_gives_no_new_link(demo, client):
    from leitai.arena.models import Arena, Judge

    seat = Judge.objects.get(arena_id=demo["arenas"]["past"], account__username="pingwei")
    assert Arena.objects.get(pk=seat.arena_id).status == Arena.Status.PUBLISHED
    before = seat.token_hash
    _as(client, "pingwei")
    response = client.post(reverse("portal:judge_open", args=[seat.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    seat.refresh_from_db()
    assert seat.token_hash == before
    assert "已发布" in response.content.decode()


def test_the_supervisors_reviews(demo, client):
    from leitai.tracking.models import ReviewAssignment

    mine = ReviewAssignment.objects.filter(supervisor__username="jiandu")
    pending = [a for a in mine.select_related("item") if a.done_at is None]
    assert pending and mine.filter(done_at__isnull=False).exists()  # the demo's round: some done, some to do
    html = _home(_as(client, "jiandu"))
    assert "我的回头看" in html
    for a in pending:
        assert a.item.title in html
    assert reverse("tracking:my_reviews") in html


@pytest.mark.parametrize("username", ["gongzhong", None])
def test_the_public_and_the_anonymous_get_the_portal(demo, client, username):
    if username:
        _as(client, username)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert not any(t.name.startswith("homes/") for t in response.templates)


@pytest.mark.parametrize("username, words", [
    ("kaohe", ["Today", "Waiting to be published", "Unread notices", "Key projects (battle map)"]),
    ("donggang", ["My work", "Data due", "Items to act on", "Pledges awaiting their verdict"]),
    ("pingwei", ["My scoring", "Open my scoring page on this device"]),
    ("jiandu", ["to review", "Review now"]),
])
def test_the_homes_speak_english_when_english_is_chosen(demo, client, username, words):
    _as(client, username)
    client.cookies["django_language"] = "en"
    html = _home(client)
    for word in words:
        assert word in html
    for chinese in ("今日工作", "我的工作", "我的评分", "待评价", "在本设备打开评分页面"):
        assert chinese not in html


@pytest.mark.parametrize("username", ["kaohe", "donggang", "pingwei", "jiandu"])
def test_each_homes_title_is_plain_text(demo, client, username):
    import re

    title = re.search(r"<title>(.*?)</title>", _home(_as(client, username)), re.S).group(1)
    assert "<" not in title and "Leitai" in title
