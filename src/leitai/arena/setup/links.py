"""Judge–contestant links (评委关联) and the calibration rule (校准规则) of an arena: the organizer records the
ties recusal does not cover, before or while scoring, and may declare before scoring opens how the tally
evens out the judges (core/judging/rubric.py `calibration`; docs/uncertainty.md, 评委审计 / Judge audit).
Every change is in the arena's log."""

from __future__ import annotations

from django.db import transaction

from leitai.arena.base.events import lock_arena, record_event, refuse_if_published
from leitai.arena.base.policies import actor, require_organizer
from leitai.arena.setup.models import Contestant, Judge, JudgeLink
from leitai.core.errors import LeitaiError
from leitai.core.judging import flow as arena_flow
from leitai.core.judging.rubric import parse_calibration

SCORING_STARTED = (arena_flow.SCORING_OPEN, arena_flow.SCORING_CLOSED, arena_flow.REVEALED)


def scoring_started(arena) -> bool:
    """Scoring has opened for some contestant (or a sheet exists): the calibration rule is frozen from then on."""
    return arena.sheets.exists() or arena.contestants.filter(stage__in=SCORING_STARTED).exists()


@transaction.atomic
def set_calibration(arena, user, calibration: dict | None):
    """Declare the calibration rule ({} or None: none); checked by the core's rubric rules (errors name the
    field); refused once scoring has opened for any contestant, and after publication."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    if scoring_started(arena):
        raise LeitaiError("评分已经开始，校准规则不能再修改（须在评分开始前声明）",
                          "Scoring has started: the calibration rule can no longer change (declare it before scoring opens)")
    parsed = parse_calibration(calibration or None)
    value = parsed.as_dict() if parsed else {}
    if value != (arena.calibration or {}):
        arena.calibration = value
        arena.save(update_fields=["calibration"])
        record_event(arena, "calibration_set", actor(user), calibration=value)
    return arena


@transaction.atomic
def add_link(arena, user, judge_id: int, contestant_id: int, relation: str) -> JudgeLink:
    """Record that a judge has a tie to a contestant (allowed before and during scoring, not after publication)."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    judge = Judge.objects.filter(pk=judge_id, arena=arena).first()
    contestant = Contestant.objects.filter(pk=contestant_id, arena=arena).select_related("unit").first()
    if judge is None or contestant is None:
        raise LeitaiError("评委或参赛单位不属于本场擂台赛", "The judge or the contestant is not in this arena")
    relation = (relation or "").strip()
    if not relation:
        raise LeitaiError("关联关系：请填写评委与该单位的关系", "relation: say how the judge is linked to the contestant")
    if JudgeLink.objects.filter(judge=judge, contestant=contestant).exists():
        raise LeitaiError(f"评委 {judge.name} 与 {contestant.unit.name} 的关联已经记录",
                          f"The link between {judge.name} and {contestant.unit.name} is already recorded")
    link = JudgeLink.objects.create(arena=arena, judge=judge, contestant=contestant, relation=relation[:80],
                                    created_by=actor(user))
    record_event(arena, "judge_link_added", actor(user), judge=judge.anon_code, contestant=contestant.unit.code,
                 relation=link.relation)
    return link


@transaction.atomic
def remove_link(arena, user, link_id: int) -> None:
    """Withdraw a link recorded by mistake (in the log; not after publication)."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    link = JudgeLink.objects.filter(pk=link_id, arena=arena).select_related("judge", "contestant__unit").first()
    if link is None:
        raise LeitaiError("没有这条关联记录", "No such link")
    record_event(arena, "judge_link_removed", actor(user), judge=link.judge.anon_code,
                 contestant=link.contestant.unit.code, relation=link.relation)
    link.delete()
