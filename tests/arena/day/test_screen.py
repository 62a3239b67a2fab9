"""The big screen's own stage: the organizer puts the latest published ranking's stars and flags up before the
first contestant (通报摘星夺旗) through the arena's log, every screen follows through the live state, and calling
the first contestant takes the board down."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from leitai.arena import services
from leitai.arena.base.models import ArenaEvent
from leitai.arena.day import selectors
from leitai.core.errors import LeitaiError
from tests.rankings.support import add_data, make_plan, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(arena, city, organizer):
    """The county plan's published rankings of March and April 2024 (April: A first, moved up 2; B down 1;
    tests/rankings/support.py); the arena counts into that plan."""
    plan = make_plan(organizer)
    add_data(city)
    publish(plan, city, "2024-03", organizer)
    april = publish(plan, city, "2024-04", organizer)
    arena.plan = plan
    arena.save(update_fields=["plan"])
    return april


@pytest.fixture
def sent(monkeypatch):
    """Every live message sent, as (channel, state)."""
    out = []
    monkeypatch.setattr("leitai.live.publish", lambda channel, data: out.append((channel, data)))
    return out


def test_the_board_reads_out_the_latest_ranking_with_its_stars_and_flags_and_every_screen_gets_it(
        arena, ranked, organizer, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.show_on_screen(arena, organizer, "stars")
    event = ArenaEvent.objects.filter(arena=arena).order_by("-seq").first()
    assert event.kind == "screen" and event.payload == {"view": "stars", "ranking": ranked.pk}
    assert event.by_user == organizer
    channel, state = sent[-1]
    assert channel == f"arena:{arena.pk}" and state["seq"] == event.seq
    board = state["screen"]["board"]
    assert state["screen"]["view"] == "stars" and board["ranking"] == ranked.pk
    assert board["plan"] == "县市区综合考核" and board["period"] == "2024年1-4月" and board["period_en"] == "Jan–Apr 2024"
    rows = {r["unit_code"]: r for r in board["rows"]}
    assert [r["unit_code"] for r in board["rows"]] == ["A", "B", "K"] and board["contestants_only"]
    assert rows["A"]["rank"] == 1 and rows["A"]["movement"] == 2 and rows["B"]["movement"] == -1
    # the rankings' own vocabulary of flags, in both languages (each screen shows its page's language)
    red = next(f for f in rows["A"]["flags"] if f["kind"] == "red")
    assert red["text"] == "红旗" and red["text_en"] == "Red flag" and red["css"] == "flag-red"
    assert any(f["kind"] == "yellow" and f["text"] == "黄旗" for f in rows["K"]["flags"])
    # stars by indicator name
    stars = {s for r in board["rows"] for s in r["stars"]}
    assert stars and stars <= {"地区生产总值增速", "固定资产投资", "PM2.5 浓度"}


def test_calling_the_first_contestant_takes_the_board_down(arena, ranked, contestants, organizer, stage_to):
    services.show_on_screen(arena, organizer, "stars")
    stage_to(contestants["A"], "on_stage", organizer)
    assert selectors.public_state(arena)["screen"] == {"view": ""}
    services.show_on_screen(arena, organizer, "stars")  # put up again mid-day: until the next step
    assert selectors.public_state(arena)["screen"]["view"] == "stars"
    services.show_on_screen(arena, organizer, "")
    assert selectors.public_state(arena)["screen"] == {"view": ""}


def test_without_a_published_ranking_the_board_is_refused_in_chinese(arena, organizer):
    with pytest.raises(LeitaiError) as e:
        services.show_on_screen(arena, organizer, "stars")
    assert e.value.message("zh-hans") == "还没有已发布的排名，无法通报摘星夺旗"
    assert not ArenaEvent.objects.filter(arena=arena, kind="screen").exists()
    assert selectors.public_state(arena)["screen"] == {"view": ""}  # and the state carries no board


def test_only_organizers_set_the_screen_and_not_once_published(arena, ranked, judge):
    with pytest.raises(PermissionDenied):
        services.show_on_screen(arena, judge, "stars")
    arena.status = "published"
    arena.save(update_fields=["status"])
    with pytest.raises(LeitaiError):
        services.show_on_screen(arena, arena.created_by, "stars")


def test_the_board_lists_every_ranked_unit_when_no_contestant_is_ranked(arena, ranked, organizer, city):
    # no plan of its own: the latest ranking published of any plan
    directors = services.create_arena(organizer, name="局长擂台", kind="director", period=arena.period)
    services.add_contestants(directors, organizer, [city["dept"]])
    services.show_on_screen(directors, organizer, "stars")
    board = selectors.public_state(directors)["screen"]["board"]
    assert board["ranking"] == ranked.pk and not board["contestants_only"]
    assert [r["unit_code"] for r in board["rows"]] == ["A", "B", "K"]


def test_the_console_button_puts_the_board_up_and_then_offers_to_take_it_down(arena, ranked, organizer, login):
    client = login(organizer)
    console = client.get(reverse("arena:console", args=[arena.pk])).content.decode()
    assert "大屏通报摘星夺旗" in console
    body = client.post(reverse("arena:console_screen_stage", args=[arena.pk]), {"view": "stars"},
                       headers={"HX-Request": "true"}).content.decode()
    assert "大屏收起摘星夺旗通报" in body and 'data-view="stars"' in body
    assert selectors.public_state(arena)["screen"]["view"] == "stars"
    screen = client.get(reverse("arena:screen", args=[arena.pk]))
    assert "摘星夺旗通报" in screen.content.decode()  # the board's title, for the script
    assert screen.context["state"]["screen"]["board"]["ranking"] == ranked.pk  # the state in the page


def test_a_refused_board_is_explained_on_the_console(arena, organizer, login):
    body = login(organizer).post(reverse("arena:console_screen_stage", args=[arena.pk]), {"view": "stars"},
                                 headers={"HX-Request": "true"}).content.decode()
    assert "还没有已发布的排名，无法通报摘星夺旗" in body


def test_the_screen_speaks_english_when_english_is_chosen(arena, ranked, organizer, login, settings):
    client = login(organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("arena:screen", args=[arena.pk])).content.decode()
    assert 'data-stars-label="Stars and flags"' in html and 'data-page-tpl="Page {p}/{n}"' in html
    console = client.get(reverse("arena:console", args=[arena.pk])).content.decode()
    assert "Stars and flags on the big screen" in console
