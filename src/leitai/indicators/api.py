"""The data API (/api/v1/data/): indicators, periods, observations; setting a value goes through the service."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import ConfigDict, Field, StrictFloat

from leitai.core import periods
from leitai.core.errors import LeitaiError
from leitai.units.models import Unit

from . import selectors, services
from .models import Indicator, Period

router = Router(tags=["data"])


class ErrorOut(Schema):
    detail: str


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    measure: str
    direction: int = Field(description="1: higher is better, -1: lower is better")
    category: str
    applies_to: list[str] = Field(description="unit kinds; empty means all")
    frequency: str
    value_type: str
    plausible_min: float | None
    plausible_max: float | None
    decimals: int


class PeriodOut(Schema):
    code: str
    kind: str
    year: int
    number: int
    start: dt.date
    end: dt.date
    label: str


class ObservationOut(Schema):
    unit: str
    indicator: str
    period: str
    value: float | None
    status: str


MAX_OFFSET = 1_000_000_000


class ObservationFilter(Schema):
    model_config = ConfigDict(extra="forbid")

    period: str | None = Field(None, description="period code, e.g. 2024-04")
    unit: str | None = Field(None, description="unit code")
    indicator: str | None = Field(None, description="indicator code")
    limit: int = Field(1000, ge=1, le=10000)
    # Bounded: an offset past 64-bit integers reached the database and failed there (a server error).
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"rows to skip (at most {MAX_OFFSET})")


class ObservationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit: str = Field(description="unit code")
    indicator: str = Field(description="indicator code")
    period: str = Field(description="period code (2024-04, 2024Q1, 2024) or 2024年4月")
    value: StrictFloat | None = Field(description="null clears the value")
    status: Literal["provisional", "final"] | None = None
    reason: str = Field("", max_length=200)


@router.get("indicators", response={200: list[IndicatorOut]}, summary="Indicators in use")
def list_indicators(request):
    return [
        {"code": i.code, "name": i.name, "name_en": i.name_en, "measure": i.measure, "direction": i.direction,
         "category": i.category.code, "applies_to": list(i.applies_to or []), "frequency": i.frequency,
         "value_type": i.value_type, "plausible_min": i.plausible_min, "plausible_max": i.plausible_max,
         "decimals": i.decimals}
        for i in Indicator.objects.filter(active=True).select_related("category")
    ]


@router.get("periods", response={200: list[PeriodOut]}, summary="Periods, most recent first")
def list_periods(request):
    return [{"code": p.code, "kind": p.kind, "year": p.year, "number": p.number, "start": p.start, "end": p.end,
             "label": periods.label(p.code)} for p in Period.objects.order_by("-start", "kind")]


def _out(obs) -> dict:
    return {"unit": obs.unit.code, "indicator": obs.indicator.code, "period": obs.period.code, "value": obs.value,
            "status": obs.status}


@router.get("observations", response={200: list[ObservationOut], 422: ErrorOut},
            summary="Observations filtered by period, unit and indicator (public)")
def list_observations(request, filters: Query[ObservationFilter]):
    qs = selectors.observations(filters.period, filters.unit, filters.indicator)
    return [_out(o) for o in qs[filters.offset:filters.offset + filters.limit]]


def _set(request, payload: ObservationIn):
    unit = Unit.objects.filter(code=payload.unit).first()
    if unit is None:
        raise HttpError(404, f"单位“{payload.unit}”不存在")
    indicator = Indicator.objects.filter(code=payload.indicator).first()
    if indicator is None:
        raise HttpError(404, f"指标“{payload.indicator}”不存在")
    try:
        obs = services.set_observation(request.auth, unit, indicator, payload.period, payload.value,
                                       status=payload.status, reason=payload.reason, source="api")
    except PermissionDenied:
        raise HttpError(403, f"无权填报“{unit.name}”的数据")
    if obs is None:
        return {"unit": unit.code, "indicator": indicator.code, "period": periods.parse(payload.period).code,
                "value": None, "status": payload.status or "provisional"}
    return _out(obs)


_WRITE = {200: ObservationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.put("observations", response=_WRITE, auth=django_auth,
            summary="Set one value (organizer, or the unit's reporter); recorded in its history")
def put_observation(request, payload: ObservationIn):
    return _set(request, payload)


@router.post("observations", response=_WRITE, auth=django_auth, summary="Set one value (same as PUT)")
def post_observation(request, payload: ObservationIn):
    return _set(request, payload)


# External reference series (参照数据) and import status --------------------------------------------------------

class ReferenceOut(Schema):
    kind: Literal["average", "rank", "peer"] = Field(description="average: 全省平均; rank: 全省排名; peer: 外地对标单位")
    indicator: str
    period: str
    unit: str | None = Field(description="the city's unit a provincial rank belongs to (rank only)")
    peer: str | None = Field(description="the outside peer's name (peer only)")
    value: float | None
    rank: int | None = Field(description="the place in the province, 1 = first (rank only)")
    total: int | None = Field(description="how many were ranked (rank only, optional)")


class ReferenceFilter(Schema):
    model_config = ConfigDict(extra="forbid")

    indicator: str | None = Field(None, description="indicator code")
    period: str | None = Field(None, description="period code, e.g. 2024-06")
    kind: Literal["average", "rank", "peer"] | None = None
    limit: int = Field(1000, ge=1, le=10000)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("references", response={200: list[ReferenceOut], 422: ErrorOut},
            summary="Reference figures: province averages, provincial ranks, outside peers (public)")
def list_references(request, filters: Query[ReferenceFilter]):
    try:
        qs = selectors.references(filters.indicator, filters.period, filters.kind)
    except LeitaiError as exc:
        raise HttpError(422, exc.zh)
    return [{"kind": r.kind, "indicator": r.indicator.code, "period": r.period.code,
             "unit": r.unit.code if r.unit_id else None, "peer": r.peer.name if r.peer_id else None,
             "value": r.value, "rank": r.rank, "total": r.total}
            for r in qs[filters.offset:filters.offset + filters.limit]]


class ProblemOut(Schema):
    sheet: str
    row: int | None
    column: str
    header: str
    code: str
    message_zh: str
    message_en: str


class ImportStatusOut(Schema):
    id: int
    file_name: str
    status: Literal["checking", "preview", "committing", "committed", "rejected", "cancelled"]
    row_count: int = Field(description="values and reference figures read")
    created_count: int
    changed_count: int
    references: int = Field(description="reference figures in the file (全省平均, 全省排名, 外地对标单位)")
    problem_count: int
    problems: list[ProblemOut] = Field(description="the first 1000 problems, each located by sheet, row and column")


@router.get("imports/{batch_id}", response={200: ImportStatusOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
            auth=django_auth, summary="An import batch's status and problems (its uploader, or an organizer)")
def import_status(request, batch_id: int):
    batch = selectors.batch_or_none(batch_id)
    if batch is None:
        raise HttpError(404, f"导入批次 {batch_id} 不存在")
    if not (request.auth.is_organizer or batch.created_by_id == request.auth.pk):
        raise HttpError(403, "无权查看该导入批次")
    report = batch.report if isinstance(batch.report, dict) else {}
    return {"id": batch.pk, "file_name": batch.file_name, "status": batch.status, "row_count": batch.row_count,
            "created_count": batch.created_count, "changed_count": batch.changed_count,
            "references": int(report.get("references", 0)), "problem_count": int(report.get("problem_count", 0)),
            "problems": report.get("problems", [])}
