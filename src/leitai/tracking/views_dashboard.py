"""The organizer's supervision dashboard (督办): counts by state, deadline lists, rates and a chart."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render

from leitai.accounts.permissions import organizer_required
from leitai.core import tracking as flow

from . import selectors
from .models import Item
from .views_items import label, today
from .views_public import _rate_rows


def chart_data() -> list[dict]:
    """Open items per unit, one bar trace per state (aggregated in the database)."""
    rows = (Item.objects.exclude(state=flow.CLOSED).values("unit__name", "unit__sort_order", "state")
            .annotate(n=Count("id")).order_by("unit__sort_order", "unit__name"))
    units: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        if r["unit__name"] not in units:
            units.append(r["unit__name"])
        counts.setdefault(r["state"], {})[r["unit__name"]] = r["n"]
    traces = [{"type": "bar", "name": label(flow.STATE_LABELS[s]), "x": units, "y": [counts[s].get(u, 0) for u in units]}
              for s in flow.OPEN_STATES if s in counts]
    return traces


@organizer_required
def dashboard(request):
    day = today()
    board = selectors.dashboard(day)
    return render(request, "tracking/dashboard.html", {
        "board": board, "today": day, "chart": chart_data(),
        "by_unit": _rate_rows(board["by_unit"]), "by_source": _rate_rows(board["by_source"]),
        "city": _rate_rows({"全市": board["rates"]})[0],
        "states": [(label(flow.STATE_LABELS[s]), board["by_state"][s]) for s in flow.STATES],
        "lists": [("即将到期", "due_soon", board["due_soon"]), ("已逾期", "overdue", board["overdue"]),
                  ("长期逾期（升级督办）", "long_overdue", board["long_overdue"])],
    })
