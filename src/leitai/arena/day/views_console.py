"""The arena day: the organizer's console (drives the flow), the big screen and the public live stream.

The console's buttons post with htmx and get the console body back; every page follows the arena through
its server-sent event stream, whose events carry the whole public state (results included once revealed),
so thousands of screens never call back when the results go up.
"""

from __future__ import annotations

import time

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from leitai import live
from leitai.accounts.permissions import organizer_required
from leitai.arena.base.models import Arena
from leitai.arena.base.pages import msg
from leitai.arena.base.policies import may_watch
from leitai.arena.base.selectors import get_arena
from leitai.arena.day import flow, selectors
from leitai.arena.day import ranking as rank_mode
from leitai.arena.day.selectors_screen import screen_view
from leitai.arena.setup.models import Contestant
from leitai.core.errors import LeitaiError
from leitai.core.judging import flow as arena_flow
from leitai.htmx import is_partial
from leitai.lang import page_lang
from leitai.live.arena import arena_channel
from leitai.live.limits import STAFF, VIEWER, Refusal, limits
from leitai.live.sse import event_stream_response, refusal_response

# The console's button for each step of the flow.
STEP_BUTTONS = {
    arena_flow.ON_STAGE: _("请上台"),
    arena_flow.WAITING: _("退回候场"),
    arena_flow.SPEECH: _("开始陈述计时"),
    arena_flow.QUESTIONS: _("进入考问"),
    arena_flow.SCORING_OPEN: _("开始评分"),
    arena_flow.SCORING_CLOSED: _("结束评分"),
    arena_flow.REVEALED: _("揭晓结果"),
}


def server_now_ms() -> int:
    return int(time.time() * 1000)


def _focus(contestants: list[Contestant], reveal_mode: str) -> Contestant | None:
    """The contestant the console puts first: the one on stage, else one waiting to be revealed, else
    the next one waiting."""
    for c in contestants:
        if c.stage in arena_flow.ACTIVE:
            return c
    if reveal_mode == Arena.RevealMode.EACH:
        for c in contestants:
            if c.stage == arena_flow.SCORING_CLOSED:
                return c
    return next((c for c in contestants if c.stage == arena_flow.WAITING), None)


def console_context(arena: Arena, error: str = "") -> dict:
    lang = page_lang()
    contestants = selectors.console_contestants(arena)
    counts = selectors.progress(arena)
    active = any(c.stage in arena_flow.ACTIVE for c in contestants)
    ranking = arena.scoring_mode == arena_flow.RANK
    rows = []
    for c in contestants:
        steps = []
        for target in arena_flow.next_stages(c.stage, arena.scoring_mode):
            if target == arena_flow.ON_STAGE and active:
                continue  # one contestant on stage at a time
            if target == arena_flow.REVEALED and (arena.reveal_mode == Arena.RevealMode.END or ranking):
                continue  # held to the end: "reveal all" below
            if ranking and target == arena_flow.SCORING_CLOSED:
                steps.append((target, _("陈述结束")))
                continue
            steps.append((target, STEP_BUTTONS[target]))
        progress = counts.get(c.pk, {"submitted": 0, "expected": 0})
        has_slides = bool(getattr(getattr(c, "submission", None), "slides", None))
        rows.append({"c": c, "stage_label": arena_flow.label(c.stage, lang), "steps": steps,
                     "can_show_slides": has_slides and c.stage in arena_flow.ACTIVE,
                     "submitted": progress["submitted"], "expected": progress["expected"]})
    focus = _focus(contestants, arena.reveal_mode)
    done = bool(contestants) and all(c.stage in (arena_flow.SCORING_CLOSED, arena_flow.REVEALED)
                                     for c in contestants)
    published = arena.status == Arena.Status.PUBLISHED
    return {
        "arena": arena,
        "rows": rows,
        "focus": next((r for r in rows if focus is not None and r["c"].pk == focus.pk), None),
        "can_reveal_all": ((arena.reveal_mode == Arena.RevealMode.END or ranking) and done and not published
                           and (not ranking or arena.ranking_state == "closed")
                           and any(c.stage == arena_flow.SCORING_CLOSED for c in contestants)),
        "ranking": ranking, "can_open_ranking": ranking and done and not arena.ranking_state and not published,
        "can_close_ranking": ranking and arena.ranking_state == "open",
        "ranking_progress": selectors.ranking_progress(arena) if ranking else None,
        "can_publish": done and not published and all(c.stage == arena_flow.REVEALED for c in contestants),
        "published": published,
        "error": error,
        "screen_view": screen_view(arena),  # the big screen's own stage (the console's 通报 button)
    }


def console_response(request, arena: Arena, error: str = ""):
    arena = get_arena(arena.pk)  # re-read: the action may have changed its status
    if is_partial(request):
        return render(request, "arena/live_console_body.html", console_context(arena, error))
    if error:
        from django.contrib import messages

        messages.error(request, error)
    return redirect("arena:console", pk=arena.pk)


@organizer_required
def console(request, pk: int):
    """The organizer's console for the day."""
    arena = get_arena(pk)
    context = console_context(arena)
    context.update(state=selectors.public_state(arena), server_now=server_now_ms())
    return render(request, "arena/live_console.html", context)


@organizer_required
def console_body(request, pk: int):
    """The console's body alone: htmx refreshes it when the stream shows the flow moved elsewhere."""
    return render(request, "arena/live_console_body.html", console_context(get_arena(pk)))


@organizer_required
@require_POST
def advance(request, contestant_id: int):
    """Move one contestant to the next stage of the flow."""
    contestant = selectors.contestant_in_arena_or_404(contestant_id)
    target = request.POST.get("target", "")
    try:
        flow.advance(contestant, target, request.user)
    except LeitaiError as e:
        return console_response(request, contestant.arena, msg(e))
    return console_response(request, contestant.arena)


@organizer_required
@require_POST
def ranking(request, pk: int):
    """排序测评: open the ranking once everyone has presented, or close it."""
    arena = get_arena(pk)
    try:
        rank_mode.set_ranking(arena, request.user, request.POST.get("state", ""))
    except LeitaiError as e:
        return console_response(request, arena, msg(e))
    return console_response(request, arena)


@organizer_required
@require_POST
def show_slides(request, contestant_id: int):
    """Put a page of the contestant's slides on the big screen, or take them down (page 0)."""
    contestant = selectors.contestant_in_arena_or_404(contestant_id)
    try:
        page = int(request.POST.get("page", ""))
    except ValueError:
        return console_response(request, contestant.arena, _("页码应为非负整数"))
    try:
        flow.show_slides(contestant, request.user, page)
    except LeitaiError as e:
        return console_response(request, contestant.arena, msg(e))
    return console_response(request, contestant.arena)


@organizer_required
@require_POST
def reveal_all(request, pk: int):
    """Reveal every contestant's result at once (arenas that hold the results to the end)."""
    arena = get_arena(pk)
    try:
        flow.reveal_all(arena, request.user)
    except LeitaiError as e:
        return console_response(request, arena, msg(e))
    return console_response(request, arena)


def screen(request, pk: int):
    """The big screen (大屏) for the projector: public once the arena is live."""
    arena = get_arena(pk)
    if not may_watch(arena, request.user):
        raise PermissionDenied
    return render(request, "arena/live_screen.html", {
        "arena": arena, "state": selectors.public_state(arena), "server_now": server_now_ms(),
    })


async def stream(request, pk: int):
    """The arena's public live stream (server-sent events): its public state, never a judge's score.

    Organizers are never refused; anyone else counts as a viewer against live.limits (503 beyond them)."""
    # Not afirst(): that would keep a database connection open for as long as the stream (live.read_db).
    arena = await live.read_db(lambda: selectors.arena_status(pk))
    if arena is None:
        raise Http404
    user = await request.auser()
    if not may_watch(arena, user):
        raise PermissionDenied
    if user.is_authenticated and user.is_organizer:
        ticket = limits.admit(STAFF, str(user.pk))
    else:
        ticket = limits.admit(VIEWER, request.META.get("REMOTE_ADDR", ""))
    if isinstance(ticket, Refusal):
        return refusal_response(ticket)
    return event_stream_response(arena_channel(arena.pk), ticket=ticket)
