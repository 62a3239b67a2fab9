"""The judge's data panel (评委数据面板): one light page or fragment per contestant, behind the judge's link.

The key is the arena's own: the judge's token (arena.setup.selectors.judge_for_token — unknown, replaced or
revoked links get the arena's friendly 403), and the contestant must be of the judge's arena (404 otherwise).

What it shows is public (see portal.panel.selectors) and the same for every judge, so the rendered panel is
kept for PANEL_SECONDS per contestant and language: when a hall of judges opens it as scoring starts, it is
built once a minute, not once per phone (the submissions share the server)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from leitai.arena.day import selectors as day_selectors
from leitai.arena.setup import selectors as setup_selectors
from leitai.htmx import is_partial
from leitai.portal.panel import selectors

# Rankings, pledges, items and past arenas change on other days than the arena's: a minute old is fresh.
PANEL_SECONDS = 60


def panel_html(contestant, request) -> str:
    """The contestant's panel, rendered in the page's language (from the cache when a minute old or less)."""
    key = f"leitai:judge-panel:{contestant.arena_id}:{contestant.pk}:{contestant.unit_id}:{get_language()}"
    html = cache.get(key)
    if html is None:
        data = selectors.unit_panel(contestant.unit, arena=contestant.arena)
        html = render_to_string("panel/_panel.html", {"panel": data}, request=request)
        cache.set(key, html, PANEL_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, as rendered


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
    html = panel_html(contestant, request)
    if partial:
        response = HttpResponse(html)
    else:
        response = render(request, "panel/judge_panel.html", {
            "judge": judge, "arena": judge.arena, "token": token, "contestant": contestant, "panel_html": html})
    patch_vary_headers(response, ["HX-Request"])
    return response


@never_cache
@require_GET
def judge_panel_now(request, token: str):
    """The panel of the contestant on stage now (the judge's phone during the speech and the questions, when
    the score form is not there yet): the fragment, or a short note when nobody holds the stage."""
    judge = setup_selectors.judge_for_token(token)
    if judge is None:
        return render(request, "arena/live_judge_denied_partial.html", status=403)
    contestant = day_selectors.current_contestant(day_selectors.console_contestants(judge.arena))
    if contestant is None:
        return render(request, "panel/_nobody.html")
    response = HttpResponse(panel_html(contestant, request))
    patch_vary_headers(response, ["HX-Request"])
    return response
