"""Writes for assessment plans, bonus/deduction items and rankings: one transaction per use case.

Pages, the API, the CLI and the demo generator all call these functions, so each rule lives here once.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from leitai.core.errors import LeitaiError
from leitai.core.periods import parse as parse_period
from leitai.core.ranking.index import FLAG_CATEGORY, IndexResult, compute_index, movement
from leitai.core.ranking.spec import parse_spec
from leitai.core.ranking.uncertainty import (
    UncertaintyParams,
    index_uncertainty,
    spec_params,
)
from leitai.indicators.models import Indicator, Observation
from leitai.units.models import Unit, UnitKind

from .exports import (  # noqa: F401
    export_bundle,
    interval_params_of,
    recompute_from_snapshot,
    result_from_rows,
    snapshot_matrix,
)
from .models import Adjustment, AssessmentPlan, PlanVersion, Ranking, RankingCorrection, RankingRow

__all__ = [
    "add_adjustment", "compute_ranking", "correct_ranking", "create_plan", "create_plan_version", "export_bundle",
    "publish_ranking", "recompute_from_snapshot", "result_from_rows", "validate_spec", "withdraw_adjustment",
]


def validate_spec(spec: dict) -> dict:
    """Check a plan spec and return its canonical JSON form (every default written out)."""
    parsed = parse_spec(spec)
    known = set(Indicator.objects.filter(code__in=parsed.indicator_codes).values_list("code", flat=True))
    unknown = [c for c in parsed.indicator_codes if c not in known]
    if unknown:
        raise LeitaiError(f"方案规则有误：指标 {', '.join(unknown)} 不存在（请先在指标库中建立）",
                          f"Invalid spec: indicator(s) {', '.join(unknown)} do not exist")
    out = parsed.to_dict()
    # A plan's own spec never carries bonus/deduction items: those are registered per period.
    out["adjustments"] = []
    # Its own rank-interval settings, when it has them (checked, canonical; `index compute` ignores them).
    if spec.get("uncertainty") is not None:
        params = spec_params(spec["uncertainty"], 0)
        out["uncertainty"] = {"draws": params.draws, "jitter": params.jitter, "alternatives": list(params.alternatives)}
    return out


def _check_kinds(unit_kinds) -> list[str]:
    kinds = [str(k) for k in (unit_kinds or [])]
    bad = [k for k in kinds if k not in UnitKind.values]
    if not kinds or bad:
        raise LeitaiError(f"参评单位类型有误：{', '.join(bad) or '未选择'}（可选 {', '.join(UnitKind.values)}）",
                          f"Invalid unit kinds: {', '.join(bad) or 'none chosen'}")
    return kinds


@transaction.atomic
def create_plan(code, name, unit_kinds, spec: dict, user=None, description="") -> AssessmentPlan:
    """Create an assessment plan (考核方案) with its first rules version."""
    code, name = str(code).strip(), str(name).strip()
    if not code or not name:
        raise LeitaiError("方案编码和名称不能为空", "A plan needs a code and a name")
    if AssessmentPlan.objects.filter(code=code).exists():
        raise LeitaiError(f"方案编码 {code} 已存在", f"Plan code {code} already exists")
    kinds = _check_kinds(unit_kinds)
    canonical = validate_spec(spec)
    plan = AssessmentPlan.objects.create(code=code, name=name, unit_kinds=kinds, description=description)
    PlanVersion.objects.create(plan=plan, number=1, spec=canonical, note="初始版本", created_by=_user(user))
    return plan


@transaction.atomic
def create_plan_version(plan, spec: dict, user=None, note="") -> PlanVersion:
    """Add a new rules version to a plan; earlier versions and the rankings that used them never change."""
    canonical = validate_spec(spec)
    # Lock the plan row so two editors cannot both take the same version number.
    AssessmentPlan.objects.select_for_update().get(pk=plan.pk)
    last = plan.versions.aggregate(n=Max("number"))["n"] or 0
    return PlanVersion.objects.create(plan=plan, number=last + 1, spec=canonical, note=note[:200],
                                      created_by=_user(user))


@transaction.atomic
def add_adjustment(unit, period, points, reason, plan=None, user=None, source="manual") -> Adjustment:
    """Register a bonus (+) or deduction (−) for a unit in a period, with its reason."""
    if isinstance(points, bool) or not isinstance(points, int | float) or not math.isfinite(points) or points == 0:
        raise LeitaiError(f"加减分分值应为非零数字，实为 {points!r}", f"Points must be a non-zero number, got {points!r}")
    reason = str(reason or "").strip()
    if not reason:
        raise LeitaiError("加减分事项必须写明事由", "A bonus or deduction needs a reason")
    if plan is not None and unit.kind not in plan.unit_kinds:
        raise LeitaiError(f"{unit.name} 不参加方案“{plan.name}”的排名", f"{unit.name} is not ranked by plan {plan.code}")
    return Adjustment.objects.create(unit=unit, period=period, plan=plan, points=float(points), reason=reason[:200],
                                     source=source, created_by=_user(user))


@transaction.atomic
def withdraw_adjustment(adj, user, *, correction: bool = False) -> Adjustment:
    """Withdraw a bonus/deduction item: it stays on record but no later ranking counts it. The points a
    published arena wrote (source "arena:<id>") change only through that arena's correction (correction=True),
    which keeps the published version and says why."""
    adj = Adjustment.objects.select_for_update().get(pk=adj.pk)
    if adj.withdrawn:
        raise LeitaiError("该加减分事项已撤销", "This item was already withdrawn")
    if adj.source.startswith("arena:") and not correction:
        raise LeitaiError("擂台赛发布时写入的加减分只能在该场擂台赛的结果页“更正”",
                          "Points written by a published arena change only through that arena's correction "
                          "(its results page)")
    adj.withdrawn = True
    adj.withdrawn_at = timezone.now()
    adj.withdrawn_by = _user(user)
    adj.save(update_fields=["withdrawn", "withdrawn_at", "withdrawn_by"])
    return adj


def _nan_to_none(x) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


def _gather_inputs(plan, spec: dict, period):
    """Units, indicator codes and the value matrix for one period: one query for all observations."""
    units = list(Unit.objects.filter(active=True, kind__in=plan.unit_kinds).order_by("sort_order", "code"))
    codes = [i["code"] for i in spec["indicators"]]
    col = {c: j for j, c in enumerate(codes)}
    row = {u.pk: i for i, u in enumerate(units)}
    values = np.full((len(units), len(codes)), np.nan)
    obs = Observation.objects.filter(period=period, unit__in=[u.pk for u in units], indicator__code__in=codes)
    for unit_id, code, value in obs.values_list("unit_id", "indicator__code", "value"):
        if value is not None:
            values[row[unit_id], col[code]] = value
    return units, codes, values


def _adjustment_items(plan, period, units) -> list[dict]:
    rows = (Adjustment.objects.filter(period=period, withdrawn=False, unit__in=[u.pk for u in units])
            .filter(Q(plan=plan) | Q(plan__isnull=True)).select_related("unit").order_by("created_at", "id"))
    return [{"unit": a.unit.code, "points": a.points, "reason": a.reason} for a in rows]


def _previous_ranks(plan, period) -> dict[int, int]:
    prev_code = parse_period(period.code).previous().code
    prev = (Ranking.objects.filter(plan_version__plan=plan, period__code=prev_code, status=Ranking.Status.PUBLISHED)
            .order_by("-published_at", "-pk").first())
    if prev is None:
        return {}
    return {unit_id: rank for unit_id, rank in prev.rows.filter(rank__isnull=False).values_list("unit_id", "rank")}


def interval_params(plan, period, section=None) -> UncertaintyParams:
    """The rank intervals of a plan's ranking for a period (docs/uncertainty.md): the plan version's own
    settings (its spec's "uncertainty": draws, jitter, alternatives; by default 1,000 draws, every weight
    jittered by ±25 %, the plan's own methods) and a seed fixed by the plan and the period, so computing the
    same period again draws the same numbers."""
    seed = zlib.crc32(f"{plan.code}/{period.code}".encode())
    return spec_params(section, seed)


def _row(ranking, unit, i: int, result: IndexResult, prev: dict[int, int], group_names: dict,
         intervals=None) -> RankingRow:
    rank = int(result.rank[i]) or None
    previous_rank = prev.get(unit.pk)
    flags = []
    for f in result.flags[i] if result.flags else []:
        flag = dict(f)
        if flag.get("kind") == FLAG_CATEGORY:
            flag["label"] = group_names.get(flag.get("code")) or flag.get("code")
        flags.append(flag)
    return RankingRow(
        ranking=ranking, unit=unit,
        score=_nan_to_none(result.score[i]), base_score=_nan_to_none(result.base_score[i]),
        adjustment=float(result.adjustment[i]), rank=rank, previous_rank=previous_rank, movement=movement(previous_rank, rank),
        group_scores={g: _nan_to_none(result.group_scores[i, k]) for k, g in enumerate(result.groups)},
        indicator_scores={c: _nan_to_none(result.normalized[i, j]) for j, c in enumerate(result.indicators)},
        indicator_ranks={c: int(result.indicator_rank[i, j]) or None for j, c in enumerate(result.indicators)},
        missing=list(result.missing.get(unit.code, [])),
        stars=list(result.stars[i]) if result.stars else [],
        flags=flags,
        weak=list(result.weak[i]) if result.weak else [],
        **_interval_fields(intervals, i),
    )


def _interval_fields(intervals, i: int) -> dict:
    if intervals is None or not intervals.result.rank[i]:
        return {}
    groups = {code: [int(rank[i]), *(int(part[i]) for part in intervals.group_intervals[code])]
              for code, rank in intervals.group_rank.items() if rank[i]}
    return {"median_rank": int(intervals.median_rank[i]), "rank_lo": int(intervals.rank_lo[i]),
            "rank_hi": int(intervals.rank_hi[i]), "group_intervals": groups}


@transaction.atomic
def compute_ranking(plan_version, period, user=None) -> Ranking:
    """Rank a plan's units for a period from the database into a new draft (a published one is never edited)."""
    plan = plan_version.plan
    spec = dict(plan_version.spec)
    units, codes, values = _gather_inputs(plan, spec, period)
    if not units:
        raise LeitaiError(f"方案“{plan.name}”没有参评单位（类型 {', '.join(plan.unit_kinds)}）",
                          f"Plan {plan.code} has no units to rank")
    spec["adjustments"] = list(spec.get("adjustments") or []) + _adjustment_items(plan, period, units)
    return _store_ranking(plan_version, period, units, codes, values, spec, user,
                          interval_params(plan, period, spec.get("uncertainty")))


def _store_ranking(plan_version, period, units, codes, values, spec: dict, user,
                   params: UncertaintyParams | None) -> Ranking:
    """Run the engine on a matrix and a spec and store the result as a new draft with its frozen inputs, and,
    with `params`, every unit's rank interval (`leitai index uncertainty` on the export gives the same)."""
    parsed = parse_spec(spec)
    snapshot = parsed.to_dict()
    result = compute_index([u.code for u in units], codes, values, parsed)
    intervals = None
    if params is not None:
        intervals = index_uncertainty([u.code for u in units], codes, values, parsed, params, groups=True)
    inputs = [[u.code, c, _nan_to_none(values[i, j])] for i, u in enumerate(units) for j, c in enumerate(codes)]
    report = {
        "dropped": [{"code": code, "reason": reason} for code, reason in result.dropped],
        "missing": {u: list(m) for u, m in result.missing.items() if m},
    }
    ranking = Ranking.objects.create(plan_version=plan_version, period=period, spec=snapshot, inputs=inputs,
                                     report=report, computed_by=_user(user),
                                     uncertainty=params.to_dict() if params is not None else {})
    prev = _previous_ranks(plan_version.plan, period)
    group_names = {g["code"]: g.get("name") for g in snapshot["groups"]}
    RankingRow.objects.bulk_create([_row(ranking, u, i, result, prev, group_names, intervals)
                                    for i, u in enumerate(units)])
    return ranking


@transaction.atomic
def correct_ranking(ranking, user, unit, points, reason: str) -> RankingCorrection:
    """更正 a published ranking: `unit`'s bonus/deduction becomes `points` (its total in this ranking), for
    `reason`. The ledger gets the difference as a new entry (plan-specific, so other plans are untouched);
    the ranking is computed again from its own frozen data and rules with that entry added, and published,
    superseding the one corrected, which stays visible. Organizers only."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_organizer:
        raise PermissionDenied("organizers only")
    ranking = Ranking.objects.select_for_update().select_related("plan_version__plan", "period").get(pk=ranking.pk)
    if ranking.status != Ranking.Status.PUBLISHED:
        raise LeitaiError("只有现行发布的排名可以更正", "Only the ranking in force (published) can be corrected")
    reason = str(reason or "").strip()
    if not reason:
        raise LeitaiError("更正须写明理由", "A correction needs a reason")
    if isinstance(points, bool) or not isinstance(points, int | float) or not math.isfinite(points):
        raise LeitaiError(f"分值应为数字，实为 {points!r}", f"Points must be a number, got {points!r}")
    units_codes, codes, values = snapshot_matrix(ranking)
    if unit.code not in units_codes:
        raise LeitaiError(f"{unit.name} 不在该排名中", f"{unit.name} is not in this ranking")
    spec = dict(ranking.spec)
    old = math.fsum(float(a["points"]) for a in spec.get("adjustments") or [] if a["unit"] == unit.code)
    delta = float(points) - old
    if abs(delta) < 1e-12:
        raise LeitaiError(f"{unit.name} 的加减分已是 {old:g}，无需更正", f"{unit.name} already has {old:g}")
    plan = ranking.plan_version.plan
    entry = add_adjustment(unit, ranking.period, delta, f"更正{ranking.period.code}排名（{old:g} → {float(points):g}）：{reason}",
                           plan=plan, user=user, source=f"correction:ranking:{ranking.pk}")
    spec["adjustments"] = list(spec.get("adjustments") or []) + [
        {"unit": unit.code, "points": delta, "reason": entry.reason}]
    by_code = Unit.objects.in_bulk(units_codes, field_name="code")
    # The corrected ranking draws its intervals as the one it corrects did (none if that had none).
    params = interval_params_of(ranking)
    corrected = _store_ranking(ranking.plan_version, ranking.period, [by_code[c] for c in units_codes], codes, values,
                               spec, user, params)
    publish_ranking(corrected, user=user)
    return RankingCorrection.objects.create(from_ranking=ranking, to_ranking=corrected, unit=unit, old_points=old,
                                            new_points=float(points), reason=reason, adjustment=entry,
                                            by_user=_user(user))


@transaction.atomic
def publish_ranking(ranking, user=None) -> Ranking:
    """Publish a draft ranking; the plan's earlier ranking for the same period becomes superseded."""
    ranking = Ranking.objects.select_for_update().select_related("plan_version__plan").get(pk=ranking.pk)
    if ranking.status != Ranking.Status.DRAFT:
        raise LeitaiError(f"只能发布草稿，该排名状态为“{ranking.get_status_display()}”",
                          f"Only a draft can be published; this ranking is {ranking.status}")
    # Drafts computed before this one are stale too; a later draft stays publishable.
    # One save each (not a queryset update), so the audit log records every status that moves.
    for stale in (Ranking.objects.filter(plan_version__plan=ranking.plan_version.plan, period=ranking.period)
                  .filter(Q(status=Ranking.Status.PUBLISHED) | Q(status=Ranking.Status.DRAFT, pk__lt=ranking.pk))
                  .exclude(pk=ranking.pk)):
        stale.status = Ranking.Status.SUPERSEDED
        stale.save(update_fields=["status"])
    ranking.status = Ranking.Status.PUBLISHED
    ranking.published_at = timezone.now()
    ranking.published_by = _user(user)
    ranking.save(update_fields=["status", "published_at", "published_by"])
    return ranking


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None
