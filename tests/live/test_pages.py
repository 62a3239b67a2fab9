"""The pages of the day: the organizer's console, a judge's phone (form, submit, recusal, closing) and
the big screen — who may open them and what they show."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from leitai.arena.models import ScoreSheet, ScoreSheetRevision
from leitai.core.judging import flow as arena_flow

pytestmark = pytest.mark.django_db


def form_data(value, key="k-1"):
    from tests.arena.conftest import CRITERIA

    return {"client_key": key, **{f"s_{c}": value for c in CRITERIA}}


def judge_url(name, panel, view="arena:judge", *args):
    return reverse(view, args=[panel.tokens[name], *args])


# -- console -------------------------------------------------------------------------------------------
def test_only_an_organizer_opens_the_console(client, login, arena, reporter_a, public_user):
    url = reverse("arena:console", args=[arena.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    assert login(reporter_a).get(url).status_code == 403
    assert login(public_user).get(url).status_code == 403


def test_the_console_lists_the_contestants_in_order_with_the_steps_allowed(login, organizer, arena, contestants):
    page = login(organizer).get(reverse("arena:console", args=[arena.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("东城区") < html.index("西城区") < html.index("南山县")
    assert "请上台" in html and "开始评分" not in html
    for name in ("arena:records", "arena:paper", "arena:screen"):
        assert reverse(name, args=[arena.pk]) in html


def test_a_console_step_moves_the_contestant_and_returns_the_console_body(login, organizer, arena, contestants):
    c = login(organizer)
    a = contestants["A"]
    body = c.post(reverse("arena:console_advance", args=[a.pk]), {"target": arena_flow.ON_STAGE},
                  HTTP_HX_REQUEST="true")
    a.refresh_from_db()
    assert a.stage == arena_flow.ON_STAGE
    html = body.content.decode()
    assert "<html" not in html and "开始陈述计时" in html
    # Only one contestant on stage: B is offered no "on stage" button now.
    assert re.search(rf'data-cid="{contestants["B"].pk}".*?</tr>', html, re.S).group(0).count("请上台") == 0


def test_a_refused_step_is_explained_in_the_console(login, organizer, arena, contestants):
    body = login(organizer).post(reverse("arena:console_advance", args=[contestants["A"].pk]),
                                 {"target": arena_flow.SCORING_OPEN}, HTTP_HX_REQUEST="true")
    assert "不能从" in body.content.decode()
    contestants["A"].refresh_from_db()
    assert contestants["A"].stage == arena_flow.WAITING


def test_a_non_organizer_cannot_post_a_step(login, reporter_a, arena, contestants):
    r = login(reporter_a).post(reverse("arena:console_advance", args=[contestants["A"].pk]),
                               {"target": arena_flow.ON_STAGE})
    assert r.status_code == 403
    contestants["A"].refresh_from_db()
    assert contestants["A"].stage == arena_flow.WAITING


def test_the_console_reveals_and_publishes_when_every_contestant_is_done(login, organizer, arena, contestants, panel,
                                                                         stage_to, sheet):
    from leitai.arena import services

    for code, value in (("A", 9), ("B", 8), ("K", 7)):
        stage_to(contestants[code], arena_flow.SCORING_OPEN, organizer)
        for name in ("L1", "L2", "L3", "P1", "P2", "P3", "P4", "P5"):
            if not services.is_recused(panel[name], contestants[code]):  # L3 sits out A
                services.submit_sheet(panel[name], contestants[code], sheet(value), f"{name}-{code}")
        stage_to(contestants[code], arena_flow.REVEALED, organizer)
    c = login(organizer)
    html = c.get(reverse("arena:console_body", args=[arena.pk])).content.decode()
    assert "发布结果" in html
    c.post(reverse("arena:console_publish", args=[arena.pk]), HTTP_HX_REQUEST="true")
    arena.refresh_from_db()
    assert arena.status == "published"
    assert "结果已发布" in c.get(reverse("arena:console_body", args=[arena.pk])).content.decode()


# -- judge's phone -------------------------------------------------------------------------------------
def test_an_unknown_or_revoked_link_gets_a_friendly_403(client, panel, organizer):
    from leitai.arena import services

    r = client.get(reverse("arena:judge", args=["no-such-token"]))
    assert r.status_code == 403 and "评分链接无效" in r.content.decode()
    services.revoke_token(panel["L1"], organizer)
    r = client.get(judge_url("L1", panel))
    assert r.status_code == 403 and "联系现场工作人员" in r.content.decode()
    assert client.get(judge_url("L1", panel, "arena:judge_stream")).status_code == 403


def test_the_judge_page_waits_until_scoring_opens(client, panel, contestants, organizer, stage_to):
    stage_to(contestants["A"], arena_flow.SPEECH, organizer)
    html = client.get(judge_url("L1", panel)).content.decode()
    assert "东城区" in html and "请等待评分开始" in html and "提交评分" not in html
    form = client.get(judge_url("L1", panel, "arena:judge_form", contestants["A"].pk)).content.decode()
    assert "尚未开始" in form and "提交评分" not in form


def test_the_form_shows_the_rubric_and_the_submission_when_scoring_is_open(client, panel, contestants, organizer,
                                                                          stage_to, reporter_a):
    from leitai.arena import services

    services.save_submission(contestants["A"], reporter_a, [
        {"kind": "highlight", "text": "新能源产业园投产"}, {"kind": "pledge", "text": "全年投资增长10%"}])
    stage_to(contestants["A"], arena_flow.SCORING_OPEN, organizer)
    html = client.get(judge_url("L1", panel)).content.decode()
    assert "提交评分" in html and "比质量" in html and "新能源产业园投产" in html and "全年投资增长10%" in html
    assert re.search(r'name="s_quality"[^>]*max="10(\.0)?"', html) and 'step="0.5"' in html
    assert 'name="client_key"' in html


def test_a_submission_is_stored_once_and_confirmed_with_its_values(client, panel, contestants, organizer, stage_to):
    stage_to(contestants["A"], arena_flow.SCORING_OPEN, organizer)
    url = judge_url("L1", panel, "arena:judge_submit", contestants["A"].pk)
    first = client.post(url, form_data(8.5, key="tap"), HTTP_HX_REQUEST="true")
    again = client.post(url, form_data(8.5, key="tap"), HTTP_HX_REQUEST="true")  # double tap / retry
    for r in (first, again):
        html = r.content.decode()
        assert r.status_code == 200 and "已提交 ✓" in html and "8.5" in html
    sheet = ScoreSheet.objects.get(judge=panel["L1"], contestant=contestants["A"])
    assert sheet.scores["quality"] == 8.5 and ScoreSheetRevision.objects.filter(sheet=sheet).count() == 1


def test_a_judge_may_change_the_sheet_until_scoring_closes_then_it_is_read_only(client, panel, contestants,
                                                                                organizer, stage_to):
    a = contestants["A"]
    stage_to(a, arena_flow.SCORING_OPEN, organizer)
    url = judge_url("L1", panel, "arena:judge_submit", a.pk)
    client.post(url, form_data(7, key="one"))
    client.post(url, form_data(9, key="two"))
    assert ScoreSheet.objects.get(judge=panel["L1"], contestant=a).scores["quality"] == 9
    stage_to(a, arena_flow.SCORING_CLOSED, organizer)
    late = client.post(url, form_data(3, key="three")).content.decode()
    assert "评分已结束" in late
    assert ScoreSheet.objects.get(judge=panel["L1"], contestant=a).scores["quality"] == 9
    form = client.get(judge_url("L1", panel, "arena:judge_form", a.pk)).content.decode()
    assert "只读" in form and "提交评分" not in form and "修改并重新提交" not in form


def test_an_out_of_range_or_off_step_score_is_refused_naming_the_problem(client, panel, contestants, organizer,
                                                                        stage_to):
    stage_to(contestants["A"], arena_flow.SCORING_OPEN, organizer)
    url = judge_url("L1", panel, "arena:judge_submit", contestants["A"].pk)
    html = client.post(url, {**form_data(8), "s_quality": "11", "s_position": "7.3"}).content.decode()
    assert "10" in html and "0.5" in html and "已提交 ✓" not in html
    assert not ScoreSheet.objects.filter(judge=panel["L1"]).exists()


def test_a_recused_judge_is_told_to_abstain_and_cannot_submit(client, panel, contestants, organizer, stage_to):
    stage_to(contestants["A"], arena_flow.SCORING_OPEN, organizer)
    html = client.get(judge_url("L3", panel)).content.decode()  # L3 belongs to county A
    assert "您需回避该单位，无需评分" in html and "提交评分" not in html
    r = client.post(judge_url("L3", panel, "arena:judge_submit", contestants["A"].pk), form_data(9))
    assert "已提交 ✓" not in r.content.decode()
    assert not ScoreSheet.objects.filter(judge=panel["L3"]).exists()


def test_a_judge_cannot_open_a_contestant_of_another_arena(client, other_arena, contestants, organizer, stage_to):
    stage_to(contestants["A"], arena_flow.SCORING_OPEN, organizer)
    url = reverse("arena:judge_submit", args=[other_arena.panel.tokens["X1"], contestants["A"].pk])
    assert client.post(url, form_data(9)).status_code == 404
    assert not ScoreSheet.objects.filter(judge=other_arena.panel["X1"]).exists()


def test_a_judge_never_sees_another_judges_scores(client, panel, contestants, organizer, stage_to):
    from leitai.arena import services

    a = contestants["A"]
    stage_to(a, arena_flow.SCORING_OPEN, organizer)
    services.submit_sheet(panel["L2"], a, {c: 3.5 for c in ("quality", "position", "innovation", "project",
                                                             "environment", "responsibility")}, "other")
    for view in ("arena:judge", "arena:judge_form"):
        args = [a.pk] if view == "arena:judge_form" else []
        html = client.get(judge_url("L1", panel, view, *args)).content.decode()
        assert "3.5" not in html and "已提交 ✓" not in html


# -- big screen ----------------------------------------------------------------------------------------
def test_the_big_screen_is_public_once_the_arena_is_live(client, login, organizer, arena, contestants, stage_to):
    url = reverse("arena:screen", args=[arena.pk])
    assert client.get(url).status_code == 403  # still in set-up
    assert login(organizer).get(url).status_code == 200
    client.logout()
    stage_to(contestants["A"], arena_flow.ON_STAGE, organizer)
    html = client.get(url).content.decode()
    assert "arena/live_screen.js" in html and "http://" not in html and "https://" not in html
    state = json.loads(re.search(r'<script id="live-state" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert state["current"]["unit"] == "东城区"  # the initial state, embedded; the stream brings the rest
