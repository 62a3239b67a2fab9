"""The assessment API (/api/v1/assessment/): published assessments (organizers also see drafts), one
assessment's rows, and one unit's traced points."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import selectors
from .models import Assessment

router = Router(tags=["assessment"])


class Error(Schema):
    detail: str


class AssessmentOut(Schema):
    id: int
    title: str
    scheme: str
    plan: str
    period: str
    version: int
    status: str
    published_at: datetime | None


class LineOut(Schema):
    component: str
    text: str
    text_en: str
    points: float | None
    ref: str


class RowOut(Schema):
    unit: str
    name: str
    total: float
    rank: int
    grade: str
    components: dict[str, float]
    rollup: float | None


class RowDetailOut(RowOut):
    lines: list[LineOut]


class AssessmentDetailOut(AssessmentOut):
    rows: list[RowOut]


def _out(a: Assessment) -> dict:
    return {"id": a.pk, "title": f"{a.scheme.name} · {a.period.code}", "scheme": a.scheme.name, "plan": a.scheme.plan.code,
            "period": a.period.code, "version": a.version, "status": a.status, "published_at": a.published_at}


def _get(request, pk: int) -> Assessment:
    return get_object_or_404(selectors.visible_assessments(request.user), pk=pk)


@router.get("", response=list[AssessmentOut])
def list_assessments(request):
    return [_out(a) for a in selectors.visible_assessments(request.user, light=True).defer("result")]


@router.get("/{pk}", response={200: AssessmentDetailOut, 404: Error})
def get_assessment(request, pk: int):
    a = _get(request, pk)
    return {**_out(a), "rows": a.result.get("rows", [])}


@router.get("/{pk}/units/{code}", response={200: RowDetailOut, 404: Error})
def get_unit(request, pk: int, code: str):
    a = _get(request, pk)
    row = next((r for r in a.result.get("rows", []) if r["unit"] == code), None)
    if row is None:
        return 404, {"detail": "no such unit in this assessment"}
    return {**row, "lines": [{"component": ln["component"], "text": ln["zh"], "text_en": ln["en"], "points": ln["points"],
                              "ref": ln["ref"]} for ln in row["lines"]]}
