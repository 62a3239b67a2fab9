"""The overview pages: the organizer's supervision dashboard (督办: counts by state, deadline lists, rates
and a chart), the public page (what the organizer publishes, never a raiser's name or contact) and a unit's
page of its items, pledges and key projects."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from leitai.accounts.permissions import organizer_required
from leitai.core.tracking import rules as flow

from .. import policies
from ..base.pages import annotate_due, label, today
from ..base.selectors import unit_or_404
from ..items import selectors as item_selectors
from ..items.forms import ItemFilterForm
from ..models import Item
from ..pledges import selectors as pledge_selectors
from ..projects import selectors as project_selectors
from . import selectors


def chart_data() -> list[dict]:
    """Open items per unit, one series per state (aggregated in the database), for leitai.charts.stacked_chart."""
    units: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    for r in selectors.open_items_per_unit_and_state():
        if r["unit__name"] not in units:
            units.append(r["unit__name"])
        counts.setdefault(r["state"], {})[r["unit__name"]] = r["n"]
    traces = [{"name": label(flow.STATE_LABELS[s]), "x": units, "y": [counts[s].get(u, 0) for u in units]}
              for s in flow.OPEN_STATES if s in counts]
    return traces


def _pct(x) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def rate_rows(rates: dict) -> list[dict]:
    """Rates keyed by unit (code or id) or source, with display names and percentages."""
    names = selectors.unit_names()
    sources = dict(Item.Source.choices)
    return [{"key": names.get(str(key), sources.get(key, key)), "r": r, "resolution": _pct(r.resolution_rate),
             "on_time": _pct(r.on_time_rate),
             "days": "—" if r.avg_days_to_close is None else f"{r.avg_days_to_close:.1f}"} for key, r in rates.items()]


@organizer_required
def dashboard(request):
    day = today()
    board = selectors.dashboard(day)
    return render(request, "tracking/dashboard.html", {
        "board": board, "today": day, "chart": chart_data(),
        "by_unit": rate_rows(board["by_unit"]), "by_source": rate_rows(board["by_source"]),
        "city": rate_rows({"全市": board["rates"]})[0],
        "states": [(label(flow.STATE_LABELS[s]), board["by_state"][s]) for s in flow.STATES],
        "lists": [("即将到期", "due_soon", board["due_soon"]), ("已逾期", "overdue", board["overdue"]),
                  ("长期逾期（升级督办）", "long_overdue", board["long_overdue"])],
    })


def public(request):
    rows = [{"code": i.code, "title": i.title, "unit": i.unit.name, "state": i.state,
             "state_label": label(flow.STATE_LABELS[i.state]), "deadline": i.deadline, "closed_on": i.closed_on}
            for i in selectors.public_items()]
    return render(request, "tracking/public.html", {
        "items": rows,
        "pledges": pledge_selectors.public_pledges()[:500],
        "rates": rate_rows(selectors.item_rates(by="unit", today=today())),
    })


@login_required
def unit_items(request, unit_code):
    """A unit's page: its items (the list's filters), pledges and key projects, for those who see it in full."""
    unit = unit_or_404(unit_code)
    if not policies.sees_unit(request.user, unit):
        raise PermissionDenied
    form = ItemFilterForm.for_user(request.GET, request.user)
    qs = item_selectors.items_in_full(request.user, of_unit=unit, today=today(), **form.filters())
    return render(request, "tracking/unit_items.html", {
        "unit": unit, "form": form, "items": annotate_due(qs[:500], today()), "total": qs.count(),
        "pledges": pledge_selectors.unit_pledges(unit),
        "projects": project_selectors.unit_projects(unit),
    })
