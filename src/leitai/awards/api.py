"""The awards API (/api/v1/awards/), read only: the kinds in use, the approved awards (newest first, by kind,
year, unit or person) and one award. Pending, rejected and revoked awards are never listed; asking for one
answers 404. Errors: 404 unknown, 422 invalid query."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from . import selectors
from .models import Award

router = Router(tags=["awards"])


class Error(Schema):
    model_config = ConfigDict(extra="forbid")
    detail: str


class KindOut(Schema):
    model_config = ConfigDict(extra="forbid")
    code: str
    name: str
    name_en: str
    basis: str = Field(..., description="rule / nomination")
    rule: str = Field(..., description="arena_best, arena_worst, ranking_top, ranking_bottom, flag_red, flag_yellow, "
                                        "most_gained, or empty for a nomination kind")
    n: int
    recipient: str = Field(..., description="unit / person / team")


class AwardOut(Schema):
    model_config = ConfigDict(extra="forbid")
    id: int
    kind: str = Field(..., description="the kind's code")
    kind_name: str
    recipient: str = Field(..., description="unit / person / team")
    unit: str | None = Field(..., description="the unit's code (for a person: their unit on the day)")
    unit_name: str | None
    person: str | None = Field(..., description="the person (for a unit's award: its head named on the day)")
    person_id: int | None
    person_title: str
    team: str | None
    date: dt.date
    period: str | None
    reason: str
    reason_en: str
    source: str | None = Field(..., description="arena:<id> or ranking:<id> the award rests on; null for a nomination")


class AwardFilter(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: str | None = Field(None, description="a kind's code")
    year: int | None = Field(None, ge=2000, le=2100)
    unit: str | None = Field(None, description="a unit's code")
    person: int | None = Field(None, description="a person's id")


def _out(a: Award) -> dict:
    source = f"arena:{a.arena_id}" if a.arena_id else f"ranking:{a.ranking_id}" if a.ranking_id else None
    return {"id": a.pk, "kind": a.kind.code, "kind_name": a.kind.name, "recipient": a.recipient,
            "unit": a.unit.code if a.unit else None, "unit_name": a.unit.name if a.unit else None,
            "person": a.person.name if a.person else None, "person_id": a.person_id, "person_title": a.person_title,
            "team": a.team.name if a.team else None, "date": a.date, "period": a.period.code if a.period else None,
            "reason": a.reason, "reason_en": a.reason_en, "source": source}


@router.get("/kinds", response=list[KindOut])
def list_kinds(request):
    return [{"code": k.code, "name": k.name, "name_en": k.name_en, "basis": k.basis, "rule": k.rule, "n": k.n,
             "recipient": k.recipient} for k in selectors.kinds(active_only=True)]


@router.get("", response={200: list[AwardOut], 404: Error})
def list_awards(request, filters: Query[AwardFilter]):
    kind = None
    if filters.kind:
        kind = selectors.kind_by_code(filters.kind)
        if kind is None:
            return 404, {"detail": f"no award kind {filters.kind}"}
    found = list(selectors.approved(kind, filters.year, filters.unit or ""))
    if filters.person is not None:
        found = [a for a in found if a.person_id == filters.person]
    return 200, [_out(a) for a in found]


@router.get("/{pk}", response={200: AwardOut, 404: Error})
def get_award(request, pk: int):
    try:
        a = selectors.award(pk)
    except Http404:
        return 404, {"detail": "no such award"}
    if a.status != Award.Status.APPROVED:
        return 404, {"detail": "no such award"}
    return 200, _out(a)
