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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from leitai import live
from leitai.accounts.permissions import organizer_required
from leitai.arena.base.models import Arena
from leitai.arena.base.pages import msg
from leitai.arena.base.policies import may_watch
from leitai.arena.base.selectors import get_arena
from leitai.arena.day import flow, intervals, selectors
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


CLOSE_CONFIRM = _("%(expected)s 位评委中 %(submitted)s 位已提交，结束评分后不能再提交。确认结束评分？")


def _gaps_text(gaps: list[dict], lang: str) -> str:
    return "；".join(selectors.gap_text(g, lang) for g in gaps)


def _step(c: Contestant, target: str, text, progress: dict, gaps: list[dict], lang: str, ranking: bool) -> dict:
    """One button of the flow with its confirmation, said on the server (site.js data-confirm): closing
    says how many sheets are in (the console keeps the counts current), revealing says it cannot be undone
    and, below the quorum, what is missing — then the button needs the organizer's reason."""
    step = {"target": target, "text": text, "confirm": "", "confirm_template": "", "needs_reason": False,
            "gaps_text": ""}
    if target == arena_flow.SCORING_CLOSED and not ranking:
        step["confirm"] = gettext(CLOSE_CONFIRM) % {"expected": progress["expected"], "submitted": progress["submitted"]}
        step["confirm_template"] = gettext(CLOSE_CONFIRM) % {"expected": "{expected}", "submitted": "{submitted}"}
    elif target == arena_flow.REVEALED:
        if gaps:
            step.update(needs_reason=True, gaps_text=_gaps_text(gaps, lang),
                        confirm=gettext("评分表不足法定份数：%(gaps)s。揭晓后结果立即显示在大屏上，不能撤回。确认强制揭晓？")
                        % {"gaps": _gaps_text(gaps, lang)})
        else:
            step["confirm"] = gettext("%(unit)s的结果揭晓后立即显示在大屏上，不能撤回。确认揭晓？") % {"unit": c.unit.name}
    return step


def _tie_text(t: dict) -> str:
    places = "、".join(f"{p:+g}" if p else "0" for p in t["places"])
    return gettext("%(units)s 并列第 %(rank)s 名，各计 %(points)s 分；若不并列，第 %(first)s–%(last)s 名应分别计 %(places)s 分") % {
        "units": "、".join(t["units"]), "rank": t["rank"], "points": f"{t['points']:+g}" if t["points"] else "0",
        "first": t["rank"], "last": t["rank"] + len(t["units"]) - 1, "places": places}


CUT_WHAT = {"bonus": _("加减分"), "best": _("海豚奖（第一名）"), "worst": _("海龟奖（最后一名）")}


def _cut_text(w: dict) -> str:
    return gettext("%(what)s的分界（第 %(after)s 名与第 %(next)s 名之间）：%(inside)s 与 %(outside)s 统计上无法区分") % {
        "what": "、".join(str(CUT_WHAT[x]) for x in w["what"]), "after": w["after"], "next": w["after"] + 1,
        "inside": "、".join(w["inside"]), "outside": "、".join(w["outside"])}


def console_context(arena: Arena, error: str = "") -> dict:
    lang = page_lang()
    contestants = selectors.console_contestants(arena)
    counts = selectors.progress(arena)
    active = any(c.stage in arena_flow.ACTIVE for c in contestants)
    ranking = arena.scoring_mode == arena_flow.RANK
    published = arena.status == Arena.Status.PUBLISHED
    closed = [c for c in contestants if c.stage == arena_flow.SCORING_CLOSED]
    gaps = selectors.unexcused_gaps(arena) if not published and (closed or ranking) else []
    gaps_of: dict[int | None, list[dict]] = {}
    for g in gaps:
        gaps_of.setdefault(g["contestant"], []).append(g)
    rows = []
    for c in contestants:
        steps = []
        progress = counts.get(c.pk, {"submitted": 0, "expected": 0})
        for target in arena_flow.next_stages(c.stage, arena.scoring_mode):
            if target == arena_flow.ON_STAGE and active:
                continue  # one contestant on stage at a time
            if target == arena_flow.REVEALED and (arena.reveal_mode == Arena.RevealMode.END or ranking):
                continue  # held to the end: "reveal all" below
            text = _("陈述结束") if ranking and target == arena_flow.SCORING_CLOSED else STEP_BUTTONS[target]
            steps.append(_step(c, target, text, progress, gaps_of.get(c.pk, []), lang, ranking))
        has_slides = bool(getattr(getattr(c, "submission", None), "slides", None))
        rows.append({"c": c, "stage_label": arena_flow.label(c.stage, lang), "steps": steps,
                     "can_show_slides": has_slides and c.stage in arena_flow.ACTIVE,
                     # 重新打开评分: closed too early, until the reveal, while no one else holds the stage
                     "can_reopen": (c.stage == arena_flow.SCORING_CLOSED and not ranking and not active
                                    and not published),
                     "submitted": progress["submitted"], "expected": progress["expected"]})
    focus = _focus(contestants, arena.reveal_mode)
    done = bool(contestants) and all(c.stage in (arena_flow.SCORING_CLOSED, arena_flow.REVEALED)
                                     for c in contestants)
    can_reveal_all = ((arena.reveal_mode == Arena.RevealMode.END or ranking) and done and not published
                      and (not ranking or arena.ranking_state == "closed") and bool(closed))
    can_publish = done and not published and all(c.stage == arena_flow.REVEALED for c in contestants)
    final_gaps = _gaps_text(gaps, lang)
    ties = [_tie_text(t) for t in selectors.tie_warnings(arena)] if done and not published and (
        not ranking or arena.ranking_state == "closed") else []
    publish_confirm = gettext("发布后结果不可更改，并按名次计入年度考绩。确认发布？")
    if ties:
        publish_confirm = gettext("注意并列：%(ties)s。") % {"ties": "；".join(ties)} + publish_confirm
    # Rank intervals (bootstrap over the judges): a boundary that decides points or an award inside a group
    # the judges cannot tell apart.
    cuts = [_cut_text(w) for w in intervals.cut_warnings(arena)] if can_publish else []
    if cuts:
        publish_confirm = gettext("名次区间：%(cuts)s。") % {"cuts": "；".join(cuts)} + publish_confirm
    return {
        "arena": arena,
        "rows": rows,
        "focus": next((r for r in rows if focus is not None and r["c"].pk == focus.pk), None),
        "can_reveal_all": can_reveal_all,
        "reveal_all_gaps": final_gaps if can_reveal_all else "",
        "reveal_all_confirm": (gettext("评分表不足法定份数：%(gaps)s。确认强制统一揭晓全部结果？") % {"gaps": final_gaps}
                               if final_gaps else gettext("揭晓后结果立即显示在大屏上，不能撤回。确认统一揭晓全部结果？")),
        "ranking": ranking, "can_open_ranking": ranking and done and not arena.ranking_state and not published,
        "can_close_ranking": ranking and arena.ranking_state == "open",
        "ranking_progress": selectors.ranking_progress(arena) if ranking else None,
        "can_publish": can_publish,
        "publish_gaps": final_gaps if can_publish else "",
        "publish_confirm": (gettext("评分表不足法定份数：%(gaps)s。") % {"gaps": final_gaps} + publish_confirm
                            if final_gaps else publish_confirm),
        "ties": ties,
        "interval_warnings": cuts,
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


def acted(request, arena: Arena, action):
    """Run one console action; answer the console again, with the refusal's message if it was refused."""
    try:
        action()
    except LeitaiError as e:
        return console_response(request, arena, msg(e))
    return console_response(request, arena)


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
    target, reason = request.POST.get("target", ""), request.POST.get("override_reason", "")
    return acted(request, contestant.arena, lambda: flow.advance(contestant, target, request.user, override_reason=reason))


@organizer_required
@require_POST
def reopen(request, contestant_id: int):
    """重新打开评分 for a contestant whose scoring closed too early, with the organizer's reason."""
    contestant = selectors.contestant_in_arena_or_404(contestant_id)
    reason = request.POST.get("reason", "")
    return acted(request, contestant.arena, lambda: flow.reopen_scoring(contestant, request.user, reason))


@organizer_required
@require_POST
def ranking(request, pk: int):
    """排序测评: open the ranking once everyone has presented, or close it."""
    arena = get_arena(pk)
    return acted(request, arena, lambda: rank_mode.set_ranking(arena, request.user, request.POST.get("state", "")))


@organizer_required
@require_POST
def show_slides(request, contestant_id: int):
    """Put a page of the contestant's slides on the big screen, or take them down (page 0)."""
    contestant = selectors.contestant_in_arena_or_404(contestant_id)
    try:
        page = int(request.POST.get("page", ""))
    except ValueError:
        return console_response(request, contestant.arena, _("页码应为非负整数"))
    return acted(request, contestant.arena, lambda: flow.show_slides(contestant, request.user, page))


@organizer_required
@require_POST
def reveal_all(request, pk: int):
    """Reveal every contestant's result at once (arenas that hold the results to the end)."""
    arena = get_arena(pk)
    reason = request.POST.get("override_reason", "")
    return acted(request, arena, lambda: flow.reveal_all(arena, request.user, override_reason=reason))


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
