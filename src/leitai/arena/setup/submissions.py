"""Before the day: each contestant's submission (highlights, shortcomings, measures, pledges, slides),
locked at the organizer's deadline."""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from leitai import audit
from leitai.accounts.permissions import can_edit_unit_data
from leitai.arena.base.events import announce, lock_arena, record_event, refuse_if_published
from leitai.arena.base.models import Arena
from leitai.arena.base.policies import require_organizer
from leitai.arena.setup.models import Submission, SubmissionItem, SubmissionVersion
from leitai.core.errors import LeitaiError
from leitai.indicators.models import Indicator, Period
from leitai.uploads import PDF_ONLY, check_upload

KINDS = dict(SubmissionItem.Kind.choices)


def _indicator(value) -> Indicator | None:
    if value in (None, ""):
        return None
    if isinstance(value, Indicator):
        return value
    found = Indicator.objects.filter(code=str(value).strip()).first()
    if found is None:
        raise LeitaiError(f"指标 {value} 不存在", f"Indicator {value} does not exist")
    return found


def _period(value) -> Period | None:
    if value in (None, ""):
        return None
    if isinstance(value, Period):
        return value
    found = Period.objects.filter(code=str(value).strip()).first()
    if found is None:
        raise LeitaiError(f"期限 {value} 不存在（应为期间编码，如 2024Q2、2024-06）",
                          f"Period {value} does not exist (a period code such as 2024Q2 or 2024-06)")
    return found


def _item(n: int, raw: dict) -> dict:
    where_zh, where_en = f"第 {n} 条", f"item {n}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise LeitaiError(f"{where_zh}：类别应为 {'、'.join(str(v) for v in KINDS.values())}",
                          f"{where_en}: kind must be one of {', '.join(KINDS)}")
    text = str(raw.get("text") or "").strip()
    if not text:
        raise LeitaiError(f"{where_zh}：内容不能为空", f"{where_en}: the text is empty")
    try:
        indicator, deadline = _indicator(raw.get("indicator")), _period(raw.get("deadline"))
    except LeitaiError as e:
        raise LeitaiError(f"{where_zh}：{e.zh}", f"{where_en}: {e.en}") from None
    comparison = str(raw.get("comparison") or "")
    target = raw.get("target_value")
    if target in ("", None):
        target = None
    elif isinstance(target, bool) or not isinstance(target, int | float) or not math.isfinite(target):
        raise LeitaiError(f"{where_zh}：目标值应为数字", f"{where_en}: the target must be a number")
    if indicator is not None and kind != SubmissionItem.Kind.PLEDGE:
        raise LeitaiError(f"{where_zh}：只有承诺可以关联指标", f"{where_en}: only a pledge can name an indicator")
    if indicator is not None and (comparison not in SubmissionItem.Comparison.values or target is None):
        raise LeitaiError(f"{where_zh}：关联指标的承诺须写明比较方式（≥、≤、=）和目标值",
                          f"{where_en}: a pledge on an indicator needs a comparison (ge/le/eq) and a target value")
    return {"kind": kind, "text": text, "indicator": indicator, "comparison": comparison if indicator else "",
            "target_value": target if indicator else None, "deadline": deadline,
            "sort_order": n}


def _check_slides(slides, arena) -> None:
    """A PDF (by content, not by name) within the arena's size limit: leitai.uploads decides."""
    check_upload(slides, PDF_ONLY, arena.max_slides_mb)


def snapshot(submission: Submission) -> list[dict]:
    """A submission's lines as a version keeps them (indicators and periods by code)."""
    return [{"kind": i.kind, "text": i.text, "indicator": i.indicator.code if i.indicator_id else None,
             "comparison": i.comparison, "target_value": i.target_value,
             "deadline": i.deadline.code if i.deadline_id else None}
            for i in submission.items.select_related("indicator", "deadline").order_by("kind", "sort_order", "id")]


def _keep_version(submission: Submission, user, items: list[dict]) -> SubmissionVersion:
    last = submission.versions.order_by("-number").first()
    return SubmissionVersion.objects.create(submission=submission, number=(last.number if last else 0) + 1,
                                            items=items, slides_name=submission.slides_name, saved_by=user)


@transaction.atomic
def save_submission(contestant, user, items: list[dict], slides=None) -> Submission:
    """Replace a contestant's submission items (and the slides when given): the reporter of its unit or an
    organizer, until the deadline or the lock. Every save is kept as a numbered version (SubmissionVersion),
    so a later save never loses an earlier one.

    items: [{kind, text, indicator?, comparison?, target_value?, deadline?}] (indicator/deadline by code)."""
    if not can_edit_unit_data(user, contestant.unit):
        raise PermissionDenied("not this unit's reporter")
    arena = lock_arena(contestant.arena)
    refuse_if_published(arena)
    if arena.status != Arena.Status.SETUP:
        raise LeitaiError("擂台赛已开始，参赛材料已锁定，不能再修改", "The arena has started: submissions are locked")
    submission, _ = Submission.objects.get_or_create(contestant=contestant)
    if submission.locked:
        raise LeitaiError("参赛材料已锁定，不能再修改", "The submission is locked")
    if arena.submission_deadline and timezone.now() > arena.submission_deadline:
        raise LeitaiError("已过材料提交截止时间", "The submission deadline has passed")
    cleaned = [_item(n, raw) for n, raw in enumerate(items or [], 1)]
    if not submission.versions.exists() and (submission.items.exists() or submission.slides_name):
        _keep_version(submission, submission.updated_by, snapshot(submission))  # saved before versions were kept
    if slides:  # None or False (a form's empty file field): keep the slides already there
        _check_slides(slides, arena)
        submission.slides.save(f"{contestant.unit.code}.pdf", slides, save=False)
        submission.slides_name = str(slides.name)[:200]
    submission.items.all().delete()
    for item in cleaned:
        SubmissionItem.objects.create(submission=submission, **item)
    submission.updated_by = user
    submission.save()
    version = _keep_version(submission, user, snapshot(submission))
    record_event(arena, "submission_saved", user, contestant=contestant.pk, items=len(cleaned),
                 slides=bool(submission.slides), version=version.number)
    return submission


@transaction.atomic
def lock_submissions(arena, user) -> int:
    """Lock every contestant's submission now (the deadline becomes now if it was later); returns the count."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    now = timezone.now()
    for contestant in arena.contestants.all():
        Submission.objects.get_or_create(contestant=contestant)
    locking = list(Submission.objects.filter(contestant__arena=arena, locked=False).values_list("pk", flat=True))
    count = Submission.objects.filter(pk__in=locking).update(locked=True)
    if locking:
        audit.record_batch(Submission, "update", [{"id": pk, "locked": True} for pk in locking])
    if arena.submission_deadline is None or arena.submission_deadline > now:
        arena.submission_deadline = now
        arena.save(update_fields=["submission_deadline"])
    record_event(arena, "submissions_locked", user, count=count)
    announce(arena)
    return count


@transaction.atomic
def set_submission_deadline(arena, user, deadline, *, max_slides_mb=None) -> Arena:
    """Set (or clear, with None) the deadline for contestants' submissions and the slides' size limit."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    if max_slides_mb is not None:
        if isinstance(max_slides_mb, bool) or not isinstance(max_slides_mb, int) or not 1 <= max_slides_mb <= 200:
            raise LeitaiError("汇报材料大小上限应为 1–200 MB", "The slides limit must be 1–200 MB")
        arena.max_slides_mb = max_slides_mb
    arena.submission_deadline = deadline
    arena.save(update_fields=["submission_deadline", "max_slides_mb"])
    record_event(arena, "deadline_set", user, deadline=deadline.isoformat() if deadline else None,
                 max_slides_mb=arena.max_slides_mb)
    return arena
