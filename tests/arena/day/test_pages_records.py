"""The records of the day: questions (考问) with the asker and the answer, leaders' comments (点评), and a
comment turned into a shortcoming with a responsible unit and a deadline."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from leitai.arena.models import Comment, Question, Shortcoming


def post(client, name, arena, data, htmx=True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse(name, args=[arena.pk]), data, **headers)


def test_the_page_follows_the_contestant_on_stage(login, organizer, arena, contestants, stage_to):
    stage_to(contestants["B"], "speech", organizer)
    html = login(organizer).get(reverse("arena:records", args=[arena.pk])).content.decode()
    assert f'value="{contestants["B"].pk}" selected' in html
    assert f'name="contestant" value="{contestants["B"].pk}"' in html


def test_a_contestant_can_be_chosen(login, organizer, arena, contestants):
    html = login(organizer).get(reverse("arena:records", args=[arena.pk]),
                                {"contestant": contestants["K"].pk}).content.decode()
    assert f'value="{contestants["K"].pk}" selected' in html


def test_a_question_from_a_judge_is_recorded_and_listed(login, organizer, arena, contestants, panel):
    client = login(organizer)
    response = post(client, "arena:add_question", arena, {
        "contestant": contestants["A"].pk, "judge": panel["L1"].pk, "text": "投资增速为何落后？",
        "answer": "项目落地慢，已成立专班"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="records-block"' in html and "<html" not in html
    q = Question.objects.get()
    assert (q.contestant, q.judge, q.recorded_by) == (contestants["A"], panel["L1"], organizer)
    assert "投资增速为何落后？" in html and "项目落地慢，已成立专班" in html and "已记录考问" in html


def test_a_question_needs_an_asker(login, organizer, arena, contestants):
    response = post(login(organizer), "arena:add_question", arena,
                    {"contestant": contestants["A"].pk, "text": "谁问的？"})
    assert response.status_code == 400
    assert "请选择提问评委或填写提问人" in response.content.decode()
    assert not Question.objects.exists()


def test_without_htmx_a_record_returns_to_the_page_of_its_contestant(login, organizer, arena, contestants):
    response = post(login(organizer), "arena:add_comment", arena,
                    {"contestant": contestants["B"].pk, "author": "市长", "text": "要在项目上再加把劲"}, htmx=False)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?contestant={contestants['B'].pk}")


def test_a_comment_becomes_a_shortcoming_of_the_contestants_unit(login, organizer, city, arena, contestants, panel):
    client = login(organizer)
    post(client, "arena:add_comment", arena,
         {"contestant": contestants["A"].pk, "judge": panel["L2"].pk, "text": "营商环境短板明显，限期整改"})
    comment = Comment.objects.get()
    html = client.get(reverse("arena:records", args=[arena.pk]), {"contestant": contestants["A"].pk}).content.decode()
    assert "转为短板问题" in html
    # The form starts with the comment's text and the contestant's unit as the responsible unit.
    assert f'<option value="{city["a"].pk}" selected>' in html
    prefix = f"s{comment.pk}"
    response = post(client, "arena:add_shortcoming", arena, {
        "contestant": contestants["A"].pk, "prefix": prefix, f"{prefix}-text": comment.text,
        f"{prefix}-responsible_unit": city["a"].pk, f"{prefix}-deadline": "2024-09-30",
        f"{prefix}-comment": comment.pk})
    assert response.status_code == 200
    s = Shortcoming.objects.get()
    assert (s.arena, s.contestant, s.comment, s.responsible_unit, s.deadline) == (
        arena, contestants["A"], comment, city["a"], dt.date(2024, 9, 30))
    html = response.content.decode()
    assert "已列入短板" in html and "2024-09-30" in html


def test_a_shortcoming_may_name_another_responsible_unit(login, organizer, city, arena, contestants):
    post(login(organizer), "arena:add_shortcoming", arena, {
        "contestant": contestants["A"].pk, "prefix": "s", "s-text": "跨区域河道治理滞后",
        "s-responsible_unit": city["dept"].pk, "s-deadline": "2024-12-31"})
    assert Shortcoming.objects.get().responsible_unit == city["dept"]


def test_everything_recorded_is_listed_per_contestant(login, organizer, arena, contestants):
    client = login(organizer)
    post(client, "arena:add_question", arena, {"contestant": contestants["K"].pk, "asker": "群众代表", "text": "文旅收入？"})
    html = client.get(reverse("arena:records", args=[arena.pk]), {"contestant": contestants["A"].pk}).content.decode()
    assert "全部记录" in html and "南山县" in html and "文旅收入？" in html


def test_records_refuse_a_reporter_and_send_the_anonymous_to_sign_in(client, login, reporter_a, arena, contestants):
    data = {"contestant": contestants["A"].pk, "asker": "某人", "text": "问题"}
    response = client.post(reverse("arena:add_question", args=[arena.pk]), data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(reporter_a).post(reverse("arena:add_question", args=[arena.pk]), data).status_code == 403
    assert not Question.objects.exists()


def test_a_contestant_of_another_arena_is_not_found(login, organizer, arena, other_arena):
    foreign = other_arena.contestants.first()
    response = post(login(organizer), "arena:add_question", arena,
                    {"contestant": foreign.pk, "asker": "某人", "text": "问题"})
    assert response.status_code == 404
