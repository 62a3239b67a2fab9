"""Reads of pledges: the list a user may see in full (policies), the public ones with their verdicts, a
unit's, and fulfilment per unit or person."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from .. import policies
from ..models import Pledge


def visible_pledges(user, *, unit: str | None = None, status: str | None = None):
    """The pledges `user` may see in full (policies.visible_pledges) with what the list shows, filtered by
    unit code and status when given."""
    rows = (policies.visible_pledges(user)
            .select_related("unit", "person", "indicator", "deadline", "verdict_by", "reference_peer",
                            "arena_item__submission__contestant__arena", "repeat_start")
            .prefetch_related("checks__period"))
    if unit:
        rows = rows.filter(unit__code=unit)
    if status:
        rows = rows.filter(status=status)
    return rows


def public_pledges(*, unit: str | None = None, status: str | None = None):
    """Pledges the organizer made public, with their verdicts (of one unit code or status when given)."""
    qs = Pledge.objects.filter(public=True).select_related("unit", "person", "indicator", "deadline", "reference_peer")
    if unit:
        qs = qs.filter(unit__code=unit)
    if status:
        qs = qs.filter(status=status)
    return qs


def unit_pledges(unit):
    return Pledge.objects.filter(unit=unit).select_related("person", "indicator", "deadline", "reference_peer")


def pledge_or_404(pk: int) -> Pledge:
    return get_object_or_404(Pledge.objects.select_related("unit"), pk=pk)


def pledge_rates(by: str = "unit") -> dict[str, dict]:
    """Fulfilment per unit code or person name: judged, kept, rate (kept / judged)."""
    key = {"unit": "unit__code", "person": "person__name"}[by]
    rows = (Pledge.objects.order_by().exclude(**{f"{key}__isnull": True}).values(key)
            .annotate(total=Count("id"), kept=Count("id", filter=Q(status=Pledge.Status.KEPT)),
                      missed=Count("id", filter=Q(status=Pledge.Status.MISSED))).order_by(key))
    return {r[key]: {"total": r["total"], "kept": r["kept"], "missed": r["missed"],
                     "rate": r["kept"] / (r["kept"] + r["missed"]) if r["kept"] + r["missed"] else None}
            for r in rows}
