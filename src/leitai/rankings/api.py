"""The rankings API (/api/v1/rankings/): plans, rankings with their rows, compute, publish, export."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import ConfigDict

from leitai.indicators.models import Period

from . import exports, selectors, services
from .models import AssessmentPlan, Ranking

router = Router(tags=["rankings"])


class Error(Schema):
    detail: str


class VersionOut(Schema):
    number: int
    note: str
    created_at: datetime


class PlanOut(Schema):
    id: int
    code: str
    name: str
    unit_kinds: list[str]
    description: str
    active: bool
    current_version: int | None
    versions: list[VersionOut]


class RankingOut(Schema):
    id: int
    plan: str
    plan_name: str
    plan_version: int
    period: str
    period_label: str
    status: str
    computed_at: datetime
    published_at: datetime | None


class RowOut(Schema):
    unit: str
    unit_name: str
    rank: int | None
    score: float | None
    base_score: float | None
    adjustment: float
    previous_rank: int | None
    movement: int | None
    group_scores: dict[str, float | None]
    indicator_scores: dict[str, float | None]
    indicator_ranks: dict[str, int | None]
    missing: list[str]
    stars: list[str]
    flags: list[dict]
    weak: list[str]
    median_rank: int | None = None  # the rank interval (docs/uncertainty.md); None when the ranking has none
    rank_lo: int | None = None
    rank_hi: int | None = None


class RankingDetailOut(RankingOut):
    spec: dict
    report: dict
    uncertainty: dict
    rows: list[RowOut]


class ComputeIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    plan: str = Field(..., description="plan code, e.g. county-monthly")
    period: str = Field(..., description="period code, e.g. 2024-04")
    version: int | None = Field(None, description="plan version number (default: the latest)")


def _ranking_out(r: Ranking) -> dict:
    plan = r.plan_version.plan
    return {"id": r.pk, "plan": plan.code, "plan_name": plan.name, "plan_version": r.plan_version.number,
            "period": r.period.code, "period_label": selectors.period_label(r.period), "status": r.status,
            "computed_at": r.computed_at, "published_at": r.published_at}


def _organizer(request) -> bool:
    return request.user.is_authenticated and request.user.is_organizer


def _one(qs, what: str, **lookup):
    """The object, or a 404 whose message names what was not found."""
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise HttpError(404, _("%(what)s %(key)s 不存在") % {"what": what, "key": next(iter(lookup.values()))})
    return obj


def _visible(request, ranking_id: int) -> Ranking:
    return _one(selectors.visible_rankings(request.user), _("排名"), pk=ranking_id)


@router.get("/plans", response=list[PlanOut], summary="Assessment plans and their versions")
def list_plans(request):
    out = []
    for p in AssessmentPlan.objects.prefetch_related("versions"):
        versions = sorted(p.versions.all(), key=lambda v: v.number)
        out.append({"id": p.pk, "code": p.code, "name": p.name, "unit_kinds": p.unit_kinds,
                    "description": p.description, "active": p.active,
                    "current_version": versions[-1].number if versions else None,
                    "versions": [{"number": v.number, "note": v.note, "created_at": v.created_at} for v in versions]})
    return out


@router.get("/rankings", response=list[RankingOut], summary="Rankings (published ones unless you are an organizer)")
def list_rankings(request, plan: str | None = None, period: str | None = None):
    qs = selectors.visible_rankings(request.user)
    if not _organizer(request):
        qs = qs.filter(status=Ranking.Status.PUBLISHED)
    if plan:
        qs = qs.filter(plan_version__plan__code=plan)
    if period:
        qs = qs.filter(period__code=period)
    return [_ranking_out(r) for r in qs.order_by("-period__start", "-computed_at", "-pk")[:500]]


@router.get("/rankings/{ranking_id}", response={200: RankingDetailOut, 404: Error}, summary="One ranking with its rows")
def get_ranking(request, ranking_id: int):
    r = _visible(request, ranking_id)
    rows = sorted(r.rows.select_related("unit"),
                  key=lambda x: (x.rank is None, x.rank or 0, x.unit.sort_order, x.unit.code))
    return {**_ranking_out(r), "spec": r.spec, "report": r.report, "uncertainty": r.uncertainty, "rows": [
        {"unit": x.unit.code, "unit_name": x.unit.name, "rank": x.rank, "score": x.score, "base_score": x.base_score,
         "adjustment": x.adjustment, "previous_rank": x.previous_rank, "movement": x.movement,
         "group_scores": x.group_scores, "indicator_scores": x.indicator_scores, "indicator_ranks": x.indicator_ranks,
         "missing": x.missing, "stars": x.stars, "flags": x.flags, "weak": x.weak,
         "median_rank": x.median_rank, "rank_lo": x.rank_lo, "rank_hi": x.rank_hi} for x in rows]}


@router.post("/rankings", auth=django_auth, response={201: RankingOut, 401: Error, 403: Error, 404: Error, 422: Error},
             summary="Compute a draft ranking (organizers)")
def compute(request, payload: ComputeIn):
    if not _organizer(request):
        return 403, {"detail": _("只有考核办可以计算排名")}
    plan = _one(AssessmentPlan.objects.all(), _("考核方案"), code=payload.plan)
    period = _one(Period.objects.all(), _("期间"), code=payload.period)
    if payload.version is None:
        version = plan.current_version
    else:
        version = _one(plan.versions.all(), _("方案版本"), number=payload.version)
    ranking = services.compute_ranking(version, period, user=request.user)
    return 201, _ranking_out(ranking)


@router.post("/rankings/{ranking_id}/publish", auth=django_auth,
             response={200: RankingOut, 401: Error, 403: Error, 404: Error, 422: Error},
             summary="Publish a draft ranking (organizers)")
def publish(request, ranking_id: int):
    if not _organizer(request):
        return 403, {"detail": _("只有考核办可以发布排名")}
    ranking = _one(Ranking.objects.all(), _("排名"), pk=ranking_id)
    return 200, _ranking_out(services.publish_ranking(ranking, user=request.user))


@router.get("/rankings/{ranking_id}/export", response={200: None, 404: Error},
            summary="The recompute bundle (.zip: data.csv, spec.json, result.csv, README.txt)",
            openapi_extra={"responses": {200: {"description": "zip archive",
                                               "content": {"application/zip": {"schema": {"type": "string",
                                                                                          "format": "binary"}}}}}})
def export(request, ranking_id: int):
    ranking = _visible(request, ranking_id)
    response = HttpResponse(exports.bundle_zip(ranking), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{exports.bundle_name(ranking, "zip")}"'
    return response
