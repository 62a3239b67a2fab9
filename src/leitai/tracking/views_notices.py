"""The in-app notices (提醒): reminders, escalations, verdicts and the other side's actions, per user."""

from __future__ import annotations

from django.shortcuts import redirect, render

from leitai.accounts.permissions import data_editor_required

from . import selectors


@data_editor_required
def notices(request):
    """The latest notices for this user, unread ones marked; POST marks them all read."""
    qs = selectors.notices_for(request.user)
    if request.method == "POST":
        for notice in qs.exclude(read_by=request.user):
            notice.read_by.add(request.user)
        return redirect("tracking:notices")
    unread = set(qs.exclude(read_by=request.user).values_list("pk", flat=True))
    rows = list(qs.select_related("item", "unit").order_by("-created_at", "-id")[:200])
    for n in rows:
        n.unread = n.pk in unread
    return render(request, "tracking/notices.html", {"notices": rows, "unread": len(unread)})


def unread_count(request) -> dict:
    """Context processor: the unread count shown beside 提醒 in the header (organizers and reporters)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_organizer or user.is_reporter):
        return {}
    return {"unread_notices": selectors.unread_notices(user)}
