"""The 双过半 early-warning page: targets and pledges likely to be missed, flagged first."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render

from leitai.accounts.permissions import data_editor_required
from leitai.indicators.selectors import editable_units

from . import selectors_warning


def _int(raw, default: int, lo: int, hi: int) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return value if lo <= value <= hi else default


@data_editor_required
def warning(request):
    """Organizers see every unit; a reporter their own unit and the units below it."""
    latest = selectors_warning.latest_month() or (dt.date.today().year, max(1, dt.date.today().month - 1))
    year = _int(request.GET.get("year"), latest[0], 2000, 2100)
    month = _int(request.GET.get("month"), latest[1], 1, 12)
    units = None if request.user.is_organizer else editable_units(request.user)
    data = selectors_warning.early_warning(year, month, units=units)
    return render(request, "tracking/warning_board.html", {"w": data, "months": range(1, 13)})
