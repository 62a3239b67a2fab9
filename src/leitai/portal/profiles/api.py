"""The unit profile's API, mounted under /api/v1/units/ beside the units' own routes: a unit's values of one
indicator over time, its weak indicators (短板) in its latest published ranking, and a person's record."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from leitai.portal.profiles import policies, records, selectors
from leitai.units import selectors as unit_selectors
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


# ---- the person's record (个人履历): who may read it is policies.can_see_record, as on the page -----------

class Strict(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class RateOut(Strict):
    total: int
    kept: int
    missed: int
    rate: float | None


class ItemFiguresOut(Strict):
    total: int
    closed: int
    on_time: int
    overdue_open: int
    on_time_rate: float | None


class ReviewFiguresOut(Strict):
    done: int
    satisfied: int
    basic: int
    not_satisfied: int
    satisfaction: float | None


class SummaryOut(Strict):
    periods: int
    average_place_pct: float | None = Field(description="average rank as a percentage of the field (0: first)")
    best_rank: str
    arenas: int
    arena_average: float | None
    best_place: str
    pledges: RateOut
    items: ItemFiguresOut
    reviews: ReviewFiguresOut


class RankOut(Strict):
    period: str
    plan: str
    score: float | None
    rank: int | None
    size: int


class ArenaPlaceOut(Strict):
    arena: int
    name: str
    date: dt.date
    score: float | None
    rank: int | None
    size: int


class PledgeOut(Strict):
    id: int
    unit: str
    text: str
    status: str
    deadline: str | None


class ItemOut(Strict):
    code: str
    title: str
    unit: str
    deadline: dt.date
    closed_on: dt.date | None


class TenureOut(Strict):
    unit: str
    unit_name: str
    title: str
    is_head: bool
    start: dt.date
    end: dt.date | None
    summary: SummaryOut
    ranks: list[RankOut]
    arenas: list[ArenaPlaceOut]
    pledges: list[PledgeOut]
    items: list[ItemOut]


class RecordOut(Strict):
    id: int
    name: str
    public: bool
    pledge_rate: RateOut = Field(description="the pledges the person made: kept / judged")
    summary: SummaryOut
    tenures: list[TenureOut]


def _summary(s: records.Summary) -> dict:
    reviews = s.reviews
    return {"periods": s.periods, "average_place_pct": s.rank_share, "best_rank": s.best_rank, "arenas": s.arenas,
            "arena_average": s.arena_average, "best_place": s.best_place, "pledges": s.pledges,
            "items": s.items, "reviews": {"done": reviews["done"], "satisfied": reviews["satisfied"],
                                          "basic": reviews["basic"], "not_satisfied": reviews["not"],
                                          "satisfaction": reviews["satisfaction"]}}


def _tenure(t: records.Tenure) -> dict:
    post = t.post
    return {
        "unit": post.unit.code, "unit_name": post.unit.name, "title": post.title, "is_head": post.is_head,
        "start": post.start, "end": post.end, "summary": _summary(t.summary),
        "ranks": [{"period": r.ranking.period.code, "plan": r.ranking.plan_version.plan.code, "score": r.score,
                   "rank": r.rank, "size": r.size} for r in t.ranks],
        "arenas": [{"arena": a.arena.pk, "name": a.arena.name, "date": a.day,
                    "score": None if a.score is None else float(a.score), "rank": a.rank, "size": a.size}
                   for a in t.arenas],
        "pledges": [{"id": p.pk, "unit": p.unit.code, "text": p.text, "status": p.status,
                     "deadline": p.deadline.code if p.deadline else None} for p in t.pledges],
        "items": [{"code": i.code, "title": i.title, "unit": i.unit.code, "deadline": i.deadline,
                   "closed_on": i.closed_on} for i in t.items],
    }


@router.get("people/{pk}/record", response={200: RecordOut, 403: Error, 404: Error},
                   summary="A person's record across every post they held (个人履历)")
def person_record(request, pk: int):
    # An id beyond a database integer cannot exist (and would overflow SQLite's): 404, not a server error.
    person = unit_selectors.people_by_ids([pk]) if 0 < pk < 2**63 else []
    if not person:
        raise HttpError(404, _("人员不存在"))
    if not policies.can_see_record(request.user, person[0]):
        raise HttpError(403, _("此人的履历未公开，仅考核办可见"))
    record = records.person_record(person[0], public_only=policies.public_only(request.user))
    return {"id": person[0].pk, "name": person[0].name, "public": person[0].record_public,
            "pledge_rate": record.pledge_rate, "summary": _summary(record.summary),
            "tenures": [_tenure(t) for t in record.tenures]}
