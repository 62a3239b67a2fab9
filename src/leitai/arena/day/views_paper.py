"""Paper score sheets (纸质评分表): one staff member types a paper judge's sheet in, a second one confirms
it by typing the same scores again from the paper; one person can never do both (as debate tabulation
systems require). A mismatch names the criteria; the sheet is then typed in again and confirmed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.pages import msg
from leitai.arena.base.selectors import get_arena
from leitai.arena.day import scoring, selectors
from leitai.arena.day.forms import PaperConfirmForm, PaperSheetForm
from leitai.core.errors import LeitaiError
from leitai.core.judging import flow as arena_flow


def _entry_form(arena, data=None):
    contestants = selectors.paper_entry_contestants(arena)
    initial = {}
    current = contestants.filter(stage=arena_flow.SCORING_OPEN).first()
    if current is not None:
        initial["contestant"] = current.pk
    return PaperSheetForm(data, arena=arena, contestants=contestants, initial=initial)


def _render(request, arena, form, status=200, confirm_forms=None):
    confirm_forms = confirm_forms or {}
    pending = []
    for sheet in selectors.pending_paper_sheets(arena):
        mine = sheet.entered_by_id == request.user.pk
        form_for = None if mine else confirm_forms.get(sheet.pk) or PaperConfirmForm(arena=arena, prefix=f"k{sheet.pk}")
        pending.append({"sheet": sheet, "mine": mine, "form": form_for})
    confirmed = selectors.confirmed_paper_sheets(arena)
    return render(request, "arena/paper.html", {
        "arena": arena, "form": form, "pending": pending, "confirmed": confirmed,
        "has_paper_judges": selectors.has_paper_judges(arena),
        "paper_judges": list(arena.judges.filter(paper=True).order_by("sort_order", "id")),
    }, status=status)


@organizer_required
@require_http_methods(["GET", "POST"])
def paper(request, pk: int):
    """录入纸质评分表 → scoring.enter_paper_sheet (pending until another staff member confirms it)."""
    arena = get_arena(pk)
    form = _entry_form(arena, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                scoring.enter_paper_sheet(request.user, d["judge"], d["contestant"], form.scores)
            except LeitaiError as e:
                form.add_error(None, msg(e))
            else:
                messages.success(request, _("已录入 %(judge)s 对%(unit)s的评分表，待另一名工作人员复核")
                                 % {"judge": d["judge"].name, "unit": d["contestant"].unit.name})
                return redirect("arena:paper", pk=arena.pk)
        return _render(request, arena, form, status=400)
    return _render(request, arena, form)


@organizer_required
@require_POST
def confirm(request, sheet_id: int):
    """复核: the confirmer types the paper's scores again; equal → the sheet counts, different → refused."""
    sheet = selectors.sheet_or_404(sheet_id)
    arena = sheet.arena
    form = PaperConfirmForm(request.POST, arena=arena, prefix=f"k{sheet.pk}")
    if form.is_valid():
        try:
            scoring.confirm_paper_sheet(request.user, sheet, scores=form.scores)
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            messages.success(request, _("已复核：%(judge)s 对%(unit)s的评分表生效")
                             % {"judge": sheet.judge.name, "unit": sheet.contestant.unit.name})
            return redirect("arena:paper", pk=arena.pk)
    return _render(request, get_arena(arena.pk), _entry_form(arena), status=400, confirm_forms={sheet.pk: form})
