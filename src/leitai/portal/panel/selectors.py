"""The judge's data panel (评委数据面板): what is public about a contestant's unit, in one dict, for the judge
to read beside the submission while scoring ("用数据说话").

It reads the published rankings (portal.profiles, as the unit page does), tracking's pledges and items and the
arena's shortcomings, so it sits in portal, above arena and tracking (which may not import each other).

Visibility: only what the public may see of a unit, whoever holds the judge's link —
- rankings: published ones only (profiles.selectors reads nothing else);
- pledges: tracking.policies.public_pledges() ("public pledges for all", with their verdicts);
- rectification items: tracking.policies.public_items(), with only what the public list shows (code, title,
  state, deadline; never history, evidence or who raised it);
- last round's shortcomings: those of the latest *published* arena (arena.base.policies.may_see_results:
  public once published), with the state of the item each became, as that arena's results page shows them.

A fixed number of queries whatever the unit's history (the view's test bounds it)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, Subquery
from django.utils import timezone

from leitai.arena.models import Arena, Contestant, Shortcoming, SubmissionItem
from leitai.core.tracking import rules as flow
from leitai.indicators.models import Period
from leitai.portal.profiles import selectors as profiles
from leitai.tracking import policies as tracking_policies
from leitai.tracking.base.pages import annotate_due
from leitai.tracking.models import Pledge

# What a phone shows of each list; the counts are of all of them.
SHOWN = 6


def unit_panel(unit, arena: Arena | None = None, today: dt.date | None = None) -> dict:
    """Everything the panel shows of `unit` (a contestant's unit in `arena`, which is left out of "last round")."""
    today = today or timezone.localdate()
    rows = profiles.latest_rows_per_plan(unit)
    latest = rows[0] if rows else None
    if latest is not None:
        latest.unit = unit  # the row is the unit's: weak_items reads its code without another query
    return {
        "unit": unit,
        "today": today,
        "latest": latest,
        "other_plans": rows[1:3],
        "weak": profiles.weak_items(latest),
        "pledges": pledges(unit, today),
        "items": open_items(unit, today),
        "last_round": last_round(unit, arena, today),
    }


def pledges(unit, today: dt.date) -> dict:
    """The unit's public pledges: those due (deadline passed, or already judged) with their verdicts, newest
    deadline first, and those still running; counts of kept / missed / pending among the due ones."""
    rows = list(tracking_policies.public_pledges().filter(unit=unit).select_related("indicator", "deadline"))
    due, running = [], []
    for p in rows:
        judged = p.status != Pledge.Status.PENDING
        (due if judged or (p.deadline is not None and p.deadline.end <= today) else running).append(p)
    due.sort(key=lambda p: (p.deadline.end if p.deadline else dt.date.min), reverse=True)
    running.sort(key=lambda p: (p.deadline is None, p.deadline.end if p.deadline else dt.date.max))
    counts = {s: sum(1 for p in due if p.status == s) for s in Pledge.Status.values}
    return {"due": due[:SHOWN], "due_count": len(due), "running": running[:SHOWN], "running_count": len(running),
            "kept": counts[Pledge.Status.KEPT], "missed": counts[Pledge.Status.MISSED],
            "pending": counts[Pledge.Status.PENDING]}


def open_items(unit, today: dt.date) -> dict:
    """The unit's public rectification items still open: how many, how many overdue, and the most urgent
    (earliest deadline first, so the overdue ones lead) with their deadline badges."""
    public_open = tracking_policies.public_items().filter(unit=unit, state__in=flow.OPEN_STATES)
    counts = public_open.aggregate(open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today)))
    shown = public_open.only("code", "title", "state", "deadline").order_by("deadline", "id")[:SHOWN]
    return {"open": counts["open"], "overdue": counts["overdue"], "rows": annotate_due(shown, today)}


def previous_arena(unit, arena: Arena | None) -> Arena | None:
    """The latest published arena before `arena` in which the unit took part or was given a shortcoming."""
    took_part = Contestant.objects.filter(unit=unit).values("arena_id")
    answered = Shortcoming.objects.filter(responsible_unit=unit).values("arena_id")
    qs = Arena.objects.filter(Q(pk__in=took_part) | Q(pk__in=answered), status=Arena.Status.PUBLISHED)
    if arena is not None:
        starts = Period.objects.filter(pk=arena.period_id).values("start")[:1]
        qs = qs.exclude(pk=arena.pk).filter(period__start__lte=Subquery(starts))
    return (qs.select_related("period").only("name", "period__code", "period__start", "held_at", "status")
            .order_by(F("period__start").desc(), F("held_at").desc(nulls_last=True), "-pk").first())


def last_round(unit, arena: Arena | None, today: dt.date) -> dict | None:
    """Last round's shortcomings of the unit — raised at the arena (Shortcoming, for the unit to answer) and
    listed in its own submission — each with the rectification item it became and that item's state."""
    prev = previous_arena(unit, arena)
    if prev is None:
        return None
    rows = []
    for s in (Shortcoming.objects.filter(arena=prev, responsible_unit=unit).select_related("item")
              .order_by("created_at", "id")):
        rows.append({"text": s.text, "deadline": s.deadline, "item": getattr(s, "item", None), "raised": True})
    for si in (SubmissionItem.objects.filter(submission__contestant__arena=prev, submission__contestant__unit=unit,
                                             kind=SubmissionItem.Kind.SHORTCOMING)
               .select_related("rect_item").order_by("sort_order", "id")):
        rows.append({"text": si.text, "deadline": None, "item": getattr(si, "rect_item", None), "raised": False})
    items = annotate_due([r["item"] for r in rows if r["item"] is not None], today)
    for r in rows:
        if r["item"] is not None:
            r["deadline"] = r["item"].deadline
    done = sum(1 for i in items if i.state == flow.CLOSED)
    overdue = sum(1 for i in items if i.state in flow.OPEN_STATES and i.deadline < today)
    return {"arena": prev, "rows": rows, "count": len(rows), "closed": done, "overdue": overdue,
            "untracked": sum(1 for r in rows if r["item"] is None)}
