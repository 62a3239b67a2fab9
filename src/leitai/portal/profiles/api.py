"""The unit profile's API, mounted under /api/v1/units/ beside the units' own routes: a unit's values of one
indicator over time and its weak indicators (短板) in its latest published ranking."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from leitai.portal.profiles import selectors
from leitai.units.api import Error, unit_or_404

router = Router(tags=["units"])


class PointOut(Schema):
    period: str
    label: str
    value: float
    status: str


class SeriesOut(Schema):
    unit: str
    indicator: str
    name: str
    measure: str
    points: list[PointOut]


class WeakItemOut(Schema):
    indicator: str
    name: str
    value: float | None
    rank: int | None
    peers: int
    best_value: float | None
    best_unit: str


class WeakOut(Schema):
    unit: str
    plan: str | None
    period: str | None
    items: list[WeakItemOut]


@router.get("{code}/observations", response={200: SeriesOut, 404: Error, 422: Error},
            summary="A unit's values of one indicator over time")
def observations(request, code: str, indicator: str):
    unit = unit_or_404(code)
    ind = selectors.indicator_by_code(indicator)
    if ind is None:
        raise HttpError(404, _("指标“%(code)s”不存在") % {"code": indicator})
    points = selectors.series([unit], [ind]).get((unit.pk, ind.pk), [])
    return {"unit": unit.code, "indicator": ind.code, "name": ind.name, "measure": ind.measure, "points": points}


@router.get("{code}/weak", response={200: WeakOut, 404: Error},
            summary="Weak indicators (短板) in the unit's latest published ranking")
def weak(request, code: str):
    unit = unit_or_404(code)
    rows = selectors.latest_rows_per_plan(unit)
    row = rows[0] if rows else None
    items = [{"indicator": w.code, "name": w.name, "value": w.value, "rank": w.rank, "peers": w.peers,
              "best_value": w.best_value, "best_unit": w.best_unit} for w in selectors.weak_items(row)]
    return {"unit": unit.code, "plan": row.ranking.plan_version.plan.code if row else None,
            "period": row.ranking.period.code if row else None, "items": items}
