"""Reads of follow-up reviews (回头看): the rounds, a round's assignments with coverage and satisfaction per
unit, a supervisor's own assignments with the close-out photos, the citizen supervisors, and the raisers'
feedback (a link's request, the closed items whose raiser has not been asked since close-out)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404

from leitai.core.tokens import hash_token
from leitai.core.tracking import rules as flow

from ..models import Attachment, Feedback, Item, ReviewAssignment, ReviewRound

SUPERVISOR = "supervisor"


def supervisors():
    """The users with the citizen supervisor's role (who may be assigned reviews)."""
    return get_user_model().objects.filter(role=SUPERVISOR).order_by("username")


def rounds():
    """Every round, latest first."""
    return ReviewRound.objects.select_related("created_by").order_by("-created_at", "-id")


def round_or_404(pk: int) -> ReviewRound:
    return get_object_or_404(ReviewRound, pk=pk)


def round_assignments(rnd: ReviewRound, *, by_code: bool = False):
    """A round's assignments with their item, unit and supervisor (in item code order with `by_code`)."""
    qs = rnd.assignments.select_related("item", "item__unit", "supervisor")
    return qs.order_by("item__code") if by_code else qs


def assignment_or_404(pk) -> ReviewAssignment:
    return get_object_or_404(ReviewAssignment, pk=pk)


def my_assignments(user) -> list[ReviewAssignment]:
    """A supervisor's assignments, open ones first, each with .evidence: the photos of its close-out."""
    mine = list(ReviewAssignment.objects.filter(supervisor=user)
                .select_related("item", "item__unit", "round").order_by("done_at", "round", "item"))
    photos: dict[int, list[Attachment]] = {}
    for a in Attachment.objects.filter(item__in=[m.item_id for m in mine], transition__isnull=False,
                                       is_photo=True):
        photos.setdefault(a.item_id, []).append(a)
    for m in mine:
        m.evidence = photos.get(m.item_id, [])
    return mine


def round_summary(rnd: ReviewRound) -> dict:
    """Coverage (reviewed / assigned) and satisfaction ((satisfied + basic) / reviewed) per unit and overall."""
    per = defaultdict(lambda: {"assigned": 0, "done": 0, "satisfied": 0, "basic": 0, "not": 0})
    rows = rnd.assignments.values_list("item__unit__name", "item__unit__sort_order", "verdict", "done_at")
    for unit, sort, verdict, done_at in rows:
        r = per[(sort, unit)]
        r["assigned"] += 1
        if done_at is not None:
            r["done"] += 1
            r[verdict] += 1
    total = {"assigned": 0, "done": 0, "satisfied": 0, "basic": 0, "not": 0}
    units = []
    for (_sort, unit), r in sorted(per.items()):
        for k in total:
            total[k] += r[k]
        units.append({"unit": unit, **r, **review_rates(r)})
    return {"units": units, "total": {**total, **review_rates(total)}}


def review_rates(r: dict) -> dict:
    """Coverage (done / assigned) and satisfaction ((satisfied + basic) / done) of review counts."""
    return {"coverage": r["done"] / r["assigned"] if r["assigned"] else None,
            "satisfaction": (r["satisfied"] + r["basic"]) / r["done"] if r["done"] else None}


def feedback_for(raw_token: str) -> Feedback | None:
    """The feedback request behind a token, or None for an unknown one."""
    return Feedback.objects.select_related("item").filter(token_hash=hash_token(raw_token)).first()


def awaiting_feedback():
    """Closed items raised by someone outside with no feedback link since their close-out."""
    items = Item.objects.filter(state=flow.CLOSED).exclude(raised_by="").select_related("unit").order_by("-closed_on")
    asked = set(Feedback.objects.filter(item__in=items).values_list("item_id", "created_at"))
    latest = {}
    for item_id, at in asked:
        latest[item_id] = max(latest.get(item_id, at), at)
    return [i for i in items if i.pk not in latest or latest[i.pk].date() < i.closed_on]
