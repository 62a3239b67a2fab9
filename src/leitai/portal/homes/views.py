"""Each signed-in role's home, dispatched from / by `page_for`; and the judge's "open my scoring page"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from leitai.accounts.models import Role
from leitai.arena import services as arena_services
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang

from . import selectors


def organizer_home(request):
    today = timezone.localdate()
    return render(request, "homes/organizer.html", {"t": selectors.organizer_today(request.user, today)})


def reporter_home(request):
    today = timezone.localdate()
    return render(request, "homes/reporter.html", {"w": selectors.reporter_work(request.user, today)})


def judge_home(request):
    return render(request, "homes/judge.html", {"seats": selectors.judge_seats(request.user)})


def supervisor_home(request):
    return render(request, "homes/supervisor.html", {"r": selectors.supervisor_reviews(request.user)})


def page_for(request):
    """The signed-in user's home, or None: the public and anonymous visitors get the portal's home."""
    user = request.user
    if not user.is_authenticated:
        return None
    if user.is_organizer:
        return organizer_home(request)
    if user.is_reporter:
        return reporter_home(request)
    if user.role == Role.JUDGE:
        return judge_home(request)
    if user.role == Role.SUPERVISOR:
        return supervisor_home(request)
    return None


@require_POST
def open_scoring(request, judge_id: int):
    """A signed-in judge opens their scoring page on this device: a new personal link replaces the previous one
    (arena.services.issue_own_token), and the browser goes to it."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    seat = selectors.own_seat_or_none(request.user, judge_id)
    if seat is None:
        raise Http404
    try:
        token = arena_services.issue_own_token(seat, request.user)
    except LeitaiError as e:
        messages.error(request, e.message(page_lang()))
        return redirect("portal:home")
    return redirect("arena:judge", token=token)
