"""The live question queue (day/floor.py): hands raised from the judges' phones, the floor given in turn, a
timer on the big screen, and every question recorded with who asked it and the answer."""

from __future__ import annotations

import pytest

from leitai.arena.base.events import JudgeRefused
from leitai.core.errors import LeitaiError
from leitai.core.judging import flow as arena_flow
from leitai.core.judging.flow import FlowError


@pytest.fixture
def on_stage(contestants, organizer, stage_to):
    """County B presenting (L3, of county A, is not recused from B)."""
    return stage_to(contestants["B"], arena_flow.SPEECH, organizer)


def test_hands_queue_in_turn_and_a_second_tap_keeps_the_place(on_stage, panel):
    from leitai.arena.day import floor, selectors

    first = floor.raise_hand(panel["P1"], on_stage)
    second = floor.raise_hand(panel["L1"], on_stage)
    assert floor.raise_hand(panel["P1"], on_stage).pk == first.pk
    assert [h.pk for h in selectors.floor_queue(on_stage)] == [first.pk, second.pk]
    state = selectors.public_state(on_stage.arena)["current"]["floor"]
    assert state == {"speaking": None, "queue": [first.pk, second.pk]}
    # The public state names no judge's code or link.
    assert "P1" not in str(state) and panel["P1"].anon_code not in str(state)


def test_the_floor_goes_to_one_asker_at_a_time_during_questions_with_a_timer(on_stage, panel, organizer, stage_to):
    from leitai.arena.day import floor, selectors

    hand = floor.raise_hand(panel["P2"], on_stage)
    other = floor.raise_hand(panel["L2"], on_stage)
    with pytest.raises(FlowError, match="考问"):
        floor.give_floor(on_stage, hand.pk, organizer)  # still presenting
    c = stage_to(on_stage, arena_flow.QUESTIONS, organizer)
    floor.give_floor(c, hand.pk, organizer)
    with pytest.raises(FlowError, match="P2正在提问"):
        floor.give_floor(c, other.pk, organizer)
    speaking = selectors.public_state(c.arena)["current"]["floor"]["speaking"]
    assert speaking["asker"] == "P2"
    assert speaking["ends_at"] - speaking["started_at"] == c.arena.ask_seconds * 1000


def test_ending_a_turn_records_who_asked_the_gist_and_the_answer(on_stage, panel, organizer, stage_to):
    from leitai.arena.day import floor, selectors
    from leitai.arena.models import ArenaEvent, FloorRequest, Question

    hand = floor.raise_hand(panel["P3"], on_stage)
    c = stage_to(on_stage, arena_flow.QUESTIONS, organizer)
    floor.give_floor(c, hand.pk, organizer)
    with pytest.raises(LeitaiError, match="问题不能为空"):
        floor.end_floor(c, hand.pk, organizer, "  ")
    done = floor.end_floor(c, hand.pk, organizer, "老旧小区改造进度为何滞后？", "三季度前完成 12 个小区")
    q = Question.objects.get()
    assert (q.contestant_id, q.judge_id, q.asker, q.text, q.answer) == (
        c.pk, panel["P3"].pk, "P3", "老旧小区改造进度为何滞后？", "三季度前完成 12 个小区")
    assert done.status == FloorRequest.Status.DONE and done.question_id == q.pk
    assert selectors.public_state(c.arena)["current"]["floor"] == {"speaking": None, "queue": []}
    kinds = list(ArenaEvent.objects.filter(arena=c.arena, kind__in=("hand", "floor", "question", "floor_end"))
                 .values_list("kind", flat=True))
    assert kinds == ["hand", "floor", "question", "floor_end"]


def test_scoring_does_not_open_while_an_asker_holds_the_floor_and_waiting_hands_lapse(on_stage, panel, organizer,
                                                                                       stage_to):
    from leitai.arena import services
    from leitai.arena.day import floor
    from leitai.arena.models import FloorRequest

    speaker = floor.raise_hand(panel["P1"], on_stage)
    waiting = floor.raise_hand(panel["P2"], on_stage)
    c = stage_to(on_stage, arena_flow.QUESTIONS, organizer)
    floor.give_floor(c, speaker.pk, organizer)
    with pytest.raises(FlowError, match="正在发言"):
        services.advance(c, arena_flow.SCORING_OPEN, organizer)
    floor.end_floor(c, speaker.pk, organizer, "问题")
    services.advance(c, arena_flow.SCORING_OPEN, organizer)
    assert FloorRequest.objects.get(pk=waiting.pk).status == FloorRequest.Status.LAPSED
    with pytest.raises(FlowError, match="现在不能举手"):
        floor.raise_hand(panel["P4"], c)


def test_a_withdrawn_or_dropped_hand_leaves_the_queue(on_stage, panel, organizer):
    from leitai.arena.day import floor, selectors

    a = floor.raise_hand(panel["P1"], on_stage)
    b = floor.raise_hand(panel["P2"], on_stage)
    c = floor.add_asker(on_stage, organizer, "市民代表 王女士")
    floor.withdraw_hand(panel["P1"], on_stage)
    floor.drop(on_stage, b.pk, organizer)
    assert [h.pk for h in selectors.floor_queue(on_stage)] == [c.pk]
    # A lowered hand can be raised again, at the end of the queue.
    again = floor.raise_hand(panel["P1"], on_stage)
    assert again.pk != a.pk and [h.pk for h in selectors.floor_queue(on_stage)] == [c.pk, again.pk]


def test_recused_paper_revoked_and_other_arenas_judges_may_not_raise_a_hand(contestants, panel, paper_judge,
                                                                           organizer, stage_to, other_arena):
    from leitai.arena import services
    from leitai.arena.day import floor

    a = stage_to(contestants["A"], arena_flow.SPEECH, organizer)
    with pytest.raises(JudgeRefused, match="回避"):
        floor.raise_hand(panel["L3"], a)  # L3 belongs to county A
    with pytest.raises(JudgeRefused, match="纸质"):
        floor.raise_hand(paper_judge, a)
    with pytest.raises(JudgeRefused, match="另一场|不属于"):
        floor.raise_hand(other_arena.panel["X1"], a)
    services.revoke_token(panel["P5"], organizer)
    panel["P5"].refresh_from_db()
    with pytest.raises(JudgeRefused, match="失效"):
        floor.raise_hand(panel["P5"], a)


def test_only_the_organizer_gives_the_floor(on_stage, panel, reporter_a):
    from django.core.exceptions import PermissionDenied

    from leitai.arena.day import floor

    hand = floor.raise_hand(panel["P1"], on_stage)
    with pytest.raises(PermissionDenied):
        floor.give_floor(on_stage, hand.pk, reporter_a)
    with pytest.raises(PermissionDenied):
        floor.add_asker(on_stage, None, "someone")


# ---- pages ---------------------------------------------------------------------------------------------

HX = {"HTTP_HX_REQUEST": "true"}


def test_a_judges_phone_raises_and_lowers_a_hand_and_sees_its_block(client, on_stage, panel):
    from django.urls import reverse

    from leitai.arena.models import FloorRequest

    url = reverse("arena:judge_hand", args=[panel.tokens["P1"]])
    html = client.get(url, **HX).content.decode()
    assert 'id="floor-judge"' in html and "我要提问" in html and f'value="{on_stage.pk}"' in html
    html = client.post(url, {"action": "raise", "contestant": on_stage.pk}, **HX).content.decode()
    hand = FloorRequest.objects.get()
    assert f'data-hand-id="{hand.pk}"' in html and "已举手" in html
    html = client.post(url, {"action": "withdraw", "contestant": on_stage.pk}, **HX).content.decode()
    assert 'data-hand-id=""' in html
    assert FloorRequest.objects.get().status == FloorRequest.Status.WITHDRAWN


def test_a_refused_hand_says_why_and_a_bad_link_or_another_arenas_contestant_is_refused(client, contestants, panel,
                                                                                         organizer, stage_to,
                                                                                         other_arena):
    from django.urls import reverse

    a = stage_to(contestants["A"], "speech", organizer)
    html = client.post(reverse("arena:judge_hand", args=[panel.tokens["L3"]]),
                       {"action": "raise", "contestant": a.pk}, **HX).content.decode()
    assert "回避" in html and 'role="alert"' in html
    assert client.post(reverse("arena:judge_hand", args=["not-a-token"]), {"contestant": a.pk}, **HX).status_code == 403
    x1 = other_arena.panel.tokens["X1"]
    assert client.post(reverse("arena:judge_hand", args=[x1]), {"contestant": a.pk}, **HX).status_code == 404


def test_the_console_gives_the_floor_records_the_question_and_refuses_others(login, on_stage, panel, organizer,
                                                                             reporter_a, stage_to):
    from django.urls import reverse

    from leitai.arena.day import floor
    from leitai.arena.models import Question

    hand = floor.raise_hand(panel["P2"], on_stage)
    c = stage_to(on_stage, "questions", organizer)
    assert login(reporter_a).post(reverse("arena:floor_action", args=[c.pk, "give"]), {"hand": hand.pk}).status_code in (302, 403)
    client = login(organizer)
    html = client.get(reverse("arena:console_body", args=[c.arena.pk]), **HX).content.decode()
    assert reverse("arena:floor", args=[c.pk]) in html  # the console body loads the queue
    html = client.get(reverse("arena:floor", args=[c.pk]), **HX).content.decode()
    assert "P2" in html and "请发言" in html and f'data-sig="|{hand.pk}"' in html
    html = client.post(reverse("arena:floor_action", args=[c.pk, "give"]), {"hand": hand.pk}, **HX).content.decode()
    assert "正在提问" in html and "记录并结束提问" in html
    html = client.post(reverse("arena:floor_action", args=[c.pk, "end"]), {"hand": hand.pk, "text": ""}, **HX).content.decode()
    assert "问题不能为空" in html and not Question.objects.exists()
    client.post(reverse("arena:floor_action", args=[c.pk, "end"]),
                {"hand": hand.pk, "text": "为何滞后？", "answer": "已整改"}, **HX)
    assert Question.objects.get().asker == "P2"
    html = client.post(reverse("arena:floor_action", args=[c.pk, "add"]), {"asker": "市民 王女士"}, **HX).content.decode()
    assert "市民 王女士" in html
    assert client.post(reverse("arena:floor_action", args=[c.pk, "nope"]), {}, **HX).status_code == 404
