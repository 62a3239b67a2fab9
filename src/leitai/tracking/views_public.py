"""Pledge list (with the organizer's manual verdicts) and the public pages: what the organizer publishes,
never a raiser's name or contact."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from leitai.accounts.permissions import data_editor_required, organizer_required
from leitai.core import tracking as flow
from leitai.core.errors import LeitaiError
from leitai.units.models import Unit

from . import policies, selectors, services
from .forms import PledgeVerdictForm
from .models import Item, Pledge
from .policies import visible_units
from .views_items import label, lang, today


def visible_pledges(user):
    return (policies.visible_pledges(user)
            .select_related("unit", "person", "indicator", "deadline", "verdict_by", "arena_item__submission__contestant__arena",
                            "repeat_start").prefetch_related("checks__period"))


def filtered_pledges(request):
    """The pledges a user may see, filtered by ?unit=<code> and ?status=."""
    rows = visible_pledges(request.user)
    unit = request.GET.get("unit")
    if unit:
        rows = rows.filter(unit__code=unit)
    status = request.GET.get("status")
    if status in Pledge.Status.values:
        rows = rows.filter(status=status)
    return rows, unit, status


@data_editor_required
def pledges(request):
    rows, unit, status = filtered_pledges(request)
    return render(request, "tracking/pledges.html", {
        "pledges": rows[:500], "form": PledgeVerdictForm(), "is_organizer": request.user.is_organizer,
        "statuses": Pledge.Status.choices, "status": status or "", "unit": unit or "",
        "units": visible_units(request.user), "query": request.GET.urlencode(),
    })


@require_POST
@organizer_required
def pledge_verdict(request, pk):
    pledge = get_object_or_404(Pledge, pk=pk)
    form = PledgeVerdictForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.judge_pledge_manually(request.user, pledge, form.cleaned_data["status"],
                                           form.cleaned_data["note"], evidence=form.cleaned_data["evidence"])
        except LeitaiError as exc:
            messages.error(request, exc.message(lang()))
        else:
            messages.success(request, "✓")
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("tracking:pledges")


def _pct(x) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def _rate_rows(rates: dict) -> list[dict]:
    """Rates keyed by unit (code or id) or source, with display names and percentages."""
    names = dict(Unit.objects.values_list("code", "name"))
    names.update({str(k): v for k, v in Unit.objects.values_list("id", "name")})
    sources = dict(Item.Source.choices)
    return [{"key": names.get(str(key), sources.get(key, key)), "r": r, "resolution": _pct(r.resolution_rate),
             "on_time": _pct(r.on_time_rate),
             "days": "—" if r.avg_days_to_close is None else f"{r.avg_days_to_close:.1f}"} for key, r in rates.items()]


def public(request):
    items = (Item.objects.filter(public=True).select_related("unit")
             .only("code", "title", "unit__name", "state", "deadline", "closed_on", "assigned_on")
             .order_by("-assigned_on", "code"))[:500]
    rows = [{"code": i.code, "title": i.title, "unit": i.unit.name, "state": i.state,
             "state_label": label(flow.STATE_LABELS[i.state]), "deadline": i.deadline, "closed_on": i.closed_on}
            for i in items]
    return render(request, "tracking/public.html", {
        "items": rows,
        "pledges": selectors.public_pledges()[:500],
        "rates": _rate_rows(selectors.item_rates(by="unit", today=today())),
    })
