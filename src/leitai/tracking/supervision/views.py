"""Supervision pages (督办): the in-app notices (提醒: reminders, escalations, verdicts and the other side's
actions, per user) with the header's unread count, and the 双过半 early-warning page."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import redirect, render

from leitai.accounts.permissions import data_editor_required
from leitai.indicators.selectors import editable_units

from . import selectors, services


@data_editor_required
def notices(request):
    """The latest notices for this user, unread ones marked; POST marks them all read."""
    if request.method == "POST":
        services.mark_notices_read(request.user)
        return redirect("tracking:notices")
    rows, unread = selectors.latest_notices(request.user)
    return render(request, "tracking/notices.html", {"notices": rows, "unread": unread})


def unread_count(request) -> dict:
    """Context processor: the unread count shown beside 提醒 in the header (organizers and reporters)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_organizer or user.is_reporter):
        return {}
    return {"unread_notices": selectors.unread_notices(user)}


def _int(raw, default: int, lo: int, hi: int) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return value if lo <= value <= hi else default


@data_editor_required
def warning(request):
    """The 双过半 early warning: targets and pledges likely to be missed, flagged first. Organizers see every
    unit; a reporter their own unit and the units below it."""
    latest = selectors.latest_month() or (dt.date.today().year, max(1, dt.date.today().month - 1))
    year = _int(request.GET.get("year"), latest[0], 2000, 2100)
    month = _int(request.GET.get("month"), latest[1], 1, 12)
    units = None if request.user.is_organizer else editable_units(request.user)
    data = selectors.early_warning(year, month, units=units)
    return render(request, "tracking/warning_board.html", {"w": data, "months": range(1, 13)})
