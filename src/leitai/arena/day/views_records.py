"""The records of the day (organizer staff): questions put to a contestant (考问) and the answers, leaders'
comments (点评), and shortcomings raised from them with a responsible unit and a deadline."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.pages import msg
from leitai.arena.base.selectors import get_arena
from leitai.arena.day import flow, selectors
from leitai.arena.day.forms import CommentForm, QuestionForm, ShortcomingForm
from leitai.arena.day.models import Comment
from leitai.arena.setup.models import Contestant
from leitai.core.errors import LeitaiError
from leitai.htmx import is_partial

# The usual rectification window for a shortcoming raised on the day; staff change it per item.
DEFAULT_DEADLINE_DAYS = 90


def _shortcoming_initial(contestant: Contestant, comment: Comment | None = None) -> dict:
    return {"text": comment.text if comment else "", "responsible_unit": contestant.unit_id,
            "deadline": timezone.localdate() + dt.timedelta(days=DEFAULT_DEADLINE_DAYS),
            "comment": comment.pk if comment else None}


def _block(arena, contestant: Contestant, **bound) -> dict:
    """What is recorded for one contestant, with the forms to add more (bound ones keep their errors)."""
    recorded = selectors.contestant_records(contestant)
    return {
        "arena": arena, "contestant": contestant,
        "questions": recorded["questions"],
        "comments": [{"comment": c, "raised": raised,
                      "form": ShortcomingForm(initial=_shortcoming_initial(contestant, c), prefix=f"s{c.pk}")}
                     for c, raised in recorded["comments"]],
        "shortcomings": recorded["shortcomings"],
        "question_form": bound.get("question_form") or QuestionForm(arena=arena),
        "comment_form": bound.get("comment_form") or CommentForm(arena=arena),
        "shortcoming_form": bound.get("shortcoming_form") or ShortcomingForm(
            initial=_shortcoming_initial(contestant), prefix="s"),
    }


def _respond(request, arena, contestant, status: int = 200, done: str = "", **bound):
    """htmx: the contestant's block again (with a note of what was saved); otherwise back to the page."""
    block = _block(arena, contestant, **bound)
    if is_partial(request):
        return render(request, "arena/_records_block.html", {**block, "done": done}, status=status)
    if status == 200:
        messages.success(request, done)
        return redirect(reverse("arena:records", args=[arena.pk]) + f"?contestant={contestant.pk}")
    return render(request, "arena/records.html", _page_context(arena, contestant, block), status=status)


def _page_context(arena, contestant, block) -> dict:
    everything = selectors.arena_records(arena)
    return {**(block or {}), "arena": arena, "current": contestant, "everything": everything,
            "contestants": [row["contestant"] for row in everything]}


@organizer_required
@require_GET
def records(request, pk: int):
    """考问与点评记录: the current (or chosen) contestant's records and the forms; everything recorded below."""
    arena = get_arena(pk)
    contestant = selectors.current_or_chosen(arena, request.GET.get("contestant"))
    block = _block(arena, contestant) if contestant else None
    return render(request, "arena/records.html", _page_context(arena, contestant, block))


def _contestant(arena, request) -> Contestant:
    return selectors.contestant_in_arena_or_404(int(request.POST.get("contestant") or 0), arena.pk)


@organizer_required
@require_POST
def add_question(request, pk: int):
    arena = get_arena(pk)
    contestant = _contestant(arena, request)
    form = QuestionForm(request.POST, arena=arena)
    if form.is_valid():
        d = form.cleaned_data
        try:
            flow.record_question(contestant, request.user, d["text"], judge=d["judge"], asker=d["asker"],
                                     answer=d["answer"])
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            return _respond(request, arena, contestant, done=_("已记录考问"))
    return _respond(request, arena, contestant, status=400, question_form=form)


@organizer_required
@require_POST
def add_comment(request, pk: int):
    arena = get_arena(pk)
    contestant = _contestant(arena, request)
    form = CommentForm(request.POST, arena=arena)
    if form.is_valid():
        d = form.cleaned_data
        try:
            flow.record_comment(contestant, request.user, d["text"], judge=d["judge"], author=d["author"])
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            return _respond(request, arena, contestant, done=_("已记录点评"))
    return _respond(request, arena, contestant, status=400, comment_form=form)


@organizer_required
@require_POST
def add_shortcoming(request, pk: int):
    """A shortcoming, typed in or from a comment (转为短板): the form's prefix says which."""
    arena = get_arena(pk)
    contestant = _contestant(arena, request)
    prefix = request.POST.get("prefix") or "s"
    form = ShortcomingForm(request.POST, prefix=prefix)
    if form.is_valid():
        d = form.cleaned_data
        comment = selectors.comment_of(contestant, d["comment"])
        try:
            flow.raise_shortcoming(arena, request.user, d["text"], d["responsible_unit"], d["deadline"],
                                       contestant=contestant, comment=comment)
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            return _respond(request, arena, contestant, done=_("已列入短板问题清单"))
    return _respond(request, arena, contestant, status=400, shortcoming_form=form)
