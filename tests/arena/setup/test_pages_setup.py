"""The organizer's set-up pages: the arena list, creating an arena, contestants, order of presentation,
rubric, panel (one judge, pasted lines, tokens) and the submission deadline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from leitai.arena import services
from leitai.arena.models import Arena, Contestant, Judge
from leitai.core.judging.draw import draw_order
from leitai.indicators.models import Period
from leitai.units.models import Person, Post
from tests.rankings.support import add_data, make_plan, publish

ORGANIZER_PAGES = ["arena:create", "arena:setup", "arena:tokens", "arena:records", "arena:paper"]


def url(name, arena=None):
    return reverse(name, args=[arena.pk] if arena is not None and name != "arena:create" else [])


def order_of(arena) -> list[str]:
    return list(Contestant.objects.filter(arena=arena).order_by("order").values_list("unit__code", flat=True))


@pytest.mark.parametrize("name", ORGANIZER_PAGES)
def test_organizer_pages_send_the_anonymous_to_sign_in(client, arena, name):
    response = client.get(url(name, arena))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ORGANIZER_PAGES)
def test_organizer_pages_refuse_a_reporter_and_a_judge(login, arena, reporter_a, judge, name):
    assert login(reporter_a).get(url(name, arena)).status_code == 403
    assert login(judge).get(url(name, arena)).status_code == 403


@pytest.mark.parametrize("name, text", [("arena:create", "创建并继续设置"), ("arena:setup", "添加参赛单位"),
                                        ("arena:tokens", "立即失效"), ("arena:records", "记录考问"),
                                        ("arena:paper", "待复核")])
def test_organizer_pages_render_for_the_organizer(login, organizer, arena, name, text):
    response = login(organizer).get(url(name, arena))
    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_list_shows_every_arena_to_the_organizer_and_only_those_under_way_to_others(
        client, login, organizer, arena, other_arena):
    Arena.objects.filter(pk=other_arena.pk).update(status=Arena.Status.LIVE)
    html = login(organizer).get(reverse("arena:list")).content.decode()
    assert arena.name in html and other_arena.name in html
    assert reverse("arena:console", args=[arena.pk]) in html
    client.logout()
    html = client.get(reverse("arena:list")).content.decode()
    assert other_arena.name in html and arena.name not in html
    assert reverse("arena:screen", args=[other_arena.pk]) in html
    assert reverse("arena:console", args=[other_arena.pk]) not in html


def test_an_organizer_creates_an_arena_through_the_form_and_its_quarter_on_the_way(login, organizer, city):
    plan = make_plan(organizer)
    response = login(organizer).post(reverse("arena:create"), {
        "name": "2024年第二季度书记擂台", "kind": "secretary", "period": "2024年第二季度", "held_at": "2024-07-10T09:00",
        "venue": "大礼堂", "speech_minutes": "8", "question_minutes": "5", "ask_minutes": "1.5", "reveal_mode": "end",
        "template": "four",
        "bonus_ranks": "3，2, 1", "bonus_last": "-2", "plan": plan.pk})
    arena = Arena.objects.get(name="2024年第二季度书记擂台")
    assert response.status_code == 302 and response["Location"] == reverse("arena:setup", args=[arena.pk])
    assert arena.period == Period.objects.get(code="2024Q2")
    assert (arena.speech_seconds, arena.question_seconds, arena.ask_seconds, arena.reveal_mode) == (480, 300, 90, "end")
    assert arena.bonus_rule == {"1": 3.0, "2": 2.0, "3": 1.0, "last": -2.0}
    assert arena.plan == plan
    assert [c.name for c in arena.criteria.all()] == ["站位", "重点", "措施", "成效"]


def test_the_create_form_names_its_bad_fields_in_chinese(login, organizer, city):
    response = login(organizer).post(reverse("arena:create"), {
        "name": "擂台", "kind": "custom", "kind_label": "", "period": "2024年第五季度", "speech_minutes": "8",
        "question_minutes": "5", "reveal_mode": "each", "template": "liubi", "bonus_ranks": "2, 一"})
    html = response.content.decode()
    assert response.status_code == 200 and not Arena.objects.exists()
    assert "类型选“其他”时请填写类型名称" in html
    assert "无法识别的期间" in html
    assert "第 2 个分值“一”不是数字" in html


def test_the_setup_page_offers_units_with_their_head_at_the_arena_date(login, organizer, city, arena):
    # A's head changed after the arena: the page (and the contestant) keep the head of that day.
    Post.objects.filter(unit=city["a"]).update(end=dt.date(2024, 5, 1))
    Post.objects.create(person=Person.objects.create(name="李四"), unit=city["town"], title="街道党工委书记",
                        start=dt.date(2020, 1, 1))
    html = login(organizer).get(reverse("arena:setup", args=[arena.pk])).content.decode()
    assert "街道党工委书记 李四" in html
    assert "张三" in html  # contestant A, presented by its head on 2024-04-10


def test_adding_contestants_by_checkbox(login, organizer, city, arena):
    response = login(organizer).post(reverse("arena:add_contestants", args=[arena.pk]),
                                     {"units": [city["town"].pk, city["dept"].pk]})
    assert response.status_code == 302
    assert order_of(arena) == ["A", "B", "K", "A01", "D01"]


def test_adding_no_unit_says_so(login, organizer, arena):
    response = login(organizer).post(reverse("arena:add_contestants", args=[arena.pk]), {})
    assert response.status_code == 400
    assert "请至少勾选一个单位" in response.content.decode()


def test_the_draw_shows_the_seed_and_the_same_seed_gives_the_same_order(login, organizer, arena):
    client = login(organizer)
    draw = reverse("arena:set_order", args=[arena.pk])
    client.post(draw, {"method": "draw", "seed": "2024-擂台-一"})
    first = order_of(arena)
    assert first == draw_order(["A", "B", "K"], "2024-擂台-一")
    html = client.get(reverse("arena:setup", args=[arena.pk])).content.decode()
    assert "2024-擂台-一" in html and "SHA-256" in html
    client.post(draw, {"method": "draw", "seed": "other"})
    client.post(draw, {"method": "draw", "seed": "2024-擂台-一"})
    assert order_of(arena) == first


def test_a_draw_without_a_seed_generates_one_and_records_it(login, organizer, arena):
    response = login(organizer).post(reverse("arena:set_order", args=[arena.pk]), {"method": "draw", "seed": ""},
                                     follow=True)
    arena.refresh_from_db()
    assert arena.draw_seed
    assert f"抽签完成，种子为“{arena.draw_seed}”" in response.content.decode()
    assert order_of(arena) == draw_order(["A", "B", "K"], arena.draw_seed)


def test_the_order_follows_a_published_ranking(login, organizer, city, arena):
    plan = make_plan(organizer)
    add_data(city)
    ranking = publish(plan, city, "2024-03", organizer)
    login(organizer).post(reverse("arena:set_order", args=[arena.pk]), {"method": "ranking", "ranking": ranking.pk})
    assert order_of(arena) == ["B", "K", "A"]


def test_moving_a_contestant_up_by_hand(login, organizer, arena, contestants):
    login(organizer).post(reverse("arena:set_order", args=[arena.pk]),
                          {"method": "manual", "contestant": contestants["K"].pk, "move": "up"})
    assert order_of(arena) == ["A", "K", "B"]
    arena.refresh_from_db()
    assert arena.order_method == "manual"


def rubric_post(criteria, groups, tie_break="leaders"):
    data = {"crit-TOTAL_FORMS": len(criteria), "crit-INITIAL_FORMS": 0, "grp-TOTAL_FORMS": len(groups),
            "grp-INITIAL_FORMS": 0, "tie_break": tie_break}
    for i, row in enumerate(criteria):
        data.update({f"crit-{i}-{k}": v for k, v in zip(("code", "name", "weight", "max", "step"), row, strict=True)})
    for i, row in enumerate(groups):
        data.update({f"grp-{i}-{k}": v for k, v in zip(("code", "name", "weight", "trim"), row, strict=True)})
    return data


def test_the_rubric_form_replaces_criteria_and_groups(login, organizer, arena):
    data = rubric_post([("a", "站位", "2", "10", "0.5"), ("b", "成效", "1", "20", ""), ("", "", "", "", "")],
                       [("leaders", "市领导", "0.7", "1"), ("public", "社会各界代表", "0.3", "2"),
                        ("media", "媒体", "0.1", "0")], tie_break="media, leaders")
    response = login(organizer).post(reverse("arena:rubric", args=[arena.pk]), data)
    assert response.status_code == 302
    arena.refresh_from_db()
    assert [(c.code, c.weight, c.max_score, c.step) for c in arena.criteria.all()] == [
        ("a", 2.0, 10.0, 0.5), ("b", 1.0, 20.0, None)]
    assert [g.code for g in arena.groups.all()] == ["leaders", "public", "media"]
    assert arena.tie_break == ["media", "leaders"]


def test_a_bad_rubric_is_refused_with_chinese_field_errors(login, organizer, arena):
    data = rubric_post([("a", "站位", "0", "10", ""), ("a", "", "1", "", "")], [("leaders", "市领导", "1", "1")],
                       tie_break="nobody")
    html = login(organizer).post(reverse("arena:rubric", args=[arena.pk]), data).content.decode()
    assert "权重应大于 0" in html and "请填写名称" in html and "请填写满分" in html
    assert arena.criteria.count() == 6


def test_a_rubric_naming_an_unknown_tie_break_group_is_refused(login, organizer, arena):
    data = rubric_post([("a", "站位", "1", "10", "")], [("leaders", "市领导", "1", "1"), ("public", "社会", "1", "0")],
                       tie_break="nobody")
    response = login(organizer).post(reverse("arena:rubric", args=[arena.pk]), data)
    assert response.status_code == 400
    assert "评委组编码“nobody”不存在" in response.content.decode()


def test_adding_one_judge(login, organizer, city, arena):
    group = arena.groups.get(code="public")
    login(organizer).post(reverse("arena:add_judge", args=[arena.pk]),
                          {"group": group.pk, "name": "赵六", "title": "企业代表", "unit": city["b"].pk, "paper": "on"})
    judge = Judge.objects.get(arena=arena, name="赵六")
    assert (judge.group, judge.unit, judge.paper) == (group, city["b"], True)


def test_bulk_judge_paste_adds_every_line(login, organizer, city, arena):
    lines = "王五,市长,leaders\n李四，企业代表，public，B，纸质\n\n周七,媒体代表,public,,纸质\n吴八,人大代表,public,东城区"
    response = login(organizer).post(reverse("arena:bulk_judges", args=[arena.pk]), {"lines": lines})
    assert response.status_code == 302
    judges = {j.name: j for j in Judge.objects.filter(arena=arena)}
    assert set(judges) == {"王五", "李四", "周七", "吴八"}
    assert judges["李四"].paper and judges["李四"].unit == city["b"]
    assert judges["周七"].paper and judges["周七"].unit is None
    assert judges["吴八"].unit == city["a"] and not judges["吴八"].paper
    assert judges["王五"].group.code == "leaders"


def test_bulk_judge_paste_with_a_bad_line_names_the_line_and_adds_nobody(login, organizer, arena):
    lines = "王五,市长,leaders\n李四,企业代表,press\n周七\n吴八,人大代表,public,ZZ"
    response = login(organizer).post(reverse("arena:bulk_judges", args=[arena.pk]), {"lines": lines})
    html = response.content.decode()
    assert response.status_code == 400
    assert "第 2 行：评委组编码“press”不存在" in html
    assert "第 3 行：应为" in html
    assert "第 4 行：单位“ZZ”不存在" in html
    assert not Judge.objects.filter(arena=arena).exists()


def test_issuing_a_token_shows_the_link_once_and_it_works(login, organizer, arena):
    judge = services.add_judge(arena, organizer, group="leaders", name="王五")
    client = login(organizer)
    response = client.post(reverse("arena:issue_token", args=[judge.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = re.search(r"/arena/j/([^/]+)/", html).group(1)
    assert services.judge_for_token(token) == judge
    assert "只显示这一次" in html
    assert token not in client.get(reverse("arena:setup", args=[arena.pk])).content.decode()


def test_reissuing_and_revoking_a_token_stop_the_old_link(login, organizer, arena):
    judge = services.add_judge(arena, organizer, group="leaders", name="王五")
    old = services.issue_token(judge, organizer)
    client = login(organizer)
    html = client.post(reverse("arena:issue_token", args=[judge.pk])).content.decode()
    new = re.search(r"/arena/j/([^/]+)/", html).group(1)
    assert services.judge_for_token(old) is None and services.judge_for_token(new) == judge
    client.post(reverse("arena:revoke_token", args=[judge.pk]))
    assert services.judge_for_token(new) is None
    assert "已作废" in client.get(reverse("arena:setup", args=[arena.pk])).content.decode()


def test_token_actions_refuse_a_reporter(login, organizer, reporter_a, arena):
    judge = services.add_judge(arena, organizer, group="leaders", name="王五")
    client = login(reporter_a)
    assert client.post(reverse("arena:issue_token", args=[judge.pk])).status_code == 403
    assert client.post(reverse("arena:revoke_token", args=[judge.pk])).status_code == 403
    assert Judge.objects.get(pk=judge.pk).token_hash is None


def test_the_deadline_and_the_lock(login, organizer, arena):
    client = login(organizer)
    client.post(reverse("arena:deadline", args=[arena.pk]),
                {"submission_deadline": "2024-04-05T18:00", "max_slides_mb": "10"})
    arena.refresh_from_db()
    assert arena.max_slides_mb == 10 and arena.submission_deadline is not None
    client.post(reverse("arena:lock", args=[arena.pk]))
    assert not arena.contestants.filter(submission__locked=False).exists()
    assert "参赛材料已锁定" in client.get(reverse("arena:setup", args=[arena.pk])).content.decode()


def remove_url(contestant) -> str:
    return reverse("arena:remove_contestant", args=[contestant.pk])


def test_the_organizer_removes_a_contestant_in_set_up_and_the_order_closes_up(login, organizer, arena, contestants):
    services.save_submission(contestants["B"], organizer, [{"kind": "highlight", "text": "新建产业园"}])
    client = login(organizer)
    assert remove_url(contestants["B"]) in client.get(reverse("arena:setup", args=[arena.pk])).content.decode()
    response = client.post(remove_url(contestants["B"]), follow=True)
    assert f"已移出参赛单位 {contestants['B'].unit.name}" in response.content.decode()
    assert order_of(arena) == ["A", "K"]
    assert list(Contestant.objects.filter(arena=arena).order_by("order").values_list("order", flat=True)) == [1, 2]
    event = arena.events.get(kind="contestant_removed")
    assert event.payload == {"unit": "B", "submission_items": 1, "order": ["A", "K"]}
    assert event.by_user == organizer


def test_after_a_draw_the_remaining_order_is_the_one_the_recorded_seed_gives(login, organizer, city, arena, contestants):
    services.add_contestants(arena, organizer, [city["town"], city["dept"]])
    services.set_order(arena, organizer, "draw", seed="抽签-7")
    login(organizer).post(remove_url(contestants["K"]))
    assert order_of(arena) == draw_order(["A", "B", "A01", "D01"], "抽签-7")
    arena.refresh_from_db()
    assert (arena.order_method, arena.draw_seed) == ("draw", "抽签-7")


def test_a_contestant_cannot_be_removed_once_the_arena_is_under_way(login, organizer, arena, contestants, stage_to):
    stage_to(contestants["A"], "on_stage", organizer)
    client = login(organizer)
    response = client.post(remove_url(contestants["B"]), follow=True)
    html = response.content.decode()
    assert "擂台赛已不在筹备阶段，不能再移出" in html
    assert order_of(arena) == ["A", "B", "K"]
    assert remove_url(contestants["B"]) not in html
    assert not arena.events.filter(kind="contestant_removed").exists()


def test_a_contestant_with_a_sheet_or_a_question_on_record_stays(organizer, arena, contestants, panel, stage_to, sheet):
    from leitai.core.errors import LeitaiError

    stage_to(contestants["A"], "scoring_open", organizer)
    services.submit_sheet(panel["L1"], contestants["A"], sheet(8), client_key="k1")
    services.record_question(contestants["B"], organizer, "项目为什么落地慢？")
    # Only a direct write could put a scored arena back into set-up; the service still looks at the records.
    Arena.objects.filter(pk=arena.pk).update(status=Arena.Status.SETUP)
    with pytest.raises(LeitaiError) as scored:
        services.remove_contestant(contestants["A"], organizer)
    with pytest.raises(LeitaiError) as asked:
        services.remove_contestant(contestants["B"], organizer)
    assert "已有评委为" in scored.value.zh and "已有考问、点评或短板记录" in asked.value.zh
    assert order_of(arena) == ["A", "B", "K"]


def test_removing_a_contestant_refuses_a_reporter(login, organizer, reporter_a, arena, contestants):
    from django.core.exceptions import PermissionDenied

    assert login(reporter_a).post(remove_url(contestants["A"])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.remove_contestant(contestants["A"], reporter_a)
    assert order_of(arena) == ["A", "B", "K"]


@pytest.mark.django_db
def test_the_organizer_sets_the_quorum_on_the_setup_page(login, organizer, arena):
    from leitai.arena.models import ArenaEvent

    client = login(organizer)
    page = client.get(url("arena:setup", arena)).content.decode()
    assert 'id="quorum"' in page and "法定份数" in page and 'name="quorum" value="3"' in page
    response = client.post(reverse("arena:quorum", args=[arena.pk]), {"quorum": "2"})
    assert response.status_code == 302 and response["Location"].endswith("#quorum")
    assert Arena.objects.get(pk=arena.pk).quorum == 2
    assert ArenaEvent.objects.filter(arena=arena, kind="quorum_set").last().payload == {"quorum": 2, "previous": 3}
    bad = client.post(reverse("arena:quorum", args=[arena.pk]), {"quorum": "-1"})
    assert bad.status_code == 400 and Arena.objects.get(pk=arena.pk).quorum == 2
