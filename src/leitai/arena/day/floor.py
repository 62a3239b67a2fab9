"""The live question queue (发言队列): judges raise a hand from their phones (我要提问) while a contestant is on
stage; the organizer gives the floor in turn, each asker speaks against the arena's per-question timer
(Arena.ask_seconds, shown on the big screen), and ending a turn records who asked, the gist and the answer
as a Question of the day's records. Every step goes through the arena's event log and the live state.

Rules: a hand may be raised while the contestant is on stage, presenting or being questioned, once per judge
at a time (a second tap answers the same place in the queue); a recused judge, a paper judge or a revoked
link may not; the floor is given only during questions, to one asker at a time; scoring does not open while
an asker holds the floor, and hands still waiting then lapse (未轮到)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from leitai.arena.base.events import JudgeRefused, announce, lock_arena, record_event, refuse_if_published
from leitai.arena.base.policies import require_organizer
from leitai.arena.day.flow import record_question
from leitai.arena.day.models import FloorRequest
from leitai.arena.setup.models import Contestant, Judge
from leitai.arena.setup.selectors import has_active_token, is_recused
from leitai.core.errors import LeitaiError
from leitai.core.judging.flow import ON_STAGE, QUESTIONS, SPEECH, FlowError

# While a hand may be raised.
HANDS_OPEN = (ON_STAGE, SPEECH, QUESTIONS)


def _locked(contestant) -> Contestant:
    arena = lock_arena(contestant.arena)
    refuse_if_published(arena)
    return Contestant.objects.select_related("arena", "unit").get(pk=contestant.pk)


def _open_for(contestant, judge) -> FloorRequest | None:
    return FloorRequest.objects.filter(contestant=contestant, judge=judge, status__in=FloorRequest.OPEN).first()


@transaction.atomic
def raise_hand(judge, contestant) -> FloorRequest:
    """The judge asks to question the contestant on stage; a second tap answers the same request."""
    contestant = _locked(contestant)
    judge = Judge.objects.select_related("unit").get(pk=judge.pk)  # as it is now (a link revoked a moment ago)
    if judge.arena_id != contestant.arena_id:
        raise JudgeRefused("该评委不属于本场擂台赛", "The judge belongs to another arena")
    if not has_active_token(judge) or judge.paper:
        raise JudgeRefused("该评委链接已失效或使用纸质评分表，不能在手机上举手",
                           "This judge's link is revoked or the judge scores on paper")
    if is_recused(judge, contestant):
        raise JudgeRefused("您与该单位有关联，已回避，不能向其提问",
                           "You are recused from this unit and may not question it")
    if contestant.stage not in HANDS_OPEN:
        raise FlowError("现在不能举手提问：选手登台、陈述或考问时才可以",
                        "Hands can be raised only while the contestant is on stage, presenting or questioned")
    existing = _open_for(contestant, judge)
    if existing is not None:
        return existing
    hand = FloorRequest.objects.create(contestant=contestant, judge=judge, asker=judge.name)
    record_event(contestant.arena, "hand", None, contestant=contestant.pk, request=hand.pk)
    announce(contestant.arena)
    return hand


@transaction.atomic
def withdraw_hand(judge, contestant) -> FloorRequest | None:
    """The judge lowers a hand still waiting (an asker holding the floor is ended by the organizer)."""
    contestant = _locked(contestant)
    hand = _open_for(contestant, judge)
    if hand is None or hand.status != FloorRequest.Status.WAITING:
        return None
    hand.status, hand.ended_at = FloorRequest.Status.WITHDRAWN, timezone.now()
    hand.save(update_fields=["status", "ended_at"])
    record_event(contestant.arena, "hand_withdrawn", None, contestant=contestant.pk, request=hand.pk)
    announce(contestant.arena)
    return hand


@transaction.atomic
def add_asker(contestant, user, asker: str) -> FloorRequest:
    """The organizer puts someone without a phone in the queue (a leader at the front, a citizen in the hall)."""
    require_organizer(user)
    contestant = _locked(contestant)
    name = str(asker or "").strip()[:80]
    if not name:
        raise LeitaiError("提问人不能为空", "The asker cannot be empty")
    if contestant.stage not in HANDS_OPEN:
        raise FlowError("现在不能排队提问：选手登台、陈述或考问时才可以",
                        "Askers can be queued only while the contestant is on stage, presenting or questioned")
    hand = FloorRequest.objects.create(contestant=contestant, asker=name)
    record_event(contestant.arena, "hand", user, contestant=contestant.pk, request=hand.pk, asker=name)
    announce(contestant.arena)
    return hand


def _hand(hand_id: int, contestant) -> FloorRequest:
    hand = FloorRequest.objects.select_for_update().filter(pk=hand_id, contestant=contestant).first()
    if hand is None:
        raise LeitaiError("该提问请求不存在", "No such request to ask")
    return hand


@transaction.atomic
def give_floor(contestant, hand_id: int, user) -> FloorRequest:
    """Give the floor to a waiting asker: their timer starts on the big screen."""
    require_organizer(user)
    contestant = _locked(contestant)
    if contestant.stage != QUESTIONS:
        raise FlowError("请先进入考问环节，再请提问人发言", "Move to questions before giving the floor")
    hand = _hand(hand_id, contestant)
    if hand.status != FloorRequest.Status.WAITING:
        raise FlowError(f"{hand.asker}不在排队中", f"{hand.asker} is not waiting to ask")
    speaking = FloorRequest.objects.filter(contestant=contestant, status=FloorRequest.Status.SPEAKING).first()
    if speaking is not None:
        raise FlowError(f"{speaking.asker}正在提问：请先记录并结束这次提问",
                        f"{speaking.asker} holds the floor: record and end that question first")
    hand.status, hand.floor_at = FloorRequest.Status.SPEAKING, timezone.now()
    hand.save(update_fields=["status", "floor_at"])
    record_event(contestant.arena, "floor", user, contestant=contestant.pk, request=hand.pk, asker=hand.asker)
    announce(contestant.arena)
    return hand


@transaction.atomic
def end_floor(contestant, hand_id: int, user, text: str, answer: str = "") -> FloorRequest:
    """End the asker's turn and record the question's gist and the answer in the day's records."""
    require_organizer(user)
    contestant = _locked(contestant)
    hand = _hand(hand_id, contestant)
    if hand.status != FloorRequest.Status.SPEAKING:
        raise FlowError(f"{hand.asker}没有在提问", f"{hand.asker} does not hold the floor")
    question = record_question(contestant, user, text, judge=hand.judge, asker=hand.asker, answer=answer)
    hand.status, hand.ended_at, hand.question = FloorRequest.Status.DONE, timezone.now(), question
    hand.save(update_fields=["status", "ended_at", "question"])
    record_event(contestant.arena, "floor_end", user, contestant=contestant.pk, request=hand.pk, question=question.pk)
    announce(contestant.arena)
    return hand


@transaction.atomic
def drop(contestant, hand_id: int, user) -> FloorRequest:
    """The organizer takes a waiting asker off the queue (time is up, the question was already asked)."""
    require_organizer(user)
    contestant = _locked(contestant)
    hand = _hand(hand_id, contestant)
    if hand.status != FloorRequest.Status.WAITING:
        raise FlowError(f"{hand.asker}不在排队中", f"{hand.asker} is not waiting to ask")
    hand.status, hand.ended_at = FloorRequest.Status.WITHDRAWN, timezone.now()
    hand.save(update_fields=["status", "ended_at"])
    record_event(contestant.arena, "hand_dropped", user, contestant=contestant.pk, request=hand.pk)
    announce(contestant.arena)
    return hand
