"""Receipts on the day: a judge's own receipts on the phone (我的回执, by the link's token: the judge sees only
their own) and a paper judge's receipts printed by the staff who typed the sheets in."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.selectors import get_arena
from leitai.arena.day.selectors_receipts import paper_judge, receipts_of
from leitai.arena.day.views_judge import judge_or_denied


@never_cache
@require_GET
def judge_receipts(request, token: str):
    """我的回执: every receipt of this link's judge, latest first (survives a reload: read from the database)."""
    judge, denied = judge_or_denied(request, token)
    if denied:
        return denied
    return render(request, "arena/judge_receipts.html",
                  {"judge": judge, "arena": judge.arena, "token": token, "receipts": receipts_of(judge)})


@organizer_required
@require_GET
def paper_receipts(request, pk: int, judge_id: int):
    """A paper judge's receipts, to print and hand over (the confirmed version is the one that counts)."""
    arena = get_arena(pk)
    judge = paper_judge(arena, judge_id)
    return render(request, "arena/paper_receipts.html", {"arena": arena, "judge": judge, "receipts": receipts_of(judge)})
