"""Small helpers shared by the arena's pages: loading an arena, errors in the user's language, heads of
units at the arena's date, and the htmx page-or-partial choice."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from leitai.core.errors import LeitaiError
from leitai.lang import page_lang
from leitai.units.models import Post

from .models import Arena


def msg(e: LeitaiError) -> str:
    return e.message(page_lang())


def get_arena(pk: int) -> Arena:
    return get_object_or_404(Arena.objects.select_related("period", "plan", "order_ranking"), pk=pk)


def arena_date(arena: Arena) -> dt.date:
    """The day the arena is held (or the end of its period when no date is set yet)."""
    if arena.held_at:
        return timezone.localtime(arena.held_at).date()
    return arena.period.end


def heads_at(units, day: dt.date) -> dict[int, Post]:
    """unit id → the post of the unit's head on `day` (the latest start when the data holds several)."""
    posts = (Post.objects.filter(unit__in=units, is_head=True, start__lte=day)
             .filter(Q(end__isnull=True) | Q(end__gte=day)).select_related("person").order_by("start"))
    return {p.unit_id: p for p in posts}


def is_partial(request) -> bool:
    """One view, two renderings: just the fragment when htmx asks for it (not for boosts or history)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def submissions_closed(arena: Arena, submission=None) -> bool:
    """Read-only once the organizer locked the submissions or the deadline passed."""
    if submission is not None and submission.locked:
        return True
    return arena.submission_deadline is not None and timezone.now() >= arena.submission_deadline
