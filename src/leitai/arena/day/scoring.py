"""Scoring: paper sheets entered by one staff member and confirmed by another, the checks shared with the
phones' sheets (sheets.py); the counts of sheets per contestant are reads (selectors.progress)."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from leitai.arena.base.events import (
    JudgeRefused,
    ScoringClosed,
    announce,
    lock_arena,
    record_event,
    refuse_if_published,
)
from leitai.arena.base.policies import actor, require_organizer
from leitai.arena.day import receipts
from leitai.arena.day.models import ScoreSheet, ScoreSheetRevision
from leitai.arena.setup.models import Contestant, Judge
from leitai.arena.setup.selectors import is_recused, rubric_of
from leitai.core.errors import LeitaiError
from leitai.core.judging.flow import SCORING_CLOSED, can_score
from leitai.core.judging.tally import judge_total


def clean_scores(scores, rubric) -> tuple[dict[str, float], float]:
    """Every criterion of the rubric scored with a valid number; returns the scores and the judge's total."""
    if not isinstance(scores, dict) or not scores:
        raise LeitaiError("评分不能为空", "The sheet has no scores")
    clean = {}
    for code, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise LeitaiError(f"评分项 {code}：“{value}”不是数字", f"criterion {code}: '{value}' is not a number")
        clean[str(code)] = float(value)
    return clean, judge_total(clean, rubric)  # raises DataError naming the criterion


def _lock_stage(contestant_id: int) -> Contestant:
    """Read the contestant's stage so that closing scoring cannot slip between this check and our commit.

    PostgreSQL: FOR SHARE, which many submissions hold together but which advance()'s FOR UPDATE waits
    for (and which then rereads the closed stage). SQLite: transactions are IMMEDIATE, writers run one by
    one, so the plain read is already current."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            table = connection.ops.quote_name(Contestant._meta.db_table)
            cur.execute(f"SELECT id FROM {table} WHERE id = %s FOR SHARE", [contestant_id])
    return Contestant.objects.select_related("arena", "unit").get(pk=contestant_id)


def _check_paper_judge(judge: Judge, contestant: Contestant) -> None:
    """Staff may type in a sheet only for a paper judge of this arena who may score this contestant (the
    phone's checks are in sheets.py)."""
    if judge.arena_id != contestant.arena_id:
        raise JudgeRefused("此评委不属于本场擂台赛", "This judge belongs to another arena")
    if not judge.paper:
        raise JudgeRefused(f"评委 {judge.name} 使用手机评分，不能录入纸质评分表",
                           f"Judge {judge.name} scores by phone: no paper sheet can be entered")
    if is_recused(judge, contestant):
        raise JudgeRefused(f"您与{contestant.unit.name}有关联，需回避，不能为其打分",
                           f"You are tied to {contestant.unit.name} and must not score it")


def check_open(contestant: Contestant, *, paper: bool = False) -> None:
    refuse_if_published(contestant.arena)
    # A paper sheet is written while scoring is open and may be typed in after it closes, until the reveal.
    if can_score(contestant.stage) or (paper and contestant.stage == SCORING_CLOSED):
        return
    if contestant.scoring_closed_at is not None:
        raise ScoringClosed(f"{contestant.unit.name}的评分已结束，评分表不能再修改",
                            f"Scoring for {contestant.unit.name} is closed: sheets can no longer change")
    raise ScoringClosed(f"{contestant.unit.name}的评分尚未开始", f"Scoring for {contestant.unit.name} has not opened")


def _store_revision(revision: ScoreSheetRevision, judge: Judge, contestant: Contestant) -> None:
    """Insert a paper sheet's revision with its receipt and its chain entry (the caller holds the arena lock)."""
    receipts.stamp(revision, contestant.arena_id, judge.anon_code, contestant.unit.code)
    revision.save()
    receipts.chain_sheets(contestant.arena_id, [(judge.anon_code, contestant.unit.code, revision, "paper")],
                          at=revision.at)


@transaction.atomic
def enter_paper_sheet(user, judge, contestant, scores) -> ScoreSheet:
    """A staff member types in a paper judge's sheet; it counts only once a second staff member confirms it."""
    require_organizer(user)
    lock_arena(contestant.arena)
    judge = Judge.objects.select_for_update().get(pk=judge.pk)
    contestant = _lock_stage(contestant.pk)
    _check_paper_judge(judge, contestant)
    check_open(contestant, paper=True)
    clean, total = clean_scores(scores, rubric_of(contestant.arena))
    sheet = ScoreSheet.objects.filter(judge=judge, contestant=contestant).first()
    if sheet is None:
        sheet = ScoreSheet.objects.create(arena_id=contestant.arena_id, judge=judge, contestant=contestant, scores=clean,
                                          total=total, status=ScoreSheet.Status.PENDING, source="paper",
                                          entered_by=actor(user), version=1)
    elif sheet.status == ScoreSheet.Status.FINAL:
        raise LeitaiError(f"评委 {judge.name} 对{contestant.unit.name}的纸质评分表已复核，不能再修改",
                          f"Judge {judge.name}'s paper sheet for {contestant.unit.name} is confirmed and final")
    else:
        sheet.scores, sheet.total, sheet.version, sheet.entered_by = clean, total, sheet.version + 1, actor(user)
        sheet.save(update_fields=["scores", "total", "version", "entered_by", "updated_at"])
    _store_revision(ScoreSheetRevision(sheet=sheet, version=sheet.version, scores=clean, by_user=actor(user),
                                       action="enter"), judge, contestant)
    record_event(contestant.arena, "paper_entered", user, judge=judge.anon_code, contestant=contestant.pk)
    return sheet


@transaction.atomic
def confirm_paper_sheet(user, sheet, scores=None) -> ScoreSheet:
    """A second staff member confirms a paper sheet (never the one who typed it); it then counts.

    scores: the confirmer's own reading of the paper; when given it must match what was entered."""
    require_organizer(user)
    lock_arena(sheet.arena)
    sheet = (ScoreSheet.objects.select_for_update(of=("self",)).select_related("judge", "contestant__unit")
             .get(pk=sheet.pk))
    contestant = _lock_stage(sheet.contestant_id)
    if sheet.status != ScoreSheet.Status.PENDING:
        raise LeitaiError("该评分表已复核", "This sheet is already confirmed")
    if sheet.entered_by_id == user.pk:
        raise LeitaiError("录入人不能复核自己录入的评分表，请由另一位工作人员复核",
                          "The person who entered a sheet cannot confirm it: ask a second staff member")
    check_open(contestant, paper=True)
    if scores is not None:
        clean, _ = clean_scores(scores, rubric_of(contestant.arena))
        if clean != sheet.scores:
            differ = sorted(k for k in set(clean) | set(sheet.scores) if clean.get(k) != sheet.scores.get(k))
            raise LeitaiError(f"复核分数与录入分数不一致：{'、'.join(differ)}，请核对纸质评分表",
                              f"The confirmation differs from the entry on {', '.join(differ)}: check the paper")
    sheet.status, sheet.confirmed_by, sheet.confirmed_at = ScoreSheet.Status.FINAL, user, timezone.now()
    sheet.version += 1
    sheet.save(update_fields=["status", "confirmed_by", "confirmed_at", "version", "updated_at"])
    _store_revision(ScoreSheetRevision(sheet=sheet, version=sheet.version, scores=sheet.scores, by_user=user,
                                       action="confirm"), sheet.judge, contestant)
    record_event(contestant.arena, "paper_confirmed", user, judge=sheet.judge.anon_code, contestant=contestant.pk)
    announce(contestant.arena)
    return sheet


__all__ = ["check_open", "clean_scores", "enter_paper_sheet", "confirm_paper_sheet"]
