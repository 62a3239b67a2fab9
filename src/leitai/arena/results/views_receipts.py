"""核对回执: anyone (no sign-in) types a receipt and sees the sheet it names, as counted — once the arena's
results are published; before, the page says so and looks nothing up. Lookups go through an index on the
receipt (no scan) and are limited per address (LOOKUPS_PER_MINUTE), so codes cannot be tried in bulk."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leitai.arena.base.models import Arena
from leitai.arena.base.policies import may_watch
from leitai.arena.base.selectors import get_arena
from leitai.arena.results import receipts
from leitai.core.judging.receipts import read_receipt

LOOKUPS_PER_MINUTE = 30


def _allowed(request) -> bool:
    key = f"leitai:receipt-lookup:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, 60)
    try:
        return cache.incr(key) <= LOOKUPS_PER_MINUTE
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 60)
        return True


@require_GET
def check(request, pk: int | None = None):
    """/arena/receipt/ (every published arena) and /arena/<id>/receipt/ (one arena; before its publication
    the page only says that receipts can be checked once the results are out)."""
    arena = None
    if pk is not None:
        arena = get_arena(pk)
        if not may_watch(arena, request.user):
            raise Http404
    typed = str(request.GET.get("code", "")).strip()[:40]
    context = {"arena": arena, "typed": typed, "found": None, "state": ""}
    status = 200
    if arena is not None and arena.status != Arena.Status.PUBLISHED:
        context["state"] = "not_yet"
    elif typed:
        code = read_receipt(typed)
        if code is None:
            context["state"] = "malformed"
        elif not _allowed(request):
            context["state"] = "too_many"
            status = 429
        else:
            context["found"] = receipts.lookup(code, arena)
            context["state"] = "found" if context["found"] else "not_found"
    return render(request, "arena/receipt_check.html", context, status=status)
