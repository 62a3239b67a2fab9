"""What each role's home shows: reads only (the homes write nothing but a judge's own link, through the
arena's services)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F

from leitai.arena.base.models import Arena
from leitai.arena.setup.models import Judge
from leitai.assessment.models import Assessment
from leitai.core.tracking import rules as flow
from leitai.indicators.models import Period
from leitai.indicators.selectors import editable_units, entry_grid
from leitai.portal.public.models import PressRelease
from leitai.rankings.models import Ranking
from leitai.tracking import policies
from leitai.tracking.board.selectors import items_in_class
from leitai.tracking.models import Item, Pledge
from leitai.tracking.reviews.selectors import my_assignments
from leitai.tracking.supervision.selectors import latest_notices

LISTED = 8  # rows per list on a home; each list links to its full page

# The states in which the responsible unit has a step to take (core.tracking.rules: start, request close-out).
UNIT_TURN = tuple(s for s in flow.OPEN_STATES if flow.allowed_actions(s, flow.UNIT))


def _unread(user) -> list:
    rows, _count = latest_notices(user, limit=LISTED)
    return [n for n in rows if n.unread]


def organizer_today(user, today: dt.date) -> dict:
    """The organizer's today: arenas under way, results and drafts waiting to be published, close-outs to
    verify, items long overdue, unread notices."""
    live = list(Arena.objects.filter(status=Arena.Status.LIVE).select_related("period").order_by("held_at", "id"))
    finished = list(Arena.objects.filter(status=Arena.Status.FINISHED).select_related("period").order_by("held_at", "id"))
    upcoming = list(Arena.objects.filter(status=Arena.Status.SETUP).select_related("period")
                    .order_by("held_at", "id")[:LISTED])
    rankings = (Ranking.objects.filter(status=Ranking.Status.DRAFT)
                .select_related("plan_version__plan", "period").order_by("-period__start", "-id"))
    assessments = (Assessment.objects.filter(status=Assessment.Status.DRAFT).select_related("scheme", "period")
                   .defer("inputs", "result").order_by("-period__end", "-id"))
    long_overdue = items_in_class(flow.LONG_OVERDUE, today)
    releases = PressRelease.objects.filter(status=PressRelease.Status.DRAFT).order_by("-id")
    requested = Item.objects.filter(state=flow.REQUESTED).select_related("unit").order_by("deadline", "id")
    return {
        "live": live, "finished": finished, "upcoming": upcoming,
        "rankings": list(rankings[:LISTED]), "rankings_count": rankings.count(),
        "assessments": list(assessments[:LISTED]), "assessments_count": assessments.count(),
        "releases": list(releases[:LISTED]), "releases_count": releases.count(),
        "long_overdue": list(long_overdue[:LISTED]), "long_overdue_count": long_overdue.count(),
        "requested": list(requested[:LISTED]), "requested_count": requested.count(),
        "notices": _unread(user),
        "month": reporting_month(),
    }


def reporting_month() -> Period | None:
    """The month being reported: the latest month holding any value (later months on record, e.g. a pledge's
    deadline, hold none yet)."""
    return Period.objects.filter(kind="month", observations__isnull=False).order_by("-start").distinct().first()


def data_due(user) -> dict:
    """The reporter's units (theirs and those below it) with values still missing for the latest month."""
    period = reporting_month()
    if period is None:
        return {"period": None, "units": []}
    units = [u for u in editable_units(user) if u.kind != "city"]
    rows = []
    for unit, cells in entry_grid(units, period):
        missing = sum(1 for _indicator, obs in cells if obs is None)
        if missing:
            rows.append({"unit": unit, "missing": missing, "total": len(cells)})
    return {"period": period, "units": rows}


def reporter_work(user, today: dt.date) -> dict:
    """The reporter's work: data due, the unit's items on its turn (most urgent first), pledges awaiting
    their verdict, unread notices."""
    items = (policies.items_in_full(user).filter(state__in=UNIT_TURN).select_related("unit")
             .order_by("deadline", "id"))
    pledges = (policies.visible_pledges(user).filter(status=Pledge.Status.PENDING)
               .select_related("unit", "deadline", "indicator")
               .order_by(F("deadline__end").asc(nulls_last=True), "id"))
    return {
        "due": data_due(user),
        "items": list(items[:LISTED]), "items_count": items.count(),
        "overdue_count": items.filter(deadline__lt=today).count(),
        "pledges": list(pledges[:LISTED]), "pledges_count": pledges.count(),
        "notices": _unread(user),
        "today": today,
    }


def judge_seats(user) -> list[Judge]:
    """The panels the judge's account sits on, upcoming and live arenas first, then the finished ones."""
    order = {Arena.Status.LIVE: 0, Arena.Status.SETUP: 1, Arena.Status.FINISHED: 2, Arena.Status.PUBLISHED: 3}
    seats = list(Judge.objects.filter(account=user).select_related("arena__period", "group")
                 .annotate(contestants=Count("arena__contestants", distinct=True)))
    return sorted(seats, key=lambda j: (order.get(j.arena.status, 9), -(j.arena.held_at or dt.datetime.min.replace(
        tzinfo=dt.UTC)).timestamp()))


def own_seat_or_none(user, judge_id: int) -> Judge | None:
    return Judge.objects.select_related("arena").filter(pk=judge_id, account=user).first()


def supervisor_reviews(user) -> dict:
    """The citizen supervisor's follow-up reviews (回头看): those waiting for a verdict, and how many are done."""
    mine = my_assignments(user)
    return {"pending": [m for m in mine if m.done_at is None], "done_count": sum(1 for m in mine if m.done_at)}
