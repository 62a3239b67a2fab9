"""评委审计 (organizer only): per judge leniency with its interval (chart and table), consistency and favour
towards linked contestants, updated while scoring goes on; the judge–contestant links and the calibration
rule are recorded here too. The published results page shows the same audit anonymised."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.pages import msg
from leitai.arena.base.selectors import get_arena
from leitai.arena.results.audit import organizer_state
from leitai.arena.setup import links
from leitai.core.errors import LeitaiError

# How often the open audit page refreshes its figures while the arena is under way (seconds).
POLL_SECONDS = 5


def _page(request, arena, status: int = 200):
    return render(request, "arena/audit.html", {"arena": arena, **organizer_state(arena), "poll": POLL_SECONDS,
                                                "live": arena.status != arena.Status.PUBLISHED}, status=status)


@organizer_required
@require_GET
def audit_page(request, pk: int):
    """评委审计 page: the calibration rule, the links, and the live audit."""
    return _page(request, get_arena(pk))


@organizer_required
@require_GET
def audit_body(request, pk: int):
    """The audit figures alone (the page polls them while scoring goes on)."""
    arena = get_arena(pk)
    return render(request, "arena/_audit_body.html", {"arena": arena, **organizer_state(arena), "poll": POLL_SECONDS,
                                                      "live": arena.status != arena.Status.PUBLISHED})


def _back(arena):
    return redirect(reverse("arena:audit", args=[arena.pk]))


@organizer_required
@require_POST
def add_link(request, pk: int):
    arena = get_arena(pk)
    try:
        links.add_link(arena, request.user, int(request.POST.get("judge") or 0), int(request.POST.get("contestant") or 0),
                       request.POST.get("relation", ""))
    except (LeitaiError, ValueError) as e:
        messages.error(request, msg(e) if isinstance(e, LeitaiError) else _("请选择评委和参赛单位"))
        return _page(request, arena, status=400)
    messages.success(request, _("已记录评委关联"))
    return _back(arena)


@organizer_required
@require_POST
def remove_link(request, pk: int, link_id: int):
    arena = get_arena(pk)
    try:
        links.remove_link(arena, request.user, link_id)
    except LeitaiError as e:
        messages.error(request, msg(e))
        return _page(request, arena, status=400)
    messages.success(request, _("已撤销评委关联"))
    return _back(arena)


def calibration_from_form(data) -> dict:
    """The calibration object from the form's fields (method, flags, threshold)."""
    method = data.get("method", "")
    if method == "":
        return {}
    out: dict = {"method": method}
    if method == "drop_flagged":
        out["flags"] = data.getlist("flags")
        raw = (data.get("threshold") or "").strip()
        if raw:
            try:
                out["threshold"] = json.loads(raw)
            except ValueError:
                out["threshold"] = raw
    return out


@organizer_required
@require_POST
def set_calibration(request, pk: int):
    arena = get_arena(pk)
    try:
        links.set_calibration(arena, request.user, calibration_from_form(request.POST))
    except LeitaiError as e:
        messages.error(request, msg(e))
        return _page(request, arena, status=400)
    messages.success(request, _("校准规则已保存"))
    return _back(arena)
