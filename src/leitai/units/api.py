"""The units API: the unit tree, one unit with its head, its observation series and weak indicators."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from . import selectors
from .models import Unit, UnitKind

router = Router(tags=["units"])


class Error(Schema):
    detail: str


class HeadOut(Schema):
    person: str
    title: str
    start: dt.date


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    name_en: str
    kind: str
    parent: str | None


class UnitDetailOut(UnitOut):
    head: HeadOut | None


class UnitFilter(Schema):
    kind: UnitKind | None = Field(None, description="city / county / zone / department / section / town")
    parent: str | None = Field(None, description="the parent unit's code")


def _unit_out(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "short_name": unit.short_name, "name_en": unit.name_en,
            "kind": unit.kind, "parent": unit.parent.code if unit.parent_id else None}


def unit_or_404(code: str) -> Unit:
    unit = Unit.objects.select_related("parent").filter(code=code).first()
    if unit is None:
        raise HttpError(404, _("单位“%(code)s”不存在") % {"code": code})
    return unit


@router.get("", response={200: list[UnitOut], 422: Error}, summary="List units")
def list_units(request, filters: Query[UnitFilter]):
    units = Unit.objects.filter(active=True).select_related("parent")
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.parent:
        units = units.filter(parent__code=filters.parent)
    return [_unit_out(u) for u in units]


@router.get("{code}", response={200: UnitDetailOut, 404: Error}, summary="One unit with its current head")
def get_unit(request, code: str):
    unit = unit_or_404(code)
    head = selectors.current_heads([unit]).get(unit.pk)
    out = _unit_out(unit)
    out["head"] = {"person": head.person.name, "title": head.title, "start": head.start} if head else None
    return out
