"""Judges' personal links: issue, reissue and revoke one judge's token, and the printable sheet of links
with QR codes. Only the token's hash is stored, so a link can be shown once: right after issuing."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.pages import msg
from leitai.arena.base.selectors import get_arena
from leitai.arena.setup import selectors, services
from leitai.arena.setup.views import render_setup
from leitai.core.errors import LeitaiError
from leitai.htmx import is_partial


def judge_link(request, token: str) -> str:
    """The absolute link a judge opens on the phone."""
    return request.build_absolute_uri(reverse("arena:judge", args=[token]))


def qr_svg(url: str) -> str:
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3))  # noqa: S308 - segno's own SVG markup


def _no_store(response):
    # The response carries raw tokens: never keep it in a cache or the browser's history.
    add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate, private
    return response


@organizer_required
@require_POST
def issue(request, judge_id: int):
    """Issue or reissue one judge's token; the link is shown once, in this response only."""
    judge = selectors.judge_or_404(judge_id)
    arena = judge.arena
    try:
        token = services.issue_token(judge, request.user)
    except LeitaiError as e:
        messages.error(request, msg(e))
        return redirect("arena:setup", pk=arena.pk)
    links = {judge.pk: judge_link(request, token)}
    if is_partial(request):
        row = next(r for r in selectors.judge_rows(arena, links) if r["judge"].pk == judge.pk)
        return _no_store(render(request, "arena/_judge_row.html", {"r": row, "arena": arena}))
    return _no_store(render_setup(request, arena, new_tokens=links))


@organizer_required
@require_POST
def revoke(request, judge_id: int):
    judge = selectors.judge_or_404(judge_id)
    try:
        services.revoke_token(judge, request.user)
    except LeitaiError as e:
        messages.error(request, msg(e))
    else:
        messages.success(request, _("已作废 %(name)s 的评分链接") % {"name": judge.name})
    if is_partial(request):
        row = next(r for r in selectors.judge_rows(judge.arena) if r["judge"].pk == judge.pk)
        return render(request, "arena/_judge_row.html", {"r": row, "arena": judge.arena})
    response = redirect("arena:setup", pk=judge.arena_id)
    response["Location"] += "#judges"
    return response


@organizer_required
@require_http_methods(["GET", "POST"])
def sheet(request, pk: int):
    """评委二维码: choose the phone judges, then "生成并打印" issues fresh tokens for them and renders the
    A4 sheet in the response. Old links of those judges stop working."""
    arena = get_arena(pk)
    judges = selectors.phone_judges(arena)
    if request.method == "POST":
        chosen = {int(x) for x in request.POST.getlist("judge") if x.isdigit()}
        if request.POST.get("all"):
            chosen = {j.pk for j in judges}
        picked = [j for j in judges if j.pk in chosen]
        if not picked:
            messages.error(request, _("请至少选择一位评委"))
            return redirect("arena:tokens", pk=arena.pk)
        try:
            with transaction.atomic():
                tokens = [(j, services.issue_token(j, request.user)) for j in picked]
        except LeitaiError as e:
            messages.error(request, msg(e))
            return redirect("arena:tokens", pk=arena.pk)
        cards = []
        for judge, token in tokens:
            url = judge_link(request, token)
            cards.append({"judge": judge, "url": url, "qr": qr_svg(url)})
        return _no_store(render(request, "arena/tokens_sheet.html", {"arena": arena, "cards": cards}))
    rows = selectors.judge_rows(arena)
    rows = [r for r in rows if not r["judge"].paper]
    return render(request, "arena/tokens.html", {"arena": arena, "rows": rows})
