"""The judge's data panel (评委数据面板): one light page or fragment per contestant, behind the judge's link.

The key is the arena's own: the judge's token (arena.setup.selectors.judge_for_token — unknown, replaced or
revoked links get the arena's friendly 403), and the contestant must be of the judge's arena (404 otherwise).
What it shows is public (see portal.panel.selectors)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from leitai.arena.day import selectors as day_selectors
from leitai.arena.setup import selectors as setup_selectors
from leitai.htmx import is_partial
from leitai.portal.panel import selectors


@never_cache
@require_GET
def judge_panel(request, token: str, contestant_id: int):
    """The contestant's unit in figures: the fragment the judge's phone fetches, or the page of the link."""
    partial = is_partial(request)
    judge = setup_selectors.judge_for_token(token)
    if judge is None:
        template = "arena/live_judge_denied_partial.html" if partial else "arena/live_judge_denied.html"
        return render(request, template, status=403)
    contestant = day_selectors.contestant_in_arena_or_404(contestant_id, judge.arena_id)
    context = {"judge": judge, "arena": judge.arena, "token": token, "contestant": contestant,
               "panel": selectors.unit_panel(contestant.unit, arena=judge.arena)}
    response = render(request, "panel/_panel.html" if partial else "panel/judge_panel.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
