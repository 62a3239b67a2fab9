"""Reads for the assessment: the facts a window counts (what INPUTS.json holds), and the published boards.

A record counts in a window when its period (or date) lies inside it: a month's ranking or adjustment in
its quarter and its year, a quarter's arena in that quarter and that year, a year's entry in the year only.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from leitai.awards.selectors import window_facts as award_facts
from leitai.core.io.assess import FORMAT
from leitai.core.periods import label as period_label
from leitai.rankings.models import Adjustment, AssessmentPlan, Ranking, RankingRow
from leitai.tracking.models import Item, Pledge, ReviewAssignment
from leitai.units.models import Unit

from .models import Assessment, Scheme


def _in_window(prefix: str, period) -> Q:
    return Q(**{f"{prefix}__start__gte": period.start, f"{prefix}__end__lte": period.end})


def facts(scheme: Scheme, period, as_of: dt.date) -> dict:
    """Everything the scheme counts for `period` (a quarter or a year), as INPUTS.json."""
    plan = scheme.plan
    # The units rolled up into their parents are ranked by their own plans (e.g. 乡镇街道月度比拼): those
    # plans' rankings and ledger entries count for them.
    rollup_kinds = set((scheme.spec.get("rollup") or {}).get("kinds") or [])
    plans = [plan] + [p for p in AssessmentPlan.objects.filter(active=True).exclude(pk=plan.pk)
                      if rollup_kinds & set(p.unit_kinds)]
    units = list(Unit.objects.filter(active=True).select_related("parent").order_by("sort_order", "code"))
    codes = {u.pk: u.code for u in units}
    rankings = []
    published = (Ranking.objects.filter(_in_window("period", period), plan_version__plan__in=plans, period__kind="month",
                                        status=Ranking.Status.PUBLISHED)
                 .select_related("period", "plan_version").order_by("period__start", "plan_version__plan_id",
                                                                    "-published_at"))
    seen_periods = set()
    chosen = []
    for r in published:
        key = (r.period_id, r.plan_version.plan_id)
        if key not in seen_periods:  # the latest published ranking of each month and plan
            seen_periods.add(key)
            chosen.append(r)
    rows: dict[int, list] = {}
    for ranking_id, unit_id, rank, score in (RankingRow.objects.filter(ranking__in=chosen)
                                             .values_list("ranking_id", "unit_id", "rank", "score")
                                             .order_by("ranking_id", "rank", "unit_id")):
        if unit_id in codes:
            rows.setdefault(ranking_id, []).append([codes[unit_id], rank or 0, score])
    for r in chosen:
        rankings.append({"ref": f"ranking:{r.pk}", "period": r.period.code, "rows": rows.get(r.pk, [])})
    # an arena's entry points to the arena (its results page explains it), any other to the entry itself
    ledger = [{"ref": a.source if a.source.startswith("arena:") else f"adjustment:{a.pk}", "unit": codes[a.unit_id], "period": a.period.code, "points": a.points,
               "reason": a.reason, "source": a.source}
              for a in Adjustment.objects.filter(_in_window("period", period), Q(plan__in=plans) | Q(plan__isnull=True),
                                                 withdrawn=False, unit_id__in=codes)
              .select_related("period").order_by("period__start", "id")]
    pledges = [{"ref": f"pledge:{p.pk}", "unit": codes[p.unit_id], "status": p.status, "text": p.text[:80],
                "deadline": p.deadline.code}
               for p in Pledge.objects.filter(_in_window("deadline", period), unit_id__in=codes)
               .select_related("deadline").order_by("deadline__start", "id")]
    items = [{"ref": f"item:{i.code}", "code": i.code, "unit": codes[i.unit_id], "deadline": i.deadline.isoformat(),
              "closed_on": i.closed_on.isoformat() if i.closed_on and i.closed_on <= as_of else None}
             for i in Item.objects.filter(deadline__gte=period.start, deadline__lte=period.end, unit_id__in=codes)
             .order_by("deadline", "code")]
    reviews = [{"ref": f"review:{r.pk}", "unit": codes[r.item.unit_id], "verdict": r.verdict, "item": r.item.code}
               for r in ReviewAssignment.objects.filter(done_at__date__gte=period.start, done_at__date__lte=period.end)
               .exclude(verdict="").select_related("item").order_by("done_at", "id") if r.item.unit_id in codes]
    # awards count only when the scheme gives points for them; the facts are the units' approved awards
    counts_awards = any(c.get("kind") == "awards" for c in scheme.spec.get("components", []))
    awards = award_facts(period.start, period.end, set(codes.values()), as_of) if counts_awards else []
    return {
        "format": FORMAT,
        "title": f"{scheme.name} · {period_label(period.code)}",
        "window": {"code": period.code, "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "as_of": as_of.isoformat()},
        "scheme": scheme.spec,
        "units": [{"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent.code if u.parent else None,
                   **({"assessed": True} if u.kind in plan.unit_kinds else {})} for u in units],
        "rankings": rankings, "ledger": ledger, "pledges": pledges, "items": items, "reviews": reviews,
        **({"awards": awards} if counts_awards else {}),
    }


def visible_assessments(user, light: bool = False):
    """Drafts for organizers, the rest for everyone; `light` leaves the stored inputs out (lists, titles)."""
    qs = Assessment.objects.select_related("scheme__plan", "period").order_by("-period__start", "scheme_id", "-version")
    if light:
        qs = qs.defer("inputs")
    if user.is_authenticated and user.is_organizer:
        return qs
    # a corrected version stays public beside its correction
    return qs.exclude(status=Assessment.Status.DRAFT)


def latest_published(unit=None):
    """The most recent published assessment (of a plan that assesses `unit`, when given)."""
    qs = Assessment.objects.filter(status=Assessment.Status.PUBLISHED).select_related("scheme__plan", "period")
    for a in qs.order_by("-period__end", "-published_at"):
        if unit is None or unit.kind in a.scheme.plan.unit_kinds:
            return a
    return None


def ref_link(ref: str, unit_code: str = "") -> str | None:
    """The page of a traced line's source (None when it has no page of its own)."""
    from django.urls import reverse

    kind, _, key = ref.partition(":")
    if kind == "ranking" and key.isdigit():
        return reverse("rankings:detail", args=[int(key)])
    if kind == "arena" and key.isdigit():
        return reverse("arena:results", args=[int(key)])
    if kind == "item" and key:
        return reverse("tracking:item", args=[key])
    if kind in ("pledge", "review") and unit_code:
        return f"{reverse('tracking:pledges')}?unit={unit_code}" if kind == "pledge" else reverse("tracking:reviews")
    if kind == "award" and key.isdigit():
        return reverse("awards:detail", args=[int(key)])
    if kind == "adjustment":
        return reverse("rankings:adjustments")
    if kind == "units" and key:
        return None
    return None
