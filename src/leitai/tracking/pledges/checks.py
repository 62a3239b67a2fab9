"""Pledges judged period by period: a repeating pledge (每月…) is judged each month from its first month to
its deadline, and a pledge on key projects (确保上半年开工83个) from the count of a project batch's projects
that reached the stage. Each judged period is a PledgeCheck (never changed); the pledge is missed at the
first missed month and kept once every month is kept (core.pledges.overall)."""

from __future__ import annotations

import math

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from leitai.core.errors import LeitaiError
from leitai.core.periods import label as period_label
from leitai.core.tracking import pledges as rules
from leitai.indicators.models import Observation, Period
from leitai.indicators.services import ensure_period
from leitai.units.selectors import within

from ..base.services import notify
from ..models import KeyProject, Pledge, PledgeCheck

STAGE_DATE = {"signed": "actual_sign", "started": "actual_start", "completed": "actual_complete"}
STAGE_LABEL = {"signed": ("签约", "signed"), "started": ("开工", "started"), "completed": ("竣工投产", "completed")}
SIGNS = {"ge": "≥", "le": "≤", "eq": "="}


def check_shape(*, indicator, comparison, target_value, deadline, repeat="", repeat_start=None, project_batch="",
                project_stage="") -> dict:
    """The checked fields of a repeating or project pledge (LeitaiError naming what is missing)."""
    project_batch = str(project_batch or "").strip()
    if repeat not in (rules.ONCE, rules.MONTHLY):
        raise LeitaiError(f"重复方式 {repeat} 无法识别", f"Unknown repeat {repeat}")
    if project_batch:
        if indicator is not None:
            raise LeitaiError("承诺不能同时关联指标和重大项目批次", "A pledge names either an indicator or a project batch")
        if not KeyProject.objects.filter(batch=project_batch).exists():
            raise LeitaiError(f"没有重大项目批次“{project_batch}”", f"No key-project batch '{project_batch}'")
        project_stage = project_stage or "started"
        if project_stage not in STAGE_DATE:
            raise LeitaiError("项目阶段应为签约、开工或竣工投产", "The stage must be signed, started or completed")
        comparison = comparison or "ge"
    if project_batch or repeat:
        if indicator is None and not project_batch:
            raise LeitaiError("每月核验的承诺须关联指标或重大项目批次", "A monthly pledge needs an indicator or a project batch")
        if comparison not in SIGNS:
            raise LeitaiError("请写明比较方式（≥、≤、=）", "Choose a comparison (ge/le/eq)")
        if isinstance(target_value, bool) or not isinstance(target_value, int | float) or not math.isfinite(target_value):
            raise LeitaiError("请写明目标值（数字，如项目个数）", "The target must be a number (e.g. a count of projects)")
        if deadline is None:
            raise LeitaiError("请写明兑现期限", "A deadline period is needed")
    if repeat == rules.MONTHLY:
        if deadline.kind != "month":
            raise LeitaiError("每月核验的承诺，期限应为最后一个月（如 2024-12）", "A monthly pledge's deadline is its last month (e.g. 2024-12)")
        repeat_start = repeat_start or deadline
        if repeat_start.kind != "month" or repeat_start.start > deadline.start:
            raise LeitaiError("首个核验月应为不晚于期限的月份", "The first month must be a month not after the deadline")
    else:
        repeat_start = None
    return {"repeat": repeat, "repeat_start": repeat_start, "project_batch": project_batch,
            "project_stage": project_stage if project_batch else "", "comparison": comparison,
            "target_value": None if target_value is None else float(target_value)}


def _months(p: Pledge) -> list[Period]:
    if p.repeat != rules.MONTHLY:
        return [p.deadline]
    first = p.repeat_start or p.deadline
    return [ensure_period(f"{y}-{m:02d}") for y, m in rules.months_between((first.year, first.number),
                                                                          (p.deadline.year, p.deadline.number))]


def _figure(p: Pledge, period: Period, units: set[int]) -> float | None:
    if p.project_batch:
        field = STAGE_DATE[p.project_stage or "started"]
        dates = KeyProject.objects.filter(batch=p.project_batch, unit_id__in=units).values_list(field, flat=True)
        # monthly: reached within the month; once: reached by the end of the deadline period
        start = period.start if p.repeat == rules.MONTHLY else None
        return float(rules.projects_reached(list(dates), start, period.end))
    obs = Observation.objects.filter(unit_id=p.unit_id, indicator_id=p.indicator_id, period=period,
                                     value__isnull=False).values_list("value", flat=True).first()
    return obs


def _what(p: Pledge) -> tuple[str, str]:
    if p.project_batch:
        zh, en = STAGE_LABEL[p.project_stage or "started"]
        return f"“{p.project_batch}”{zh}项目数", f"projects of '{p.project_batch}' {en}"
    return p.indicator.name, p.indicator.name_en or p.indicator.name


@transaction.atomic
def judge_checks(today=None, period=None) -> list[Pledge]:
    """Judge every due, unjudged month (or deadline) of pending repeating and project pledges; returns the
    pledges whose verdict changed."""
    today = today or timezone.localdate()
    pending = list(Pledge.objects.select_for_update(of=("self",))
                   .filter(Q(repeat=rules.MONTHLY) | ~Q(project_batch=""), status=Pledge.Status.PENDING,
                           deadline__isnull=False, target_value__isnull=False)
                   .select_related("indicator", "deadline", "repeat_start"))
    changed = []
    for p in pending:
        months = _months(p)
        done = {c.period_id: c for c in p.checks.all()}
        units = within([p.unit_id]) if p.project_batch else {p.unit_id}
        what_zh, what_en = _what(p)
        for m in months:
            if m.pk in done or m.end > today or (period is not None and m.pk != period.pk):
                continue
            value = _figure(p, m, units)
            if value is None:
                continue
            status = rules.verdict(value, p.comparison, p.target_value)
            done[m.pk] = PledgeCheck.objects.create(
                pledge=p, period=m, value=value, status=status,
                note=f"{period_label(m.code)}{what_zh} {value:g}，承诺{SIGNS[p.comparison]} {p.target_value:g}，"
                     f"{'已兑现' if status == rules.KEPT else '未兑现'}",
                note_en=f"{period_label(m.code, lang='en')}: {what_en} {value:g}, pledged {SIGNS[p.comparison]} "
                        f"{p.target_value:g}: {status}")
        checks = [done[m.pk].status for m in months if m.pk in done]
        verdict = rules.overall(checks, len(months))
        if verdict is None:
            continue
        last = [done[m.pk] for m in months if m.pk in done][-1]
        if verdict == rules.MISSED:
            last = next(done[m.pk] for m in months if m.pk in done and done[m.pk].status == rules.MISSED)
        n_kept = sum(1 for c in checks if c == rules.KEPT)
        p.status, p.verdict_value, p.verdict_at, p.verdict_by = verdict, last.value, timezone.now(), None
        if p.repeat == rules.MONTHLY:
            p.verdict_note = f"{len(months)} 个月中 {n_kept} 个月兑现；{last.note}"
            p.verdict_note_en = f"{n_kept} of {len(months)} months kept; {last.note_en}"
        else:
            p.verdict_note, p.verdict_note_en = last.note, last.note_en
        p.save(update_fields=["status", "verdict_value", "verdict_at", "verdict_by", "verdict_note", "verdict_note_en"])
        notify(f"承诺核验：{p.text[:60]}——{p.verdict_note}", text_en=f"Pledge judged: {p.text[:60]} — {p.verdict_note_en}",
               unit=p.unit)
        changed.append(p)
    return changed
