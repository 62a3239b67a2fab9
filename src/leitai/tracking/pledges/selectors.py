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


def fulfilment(total: int, kept: int, missed: int) -> dict:
    """The fulfilment figures of a set of pledges: the rate is kept / judged (pending pledges do not count)."""
    return {"total": total, "kept": kept, "missed": missed,
            "rate": kept / (kept + missed) if kept + missed else None}


def pledge_rates(by: str = "unit", *, people=None, public_only: bool = False) -> dict:
    """Fulfilment per unit code, person name or person id ("person_id", of the given people when given; of
    the public pledges only with `public_only`): judged, kept, rate (kept / judged)."""
    key = {"unit": "unit__code", "person": "person__name", "person_id": "person_id"}[by]
    qs = Pledge.objects.order_by().exclude(**{f"{key}__isnull": True})
    if people is not None:
        qs = qs.filter(person__in=people)
    if public_only:
        qs = qs.filter(public=True)
    rows = (qs.values(key).annotate(total=Count("id"), kept=Count("id", filter=Q(status=Pledge.Status.KEPT)),
                                    missed=Count("id", filter=Q(status=Pledge.Status.MISSED))).order_by(key))
    return {r[key]: fulfilment(r["total"], r["kept"], r["missed"]) for r in rows}
