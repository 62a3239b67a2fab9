"""The judge's data panel (portal.panel): the unit's public record in one dict, and the page behind the
judge's link — refused without a valid link, 404 for another arena's contestant, a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leitai.portal.panel import selectors
from tests.tracking.conftest import TODAY


def test_the_panel_gives_the_latest_rank_its_movement_stars_flags_and_weak_indicators(record):
    data = selectors.unit_panel(record["a"], today=TODAY)
    latest = data["latest"]
    assert latest.ranking == record["april"]
    assert (latest.rank, latest.previous_rank, latest.movement, latest.size) == (1, 3, 2, 3)
    # The ranking's own stars and flags, in the one vocabulary (rankings.selectors.flag_view).
    assert latest.stars and len(latest.star_names) == len(latest.stars)
    assert "red" in {f["kind"] for f in latest.flag_views}
    assert {f["css"] for f in latest.flag_views} <= {"flag-red", "flag-yellow", "flag-cat"}
    # The weak indicators are the unit page's (profiles.selectors.weak_items), named and valued.
    assert [w.code for w in data["weak"]] == latest.weak and latest.weak
    assert all(w.name and w.peers == 3 for w in data["weak"])
    k = selectors.unit_panel(record["c"], today=TODAY)["latest"]
    assert (k.rank, k.movement) == (3, -1) and "yellow" in {f["kind"] for f in k.flag_views}


def test_pledges_due_carry_their_verdicts_and_private_ones_never_show(record):
    p = selectors.unit_panel(record["a"], today=TODAY)["pledges"]
    due = {x.text: x.status for x in p["due"]}
    assert due == {"一季度投资不低于100亿元": "kept", "PM2.5 降到 35 以下": "missed", "四月底前完成园区改造": "pending"}
    assert [x.text for x in p["running"]] == ["年底前新增市场主体五千户"]
    assert (p["kept"], p["missed"], p["pending"], p["due_count"], p["running_count"]) == (1, 1, 1, 3, 1)
    # Newest deadline first among the due ones.
    assert p["due"][0].text == "四月底前完成园区改造"


def test_open_items_are_the_public_ones_overdue_first(record):
    i = selectors.unit_panel(record["a"], today=TODAY)["items"]
    # Public and open for A: the two of last round (transferred: public, deadlines 04-09 and 04-30), the
    # public overdue one (−3) and a_asked (+10, requested); the four private open ones and the closed public
    # one are not counted.
    assert (i["open"], i["overdue"]) == (4, 3)
    assert [x.title for x in i["rows"]] == ["工业投资增速偏低", "招商引资力度不够", "园区道路破损",
                                          record["items"]["a_asked"].title]
    late = i["rows"][2]
    assert late.due_css == "bad" and late.state_label == "整改中"
    assert i["rows"][3].due_css == "ok" and i["rows"][3].state_label == "申请销号"


def test_last_rounds_shortcomings_come_with_the_state_of_their_items(record):
    last = selectors.unit_panel(record["a"], arena=None, today=TODAY)["last_round"]
    assert last["arena"] == record["last_round"]
    rows = {r["text"]: r for r in last["rows"]}
    assert set(rows) == {"招商引资力度不够", "工业投资增速偏低"}  # B's shortcoming is B's
    raised = rows["招商引资力度不够"]
    assert raised["raised"] and raised["item"].state == "assigned" and raised["item"].public
    assert raised["item"].due_css == "bad"  # deadline 2024-04-30, open on 2024-06-15
    assert (last["count"], last["closed"], last["overdue"], last["untracked"]) == (2, 0, 2, 0)


def test_last_round_is_a_published_arena_before_this_one(record, arena, organizer):
    from leitai.arena import services
    from leitai.arena.models import Arena
    from leitai.indicators.models import Period

    # An older published arena of the unit (2023Q3, held at no set time) is not the last round.
    q3 = Period.objects.create(code="2023Q3", kind="quarter", year=2023, number=3, start=dt.date(2023, 7, 1),
                               end=dt.date(2023, 9, 30))
    older = services.create_arena(organizer, name="2023年第三季度书记擂台", kind="secretary", period=q3)
    services.add_contestants(older, organizer, [record["a"]])
    Arena.objects.filter(pk=older.pk).update(status=Arena.Status.PUBLISHED)

    # The arena the unit is in now is never its own "last round".
    assert selectors.previous_arena(record["a"], arena) == record["last_round"]
    assert selectors.previous_arena(record["a"], record["last_round"]).pk == older.pk
    # An arena not yet published is not public: the one before it is the last round, then none.
    Arena.objects.filter(pk=record["last_round"].pk).update(status=Arena.Status.FINISHED)
    last = selectors.unit_panel(record["a"], arena=arena, today=TODAY)["last_round"]
    assert last["arena"].pk == older.pk and last["rows"] == []
    Arena.objects.filter(pk=older.pk).update(status=Arena.Status.FINISHED)
    assert selectors.unit_panel(record["a"], arena=arena, today=TODAY)["last_round"] is None


def test_a_unit_without_any_record_gets_an_empty_panel(city):
    data = selectors.unit_panel(city["dept"], today=TODAY)
    assert data["latest"] is None and data["weak"] == [] and data["last_round"] is None
    assert data["items"]["open"] == 0 and data["pledges"]["due"] == []


# ---- the page behind the judge's link ------------------------------------------------------------

def url(token, contestant):
    return reverse("portal:judge_panel", args=[token, contestant.pk])


@pytest.fixture
def on_a_phone(clock, record, arena, panel, contestants):
    clock(TODAY)
    return record


def test_a_judge_sees_the_panel_of_a_contestant_of_their_arena(client, on_a_phone, panel, contestants):
    response = client.get(url(panel.tokens["L1"], contestants["A"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the fragment for htmx
    assert 'id="unit-panel"' in html and 'data-unit="A"' in html
    assert "第 <b>1</b> 名 / 共 3" in html and "↑2" in html
    assert "⚑红旗" in html and "★" in html
    assert "一季度投资不低于100亿元" in html and "已兑现" in html and "未兑现" in html
    assert "园区道路破损" in html and "逾期 3" in html
    assert "招商引资力度不够" in html and "2023年第四季度书记擂台" in html
    # Nothing private: not the private pledge, not a private item, not who raised an item.
    assert "内部承诺不公开" not in html
    assert on_a_phone["items"]["a_late"].code not in html and "某某科技有限公司" not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_the_link_opens_the_panel_as_a_page(client, on_a_phone, panel, contestants):
    response = client.get(url(panel.tokens["P1"], contestants["B"]))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html and 'data-unit="B"' in html
    assert reverse("arena:judge", args=[panel.tokens["P1"]]) in html  # back to scoring


def test_the_panel_is_english_on_an_english_page(client, on_a_phone, panel, contestants):
    client.cookies["django_language"] = "en"
    html = client.get(url(panel.tokens["L1"], contestants["A"]), HTTP_HX_REQUEST="true").content.decode()
    assert "Weak indicators" in html and "Rectification items" in html and "kept 1" in html
    assert "Rank <b>1</b> of 3" in html and "短板指标" not in html and "已兑现" not in html


def test_the_judges_score_form_carries_the_panel_beside_the_submission(client, on_a_phone, panel, contestants):
    html = client.get(reverse("arena:judge_form", args=[panel.tokens["L1"], contestants["A"].pk]),
                      HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{url(panel.tokens["L1"], contestants["A"])}"' in html
    assert 'hx-trigger="toggle once"' in html and "单位数据" in html
    assert 'id="unit-panel"' not in html  # loaded only when the judge opens it


def test_no_valid_link_no_panel(client, on_a_phone, panel, contestants, organizer):
    from leitai.arena import services

    target = contestants["A"]
    assert client.get(url("not-a-token", target)).status_code == 403
    assert client.get(url("not-a-token", target), HTTP_HX_REQUEST="true").status_code == 403
    # A revoked link is refused like an unknown one.
    services.revoke_token(panel["P2"], organizer)
    assert client.get(url(panel.tokens["P2"], target)).status_code == 403
    # Without a token there is no such page at all.
    assert client.get(f"/panel/j//c/{target.pk}/").status_code == 404


def test_another_arenas_judge_cannot_see_this_arenas_contestants(client, on_a_phone, other_arena, contestants):
    response = client.get(url(other_arena.panel.tokens["X1"], contestants["A"]))
    assert response.status_code == 404
    # …but their own arena's contestant of the same unit, yes.
    theirs = other_arena.contestants.get(unit=contestants["A"].unit)
    assert client.get(url(other_arena.panel.tokens["X1"], theirs)).status_code == 200


def test_a_bounded_number_of_queries_whatever_the_record(client, on_a_phone, panel, contestants, make_item,
                                                         django_assert_max_num_queries):
    from django.core.cache import cache

    from leitai.tracking.models import Pledge

    target = url(panel.tokens["L1"], contestants["A"])
    with django_assert_max_num_queries(16):
        assert client.get(target, HTTP_HX_REQUEST="true").status_code == 200
    # Ten more public items and pledges (and the panel built anew): not one query more.
    cache.clear()
    for n in range(10):
        make_item(on_a_phone["a"], -n - 1, public=True, title=f"新增事项{n}")
        Pledge.objects.create(unit=on_a_phone["a"], text=f"新增承诺{n}", deadline=on_a_phone["periods"]["2024-03"])
    with django_assert_max_num_queries(16):
        html = client.get(target, HTTP_HX_REQUEST="true").content.decode()
    assert "未销号 14" in html and html.count("<li>") < 40  # lists are cut, the counts are whole


def test_a_hall_of_judges_opening_the_panel_builds_it_once_a_minute(client, on_a_phone, panel, contestants,
                                                                   clock, django_assert_max_num_queries):
    from leitai.tracking.models import Pledge

    first = client.get(url(panel.tokens["L1"], contestants["A"]), HTTP_HX_REQUEST="true").content
    Pledge.objects.create(unit=on_a_phone["a"], text="刚刚录入的承诺", deadline=on_a_phone["periods"]["2024-03"])
    # Another judge, a moment later: the same panel, with the token and the contestant checked (2 queries).
    with django_assert_max_num_queries(2):
        again = client.get(url(panel.tokens["P3"], contestants["A"]), HTTP_HX_REQUEST="true").content
    assert again == first and "刚刚录入的承诺".encode() not in again
    # Refused links are refused before the cache; the English panel is its own.
    assert client.get(url("not-a-token", contestants["A"]), HTTP_HX_REQUEST="true").status_code == 403
    client.cookies["django_language"] = "en"
    assert b"Weak indicators" in client.get(url(panel.tokens["P3"], contestants["A"]), HTTP_HX_REQUEST="true").content
    # A minute later the panel is built again, with what changed.
    clock(TODAY + dt.timedelta(days=1))
    del client.cookies["django_language"]
    assert "刚刚录入的承诺".encode() in client.get(url(panel.tokens["P3"], contestants["A"]),
                                                 HTTP_HX_REQUEST="true").content


def test_while_the_contestant_presents_the_phone_opens_the_panel_of_whoever_is_on_stage(client, on_a_phone, panel,
                                                                                       contestants, organizer,
                                                                                       stage_to):
    now = reverse("portal:judge_panel_now", args=[panel.tokens["P1"]])
    assert "暂无选手登台" in client.get(now, HTTP_HX_REQUEST="true").content.decode()
    stage_to(contestants["A"], "speech", organizer)
    block = client.get(reverse("arena:judge_hand", args=[panel.tokens["P1"]]), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="now-data"' in block and now in block  # beside 我要提问 while presenting and questioned
    html = client.get(now, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-unit="A"' in html and "一季度投资不低于100亿元" in html
    assert client.get(reverse("portal:judge_panel_now", args=["no-such-link"])).status_code == 403
