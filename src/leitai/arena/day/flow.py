"""Running the day: the organizer's console moves contestants through the stages and reveals results;
questions, comments and shortcomings are recorded as they happen."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from leitai import uploads
from leitai.arena.base.events import QuorumNotMet, announce, lock_arena, record_event, refuse_if_published
from leitai.arena.base.models import Arena
from leitai.arena.base.policies import actor, require_organizer
from leitai.arena.day.models import Comment, FloorRequest, Question, Shortcoming
from leitai.arena.day.selectors import final_sheets, gap_text, ranking_rows, unexcused_gaps
from leitai.arena.setup.models import Contestant, Judge
from leitai.arena.setup.selectors import links_of, rubric_of
from leitai.core.errors import LeitaiError
from leitai.core.judging import flow as arena_flow
from leitai.core.judging.flow import (
    ACTIVE,
    ON_STAGE,
    QUESTIONS,
    REVEALED,
    SCORING_CLOSED,
    SCORING_OPEN,
    SPEECH,
    FlowError,
)
from leitai.core.judging.tally import rank_scores, tally

DONE = (SCORING_CLOSED, REVEALED)


def check_quorum(arena, contestants, user, reason, action: str) -> list[dict]:
    """Refuse (QuorumNotMet) when a judge group of these contestants is below the arena's quorum, unless the
    organizer gives a reason: then the override is logged ("quorum_override": action, reason, the gaps) and
    shown on the results page. Contestants already overridden at their reveal are not asked again."""
    gaps = unexcused_gaps(arena, contestants)
    if not gaps:
        return []
    reason = str(reason or "").strip()
    verb_zh, verb_en = {"publish": ("发布", "publish")}.get(action, ("揭晓", "reveal"))
    if not reason:
        raise QuorumNotMet(
            f"评分表不足法定份数，不能{verb_zh}：{'；'.join(gap_text(g) for g in gaps)}。"
            f"请等待评委提交，或填写理由后强制{verb_zh}",
            f"Too few sheets to {verb_en}: {'; '.join(gap_text(g, 'en') for g in gaps)}. "
            f"Wait for the judges, or give a reason to {verb_en} anyway", gaps)
    if len(reason) > 500:
        raise LeitaiError("理由不能超过 500 字", "The reason cannot exceed 500 characters")
    record_event(arena, "quorum_override", user, action=action, reason=reason,
                 contestants=sorted({g["contestant"] for g in gaps}, key=lambda c: (c is None, c or 0)),
                 gaps=gaps)
    return gaps


@transaction.atomic
def advance(contestant, target_stage, user, override_reason: str = "") -> Contestant:
    """Move a contestant to the next stage (core.arena_flow rules): one on stage at a time, timestamps
    recorded, scoring closed freezes its sheets, results revealed only after closing — and only with every
    judge group at the quorum, or with the organizer's reason (check_quorum)."""
    require_organizer(user)
    arena = lock_arena(contestant.arena)
    refuse_if_published(arena)
    contestant = Contestant.objects.select_for_update(of=("self",)).select_related("unit").get(pk=contestant.pk)
    others = arena.contestants.exclude(pk=contestant.pk)
    if target_stage == REVEALED and arena.reveal_mode == Arena.RevealMode.END:
        raise FlowError("本场设定为最后统一揭晓：请在所有选手评分结束后使用“统一揭晓”",
                        "Results are held to the end: reveal them all together once every scoring is closed")
    arena_flow.check_transition(contestant.stage, target_stage, other_active=others.filter(stage__in=ACTIVE).exists(),
                                reveal_mode=arena.reveal_mode, mode=arena.scoring_mode)
    if target_stage == REVEALED:
        refuse_pending_paper(arena, [contestant])
        check_quorum(arena, [contestant], user, override_reason, "reveal")
    if target_stage not in (ON_STAGE, SPEECH, QUESTIONS):
        close_floor(contestant)
    now = timezone.now()
    previous = contestant.stage
    contestant.stage, contestant.stage_changed_at = target_stage, now
    fields = ["stage", "stage_changed_at"]
    stamp = {SPEECH: "speech_started_at", SCORING_OPEN: "scoring_opened_at", SCORING_CLOSED: "scoring_closed_at"}
    if target_stage in stamp:
        setattr(contestant, stamp[target_stage], now)
        fields.append(stamp[target_stage])
    contestant.save(update_fields=fields)
    if target_stage == REVEALED:
        store_revealed(arena, {contestant.pk})
        contestant.refresh_from_db(fields=["score", "rank", "group_scores"])
    _update_status(arena)
    record_event(arena, "stage", user, contestant=contestant.pk, unit=contestant.unit.code, previous=previous,
                 stage=target_stage)
    announce(arena)
    return contestant


def close_floor(contestant) -> int:
    """The question queue (day/floor.py) ends with the questions: refused while an asker holds the floor;
    hands still waiting lapse (未轮到). Returns how many lapsed."""
    if FloorRequest.objects.filter(contestant=contestant, status=FloorRequest.Status.SPEAKING).exists():
        raise FlowError("还有提问人正在发言：请先在提问队列中记录并结束这次提问",
                        "An asker still holds the floor: record and end that question in the queue first")
    return FloorRequest.objects.filter(contestant=contestant, status=FloorRequest.Status.WAITING).update(
        status=FloorRequest.Status.LAPSED, ended_at=timezone.now())


@transaction.atomic
def reopen_scoring(contestant, user, reason: str) -> Contestant:
    """重新打开评分: scoring closed too early goes back to open for this contestant, with the organizer's
    reason, until its result is revealed (and while no one else holds the stage). Sheets already in stay;
    judges may submit or change theirs again. Logged ("scoring_reopened"); the phones follow the live state."""
    require_organizer(user)
    arena = lock_arena(contestant.arena)
    refuse_if_published(arena)
    contestant = Contestant.objects.select_for_update(of=("self",)).select_related("unit").get(pk=contestant.pk)
    if arena.scoring_mode == arena_flow.RANK:
        raise FlowError("排序测评不逐个评分，无需重新打开", "A ranking arena has no scoring per contestant to reopen")
    if contestant.stage == REVEALED:
        raise FlowError(f"{contestant.unit.name}的结果已揭晓，不能再重新打开评分",
                        f"The result of {contestant.unit.name} is revealed: scoring cannot reopen")
    if contestant.stage != SCORING_CLOSED:
        raise FlowError(f"{contestant.unit.name}的评分尚未结束，无需重新打开",
                        f"Scoring is not closed for {contestant.unit.name}")
    if arena.contestants.exclude(pk=contestant.pk).filter(stage__in=ACTIVE).exists():
        raise FlowError("另一位选手正在台上，请先结束其评分再重新打开", "Another contestant holds the stage")
    reason = _text(reason, "重新打开评分的理由", "The reason for reopening")
    if len(reason) > 500:
        raise LeitaiError("理由不能超过 500 字", "The reason cannot exceed 500 characters")
    now = timezone.now()
    contestant.stage, contestant.stage_changed_at = SCORING_OPEN, now
    contestant.save(update_fields=["stage", "stage_changed_at"])
    _update_status(arena)
    record_event(arena, "scoring_reopened", user, contestant=contestant.pk, unit=contestant.unit.code,
                 previous=SCORING_CLOSED, stage=SCORING_OPEN, reason=reason)
    announce(arena)
    return contestant


def _update_status(arena) -> None:
    """setup → live when the first contestant leaves waiting; → finished once every scoring is closed."""
    stages = list(arena.contestants.values_list("stage", flat=True))
    status = arena.status
    if stages and all(s in DONE for s in stages):
        status = Arena.Status.FINISHED
    elif any(s != arena_flow.WAITING for s in stages):
        status = Arena.Status.LIVE
    if status != arena.status:
        arena.status = status
        arena.save(update_fields=["status"])


@transaction.atomic
def reveal_all(arena, user, override_reason: str = "") -> Arena:
    """Reveal every contestant's result together (reveal_mode "end"), once every scoring is closed and every
    judge group is at the quorum (or with the organizer's reason, check_quorum)."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    contestants = list(arena.contestants.select_for_update(of=("self",)).select_related("unit"))
    if arena.scoring_mode == arena_flow.RANK and arena.ranking_state != "closed":
        raise FlowError("请先结束排序测评再揭晓", "Close the ranking before revealing the results")
    open_ = [c.unit.name for c in contestants if c.stage not in DONE]
    if not contestants or open_:
        raise FlowError(f"还有选手评分未结束：{'、'.join(open_) or '没有参赛单位'}",
                        f"Scoring is not closed for: {', '.join(open_) or 'no contestants'}")
    refuse_pending_paper(arena, contestants)
    check_quorum(arena, [c for c in contestants if c.stage != REVEALED], user, override_reason, "reveal")
    now = timezone.now()
    newly = set()
    for c in contestants:
        if c.stage != REVEALED:
            c.stage, c.stage_changed_at = REVEALED, now
            c.save(update_fields=["stage", "stage_changed_at"])
            newly.add(c.pk)
    store_revealed(arena, newly)
    _update_status(arena)
    record_event(arena, "revealed_all", user)
    announce(arena)
    return arena


def _text(text, zh: str, en: str) -> str:
    text = str(text or "").strip()
    if not text:
        raise LeitaiError(f"{zh}不能为空", f"{en} cannot be empty")
    return text


def _judge_of(arena_id: int, judge) -> Judge | None:
    if judge is not None and judge.arena_id != arena_id:
        raise LeitaiError("该评委不属于本场擂台赛", "The judge belongs to another arena")
    return judge


@transaction.atomic
def record_question(contestant, user, text, *, judge=None, asker="", answer="") -> Question:
    """Record a question put to the contestant on stage (考问): who asked it and the answer's gist. Refused once
    the arena is published (the published record is closed; Published, the API's 409)."""
    require_organizer(user)
    refuse_if_published(lock_arena(contestant.arena))
    q = Question.objects.create(contestant=contestant, judge=_judge_of(contestant.arena_id, judge),
                                asker=str(asker or "")[:80] or (judge.name if judge else ""),
                                text=_text(text, "问题", "The question"), answer=str(answer or "").strip(),
                                recorded_by=actor(user))
    record_event(contestant.arena, "question", user, contestant=contestant.pk, question=q.pk)
    announce(contestant.arena)
    return q


@transaction.atomic
def record_comment(contestant, user, text, *, judge=None, author="") -> Comment:
    """Record a leader's comment (点评) on the contestant; refused once the arena is published."""
    require_organizer(user)
    refuse_if_published(lock_arena(contestant.arena))
    c = Comment.objects.create(contestant=contestant, judge=_judge_of(contestant.arena_id, judge),
                               author=str(author or "")[:80] or (judge.name if judge else ""),
                               text=_text(text, "点评内容", "The comment"), recorded_by=actor(user))
    record_event(contestant.arena, "comment", user, contestant=contestant.pk, comment=c.pk)
    announce(contestant.arena)
    return c


@transaction.atomic
def raise_shortcoming(arena, user, text, responsible_unit, deadline, *, contestant=None, comment=None) -> Shortcoming:
    """Record a shortcoming with a responsible unit and a deadline, from a comment or on its own."""
    require_organizer(user)
    arena = lock_arena(arena)
    if comment is not None:
        if comment.contestant.arena_id != arena.pk:
            raise LeitaiError("该点评不属于本场擂台赛", "The comment belongs to another arena")
        if contestant is not None and contestant.pk != comment.contestant_id:
            raise LeitaiError("点评与参赛单位不一致", "The comment is about another contestant")
        contestant = comment.contestant
    if contestant is not None and contestant.arena_id != arena.pk:
        raise LeitaiError("该参赛单位不属于本场擂台赛", "The contestant belongs to another arena")
    if responsible_unit is None:
        raise LeitaiError("请指定责任单位", "Choose the responsible unit")
    if isinstance(deadline, dt.datetime) or not isinstance(deadline, dt.date):
        raise LeitaiError("整改期限应为日期", "The deadline must be a date")
    s = Shortcoming.objects.create(arena=arena, contestant=contestant, comment=comment,
                                   text=_text(text, "问题描述", "The shortcoming"), responsible_unit=responsible_unit,
                                   deadline=deadline, created_by=actor(user))
    record_event(arena, "shortcoming", user, shortcoming=s.pk, unit=responsible_unit.code,
                 deadline=deadline.isoformat())
    return s


@transaction.atomic
def show_slides(contestant, user, page: int) -> Contestant:
    """Put page `page` of the contestant's slides on the big screen (0 takes them down): organizers, while
    the contestant holds the stage. Logged; the screens follow through the live state."""
    require_organizer(user)
    arena = lock_arena(contestant.arena)
    c = Contestant.objects.select_for_update(of=("self",)).select_related("submission", "unit").get(pk=contestant.pk)
    if c.stage not in arena_flow.ACTIVE:
        raise LeitaiError("只有台上的选手可以放映汇报材料", "Only the contestant on stage can show slides")
    if isinstance(page, bool) or not isinstance(page, int) or page < 0:
        raise LeitaiError("页码应为非负整数", "The page must be a whole number")
    if page:
        submission = getattr(c, "submission", None)
        if submission is None or not submission.slides:
            raise LeitaiError(f"{c.unit.name}没有上传汇报材料", f"{c.unit.name} uploaded no slides")
        pages = c.slide_pages or uploads.pdf_page_count(submission.slides)
        if page > pages:
            raise LeitaiError(f"汇报材料共 {pages} 页", f"The slides have {pages} pages")
        c.slide_pages = pages
    c.slide_page = page
    c.save(update_fields=["slide_page", "slide_pages"])
    record_event(arena, "slides", user, contestant=c.pk, page=page)
    announce(arena)
    return c


def refuse_pending_paper(arena, contestants=None) -> None:
    """Results wait for every paper sheet to be confirmed, so a revealed score is the published one."""
    from leitai.arena.day.selectors import pending_paper_sheets

    pending = pending_paper_sheets(arena, contestants)
    if pending:
        zh = "、".join(f"{s.judge.anon_code} {s.judge.name} → {s.contestant.unit.name}" for s in pending)
        en = ", ".join(f"{s.judge.anon_code} → {s.contestant.unit.code}" for s in pending)
        raise LeitaiError(f"还有 {len(pending)} 份纸质评分表待复核：{zh}",
                          f"{len(pending)} paper sheet(s) still await confirmation: {en}")


def store_revealed(arena, newly: set[int] | None = None) -> None:
    """Write score, group scores and the rank among the revealed so far onto each revealed contestant
    (`newly`: the ids revealed just now, whose scores are not stored yet; None adds up every revealed one).

    Their sheets are frozen (scoring closed), so the score is already the final one; only the rank can
    still move as others are revealed. publish_results writes the final ranks."""
    if arena.scoring_mode == "rank":
        rows = ranking_rows(arena)
        for c in arena.contestants.filter(stage=REVEALED).select_related("unit"):
            row = rows.get(c.unit.code, {})
            c.score, c.rank, c.group_scores = row.get("score"), row.get("rank"), row.get("groups", {})
            c.save(update_fields=["score", "rank", "group_scores"])
        return
    revealed = list(arena.contestants.filter(stage=REVEALED).select_related("unit").order_by("order", "id"))
    if not revealed:
        return
    # A revealed contestant's sheets stay frozen (scoring never reopens after a reveal), so its score is added up
    # once, at its own reveal; the ranks among all revealed then come from the stored scores by the tally's own
    # rule (rank_scores). The sixth reveal of a day costs what the first does (bench/bench_arena.py).
    rubric = rubric_of(arena)
    fresh = [c for c in revealed if c.pk in newly] if newly is not None else revealed
    if rubric.calibration is not None:
        # A calibrated tally evens out each judge over all their sheets: every revealed score is recomputed
        # from the sheets of everyone revealed so far (provisional until publication, which uses them all).
        fresh = revealed
    if fresh:
        links = links_of(arena) if rubric.calibration is not None else None
        result = tally(final_sheets(arena, fresh), rubric, [c.unit.code for c in fresh], links=links)
        for c in fresh:
            row = result[c.unit.code]
            c.score, c.group_scores = row.score, row.group_scores
    ranks = rank_scores([c.score for c in revealed], [c.group_scores or {} for c in revealed], rubric.tie_break)
    for c, rank in zip(revealed, ranks, strict=True):
        if c in fresh:
            c.rank = rank or None
            c.save(update_fields=["score", "rank", "group_scores"])
        elif c.rank != (rank or None):
            c.rank = rank or None
            c.save(update_fields=["rank"])
