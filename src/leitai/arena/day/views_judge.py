"""A judge's phone: no password, the personal link's token is the key. The page follows the arena's
stream; when scoring opens for the contestant on stage, the score form is fetched (htmx) and shown without
a reload. A judge sees only their own sheet, never another judge's scores."""

from __future__ import annotations

import uuid

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from leitai import live
from leitai.arena.base.pages import msg
from leitai.arena.day import ranking, selectors, sheets
from leitai.arena.day.gate import submission_gate
from leitai.arena.day.selectors_receipts import latest_rank_receipt, latest_receipt
from leitai.arena.day.views_console import server_now_ms
from leitai.arena.setup import selectors as setup_selectors
from leitai.arena.setup.models import Contestant
from leitai.core.errors import LeitaiError
from leitai.core.judging import flow as arena_flow
from leitai.core.judging.receipts import show_receipt
from leitai.htmx import is_partial
from leitai.live.arena import arena_channel
from leitai.live.limits import JUDGE, judge_tag, limits
from leitai.live.sse import event_stream_response


class ScoreForm(forms.Form):
    """One number per criterion of the arena's rubric, within 0…max and on the criterion's step."""

    def __init__(self, criteria, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"s_{c.code}"] = forms.FloatField(
                label=c.name, min_value=0, max_value=c.max_score, step_size=c.step or None,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": c.step or "any"}),
                error_messages={"required": _("请打分"), "invalid": _("请输入数字")},
            )

    def rows(self):
        return [{"criterion": c, "field": self[f"s_{c.code}"]} for c in self.criteria]

    def scores(self) -> dict[str, float]:
        return {c.code: self.cleaned_data[f"s_{c.code}"] for c in self.criteria}


def judge_or_denied(request, token: str):
    """The judge of this link, or the friendly 403 response for an unknown or revoked link."""
    judge = setup_selectors.judge_for_token(token)
    if judge is None:
        template = "arena/live_judge_denied_partial.html" if is_partial(request) else "arena/live_judge_denied.html"
        return None, render(request, template, status=403)
    return judge, None


def _submission(contestant: Contestant) -> dict:
    """The contestant's materials, by section, for the judge to read while scoring."""
    submission = getattr(contestant, "submission", None)
    if submission is None:
        return {"sections": [], "slides": False}
    sections = setup_selectors.submission_readonly(submission)
    return {"sections": [s for s in sections if s["items"]], "slides": bool(submission.slides)}


def form_context(judge, contestant: Contestant, *, form=None, client_key: str = "", submitted=None,
                 error: str = "") -> dict:
    """Everything the form partial shows: open form, own submitted sheet, read-only, or recused."""
    arena = judge.arena
    criteria = list(arena.criteria.all())
    sheet = selectors.own_sheet(judge, contestant)
    is_open = arena_flow.can_score(contestant.stage)
    if form is None:
        initial = {f"s_{code}": value for code, value in (sheet.scores if sheet else {}).items()}
        form = ScoreForm(criteria, initial=initial)
    return {
        "judge": judge, "arena": arena, "contestant": contestant, "token_form": form,
        "recused": setup_selectors.is_recused(judge, contestant),
        "is_open": is_open,
        "not_yet": contestant.stage in (arena_flow.WAITING, arena_flow.ON_STAGE, arena_flow.SPEECH,
                                        arena_flow.QUESTIONS),
        "stage_label": arena_flow.label(contestant.stage),
        "sheet": sheet,
        "receipt": latest_receipt(sheet) if sheet else "",
        "sheet_rows": [{"criterion": c, "value": sheet.scores.get(c.code)} for c in criteria] if sheet else [],
        "submitted": submitted,
        "client_key": client_key or uuid.uuid4().hex,
        "error": error,
        **_submission(contestant),
    }


def _contestant(judge, contestant_id: int) -> Contestant:
    return selectors.contestant_in_arena_or_404(contestant_id, judge.arena_id)


@never_cache
@require_GET
def judge(request, token: str):
    """The judge's phone page: the arena, the contestant on stage and, when scoring is open, the form."""
    judge, denied = judge_or_denied(request, token)
    if denied:
        return denied
    state = selectors.public_state(judge.arena)
    current = state.get("current") or {}
    context = {"judge": judge, "arena": judge.arena, "token": token, "state": state, "server_now": server_now_ms()}
    if judge.arena.scoring_mode == arena_flow.RANK and judge.arena.ranking_state:
        context.update(_ranking_context(judge, token), show_ranking=True)
    elif current.get("id") and (current.get("stage") == arena_flow.SCORING_OPEN
                                or selectors.own_sheet(judge, current["id"]) is not None):
        # Scoring open: the form. Closed or revealed (a reload, a phone switched back on): the sheet this
        # judge submitted for the contestant, read-only with its scores.
        context.update(form_context(judge, _contestant(judge, current["id"])), show_form=True)
    return render(request, "arena/live_judge.html", context)


async def judge_stream(request, token: str):
    """The judge's live stream: the arena's public state (the page decides what to show). Never refused
    (live.limits); it ends as soon as the link is revoked or replaced."""
    from asgiref.sync import sync_to_async

    # A shared worker thread: no database connection held open for as long as the stream (live.read_db).
    judge = await live.read_db(setup_selectors.judge_for_token, token)
    if judge is None:
        return await sync_to_async(render)(request, "arena/live_judge_denied_partial.html", status=403)
    ticket = limits.admit(JUDGE, judge.token_hash)
    return event_stream_response(arena_channel(judge.arena_id), tag=judge_tag(judge.token_hash), ticket=ticket)


@never_cache
@require_GET
def judge_form(request, token: str, contestant_id: int):
    """The score form for one contestant (partial): fetched by the phone when scoring opens or closes."""
    judge, denied = judge_or_denied(request, token)
    if denied:
        return denied
    contestant = _contestant(judge, contestant_id)
    return render(request, "arena/live_judge_form.html", {"token": token, **form_context(judge, contestant)})


@never_cache
@require_POST
def judge_submit(request, token: str, contestant_id: int):
    """Submit or change the judge's sheet; answers with the confirmation and the values stored."""
    with submission_gate():
        return _judge_submit(request, token, contestant_id)


def _judge_submit(request, token: str, contestant_id: int):
    judge, denied = judge_or_denied(request, token)
    if denied:
        return denied
    contestant = _contestant(judge, contestant_id)
    criteria = list(judge.arena.criteria.all())
    # The key made when the form was shown: a double tap or a retry sends it again and counts once.
    client_key = str(request.POST.get("client_key", ""))[:64]
    form = ScoreForm(criteria, request.POST)
    if not form.is_valid():
        context = form_context(judge, contestant, form=form, client_key=client_key)
        return render(request, "arena/live_judge_form.html", {"token": token, **context})
    try:
        outcome = sheets.submit_sheet(judge, contestant, form.scores(), client_key)
    except LeitaiError as e:
        contestant.refresh_from_db()
        context = form_context(judge, contestant, form=form, client_key=client_key, error=msg(e))
        return render(request, "arena/live_judge_form.html", {"token": token, **context})
    # A fresh form (and key) for a later change; the confirmation shows what was stored.
    return render(request, "arena/live_judge_form.html",
                  {"token": token, **form_context(judge, contestant, submitted=outcome.sheet)})


def _ranking_context(judge, token: str, error: str = "", typed=None, saved=None) -> dict:
    """saved: the RankOutcome just stored (its receipt shown); else the receipt of the ranking on file."""
    arena = judge.arena
    contestants = list(setup_selectors.contestants(arena))
    sheet = selectors.own_rank_sheet(judge)
    current = typed or ({c.pk: sheet.ranks.get(c.unit.code) for c in contestants} if sheet else {})
    receipt = show_receipt(saved.receipt) if saved and saved.receipt else latest_rank_receipt(sheet) if sheet else ""
    return {"judge": judge, "arena": arena, "token": token, "error": error, "sheet": sheet, "saved": saved,
            "receipt": receipt,
            "open": arena.ranking_state == "open" and arena.status != arena.Status.PUBLISHED,
            "eligible": judge.pk in {j.pk for j in selectors.eligible_judges(arena)},
            "rows": [{"c": c, "rank": current.get(c.pk)} for c in contestants],
            "choices": range(1, len(contestants) + 1), "client_key": uuid.uuid4().hex}


@never_cache
def judge_ranking(request, token: str):
    """排序测评 on the phone (partial): rank every contestant 1…n, change until the ranking closes."""
    judge, denied = judge_or_denied(request, token)
    if denied:
        return denied
    if request.method != "POST":
        return render(request, "arena/live_judge_ranking.html", _ranking_context(judge, token))
    contestants = setup_selectors.contestant_ids(judge.arena)
    typed = {cid: request.POST.get(f"r_{cid}", "") for cid in contestants}
    try:
        outcome = ranking.submit_ranking(judge, typed, str(request.POST.get("client_key", ""))[:64])
    except LeitaiError as e:
        clean = {cid: int(v) if str(v).isdigit() else None for cid, v in typed.items()}
        return render(request, "arena/live_judge_ranking.html", _ranking_context(judge, token, msg(e), typed=clean))
    return render(request, "arena/live_judge_ranking.html", _ranking_context(judge, token, saved=outcome))
