"""Pledges (军令状): entered directly or taken from an arena's submissions; judged from data when the
deadline period's figure arrives, or by the organizer with evidence when the pledge names no indicator."""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation

from leitai.accounts.permissions import can_edit_unit_data
from leitai.core.errors import LeitaiError
from leitai.core.periods import label as period_label
from leitai.core.tracking import pledges as rules
from leitai.indicators.models import Observation
from leitai.uploads import DOCUMENTS, check_upload

from ..base.services import actor, notify, require_organizer, text_required
from ..models import Comparison, Pledge
from .checks import check_shape, judge_checks
from .references import checked_reference, judge_reference_pledges

SIGNS = dict(Comparison.choices)
EVIDENCE_MB = 20


def checked_target(indicator, comparison, target_value, deadline) -> tuple[str, float | None]:
    if indicator is None:
        return "", None
    if comparison not in Comparison.values:
        raise LeitaiError("关联指标的承诺须写明比较方式（≥、≤、=）", "A pledge on an indicator needs a comparison (ge/le/eq)")
    if isinstance(target_value, bool) or not isinstance(target_value, int | float) or not math.isfinite(target_value):
        raise LeitaiError("关联指标的承诺须写明目标值（数字）", "A pledge on an indicator needs a numeric target")
    if deadline is None:
        raise LeitaiError("关联指标的承诺须写明兑现期限（期间）", "A pledge on an indicator needs a deadline period")
    return comparison, float(target_value)


@transaction.atomic
def create_pledge(user, *, unit, text, person=None, indicator=None, comparison="", target_value=None,
                  deadline=None, made_on=None, public=True, repeat="", repeat_start=None, project_batch="",
                  project_stage="", reference="", reference_peer=None) -> Pledge:
    """Record a pledge directly: the organizer, or the unit's own reporter. With `repeat="monthly"` each month
    from `repeat_start` to `deadline` is judged; with `project_batch` the figure is the batch's count of
    projects at `project_stage` (pledges.checks)."""
    if user is None or unit is None or not can_edit_unit_data(user, unit):
        raise PermissionDenied("not this unit's reporter")
    text = text_required(text, "承诺内容", "The pledge")
    if reference:  # 超过全省平均, 达到全省前N, 超过<外地对标单位>: judged from the reference series
        if repeat or project_batch:
            raise LeitaiError("对标的承诺不能每月核验或关联重大项目", "A pledge against a reference neither repeats nor names projects")
        shape = checked_reference(indicator, reference, target_value, deadline, reference_peer)
        return Pledge.objects.create(unit=unit, person=person, text=text, indicator=indicator, deadline=deadline,
                                     source=Pledge.Source.MANUAL, made_on=made_on or timezone.localdate(),
                                     public=bool(public), created_by=actor(user), **shape)
    if repeat or project_batch:
        shape = check_shape(indicator=indicator, comparison=comparison, target_value=target_value, deadline=deadline,
                            repeat=repeat, repeat_start=repeat_start, project_batch=project_batch,
                            project_stage=project_stage)
        return Pledge.objects.create(unit=unit, person=person, text=text, indicator=indicator, deadline=deadline,
                                     source=Pledge.Source.MANUAL, made_on=made_on or timezone.localdate(),
                                     public=bool(public), created_by=actor(user), **shape)
    comparison, target = checked_target(indicator, comparison, target_value, deadline)
    return Pledge.objects.create(unit=unit, person=person, text=text, indicator=indicator, comparison=comparison,
                                 target_value=target, deadline=deadline, source=Pledge.Source.MANUAL,
                                 made_on=made_on or timezone.localdate(), public=bool(public), created_by=actor(user))


def _note(p: Pledge, value: float, status: str, obs_status: str) -> str:
    ind = p.indicator
    result = "已兑现" if status == rules.KEPT else "未兑现"
    provisional = "（初步数）" if obs_status == "provisional" else ""
    return (f"{period_label(p.deadline.code)}{ind.name}为 {value:g}{ind.measure}{provisional}，"
            f"承诺{SIGNS[p.comparison]} {p.target_value:g}{ind.measure}，{result}")


def _note_en(p: Pledge, value: float, status: str, obs_status: str) -> str:
    ind = p.indicator
    result = "kept" if status == rules.KEPT else "missed"
    provisional = " (provisional)" if obs_status == "provisional" else ""
    measure = f" {ind.measure}" if ind.measure else ""
    return (f"{ind.name_en or ind.name} for {period_label(p.deadline.code, lang='en')}: {value:g}{measure}{provisional}; "
            f"pledged {SIGNS[p.comparison]} {p.target_value:g}{measure}: {result}")


@transaction.atomic
def judge_pledges(period=None, today=None) -> list[Pledge]:
    """Judge pending pledges on an indicator whose deadline period has ended and has a figure for the unit
    (only those due in `period` when given); returns the pledges judged, with the figure used."""
    today = today or timezone.localdate()
    # repeating pledges and pledges on key projects are judged period by period
    judged_by_period = judge_checks(today=today, period=period)
    # pledges against the province average, a provincial rank or an outside peer
    judged_by_period += judge_reference_pledges(today=today, period=period)
    qs = (Pledge.objects.select_for_update(of=("self",))
          .filter(status=Pledge.Status.PENDING, indicator__isnull=False, deadline__isnull=False,
                  target_value__isnull=False, deadline__end__lte=today, repeat="", project_batch="", reference="")
          .select_related("indicator", "deadline"))
    if period is not None:
        qs = qs.filter(deadline=period)
    pending = list(qs)
    if not pending:
        return judged_by_period
    figures = {(u, i, p): (v, s) for u, i, p, v, s in Observation.objects.filter(
        unit_id__in={p.unit_id for p in pending}, indicator_id__in={p.indicator_id for p in pending},
        period_id__in={p.deadline_id for p in pending}, value__isnull=False,
    ).values_list("unit_id", "indicator_id", "period_id", "value", "status")}
    now, judged = timezone.now(), []
    for p in pending:
        found = figures.get((p.unit_id, p.indicator_id, p.deadline_id))
        if found is None:
            continue
        value, obs_status = found
        p.status = rules.verdict(value, p.comparison, p.target_value)
        p.verdict_value, p.verdict_at, p.verdict_by = value, now, None
        p.verdict_note = _note(p, value, p.status, obs_status)
        p.verdict_note_en = _note_en(p, value, p.status, obs_status)
        judged.append(p)
    Pledge.objects.bulk_update(judged, ["status", "verdict_value", "verdict_note", "verdict_note_en", "verdict_at",
                                        "verdict_by"])
    for p in judged:
        notify(f"承诺核验：{p.text[:60]}——{p.verdict_note}", text_en=f"Pledge judged: {p.text[:60]} — {p.verdict_note_en}",
               unit=p.unit)
    return judged_by_period + judged


@transaction.atomic
def judge_pledge_manually(user, pledge, status, note, evidence=None) -> Pledge:
    """The organizer's verdict, with a note and evidence, on a pledge that names no indicator."""
    require_organizer(user)
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.indicator_id is not None or pledge.project_batch:
        raise LeitaiError("该承诺关联了指标或重大项目，由数据自动核验",
                          "This pledge names an indicator or key projects: it is judged from the data")
    if pledge.status != Pledge.Status.PENDING:
        raise LeitaiError("该承诺已核验", "This pledge has already been judged")
    if status not in (Pledge.Status.KEPT, Pledge.Status.MISSED):
        raise LeitaiError("核验结果应为“已兑现”或“未兑现”", "The verdict must be kept or missed")
    pledge.status = status
    pledge.verdict_note = text_required(note, "核验说明", "The note")
    if evidence:
        check_upload(evidence, DOCUMENTS, EVIDENCE_MB)
        pledge.verdict_evidence.save(str(evidence.name), evidence, save=False)
    pledge.verdict_at, pledge.verdict_by = timezone.now(), user
    pledge.save()
    with translation.override("zh-hans"):
        zh = str(pledge.get_status_display())
    with translation.override("en"):
        en = str(pledge.get_status_display())
    notify(f"承诺核验：{pledge.text[:60]}——{zh}", text_en=f"Pledge judged: {pledge.text[:60]} — {en}", unit=pledge.unit)
    return pledge
